import { TaskSeqError } from "@taskseq/model";
import type { PsCommandArg } from "./ast.js";
import { PsCompiler } from "./compiler.js";
import { parsePowerShell, parseScriptArguments } from "./parser.js";
import { powerShellPrelude } from "./prelude.js";

/** Options of {@link compilePowerShell}. */
export interface CompilePowerShellOptions {
  /**
   * The script's command-line arguments, as written in a Run PowerShell Script step's
   * `Parameters` setting (for example `-Mode "Full" -Retries 3`). They bind to the script's
   * `param()` block.
   */
  readonly parameters?: string;
  /** The largest source accepted, in characters (default 1,000,000): compiling is linear in it. */
  readonly maxSourceChars?: number;
}

/** Default of {@link CompilePowerShellOptions.maxSourceChars}. */
export const MAX_POWERSHELL_SOURCE_CHARS = 1_000_000;

/** A compiled PowerShell-style script, ready for the QuickJS sandbox. */
export interface CompiledPowerShell {
  /** The compiled script. Evaluate after {@link CompiledPowerShell.prelude}. */
  readonly js: string;
  /** The runtime library (defines the global `__ps`): its core and the units the script can reach (runtime-units.ts). */
  readonly prelude: string;
}

/**
 * Compiles PowerShell-style source to JavaScript for the QuickJS sandbox. Parsing and compiling
 * are linear in the source size and run in the host; nothing of the script runs here.
 *
 * @throws TaskSeqError `ScriptError` for a syntax error or a source over `maxSourceChars`, and
 *   `ScriptUnsupported` for a construct outside the subset (`Add-Type`, `Start-Process`, classes,
 *   unknown .NET types, ...), both with the line and column.
 * @example
 * ```ts
 * const { js, prelude } = compilePowerShell(`
 *   $tsenv = New-Object -ComObject Microsoft.SMS.TSEnvironment
 *   $serial = (Get-CimInstance Win32_BIOS).SerialNumber
 *   $tsenv.Value("OSDComputerName") = "PC-$serial"
 * `);
 * // evaluate prelude, then js, inside the sandbox
 * ```
 */
export function compilePowerShell(source: string, options: CompilePowerShellOptions = {}): CompiledPowerShell {
  if (typeof source !== "string") throw new TaskSeqError("InvalidArgument", "Script source must be a string.");
  const max = options.maxSourceChars ?? MAX_POWERSHELL_SOURCE_CHARS;
  if (source.length > max) throw new TaskSeqError("ScriptError", `The script has ${source.length} characters; at most ${max} are allowed.`, { details: { length: source.length, max } });
  const script = parsePowerShell(source);
  const args: readonly PsCommandArg[] = options.parameters === undefined ? [] : parseScriptArguments(options.parameters);
  const argsJs = new PsCompiler(options.parameters ?? "").compileArguments(args);
  const compiler = new PsCompiler(source);
  const js = compiler.compileScript(script, argsJs);
  return { js, prelude: powerShellPrelude(compiler.usedUnits) };
}

/**
 * Where statements can be added before a script's own: just after its `param()` block (and the
 * attributes before it, such as `[CmdletBinding()]`), or 0 when it has none, since `param()` must
 * come first. A host that defines functions for the script inserts them there.
 *
 * @throws TaskSeqError `ScriptError` for a syntax error, with the line and column.
 * @example
 * ```ts
 * const at = powerShellBodyStart(source);
 * const withHelpers = `${source.slice(0, at)}; function Get-Answer { 42 }; ${source.slice(at)}`;
 * ```
 */
export function powerShellBodyStart(source: string): number {
  return parsePowerShell(source).block.paramEnd ?? 0;
}
