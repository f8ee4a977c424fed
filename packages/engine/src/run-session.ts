/**
 * One run session: processes the instruction table from the current pointer until the end, a
 * run-level failure or a pending restart (execution.md §3–§9, §13). Internal to the engine.
 */
import type { Device, OsFacts, RestartTarget } from "@taskseq/device";
import type { ChangeRecord, EngineEnvironment, ExpandOptions, SecretStore, TaskSequenceEnvironment } from "@taskseq/environment";
import { E_FAIL_RETURN_CODE, TaskSeqError, isTaskSeqError, stepReturnCodeOf, type Group, type Step } from "@taskseq/model";
import type { TaskSequenceResolver } from "./child-resolver.js";
import { evaluateCondition, readsOnlyVariables } from "./conditions.js";
import type { DebugCheckpoint, DebugControl, DebugHook, HeldFailure } from "./debugger/debug-hook.js";
import { isUnreachable } from "./debugger/reachability.js";
import type { EngineEventListener } from "./events.js";
import type { EnterChildInstruction, EnterGroupInstruction, Instruction, StepInstruction } from "./instruction-table.js";
import type { RunLogger } from "./run-logger.js";
import { stepComponent } from "./run-logger.js";
import type { FailureInfo, RunResult, StepOutcome, StepReport } from "./run-result.js";
import type { JournalOutcome, PendingRestart, PersistedProgress, PersistedRun, ProgressRecord, VariableChange } from "./state-format.js";
import { RUN_STATE_FORMAT, RUN_STATE_VERSION, applyRecord, formatRecord, impliedValue, packRun } from "./state-format.js";
import type { StateStore } from "./state-store.js";
import { resolveSettings, stepDefaults } from "./step-defaults.js";
import type { RunInfo, StepHandlerContext, StepHandlerRegistry, StepHandlerResult, StepLogger, StepRestartRequest } from "./step-handler.js";
import { isRestartCode, isSuccessCode, toSigned32 } from "./success-codes.js";
import { isPlainLogText } from "./cmtrace.js";
import { StepScopedEnvironment } from "./step-environment.js";
import { setLongTimeout } from "./long-timeout.js";

/** Recurring smsts.log messages held per kind (see {@link recurringMessage}). */
const MESSAGE_CACHE_LIMIT = 1024;

/** The last message built for a key, with the text it ends with. */
interface HeldMessage {
  readonly text: string;
  readonly message: string;
}

/**
 * `prefix + key + separator + text`: the message held for `key` when it was built with the same
 * text (the same message as the last time, built and scanned once), otherwise built and held. The
 * texts are compared, not the message's end: a held message is a concatenation, and reading its
 * characters would walk its parts. Each map is used with one prefix and one separator.
 */
function recurringMessage(held: Map<string, HeldMessage>, prefix: string, key: string, separator: string, text: string): string {
  const last = held.get(key);
  if (last !== undefined && last.text === text) return last.message;
  const message = `${prefix}${key}${separator}${text}`;
  if (held.size >= MESSAGE_CACHE_LIMIT) held.clear();
  held.set(key, { text, message });
  return message;
}

/**
 * Journal bytes below which no compaction happens; above it, compaction waits until the journal is
 * as large as the last snapshot (amortised O(1) per record). 4 MiB is about 30,000 step records,
 * which a resume replays in well under a second; rewriting the whole state to save less is not
 * worth it.
 */
const MIN_COMPACT_BYTES = 4 << 20;

/** The return code of a typed step failure (steps.md §1.3; E_FAIL when the spec names none). */
/** The return code a step or run failing with `error` reports (steps.md §1.3; anything unmapped is E_FAIL). */
export function returnCodeOf(error: TaskSeqError): number {
  return stepReturnCodeOf(error.code) ?? E_FAIL_RETURN_CODE;
}

/** Everything a session needs. */
export interface SessionDeps {
  readonly table: readonly Instruction[];
  readonly run: PersistedRun;
  readonly progress: PersistedProgress;
  readonly env: TaskSequenceEnvironment;
  readonly engineEnv: EngineEnvironment;
  readonly handlers: StepHandlerRegistry;
  readonly device: Device;
  readonly resolver: TaskSequenceResolver;
  readonly log: RunLogger;
  readonly emit: EngineEventListener;
  /** Whether anyone receives events (a host listener or a debugger): per-step events are not built for nobody. */
  readonly listening: () => boolean;
  readonly now: () => number;
  /** `undefined` in dry-run mode (nothing is persisted). */
  readonly state: StateStore | undefined;
  readonly secretStore: SecretStore;
  readonly processEnvironment: (name: string) => string | undefined;
  /** Reads the device's process environment again (after a restart the device runs another OS). */
  readonly readProcessEnvironment: () => Promise<(name: string) => string | undefined>;
  /** Gives the log sink the rollover limits again (after a restart the device may have another smsts.ini). */
  readonly configureLog: () => Promise<void>;
  readonly dryRun: boolean;
  readonly stopAtRestart: boolean;
  readonly signal: AbortSignal | undefined;
  readonly caseSensitive: boolean;
  readonly compactEvery: number;
  readonly engineVersion: string;
  /** Makes written log lines durable (restart points). */
  readonly flushLog: () => Promise<void>;
  /** The attached debugger, if any (execution.md §11). */
  readonly debug?: DebugHook | undefined;
  /** True when this session continues a persisted run. */
  readonly resumed?: boolean;
}

/** A run-level failure: ends the run whatever continue-on-error says. */
class RunFailure extends Error {
  constructor(readonly error: TaskSeqError) {
    super(error.message);
  }
}

/**
 * The device lost power (a fault it injected, docs/device-adapters.md): the run stops as if the
 * engine were killed, its state kept with the step marked in progress, for a resume.
 */
class PowerLost extends Error {
  constructor(readonly error: TaskSeqError) {
    super(error.message);
  }
}

/** A record being assembled. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What can stop a running handler (see `RunSession.watchStep`). */
interface StepWatch {
  /** Given to the handler. */
  readonly signal: AbortSignal;
  /** Rejects with the reason when the step is stopped. */
  readonly aborted: Promise<never>;
  /** Clears the timers and the host listener. */
  readonly dispose: () => void;
  /**
   * The step timeout or maximum run time the engine clock has passed by now: a simulated clock
   * jumps while the handler runs, and the timers, which wait on real time, then never fire.
   */
  readonly overdue: () => TaskSeqError | undefined;
}

/** A started handler: settled by `RunSession.settleHandler` once `result` settles. */
class RunningHandler {
  constructor(
    readonly context: HandlerContext,
    readonly watch: StepWatch | undefined,
    /** The handler's result, raced against the step's watch. */
    readonly result: Promise<StepHandlerResult>,
  ) {}
}

/** Outcome of processing one step's handler. */
interface StepRun {
  readonly exitCode: number;
  readonly succeeded: boolean;
  readonly error: TaskSeqError | undefined;
  readonly restart: StepRestartRequest | undefined;
  readonly runLevel: TaskSeqError | undefined;
}

/** How far a step got before its handler's result: the next pointer (skipped), a result without a handler run, or the running handler. */
type StepStart = number | StepRun | RunningHandler;

const TRUE = /^true$/i;

/** Apply Network Settings: its own condition does not apply (steps.md §21.4). */
const APPLY_NETWORK_SETTINGS_TYPE = "SMS_TaskSequence_ApplyNetworkSettingsAction";
/** Install Application and Restart Computer: the wait after a restart from media (steps.md §13 item 10). */
const INSTALL_APPLICATION_TYPE = "SMS_TaskSequence_InstallApplicationAction";
const RESTART_COMPUTER_TYPE = "SMS_TaskSequence_RebootAction";
/** Format and Partition Disk: the data path and the log folder follow it (steps.md §9). */
const PARTITION_DISK_TYPE = "SMS_TaskSequence_PartitionDiskAction";
/** Setup Windows and ConfigMgr: any failure ends the run (execution.md §5.2 item 4). */
const SETUP_WINDOWS_TYPE = "SMS_TaskSequence_SetupWindowsAndSMSAction";
/** Upgrade Operating System: a rollback is handled as continue-on-error (execution.md §5.2 item 5). */
const UPGRADE_OS_TYPE = "SMS_TaskSequence_UpgradeOperatingSystemAction";

