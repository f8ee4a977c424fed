/**
 * The engine: `createEngine()` and its `run()` / `resume()` (execution.md).
 */
import { formatTimeZoneInformation, windowsTimeZoneInformation, type Device, type OsFacts } from "@taskseq/device";
import {
  createEnvironment,
  createMemorySecretStore,
  type CollectionVariables,
  type EngineEnvironment,
  type LayerVariable,
  type SecretStore,
  type TaskSequenceEnvironment,
} from "@taskseq/environment";
import { TaskSeqError, checkSequenceShape, type TaskSequence } from "@taskseq/model";
import { createMapResolver, type TaskSequenceResolver } from "./child-resolver.js";
import type { DebugHook } from "./debugger/debug-hook.js";
import { startDebugSession, type DebugOptions, type DebugSession } from "./debugger/debug-session.js";
import type { EngineEvent, EngineEventListener } from "./events.js";
import { buildInstructionTable, type Instruction } from "./instruction-table.js";
import { mergedSequence } from "./merged-sequence.js";
import { createMemoryLogSink, type LogLimits, type LogSink } from "./log-sink.js";
import { createRunLogger, type LogLevel, type RunLogger } from "./run-logger.js";
import type { FailureInfo, RunResult, StepReport } from "./run-result.js";
import { HIGH_PERFORMANCE_PLAN, RunSession, applyPowerPlan, logMovedLine, refreshEnvironmentBuiltins, returnCodeOf } from "./run-session.js";
import { sealSettings, unsealSettings } from "./sealed-settings.js";
import { IMPLIED_VARIABLES, applyRecord, impliedValue, parseRecord, parseSnapshot, stepReportOf, type PersistedProgress, type PersistedRun, type ProgressRecord } from "./state-format.js";
import { createMemoryStateStore, type StateStore } from "./state-store.js";
import { createStepHandlerRegistry, type LaunchMode, type StepHandlerRegistry } from "./step-handler.js";

/** The engine's version, logged at run start. */
export const ENGINE_VERSION = "0.1.0";

/** Options of {@link createEngine}: everything the engine touches is injected. */
export interface EngineOptions {
  /** Step handlers (built-ins: `createBuiltinHandlers()` in `@taskseq/steps`). Default: none. */
  readonly handlers?: StepHandlerRegistry;
  /** The device. Default: an empty device (no capabilities). */
  readonly device?: Device;
  /** Run state. Default: {@link createMemoryStateStore}. */
  readonly state?: StateStore;
  /** smsts.log sink. Default: {@link createMemoryLogSink}. */
  readonly log?: LogSink;
  /** Child task sequences. Default: a resolver that knows none. */
  readonly resolver?: TaskSequenceResolver;
  /** Event listener. */
  readonly onEvent?: EngineEventListener;
  /** Seals secret values in the environment and the journal. Default: in memory (does not survive the process). */
  readonly secretStore?: SecretStore;
  /** Log verbosity (logging.md §4). Default `1`. */
  readonly logLevel?: LogLevel;
  /** Thread ID written on log lines. Default `1`. */
  readonly thread?: number;
  /** Time-zone bias written on log lines (minutes, UTC = local + bias). Default: the host's. */
  readonly logBias?: number;
  /** Ordinal case-sensitive string comparison in conditions (conditions.md §4.2). Default `false`. */
  readonly conditionCaseSensitive?: boolean;
  /** Journal records between two snapshots. Default: by size (when the journal outgrows max(1 MB, the last snapshot)). */
  readonly compactEvery?: number;
  /** The engine clock (ms). Default: the device's `clock`, else `Date.now`. */
  readonly now?: () => number;
  /** The environment size limit in bytes (variables.md §3): a write beyond it fails with `EnvironmentFull`. Default 32 MB. */
  readonly maxEnvironmentSize?: number;
  /** smsts.log rollover size in bytes (logging.md §8), given to the sink's `configure`; replaces `X:\Windows\smsts.ini`'s `LOGMAXSIZE`. */
  readonly logMaxSize?: number;
  /** smsts.log history files (logging.md §8), given to the sink's `configure`; replaces `X:\Windows\smsts.ini`'s `LOGMAXHISTORY`. */
  readonly logMaxHistory?: number;
  /**
   * Writes the running sequence as the `_SMSTSTaskSequence` document (builtin-variables.md §1.1):
   * given the sequence with its child task sequences merged in (each Run Task Sequence step a group
   * holding the child's items), it returns version 3.10 XML with every secret value empty. Called
   * once per run start (not on resume); a throw or a document too big for the environment is a
   * warning and leaves the variable unset. Default: none, the variable stays unset (the engine
   * cannot write XML itself). `taskseq`'s `createEngine` and the CLI pass `@taskseq/xml`'s
   * `writeSequenceXml(sequence, { version: "3.10", secretValues: "empty" })`.
   */
  readonly sequenceDocument?: (sequence: TaskSequence) => string;
}

