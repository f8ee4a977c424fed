/**
 * The data of a run report: recorded live from engine events and the run result
 * ({@link createRunRecorder}), or rebuilt from a run's persisted state ({@link runRecordFromState}).
 * Every text in it is already redacted by the engine; secret values are `********`.
 */
import { SECRET_MASK } from "@taskseq/environment";
import {
  buildInstructionTable,
  createMapResolver,
  parseRecord,
  parseSnapshot,
  stepReportOf,
  type EngineEvent,
  type EngineEventListener,
  type Instruction,
  type PersistedRun,
  type RunResult,
  type StepOutcome,
  type StepReport,
  type StoredState,
} from "@taskseq/engine";
import { TaskSeqError, type TaskSequence } from "@taskseq/model";
import { redactSequence } from "./secret-values.js";

/** Format name of a saved run record (`run-record.json`). */
export const RUN_RECORD_FORMAT = "taskseq-run-record";

/** One variable change a step made. */
export interface RecordedVariable {
  /** Name. */
  readonly name: string;
  /** New value (`********` when secret); absent when the variable was deleted. */
  readonly value?: string;
}

/** One log line of a step. */
export interface RecordedLogLine {
  /** CMTrace type: 1 information, 2 warning, 3 error. */
  readonly type: 1 | 2 | 3;
  /** Component. */
  readonly component: string;
  /** The message (redacted). */
  readonly message: string;
  /** Time (ms since the epoch). */
  readonly time: number;
}

/** What the report shows for one step (or skipped group). */
export interface RecordedStep {
  /** Index path (`0.2.1`; inside a child `3/0.1`). */
  readonly path: string;
  /** Name. */
  readonly name: string;
  /** Step class (`""` for groups and MDT commands). */
  readonly type: string;
  /** Outcome; `running` for the step in progress when the record was taken. */
  readonly outcome: StepOutcome | "running";
  /** Return code. */
  readonly exitCode: number;
  /** Why it failed or was skipped. */
  readonly reason?: string;
  /** When the handler started (ms), when recorded live. */
  readonly startedAt?: number;
  /** How long the handler ran (ms), when recorded live. */
  readonly durationMs?: number;
  /** The condition evaluation, expression by expression (verbose engine log). */
  readonly conditionTrace: readonly string[];
  /** Variables the step changed, in order. */
  readonly variables: readonly RecordedVariable[];
  /** Its log lines. */
  readonly log: readonly RecordedLogLine[];
}

/** A run as the report shows it. */
export interface RunRecord {
  /** Always {@link RUN_RECORD_FORMAT}. */
  readonly format: typeof RUN_RECORD_FORMAT;
  /** Record version (1). */
  readonly version: 1;
  /** Task sequence name. */
  readonly name: string;
  /** Run ID. */
  readonly runId?: string;
  /** Final status, or `in-progress` for a run that has not ended. */
  readonly status: "success" | "failed" | "restart-pending" | "in-progress";
  /** CLI exit code, when the run ended. */
  readonly exitCode?: number;
  /** Run start (ms since the epoch), when known. */
  readonly startedAt?: number;
  /** Duration (ms), when known. */
  readonly durationMs?: number;
  /** Engine restarts so far. */
  readonly restarts: number;
  /** A run-level error. */
  readonly error?: { readonly code: string; readonly message: string };
  /** The sequence (for the tree), secret setting values masked. */
  readonly sequence: TaskSequence;
  /** Steps and skipped groups by path. */
  readonly steps: readonly RecordedStep[];
  /** Final variables (secrets masked), when the run ended. */
  readonly variables?: Readonly<Record<string, string>>;
  /** Run-level log lines (start, power plan, end, error dialog), when recorded live. */
  readonly log?: readonly RecordedLogLine[];
}

