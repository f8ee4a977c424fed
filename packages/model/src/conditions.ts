/**
 * Condition builders, typed accessors and readable descriptions (spec/conditions.md).
 */
import { TaskSeqError } from "./errors.js";
import { deepFreeze } from "./deep-freeze.js";
import type { Condition, ConditionExpression, ConditionNode, ConditionOperator } from "./types.js";

/** Expression class names (conditions.md §3). */
export const EXPRESSION_TYPES = {
  variable: "SMS_TaskSequence_VariableConditionExpression",
  wmi: "SMS_TaskSequence_WMIConditionExpression",
  osVersion: "SMS_TaskSequence_OSConditionExpression",
  file: "SMS_TaskSequence_FileConditionExpression",
  folder: "SMS_TaskSequence_FolderConditionExpression",
  registry: "SMS_TaskSequence_RegistryConditionExpression",
  software: "SMS_TaskSequence_SoftwareConditionExpression",
} as const;

/** Comparison operators of variable, OS, file, folder and registry expressions. */
export type ComparisonOperator = "equals" | "notEquals" | "less" | "lessEqual" | "greater" | "greaterEqual";

/** Operators of a Task Sequence Variable condition. */
export type VariableOperator = ComparisonOperator | "exists" | "notExists" | "like" | "notLike";

/** Operators of a Registry Setting condition (`nonExists` is the SDK spelling). */
export type RegistryOperator = ComparisonOperator | "exists" | "nonExists" | "like" | "notLike";

/** Every condition operator name of conditions.md §4.1, in canonical spelling. */
export type ConditionOperatorName = VariableOperator | "AnyVersion" | "ThisVersion";

const OPERATOR_NAMES: ReadonlyMap<string, ConditionOperatorName> = new Map<string, ConditionOperatorName>([
  ...(["exists", "notExists", "equals", "notEquals", "less", "lessEqual", "greater", "greaterEqual", "like", "notLike", "AnyVersion", "ThisVersion"] as const).map(
    (n): [string, ConditionOperatorName] => [n.toLowerCase(), n],
  ),
  ["nonexists", "notExists"],
]);

/**
 * The canonical name of a condition operator as written (`Operator`, `VersionOperator`,
 * `DateTimeOperator`): matched case-insensitively after trimming, `nonExists` is `notExists`
 * (conditions.md §4.1); `undefined` when unknown. The validator, the importer and the engine use it.
 *
 * @example
 * ```ts
 * conditionOperatorName(" NONEXISTS "); // "notExists"
 * conditionOperatorName("sortOf"); // undefined
 * ```
 */
export function conditionOperatorName(text: string): ConditionOperatorName | undefined {
  return OPERATOR_NAMES.get(text.trim().toLowerCase());
}

/**
 * True when `text` is a dotted version whose every component is a non-negative integer
 * (conditions.md §4.3: `10.00.10240.0`, `6.1`, `10`); surrounding spaces are ignored. Internal.
 */
export function isDottedVersion(text: string): boolean {
  return text
    .trim()
    .split(".")
    .every((part) => /^[0-9]+$/.test(part));
}

/** Registry value types. */
export type RegistryValueType = "REG_BINARY" | "REG_DWORD" | "REG_EXPAND_SZ" | "REG_MULTI_SZ" | "REG_NONE" | "REG_QWORD" | "REG_SZ";

function requireText(value: string, what: string): void {
  if (value.trim() === "") throw new TaskSeqError("InvalidArgument", `${what} must not be empty.`);
}

function expression(type: string, properties: readonly (readonly [string, string | undefined])[]): ConditionExpression {
  return deepFreeze({
    kind: "expression",
    type,
    properties: properties.filter((p): p is readonly [string, string] => p[1] !== undefined).map(([name, value]) => ({ name, value })),
  });
}

/**
 * A Task Sequence Variable condition.
 *
 * @example
 * ```ts
 * variableCondition("_SMSTSInWinPE", "equals", "false");
 * ```
 */