/** The signal of steps that can be neither timed out nor aborted. */
const NEVER_ABORTED = new AbortController().signal;

/** What a handler receives; its step logger is made when the handler first logs. The engine's own parts stay in private fields. */
class HandlerContext implements StepHandlerContext {
  readonly step: Step;
  readonly path: string;
  readonly env: StepScopedEnvironment;
  readonly device: Device;
  readonly secrets: SecretStore;
  readonly #setReadOnly: (name: string, value: string) => void;
  readonly #index: number;
  readonly #log: RunLogger;
  #stepLog: StepLogger | undefined;

  constructor(
    ins: StepInstruction,
    deps: SessionDeps,
    readonly settings: Readonly<Record<string, string>>,
    setReadOnly: (name: string, value: string) => void,
    readonly signal: AbortSignal,
    readonly run: RunInfo,
  ) {
    this.step = ins.item;
    this.path = ins.path;
    this.env = new StepScopedEnvironment(deps.env, ins.item, deps.log, ins.index);
    this.#setReadOnly = setReadOnly;
    this.device = deps.device;
    this.secrets = deps.secretStore;
    this.#index = ins.index;
    this.#log = deps.log;
  }

  /**
   * Writes an engine-owned output; refused like the environment's writes once the step has ended.
   * A getter, so the context makes no closure per step unless a handler uses it, and the function
   * still works when taken out of the context (`const { setReadOnly } = ctx`).
   */
  get setReadOnly(): (name: string, value: string) => void {
    return (name, value) => {
      this.env.checkOpen(name);
      this.#setReadOnly(name, value);
    };
  }

  get log(): StepLogger {
    return (this.#stepLog ??= this.#log.forStep(stepComponent(this.step.type), this.#index));
  }
}

export class RunSession {
  /** Environment changes up to here have been announced (events, log). */
  private mark: number;
  /** Environment changes up to here are in the journal or the snapshot. */
  private written: number;
  /** A record not yet written (a deferred step completion, merged with what follows). */
  private unwritten: Mutable<ProgressRecord> | undefined;
  private records = 0;
  private journalBytes = 0;
  private snapshotBytes = 0;
  private runJson: string | undefined;
  /** Step reports not yet in the journal, in order (a later report of the same instruction replaces an earlier one on replay). */
  private pendingOutcomes: JournalOutcome[] = [];
  /** A failure the debugger holds (execution.md §11.3). */
  private held: HeldFailure | undefined;
  private debugCalls = 0;
  /** The step whose name {@link RunSession.isPlainName} checked last, and the answer. */
  private plainNameOf: Step | undefined;
  private plainName = false;
  /** Step reports as of the last debugger checkpoint (`undefined`: fold the history again). */
  private folded: Map<number, StepReport> | undefined;

  private readonly runInfo: RunInfo;
  /** `%VAR%` expansion's fallback to the device's process environment, read again after every restart. */
  private expandOptions: ExpandOptions;
  private readonly setReadOnly = (name: string, value: string): void => this.d.engineEnv.set(name, value);
  /** The verbose line of a string the engine expands (logging.md §6; the logger masks secret text). */
  private readonly logExpansion = (text: string): void => this.d.log.write("verbose", "TSManager", "expand", `Expand a string: ${text}`);
  /** The last "Set a global environment variable" message of each built-in: the next step often writes the same value (`_SMSTSLastActionRetCode=0`). */
  private readonly builtinMessages = new Map<string, HeldMessage>();
  /** The "Set a local default variable" message of each name (the same few names on every step of a type). */
  private readonly defaultMessages = new Map<string, HeldMessage>();

  constructor(private readonly d: SessionDeps) {
    this.mark = d.env.mark();
    this.written = this.mark;
    this.expandOptions = { processEnvironment: d.processEnvironment };
    this.runInfo = {
      runId: d.run.runId,
      launchMode: d.run.launchMode,
      fromMedia: d.run.launchMode !== "SMS",
      packageId: d.run.packageId,
      deploymentId: d.run.deploymentId,
      resolver: d.resolver,
      engineVersion: d.engineVersion,
      conditionCaseSensitive: d.caseSensitive,
    };
  }

  // ------------------------------------------------------------------------------------------
  // Persistence
  // ------------------------------------------------------------------------------------------

  /**
   * The persisted form of environment changes: the last change of each name, holding its current
   * value (no step's local defaults are active here), except built-ins holding the value `record`
   * implies (checked first: the reader derives them, so a step name holding secret text is not
   * sealed for them); secret values, and values containing secret text, sealed by the secret store.
   * Synchronous unless something needs sealing.
   */
  private persistedChanges(changes: readonly ChangeRecord[], record: ProgressRecord): VariableChange[] | Promise<VariableChange[]> {
    const out: (VariableChange | Promise<VariableChange>)[] = [];
    let sealing = false;
    for (const c of lastChangePerName(changes)) {
      if (c.layer === "engine" && !c.secret && c.newValue !== undefined && impliedValue(this.d.table, record, c.name) === c.newValue) continue;
      const value = c.secret ? this.d.env.get(c.name) : c.newValue;
      if (value === undefined) out.push({ n: c.name, l: c.layer });
      else if (c.secret || this.d.env.redact(value) !== value) {
        sealing = true;
        out.push(this.sealed(c, value));
      } else out.push({ n: c.name, v: value, l: c.layer });
    }
    return sealing ? Promise.all(out) : (out as VariableChange[]);
  }

  private async sealed(c: ChangeRecord, value: string): Promise<VariableChange> {
    const token = await this.d.secretStore.seal(value);
    return c.secret ? { n: c.name, s: token, l: c.layer } : { n: c.name, p: token, l: c.layer };
  }

  /**
   * Announces environment changes (events, log) and records progress in memory; the record is
   * kept and merged into the next one, so a step's completion goes out in one record with the
   * next step's start: one record and one write per step. A kept record is always written before
   * another handler starts, before a restart, before a condition that queries the device and at
   * the end of the session, so a kill in between only re-runs that step as if it had been in
   * flight. The record is taken over (callers pass a fresh literal): it becomes the kept record
   * or is merged into it.
   */
  keep(record: Mutable<ProgressRecord>): void {
    const env = this.d.env;
    if (env.mark() !== this.mark) {
      const changes = env.changesSince(this.mark);
      this.mark = env.mark();
      const listening = this.d.listening();
      for (const c of changes) {
        if (listening) this.emit({ type: "variable-changed", name: c.name, value: c.newValue === undefined ? undefined : env.redact(c.newValue), secret: c.secret });
        // Names are checked (letters, digits, `_`, `-`): the value decides whether the line is plain.
        if (c.layer !== "engine") this.d.log.write(1, "TSManager", "variable-set", `Set a global environment variable ${c.name}=${c.newValue ?? ""}`, undefined, isPlainLogText(c.newValue ?? ""));
      }
    }
    applyRecord(this.d.progress, record);
    if (this.d.state === undefined) {
      this.pendingOutcomes = [];
      this.d.engineEnv.compactJournal(this.mark);
      return;
    }
    // Applying the merged record equals applying the two in order: a later field replaces an earlier one.
    this.unwritten = this.unwritten === undefined ? record : Object.assign(this.unwritten, record);
  }

  /** {@link RunSession.keep}, then writes the record to the journal (`durable` fsyncs it). */
  async commit(record: Mutable<ProgressRecord>, options: { readonly durable?: boolean } = {}): Promise<void> {
    this.keep(record);
    await this.writeJournal(options.durable === true);
  }

  /** Writes a kept record now (see {@link RunSession.keep}). */
  async flushDeferred(): Promise<void> {
    await this.writeJournal(false);
  }

  /**
   * Appends the kept record with the step reports and variable changes since the last one;
   * `undefined` when it is written on return (a synchronous store, nothing to seal, no
   * compaction), so the next handler starts without an event-loop turn.
   */
  private writeJournal(durable: boolean): Promise<void> | undefined {
    const state = this.d.state;
    const record = this.unwritten;
    if (state === undefined || record === undefined) return undefined;
    this.unwritten = undefined;
    const env = this.d.env;
    const changes = env.changesSince(this.written);
    this.written = env.mark();
    if (this.pendingOutcomes.length > 0) {
      record.out = this.pendingOutcomes;
      this.pendingOutcomes = [];
    }
    const persisted = this.persistedChanges(changes, record);
    return persisted instanceof Promise ? persisted.then((vars) => this.append(state, record, vars, durable)) : this.append(state, record, persisted, durable);
  }

