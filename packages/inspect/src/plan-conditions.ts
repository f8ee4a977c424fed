/**
 * Side-effect-free, three-valued condition evaluation for plans: each expression is evaluated by
 * the engine's own evaluator against the device, unless it reads a value that is only known at
 * run time, in which case the result is "unknown" and the value is named.
 */
import type { Device } from "@taskseq/device";
import { evaluateCondition, type ConditionContext } from "@taskseq/engine";
import { describeCondition, type Condition, type ConditionExpression, type ConditionNode } from "@taskseq/model";
import { conditionReads } from "./variable-usage.js";

/** The plan-time result of one condition expression. */
export interface PlannedCheck {
  /** The expression in readable form with the value it saw: `_SMSTSInWinPE equals "true" — actual "false"`. */
  readonly text: string;
  /** `true`, `false`, `unknown` (depends on run time) or `error` (an evaluation error: the item is skipped). */
  readonly result: "true" | "false" | "unknown" | "error";
  /** Values only known at run time that decide this expression, e.g. `OSDDiskIndex (set by "Set Disk")`. */
  readonly runtimeValues?: readonly string[];
}

/** What the planner knows about variables at one point of the sequence. */
export interface PlanKnowledge {
  /** A variable's value when known at plan time (`undefined` = unset); case-insensitive names. */
  readonly get: (name: string) => string | undefined;
  /** Why a variable's value is only known at run time (`set by "Step"`), or `undefined`. */
  readonly runtime: (name: string) => string | undefined;
  /** True when the variable is secret (its value is never shown). */
  readonly secret: (name: string) => boolean;
}

/** The outcome of a condition at plan time. */
export interface PlannedCondition {
  /** `true` runs, `false` skips, `unknown` depends on run time, `error` skips (evaluation error). */
  readonly result: "true" | "false" | "unknown" | "error";
  /** Expression by expression, in document order (operands a short circuit skips are not listed). */
  readonly checks: readonly PlannedCheck[];
  /** The evaluation error message, when `result` is `error`. */
  readonly error?: string;
}

type Tri = boolean | "unknown" | "error";

const VARIABLE = "SMS_TaskSequence_VariableConditionExpression";

function shown(name: string, k: PlanKnowledge): string {
  const v = k.get(name);
  if (v === undefined || v === "") return "(unset)";
  return k.secret(name) ? `"********"` : `"${v}"`;
}

interface Walk {
  readonly k: PlanKnowledge;
  readonly ctx: ConditionContext;
  readonly checks: PlannedCheck[];
  error?: string;
}

async function expression(expr: ConditionExpression, w: Walk): Promise<Tri> {
  const text = describeCondition(expr);
  const names = conditionReads({ operands: [expr] }).map((r) => r.name);
  const pending = names.flatMap((n) => {
    const why = w.k.runtime(n);
    return why === undefined ? [] : [`${n} (${why})`];
  });
  if (pending.length > 0) {
    w.checks.push({ text: `${text} — known only at run time: ${pending.join(", ")}`, result: "unknown", runtimeValues: pending });
    return "unknown";
  }
  const outcome = await evaluateCondition({ operands: [expr] }, w.ctx);
  const actual = expr.type === VARIABLE ? ` — actual ${shown(names[0] ?? "", w.k)}` : " — on this device";
  if (outcome.error !== undefined) {
    w.error = outcome.error.message;
    w.checks.push({ text: `${text} — evaluation error: ${outcome.error.message}`, result: "error" });
    return "error";
  }
  w.checks.push({ text: `${text}${actual}`, result: outcome.value ? "true" : "false" });
  return outcome.value;
}

/** `and` when `stopOn` is false, `or` when it is true (the engine's short-circuit order). */
async function combine(nodes: readonly ConditionNode[], w: Walk, stopOn: boolean): Promise<Tri> {
  let unknown = false;
  for (const node of nodes) {
    const r = await evaluate(node, w);
    if (r === stopOn) return stopOn;
    // An error skips the item whenever it is reached; under `and` it is reached unless an
    // earlier operand is false, which skips the item too.
    if (r === "error") return unknown && stopOn ? "unknown" : "error";
    if (r === "unknown") unknown = true;
  }
  return unknown ? "unknown" : !stopOn;
}

async function evaluate(node: ConditionNode, w: Walk): Promise<Tri> {
  if (node.kind === "expression") return expression(node, w);
  if (node.kind === "osConditionGroup") {
    let unknown = false;
    for (const g of node.groups) {
      const r = await combine(g.expressions, w, false);
      if (r === true) return true;
      if (r === "error") return unknown ? "unknown" : "error";
      if (r === "unknown") unknown = true;
    }
    return unknown ? "unknown" : false;
  }
  const type = node.operator.trim().toLowerCase();
  if (type === "and") return combine(node.operands, w, false);
  const any = type === "or" || type === "not" ? await combine(node.operands, w, true) : "error";
  if (any === "error" && type !== "or" && type !== "not") w.error = `Unknown condition operator type "${node.operator}".`;
  return type === "not" && typeof any === "boolean" ? !any : any;
}

/** Options of {@link planCondition}. */
export interface PlanConditionOptions {
  /** Ordinal case-sensitive string comparison (engine option `conditionCaseSensitive`). */
  readonly caseSensitive?: boolean;
  /** The device's process environment, for `%windir%`-style references in file and folder paths. */
  readonly processEnvironment?: Readonly<Record<string, string>>;
}

function processValue(env: Readonly<Record<string, string>> | undefined, name: string): string | undefined {
  if (env === undefined) return undefined;
  const key = name.toLowerCase();
  return Object.entries(env).find(([n]) => n.toLowerCase() === key)?.[1];
}

/**
 * Evaluates a condition at plan time without side effects (no step handler runs; the device is
 * only queried).
 */
export async function planCondition(condition: Condition | undefined, device: Device, k: PlanKnowledge, options: PlanConditionOptions = {}): Promise<PlannedCondition> {
  if (condition === undefined || condition.operands.length === 0) return { result: "true", checks: [] };
  const ctx: ConditionContext = {
    getVariable: k.get,
    expand: (text) => Promise.resolve(text.replace(/%([^%\s]+)%/g, (m, n: string) => k.get(n) ?? processValue(options.processEnvironment, n) ?? m)),
    device,
    ...(options.caseSensitive === undefined ? {} : { caseSensitive: options.caseSensitive }),
  };
  const w: Walk = { k, ctx, checks: [] };
  const r = await combine(condition.operands, w, false);
  const result = r === true ? "true" : r === false ? "false" : r;
  return { result, checks: w.checks, ...(result === "error" && w.error !== undefined ? { error: w.error } : {}) };
}