interface Draft {
  path: string;
  name: string;
  type: string;
  outcome: StepOutcome | "running";
  exitCode: number;
  reason?: string;
  startedAt?: number;
  durationMs?: number;
  conditionTrace: string[];
  variables: RecordedVariable[];
  log: RecordedLogLine[];
}

/** Collects a run through engine events. */
export interface RunRecorder {
  /** Pass as (or call from) the engine's `onEvent`. */
  readonly onEvent: EngineEventListener;
  /** The record so far (status `in-progress`). */
  snapshot(): RunRecord;
  /** The final record, completed with the run result. */
  finish(result: RunResult): RunRecord;
}

/** Options of {@link createRunRecorder}. */
export interface RunRecorderOptions {
  /** The sequence being run. */
  readonly sequence: TaskSequence;
  /** Clock (ms). Default `Date.now`. */
  readonly now?: () => number;
  /**
   * The record of the same run saved before it stopped at a restart: `taskseq resume` continues
   * it. Its steps, log lines, run ID and start are kept and the resumed part is added.
   */
  readonly previous?: RunRecord;
}

/** Engine bookkeeping set before each instruction: not a step's own change. */
const POINTER_VARIABLES: ReadonlySet<string> = new Set(["_SMSTSCURRENTACTIONNAME", "_SMSTSNEXTINSTRUCTIONPOINTER"]);
/** Log messages about the whole run, not the instruction the pointer is on. */
const RUN_MESSAGES: ReadonlySet<string> = new Set(["run-start", "run-end", "run-time", "resume", "power-plan", "error-dialog", "post-action"]);
const TRACE_PREFIX = /^Evaluating condition for \(.*?\): /;

function finalise(d: Draft): RecordedStep {
  return { ...d, conditionTrace: [...d.conditionTrace], variables: [...d.variables], log: [...d.log] };
}

/**
 * Records a run for {@link renderRunReport}: step timings, the variables each step changed,
 * its log lines and its condition trace (engine `logLevel: 0` writes the trace). Save
 * `finish(result)` as JSON as `run-record.json` in the state directory for `taskseq report`.
 *
 * @example
 * ```ts
 * const recorder = createRunRecorder({ sequence });
 * const engine = createEngine({ device, handlers, logLevel: 0, onEvent: recorder.onEvent });
 * const html = renderRunReport(recorder.finish(await engine.run(sequence)));
 * ```
 */