  private append(state: StateStore, record: Mutable<ProgressRecord>, vars: readonly VariableChange[], durable: boolean): Promise<void> | undefined {
    if (vars.length > 0) record.vars = vars;
    this.d.engineEnv.compactJournal(this.written);
    const line = formatRecord(record);
    const appending = state.append(line, durable);
    return appending === undefined ? this.appended(line) : Promise.resolve(appending).then(() => this.appended(line));
  }

  /** Counts an appended record; compacts when the journal has outgrown its limit. */
  private appended(line: string): Promise<void> | undefined {
    this.journalBytes += line.length + 1;
    this.records++;
    return this.records >= this.d.compactEvery || this.journalBytes >= Math.max(MIN_COMPACT_BYTES, this.snapshotBytes) ? this.snapshot() : undefined;
  }

  /** Writes a full snapshot (run start, compaction). */
  async snapshot(): Promise<void> {
    if (this.d.state === undefined) return;
    this.mark = this.d.env.mark();
    this.written = this.mark;
    this.unwritten = undefined;
    this.pendingOutcomes = [];
    this.d.engineEnv.compactJournal(this.mark);
    this.runJson ??= JSON.stringify(packRun(this.d.run));
    const doc = `{"format":${JSON.stringify(RUN_STATE_FORMAT)},"version":${RUN_STATE_VERSION},"run":${this.runJson},"progress":${JSON.stringify(this.d.progress)},"environment":${await this.d.engineEnv.serialize()}}`;
    await this.d.state.replace(doc);
    this.records = 0;
    this.journalBytes = 0;
    this.snapshotBytes = doc.length;
  }

  // ------------------------------------------------------------------------------------------
  // Helpers
  // ------------------------------------------------------------------------------------------

  private emit(event: Parameters<EngineEventListener>[0]): void {
    this.d.emit(event);
  }

  /**
   * Writes an engine built-in and logs it. A value equal to the current one (the same return code
   * or result as the previous step's) is logged but makes no change: nothing to announce or journal.
   * No built-in is secret by its name; secret text in a value (a step name holding a password) is
   * masked by the logger's redaction, like in any other line.
   */
  private setBuiltin(name: string, value: string, plainValue = isPlainLogText(value)): void {
    if (this.d.env.get(name) !== value) this.d.engineEnv.set(name, value);
    this.d.log.write(1, "TSManager", "variable-set", recurringMessage(this.builtinMessages, "Set a global environment variable ", name, "=", value), undefined, plainValue);
  }

  /** Whether a step's name is plain log text (`isPlainLogText`), checked once for the lines of its start and its result. */
  private isPlainName(step: Step): boolean {
    if (this.plainNameOf !== step) {
      this.plainNameOf = step;
      this.plainName = isPlainLogText(step.name);
    }
    return this.plainName;
  }

  private report(index: number, step: Step, path: string, outcome: StepOutcome, exitCode: number, reason?: string): void {
    const r: StepReport = reason === undefined ? { path, name: step.name, type: step.type, outcome, exitCode } : { path, name: step.name, type: step.type, outcome, exitCode, reason: this.d.env.redact(reason) };
    this.d.progress.outcomes[index] = r;
    this.pendingOutcomes.push(r.reason === undefined ? [index, outcome, exitCode] : [index, outcome, exitCode, r.reason]);
  }

  private groupsOf(index: number): string[] {
    const names: string[] = [];
    for (let s = this.d.table[index]?.scope ?? -1; s >= 0; s = this.d.table[s]?.scope ?? -1) {
      const ins = this.d.table[s];
      if (ins !== undefined) names.unshift(ins.item.name);
    }
    return names;
  }

  private checkRunTime(): void {
    if (this.d.signal?.aborted === true) throw new RunFailure(new TaskSeqError("Aborted", "The run was aborted by the host."));
    const limit = this.runTimeLimitMs();
    if (limit !== undefined && this.d.now() - this.d.run.startedAt >= limit) throw new RunFailure(this.runTimeExceeded());
  }

  private runTimeExceeded(): TaskSeqError {
    return new TaskSeqError("MaxRunTimeExceeded", `The task sequence exceeded its maximum run time of ${this.d.run.maxRunTimeMinutes} minutes.`);
  }

  private runTimeLimitMs(): number | undefined {
    if (this.d.run.maxRunTimeEnforcement !== "stop" || this.d.run.maxRunTimeMinutes <= 0) return undefined;
    return this.d.run.maxRunTimeMinutes * 60_000;
  }

  private progressEvent(pointer: number): void {
    if (!this.d.listening()) return;
    const total = this.d.table.length;
    // "2 of 10 (20% complete)" (TSProgressInfoLevel): the percentage is of the count the text shows.
    const percent = total === 0 ? 100 : Math.floor(((pointer + 1) * 100) / total);
    const level = (this.d.env.get("TSProgressInfoLevel") ?? "").trim();
    const text = level === "2" ? `${pointer + 1} of ${total} (${percent}% complete)` : level === "3" ? `(${percent}% complete)` : `${pointer + 1} of ${total}`;
    this.emit({ type: "progress", current: pointer, total, percent, text });
  }

  /** The progress UI (com-api.md `ShowActionProgress`): uStep = pointer, uMaxStep = table size; off with `TSDisableProgressUI=true`. */
  private async showProgress(step: Step, index: number): Promise<void> {
    const ui = this.d.device.ui;
    if (ui === undefined || this.d.dryRun || TRUE.test(this.d.env.get("TSDisableProgressUI") ?? "")) return;
    try {
      await ui.progress({ title: this.d.env.get("_SMSTSCustomProgressDialogMessage") ?? this.d.run.name, step: step.name, current: index, total: this.d.table.length });
    } catch {
      // The progress display is best effort.
    }
  }

  private markInner(enter: EnterGroupInstruction | EnterChildInstruction, outcome: "skipped-condition" | "skipped-disabled", reason: string): void {
    for (let i = enter.index + 1; i < enter.end; i++) {
      const ins = this.d.table[i];
      if (ins !== undefined && (ins.kind === "step" || ins.kind === "enter-child")) this.report(i, ins.item, ins.path, outcome, 0, reason);
    }
  }

  // ------------------------------------------------------------------------------------------
  // The loop
  // ------------------------------------------------------------------------------------------

