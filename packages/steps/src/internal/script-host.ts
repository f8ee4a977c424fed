/**
 * Running step scripts in the QuickJS sandbox of `@taskseq/script` (spec/steps.md §5 behaviour 5):
 * JavaScript as is, the PowerShell-style subset compiled with the step's `Parameters` bound to
 * the script's `param()` block. Task sequence variables are reached through `TSEnvironment`; the
 * device through script-device.ts (WMI prefetched, files and registry through the adapters'
 * synchronous views); `ShowMessageEx` answers through the `ui` adapter's `answerMessage`.
 */
import type { StepHandlerContext, StepHandlerResult } from "@taskseq/engine";
import type { UiCapability } from "@taskseq/device";
import { TaskSeqError, isTaskSeqError } from "@taskseq/model";
import {
  applyScriptFileWrite,
  runScript,
  type MessageResponder,
  type ScriptFileWrite,
  type ScriptLanguage,
  type ScriptLogLine,
  type ScriptOutputRecord,
  type ScriptUiEvent,
} from "@taskseq/script";
import { checkOutputVariable, OUTPUT_VARIABLE_LIMIT } from "./command.js";
import { capability, optionalCapability } from "./device.js";
import { failed } from "./outcome.js";
import { prefetchScriptDevice, SCRIPT_FILE_ACCESS } from "./script-device.js";
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
 * script succeeds (spec/steps.md §4 rule 7, §5 rule 9): the last 1000 characters of every stream
 * the script wrote, in arrival order, plus the message of an uncaught error. The script's smsts.log
 * lines (variable writes, refused writes) are logged on success and on failure. Every
 * `TsProgressUI` call is logged and passed to the device's `ui` adapter (spec/com-api.md §2.2).
 * The files the script wrote and the folders it created are written through the device's `files`
 * adapter when it ends, also when it failed or timed out (a real script's log lines are on disk by
 * then); a write the adapter refuses fails a step whose script succeeded ({@link applyFileWrites}).
 */
export async function runSandboxScript(ctx: StepHandlerContext, script: SandboxScript, options: BuiltinHandlerOptions): Promise<StepHandlerResult> {
  if (script.outputVariable) checkOutputVariable(script.outputVariable);
  const timeout = ctx.step.timeout;
  const device = await prefetchScriptDevice(ctx, script.source);
  const run = options.scriptRunner === undefined ? runScript : options.scriptRunner.run.bind(options.scriptRunner);
  const ui = new ProgressUiForwarder(ctx);
  const result = await run({
    language: script.language,
    source: script.source,
    environment: ctx.env,
    device,
    signal: ctx.signal,
    onEvent: (event) => ui.forward(event),
    ...ui.responder(),
    ...(typeof script.parameters === "object" ? { parameters: script.parameters } : {}),
    ...(typeof script.parameters === "string" && script.parameters.trim() !== "" ? { arguments: script.parameters } : {}),
    ...(timeout === undefined ? {} : { limits: { timeMs: timeout * 1000 } }),
  });
  if (result.error !== undefined) {
    const e = result.error;
    logScriptLines(ctx, e.details?.["logLines"]);
    // A failed write is logged; the script's own failure stays the step's error.
    await applyFileWrites(ctx, e.details?.["fileWrites"]);
    const captured = e.details?.["output"];
    // An uncaught error is what powershell.exe would print to stderr last.
    const stderr = e.code === "ScriptError" ? [e.message] : [];
    if (Array.isArray(captured) || stderr.length > 0) {
      writeOutput(ctx, script.outputVariable, combinedOutput(script.language, Array.isArray(captured) ? (captured as readonly ScriptOutputRecord[]) : [], stderr));
    }
    await ui.settle();
    if (e.code === "ScriptTimeout") return { exitCode: 1460, succeeded: false, error: new TaskSeqError("StepTimeout", "The script did not finish in time.", { cause: e }) };
    if (e.code === "ScriptUnsupported") return { exitCode: 50, succeeded: false, error: e };
    ctx.log.error(`The script failed: ${e.message}`);
    return { exitCode: 1, succeeded: false, error: e };
  }
  // A runner that reports the events only in its result (no `onEvent` calls) still reaches the adapter.
  for (const event of result.value.events.slice(ui.received)) ui.forward(event);
  writeOutput(ctx, script.outputVariable, combinedOutput(script.language, result.value.records, []));
  logScriptLines(ctx, result.value.logLines);
  const writeFailure = await applyFileWrites(ctx, result.value.fileWrites);
  await ui.settle();
  ctx.log.info(`The script finished with exit code ${result.value.exitCode}.`);
  return writeFailure === undefined ? { exitCode: result.value.exitCode } : failed(writeFailure);
}

