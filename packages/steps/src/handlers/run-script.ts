/**
 * Run Script (`Taskseq_RunScriptAction`): a taskseq step type that runs a JavaScript or
 * PowerShell-style script in the QuickJS sandbox, with no device process involved.
 */
import type { StepHandler } from "@taskseq/engine";
import { TaskSeqError } from "@taskseq/model";
import { defineHandler } from "../internal/outcome.js";
import { runSandboxScript } from "../internal/script-host.js";
import type { BuiltinHandlerOptions } from "../internal/script-options.js";
import { oneOf, required, text } from "../internal/settings.js";

/** The step type of {@link runScriptHandler}. */
export const RUN_SCRIPT_STEP_TYPE = "Taskseq_RunScriptAction";

function jsParameters(raw: string): Readonly<Record<string, string>> {
  if (raw === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new TaskSeqError("InvalidSetting", "Parameters of a JavaScript script must be a JSON object of strings.", { cause: e });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === "string")) {
    throw new TaskSeqError("InvalidSetting", "Parameters of a JavaScript script must be a JSON object of strings.");
  }
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/**
 * Creates the Run Script handler. Settings (by property, each also an action variable of the same name): `Language`
 * (`JavaScript` or `PowerShell`), `Script` (the source text), `Parameters` (PowerShell: argument
 * text bound to `param()`; JavaScript: a JSON object of strings, read as `__host.parameters`) and
 * `OutputVariableName`. Scripts use `TSEnvironment`/`TsProgressUI`; the exit code is the step's
 * return code; unsupported constructs fail with `ScriptUnsupported` (50). Scripts run in
 * `options.scriptRunner` (default: the shared runner of `@taskseq/script`).
 *
 * @param options - the script runner
 * @example
 * ```ts
 * registry.register(RUN_SCRIPT_STEP_TYPE, createRunScriptHandler({ scriptRunner: createWorkerScriptRunner() }));
 * const step = { ...base, type: "Taskseq_RunScriptAction", variables: [
 *   { name: "Language", property: "Language", value: "JavaScript" },
 *   { name: "Script", property: "Script", value: 'TSEnvironment.Value("Done", "yes")' },
 * ] };
 * ```
 */
export function createRunScriptHandler(options: BuiltinHandlerOptions = {}): StepHandler {
  return defineHandler(async (ctx) => {
    const language = oneOf(ctx.settings, "Language", ["JavaScript", "PowerShell"], "JavaScript");
    const source = required(ctx.settings, "Script");
    const parameters = text(ctx.settings, "Parameters");
    return runSandboxScript(
      ctx,
      {
        language: language === "JavaScript" ? "javascript" : "powershell",
        source,
        parameters: language === "JavaScript" ? jsParameters(parameters) : parameters,
        outputVariable: text(ctx.settings, "OutputVariableName"),
      },
      options,
    );
  });
}

/** The Run Script handler with the shared runner of `@taskseq/script` ({@link createRunScriptHandler}). */
export const runScriptHandler = createRunScriptHandler();