  /** Processes instructions until the end, a run-level failure or a pending restart. */
  async execute(): Promise<Omit<RunResult, "steps" | "variables" | "runId" | "ignoredFailures" | "restarts" | "durationMs"> & { readonly pending?: boolean }> {
    const { table, progress } = this.d;
    try {
      while (progress.pointer < table.length && progress.failure === undefined) {
        this.checkRunTime();
        if (this.d.debug !== undefined) {
          const verdict = await this.d.debug.beforeInstruction(this.debugControl());
          if (verdict === "cancel") throw new RunFailure(new TaskSeqError("DebuggerCancelled", "The debugger cancelled the task sequence."));
          if (verdict === "propagate" && this.held !== undefined) {
            await this.releaseHeld(this.held);
            continue;
          }
          this.held = undefined;
          this.checkRunTime(); // the pause may have outlasted the run time, or the host aborted during it
        }
        const ins = table[progress.pointer];
        if (ins === undefined) break;
        this.d.log.instruction = ins.index;
        this.d.engineEnv.set("_SMSTSNextInstructionPointer", String(ins.index));
        this.progressEvent(ins.index);
        let next: number;
        switch (ins.kind) {
          case "enter-group":
          case "enter-child":
            next = await this.enter(ins);
            break;
          case "leave-group":
            this.d.log.write(1, "TSManager", "group-result", `The group (${ins.item.name}) has been successfully completed`);
            next = ins.index + 1;
            break;
          case "leave-child": {
            const id = ins.child?.packageId ?? "";
            this.d.log.write(1, "TSManager", "child-end", `End of child task sequence ${ins.child?.name ?? ""} (${id}) started by (${ins.item.name})`);
            this.emit({ type: "child-end", path: ins.path, packageId: id, name: this.d.env.redact(ins.child?.name ?? "") });
            this.report(ins.start, ins.item, ins.path, "success", 0);
            next = ins.index + 1;
            break;
          }
          case "step": {
            // The step's handler is the only thing awaited on the common path: each await in a
            // nested async function would suspend (and copy) one more frame per step.
            const begun = this.beginStep(ins);
            const started = begun instanceof Promise ? await begun : begun;
            let finished: number | "pending" | Promise<number | "pending">;
            if (typeof started === "number") finished = started;
            else if (started instanceof RunningHandler) {
              let result: StepHandlerResult | undefined;
              let failure: { readonly error: unknown } | undefined;
              try {
                result = await started.result;
              } catch (e) {
                failure = { error: e };
              }
              finished = this.finishStep(ins, this.settleHandler(ins, started.context, started.watch, result, failure));
            } else finished = this.finishStep(ins, started);
            const r = finished instanceof Promise ? await finished : finished;
            if (r === "pending") return { status: "restart-pending", exitCode: 3, pending: true };
            next = r;
            break;
          }
        }
        if (next < 0) break;
        progress.pointer = next;
      }
      await this.flushDeferred();
      if (progress.failure !== undefined) return { status: "failed", exitCode: 1, failure: progress.failure };
      return { status: "success", exitCode: 0 };
    } catch (e) {
      if (e instanceof PowerLost) {
        // Nothing more is written to the state, as after a kill: the step's in-progress marker is already there.
        this.d.log.write(3, "TSManager", "power-loss", `${e.error.message} The task sequence stops; resuming it handles an unexpected restart`);
        return { status: "restart-pending", exitCode: 3, error: e.error, pending: true };
      }
      if (e instanceof RunFailure) {
        await this.flushDeferred();
        this.d.log.write(3, "TSManager", "run-failure", `Task sequence execution failed: ${e.error.message}`);
        return { status: "failed", exitCode: 1, error: e.error };
      }
      throw e;
    }
  }

  private async enter(ins: EnterGroupInstruction | EnterChildInstruction): Promise<number> {
    const item: Group | Step = ins.item;
    const kind = ins.kind === "enter-group" ? "group" : "step";
    if (ins.kind === "enter-child") this.setBuiltin("_SMSTSCurrentActionName", item.name);
    if (this.d.debug === undefined ? item.disabled : isUnreachable(this.d.table, ins.index)) {
      const reason = `The ${kind} (${item.name}) is disabled`;
      this.d.log.write(1, "TSManager", "item-disabled", `${reason} and has been skipped`);
      if (ins.kind === "enter-child") this.report(ins.index, ins.item, ins.path, "skipped-disabled", 0, reason);
      this.markInner(ins, "skipped-disabled", reason);
      this.emit({ type: "step-skipped", index: ins.index, path: ins.path, name: this.d.env.redact(item.name), item: kind, outcome: "skipped-disabled", reason: this.d.env.redact(reason) });
      return ins.end + 1;
    }
    if (!(await this.conditionHolds(item, ins.index, ins.path, kind, (reason) => {
      if (ins.kind === "enter-child") this.report(ins.index, ins.item, ins.path, "skipped-condition", 0, reason);
      this.markInner(ins, "skipped-condition", reason);
    }))) {
      return ins.end + 1;
    }
    if (ins.kind === "enter-child") {
      const id = ins.child?.packageId ?? "";
      this.d.log.write(1, "TSManager", "child-begin", `Start of child task sequence ${ins.child?.name ?? ""} (${id}) started by (${item.name})`);
      this.emit({ type: "child-begin", path: ins.path, packageId: id, name: this.d.env.redact(ins.child?.name ?? "") });
    } else {
      this.d.log.write(1, "TSManager", "group-enter", `Entering the group (${item.name})`);
    }
    return ins.index + 1;
  }

  private async conditionHolds(item: Group | Step, index: number, path: string, kind: "group" | "step", onSkip: (reason: string) => void): Promise<boolean> {
    if (item.condition === undefined) return true;
    if (!readsOnlyVariables(item.condition)) await this.flushDeferred();
    const outcome = await evaluateCondition(item.condition, {
      getVariable: (n) => this.d.env.get(n),
      expand: (t) => {
        if (t.includes("%")) this.logExpansion(t);
        return Promise.resolve(this.d.env.expand(t, this.expandOptions));
      },
      device: this.d.device,
      caseSensitive: this.d.caseSensitive,
    });
    for (const line of outcome.trace) this.d.log.write("verbose", "TSManager", "condition-trace", `Evaluating condition for (${item.name}): ${line}`);
    if (outcome.value) return true;
    let reason: string;
    if (outcome.error !== undefined) {
      const failedAt = outcome.failedExpression === undefined ? "" : `${outcome.failedExpression}: `;
      reason = `The condition of (${item.name}) could not be evaluated: ${failedAt}${outcome.error.message}`;
      this.d.log.write(2, "TSManager", "condition-error", `${reason} [${outcome.error.code}]; the ${kind} is skipped`);
    } else {
      reason = `The condition is evaluated to be false`;
      this.d.log.write(1, "TSManager", "condition-false", `The action (${item.name}) has been skipped because the condition is evaluated to be false`);
    }
    onSkip(reason);
    this.emit({ type: "step-skipped", index, path, name: this.d.env.redact(item.name), item: kind, outcome: "skipped-condition", reason: this.d.env.redact(reason) });
    return false;
  }

  /**
   * A step up to its handler (execution.md §3.3 items 1–8): the next pointer when the step is
   * skipped, the result when no handler runs (wrong environment, dry run, no handler), otherwise
   * the running handler. Synchronous unless something must be awaited first (a condition, a
   * journal write that returns a promise, the progress UI).
   */
  private beginStep(ins: StepInstruction): StepStart | Promise<StepStart> {
    const step = ins.item;
    this.d.log.hold();
    try {
      const plainName = this.isPlainName(step);
      this.setBuiltin("_SMSTSCurrentActionName", step.name, plainName);
      this.d.log.write(1, "TSManager", "instruction-start", `Start executing an instruction. Instruction name: ${step.name}. Instruction pointer: ${ins.index}`, undefined, plainName);
    } finally {
      this.d.log.release();
    }
    if (this.d.debug === undefined ? step.disabled : isUnreachable(this.d.table, ins.index)) {
      const reason = `The step (${step.name}) is disabled`;
      this.d.log.write(1, "TSManager", "item-disabled", `${reason} and has been skipped`);
      this.report(ins.index, step, ins.path, "skipped-disabled", 0, reason);
      this.emit({ type: "step-skipped", index: ins.index, path: ins.path, name: this.d.env.redact(step.name), item: "step", outcome: "skipped-disabled", reason: this.d.env.redact(reason) });
      return ins.index + 1;
    }
    if (step.condition !== undefined && step.type === APPLY_NETWORK_SETTINGS_TYPE) {
      // steps.md §21.4: ConfigMgr ignores this step's own condition (the workaround is a conditional group).
      this.d.log.write(2, "TSManager", "condition-ignored", `The condition of (${step.name}) does not apply: Apply Network Settings runs whenever it is enabled and its groups run`);
      return this.markStarted(ins);
    }
    return step.condition === undefined ? this.markStarted(ins) : this.beginConditional(ins);
  }

  private async beginConditional(ins: StepInstruction): Promise<StepStart> {
    const step = ins.item;
    if (!(await this.conditionHolds(step, ins.index, ins.path, "step", (reason) => this.report(ins.index, step, ins.path, "skipped-condition", 0, reason)))) {
      return ins.index + 1;
    }
    return this.markStarted(ins);
  }

  /** Writes the step-in-progress marker (with the previous step's completion), then announces the step and starts its handler. */
  private markStarted(ins: StepInstruction): StepStart | Promise<StepStart> {
    const retriesUsed = this.d.progress.inProgress?.index === ins.index ? this.d.progress.inProgress.retriesUsed : 0;
    this.keep({ p: ins.index, run: { index: ins.index, retriesUsed } });
    const writing = this.writeJournal(false);
    return writing === undefined ? this.announceStep(ins) : writing.then(() => this.announceStep(ins));
  }

