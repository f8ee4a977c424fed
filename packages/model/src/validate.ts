/**
 * Static validation (zod style): every issue at once, never a throw.
 */
import { issue } from "./validation-issue.js";
import type { ValidationIssue } from "./validation-issue.js";
import { EXPRESSION_TYPES, conditionOperatorName, getExpressionProperty, isDottedVersion, operatorKind } from "./conditions.js";
import type { ConditionOperatorName } from "./conditions.js";
import { formatItemPath, walk } from "./item-paths.js";
import { findSetting, getStepTypeInfo } from "./step-catalog.js";
import { UINT32_MAX, decodeSetting, isUInt32 } from "./step-settings.js";
import { checkTaskSequenceShape } from "./sequence-shape.js";
import { checkVariableName } from "./variable-names.js";
import type { ConditionExpression, ConditionNode, Item, ItemPath, Step, TaskSequence } from "./types.js";

/**
 * What a {@link TaskSequenceResolver} returns for a package. A package is disabled when
 * `enabled` is `false` or `disabled` is `true` (the engine's resolver uses `disabled`, so it can
 * be passed here as is).
 */
export interface ResolvedChildSequence {
  /** The child's document. */
  readonly sequence: TaskSequence;
  /** `false` for a disabled task sequence package (the deployment fails). Default `true`. */
  readonly enabled?: boolean;
  /** `true` for a disabled task sequence package. Default `false`. */
  readonly disabled?: boolean;
}

/**
 * Finds child task sequences by package ID, synchronously or asynchronously; `undefined` when the
 * package does not exist.
 */
export interface TaskSequenceResolver {
  /** The package, or `undefined`. */
  resolve(packageId: string): ResolvedChildSequence | undefined | Promise<ResolvedChildSequence | undefined>;
}

/** Options of {@link validateSequence}. */
export interface ValidateOptions {
  /** Resolves Run Task Sequence children; when given, the result is a promise. */
  readonly resolver?: TaskSequenceResolver;
}

/** Maximum nesting depth of child task sequences (execution.md §10). */
export const MAX_CHILD_DEPTH = 16;

const SUB = "SMS_TaskSequence_SubTasksequence";

function settingValue(step: Step, property: string): string | undefined {
  const key = property.toLowerCase();
  return step.variables.findLast((v) => v.property.toLowerCase() === key)?.value;
}

function checkName(out: ValidationIssue[], where: string, name: string, options: { allowRead: boolean }): void {
  const result = checkVariableName(name);
  if (result.ok) {
    if (result.warning !== undefined) out.push(issue("VariableNameLeadingDigit", where, `Variable name "${result.name}" starts with a digit or hyphen.`, "warning"));
    return;
  }
  if (result.code === "ReadOnlyVariable") {
    if (!options.allowRead) out.push(issue("ReadOnlyVariableWrite", where, `A step may not write read-only variable "${name.trim()}".`, "error"));
    return;
  }
  out.push(issue("InvalidVariableName", where, result.message, "error"));
}

/** Display names of the step condition expression types (conditions.md §3). */
const EXPRESSION_LABELS: ReadonlyMap<string, string> = new Map([
  [EXPRESSION_TYPES.variable, "Task Sequence Variable"],
  [EXPRESSION_TYPES.wmi, "Query WMI"],
  [EXPRESSION_TYPES.osVersion, "Operating System Version"],
  [EXPRESSION_TYPES.file, "File Properties"],
  [EXPRESSION_TYPES.folder, "Folder Properties"],
  [EXPRESSION_TYPES.registry, "Registry Setting"],
  [EXPRESSION_TYPES.software, "Installed Software"],
]);

/** Expression properties that hold a comparison operator (the importer checks the same three). */
const OPERATOR_PROPERTIES = ["Operator", "VersionOperator", "DateTimeOperator"] as const;

/** Longest WQL query (conditions.md §3: 1–16,384 characters). */
const MAX_WQL_LENGTH = 16_384;

const isComparison = (op: ConditionOperatorName): boolean => ["equals", "notEquals", "less", "lessEqual", "greater", "greaterEqual"].includes(op);
const isSoftwareOperator = (op: ConditionOperatorName): boolean => op === "AnyVersion" || op === "ThisVersion";

/**
 * The operator properties evaluation reads for a known expression type and the operators each
 * accepts (conditions.md §3, §4.1): a file compares its version or date only when that value is
 * set, a folder only its date, a Query WMI expression has no operator.
 */
