/**
 * Running step scripts in the QuickJS sandbox of `@taskseq/script` (spec/steps.md §5 behaviour 5):
 * JavaScript as is, the PowerShell-style subset compiled with the step's `Parameters` bound to
 * the script's `param()` block. Task sequence variables are reached through `TSEnvironment`; WMI
 * through a prefetched view of the classes the script names (script-device.ts).
 */
import type { StepHandlerContext, StepHandlerResult } from "@taskseq/engine";
import { TaskSeqError } from "@taskseq/model";
import { runScript, type ScriptLanguage, type ScriptOutputRecord } from "@taskseq/script";
import { checkOutputVariable, OUTPUT_VARIABLE_LIMIT } from "./command.js";
import { prefetchScriptDevice } from "./script-device.js";
import type { BuiltinHandlerOptions } from "./script-options.js";

/** A script to run in the sandbox. */
export interface SandboxScript {
  /** `javascript` or `powershell`. */
  readonly language: ScriptLanguage;
  /** The source text. */
  readonly source: string;
  /** PowerShell: the argument text (`-Name value …`); JavaScript: named string parameters. */
  readonly parameters?: string | Readonly<Record<string, string>>;
  /** Variable that receives the last 1000 characters of output. */
  readonly outputVariable?: string;
}

/**
 * Runs a script in the handlers' runner (one for every step; PowerShell `Parameters` are the run's
 * `arguments`) and maps the outcome to a step result: the script's exit code; an uncaught
 * terminating error returns `1` (as `powershell.exe -File` does); `ScriptUnsupported` is return
 * code `50`; a timeout is `StepTimeout` (1460). The output variable is written whether or not the
 * script succeeds (spec/steps.md §4 rule 7, §5 rule 9): on a failure, with what it wrote before.
 */
export async function runSandboxScript(ctx: StepHandlerContext, script: SandboxScript, options: BuiltinHandlerOptions): Promise<StepHandlerResult> {
  if (script.outputVariable) checkOutputVariable(script.outputVariable);
  const timeout = ctx.step.timeout;
  const device = await prefetchScriptDevice(ctx, script.source);
  const run = options.scriptRunner === undefined ? runScript : options.scriptRunner.run.bind(options.scriptRunner);
  const result = await run({
    language: script.language,
    source: script.source,
    environment: ctx.env,
    device,
    signal: ctx.signal,
    ...(typeof script.parameters === "object" ? { parameters: script.parameters } : {}),
    ...(typeof script.parameters === "string" && script.parameters.trim() !== "" ? { arguments: script.parameters } : {}),
    ...(timeout === undefined ? {} : { limits: { timeMs: timeout * 1000 } }),
  });
  if (result.error !== undefined) {
    const e = result.error;
    const captured = e.details?.["output"];
    if (Array.isArray(captured)) writeOutput(ctx, script.outputVariable, outputText(captured as readonly ScriptOutputRecord[]));
    if (e.code === "ScriptTimeout") return { exitCode: 1460, succeeded: false, error: new TaskSeqError("StepTimeout", "The script did not finish in time.", { cause: e }) };
    if (e.code === "ScriptUnsupported") return { exitCode: 50, succeeded: false, error: e };
    ctx.log.error(`The script failed: ${e.message}`);
    return { exitCode: 1, succeeded: false, error: e };
  }
  writeOutput(ctx, script.outputVariable, result.value.output);
  for (const line of result.value.logLines) ctx.log[line.level](line.text);
  ctx.log.info(`The script finished with exit code ${result.value.exitCode}.`);
  return { exitCode: result.value.exitCode };
}

/** The `output` stream of a failed run's captured records, as a finished run's `output` joins it. */
function outputText(records: readonly ScriptOutputRecord[]): string {
  return records
    .filter((r) => r.stream === "output")
    .map((r) => r.text)
    .join("\n");
}

function writeOutput(ctx: StepHandlerContext, variable: string | undefined, output: string): void {
  if (variable) ctx.env.set(variable, output.slice(-OUTPUT_VARIABLE_LIMIT));
}