export function createRunRecorder(options: RunRecorderOptions): RunRecorder {
  const now = options.now ?? Date.now;
  const steps = new Map<string, Draft>();
  const pathOf = new Map<number, string>();
  const pending = new Map<number, RecordedLogLine[]>();
  const traces = new Map<number, string[]>();
  const runLog: RecordedLogLine[] = [];
  let current: Draft | undefined;
  /** The step whose result is being committed: the engine emits its variable changes after step-finished. */
  let finished: Draft | undefined;
  let runId: string | undefined;
  let name = options.sequence.package?.name ?? options.sequence.name ?? "";
  let startedAt: number | undefined;
  const sequence = redactSequence(options.sequence);
  const previous = options.previous;
  if (previous !== undefined) {
    for (const s of previous.steps) steps.set(s.path, { ...s, conditionTrace: [...s.conditionTrace], variables: [...s.variables], log: [...s.log] });
    runLog.push(...(previous.log ?? []));
    runId = previous.runId;
    startedAt = previous.startedAt;
  }

  const draft = (path: string, stepName: string, type: string): Draft => {
    let d = steps.get(path);
    if (d === undefined) {
      d = { path, name: stepName, type, outcome: "not-run", exitCode: 0, conditionTrace: [], variables: [], log: [] };
      steps.set(path, d);
    }
    return d;
  };
  const bind = (index: number, d: Draft): void => {
    pathOf.set(index, d.path);
    d.log.push(...(pending.get(index) ?? []));
    d.conditionTrace.push(...(traces.get(index) ?? []));
    pending.delete(index);
    traces.delete(index);
  };

  const onEvent = (e: EngineEvent): void => {
    switch (e.type) {
      case "run-started":
        runId = e.runId;
        name = e.name;
        startedAt ??= now();
        break;
      case "step-started": {
        current = draft(e.path, e.name, e.stepType);
        finished = undefined;
        current.outcome = "running";
        current.startedAt = now();
        bind(e.index, current);
        break;
      }
      case "step-finished": {
        const d = draft(e.path, e.name, steps.get(e.path)?.type ?? "");
        d.outcome = e.outcome;
        d.exitCode = e.exitCode;
        if (e.reason !== undefined) d.reason = e.reason;
        if (d.startedAt !== undefined) d.durationMs = now() - d.startedAt;
        current = undefined;
        finished = d;
        break;
      }
      case "step-skipped": {
        const d = draft(e.path, e.name, "");
        d.outcome = e.outcome;
        d.reason = e.reason;
        bind(e.index, d);
        break;
      }
      case "variable-changed":
        if (!POINTER_VARIABLES.has(e.name.toUpperCase())) (current ?? finished)?.variables.push({ name: e.name, ...(e.value === undefined ? {} : { value: e.secret ? SECRET_MASK : e.value }) });
        break;
      case "log": {
        const index = e.entry.instruction;
        if (index === undefined || RUN_MESSAGES.has(e.entry.messageId)) {
          runLog.push({ type: e.entry.type, component: e.entry.component, message: e.entry.message, time: e.entry.time.getTime() });
          break;
        }
        if (e.entry.messageId === "condition-trace") {
          const text = e.entry.message.replace(TRACE_PREFIX, "");
          const path = pathOf.get(index);
          if (path === undefined) traces.set(index, [...(traces.get(index) ?? []), text]);
          else steps.get(path)?.conditionTrace.push(text);
          break;
        }
        const line: RecordedLogLine = { type: e.entry.type, component: e.entry.component, message: e.entry.message, time: e.entry.time.getTime() };
        const path = pathOf.get(index);
        if (path === undefined) pending.set(index, [...(pending.get(index) ?? []), line]);
        else steps.get(path)?.log.push(line);
        break;
      }
      default:
        break;
    }
  };

  const base = (): Omit<RunRecord, "status"> => ({
    format: RUN_RECORD_FORMAT,
    version: 1,
    name,
    ...(runId === undefined ? {} : { runId }),
    ...(startedAt === undefined ? {} : { startedAt }),
    restarts: 0,
    sequence,
    steps: [...steps.values()].map(finalise),
    log: [...runLog],
  });

  return {
    onEvent,
    snapshot: () => ({ ...base(), status: "in-progress" }),
    finish(result) {
      for (const s of result.steps) {
        const d = draft(s.path, s.name, s.type);
        d.type = s.type;
        if (d.outcome === "not-run" || d.outcome === "running") {
          d.outcome = s.outcome;
          d.exitCode = s.exitCode;
          if (s.reason !== undefined) d.reason = s.reason;
        }
      }
      return {
        ...base(),
        runId: result.runId,
        status: result.status,
        exitCode: result.exitCode,
        durationMs: result.durationMs,
        restarts: result.restarts,
        ...(result.error === undefined ? {} : { error: { code: result.error.code, message: result.error.message } }),
        variables: result.variables,
      };
    },
  };
}

/**
 * Rebuilds a record from a run's persisted state (a `StateStore`'s `load()`): the sequence, each
 * step's outcome, return code and reason, and the variables each step changed (secret values as
 * `********`), including a step that was still running. Persisted state holds no timings, log
 * lines or condition traces; a record saved by {@link createRunRecorder} has them. Unreadable
 * state is `StateCorrupt`.
 */
