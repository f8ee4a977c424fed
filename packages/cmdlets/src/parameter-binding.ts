/**
 * Cmdlet parameter metadata and the binder every cmdlet goes through: names and aliases
 * (case-insensitive, unique prefixes as in PowerShell), switch versus value parameters, parameter
 * sets and mandatory parameters. Every binding failure is a `TaskSeqError` `InvalidArgument` that
 * names the parameters involved.
 */
import { TaskSeqError } from "@taskseq/model";

/** How a parameter takes its value: a switch (`-Disable`) or a value (`-Name "x"`). */
export type ParameterKind = "switch" | "value";

/** One parameter of a cmdlet. */
export interface CmdletParameter {
  /** The canonical name, spelled as ConfigMgr documents it (`ConditionVariableName`). */
  readonly name: string;
  /** Other accepted names (`TaskSequenceDescription` for `Description`). */
  readonly aliases: readonly string[];
  /** Switch or value. */
  readonly kind: ParameterKind;
  /** The parameter sets that accept it; empty means every set of the cmdlet. */
  readonly sets: readonly string[];
  /** The sets in which it is mandatory. */
  readonly mandatoryIn: readonly string[];
}

/** Parameter metadata of one cmdlet, as the shell and help screens need it. */
export interface CmdletSignature {
  /** The real cmdlet name (`New-CMTaskSequence`). */
  readonly name: string;
  /** The parameter sets, default first. */
  readonly parameterSets: readonly string[];
  /** Every parameter. */
  readonly parameters: readonly CmdletParameter[];
}

/** The parameters a cmdlet was called with, canonical names as keys, and the chosen set. */
export interface BoundParameters {
  /** The parameter set the call resolved to. */
  readonly parameterSet: string;
  /** Values by canonical parameter name; switches are `true`/`false`. */
  readonly values: Readonly<Record<string, unknown>>;
}

/** Shorthand options when declaring a parameter. */
export interface ParameterOptions {
  /** Other accepted names. */
  readonly aliases?: readonly string[];
  /** Sets that accept it (default: all). */
  readonly sets?: readonly string[];
  /** Mandatory in these sets; `true` means in every set that accepts it. */
  readonly mandatory?: boolean | readonly string[];
}

/**
 * Declares a value parameter.
 *
 * @example
 * ```ts
 * valueParameter("Name", { mandatory: true });
 * ```
 */
export function valueParameter(name: string, options: ParameterOptions = {}): CmdletParameter {
  return declare(name, "value", options);
}

/**
 * Declares a switch parameter.
 *
 * @example
 * ```ts
 * switchParameter("CustomTaskSequence", { sets: ["NewCustom"], aliases: ["CustomOption"] });
 * ```
 */
export function switchParameter(name: string, options: ParameterOptions = {}): CmdletParameter {
  return declare(name, "switch", options);
}

function declare(name: string, kind: ParameterKind, options: ParameterOptions): CmdletParameter {
  const sets = options.sets ?? [];
  const mandatory = options.mandatory ?? false;
  return {
    name,
    aliases: options.aliases ?? [],
    kind,
    sets,
    mandatoryIn: mandatory === true ? (sets.length > 0 ? sets : ["*"]) : mandatory === false ? [] : mandatory,
  };
}

function resolveName(signature: CmdletSignature, given: string): CmdletParameter {
  const key = given.replace(/^-/, "").toLowerCase();
  const names = (p: CmdletParameter): string[] => [p.name, ...p.aliases].map((n) => n.toLowerCase());
  const exact = signature.parameters.find((p) => names(p).includes(key));
  if (exact !== undefined) return exact;
  const hits = signature.parameters.filter((p) => names(p).some((n) => n.startsWith(key)));
  if (hits.length === 1 && key !== "" && hits[0] !== undefined) return hits[0];
  const problem = hits.length > 1 ? `is ambiguous (${hits.map((p) => p.name).join(", ")})` : "does not exist";
  throw new TaskSeqError("InvalidArgument", `${signature.name}: parameter -${given} ${problem}.`, { details: { cmdlet: signature.name, parameter: given } });
}

const inSet = (p: CmdletParameter, set: string): boolean => p.sets.length === 0 || p.sets.includes(set);
const mandatoryIn = (p: CmdletParameter, set: string): boolean => inSet(p, set) && (p.mandatoryIn.includes("*") || p.mandatoryIn.includes(set));

function checkValue(signature: CmdletSignature, p: CmdletParameter, value: unknown): unknown {
  if (p.kind !== "switch") return value;
  if (typeof value !== "boolean") throw new TaskSeqError("InvalidArgument", `${signature.name}: -${p.name} is a switch (true or false).`, { details: { cmdlet: signature.name, parameter: p.name } });
  return value;
}

/**
 * Binds named arguments to a cmdlet's parameters and resolves its parameter set: the sets that
 * accept every given parameter; among several, the one whose mandatory parameters are all given,
 * else the default (first) set. Unknown or ambiguous names, a parameter given twice (by name and
 * alias), parameters of different sets, a non-boolean switch and missing mandatory parameters
 * throw `InvalidArgument` naming them. `undefined` values count as not given.
 *
 * @example
 * ```ts
 * bindParameters(cmdletsByName["New-CMTaskSequence"], { CustomOption: true, Name: "Custom" }).parameterSet; // "NewCustom"
 * ```
 */
export function bindParameters(signature: CmdletSignature, args: Readonly<Record<string, unknown>>): BoundParameters {
  if (typeof args !== "object" || args === null) throw new TaskSeqError("InvalidArgument", `${signature.name}: parameters must be an object.`);
  const values: Record<string, unknown> = {};
  const given: CmdletParameter[] = [];
  for (const [key, value] of Object.entries(args)) {
    if (value === undefined) continue;
    const p = resolveName(signature, key);
    if (p.name in values) throw new TaskSeqError("InvalidArgument", `${signature.name}: parameter -${p.name} is given more than once.`, { details: { cmdlet: signature.name, parameter: p.name } });
    values[p.name] = checkValue(signature, p, value);
    given.push(p);
  }
  const candidates = signature.parameterSets.filter((set) => given.every((p) => inSet(p, set)));
  if (candidates.length === 0) {
    const restricted = given.filter((p) => p.sets.length > 0).map((p) => `-${p.name}`);
    throw new TaskSeqError("InvalidArgument", `${signature.name}: parameters ${restricted.join(", ")} belong to different parameter sets.`, {
      details: { cmdlet: signature.name, parameters: restricted },
    });
  }
  const complete = candidates.filter((set) => signature.parameters.every((p) => !mandatoryIn(p, set) || p.name in values));
  const defaultSet = signature.parameterSets[0];
  const pick = (list: readonly string[]): string | undefined => (list.length === 1 ? list[0] : list.find((s) => s === defaultSet));
  const parameterSet = pick(complete) ?? pick(candidates) ?? complete[0] ?? candidates[0] ?? "";
  const missing = signature.parameters.filter((p) => mandatoryIn(p, parameterSet) && !(p.name in values)).map((p) => `-${p.name}`);
  if (missing.length > 0) {
    throw new TaskSeqError("InvalidArgument", `${signature.name}: missing mandatory parameters ${missing.join(", ")} (parameter set ${parameterSet}).`, {
      details: { cmdlet: signature.name, parameters: missing, parameterSet },
    });
  }
  return { parameterSet, values };
}