function evaluatedOperators(expr: ConditionExpression): { readonly property: string; readonly allowed: (op: ConditionOperatorName) => boolean }[] {
  const isSet = (name: string): boolean => (getExpressionProperty(expr, name) ?? "") !== "";
  switch (expr.type) {
    case EXPRESSION_TYPES.variable:
    case EXPRESSION_TYPES.registry:
      return [{ property: "Operator", allowed: (op) => !isSoftwareOperator(op) }];
    case EXPRESSION_TYPES.osVersion:
      return [{ property: "Operator", allowed: isComparison }];
    case EXPRESSION_TYPES.software:
      return [{ property: "Operator", allowed: isSoftwareOperator }];
    case EXPRESSION_TYPES.file:
      return [
        ...(isSet("Version") ? [{ property: "VersionOperator", allowed: isComparison }] : []),
        ...(isSet("DateTime") ? [{ property: "DateTimeOperator", allowed: isComparison }] : []),
      ];
    case EXPRESSION_TYPES.folder:
      return isSet("DateTime") ? [{ property: "DateTimeOperator", allowed: isComparison }] : [];
    default:
      return [];
  }
}

/** WQL statements start with SELECT (… FROM), ASSOCIATORS OF or REFERENCES OF; no adapter accepts anything else. */
const WQL_STATEMENT = /^\s*(?:SELECT\b[\s\S]*\bFROM\b|ASSOCIATORS\s+OF\b|REFERENCES\s+OF\b)/i;

/**
 * The statically detectable evaluation errors of one expression (conditions.md §6). Messages
 * name operators and versions, never a compared value or a query (they may hold secrets).
 */
function checkExpression(out: ValidationIssue[], where: string, expr: ConditionExpression): void {
  const label = EXPRESSION_LABELS.get(expr.type);
  if (label === undefined) out.push(issue("UnknownExpressionType", where, `Unknown condition expression type "${expr.type}": evaluating it is an error.`, "warning"));
  for (const property of OPERATOR_PROPERTIES) {
    const value = getExpressionProperty(expr, property);
    if (value !== undefined && value.trim() !== "" && conditionOperatorName(value) === undefined) {
      out.push(issue("UnknownOperator", where, `Unknown comparison operator "${value}" (${property}): evaluating it is an error.`, "warning"));
    }
  }
  if (label === undefined) return;
  const p = (name: string): string => getExpressionProperty(expr, name) ?? "";
  const aLabel = `${/^[AEIOU]/.test(label) ? "An" : "A"} ${label}`;
  for (const { property, allowed } of evaluatedOperators(expr)) {
    const op = conditionOperatorName(p(property));
    if (op !== undefined && !allowed(op)) out.push(issue("OperatorNotAllowed", where, `${aLabel} condition cannot use the ${op} operator (${property}): evaluating it is an error.`, "error"));
  }
  const badVersion = (version: string): void => {
    out.push(issue("InvalidConditionVersion", where, `${aLabel} condition compares with version "${version.slice(0, 40)}", which has a non-integer component.`, "error"));
  };
  switch (expr.type) {
    case EXPRESSION_TYPES.software: {
      const code = (name: string): string => p(name).trim().replace(/^\{|\}$/g, "");
      if (code("ProductCode") === "" && code("UpgradeCode") === "") {
        out.push(issue("MissingSoftwareCode", where, "An Installed Software condition has neither a product code nor an upgrade code: evaluating it is an error.", "error"));
      }
      break;
    }
    case EXPRESSION_TYPES.osVersion:
      if (p("Version").trim() !== "" && !isDottedVersion(p("Version"))) badVersion(p("Version"));
      break;
    case EXPRESSION_TYPES.file:
      if (p("Version") !== "" && p("VersionOperator").trim() !== "" && !isDottedVersion(p("Version"))) badVersion(p("Version"));
      break;
    case EXPRESSION_TYPES.wmi: {
      const query = p("Query");
      if (query.length > MAX_WQL_LENGTH) out.push(issue("InvalidWqlQuery", where, `The WMI query has ${query.length} characters (${MAX_WQL_LENGTH} allowed).`, "error"));
      else if (!WQL_STATEMENT.test(query)) out.push(issue("InvalidWqlQuery", where, "The WMI query is not a WQL SELECT … FROM, ASSOCIATORS OF or REFERENCES OF statement.", "error"));
      break;
    }
  }
}

