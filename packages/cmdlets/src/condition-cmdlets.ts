/**
 * `New-CMTSStepCondition*`: condition objects for the `-Condition` / `-AddCondition` parameters,
 * built with the model's condition builders. Operator names are ConfigMgr's enum spellings
 * (`Equals`, `NotExists`, ...), matched case-insensitively.
 */
import { TaskSeqError, allOf, anyOf, fileCondition, folderCondition, noneOf, osVersionCondition, registryCondition, softwareCondition, variableCondition, wmiCondition } from "@taskseq/model";
import type { ComparisonOperator, ConditionExpression, ConditionOperator, RegistryOperator, RegistryValueType, VariableOperator } from "@taskseq/model";
import { defineCmdlet } from "./cmdlet-definition.js";
import type { CmdletCall } from "./cmdlet-definition.js";
import { switchParameter, valueParameter } from "./parameter-binding.js";
import { readBoolean, readChoice, readConditions, readText, requireText } from "./parameter-values.js";

const COMPARISONS = ["Equals", "NotEquals", "Less", "LessEqual", "Greater", "GreaterEqual"] as const;
const VARIABLE_OPERATORS = [...COMPARISONS, "Exists", "NotExists", "Like", "NotLike"] as const;
const REGISTRY_ROOTS = ["HKEY_LOCAL_MACHINE", "HKEY_CURRENT_USER", "HKEY_CLASSES_ROOT", "HKEY_USERS", "HKEY_CURRENT_CONFIG"] as const;
const REGISTRY_TYPES = ["REG_SZ", "REG_EXPAND_SZ", "REG_DWORD", "REG_QWORD", "REG_MULTI_SZ", "REG_BINARY", "REG_NONE"] as const;

/** `NotEquals` → `notEquals` (the model's spelling). */
const camel = <T extends string>(s: string): T => (s.charAt(0).toLowerCase() + s.slice(1)) as T;

function wrap<T>(c: CmdletCall, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof TaskSeqError && error.code === "InvalidArgument" && !error.message.startsWith(c.cmdlet)) {
      throw new TaskSeqError("InvalidArgument", `${c.cmdlet}: ${error.message}`, { cause: error, details: { cmdlet: c.cmdlet } });
    }
    throw error;
  }
}

function comparison(c: CmdletCall, name: string): ComparisonOperator | undefined {
  const op = readChoice(c, name, COMPARISONS);
  return op === undefined ? undefined : camel<ComparisonOperator>(op);
}

/** `New-CMTSStepConditionVariable`: a Task Sequence Variable condition. */
export const NEW_CONDITION_VARIABLE = defineCmdlet(
  "New-CMTSStepConditionVariable",
  ["Default"],
  [valueParameter("ConditionVariableName", { mandatory: true }), valueParameter("ConditionVariableValue"), valueParameter("OperatorType", { mandatory: true })],
  (c): ConditionExpression =>
    wrap(c, () => {
      const op = camel<VariableOperator>(readChoice(c, "OperatorType", VARIABLE_OPERATORS) ?? "Equals");
      return variableCondition(requireText(c, "ConditionVariableName"), op, readText(c, "ConditionVariableValue"));
    }),
);

/** `New-CMTSStepConditionQueryWmi`: a WMI query condition. */
export const NEW_CONDITION_QUERY_WMI = defineCmdlet(
  "New-CMTSStepConditionQueryWmi",
  ["Default"],
  [valueParameter("Query", { mandatory: true, aliases: ["WmiQuery"] }), valueParameter("Namespace", { aliases: ["WmiNamespace"] })],
  (c): ConditionExpression => wrap(c, () => wmiCondition(requireText(c, "Query"), readText(c, "Namespace") ?? "root\\cimv2")),
);

/** `New-CMTSStepConditionRegistry`: a registry setting condition. */
export const NEW_CONDITION_REGISTRY = defineCmdlet(
  "New-CMTSStepConditionRegistry",
  ["Default"],
  [
    valueParameter("RootKey", { mandatory: true }),
    valueParameter("RegistryKey", { mandatory: true, aliases: ["Key"] }),
    valueParameter("ValueName"),
    valueParameter("DataType", { aliases: ["ValueType"] }),
    valueParameter("Data", { aliases: ["Value"] }),
    valueParameter("OperatorType", { mandatory: true }),
  ],
  (c): ConditionExpression =>
    wrap(c, () => {
      const root = readChoice(c, "RootKey", REGISTRY_ROOTS) ?? "HKEY_LOCAL_MACHINE";
      const key = requireText(c, "RegistryKey").replace(/^\\+/, "");
      const op = readChoice(c, "OperatorType", VARIABLE_OPERATORS) ?? "Equals";
      const registryOp: RegistryOperator = op === "NotExists" ? "nonExists" : camel<RegistryOperator>(op);
      const type = readChoice(c, "DataType", REGISTRY_TYPES) as RegistryValueType | undefined;
      const value = readText(c, "ValueName");
      const data = readText(c, "Data");
      return registryCondition(`${root}\\${key}`, registryOp, { ...(value === undefined ? {} : { value }), ...(type === undefined ? {} : { type }), ...(data === undefined ? {} : { data }) });
    }),
);

