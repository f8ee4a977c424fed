/**
 * Static facts about conditions, true on every device: contradictions (`X equals A` and
 * `X equals B`), tautologies (`X exists` or `X notExists`), impossible built-in values, and
 * variables whose value an earlier unconditional step fixed.
 */
import { evaluateCondition } from "@taskseq/engine";
import { getExpressionProperty, operatorKind, type Condition, type ConditionExpression, type ConditionNode } from "@taskseq/model";

/** A condition's value on every device: `true`, `false` or `undefined` (depends). */
export type StaticValue = boolean | undefined;

/** Values an earlier unconditional step fixed, by upper-cased name. */
export type FixedValues = ReadonlyMap<string, string>;

const VARIABLE = "SMS_TaskSequence_VariableConditionExpression";
const BOOLEAN_BUILTINS: ReadonlySet<string> = new Set(["_SMSTSINWINPE", "_SMSTSLASTACTIONSUCCEEDED", "_SMSTSBOOTUEFI", "_SMSTSUSERSTARTED"]);

interface Atom {
  readonly variable: string;
  readonly op: string;
  readonly value: string;
}

function atom(node: ConditionNode): Atom | undefined {
  if (node.kind !== "expression" || node.type !== VARIABLE) return undefined;
  const variable = (getExpressionProperty(node, "Variable") ?? "").trim().toUpperCase();
  const op = (getExpressionProperty(node, "Operator") ?? "").trim().toLowerCase();
  return variable === "" ? undefined : { variable, op, value: (getExpressionProperty(node, "Value") ?? "").toUpperCase() };
}

/** True when `a` and `b` can never both hold. */
function contradict(a: Atom, b: Atom): boolean {
  if (a.variable !== b.variable) return false;
  const pair = (x: string, y: string): boolean => (a.op === x && b.op === y) || (a.op === y && b.op === x);
  if (pair("exists", "notexists")) return true;
  if (a.op === "equals" && b.op === "equals") return a.value !== b.value && !(/^[+-]?\d+$/.test(a.value) && /^[+-]?\d+$/.test(b.value) && BigInt(a.value) === BigInt(b.value));
  if (pair("equals", "notequals")) return a.value === b.value;
  const eq = a.op === "equals" ? a : b.op === "equals" ? b : undefined;
  const other = eq === a ? b : a;
  if (eq !== undefined && other.op === "notexists") return eq.value !== "";
  if (eq !== undefined && other.op === "exists") return eq.value === "";
  return false;
}

/** True when at least one of `a`, `b` always holds (the negations contradict). */
function complement(a: Atom, b: Atom): boolean {
  if (a.variable !== b.variable) return false;
  const pair = (x: string, y: string): boolean => (a.op === x && b.op === y) || (a.op === y && b.op === x);
  return pair("exists", "notexists") || (pair("equals", "notequals") && a.value === b.value);
}

function pairs<T>(list: readonly T[], test: (a: T, b: T) => boolean): boolean {
  return list.some((a, i) => list.slice(i + 1).some((b) => test(a, b)));
}

async function leaf(expr: ConditionExpression, fixed: FixedValues): Promise<StaticValue> {
  const a = atom(expr);
  if (a === undefined) return undefined;
  if (BOOLEAN_BUILTINS.has(a.variable) && (a.op === "equals" || a.op === "notequals") && a.value !== "TRUE" && a.value !== "FALSE") return a.op === "notequals";
  const value = fixed.get(a.variable);
  if (value === undefined) return undefined;
  const r = await evaluateCondition({ operands: [expr] }, { getVariable: () => value, expand: (t) => Promise.resolve(t), device: {} });
  return r.error === undefined ? r.value : undefined;
}

async function node(n: ConditionNode, fixed: FixedValues): Promise<StaticValue> {
  if (n.kind === "expression") return leaf(n, fixed);
  if (n.kind === "osConditionGroup") return undefined;
  const kind = operatorKind(n);
  if (kind === undefined) return undefined;
  if (kind === "and") return all(n.operands, fixed);
  const any = await some(n.operands, fixed);
  return kind === "or" ? any : any === undefined ? undefined : !any;
}

async function all(nodes: readonly ConditionNode[], fixed: FixedValues): Promise<StaticValue> {
  const atoms = nodes.map(atom).filter((a): a is Atom => a !== undefined);
  if (pairs(atoms, contradict)) return false;
  let unknown = false;
  for (const n of nodes) {
    const v = await node(n, fixed);
    if (v === false) return false;
    if (v === undefined) unknown = true;
  }
  return unknown ? undefined : true;
}

async function some(nodes: readonly ConditionNode[], fixed: FixedValues): Promise<StaticValue> {
  const atoms = nodes.map(atom).filter((a): a is Atom => a !== undefined);
  if (pairs(atoms, complement)) return true;
  let unknown = false;
  for (const n of nodes) {
    const v = await node(n, fixed);
    if (v === true) return true;
    if (v === undefined) unknown = true;
  }
  return unknown ? undefined : false;
}

/**
 * The value a condition has on every device, or `undefined` when it depends. Empty operands
 * follow conditions.md §2.2 (`and`/`not` true, `or` false); an empty condition is not reported.
 *
 * @example
 * ```ts
 * await staticConditionValue(createCondition(variableCondition("_SMSTSInWinPE", "equals", "yes")), new Map()); // false
 * ```
 */
export async function staticConditionValue(condition: Condition, fixed: FixedValues): Promise<StaticValue> {
  if (condition.operands.length === 0) return undefined;
  return all(condition.operands, fixed);
}