/** Where Windows PE keeps the log settings (logging.md §8). */
const SMSTS_INI = "X:\\Windows\\smsts.ini";

/** The `[Logging]` values of an smsts.ini text: whole numbers only, others ignored. */
function smstsIniLimits(text: string): LogLimits {
  let section = "";
  const limits: { maxSize?: number; maxHistory?: number } = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[(.*)\]$/.exec(line);
    if (header !== null) {
      section = (header[1] ?? "").trim().toUpperCase();
      continue;
    }
    const m = /^([A-Za-z]+)\s*=\s*(\d{1,10})\s*$/.exec(line);
    if (section !== "LOGGING" || m === null) continue;
    const key = (m[1] ?? "").toUpperCase();
    if (key === "LOGMAXSIZE") limits.maxSize = Number(m[2]);
    else if (key === "LOGMAXHISTORY") limits.maxHistory = Number(m[2]);
  }
  return limits;
}

/** Variables a run starts with (variables.md §7). */
export interface RunVariables {
  /** Collection variables. */
  readonly collections?: readonly CollectionVariables[];
  /** Device (computer) variables. */
  readonly device?: readonly LayerVariable[];
  /** Media variables (replace collection and device variables). */
  readonly media?: readonly LayerVariable[];
  /** Run-time values set before the first step (like a prestart command). */
  readonly runtime?: Readonly<Record<string, string>>;
}

/** The site facts a run's built-ins hold (builtin-variables.md §1). */
export interface RunSite {
  /** `_SMSTSSiteCode`, e.g. `ABC`. */
  readonly siteCode?: string;
  /** `_SMSTSMP`: the management point's URL or IP address. */
  readonly managementPoint?: string;
  /** `_SMSTSMPPort`. */
  readonly managementPointPort?: number;
  /** `_SMSTSUseSSL`: the management point uses HTTPS. */
  readonly useSsl?: boolean;
  /** `_SMSTSUseCRL`: the CRL is checked with HTTPS. */
  readonly useCrl?: boolean;
  /** `_SMSTSOrgName`: the branding title of the progress UI. */
  readonly orgName?: string;
  /** `_SMSTSClientGUID`: the ConfigMgr client's GUID. */
  readonly clientGuid?: string;
  /** `_SMSTSDownloadOnDemand`: download-on-demand mode. */
  readonly downloadOnDemand?: boolean;
  /** `_SMSTSRunFromDP`: run-from-distribution-point mode. */
  readonly runFromDistributionPoint?: boolean;
}

/** The engine's ports, when given, have the methods the engine calls (from JavaScript, a wrong object would fail deep in a run): `InvalidArgument`. */
function checkPorts(o: EngineOptions): void {
  const ports: [string, unknown, readonly string[]][] = [
    ["handlers", o.handlers, ["get"]],
    ["state", o.state, ["load", "replace", "append", "clear"]],
    ["log", o.log, ["write"]],
    ["resolver", o.resolver, ["resolve"]],
    ["secretStore", o.secretStore, ["seal", "unseal"]],
  ];
  for (const [name, port, methods] of ports) {
    if (port === undefined) continue;
    const missing = methods.filter((m) => typeof (port as Record<string, unknown> | null)?.[m] !== "function");
    if (missing.length > 0) throw new TaskSeqError("InvalidArgument", `Engine option ${name} has no ${missing.join(", ")} method${missing.length > 1 ? "s" : ""}.`);
  }
}

const LAUNCH_MODES: ReadonlySet<unknown> = new Set<LaunchMode>(["SMS", "UFD", "UFD+FORMAT", "CD", "DVD", "PXE", "HD"]);

/** The run options a run cannot start with (from JavaScript or JSON, outside their types): `InvalidArgument`. */
function checkRunOptions(o: RunOptions): void {
  const bad = (what: string): never => {
    throw new TaskSeqError("InvalidArgument", `Run option ${what}.`);
  };
  const minutes = o.maxRunTimeMinutes;
  if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < 0)) bad(`maxRunTimeMinutes must be a whole number of minutes, 0 or more (0 = 720 minutes, monitored), not ${String(minutes)}`);
  if (o.maxRunTimeEnforcement !== undefined && o.maxRunTimeEnforcement !== "stop" && o.maxRunTimeEnforcement !== "monitorOnly") bad(`maxRunTimeEnforcement must be "stop" or "monitorOnly", not ${JSON.stringify(o.maxRunTimeEnforcement)}`);
  if (o.launchMode !== undefined && !LAUNCH_MODES.has(o.launchMode)) bad(`launchMode ${JSON.stringify(o.launchMode)} is not one of ${[...LAUNCH_MODES].join(", ")}`);
}