export function variableCondition(variable: string, operator: VariableOperator, value?: string): ConditionExpression {
  requireText(variable, "Variable");
  const needsValue = operator !== "exists" && operator !== "notExists";
  return expression(EXPRESSION_TYPES.variable, [["Variable", variable], ["Operator", operator], ["Value", needsValue ? (value ?? "") : value]]);
}

/**
 * A Query WMI condition (true when the query returns a row).
 *
 * @example
 * ```ts
 * wmiCondition('SELECT * FROM Win32_ComputerSystem WHERE Model LIKE "%Virtual%"');
 * ```
 */
export function wmiCondition(query: string, namespace = "root\\cimv2"): ConditionExpression {
  requireText(query, "Query");
  return expression(EXPRESSION_TYPES.wmi, [["Namespace", namespace], ["Query", query]]);
}

/**
 * An MDT-style Operating System Version condition (`6.30.9600.0`: ConfigMgr platform notation).
 *
 * @example
 * ```ts
 * osVersionCondition("X64", "greaterEqual", "10.00.10240.0");
 * ```
 */
export function osVersionCondition(architecture: "X86" | "X64" | "", operator: ComparisonOperator, version: string): ConditionExpression {
  requireText(version, "Version");
  return expression(EXPRESSION_TYPES.osVersion, [["Architecture", architecture], ["Version", version], ["Operator", operator]]);
}

/**
 * An Operating System Language condition: a WMI query on `Win32_OperatingSystem.OsLanguage`.
 *
 * @example
 * ```ts
 * osLanguageCondition(1033);
 * ```
 */
export function osLanguageCondition(lcid: number): ConditionExpression {
  if (!Number.isInteger(lcid) || lcid <= 0) throw new TaskSeqError("InvalidArgument", "The language must be a positive LCID.");
  return wmiCondition(`SELECT OsLanguage FROM Win32_OperatingSystem WHERE OsLanguage='${lcid}'`);
}

/** Optional comparisons of a File Properties condition. */
export interface FileConditionOptions {
  /** Compare the file version. */
  readonly version?: { readonly operator: ComparisonOperator; readonly value: string };
  /** Compare the modification time (DMTF `yyyyMMddHHmmss.ffffff+000`). */
  readonly dateTime?: { readonly operator: ComparisonOperator; readonly value: string };
}

/**
 * A File Properties condition; without options it tests that the file exists.
 *
 * @example
 * ```ts
 * fileCondition("%windir%\\notepad.exe", { version: { operator: "greaterEqual", value: "10.0" } });
 * ```
 */
export function fileCondition(path: string, options: FileConditionOptions = {}): ConditionExpression {
  requireText(path, "Path");
  return expression(EXPRESSION_TYPES.file, [
    ["Path", path],
    ["Version", options.version?.value],
    ["VersionOperator", options.version?.operator],
    ["DateTime", options.dateTime?.value],
    ["DateTimeOperator", options.dateTime?.operator],
  ]);
}

/**
 * A Folder Properties condition; without a date it tests that the folder exists.
 *
 * @example
 * ```ts
 * folderCondition("C:\\Logs");
 * ```
 */
export function folderCondition(path: string, dateTime?: { readonly operator: ComparisonOperator; readonly value: string }): ConditionExpression {
  requireText(path, "Path");
  return expression(EXPRESSION_TYPES.folder, [["Path", path], ["DateTime", dateTime?.value], ["DateTimeOperator", dateTime?.operator]]);
}

/** The value part of a Registry Setting condition. */
export interface RegistryConditionOptions {
  /** Value name; empty = the key's default value. */
  readonly value?: string;
  /** Type (used only by `exists`). */
  readonly type?: RegistryValueType;
  /** Data compared by the comparison operators. */
  readonly data?: string;
}

/**
 * A Registry Setting condition.
 *
 * @example
 * ```ts
 * registryCondition("HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso", "equals", { value: "Ring", type: "REG_SZ", data: "Pilot" });
 * ```
 */
export function registryCondition(keyPath: string, operator: RegistryOperator, options: RegistryConditionOptions = {}): ConditionExpression {
  requireText(keyPath, "KeyPath");
  return expression(EXPRESSION_TYPES.registry, [
    ["KeyPath", keyPath],
    ["Value", options.value ?? ""],
    ["Operator", operator],
    ["Type", options.type],
    ["Data", options.data],
  ]);
}