function checkConditionNode(out: ValidationIssue[], where: string, node: ConditionNode): void {
  switch (node.kind) {
    case "operator":
      if (operatorKind(node) === undefined) out.push(issue("UnknownOperator", where, `Unknown operator "${node.operator}".`, "warning"));
      if (node.operands.length === 0) out.push(issue("EmptyOperator", where, `The "${node.operator}" operator has no operands.`, "warning"));
      node.operands.forEach((o) => checkConditionNode(out, where, o));
      break;
    case "expression":
      checkExpression(out, where, node);
      break;
    case "osConditionGroup":
      for (const group of node.groups) group.expressions.forEach((e) => checkExpression(out, where, e));
      break;
  }
}

function checkStep(out: ValidationIssue[], step: Step, where: string): void {
  const info = getStepTypeInfo(step.type);
  if (info === undefined) {
    out.push(issue("UnknownStepType", where, `Unknown step type "${step.type}".`, "warning"));
    return;
  }
  for (const s of info.settings) {
    const raw = settingValue(step, s.property);
    // MDT files keep Run Command Line's command in <action> only.
    const inAction = s.property === "CommandLine" && (step.action ?? "").trim() !== "";
    if (s.required === true && (raw === undefined || raw.trim() === "") && s.default === undefined && !inAction) {
      out.push(issue("MissingSetting", where, `Required setting ${s.property} is missing.`, "error"));
    }
    if (raw !== undefined && !raw.includes("%")) {
      const decoded = decodeSetting(s, raw);
      if (!decoded.ok) out.push(issue("InvalidSetting", where, `Setting ${s.property}: ${decoded.reason}.`, "error"));
    }
  }
  for (const s of info.settings) {
    if (s.kind === "secret" && (settingValue(step, s.property) ?? "") !== "") {
      out.push(issue("ClearTextCredential", where, `Secret setting ${s.property} holds a clear-text value.`, "warning"));
    }
  }
  if (info.type === "SMS_TaskSequence_SetupWindowsAndSMSAction" && step.continueOnError) {
    out.push(issue("ContinueOnErrorIgnored", where, "Continue on error has no effect on Setup Windows and ConfigMgr.", "warning"));
  }
  if (info.type === "SMS_TaskSequence_RunPowerShellScriptAction") {
    const fromPackage = (settingValue(step, "PackageID") ?? "") !== "" || (settingValue(step, "ScriptName") ?? "") !== "";
    const inline = (settingValue(step, "SourceScript") ?? "") !== "";
    if (fromPackage === inline) out.push(issue("InvalidSetting", where, "Give exactly one script source: PackageID and ScriptName, or SourceScript.", "error"));
  }
  if (info.type === "" && (step.action ?? "").trim() === "") out.push(issue("MissingSetting", where, "The command step has no command line.", "error"));
  if (info.type === "SMS_TaskSequence_SetVariableAction") {
    const name = settingValue(step, "VariableName");
    if (name !== undefined && name.trim() !== "" && !name.includes("%")) checkName(out, where, name, { allowRead: false });
  }
  if (info.type === "SMS_TaskSequence_SetDynamicVariablesAction") {
    const rules = settingValue(step, "Rules") ?? "";
    for (const m of rules.matchAll(/<Variable\s+[^>]*Name="([^"]*)"/g)) checkName(out, where, m[1] ?? "", { allowRead: false });
  }
  const codes = settingValue(step, "SuccessCodes");
  if (codes !== undefined && findSetting(info, "SuccessCodes") !== undefined && codes.trim() !== "") {
    const list = codes.trim().split(/\s+/);
    if (!list.every((c) => /^[+-]?\d+$/.test(c))) out.push(issue("InvalidSuccessCodeList", where, "SuccessCodes has a non-integer entry.", "error"));
    else if (list.map(Number).join(" ") !== step.successCodes.join(" ")) out.push(issue("SuccessCodesMismatch", where, "SuccessCodes differs from successCodeList.", "warning"));
  }
}

/** Most retries after an unexpected restart the console editor offers (execution.md §8). */
const MAX_EDITOR_RETRIES = 5;