export async function runRecordFromState(stored: StoredState): Promise<RunRecord> {
  const snapshot = parseSnapshot(stored.snapshot);
  const table = await instructions(snapshot.run);
  const progress = snapshot.progress;
  const outcomes = new Map<number, StepReport>(Object.entries(progress.outcomes).map(([k, v]) => [Number(k), v]));
  const changes = new Map<number, RecordedVariable[]>();
  let running: number | undefined = progress.inProgress?.index;
  let failure = progress.failure;
  let restart = progress.restart;
  let restarts = progress.restarts;
  stored.records.forEach((text, i) => {
    const record = parseRecord(text, i + 1);
    // A step's completion shares its record with the next step's start: its variables belong to the step that was running.
    const before = running;
    if (record.run !== undefined && record.run !== null) running = record.run.index;
    const owner = before ?? running ?? record.out?.[0]?.[0];
    for (const v of record.vars ?? []) {
      if (owner === undefined || POINTER_VARIABLES.has(v.n.toUpperCase())) continue;
      const value = v.v ?? (v.s !== undefined || v.p !== undefined ? SECRET_MASK : undefined);
      changes.set(owner, [...(changes.get(owner) ?? []), { name: v.n, ...(value === undefined ? {} : { value }) }]);
    }
    for (const outcome of record.out ?? []) outcomes.set(outcome[0], stepReportOf(table, outcome));
    if (record.run === null) running = undefined;
    if (record.restart !== undefined) restart = record.restart ?? undefined;
    if (record.restarts !== undefined) restarts = record.restarts;
    if (record.failure !== undefined) failure = record.failure;
  });
  const steps: RecordedStep[] = [...outcomes.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, s]) => ({
      path: s.path,
      name: s.name,
      type: s.type,
      outcome: running === index ? "running" : s.outcome,
      exitCode: s.exitCode,
      ...(s.reason === undefined ? {} : { reason: s.reason }),
      conditionTrace: [],
      variables: changes.get(index) ?? [],
      log: [],
    }));
  if (running !== undefined && !outcomes.has(running)) {
    // A step that was running when the state was taken (killed, or an unexpected restart).
    const ins = table[running];
    if (ins !== undefined && ins.kind === "step") {
      steps.push({ path: ins.path, name: ins.item.name, type: ins.item.type, outcome: "running", exitCode: 0, conditionTrace: [], variables: changes.get(running) ?? [], log: [] });
    }
  }
  if (!Number.isFinite(snapshot.run.startedAt)) throw new TaskSeqError("StateCorrupt", "The state snapshot has no start time.");
  return {
    format: RUN_RECORD_FORMAT,
    version: 1,
    name: snapshot.run.name,
    runId: snapshot.run.runId,
    status: failure !== undefined ? "failed" : restart !== undefined ? "restart-pending" : "in-progress",
    startedAt: snapshot.run.startedAt,
    restarts,
    sequence: redactSequence(snapshot.run.sequence),
    steps,
  };
}

/** The run's instruction table, rebuilt from the snapshot's sequence and resolved children. */
async function instructions(run: PersistedRun): Promise<readonly Instruction[]> {
  try {
    return await buildInstructionTable(run.sequence, createMapResolver(run.children), run.packageId);
  } catch (cause) {
    throw new TaskSeqError("StateCorrupt", "The persisted sequence no longer builds an instruction table.", { cause });
  }
}

/** Parses a saved `run-record.json`; anything else is `StateCorrupt`. */
export function parseRunRecord(text: string): RunRecord {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new TaskSeqError("StateCorrupt", "The run record is not valid JSON.", { cause });
  }
  const d = doc as Partial<RunRecord> | null;
  if (typeof d !== "object" || d === null || d.format !== RUN_RECORD_FORMAT || d.version !== 1 || !Array.isArray(d.steps) || typeof d.sequence !== "object" || d.sequence === null || !Array.isArray(d.sequence.items)) {
    throw new TaskSeqError("StateCorrupt", "The file is not a taskseq run record (version 1).");
  }
  return d as RunRecord;
}
