/**
 * `runScript`: one call that runs a JavaScript or PowerShell-style script in a shared sandbox.
 */
import type { Result } from "@taskseq/model";
import { compilePowerShellForSandbox } from "./powershell/index.js";
import { createScriptRunner } from "./script-runner.js";
import type { ScriptRunner, ScriptRunRequest, ScriptRunResult } from "./script-runner.js";

let shared: ScriptRunner | undefined;

/**
 * Runs a script in the process-wide default runner (release-sync QuickJS, 128 MiB memory ceiling,
 * the PowerShell-style compiler of this package). Create your own runner with
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
  shared ??= createScriptRunner({ compilePowerShell: compilePowerShellForSandbox });
  return shared.run(request);
}