function checkItem(out: ValidationIssue[], item: Item, path: ItemPath): void {
  const where = formatItemPath(path);
  if (item.name.length === 0) out.push(issue("EmptyName", where, "The name is empty.", "error"));
  else if (item.name.length > 100) out.push(issue("StepNameTooLong", where, `The name has ${item.name.length} characters (100 allowed).`, "error"));
  else if (item.name.length > 50) out.push(issue("StepNameTooLong", where, `The name has ${item.name.length} characters; the console editor allows 50.`, "warning"));
  if (item.description.length > 256) out.push(issue("DescriptionTooLong", where, `The description has ${item.description.length} characters (256 allowed).`, "error"));
  else if (item.description.length > 255) out.push(issue("DescriptionTooLong", where, "The description has 256 characters; the SDK allows 255.", "warning"));
  item.condition?.operands.forEach((o) => checkConditionNode(out, where, o));
  if (item.kind === "step") {
    if (!item.successCodes.every((c) => Number.isInteger(c))) out.push(issue("InvalidSuccessCodeList", where, "A success code is not an integer.", "error"));
    if (item.timeout !== undefined && !isUInt32(item.timeout)) out.push(issue("InvalidTimeout", where, `The timeout (${item.timeout} seconds) is not a whole number from 0 to ${UINT32_MAX}.`, "error"));
    if (!isUInt32(item.retryCount)) out.push(issue("InvalidRetryCount", where, `The retry count (${item.retryCount}) is not a whole number from 0 to ${UINT32_MAX}.`, "error"));
    else if (item.retryCount > MAX_EDITOR_RETRIES) out.push(issue("InvalidRetryCount", where, `The retry count is ${item.retryCount}; the console editor allows up to ${MAX_EDITOR_RETRIES}.`, "warning"));
    checkStep(out, item, where);
  }
}

type Environment = "WinPE" | "FullOS" | undefined;

/** The environment a step leaves the device in, when it restarts it. */
function environmentAfter(step: Step): Environment | "same" {
  switch (step.type) {
    case "SMS_TaskSequence_SetupWindowsAndSMSAction":
      return "FullOS";
    case "SMS_TaskSequence_PrepareOSAction":
      return "WinPE";
    case "SMS_TaskSequence_RebootAction": {
      const target = (settingValue(step, "Target") ?? "").trim().toLowerCase();
      return target === "hd" ? "FullOS" : target === "winpe" ? "WinPE" : undefined;
    }
    default:
      return "same";
  }
}

/**
 * Follows the environment through unconditional restarts in execution order and flags an
 * unconditional step whose `runIn` cannot run where the device then is (steps.md §1.4).
 */
function checkEnvironments(out: ValidationIssue[], items: readonly Item[], prefix: ItemPath, certain: boolean, env: Environment): Environment {
  let current = env;
  items.forEach((item, index) => {
    if (item.disabled) return;
    const path = [...prefix, index];
    const sure = certain && (item.condition?.operands.length ?? 0) === 0;
    if (item.kind === "group") {
      current = checkEnvironments(out, item.children, path, sure, current);
      return;
    }
    const other = item.runIn === "WinPE" ? "FullOS" : item.runIn === "FullOS" ? "WinPE" : undefined;
    if (sure && other !== undefined && current === other) {
      out.push(issue("WrongEnvironment", formatItemPath(path), `The step runs only in ${item.runIn}, but the sequence is in ${other} here.`, "warning"));
    }
    const after = environmentAfter(item);
    if (after !== "same") current = sure && !item.continueOnError ? after : undefined;
  });
  return current;
}

function usedPackages(seq: TaskSequence): Set<string> {
  const used = new Set<string>();
  walk(seq, (item) => {
    if (item.kind !== "step") return;
    for (const v of item.variables) {
      if (/packageid$/i.test(v.property) && /^[A-Z0-9]{3}[0-9A-F]{5}$/i.test(v.value.trim())) used.add(v.value.trim().toUpperCase());
    }
  });
  return used;
}

