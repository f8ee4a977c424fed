/**
 * Typed readers of bound parameter values. Each throws `InvalidArgument` naming the cmdlet and
 * the parameter when the value has the wrong shape; none ever echoes the value itself.
 */
import { TaskSeqError } from "@taskseq/model";
import type { Condition, ConditionNode, Item, TaskSequence } from "@taskseq/model";

/** A cmdlet's bound values with the cmdlet name, for error messages. */
export interface ParameterReader {
  /** The cmdlet name. */
  readonly cmdlet: string;
  /** Values by canonical parameter name. */
  readonly values: Readonly<Record<string, unknown>>;
}

function wrong(r: ParameterReader, name: string, expected: string): TaskSeqError {
  return new TaskSeqError("InvalidArgument", `${r.cmdlet}: -${name} must be ${expected}.`, { details: { cmdlet: r.cmdlet, parameter: name } });
}

/** True when the parameter was given. */
export function has(r: ParameterReader, name: string): boolean {
  return r.values[name] !== undefined;
}

/** A text value (numbers and booleans are converted), or `undefined` when not given. */
export function readText(r: ParameterReader, name: string): string | undefined {
  const v = r.values[name];
  if (v === undefined) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw wrong(r, name, "text");
}

/** A mandatory text value (the binder has already checked that it is present). */
export function requireText(r: ParameterReader, name: string): string {
  const v = readText(r, name);
  if (v === undefined) throw wrong(r, name, "given");
  return v;
}

/** An integer (numbers or digit strings), or `undefined`. */
export function readInteger(r: ParameterReader, name: string): number | undefined {
  const v = r.values[name];
  if (v === undefined) return undefined;
  const n = typeof v === "string" && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isSafeInteger(n)) throw wrong(r, name, "an integer");
  return n;
}

/** A boolean (`true`/`false` or their text in any case), or `undefined`. */
export function readBoolean(r: ParameterReader, name: string): boolean | undefined {
  const v = r.values[name];
  if (v === undefined || typeof v === "boolean") return v;
  if (typeof v === "string" && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === "true";
  throw wrong(r, name, "true or false");
}

/** A list (a single value is a list of one). */
export function readList(r: ParameterReader, name: string): readonly unknown[] {
  const v = r.values[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** A list of integers. */
export function readIntegerList(r: ParameterReader, name: string): readonly number[] | undefined {
  if (!has(r, name)) return undefined;
  return readList(r, name).map((v) => {
    const n = typeof v === "string" && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : v;
    if (typeof n !== "number" || !Number.isSafeInteger(n)) throw wrong(r, name, "a list of integers");
    return n;
  });
}

/** A list of text values. */
export function readTextList(r: ParameterReader, name: string): readonly string[] {
  return readList(r, name).map((v) => {
    if (typeof v !== "string") throw wrong(r, name, "a list of text values");
    return v;
  });
}

/** An enumerated value, matched case-insensitively and returned in its canonical spelling. */
export function readChoice<const T extends string>(r: ParameterReader, name: string, choices: readonly T[]): T | undefined {
  const v = readText(r, name);
  if (v === undefined) return undefined;
  const hit = choices.find((c) => c.toLowerCase() === v.toLowerCase());
  if (hit === undefined) throw wrong(r, name, `one of ${choices.join(", ")}`);
  return hit;
}

function isConditionNode(v: unknown): v is ConditionNode {
  if (typeof v !== "object" || v === null) return false;
  const kind = (v as { kind?: unknown }).kind;
  return kind === "expression" || kind === "operator" || kind === "osConditionGroup";
}

/** Condition nodes made by the `New-CMTSStepCondition*` cmdlets (a single node is a list of one). */
export function readConditions(r: ParameterReader, name: string): readonly ConditionNode[] {
  return readList(r, name).map((v) => {
    if (!isConditionNode(v)) throw wrong(r, name, "condition objects from New-CMTSStepCondition* cmdlets");
    return v;
  });
}

/** Conditions as a step or group `<condition>`, or `undefined` when none were given. */
export function readCondition(r: ParameterReader, name: string): Condition | undefined {
  const operands = readConditions(r, name);
  return operands.length === 0 ? undefined : { operands };
}

/** A task sequence object. */
export function readSequence(r: ParameterReader, name: string): TaskSequence {
  const v = r.values[name];
  if (typeof v !== "object" || v === null || (v as { kind?: unknown }).kind !== "sequence") throw wrong(r, name, "a task sequence object");
  return v as TaskSequence;
}

/** Steps or groups (a single item is a list of one). */
export function readItems(r: ParameterReader, name: string): readonly Item[] {
  return readList(r, name).map((v) => {
    const kind = typeof v === "object" && v !== null ? (v as { kind?: unknown }).kind : undefined;
    if (kind !== "step" && kind !== "group") throw wrong(r, name, "step or group objects");
    return v as Item;
  });
}