/**
 * Writes the files the script wrote and creates the folders it created, in order, through the
 * device's `files` adapter in the script's (native) view, {@link SCRIPT_FILE_ACCESS} (the texts
 * are secret-masked), logging each. Nothing is written once the step is aborted (a warning says
 * how many files were dropped). The first write the adapter refuses is logged as an error and
 * ends the writing.
 *
 * @returns the adapter's error, or `undefined` when every write was made
 */
async function applyFileWrites(ctx: StepHandlerContext, writes: unknown): Promise<TaskSeqError | undefined> {
  if (!Array.isArray(writes) || writes.length === 0) return undefined;
  if (ctx.signal.aborted) {
    ctx.log.warning(`The step was stopped: ${writes.length} file(s) the script wrote were not written.`);
    return undefined;
  }
  const files = capability(ctx, "files");
  for (const write of writes as readonly ScriptFileWrite[]) {
    const what = "folder" in write ? "folder" : "file";
    try {
      await applyScriptFileWrite(files, write, SCRIPT_FILE_ACCESS);
    } catch (e) {
      const error = isTaskSeqError(e) ? e : new TaskSeqError("DeviceOperationFailed", `The script's ${what} ${write.path} could not be written.`, { cause: e });
      ctx.log.error(`The script's ${what} ${write.path} could not be written: ${error.message}`);
      return error;
    }
    ctx.log.info("folder" in write ? `Created folder ${write.path} for the script.` : `${write.append ? "Appended" : "Wrote"} ${write.text.length} characters to ${write.path} for the script.`);
  }
  return undefined;
}

/** Logs the script's smsts.log lines (the runner has masked secret values; the step log masks again). */
function logScriptLines(ctx: StepHandlerContext, lines: unknown): void {
  if (!Array.isArray(lines)) return;
  for (const line of lines as readonly ScriptLogLine[]) {
    const level = line.level === "warning" || line.level === "error" ? line.level : "info";
    ctx.log[level](String(line.text));
  }
}

/**
 * The combined output of every stream, one line per write, in arrival order (spec/steps.md §4
 * rule 7: stdout and stderr as they arrive). PowerShell-style scripts get the console prefixes
 * `powershell.exe` prints for warnings and verbose messages.
 */
function combinedOutput(language: ScriptLanguage, records: readonly ScriptOutputRecord[], stderr: readonly string[]): string {
  const prefix = (r: ScriptOutputRecord): string => (language !== "powershell" ? "" : r.stream === "warning" ? "WARNING: " : r.stream === "verbose" ? "VERBOSE: " : "");
  return [...records.map((r) => prefix(r) + r.text), ...stderr].join("\n");
}

function writeOutput(ctx: StepHandlerContext, variable: string | undefined, output: string): void {
  if (variable) ctx.env.set(variable, output.slice(-OUTPUT_VARIABLE_LIMIT));
}

/**
 * Passes `TsProgressUI` events to the device's `ui` adapter, in order, and logs each call (the
 * only trace in a headless run). The runner hands events over synchronously; the adapter calls are
 * chained and awaited before the step ends. `ShowMessageEx` is answered while the script waits by
 * the adapter's `answerMessage` (spec/com-api.md §2.2), which shows the question itself; an
 * adapter without it gets the question afterwards through `message`, the script having had the
 * first button of its type, and an answer other than `ok` is logged as a warning. Hidden progress
 * (`TSDisableProgressUI=true`) is logged, not shown: the adapter has no hidden flag. A failing
 * adapter call is logged and does not fail the step.
 */
class ProgressUiForwarder {
  /** Events received so far. */
  received = 0;
  private pending: Promise<void> = Promise.resolve();
  private readonly ui: UiCapability | undefined;

  constructor(private readonly ctx: StepHandlerContext) {
    this.ui = optionalCapability(ctx, "ui");
  }

  /** The run's `respond` option: the adapter's `answerMessage`, when it has one (else the runner's first-button default). */
  responder(): { respond?: MessageResponder } {
    const answer = this.ui?.answerMessage?.bind(this.ui);
    return answer === undefined ? {} : { respond: (event) => answer(event.caption, event.text, event.buttons) };
  }

  forward(event: ScriptUiEvent): void {
    this.received++;
    this.ctx.log.info(describeUiEvent(event));
    const ui = this.ui;
    if (ui === undefined) return;
    this.pending = this.pending.then(() => (this.ctx.signal.aborted ? undefined : this.call(ui, event)));
  }

