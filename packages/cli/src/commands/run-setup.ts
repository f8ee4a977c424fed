/**
 * What `taskseq run` and `taskseq resume` share: building the engine from command-line options,
 * the progress display and the output.
 */
import { createSimulatedDevice, type Device, type SimulatedDevice } from "@taskseq/device";
import { createEngine, createMemoryLogSink, createMemoryStateStore, createMapResolver, toRunResultJson, type Engine, type EngineEventListener, type ResolvedTaskSequence, type RunResult } from "@taskseq/engine";
import { createMemorySecretStore } from "@taskseq/environment";
import { TaskSeqError } from "@taskseq/model";
import { createFileLogSink, createFileSecretStore, createFileStateStore, createWorkerScriptRunner, type FileLogSink } from "@taskseq/node";
import { createBuiltinHandlers } from "@taskseq/steps";
import { writeSequenceXml } from "@taskseq/xml";
import { EXIT_CODES, type CommandIo } from "../cli-io.js";
import { createDevicePersistence, loadSavedDevice, loadSavedLogDir, type DevicePersistence } from "./saved-device.js";

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

async function loadDevice(io: CommandIo, path: string | undefined): Promise<SimulatedDevice> {
  if (path === undefined) return createSimulatedDevice();
  let text: string;
  try {
    text = new TextDecoder().decode(await io.readFile(io.resolve(path)));
  } catch (cause) {
    throw new TaskSeqError("NotFound", `Cannot read device profile ${path}.`, { cause, position: { path } });
  }
  return createSimulatedDevice(text);
}

/** The device and log folder of a run. */
interface CliRunSetup {
  readonly sim: SimulatedDevice;
  /** Absolute folder of smsts.log; `undefined`: the log stays in memory. */
  readonly logDir: string | undefined;
  /** Set for a `--state-dir` run. */
  readonly saved: DevicePersistence | undefined;
}

/**
 * The device and log folder of a run. A `--state-dir` run keeps both saved (saved-device.ts);
 * resuming continues on the saved device unless `--device`, and in the saved log folder unless
 * `--log-dir` (logging.md §7: after a restart the log goes on in the existing file).
 */
async function setUpRun(io: CommandIo, o: EngineCliOptions, resuming: boolean): Promise<CliRunSetup> {
  const given = o.logDir === undefined ? undefined : io.resolve(o.logDir);
  if (o.stateDir === undefined) return { sim: await loadDevice(io, o.device), logDir: given, saved: undefined };
  const stateDir = io.resolve(o.stateDir);
  const files = createFileStateStore(stateDir);
  let sim: SimulatedDevice;
  let logDir = given;
  if (resuming && o.device === undefined) {
    const restored = await loadSavedDevice(stateDir, files);
    sim = restored.sim;
    logDir ??= restored.logDir;
  } else {
    sim = await loadDevice(io, o.device);
    if (resuming) logDir ??= await loadSavedLogDir(stateDir);
  }
  return { sim, logDir, saved: createDevicePersistence(stateDir, sim, files, logDir) };
}

/**
 * Draws a one-line progress bar on a terminal's standard error: a frame per progress event
 * (`\r[###...] NN% n of m step`), a full frame when the run succeeds, then a newline.
 */
function progressBar(io: CommandIo): EngineEventListener {
  const width = 30;
  const frame = (percent: number, text: string): void => {
    const done = Math.round((percent / 100) * width);
    io.stderr(`\r[${"#".repeat(done)}${".".repeat(width - done)}] ${String(percent).padStart(3)}% ${text}`.padEnd(100).slice(0, 100));
  };
  let step = "";
  return (e) => {
    if (e.type === "step-started") step = e.name;
    if (e.type === "progress") frame(e.percent, `${e.text} ${step}`);
    if (e.type === "run-finished") {
      if (e.status === "success") frame(100, "done");
      io.stderr("\n");
    }
  };
}

/** One listener for all, or `undefined` when nobody listens (the engine then builds no events). */
function combine(listeners: readonly (EngineEventListener | undefined)[]): EngineEventListener | undefined {
  const present = listeners.filter((l) => l !== undefined);
  if (present.length <= 1) return present[0];
  return (e) => {
    for (const l of present) l(e);
  };
}

/**
 * Builds the engine for the options (simulated device, built-in handlers, the `_SMSTSTaskSequence`
 * document, file or memory state and log), runs `use` with it and the device it runs on and, whatever happens, saves the
 * simulated device of a `--state-dir` run while the run's state remains (saved-device.ts). Resuming without
 * `--device` continues on the saved device, without `--log-dir` in the run's log folder (its
 * pinned first segment kept). The engine and the log's history file names share one clock: the
 * simulated device's (logging.md §8).
 */
export async function withCliEngine<T>(
  io: CommandIo,
  o: EngineCliOptions,
  children: readonly ResolvedTaskSequence[],
  resuming: boolean,
  use: (engine: Engine, device: Device) => Promise<T>,
  listener?: EngineEventListener,
): Promise<T> {
  const { sim, logDir, saved } = await setUpRun(io, o, resuming);
  const onEvent = combine([o.json !== true && io.stderrIsTTY === true ? progressBar(io) : undefined, listener, saved?.onEvent]);
  const now = (): number => sim.clock.now();
  const file: FileLogSink | undefined = logDir === undefined ? undefined : createFileLogSink(logDir, { newRun: !resuming, now });
  const device: Device = saved?.device ?? sim;
  const engine = createEngine({
    handlers: createBuiltinHandlers({ scriptRunner: createWorkerScriptRunner() }),
    device,
    state: saved?.state ?? createMemoryStateStore(),
    secretStore: o.stateDir === undefined ? createMemorySecretStore() : createFileSecretStore(io.resolve(o.stateDir)),
    log: file ?? createMemoryLogSink(),
    resolver: createMapResolver(children),
    now,
    // _SMSTSTaskSequence (builtin-variables.md §1.1), as taskseq's createEngine writes it.
    sequenceDocument: (sequence) => writeSequenceXml(sequence, { version: "3.10", secretValues: "empty" }),
    ...(onEvent === undefined ? {} : { onEvent }),
  });
  try {
    return await use(engine, device);
  } finally {
    await saved?.settle();
    file?.close();
  }
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