/** What an Installed Software condition looks for. */
export interface SoftwareConditionOptions {
  /** MSI product code (`ThisVersion`). */
  readonly productCode?: string;
  /** MSI upgrade code (`AnyVersion`). */
  readonly upgradeCode?: string;
  /** Display name. */
  readonly productName?: string;
  /** Display version. */
  readonly version?: string;
}

/**
 * An Installed Software condition: `ThisVersion` needs the product code, `AnyVersion` the upgrade code.
 *
 * @example
 * ```ts
 * softwareCondition("AnyVersion", { upgradeCode: "{AC76BA86-...}", productName: "Reader" });
 * ```
 */
export function softwareCondition(operator: "AnyVersion" | "ThisVersion", options: SoftwareConditionOptions): ConditionExpression {
  const needed = operator === "ThisVersion" ? options.productCode : options.upgradeCode;
  if (needed === undefined || needed.trim() === "") {
    throw new TaskSeqError("InvalidArgument", `${operator} needs ${operator === "ThisVersion" ? "a product code" : "an upgrade code"}.`);
  }
  return expression(EXPRESSION_TYPES.software, [
    ["Operator", operator],
    ["ProductCode", options.productCode ?? ""],
    ["UpgradeCode", options.upgradeCode],
    ["ProductName", options.productName],
    ["Version", options.version],
  ]);
}

function operator(type: "and" | "or" | "not", operands: readonly ConditionNode[]): ConditionOperator {
  return deepFreeze({ kind: "operator", operator: type, operands: [...operands] });
}

/**
 * If all of the operands are true (`<operator type="and">`).
 *
 * @example
 * ```ts
 * allOf(variableCondition("A", "exists"), variableCondition("B", "exists"));
 * ```
 */
export function allOf(...operands: ConditionNode[]): ConditionOperator {
  return operator("and", operands);
}

/**
 * If any of the operands is true (`<operator type="or">`).
 *
 * @example
 * ```ts
 * anyOf(variableCondition("DeploymentType", "equals", "NEWCOMPUTER"), variableCondition("DeploymentType", "equals", "REFRESH"));
 * ```
 */
export function anyOf(...operands: ConditionNode[]): ConditionOperator {
  return operator("or", operands);
}

/**
 * If none of the operands is true (`<operator type="not">`).
 *
 * @example
 * ```ts
 * noneOf(variableCondition("SkipApps", "equals", "YES"));
 * ```
 */
export function noneOf(...operands: ConditionNode[]): ConditionOperator {
  return operator("not", operands);
}

/**
 * A step or group condition whose operands are combined with AND.
 *
 * @example
 * ```ts
 * createCondition(variableCondition("_SMSTSInWinPE", "equals", "true"));
 * ```
 */
export function createCondition(...operands: ConditionNode[]): Condition {
  return deepFreeze({ operands: [...operands] });
}

/**
 * A property of an expression by name (case-insensitive; the last one when repeated).
 *
 * @example
 * ```ts
 * getExpressionProperty(expr, "Variable"); // "_SMSTSInWinPE"
 * ```
 */
export function getExpressionProperty(expr: ConditionExpression, name: string): string | undefined {
  const key = name.toLowerCase();
  let found: string | undefined;
  for (const p of expr.properties) if (p.name.toLowerCase() === key) found = p.value;
  return found;
}

/** The canonical operator kind of an `<operator>` (`and`, `or`, `not`), or `undefined` when unknown. */
export function operatorKind(op: ConditionOperator): "and" | "or" | "not" | undefined {
  const lower = op.operator.toLowerCase();
  return lower === "and" || lower === "or" || lower === "not" ? lower : undefined;
}

const quote = (s: string | undefined): string => `"${s ?? ""}"`;

