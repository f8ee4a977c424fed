/**
 * Condition evaluation (conditions.md): every expression type through the device, `and`/`or`/`not`
 * with short-circuit, several operands = and, and evaluation errors that make the whole
 * condition false (§6).
 */
import type { Device, RegistryValue, RegistryView } from "@taskseq/device";
import { requireCapability } from "@taskseq/device";
import { TaskSeqError, isTaskSeqError, type Condition, type ConditionExpression, type ConditionNode } from "@taskseq/model";
import {
  applyOrdering,
  compareValues,
  compareVersions,
  likeMatch,
  normalizeOsVersion,
  parseDmtf,
  parseOperator,
  parseVersion,
  type ConditionOperatorName,
} from "./compare.js";

/** What a condition is evaluated against. */
export interface ConditionContext {
  /** A variable's value (case-insensitive name), `undefined` when unset. */
  readonly getVariable: (name: string) => string | undefined;
  /** `%VAR%` expansion for file and folder paths. */
  readonly expand: (text: string) => Promise<string>;
  /** The device. */
  readonly device: Device;
  /**
   * Ordinal case-sensitive string comparison (engine option `conditionCaseSensitive`) for the
   * equality and ordering operators of variable and registry conditions; `like` / `notLike` stay
   * case-insensitive (conditions.md §4.2 items 5 and 7).
   */
  readonly caseSensitive?: boolean;
  /**
   * Evaluates expression types the caller defines (the Computer, Make and Model and Location rules
   * of Set Dynamic Variables): a boolean, or `undefined` to leave the expression to the built-in
   * types. Called only for expressions the short-circuit reaches; what it throws is an evaluation error.
   */
  readonly customExpression?: (expr: ConditionExpression) => boolean | undefined;
}

/** The outcome of evaluating a condition. */
export interface ConditionOutcome {
  /** True when the item runs. */
  readonly value: boolean;
  /** The evaluation error that made the condition false, if any. */
  readonly error?: TaskSeqError;
  /** The expression whose evaluation failed ({@link describeExpression}), when the error came from one (not from an unknown operator). */
  readonly failedExpression?: string;
  /** Expression-by-expression trace for the verbose log. */
  readonly trace: readonly string[];
}

const PREFIX = "SMS_TaskSequence_";

function prop(expr: ConditionExpression, name: string): string | undefined {
  return expr.properties.find((p) => p.name.toLowerCase() === name.toLowerCase())?.value;
}

function required(expr: ConditionExpression, name: string): string {
  const v = prop(expr, name);
  if (v === undefined || v.trim() === "") throw new TaskSeqError("ConditionError", `${expr.type} has no ${name}.`);
  return v;
}

/** A short, secret-free description of an expression for logs. */
export function describeExpression(expr: ConditionExpression): string {
  const short = expr.type.startsWith(PREFIX) ? expr.type.slice(PREFIX.length) : expr.type;
  return `${short}(${expr.properties.map((p) => `${p.name}=${p.value}`).join(", ")})`;
}

function truthy(value: string | undefined): boolean {
  return (value ?? "").trim().toLowerCase() === "true";
}

/** `caseSensitive` (the engine option) covers equality and ordering only: `like` is always case-insensitive (§4.2 items 5 and 7, §4.4). */
function compareText(op: ConditionOperatorName, left: string, right: string, caseSensitive: boolean): boolean {
  if (op === "like") return likeMatch(left, right);
  if (op === "notLike") return !likeMatch(left, right);
  const r = applyOrdering(op, compareValues(left, right, caseSensitive));
  if (r === undefined) throw new TaskSeqError("ConditionError", `Operator ${op} cannot compare values.`);
  return r;
}

function variableExpression(expr: ConditionExpression, ctx: ConditionContext): boolean {
  const name = required(expr, "Variable");
  const op = parseOperator(required(expr, "Operator"));
  const value = ctx.getVariable(name) ?? "";
  if (op === "exists") return value !== "";
  if (op === "notExists") return value === "";
  return compareText(op, value, prop(expr, "Value") ?? "", ctx.caseSensitive === true);
}

async function wmiExpression(expr: ConditionExpression, ctx: ConditionContext): Promise<boolean> {
  const wmi = requireCapability(ctx.device, "wmi");
  const rows = await wmi.query(prop(expr, "Namespace") ?? "root\\cimv2", required(expr, "Query"));
  return rows.length > 0;
}

async function osExpression(expr: ConditionExpression, ctx: ConditionContext): Promise<boolean> {
  const facts = await requireCapability(ctx.device, "os").facts();
  const arch = (prop(expr, "Architecture") ?? "").trim().toUpperCase();
  const deviceArch = facts.architecture === "64" ? "X64" : "X86";
  if (arch !== "" && arch !== deviceArch) return false;
  const op = parseOperator(prop(expr, "Operator") ?? "equals");
  const v = facts.version;
  const device = [v.major, v.minor * 10, v.build, v.servicePack];
  const r = applyOrdering(op, compareVersions(device, normalizeOsVersion(required(expr, "Version"))));
  if (r === undefined) throw new TaskSeqError("ConditionError", `Operator ${op} is not valid for an OS version.`);
  return r;
}