/** `New-CMTSStepConditionFile`: a file properties condition. */
export const NEW_CONDITION_FILE = defineCmdlet(
  "New-CMTSStepConditionFile",
  ["Default"],
  [
    valueParameter("FilePath", { mandatory: true, aliases: ["Path"] }),
    valueParameter("FileVersion", { aliases: ["Version"] }),
    valueParameter("VersionOperator"),
    valueParameter("FileDateTime", { aliases: ["FileTimestamp", "Timestamp"] }),
    valueParameter("FileDateTimeOperator", { aliases: ["DateTimeOperator"] }),
  ],
  (c): ConditionExpression =>
    wrap(c, () => {
      const version = readText(c, "FileVersion");
      const dateTime = readText(c, "FileDateTime");
      return fileCondition(requireText(c, "FilePath"), {
        ...(version === undefined ? {} : { version: { operator: comparison(c, "VersionOperator") ?? "equals", value: version } }),
        ...(dateTime === undefined ? {} : { dateTime: { operator: comparison(c, "FileDateTimeOperator") ?? "equals", value: dateTime } }),
      });
    }),
);

/** `New-CMTSStepConditionFolder`: a folder properties condition. */
export const NEW_CONDITION_FOLDER = defineCmdlet(
  "New-CMTSStepConditionFolder",
  ["Default"],
  [valueParameter("FolderPath", { mandatory: true, aliases: ["Path"] }), valueParameter("DateTime", { aliases: ["Timestamp"] }), valueParameter("DateTimeOperator")],
  (c): ConditionExpression =>
    wrap(c, () => {
      const dateTime = readText(c, "DateTime");
      return folderCondition(requireText(c, "FolderPath"), dateTime === undefined ? undefined : { operator: comparison(c, "DateTimeOperator") ?? "equals", value: dateTime });
    }),
);

/** `New-CMTSStepConditionSoftware`: an installed software condition (any version by upgrade code, or this product code). */
export const NEW_CONDITION_SOFTWARE = defineCmdlet(
  "New-CMTSStepConditionSoftware",
  ["Default"],
  [valueParameter("ProductCode"), valueParameter("UpgradeCode"), valueParameter("ProductName"), valueParameter("ProductVersion", { aliases: ["Version"] }), switchParameter("IsAnyVersion", { aliases: ["AnyVersion"] })],
  (c): ConditionExpression =>
    wrap(c, () => {
      const pick = (name: string): Record<string, string> => {
        const v = readText(c, name);
        return v === undefined ? {} : { [name.charAt(0).toLowerCase() + name.slice(1)]: v };
      };
      const version = readText(c, "ProductVersion");
      return softwareCondition(readBoolean(c, "IsAnyVersion") === true ? "AnyVersion" : "ThisVersion", {
        ...pick("ProductCode"),
        ...pick("UpgradeCode"),
        ...pick("ProductName"),
        ...(version === undefined ? {} : { version }),
      });
    }),
);

/** `New-CMTSStepConditionOperatingSystem`: an operating system version condition. */
export const NEW_CONDITION_OPERATING_SYSTEM = defineCmdlet(
  "New-CMTSStepConditionOperatingSystem",
  ["Default"],
  [valueParameter("Version", { mandatory: true }), valueParameter("Architecture"), valueParameter("OperatorType")],
  (c): ConditionExpression =>
    wrap(c, () => osVersionCondition(readChoice(c, "Architecture", ["X86", "X64"] as const) ?? "", comparison(c, "OperatorType") ?? "equals", requireText(c, "Version"))),
);

/** `New-CMTSStepConditionIfStatement`: all / any / none of the sub-conditions. */
export const NEW_CONDITION_IF_STATEMENT = defineCmdlet(
  "New-CMTSStepConditionIfStatement",
  ["Default"],
  [valueParameter("StatementType", { mandatory: true }), valueParameter("Condition", { aliases: ["SubCondition", "SubConditions"] })],
  (c): ConditionOperator => {
    const operands = [...readConditions(c, "Condition")];
    const type = readChoice(c, "StatementType", ["All", "Any", "None"] as const);
    return type === "Any" ? anyOf(...operands) : type === "None" ? noneOf(...operands) : allOf(...operands);
  },
);