  private announceStep(ins: StepInstruction): StepStart | Promise<StepStart> {
    const step = ins.item;
    if (this.d.listening()) this.emit({ type: "step-started", index: ins.index, path: ins.path, name: this.d.env.redact(step.name), stepType: step.type });
    if (this.waitsAfterMediaRestart(ins)) return this.waitAfterMediaRestart().then(() => this.announced(ins));
    return this.announced(ins);
  }

  private announced(ins: StepInstruction): StepStart | Promise<StepStart> {
    return this.d.device.ui === undefined ? this.startHandler(ins) : this.showProgress(ins.item, ins.index).then(() => this.startHandler(ins));
  }

  /**
   * steps.md §13 item 10 (ConfigMgr 2107+): from stand-alone media, an Install Application step
   * right after a Restart Computer step without continue-on-error that ran starts 7 minutes late.
   */
  private waitsAfterMediaRestart(ins: StepInstruction): boolean {
    if (ins.item.type !== INSTALL_APPLICATION_TYPE || !this.runInfo.fromMedia || this.runInfo.launchMode === "PXE" || this.d.dryRun) return false;
    let i = ins.index - 1;
    while (i >= 0 && (this.d.table[i]?.kind === "enter-group" || this.d.table[i]?.kind === "leave-group")) i--;
    const before = this.d.table[i];
    return before?.kind === "step" && before.item.type === RESTART_COMPUTER_TYPE && !before.item.continueOnError && this.d.progress.outcomes[i]?.outcome === "success";
  }