function describeExpression(expr: ConditionExpression): string {
  const p = (name: string): string | undefined => getExpressionProperty(expr, name);
  switch (expr.type.toLowerCase()) {
    case EXPRESSION_TYPES.variable.toLowerCase(): {
      const op = p("Operator") ?? "";
      const unary = /^(exists|notexists|nonexists)$/i.test(op);
      return unary ? `${p("Variable") ?? ""} ${op}` : `${p("Variable") ?? ""} ${op} ${quote(p("Value"))}`;
    }
    case EXPRESSION_TYPES.wmi.toLowerCase():
      return `WMI query ${quote(p("Query"))} in ${p("Namespace") ?? "root\\cimv2"} returns a row`;
    case EXPRESSION_TYPES.osVersion.toLowerCase():
      return `OS ${p("Architecture") || "any architecture"} version ${p("Operator") ?? ""} ${quote(p("Version"))}`;
    case EXPRESSION_TYPES.file.toLowerCase(): {
      const parts = [`file ${quote(p("Path"))} exists`];
      if (p("VersionOperator") !== undefined) parts.push(`version ${p("VersionOperator") ?? ""} ${quote(p("Version"))}`);
      if (p("DateTimeOperator") !== undefined) parts.push(`date ${p("DateTimeOperator") ?? ""} ${quote(p("DateTime"))}`);
      return parts.join(" and ");
    }
    case EXPRESSION_TYPES.folder.toLowerCase():
      return p("DateTimeOperator") === undefined
        ? `folder ${quote(p("Path"))} exists`
        : `folder ${quote(p("Path"))} exists and date ${p("DateTimeOperator") ?? ""} ${quote(p("DateTime"))}`;
    case EXPRESSION_TYPES.registry.toLowerCase(): {
      const target = `registry ${p("KeyPath") ?? ""}${p("Value") ? `\\${p("Value") ?? ""}` : ""}`;
      const op = p("Operator") ?? "";
      return /exists$/i.test(op) ? `${target} ${op}` : `${target} ${op} ${quote(p("Data"))}`;
    }
    case EXPRESSION_TYPES.software.toLowerCase():
      return p("Operator")?.toLowerCase() === "thisversion"
        ? `software ${quote(p("ProductName") ?? p("ProductCode"))} (product code ${p("ProductCode") ?? ""}) is installed`
        : `any version of ${quote(p("ProductName") ?? p("UpgradeCode"))} (upgrade code ${p("UpgradeCode") ?? ""}) is installed`;
    default:
      return `${expr.type} (${expr.properties.map((x) => `${x.name}=${quote(x.value)}`).join(", ")})`;
  }
}

const LABEL: Readonly<Record<string, string>> = { and: "if all", or: "if any", not: "if none" };

/**
 * Readable text for a condition or condition node, as `taskseq show`, docs and plans print it:
 * `if all: _SMSTSInWinPE equals "true"`; nested operators are parenthesised (a top-level one too when
 * it has siblings, so `(if none: A); B` and `if none: A; B` differ); an empty condition reads
 * `always`, an empty operator `if any: (empty)`.
 *
 * @example
 * ```ts
 * describeCondition(createCondition(variableCondition("_SMSTSInWinPE", "equals", "true")));
 * // 'if all: _SMSTSInWinPE equals "true"'
 * ```
 */
export function describeCondition(condition: Condition | ConditionNode): string {
  if (!("kind" in condition)) return condition.operands.length === 0 ? "always" : `if all: ${describeOperands(condition.operands, condition.operands.length > 1)}`;
  return describeNode(condition);
}

/** Operands joined with `; `; operators among them parenthesised when `parenthesise` (else a lone operator). */
function describeOperands(operands: readonly ConditionNode[], parenthesise: boolean): string {
  if (operands.length === 0) return "(empty)";
  return operands.map((o) => (o.kind === "operator" && parenthesise ? `(${describeNode(o)})` : describeNode(o))).join("; ");
}

function describeNode(node: ConditionNode): string {
  switch (node.kind) {
    case "expression":
      return describeExpression(node);
    case "operator":
      return `${LABEL[node.operator.toLowerCase()] ?? `if ${node.operator}`}: ${describeOperands(node.operands, true)}`;
    case "osConditionGroup":
      return `OS is any of: ${node.groups.map((g) => quote(g.name)).join(", ")}`;
  }
}
