/**
 * What `taskseq run` and `taskseq resume` share: building the engine from command-line options,
 * the progress display and the output.
 */
import { createSimulatedDevice, type Device } from "@taskseq/device";
import { createEngine, createMemoryLogSink, createMemoryStateStore, createMapResolver, toRunResultJson, type Engine, type EngineEvent, type EngineEventListener, type ResolvedTaskSequence, type RunResult } from "@taskseq/engine";
import { createMemorySecretStore } from "@taskseq/environment";
import { TaskSeqError } from "@taskseq/model";
import { createFileLogSink, createFileSecretStore, createFileStateStore, createWorkerScriptRunner } from "@taskseq/node";
import { createBuiltinHandlers } from "@taskseq/steps";
import { EXIT_CODES, type CommandIo } from "../cli-io.js";

/** Options shared by run and resume. */
export interface EngineCliOptions {
  readonly device?: string;
  readonly stateDir?: string;
  readonly logDir?: string;
  readonly json?: boolean;
  readonly stopAtRestart?: boolean;
}

/** Collects repeated `N=V` options. */
export function collectPair(value: string, previous: readonly (readonly [string, string])[] = []): (readonly [string, string])[] {
  const eq = value.indexOf("=");
  if (eq <= 0) throw new TaskSeqError("UsageError", `Expected NAME=VALUE, got "${value}".`);
  return [...previous, [value.slice(0, eq), value.slice(eq + 1)]];
}

async function loadDevice(io: CommandIo, path: string | undefined): Promise<Device> {
  if (path === undefined) return createSimulatedDevice();
  let text: string;
  try {
    text = new TextDecoder().decode(await io.readFile(io.resolve(path)));
  } catch (cause) {
    throw new TaskSeqError("NotFound", `Cannot read device profile ${path}.`, { cause, position: { path } });
  }
  return createSimulatedDevice(text);
}

/** Draws a one-line progress bar on a terminal's standard error. */
function progressBar(io: CommandIo, enabled: boolean): (e: EngineEvent) => void {
  if (!enabled) return () => undefined;
  let step = "";
  return (e) => {
    if (e.type === "step-started") step = e.name;
    if (e.type === "progress") {
      const width = 30;
      const done = Math.round((e.percent / 100) * width);
      io.stderr(`\r[${"#".repeat(done)}${".".repeat(width - done)}] ${String(e.percent).padStart(3)}% ${e.text} ${step}`.padEnd(100).slice(0, 100));
    }
    if (e.type === "run-finished") io.stderr("\n");
  };
}

const withListener = (first: EngineEventListener, second: EngineEventListener | undefined): EngineEventListener =>
  second === undefined ? first : (e) => { first(e); second(e); };

/** Builds the engine for the options (simulated device, built-in handlers, file or memory state and log). */
export async function createCliEngine(io: CommandIo, o: EngineCliOptions, children: readonly ResolvedTaskSequence[], resuming: boolean, listener?: EngineEventListener): Promise<Engine> {
  const stateDir = o.stateDir === undefined ? undefined : io.resolve(o.stateDir);
  return createEngine({
    handlers: createBuiltinHandlers({ scriptRunner: createWorkerScriptRunner() }),
    device: await loadDevice(io, o.device),
    state: stateDir === undefined ? createMemoryStateStore() : createFileStateStore(stateDir),
    secretStore: stateDir === undefined ? createMemorySecretStore() : createFileSecretStore(stateDir),
    log: o.logDir === undefined ? createMemoryLogSink() : createFileLogSink(io.resolve(o.logDir), { newRun: !resuming }),
    resolver: createMapResolver(children),
    onEvent: withListener(progressBar(io, o.json !== true && process.stderr.isTTY === true), listener),
  });
}

/** Prints the result (DESIGN.md §2 JSON with `--json`) and sets the exit code. */
export function report(io: CommandIo, result: RunResult, json: boolean | undefined): void {
  if (json === true) {
    io.stdout(`${JSON.stringify(toRunResultJson(result))}\n`);
  } else {
    for (const s of result.steps) io.stdout(`${s.outcome.padEnd(17)} ${s.path.padEnd(10)} ${s.name} (${s.exitCode})${s.reason === undefined ? "" : `: ${s.reason}`}\n`);
    const why = result.error === undefined ? "" : ` (${result.error.code}: ${result.error.message})`;
    io.stdout(`${result.status}${why}: ${result.steps.filter((s) => s.outcome === "success" || s.outcome.startsWith("failed")).length} step(s) ran, ${result.restarts} restart(s)\n`);
  }
  io.setExitCode(result.status === "success" ? EXIT_CODES.ok : result.status === "restart-pending" ? EXIT_CODES.restartPending : EXIT_CODES.failed);
}