function checkSequence(seq: TaskSequence): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const globals = new Map<string, string>();
  for (const v of seq.globalVariables) {
    const key = v.name.toLowerCase();
    const previous = globals.get(key);
    if (previous !== undefined) {
      out.push(previous === v.value
        ? issue("DuplicateGlobalVariable", "globalVariables", `Global variable ${v.name} is listed twice with the same value.`, "info")
        : issue("DuplicateGlobalVariable", "globalVariables", `Global variable ${v.name} is listed twice with different values; the last one wins.`, "warning"));
    }
    globals.set(key, v.value);
  }
  const seen = new Set<string>();
  seq.references.forEach((r, i) => {
    const key = `${r.package ?? ""}|${r.program ?? ""}|${r.application ?? ""}`.toUpperCase();
    if (r.package === undefined && r.application === undefined) out.push(issue("ReferenceBroken", `references.${i}`, "A reference names neither a package nor an application.", "error"));
    if (seen.has(key)) out.push(issue("DuplicateReference", `references.${i}`, `Reference ${r.package ?? r.application ?? ""} is listed twice.`, "warning"));
    seen.add(key);
  });
  if (seq.references.length > 0) {
    const listed = new Set(seq.references.flatMap((r) => (r.package === undefined ? [] : [r.package.toUpperCase()])));
    for (const id of usedPackages(seq)) if (!listed.has(id)) out.push(issue("ReferenceMissing", "references", `Package ${id} is used by a step but not in the reference list.`, "warning"));
  }
  walk(seq, (item, path) => {
    checkItem(out, item, path);
  });
  checkEnvironments(out, seq.items, [], true, undefined);
  return out;
}

async function checkChildren(seq: TaskSequence, resolver: TaskSequenceResolver, ancestors: readonly string[], out: ValidationIssue[], prefix: string): Promise<void> {
  const children: { id: string; where: string }[] = [];
  walk(seq, (item, path) => {
    if (item.kind === "step" && item.type === SUB && !item.disabled) {
      const id = (settingValue(item, "TsPackageID") ?? "").trim().toUpperCase();
      if (id !== "") children.push({ id, where: prefix + formatItemPath(path) });
    }
  });
  for (const { id, where } of children) {
    if (ancestors.includes(id)) {
      out.push(issue("ChildCycle", where, `Child task sequence ${id} includes itself (${[...ancestors, id].join(" > ")}).`, "error"));
      continue;
    }
    if (ancestors.length + 1 > MAX_CHILD_DEPTH) {
      out.push(issue("ChildDepthExceeded", where, `Child task sequences nest deeper than ${MAX_CHILD_DEPTH}.`, "error"));
      continue;
    }
    let resolved: ResolvedChildSequence | undefined;
    try {
      resolved = await resolver.resolve(id);
    } catch {
      resolved = undefined;
    }
    if (resolved === undefined) {
      out.push(issue("ChildNotFound", where, `Child task sequence ${id} was not found.`, "error"));
      continue;
    }
    if (resolved.enabled === false || resolved.disabled === true) out.push(issue("ChildDisabled", where, `Child task sequence ${id} is disabled; the deployment fails.`, "error"));
    if (resolved.sequence.package?.bootImageId !== undefined && resolved.sequence.package.bootImageId !== "") {
      out.push(issue("ChildHasBootImage", where, `Child task sequence ${id} references a boot image.`, "error"));
    }
    await checkChildren(resolved.sequence, resolver, [...ancestors, id], out, `${where} > ${id}:`);
  }
}

/**
 * Validates a sequence and returns every issue; it throws only for a value that is not a task
 * sequence at all (`InvalidArgument` naming the place, {@link checkTaskSequenceShape}). With a resolver it also checks
 * Run Task Sequence children (cycles, depth > 16, not found, disabled, boot image) and returns a
 * promise.
 *
 * @example
 * ```ts
 * const issues = validateSequence(seq);
 * const all = await validateSequence(seq, { resolver });
 * issues.filter((i) => i.severity === "error");
 * ```
 */
export function validateSequence(seq: TaskSequence): ValidationIssue[];
export function validateSequence(seq: TaskSequence, options: ValidateOptions & { readonly resolver: TaskSequenceResolver }): Promise<ValidationIssue[]>;
export function validateSequence(seq: TaskSequence, options?: ValidateOptions): ValidationIssue[] | Promise<ValidationIssue[]>;
export function validateSequence(seq: TaskSequence, options: ValidateOptions = {}): ValidationIssue[] | Promise<ValidationIssue[]> {
  checkTaskSequenceShape(seq);
  const out = checkSequence(seq);
  const resolver = options.resolver;
  if (resolver === undefined) return out;
  const root = (seq.package?.packageId ?? "").toUpperCase();
  return checkChildren(seq, resolver, root === "" ? [] : [root], out, "").then(() => out);
}