function ordering(opText: string | undefined, cmp: () => number): boolean {
  if (opText === undefined || opText.trim() === "") return true;
  const op = parseOperator(opText);
  const r = applyOrdering(op, cmp());
  if (r === undefined) throw new TaskSeqError("ConditionError", `Operator ${op} is not valid here.`);
  return r;
}

async function pathExpression(expr: ConditionExpression, ctx: ConditionContext, kind: "file" | "folder"): Promise<boolean> {
  const files = requireCapability(ctx.device, "files");
  const path = await ctx.expand(required(expr, "Path"));
  const stat = await files.stat(path, { disableWow64Redirection: truthy(ctx.getVariable("SMSTSDisableWow64Redirection")) });
  if (stat === undefined || stat.kind !== kind) return false;
  const versionText = prop(expr, "Version");
  const versionOk =
    kind === "folder" || versionText === undefined || versionText === ""
      ? true
      : ordering(prop(expr, "VersionOperator"), () => {
          if (stat.version === undefined) throw new TaskSeqError("ConditionError", `${path} has no version resource.`);
          return compareVersions(parseVersion(stat.version), parseVersion(versionText));
        });
  const dateText = prop(expr, "DateTime");
  const dateOk =
    dateText === undefined || dateText === ""
      ? true
      : ordering(prop(expr, "DateTimeOperator"), () => Math.sign(Math.floor(stat.modifiedUtc / 1000) * 1000 - parseDmtf(dateText)));
  return versionOk && dateOk;
}

function registryTexts(value: RegistryValue): string[] {
  switch (value.type) {
    case "REG_SZ":
    case "REG_EXPAND_SZ":
      return [value.data];
    case "REG_MULTI_SZ":
      return [...value.data];
    case "REG_DWORD":
      return [String(value.data)];
    case "REG_QWORD":
      return [value.data.toString()];
    default:
      return [[...value.data].map((b) => b.toString(16).toUpperCase().padStart(2, "0")).join("")];
  }
}

/** The `Data` to compare with a value: a `0x…` hex integer is read as one for `REG_DWORD` and `REG_QWORD` only (§4.6 item 3); a string value compares with the text as written. */
function registryData(text: string, type: RegistryValue["type"]): string {
  if (type !== "REG_DWORD" && type !== "REG_QWORD") return text;
  const t = text.trim();
  return /^0x[0-9a-f]+$/i.test(t) ? BigInt(t).toString() : text;
}

async function registryExpression(expr: ConditionExpression, ctx: ConditionContext): Promise<boolean> {
  const registry = requireCapability(ctx.device, "registry");
  const keyPath = required(expr, "KeyPath");
  const name = prop(expr, "Value") ?? "";
  const op = parseOperator(required(expr, "Operator"));
  const view: RegistryView = truthy(ctx.getVariable("SMSTSDisableWow64Redirection")) ? "64" : "32";
  if (op === "exists" || op === "notExists") {
    let found: boolean;
    if (name === "") {
      found = await registry.keyExists(keyPath, view);
    } else {
      const value = await registry.readValue(keyPath, name, view);
      const type = (prop(expr, "Type") ?? "").trim().toUpperCase();
      found = value !== undefined && (type === "" || value.type === type);
    }
    return op === "exists" ? found : !found;
  }
  const value = await registry.readValue(keyPath, name, view);
  if (value === undefined) return false;
  const texts = registryTexts(value);
  const data = registryData(prop(expr, "Data") ?? "", value.type);
  const cs = ctx.caseSensitive === true;
  if (op === "equals" || op === "like") return texts.some((t) => compareText(op, t, data, cs));
  if (op === "notEquals" || op === "notLike") return texts.every((t) => compareText(op, t, data, cs));
  return compareText(op, texts[0] ?? "", data, cs);
}

const guid = (s: string | undefined): string => (s ?? "").trim().replace(/^\{|\}$/g, "").toUpperCase();

async function softwareExpression(expr: ConditionExpression, ctx: ConditionContext): Promise<boolean> {
  const op = parseOperator(required(expr, "Operator"));
  const productCode = guid(prop(expr, "ProductCode"));
  const upgradeCode = guid(prop(expr, "UpgradeCode"));
  if (productCode === "" && upgradeCode === "") {
    throw new TaskSeqError("ConditionError", "An installed software condition needs a product code or an upgrade code.");
  }
  const products = await requireCapability(ctx.device, "os").installedProducts();
  if (op === "ThisVersion") return products.some((p) => guid(p.productCode) === productCode);
  if (op === "AnyVersion") {
    return products.some((p) => (upgradeCode !== "" ? guid(p.upgradeCode) === upgradeCode : guid(p.productCode) === productCode));
  }
  throw new TaskSeqError("ConditionError", `Operator ${op} is not valid for installed software.`);
}