  /** Resolves when every adapter call has finished, or at once when the step is aborted. */
  settle(): Promise<void> {
    const signal = this.ctx.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        signal.removeEventListener("abort", done);
        resolve();
      };
      signal.addEventListener("abort", done, { once: true });
      void this.pending.then(done);
    });
  }

  private async call(ui: UiCapability, event: ScriptUiEvent): Promise<void> {
    try {
      switch (event.type) {
        case "action-progress":
        case "ts-progress": {
          if (event.hidden) return;
          const detail =
            event.type === "action-progress" && (event.actionExecInfo !== "" || event.actionExecMaxStep !== 0)
              ? ` - ${event.actionExecInfo}${event.percent === undefined ? "" : ` (${Math.floor(event.percent)}%)`}`
              : "";
          await ui.progress({ title: bannerTitle(event), step: event.currentAction + detail, current: event.step, total: event.maxStep });
          return;
        }
        case "error-dialog":
          await ui.message(bannerTitle(event) || "Task Sequence Error", event.errorMessage, event.timeoutSeconds);
          return;
        case "reboot-dialog":
          await ui.message(bannerTitle(event), event.rebootMessage, event.timeoutSeconds);
          return;
        case "swap-media":
          await ui.message(event.taskSequenceName, `Insert media ${event.mediaNumber} to continue.`, 0);
          return;
        case "message": {
          // answerMessage showed the question already.
          if (event.result !== undefined && ui.answerMessage !== undefined) return;
          const answer = await ui.message(event.caption, event.text, 0);
          if (event.result !== undefined && answer !== "ok") {
            this.ctx.log.warning(`TsProgressUI.ShowMessageEx: the ui adapter answered "${answer}", but the script had already been given ${event.result} (an adapter without answerMessage cannot answer while the script waits).`);
          }
          return;
        }
        case "close-progress":
          await ui.close();
          return;
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.ctx.log.warning(`TsProgressUI: the ui adapter failed to show ${uiMethod(event)}: ${reason}`);
    }
  }
}

function bannerTitle(event: { readonly customTitle: string; readonly taskSequenceName: string }): string {
  return event.customTitle !== "" ? event.customTitle : event.taskSequenceName;
}

/** The `IProgressUI` method that raised an event. */
function uiMethod(event: ScriptUiEvent): string {
  switch (event.type) {
    case "action-progress":
      return event.detail === undefined ? "ShowActionProgress" : "ShowActionDetailedProgress";
    case "ts-progress":
      return "ShowTSProgress";
    case "error-dialog":
      return "ShowErrorDialog";
    case "message":
      return event.result === undefined ? "ShowMessage" : "ShowMessageEx";
    case "reboot-dialog":
      return "ShowRebootDialog";
    case "swap-media":
      return "ShowSwapMediaDialog";
    case "close-progress":
      return "CloseProgressDialog";
  }
}

/** One smsts.log line for a `TsProgressUI` call (strings are already secret-masked). */
function describeUiEvent(event: ScriptUiEvent): string {
  const head = `TsProgressUI.${uiMethod(event)}`;
  const q = (text: string): string => JSON.stringify(text);
  const pct = (p: number | undefined): string => (p === undefined ? "" : ` (${Math.floor(p)}%)`);
  const hidden = "hidden" in event && event.hidden ? " [hidden: TSDisableProgressUI]" : "";
  switch (event.type) {
    case "action-progress": {
      const detail = event.detail === undefined ? "" : `, detail ${event.detail.step} of ${event.detail.maxStep}`;
      return `${head}: ${q(event.currentAction)} step ${event.step} of ${event.maxStep}, ${q(event.actionExecInfo)} ${event.actionExecStep} of ${event.actionExecMaxStep}${pct(event.percent)}${detail}${hidden}`;
    }
    case "ts-progress":
      return `${head}: ${q(event.currentAction)} step ${event.step} of ${event.maxStep}${pct(event.percent)}${hidden}`;
    case "error-dialog":
      return `${head}: ${q(event.errorMessage)} code ${event.errorCode}, timeout ${event.timeoutSeconds} s${event.willReboot ? ", restart follows" : ""}, step ${q(event.stepName)}`;
    case "message":
      return `${head}: ${q(event.text)} caption ${q(event.caption)}, type ${event.buttons}${event.result === undefined ? "" : `, answered ${event.result}`}`;
    case "reboot-dialog":
      return `${head}: ${q(event.rebootMessage)} code ${event.errorCode}, timeout ${event.timeoutSeconds} s`;
    case "swap-media":
      return `${head}: ${q(event.taskSequenceName)} media ${event.mediaNumber}`;
    case "close-progress":
      return head;
  }
}