  /** The 7-minute wait, on the device's clock (a simulated clock moves on at once), else in real time; the host's abort ends it. */
  private async waitAfterMediaRestart(): Promise<void> {
    this.d.log.write(1, "TSManager", "media-restart-wait", "Waiting 7 minutes after the restart before installing applications from stand-alone media");
    const ms = 7 * 60_000;
    const clock = this.d.device.clock;
    if (clock !== undefined) return clock.sleep(ms, this.d.signal).catch(() => undefined); // an abort ends the run at the next check
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.d.signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });
  }

  /** The step timeout, the maximum run time and the host's abort for one handler run; `undefined` when none applies. */
  private watchStep(step: Step): StepWatch | undefined {
    const limit = this.runTimeLimitMs();
    const timeout = step.timeout !== undefined && step.timeout > 0 ? step.timeout : undefined;
    const host = this.d.signal;
    if (timeout === undefined && limit === undefined && host === undefined) return undefined;
    const controller = new AbortController();
    const timers: (() => void)[] = [];
    let rejectAborted: (reason: unknown) => void = () => undefined;
    const aborted = new Promise<never>((_, reject) => (rejectAborted = reject));
    aborted.catch(() => undefined);
    let done = false;
    const abort = (reason: TaskSeqError): void => {
      if (done) return;
      done = true;
      rejectAborted(reason); // first: the engine's verdict wins over a handler that resolves on abort
      controller.abort(reason);
    };
    const onHostAbort = (): void => abort(new TaskSeqError("Aborted", "The run was aborted by the host."));
    const timedOut = (): TaskSeqError => new TaskSeqError("StepTimeout", `The step (${step.name}) timed out after ${timeout} seconds.`);
    const started = this.d.now();
    if (timeout !== undefined) timers.push(setLongTimeout(() => abort(timedOut()), timeout * 1000));
    if (limit !== undefined) timers.push(setLongTimeout(() => abort(this.runTimeExceeded()), Math.max(0, limit - (started - this.d.run.startedAt))));
    if (host?.aborted === true) onHostAbort();
    host?.addEventListener("abort", onHostAbort);
    return {
      signal: controller.signal,
      aborted,
      dispose: () => {
        for (const cancel of timers) cancel();
        host?.removeEventListener("abort", onHostAbort);
      },
      overdue: () => {
        const now = this.d.now();
        if (limit !== undefined && now - this.d.run.startedAt >= limit) return this.runTimeExceeded();
        return timeout !== undefined && now - started >= timeout * 1000 ? timedOut() : undefined;
      },
    };
  }

  /**
   * Starts the step's handler with its local defaults applied and its settings resolved; the
   * result without a handler run when the step cannot run here. A handler that throws at once is
   * settled at once.
   */
  private startHandler(ins: StepInstruction): StepRun | RunningHandler {
    const step = ins.item;
    // A dry run runs nothing and persists nothing: there is no power to lose and no state to resume.
    const fault = this.d.dryRun ? undefined : this.d.device.faults?.beforeStep(ins.path);
    if (fault?.kind === "powerLoss") {
      throw new PowerLost(new TaskSeqError("UnexpectedRestart", `The device lost power ${fault.duringStep ? "during" : "before"} step (${step.name}).`));
    }
    const env = this.d.env;
    if (step.runIn !== "WinPEandFullOS" && (step.runIn === "WinPE") !== TRUE.test(env.get("_SMSTSInWinPE") ?? "")) {
      const error = new TaskSeqError("WrongEnvironment", `The step (${step.name}) runs only in ${step.runIn === "WinPE" ? "Windows PE" : "the full OS"}.`);
      return { exitCode: returnCodeOf(error), succeeded: false, error, restart: undefined, runLevel: undefined };
    }
    if (this.d.dryRun) {
      this.d.log.write(1, "TSManager", "dry-run", `Dry run: the action (${step.name}) is not executed`);
      return { exitCode: 0, succeeded: true, error: undefined, restart: undefined, runLevel: undefined };
    }
    const handler = this.d.handlers.get(step.type);
    if (handler === undefined) {
      const error = new TaskSeqError("UnsupportedStep", `No handler is registered for step type "${step.type}".`);
      return { exitCode: returnCodeOf(error), succeeded: false, error, restart: undefined, runLevel: undefined };
    }
    let applied: readonly string[];
    try {
      applied = this.d.engineEnv.pushStepDefaults(step.name, stepDefaults(step));
    } catch (e) {
      // An action variable the step cannot have (an invalid name, a full environment): the step fails before its handler runs.
      const error = isTaskSeqError(e) ? e : new TaskSeqError("InvalidOperation", `The local defaults of (${step.name}) cannot be applied.`, { cause: e });
      return { exitCode: returnCodeOf(error), succeeded: false, error, restart: undefined, runLevel: undefined };
    }
    const watch = this.watchStep(step);
    this.d.log.hold();
    try {
      for (const name of applied) this.d.log.write(1, "TSManager", "local-default", recurringMessage(this.defaultMessages, "Set a local default variable ", name, "", ""), undefined, true); // checked names
    } finally {
      this.d.log.release();
    }
    this.d.engineEnv.setCurrentStep(step.name);
    let running: Promise<StepHandlerResult>;
    let context: HandlerContext | undefined;
    try {
      const settings = resolveSettings(step, env, this.expandOptions, this.logExpansion);
      context = new HandlerContext(ins, this.d, settings, this.setReadOnly, watch?.signal ?? NEVER_ABORTED, this.runInfo);
      running = handler(context);
    } catch (e) {
      return this.settleHandler(ins, context, watch, undefined, { error: e });
    }
    return new RunningHandler(context, watch, watch === undefined ? running : Promise.race([running, watch.aborted]));
  }

  /**
   * Ends a handler run (its result, or what it threw or rejected with): closes the handler's view of
   * the environment, removes the local defaults and decides success.
   */
  private settleHandler(
    ins: StepInstruction,
    context: HandlerContext | undefined,
    watch: StepWatch | undefined,
    result: StepHandlerResult | undefined,
    failure: { readonly error: unknown } | undefined,
  ): StepRun {
    const step = ins.item;
    context?.env.end();
    watch?.dispose();
    this.d.engineEnv.setCurrentStep(undefined);
    this.d.engineEnv.popStepDefaults();
    const code = result?.exitCode ?? 0;
    const overdue = failure === undefined ? watch?.overdue() : undefined;
    // An exit code that is not a finite number (NaN from parsing a tool's output) fails the step, as a throw would.
    const failed =
      overdue !== undefined
        ? { error: overdue }
        : (failure ?? (Number.isFinite(code) ? undefined : { error: new TaskSeqError("InvalidOperation", `The handler of (${step.name}) returned the exit code ${String(code)}, which is not a finite number.`) }));
    if (failed !== undefined) {
      const e = failed.error;
      const error = isTaskSeqError(e) ? e : new TaskSeqError("InvalidOperation", `The handler of (${step.name}) failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      const runLevel = error.code === "Aborted" || error.code === "MaxRunTimeExceeded" ? error : undefined;
      return { exitCode: returnCodeOf(error), succeeded: false, error, restart: undefined, runLevel };
    }
    const exitCode = toSigned32(code);
    const succeeded = result?.succeeded ?? isSuccessCode(exitCode, step.successCodes);
    return { exitCode, succeeded, error: succeeded ? undefined : result?.error, restart: result?.restart, runLevel: undefined };
  }

  /** Reads and clears `SMSTSRebootRequested` / `SMSTSRetryRequested`; an invalid value fails the step. */
  private restartRequest(step: Step, r: StepRun): { restart: StepRestartRequest | undefined; error?: TaskSeqError } {
    const env = this.d.env;
    const requested = env.get("SMSTSRebootRequested");
    const retryValue = env.get("SMSTSRetryRequested");
    const retry = retryValue !== undefined && TRUE.test(retryValue.trim());
    if (requested !== undefined) env.delete("SMSTSRebootRequested");
    if (retryValue !== undefined) env.delete("SMSTSRetryRequested");
    if (requested !== undefined) {
      const t = requested.trim().toUpperCase();
      if (t !== "HD" && t !== "WINPE") {
        return { restart: undefined, error: new TaskSeqError("InvalidSetting", `SMSTSRebootRequested has the invalid value "${requested}" (expected HD or WinPE).`) };
      }
      return { restart: { target: t === "HD" ? "HD" : "WinPE", then: retry ? "rerun" : "next" } };
    }
    if (r.restart !== undefined) return { restart: r.restart };
    if (r.succeeded && isRestartCode(r.exitCode, step.successCodes)) {
      return { restart: { target: TRUE.test(env.get("_SMSTSInWinPE") ?? "") ? "WinPE" : "HD", then: "next" } };
    }
    return { restart: undefined };
  }

  /** Records a step's result; the next pointer, synchronously unless something must be written first (a debugger, a failure at the root, a restart). */
  private finishStep(ins: StepInstruction, first: StepRun): number | Promise<number | "pending"> {
    // The lines written here before anything is awaited share one clock reading.
    this.d.log.hold();
    let next: number | Promise<number | "pending">;
    try {
      next = this.recordResult(ins, first);
    } finally {
      this.d.log.release();
    }
    if (ins.item.type !== PARTITION_DISK_TYPE || !first.succeeded || this.d.dryRun) return next;
    // steps.md §9: after the disk is formatted, the data path and the log folder move to it.
    return Promise.resolve(next).then(async (n) => {
      if (n !== "pending") await this.refreshStorage();
      return n;
    });
  }

  /** Reads and writes the built-ins through the session, and logs a move of the phase's log folder. */
  private builtinAccess(): BuiltinAccess {
    return { get: (n) => this.d.env.get(n), set: (n, v) => this.setBuiltin(n, v), logPath: this.d.run.logPath, onLogMoved: logMovedLine(this.d.log) };
  }

  private async refreshStorage(): Promise<void> {
    const device = this.d.device;
    await refreshStorageBuiltins(device, await device.os?.facts(), this.builtinAccess());
  }

  /** {@link RunSession.finishStep}'s work: the built-ins, the result line, the report, the record and the next pointer. */
  private recordResult(ins: StepInstruction, first: StepRun): number | Promise<number | "pending"> {
    const step = ins.item;
    let r = first;
    const req = this.restartRequest(step, r);
    if (req.error !== undefined) r = { ...r, exitCode: returnCodeOf(req.error), succeeded: false, error: req.error };
    const plainName = this.isPlainName(step);
    this.setBuiltin("_SMSTSLastActionName", step.name, plainName);
    this.setBuiltin("_SMSTSLastActionRetCode", String(r.exitCode), true);
    this.setBuiltin("_SMSTSLastActionSucceeded", r.succeeded ? "true" : "false", true);
    const reason = r.error?.message;
    if (r.succeeded) {
      this.d.log.write(1, "TSManager", "step-result", `Successfully completed the action (${step.name}) with the exit win32 code ${r.exitCode}`, undefined, plainName);
    } else {
      this.d.log.write(3, "TSManager", "step-result", `Failed to run the action: ${step.name}. Return code ${r.exitCode}${reason === undefined ? "" : `: ${reason}`}`);
    }
    let next = ins.index + 1;
    let outcome: StepOutcome = "success";
    let hold = false;
    if (!r.succeeded) {
      // execution.md §5.2 items 4 and 5: Setup Windows and ConfigMgr failures end the run; a rolled-back upgrade continues.
      const fatal = step.type === SETUP_WINDOWS_TYPE;
      const rolledBack = step.type === UPGRADE_OS_TYPE && TRUE.test(this.d.env.get("_SMSTSSetupRollback") ?? "");
      if (r.runLevel === undefined && !fatal && (step.continueOnError || rolledBack)) {
        outcome = "failed-continued";
        this.d.log.write(2, "TSManager", "ignored-failure", `The execution engine ignored the failure of the action (${step.name}) and continues execution${rolledBack && !step.continueOnError ? " (Windows Setup rolled back)" : ""}`);
      } else {
        outcome = "failed";
        if (fatal) this.d.log.write(3, "TSManager", "fatal-failure", `The action (${step.name}) failed; a Setup Windows and ConfigMgr failure ends the task sequence`);
        hold = r.runLevel === undefined && !fatal && this.d.debug?.holdFailure(this.reachesRoot(ins.index), this.d.env) === true;
        next = hold ? ins.index : r.runLevel === undefined && !fatal ? this.propagate(ins.index, r.exitCode) : -1;
      }
    }
    this.report(ins.index, step, ins.path, outcome, r.exitCode, reason);
    if (this.d.listening()) {
      this.emit(
        reason === undefined
          ? { type: "step-finished", index: ins.index, path: ins.path, name: this.d.env.redact(step.name), outcome, exitCode: r.exitCode }
          : { type: "step-finished", index: ins.index, path: ins.path, name: this.d.env.redact(step.name), outcome, exitCode: r.exitCode, reason: this.d.env.redact(reason) },
      );
    }
    if (hold) {
      this.held = { index: ins.index, exitCode: r.exitCode };
      this.d.log.write(2, "TSManager", "debug-hold", `The debugger holds the failure of the action (${step.name}); the task sequence does not fail`);
      return this.commit({ p: ins.index, run: null }).then(() => ins.index);
    }
    if (next < 0) return this.endAtRoot(ins, r);
    const restart = req.restart;
    if (restart === undefined) {
      // Written with the next record unless a debugger is attached (it may pause for hours).
      if (this.d.debug !== undefined) return this.commit({ p: next, run: null }).then(() => next);
      this.keep({ p: next, run: null });
      return next;
    }
    return this.restart(ins, step, restart, restart.then === "rerun" ? ins.index : next);
  }

  /** A failure that reached the root: recorded, then the run ends (with the run-level error, when there is one). */
  private async endAtRoot(ins: StepInstruction, r: StepRun): Promise<number> {
    await this.failAtRoot(ins, r.exitCode);
    if (r.runLevel !== undefined) throw new RunFailure(r.runLevel);
    return -1;
  }

  /** Records the failure that reached the root. */
  private async failAtRoot(ins: StepInstruction, exitCode: number): Promise<void> {
    const redact = (text: string): string => this.d.env.redact(text);
    const failure: FailureInfo = { name: redact(ins.item.name), index: ins.index, path: ins.path, exitCode, groups: this.groupsOf(ins.index).map(redact) };
    await this.commit({ p: this.d.table.length, run: null, failure });
  }

  /** Whether a failure at `index` would reach the root (no enclosing group or child with continue-on-error). */
  private reachesRoot(index: number): boolean {
    for (let s = this.d.table[index]?.scope ?? -1; s >= 0; s = this.d.table[s]?.scope ?? -1) {
      if (this.d.table[s]?.item.continueOnError === true) return false;
    }
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // Debugger (execution.md §11)
  // ------------------------------------------------------------------------------------------

  /** Processes a held failure with the normal rules (Quit, execution.md §11.2). */
  private async releaseHeld(held: HeldFailure): Promise<void> {
    this.held = undefined;
    const ins = this.d.table[held.index];
    if (ins?.kind !== "step") return;
    const next = this.propagate(held.index, held.exitCode);
    if (next < 0) await this.failAtRoot(ins, held.exitCode);
    else await this.commit({ p: next, run: null });
  }

  private debugControl(): DebugControl {
    const progress = this.d.progress;
    const held = (): HeldFailure | undefined => this.held;
    return {
      table: this.d.table,
      get pointer() {
        return progress.pointer;
      },
      get failure() {
        return held();
      },
      get persisted() {
        return progress.debug;
      },
      env: this.d.env,
      resumed: this.d.resumed === true && this.debugCalls++ === 0,
      movePointer: async (index, message) => {
        this.held = undefined;
        this.d.log.write(2, "TSManager", "debug-set-current", message);
        await this.commit({ p: index, run: null });
      },
      setVariable: async (name, value, secret) => {
        this.d.env.set(name, value, { secret });
        await this.commit({});
      },
      saveSettings: (settings) => this.commit({ dbg: settings }),
      checkpoint: async () => {
        const folded = (this.folded ??= foldOutcomes(progress.debug?.history ?? []));
        const changed: [number, StepReport][] = [];
        for (const [key, report] of Object.entries(progress.outcomes)) {
          const index = Number(key);
          if (folded.get(index) === report) continue;
          changed.push([index, report]);
          folded.set(index, report);
        }
        await this.commit({ cp: { index: progress.pointer, env: await this.d.engineEnv.serialize(), outcomes: changed, restarts: progress.restarts } });
      },
      travelTo: (position) => this.travelTo(position),
      log: (type, message) => this.d.log.write(type, "TSManager", "debugger", message),
    };
  }

  /** Time travel: restores checkpoint `position` (environment, pointer, step reports); the device is not rewound. */
  private async travelTo(position: number): Promise<void> {
    const progress = this.d.progress;
    const history = progress.debug?.history ?? [];
    const cp = history[position];
    if (cp === undefined || progress.debug === undefined) throw new TaskSeqError("InvalidArgument", `There is no checkpoint ${position}.`);
    await this.d.engineEnv.restore(cp.env);
    progress.pointer = cp.index;
    progress.outcomes = Object.fromEntries(foldOutcomes(history.slice(0, position + 1)));
    progress.inProgress = undefined;
    progress.failure = undefined;
    progress.debug = { ...progress.debug, history: history.slice(0, position) };
    this.folded = undefined;
    this.pendingOutcomes = [];
    this.held = undefined;
    await refreshEnvironmentBuiltins(this.d.device, { get: (n) => this.d.env.get(n), set: (n, v) => this.d.engineEnv.set(n, v), logPath: this.d.run.logPath });
    this.d.log.write(2, "TSManager", "debug-time-travel", `The debugger went back to instruction ${cp.index}: variables and step results are restored; the device is not rewound`);
    this.mark = this.d.env.mark();
    await this.snapshot();
  }

  /** Applies execution.md §5.2 from a failed step; returns the next pointer or -1 at the root. */
  private propagate(index: number, exitCode: number): number {
    for (let s = this.d.table[index]?.scope ?? -1; s >= 0; ) {
      const scope = this.d.table[s];
      if (scope === undefined || (scope.kind !== "enter-group" && scope.kind !== "enter-child")) break;
      const cont = scope.item.continueOnError;
      if (scope.kind === "enter-child") {
        this.report(s, scope.item, scope.path, cont ? "failed-continued" : "failed", exitCode, "A step of the child task sequence failed");
        this.emit({ type: "child-end", path: scope.path, packageId: scope.child?.packageId ?? "", name: this.d.env.redact(scope.child?.name ?? "") });
      }
      this.d.log.write(cont ? 2 : 3, "TSManager", "group-result", `The ${scope.kind === "enter-group" ? "group" : "child task sequence of"} (${scope.item.name}) failed${cont ? "; its continue-on-error lets execution continue" : ""}`);
      if (cont) return scope.end + 1;
      s = scope.scope;
    }
    return -1;
  }

  private async restart(ins: StepInstruction, step: Step, request: StepRestartRequest, resumeAt: number): Promise<number | "pending"> {
    const target: RestartTarget = request.target;
    if (target === "WinPE" && (this.d.env.get("_SMSTSBootImageID") ?? "") === "") {
      throw new RunFailure(new TaskSeqError("RestartNotPossible", `The action (${step.name}) requested a restart into Windows PE, but the task sequence has no boot image.`));
    }
    const reboot = this.d.device.reboot;
    if (reboot !== undefined && !(await reboot.bootableTargets()).includes(target)) {
      throw new RunFailure(new TaskSeqError("RestartNotPossible", `The action (${step.name}) requested a restart into ${target}, which cannot boot.`));
    }
    // The state must survive the restart on an NTFS volume (C:\_SMSTaskSequence); a device that does not describe its disks is trusted.
    const disks = this.d.device.disks;
    if (disks !== undefined && !(await disks.listVolumes()).some((v) => v.fileSystem === "NTFS")) {
      throw new RunFailure(new TaskSeqError("RestartNotPossible", `The action (${step.name}) requested a restart, but no NTFS volume can hold the task sequence state.`));
    }
    const pending: PendingRestart = { target, then: request.then, resumeAt };
    this.d.log.write(1, "TSManager", "restart-request", `The action (${step.name}) initiated a reboot request. Target: ${target}. Resume at instruction ${resumeAt}${request.then === "rerun" ? " (the same step again)" : ""}`);
    const hostRestarts = this.d.stopAtRestart;
    this.emit({ type: "restart", target, then: request.then, resumeAt, pending: hostRestarts });
    if (this.d.dryRun) return resumeAt;
    await this.commit({ p: resumeAt, run: null, restart: pending, restarts: this.d.progress.restarts + 1 }, { durable: true });
    await this.d.flushLog();
    if (hostRestarts) return "pending";
    if (reboot !== undefined) {
      const notice = this.restartNotice(request);
      if (notice !== undefined) await reboot.notify(notice.message, notice.seconds);
      await reboot.restart(target);
    }
    await this.afterRestart();
    return resumeAt;
  }

  /**
   * The notification before a restart (execution.md §7.2): a step with its own (Restart Computer's
   * message and timeout) shows it when the timeout is above 0; an engine-initiated restart uses
   * `SMSTSRebootDelay` (`SMSTSRebootDelayNext` after the first restart; `0` = none) and
   * `SMSTSRebootMessage`.
   */
  private restartNotice(request: StepRestartRequest): { readonly message: string; readonly seconds: number } | undefined {
    const env = this.d.env;
    const fallback = env.get("SMSTSRebootMessage") ?? "The computer will restart.";
    if (request.timeoutSeconds !== undefined) {
      return request.timeoutSeconds > 0 ? { message: request.message !== undefined && request.message !== "" ? request.message : fallback, seconds: request.timeoutSeconds } : undefined;
    }
    const delay = Number(env.get(this.d.progress.restarts > 1 ? "SMSTSRebootDelayNext" : "SMSTSRebootDelay") ?? "");
    return Number.isFinite(delay) && delay > 0 ? { message: request.message ?? fallback, seconds: delay } : undefined;
  }

  /** Continues after a restart: re-evaluates the environment built-ins and clears the pending restart. */
  async afterRestart(): Promise<void> {
    const r = this.d.progress.restart;
    await refreshEnvironmentBuiltins(this.d.device, this.builtinAccess());
    this.expandOptions = { processEnvironment: await this.d.readProcessEnvironment() };
    await this.d.configureLog();
    await applyPowerPlan(this.d.device, HIGH_PERFORMANCE_PLAN, this.d.log);
    this.d.log.write(1, "TSManager", "resume", `Resuming the task sequence after a restart into ${r?.target ?? "the current OS"} at instruction ${r?.resumeAt ?? this.d.progress.pointer}`);
    await this.commit({ restart: null });
  }

  /** Fails the step that was running at an unexpected restart (execution.md §8); returns the next pointer. */
  async failInterrupted(index: number): Promise<number> {
    const ins = this.d.table[index];
    if (ins === undefined || ins.kind !== "step") return index;
    const error = new TaskSeqError("UnexpectedRestart", `The computer restarted unexpectedly while the action (${ins.item.name}) was running.`);
    this.d.log.write(3, "TSManager", "unexpected-restart", error.message);
    const next = await this.finishStep(ins, { exitCode: returnCodeOf(error), succeeded: false, error, restart: undefined, runLevel: undefined });
    return next === "pending" ? index : next;
  }
}

/**
 * The last change of each variable, in order of those last changes, each preceded by a deletion
 * when the variable was deleted before it (a re-created variable starts without the secret flag of
 * the deleted one; replaying only the last change would keep the flag). The environment names a
 * variable with the same spelling in every change while it exists; a variable deleted and created
 * again with other casing may appear twice, which replays to the same result.
 */
function lastChangePerName(changes: readonly ChangeRecord[]): Iterable<ChangeRecord> {
  if (!hasRepeatedName(changes)) return changes;
  const last = new Map<string, ChangeRecord>();
  const deleted = new Set<string>();
  for (const c of changes) {
    if (c.newValue === undefined) deleted.add(c.name);
    last.delete(c.name);
    last.set(c.name, c);
  }
  const out: ChangeRecord[] = [];
  for (const c of last.values()) {
    if (c.newValue !== undefined && deleted.has(c.name)) out.push({ ...c, newValue: undefined, secret: false });
    out.push(c);
  }
  return out;
}

/** Whether a name occurs twice (a step's handful of changes is checked without building a map). */
function hasRepeatedName(changes: readonly ChangeRecord[]): boolean {
  if (changes.length > 16) return true;
  for (let i = 1; i < changes.length; i++) {
    const name = changes[i]?.name;
    for (let j = 0; j < i; j++) if (changes[j]?.name === name) return true;
  }
  return false;
}

/** The step reports at the last of `history`'s checkpoints. */
function foldOutcomes(history: readonly DebugCheckpoint[]): Map<number, StepReport> {
  const reports = new Map<number, StepReport>();
  for (const cp of history) for (const [index, report] of cp.outcomes) reports.set(index, report);
  return reports;
}

/** The High Performance power plan, active while a task sequence runs (execution.md §1). */
export const HIGH_PERFORMANCE_PLAN = "8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c";

/** Activates a power plan; an adapter failure is a warning, never a run failure. */
export async function applyPowerPlan(device: Device, plan: string | undefined, log: RunLogger): Promise<void> {
  if (plan === undefined || device.os === undefined) return;
  try {
    await device.os.setPowerPlan(plan);
    log.write(1, "TSManager", "power-plan", `Activated the power plan ${plan}`);
  } catch (e) {
    log.write(2, "TSManager", "power-plan", `Could not activate the power plan ${plan}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * The log folder of the phase (logging.md §7): in Windows PE `X:\Windows\Temp\SMSTSLog` until a
 * volume other than Windows PE's own holds the task sequence data, then `<data path>\Logs\SMSTSLog`;
 * in the full OS `<data path>\Logs\SMSTSLog` until the ConfigMgr client is installed, then
 * `%windir%\CCM\Logs\SMSTSLog`.
 */
function phaseLogFolder(os: OsFacts, dataDrive: string | undefined, dataPath: string): string {
  if (os.environment === "WinPE") return dataDrive === os.systemDrive ? `${os.systemDrive}\\Windows\\Temp\\SMSTSLog` : `${dataPath}\\Logs\\SMSTSLog`;
  return os.clientVersion === undefined ? `${dataPath}\\Logs\\SMSTSLog` : `${os.systemDrive}\\Windows\\CCM\\Logs\\SMSTSLog`;
}

/** A drive as `SMSTSLocalDataDrive` may write it (`D`, `D:`, `D:\`), as `D:`; `undefined` for anything else. */
function driveOf(text: string): string | undefined {
  const m = /^\s*([A-Za-z]):?\\?\s*$/.exec(text);
  return m === null ? undefined : `${(m[1] ?? "").toUpperCase()}:`;
}

/** How {@link refreshEnvironmentBuiltins} reads and writes the built-ins. */
export interface BuiltinAccess {
  readonly get: (name: string) => string | undefined;
  readonly set: (name: string, value: string) => void;
  /** The host's log folder (`RunOptions.logPath`), else each phase's. */
  readonly logPath: string | undefined;
  /** Called when `_SMSTSLogPath` changes to another phase's folder (logging.md §7). */
  readonly onLogMoved?: (from: string, to: string) => void;
}

/** Writes the "Log moved" line (logging.md §6, §7): the log now belongs in the new phase's folder. */
export function logMovedLine(log: RunLogger): (from: string, to: string) => void {
  return (from, to) => log.write(1, "TSManager", "log-moved", `The log moved from ${from} to ${to}`);
}

/**
 * Sets the built-ins the device decides (builtin-variables.md §1), at the start and after every
 * restart: `_SMSTSInWinPE`, `_SMSTSMachineName`, `_SMSTSBootUEFI`, `_TSSecureBoot`;
 * `_SMSTSMDataPath`, `<drive>\_SMSTaskSequence` on `SMSTSLocalDataDrive`, else on the first
 * lettered NTFS volume, else on the system drive; in Windows PE `_OSDDetectedWinDrive` and
 * `_OSDDetectedWinDir` of an operating system installed on a volume; and `_SMSTSLogPath`: the
 * host's `logPath`, else the log folder of the phase (logging.md §7). Returns the OS facts it read
 * (the run start derives `_SMSTSTimezone` from them).
 */
export async function refreshEnvironmentBuiltins(device: Device, access: BuiltinAccess): Promise<OsFacts | undefined> {
  const { set } = access;
  const os = await device.os?.facts();
  set("_SMSTSInWinPE", os?.environment === "WinPE" ? "true" : "false");
  if (os !== undefined && os.computerName !== "") set("_SMSTSMachineName", os.computerName);
  const hw = await device.hardware?.facts();
  if (hw !== undefined) {
    set("_SMSTSBootUEFI", hw.firmware === "UEFI" ? "true" : "false");
    set("_TSSecureBoot", hw.firmware !== "UEFI" ? "NA" : hw.secureBoot ? "Enabled" : "Disabled");
  }
  await refreshStorageBuiltins(device, os, access);
  return os;
}

/** Partitions that never hold the task sequence's data and logs (steps.md §9). */
const SYSTEM_PARTITIONS: ReadonlySet<string> = new Set(["EFI", "MSR", "Hidden", "Recovery"]);

/**
 * The built-ins the device's volumes decide (see {@link refreshEnvironmentBuiltins}), also after
 * Format and Partition Disk (steps.md §9: the state and the logs move to the first NTFS volume that
 * is not EFI, MSR, hidden or recovery).
 */
async function refreshStorageBuiltins(device: Device, os: OsFacts | undefined, { get, set, logPath, onLogMoved }: BuiltinAccess): Promise<void> {
  const lettered = ((await device.disks?.listVolumes()) ?? []).filter((v) => v.driveLetter !== undefined);
  const data = lettered.find((v) => v.fileSystem === "NTFS" && !SYSTEM_PARTITIONS.has(v.partitionType ?? ""));
  const dataDrive = driveOf(get("SMSTSLocalDataDrive") ?? "") ?? data?.driveLetter ?? os?.systemDrive;
  const dataPath = dataDrive === undefined || dataDrive === "" ? undefined : `${dataDrive}\\_SMSTaskSequence`;
  if (dataPath !== undefined) set("_SMSTSMDataPath", dataPath);
  const logFolder = logPath ?? (os === undefined || dataPath === undefined ? undefined : phaseLogFolder(os, dataDrive, dataPath));
  if (logFolder !== undefined) {
    const before = get("_SMSTSLogPath");
    set("_SMSTSLogPath", logFolder);
    if (before !== undefined && before !== logFolder) onLogMoved?.(before, logFolder);
  }
  const installed = os?.environment === "WinPE" ? lettered.find((v) => v.osInstalled)?.driveLetter : undefined;
  if (installed !== undefined) {
    set("_OSDDetectedWinDrive", installed);
    set("_OSDDetectedWinDir", `${installed}\\Windows`);
  }
}
