/**
 * `runScript`: one call that runs a JavaScript or PowerShell-style script in a shared sandbox.
 */
import { TaskSeqError, isTaskSeqError } from "@taskseq/model";
import type { Result } from "@taskseq/model";
import { POWERSHELL_PRELUDE, compilePowerShell } from "./powershell/index.js";
import { createScriptRunner } from "./script-runner.js";
import type { CompiledScript, ScriptRunner, ScriptRunRequest, ScriptRunResult } from "./script-runner.js";

let shared: ScriptRunner | undefined;

/**
 * Runs a script in the process-wide default runner (release-sync QuickJS, 128 MiB memory ceiling,
 * the PowerShell-style compiler of this package). Prefer it to a runner per step: the runner's
 * WebAssembly module is reused across runs, and creating one costs as much as many runs. Create your own runner with
 * {@link createScriptRunner} to choose the variant, the ceiling or the compiler, or to dispose it.
 *
 * @param request - language, source, parameters, environment, device, limits and event callback
 * @returns the exit code, output, changed variables, log lines and events, or a typed error
 * @example
 * ```ts
 * const { env } = createEnvironment();
 * const r = await runScript({ language: "powershell", environment: env, source: `
 *   $tsenv = New-Object -ComObject Microsoft.SMS.TSEnvironment
 *   $tsenv.Value("OSDComputerName") = "PC01"
 * ` });
 * if (r.error) console.log(r.error.code);
 * ```
 */
export function runScript(request: ScriptRunRequest): Promise<Result<ScriptRunResult>> {
  shared ??= createScriptRunner({ compilePowerShell: compilePowerShellForRunner });
  return shared.run(request);
}

/**
 * The package's PowerShell-style compiler in the shape {@link createScriptRunner} takes: the
 * compiled script and the whole runtime library ({@link POWERSHELL_PRELUDE}: one library for every
 * script, so the runner compiles it once into a saved sandbox image instead of per run), with
 * `request.arguments` bound to the script's `param()` block.
 *
 * @param source - the PowerShell-style source
 * @param args - the argument text, if any
 * @example
 * ```ts
 * using runner = createScriptRunner({ compilePowerShell: compilePowerShellForRunner });
 * await runner.run({ language: "powershell", source: "param($Mode) Write-Output $Mode", arguments: "-Mode Full" });
 * ```
 */
export function compilePowerShellForRunner(source: string, args: string | undefined): Result<CompiledScript> {
  try {
    const { js } = compilePowerShell(source, args === undefined || args.trim() === "" ? {} : { parameters: args });
    return { value: { prelude: POWERSHELL_PRELUDE, js } };
  } catch (error) {
    return { error: isTaskSeqError(error) ? error : new TaskSeqError("ScriptError", "The PowerShell-style compiler failed.", { cause: error }) };
  }
}
