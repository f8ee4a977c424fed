/**
 * A cmdlet: its signature (real name, parameter sets, parameters) and its implementation, bound
 * through {@link bindParameters} so the TypeScript functions and the shell behave the same.
 */
import type { CmdletParameter, CmdletSignature } from "./parameter-binding.js";
import { bindParameters } from "./parameter-binding.js";
import type { ParameterReader } from "./parameter-values.js";

/** Host services for the cmdlets that read or write files (`Import-` / `Export-CMTaskSequence`). */
export interface CmdletContext {
  /** Reads a file (the shell passes the local file system; portable callers pass their own). */
  readonly readFile?: (path: string) => Uint8Array;
  /** Writes a file. */
  readonly writeFile?: (path: string, data: Uint8Array) => void;
}

/** A bound call: the values, the chosen parameter set and the host services. */
export interface CmdletCall extends ParameterReader {
  /** The parameter set the call resolved to. */
  readonly parameterSet: string;
  /** Host services. */
  readonly context: CmdletContext;
}

/** One entry of {@link cmdletsByName}: the metadata and a generic invoker. */
export interface CmdletEntry extends CmdletSignature {
  /** The TypeScript function's name (`newCMTaskSequence`). */
  readonly functionName: string;
  /** Binds `args` (parameter names or aliases as keys) and runs the cmdlet. */
  readonly invoke: (args: Readonly<Record<string, unknown>>, context?: CmdletContext) => unknown;
}

/** A defined cmdlet: its table entry and its typed implementation. */
export interface DefinedCmdlet<R> {
  /** The table entry. */
  readonly entry: CmdletEntry;
  /** Binds and runs. */
  readonly call: (args: Readonly<Record<string, unknown>>, context?: CmdletContext) => R;
}

/** `New-CMTaskSequence` → `newCMTaskSequence`. */
export function functionNameOf(cmdlet: string): string {
  const [verb = "", noun = ""] = cmdlet.split("-");
  return verb.toLowerCase() + noun;
}

/**
 * Defines a cmdlet from its name, parameter sets (default first), parameters and implementation.
 *
 * @example
 * ```ts
 * const hello = defineCmdlet("Get-Hello", ["Default"], [valueParameter("Name", { mandatory: true })], (c) => `hi ${readText(c, "Name")}`);
 * ```
 */
export function defineCmdlet<R>(
  name: string,
  parameterSets: readonly string[],
  parameters: readonly CmdletParameter[],
  run: (call: CmdletCall) => R,
): DefinedCmdlet<R> {
  const signature: CmdletSignature = { name, parameterSets, parameters };
  const call = (args: Readonly<Record<string, unknown>>, context: CmdletContext = {}): R => {
    const bound = bindParameters(signature, args);
    return run({ cmdlet: name, values: bound.values, parameterSet: bound.parameterSet, context });
  };
  return { entry: { ...signature, functionName: functionNameOf(name), invoke: call }, call };
}