async function expression(expr: ConditionExpression, ctx: ConditionContext): Promise<boolean> {
  const custom = ctx.customExpression?.(expr);
  if (custom !== undefined) return custom;
  switch (expr.type) {
    case "SMS_TaskSequence_VariableConditionExpression":
      return variableExpression(expr, ctx);
    case "SMS_TaskSequence_WMIConditionExpression":
      return wmiExpression(expr, ctx);
    case "SMS_TaskSequence_OSConditionExpression":
      return osExpression(expr, ctx);
    case "SMS_TaskSequence_FileConditionExpression":
      return pathExpression(expr, ctx, "file");
    case "SMS_TaskSequence_FolderConditionExpression":
      return pathExpression(expr, ctx, "folder");
    case "SMS_TaskSequence_RegistryConditionExpression":
      return registryExpression(expr, ctx);
    case "SMS_TaskSequence_SoftwareConditionExpression":
      return softwareExpression(expr, ctx);
    default:
      throw new TaskSeqError("ConditionError", `Unknown condition expression type "${expr.type}".`);
  }
}

/** What an expression threw, with the expression (unwrapped by {@link evaluateCondition}). */
class ExpressionFailure extends Error {
  constructor(
    readonly expr: ConditionExpression,
    override readonly cause: unknown,
  ) {
    super("An expression could not be evaluated.");
  }
}

async function every(nodes: readonly ConditionNode[], ctx: ConditionContext, trace: string[]): Promise<boolean> {
  for (const [i, node] of nodes.entries()) {
    if (!(await evaluateNode(node, ctx, trace))) {
      if (i + 1 < nodes.length) trace.push(`${nodes.length - i - 1} operand(s) not evaluated (and is false)`);
      return false;
    }
  }
  return true;
}

async function some(nodes: readonly ConditionNode[], ctx: ConditionContext, trace: string[]): Promise<boolean> {
  for (const [i, node] of nodes.entries()) {
    if (await evaluateNode(node, ctx, trace)) {
      if (i + 1 < nodes.length) trace.push(`${nodes.length - i - 1} operand(s) not evaluated (an operand is true)`);
      return true;
    }
  }
  return false;
}

async function evaluateNode(node: ConditionNode, ctx: ConditionContext, trace: string[]): Promise<boolean> {
  switch (node.kind) {
    case "expression": {
      let value: boolean;
      try {
        value = await expression(node, ctx);
      } catch (cause) {
        throw new ExpressionFailure(node, cause);
      }
      trace.push(`${describeExpression(node)} = ${value}`);
      return value;
    }
    case "operator": {
      const type = node.operator.trim().toLowerCase();
      if (type === "and") return every(node.operands, ctx, trace);
      if (type === "or") return some(node.operands, ctx, trace);
      if (type === "not") return !(await some(node.operands, ctx, trace));
      throw new TaskSeqError("ConditionError", `Unknown condition operator type "${node.operator}".`);
    }
    case "osConditionGroup":
      for (const group of node.groups) {
        if (await every(group.expressions, ctx, trace)) {
          trace.push(`OS platform "${group.name}" matches`);
          return true;
        }
      }
      return false;
  }
}

/**
 * Evaluates a condition. An evaluation error (unknown type or operator, an adapter rejecting a
 * query, a missing capability, a bad version) makes the whole condition false and is returned.
 *
 * @example
 * ```ts
 * const { value, error } = await evaluateCondition(step.condition, { getVariable, expand, device });
 * ```
 */
export async function evaluateCondition(condition: Condition | undefined, ctx: ConditionContext): Promise<ConditionOutcome> {
  const trace: string[] = [];
  if (condition === undefined) return { value: true, trace };
  try {
    return { value: await every(condition.operands, ctx, trace), trace };
  } catch (thrown) {
    const failed = thrown instanceof ExpressionFailure ? thrown : undefined;
    const cause = failed === undefined ? thrown : failed.cause;
    const error = isTaskSeqError(cause) ? cause : new TaskSeqError("ConditionError", "The condition could not be evaluated.", { cause });
    return failed === undefined ? { value: false, error, trace } : { value: false, error, failedExpression: describeExpression(failed.expr), trace };
  }
}

const variablesOnly = new WeakMap<Condition, boolean>();

/** Whether a condition reads only task sequence variables (no device query, so it never waits on the device). Internal. */
export function readsOnlyVariables(condition: Condition): boolean {
  const only = (nodes: readonly ConditionNode[]): boolean =>
    nodes.every((n) => (n.kind === "expression" ? n.type === "SMS_TaskSequence_VariableConditionExpression" : n.kind === "operator" && only(n.operands)));
  let hit = variablesOnly.get(condition);
  if (hit === undefined) variablesOnly.set(condition, (hit = only(condition.operands)));
  return hit;
}