/** Options of {@link Engine.run}. */
export interface RunOptions {
  /** Package ID (`_SMSTSPackageID`). Default: the sequence's package ID, else `TS000001`. */
  readonly packageId?: string;
  /** Deployment ID (`_SMSTSAdvertID`). */
  readonly deploymentId?: string;
  /** Launch mode. Default `SMS`. */
  readonly launchMode?: LaunchMode;
  /** `_SMSTSMediaType` when started from media or PXE. */
  readonly mediaType?: "BootMedia" | "FullMedia" | "PXE" | "OEMMedia";
  /** `_SMSTSUserStarted` (launch mode `SMS` only). */
  readonly userStarted?: boolean;
  /** The site the run's policy came from, for its built-ins (`_SMSTSSiteCode`, `_SMSTSMP`, …); none on stand-alone media. */
  readonly site?: RunSite;
  /** The log folder, `_SMSTSLogPath` in every phase. Default: the device's folder of each phase (logging.md §7). */
  readonly logPath?: string;
  /** Initial variables. */
  readonly variables?: RunVariables;
  /** Maximum run time in minutes; `0` = none (monitored as 720). Default `120`. */
  readonly maxRunTimeMinutes?: number;
  /** `stop` fails the run at the limit (`MaxRunTimeExceeded`); `monitorOnly` only warns. Default `monitorOnly`. */
  readonly maxRunTimeEnforcement?: "stop" | "monitorOnly";
  /** Return `restart-pending` at a restart instead of restarting the device and continuing. */
  readonly stopAtRestart?: boolean;
  /** Evaluate conditions and walk the table without calling handlers or persisting state. */
  readonly dryRun?: boolean;
  /** Aborting fails the run with `Aborted`. */
  readonly signal?: AbortSignal;
  /** What to do with state left by another run: `error` (default, `StaleState`) or `discard`. */
  readonly existingState?: "error" | "discard";
  /** Run ID. Default: a random UUID. */
  readonly runId?: string;
  /** An attached debugger (execution.md §11); embedders use `createDebugger()` rather than a hook of their own. */
  readonly debug?: DebugHook;
}

/** Options of {@link Engine.resume}. */
export interface ResumeOptions {
  /** Return `restart-pending` at the next restart. */
  readonly stopAtRestart?: boolean;
  /** Aborting fails the run with `Aborted`. */
  readonly signal?: AbortSignal;
  /**
   * A step found in progress: `unexpected-restart` (default, execution.md §8: retry while its
   * `retryCount` allows, else fail with `UnexpectedRestart`) or `rerun` (the host process was
   * killed, the device did not restart: run the step again).
   */
  readonly interrupted?: "unexpected-restart" | "rerun";
  /** An attached debugger (execution.md §11.6); embedders use `createDebugger().resume()`. */
  readonly debug?: DebugHook;
}

/** Facts about persisted state. */
export interface PersistedRunInfo {
  /** Run ID. */
  readonly runId: string;
  /** Package ID. */
  readonly packageId: string;
  /** Deployment ID. */
  readonly deploymentId: string | undefined;
  /** Task sequence name. */
  readonly name: string;
  /** True when a restart is pending. */
  readonly restartPending: boolean;
}

/** The engine. */
export interface Engine {
  /** Runs a task sequence from the start. Fails with `StaleState` when state of another run exists. */
  run(sequence: TaskSequence, options?: RunOptions): Promise<RunResult>;
  /** Continues the persisted run (after a restart or a crash). Fails with `NoStateToResume`. */
  resume(options?: ResumeOptions): Promise<RunResult>;
  /** The persisted run, if any (`StateCorrupt` when unreadable). */
  persistedRun(): Promise<PersistedRunInfo | undefined>;
  /** Deletes persisted state. */
  discardState(): Promise<void>;
  /** Starts a run under the debugger (execution.md §11); by default paused before its first instruction. */
  debug(sequence: TaskSequence, options?: Omit<RunOptions, "debug"> & DebugOptions): DebugSession;
  /** Continues the persisted run under the debugger, with its persisted debug mode and breakpoints (execution.md §11.6). */
  resumeDebug(options?: Omit<ResumeOptions, "debug"> & DebugOptions): DebugSession;
}

const DEFAULT_PACKAGE_ID = "TS000001";

interface Prepared {
  readonly table: readonly Instruction[];
  readonly run: PersistedRun;
  readonly progress: PersistedProgress;
  readonly env: TaskSequenceEnvironment;
  readonly engineEnv: EngineEnvironment;
  readonly log: RunLogger;
}

/** A run-level error with secret text masked in its message (the same error when there is none; a masked copy has no cause, which may hold the text). */
function redactedError(error: TaskSeqError, redact: (text: string) => string): TaskSeqError {
  const message = redact(error.message);
  return message === error.message ? error : new TaskSeqError(error.code, message, { position: error.position, details: error.details });
}

/**
 * Creates an engine. Every dependency has an in-memory default.
 *
 * @example
 * ```ts
 * const engine = createEngine({ handlers: createBuiltinHandlers(), device: createSimulatedDevice(profile) });
 * const result = await engine.run(sequence, { variables: { runtime: { OSDComputerName: "PC01" } } });
 * console.log(result.status, result.steps);
 * ```
 */
export function createEngine(options: EngineOptions = {}): Engine {
  checkPorts(options);
  const device: Device = options.device ?? {};
  const handlers = options.handlers ?? createStepHandlerRegistry();
  const state = options.state ?? createMemoryStateStore();
  const sink = options.log ?? createMemoryLogSink();
  const resolver = options.resolver ?? createMapResolver();
  const secretStore = options.secretStore ?? createMemorySecretStore();
  const now = options.now ?? (device.clock !== undefined ? () => device.clock?.now() ?? Date.now() : Date.now);
  let debugObserver: ((e: EngineEvent) => void) | undefined;
  const listening = (): boolean => options.onEvent !== undefined || debugObserver !== undefined;
  const emit: EngineEventListener = (e) => {
    debugObserver?.(e);
    try {
      options.onEvent?.(e);
    } catch {
      // A listener must not break the run.
    }
  };

  async function savedPowerPlan(): Promise<string | undefined> {
    try {
      return await device.os?.getPowerPlan();
    } catch {
      return undefined;
    }
  }

  async function processEnvironment(): Promise<(name: string) => string | undefined> {
    const vars = (await device.os?.environmentVariables()) ?? {};
    const byKey = new Map(Object.entries(vars).map(([k, v]) => [k.toUpperCase(), v]));
    return (name) => byKey.get(name.toUpperCase());
  }

  function environment(): { env: TaskSequenceEnvironment; engineEnv: EngineEnvironment; log: RunLogger } {
    const late: { log?: RunLogger } = {};
    const { env, engine } = createEnvironment({
      secretStore,
      ...(options.maxEnvironmentSize === undefined ? {} : { maxSize: options.maxEnvironmentSize }),
      onSizeWarning: (size) => late.log?.write(2, "TSManager", "environment-size", `The task sequence environment is ${size} bytes, above 8 KB`),
    });
    const log = createRunLogger({
      sink,
      redact: env.redact,
      emit,
      listening,
      now,
      level: options.logLevel ?? 1,
      thread: options.thread ?? 1,
      ...(options.logBias === undefined ? {} : { bias: options.logBias }),
    });
    late.log = log;
    return { env, engineEnv: engine, log };
  }

  async function session(
    p: Prepared,
    o: { dryRun: boolean; stopAtRestart: boolean; signal: AbortSignal | undefined; resolver: TaskSequenceResolver; debug: DebugHook | undefined; resumed: boolean },
  ): Promise<RunSession> {
    // Every field written out (no spread of `p`): each run's deps then share one hidden class, and the session's optimized code stays valid from run to run.
    return new RunSession({
      table: p.table,
      run: p.run,
      progress: p.progress,
      env: p.env,
      engineEnv: p.engineEnv,
      log: p.log,
      handlers,
      device,
      resolver: o.resolver,
      emit,
      listening,
      now,
      state: o.dryRun ? undefined : state,
      secretStore,
      processEnvironment: await processEnvironment(),
      readProcessEnvironment: processEnvironment,
      configureLog: () => configureLog(p.log),
      dryRun: o.dryRun,
      stopAtRestart: o.stopAtRestart,
      signal: o.signal,
      caseSensitive: options.conditionCaseSensitive === true,
      compactEvery: Math.max(1, options.compactEvery ?? Number.POSITIVE_INFINITY),
      engineVersion: ENGINE_VERSION,
      flushLog: () => sink.flush?.() ?? Promise.resolve(),
      debug: o.debug,
      resumed: o.resumed,
    });
  }

  /**
   * Gives the sink the run's rollover limits (logging.md §8): `X:\Windows\smsts.ini`'s `[Logging]`
   * values, replaced by the options; nothing when neither gives one. A device that cannot read the
   * file leaves the limits as they are (a warning).
   */
  async function configureLog(log: RunLogger): Promise<void> {
    if (sink.configure === undefined) return;
    let ini: LogLimits = {};
    const files = device.files;
    if (files !== undefined) {
      try {
        if (await files.exists(SMSTS_INI)) ini = smstsIniLimits(await files.readText(SMSTS_INI));
      } catch (e) {
        log.write(2, "TSManager", "log-settings", `Could not read ${SMSTS_INI}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const limits: LogLimits = {
      ...ini,
      ...(options.logMaxSize === undefined ? {} : { maxSize: options.logMaxSize }),
      ...(options.logMaxHistory === undefined ? {} : { maxHistory: options.logMaxHistory }),
    };
    if (limits.maxSize !== undefined || limits.maxHistory !== undefined) sink.configure(limits);
  }

  /**
   * execution.md §13: the error dialog through the `ui` adapter (unless `TSDebugOnError=TRUE`),
   * closed after `SMSTSErrorDialogTimeout`. The code is written as com-api.md §2.2's default text
   * writes it (`0x` and 8 hex digits): the failing step's return code, or for a run-level failure
   * (no step failed: a restart that cannot happen, the maximum run time) the run error's, not the
   * last action's `0`.
   */
  async function showErrorDialog(p: Prepared, out: { readonly failure?: FailureInfo; readonly error?: TaskSeqError }): Promise<void> {
    if (device.ui === undefined || /^true$/i.test(p.env.get("TSDebugOnError") ?? "")) return;
    const timeout = Number(p.env.get("SMSTSErrorDialogTimeout") ?? "900");
    const code = out.failure?.exitCode ?? (out.error === undefined ? Number(p.env.get("_SMSTSLastActionRetCode") ?? "0") : returnCodeOf(out.error));
    const hex = `0x${(code >>> 0).toString(16).toUpperCase().padStart(8, "0")}`;
    const text = p.env.redact(
      `Task Sequence: ${p.run.name} has failed with the error code (${hex}). The failing action is (${out.failure?.name ?? p.env.get("_SMSTSLastActionName") ?? ""}). The computer will not restart. For more information, contact your system administrator or helpdesk operator.`,
    );
    p.log.write(3, "TSManager", "error-dialog", text);
    try {
      await device.ui.message("Task Sequence Error", text, Number.isFinite(timeout) && timeout >= 0 ? timeout : 900);
    } catch (e) {
      p.log.write(2, "TSManager", "error-dialog", `The error dialog could not be shown: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** execution.md §13: `SMSTSPostAction` is started when the engine exits; the engine does not wait for it. */
  function startPostAction(p: Prepared): void {
    const commandLine = p.env.get("SMSTSPostAction");
    if (commandLine === undefined || commandLine.trim() === "" || device.commands === undefined) return;
    p.log.write(1, "TSManager", "post-action", `Starting the post action: ${commandLine}`);
    device.commands.run({ commandLine }).catch(() => undefined);
  }

  async function finish(p: Prepared, s: RunSession, dryRun: boolean): Promise<RunResult> {
    const out = await s.execute();
    // Names, reasons and messages are masked with every secret the run has seen, also one set after them.
    const redact = (text: string): string => p.env.redact(text);
    const steps: StepReport[] = [];
    for (const ins of p.table) {
      if (ins.kind !== "step" && ins.kind !== "enter-child") continue;
      const report = p.progress.outcomes[ins.index] ?? { path: ins.path, name: ins.item.name, type: ins.item.type, outcome: "not-run", exitCode: 0 };
      const name = redact(report.name);
      const reason = report.reason === undefined ? undefined : redact(report.reason);
      steps.push(name === report.name && reason === report.reason ? report : { ...report, name, ...(reason === undefined ? {} : { reason }) });
    }
    const durationMs = Math.max(0, now() - p.run.startedAt);
    if (out.pending !== true) {
      const failing = out.failure === undefined ? "" : ` The failing action is (${out.failure.name}) with return code ${out.failure.exitCode}.`;
      const monitored = (p.run.maxRunTimeMinutes === 0 ? 720 : p.run.maxRunTimeMinutes) * 60_000;
      if (p.run.maxRunTimeEnforcement === "monitorOnly" && durationMs > monitored) {
        p.log.write(2, "TSManager", "run-time", `The task sequence ran longer than its maximum run time (${Math.round(durationMs / 60_000)} minutes)`);
      }
      p.log.write(out.status === "success" ? 1 : 3, "TSManager", "run-end", `Task sequence ${p.run.name} (${p.run.packageId}) finished: ${out.status}.${failing} Duration ${Math.round(durationMs / 1000)} s`);
      if (!dryRun) {
        if (out.status === "failed") await showErrorDialog(p, out);
        await applyPowerPlan(device, p.run.savedPowerPlan, p.log);
        await state.clear();
        startPostAction(p);
      }
    }
    await sink.flush?.();
    emit({ type: "run-finished", status: out.status, exitCode: out.exitCode });
    const variables: Record<string, string> = {};
    for (const v of p.env.entries()) variables[v.name] = p.env.redact(v.value);
    return {
      status: out.status,
      exitCode: out.exitCode,
      steps,
      variables,
      runId: p.run.runId,
      ...(out.failure === undefined ? {} : { failure: { ...out.failure, name: redact(out.failure.name), groups: out.failure.groups.map(redact) } }),
      ...(out.error === undefined ? {} : { error: redactedError(out.error, redact) }),
      ignoredFailures: steps.filter((s) => s.outcome === "failed-continued"),
      restarts: p.progress.restarts,
      durationMs,
    };
  }

  async function readState(): Promise<{ snapshot: ReturnType<typeof parseSnapshot>; records: ProgressRecord[] } | undefined> {
    const loaded = await state.load();
    if (loaded === undefined) return undefined;
    const snapshot = parseSnapshot(loaded.snapshot);
    return { snapshot, records: loaded.records.map((r, i) => parseRecord(r, i + 1)) };
  }

  /** State of another run in the store: deleted with `discard`, else `StaleState` naming that run. */
  async function clearStaleState(existing: RunOptions["existingState"]): Promise<void> {
    if ((await state.load()) === undefined) return;
    if (existing === "discard") {
      await state.clear();
      return;
    }
    let details: Record<string, unknown>;
    try {
      const info = await persistedRun();
      details = { runId: info?.runId, packageId: info?.packageId, deploymentId: info?.deploymentId };
    } catch {
      details = { unreadable: true };
    }
    throw new TaskSeqError("StaleState", "State of another run exists; resume it or discard it before starting a new run.", { details });
  }

  async function run(sequence: TaskSequence, o: RunOptions = {}): Promise<RunResult> {
    checkSequenceShape(sequence, "sequence");
    checkRunOptions(o);
    const dryRun = o.dryRun === true;
    const packageId = o.packageId ?? sequence.package?.packageId ?? DEFAULT_PACKAGE_ID;
    const table = await buildInstructionTable(sequence, resolver, packageId);
    const children = new Map<string, NonNullable<Extract<Instruction, { kind: "enter-child" }>["child"]>>();
    for (const ins of table) if (ins.kind === "enter-child" && ins.child !== undefined) children.set(ins.child.packageId.toUpperCase(), ins.child);
    const name = sequence.package?.name ?? sequence.name ?? packageId;
    const run: PersistedRun = {
      runId: o.runId ?? globalThis.crypto.randomUUID(),
      packageId,
      deploymentId: o.deploymentId,
      name,
      startedAt: now(),
      sequence,
      children: [...children.values()],
      launchMode: o.launchMode ?? "SMS",
      maxRunTimeMinutes: o.maxRunTimeMinutes ?? 120,
      maxRunTimeEnforcement: o.maxRunTimeEnforcement ?? "monitorOnly",
      instructionCount: table.length,
      savedPowerPlan: await savedPowerPlan(),
      ...(o.logPath === undefined ? {} : { logPath: o.logPath }),
    };
    const progress: PersistedProgress = { pointer: 0, inProgress: undefined, restart: undefined, restarts: 0, outcomes: {}, failure: undefined };
    const { env, engineEnv, log } = environment();
    await configureLog(log);
    // The run as its snapshots store it: a dry run stores nothing.
    const p: Prepared = { table, run: dryRun ? run : await sealSettings(run, secretStore), progress, env, engineEnv, log };
    const v = o.variables ?? {};
    engineEnv.applyLayers({
      sequence: sequence.globalVariables.map((g) => ({ name: g.name, value: g.value })),
      ...(v.collections === undefined ? {} : { collections: v.collections }),
      ...(v.device === undefined ? {} : { device: v.device }),
      ...(v.media === undefined ? {} : { media: v.media }),
    });
    for (const [n, value] of Object.entries(v.runtime ?? {})) env.set(n, value);
    // Only once every input is checked (the items, the children, the variables): a run that cannot start leaves another run's state alone.
    if (!dryRun) await clearStaleState(o.existingState);
    // Written once the initial variables are set, so that their secret values are masked in it.
    log.write(1, "TSMBootstrap", "run-start", `Task sequence ${name} (${packageId}) starting. Deployment: ${o.deploymentId ?? "none"}. Launch mode: ${run.launchMode}. Engine version ${ENGINE_VERSION}`);
    const set = (n: string, value: string | undefined): void => {
      if (value !== undefined && value !== "") engineEnv.set(n, value);
    };
    set("_SMSTSPackageID", packageId);
    set("_SMSTSPackageName", name);
    set("_SMSTSAdvertID", o.deploymentId);
    set("_SMSTSBootImageID", sequence.package?.bootImageId);
    set("_SMSTSType", sequence.package?.properties["Type"] ?? "1");
    set("_SMSTSLaunchMode", run.launchMode);
    set("_SMSTSMediaType", o.mediaType);
    if (run.launchMode === "SMS" && o.userStarted !== undefined) set("_SMSTSUserStarted", o.userStarted ? "true" : "false");
    const site = o.site ?? {};
    const flag = (value: boolean | undefined): string | undefined => (value === undefined ? undefined : value ? "true" : "false");
    set("_SMSTSSiteCode", site.siteCode);
    set("_SMSTSMP", site.managementPoint);
    set("_SMSTSMPPort", site.managementPointPort === undefined ? undefined : String(site.managementPointPort));
    set("_SMSTSUseSSL", flag(site.useSsl));
    set("_SMSTSUseCRL", flag(site.useCrl));
    set("_SMSTSOrgName", site.orgName);
    set("_SMSTSClientGUID", site.clientGuid);
    set("_SMSTSDownloadOnDemand", flag(site.downloadOnDemand));
    set("_SMSTSRunFromDP", flag(site.runFromDistributionPoint));
    set("_SMSTSCustomProgressDialogMessage", sequence.package?.properties["CustomProgressMsg"]);
    set("_SMSTSInstructionTableSize", String(table.length));
    const os = await refreshEnvironmentBuiltins(device, { get: (n) => env.get(n), set, logPath: run.logPath });
    setTimeZoneBuiltin(os, engineEnv, log);
    setSequenceDocumentBuiltin(sequence, table, engineEnv, log);
    if (!dryRun) await applyPowerPlan(device, HIGH_PERFORMANCE_PLAN, log);
    const s = await session(p, { dryRun, stopAtRestart: o.stopAtRestart === true, signal: o.signal, resolver, debug: o.debug, resumed: false });
    await s.snapshot();
    emit({ type: "run-started", runId: run.runId, name: env.redact(name), packageId, instructionCount: table.length, resumed: false });
    return finish(p, s, dryRun);
  }

  /** `_SMSTSTimezone` (builtin-variables.md §1) from the device's Windows time zone; an unknown zone is a warning and leaves it unset. */
  function setTimeZoneBuiltin(os: OsFacts | undefined, engineEnv: EngineEnvironment, log: RunLogger): void {
    const zone = os?.timeZone;
    if (zone === undefined || zone.trim() === "") return;
    let info;
    try {
      info = windowsTimeZoneInformation(zone, new Date(now()).getUTCFullYear());
    } catch {
      info = undefined; // A clock outside SYSTEMTIME's years.
    }
    if (info === undefined) {
      log.write(2, "TSManager", "time-zone", `The time zone "${zone}" is not a known Windows time zone; _SMSTSTimezone is not set`);
      return;
    }
    engineEnv.set("_SMSTSTimezone", formatTimeZoneInformation(info));
  }

  /** `_SMSTSTaskSequence` (builtin-variables.md §1.1) through the `sequenceDocument` option; a failure is a warning and leaves it unset. */
  function setSequenceDocumentBuiltin(sequence: TaskSequence, table: readonly Instruction[], engineEnv: EngineEnvironment, log: RunLogger): void {
    const write = options.sequenceDocument;
    if (write === undefined) return;
    try {
      const document = write(mergedSequence(sequence, table));
      if (typeof document !== "string") throw new TaskSeqError("InvalidArgument", "The sequence document is not a string.");
      engineEnv.set("_SMSTSTaskSequence", document);
    } catch (e) {
      const why = e instanceof TaskSeqError && e.code === "EnvironmentFull" ? "the document does not fit in the task sequence environment" : e instanceof Error ? e.message : String(e);
      log.write(2, "TSManager", "sequence-document", `_SMSTSTaskSequence is not set: ${why}`);
    }
  }

  async function resume(o: ResumeOptions = {}): Promise<RunResult> {
    const loaded = await readState();
    if (loaded === undefined) throw new TaskSeqError("NoStateToResume", "There is no persisted run to resume.");
    const { snapshot, records } = loaded;
    const run = snapshot.run;
    const progress: PersistedProgress = structuredClone(snapshot.progress);
    const opened = await unsealSettings(run, secretStore);
    const childResolver = createMapResolver(opened.children);
    const table = await buildInstructionTable(opened.sequence, childResolver, run.packageId);
    if (table.length !== run.instructionCount) throw new TaskSeqError("StateCorrupt", "The persisted instruction table does not match its task sequence.");
    const { env, engineEnv, log } = environment();
    await configureLog(log);
    try {
      await engineEnv.restore(JSON.stringify(snapshot.environment));
      for (const rec of records) {
        applyRecord(progress, rec);
        for (const outcome of rec.out ?? []) progress.outcomes[outcome[0]] = stepReportOf(table, outcome);
        for (const n of IMPLIED_VARIABLES) {
          const v = impliedValue(table, rec, n);
          if (v !== undefined) engineEnv.set(n, v);
        }
        for (const c of rec.vars ?? []) {
          if (c.s !== undefined) engineEnv.set(c.n, await secretStore.unseal(c.s), { secret: true, layer: c.l });
          else if (c.p !== undefined) engineEnv.set(c.n, await secretStore.unseal(c.p), { layer: c.l });
          else engineEnv.set(c.n, c.v ?? "", { layer: c.l });
        }
      }
    } catch (cause) {
      if (cause instanceof TaskSeqError && cause.code === "SecretStoreUnavailable") throw cause;
      throw cause instanceof TaskSeqError && cause.code === "StateCorrupt" ? cause : new TaskSeqError("StateCorrupt", "The persisted environment cannot be restored.", { cause });
    }
    const p: Prepared = { table, run, progress, env, engineEnv, log };
    const s = await session(p, { dryRun: false, stopAtRestart: o.stopAtRestart === true, signal: o.signal, resolver: childResolver, debug: o.debug, resumed: true });
    log.write(1, "TSMBootstrap", "resume", `Resuming task sequence ${run.name} (${run.packageId}), run ${run.runId}, at instruction ${progress.pointer}`);
    await s.snapshot();
    emit({ type: "run-started", runId: run.runId, name: env.redact(run.name), packageId: run.packageId, instructionCount: table.length, resumed: true });
    if (progress.restart !== undefined) {
      await s.afterRestart();
    } else {
      await refreshEnvironmentBuiltins(device, { get: (n) => env.get(n), set: (n, v) => engineEnv.set(n, v), logPath: run.logPath, onLogMoved: logMovedLine(log) });
      await applyPowerPlan(device, HIGH_PERFORMANCE_PLAN, log);
      const marker = progress.inProgress;
      const ins = marker === undefined ? undefined : table[marker.index];
      if (marker !== undefined && ins?.kind === "step" && o.interrupted !== "rerun") {
        if (ins.item.retryCount - marker.retriesUsed > 0) {
          progress.inProgress = { index: marker.index, retriesUsed: marker.retriesUsed + 1 };
          progress.pointer = marker.index;
          log.write(2, "TSManager", "unexpected-restart", `The computer restarted unexpectedly while (${ins.item.name}) was running; retrying it (${marker.retriesUsed + 1} of ${ins.item.retryCount})`);
        } else {
          const next = await s.failInterrupted(marker.index);
          progress.pointer = next < 0 ? table.length : next;
        }
      } else if (marker !== undefined) {
        progress.pointer = marker.index;
      }
    }
    return finish(p, s, false);
  }

  async function persistedRun(): Promise<PersistedRunInfo | undefined> {
    const loaded = await readState();
    if (loaded === undefined) return undefined;
    const progress = structuredClone(loaded.snapshot.progress);
    for (const r of loaded.records) applyRecord(progress, r);
    const r = loaded.snapshot.run;
    return { runId: r.runId, packageId: r.packageId, deploymentId: r.deploymentId, name: r.name, restartPending: progress.restart !== undefined };
  }

  function debugged(o: DebugOptions & { readonly signal?: AbortSignal }, launch: (debug: DebugHook) => Promise<RunResult>): DebugSession {
    const { session, observe } = startDebugSession(o, launch, o.signal);
    debugObserver = observe;
    session.result.then(
      () => void (debugObserver === observe && (debugObserver = undefined)),
      () => void (debugObserver === observe && (debugObserver = undefined)),
    );
    return session;
  }

  return {
    run,
    resume,
    persistedRun,
    discardState: () => state.clear(),
    debug: (sequence, o = {}) => debugged(o, (debug) => run(sequence, { ...o, debug })),
    resumeDebug: (o = {}) => debugged(o, (debug) => resume({ ...o, debug })),
  };
}
