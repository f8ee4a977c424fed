/**
 * The persisted state format (variables.md §12 "Open: define the persisted state format").
 *
 * Snapshot (one JSON document):
 * `{ "format": "taskseq-run-state", "version": 1, "run": PersistedRun, "progress": PersistedProgress, "environment": <environment state document> }`
 *
 * Journal record (one JSON line each, applied in order on top of the snapshot): a
 * {@link ProgressRecord}. Secret variable values appear only as tokens of the secret store.
 */
import type { VariableLayer } from "@taskseq/environment";
import { TaskSeqError, type TaskSequence } from "@taskseq/model";
import type { ResolvedTaskSequence } from "./child-resolver.js";
import type { DebugCheckpoint, PersistedDebugSettings, PersistedDebugState } from "./debugger/debug-hook.js";
import type { FailureInfo, StepReport } from "./run-result.js";
import type { LaunchMode } from "./step-handler.js";

/** Format name of snapshots. */
export const RUN_STATE_FORMAT = "taskseq-run-state";
/** Current snapshot version; a newer or unknown one is `StateCorrupt`. */
export const RUN_STATE_VERSION = 1;

/** Run facts fixed at start. */
export interface PersistedRun {
  /** Run ID (stale state detection). */
  readonly runId: string;
  /** Top-level package ID. */
  readonly packageId: string;
  /** Deployment ID. */
  readonly deploymentId: string | undefined;
  /** Task sequence name. */
  readonly name: string;
  /** Engine clock at start (ms). */
  readonly startedAt: number;
  /** The top-level sequence. */
  readonly sequence: TaskSequence;
  /** Every resolved child, so `resume()` needs no resolver. */
  readonly children: readonly ResolvedTaskSequence[];
  /** Launch mode. */
  readonly launchMode: LaunchMode;
  /** Maximum run time in minutes (0 = none; monitored as 720). */
  readonly maxRunTimeMinutes: number;
  /** `stop` fails the run at the limit; `monitorOnly` logs a warning. */
  readonly maxRunTimeEnforcement: "stop" | "monitorOnly";
  /** Number of instructions (identity check of the merged table). */
  readonly instructionCount: number;
  /** The power plan active before the run, restored at the end. */
  readonly savedPowerPlan: string | undefined;
}

/** A pending engine-initiated restart. */
export interface PendingRestart {
  /** Target. */
  readonly target: "HD" | "WinPE";
  /** Next instruction or re-run. */
  readonly then: "next" | "rerun";
  /** The instruction to continue at. */
  readonly resumeAt: number;
}

/** The step-in-progress marker. */
export interface InProgressMarker {
  /** Instruction index. */
  readonly index: number;
  /** Unexpected-restart retries already used. */
  readonly retriesUsed: number;
}

/** Progress that changes during the run. */
export interface PersistedProgress {
  /** Next instruction. */
  pointer: number;
  /** Set while a step runs. */
  inProgress: InProgressMarker | undefined;
  /** Set between persisting a restart and continuing after it. */
  restart: PendingRestart | undefined;
  /** Engine-managed restarts so far. */
  restarts: number;
  /** Reports of steps (and Run Task Sequence steps) by instruction index. */
  outcomes: Record<number, StepReport>;
  /** The failure that reached the root, if any. */
  failure: FailureInfo | undefined;
  /** Debugger state (execution.md §11.6), when a debugger was attached. */
  debug?: PersistedDebugState;
}

/**
 * A variable change in a record: `v` clear value, `s` sealed secret, `p` sealed non-secret value
 * that contains secret text (for example `copy of %Password%`), none of them = deleted.
 */
export interface VariableChange {
  /** Name. */
  readonly n: string;
  /** Clear value (non-secret). */
  readonly v?: string;
  /** Sealed value (secret). */
  readonly s?: string;
  /** Sealed value of a non-secret variable whose text contains a secret value. */
  readonly p?: string;
  /** Layer of the write. */
  readonly l: VariableLayer;
}

/** One journal record. Absent fields are unchanged. */
export interface ProgressRecord {
  /** New pointer. */
  readonly p?: number;
  /** Variable changes, in order. */
  readonly vars?: readonly VariableChange[];
  /** Step reports by instruction index. */
  readonly out?: readonly (readonly [number, StepReport])[];
  /** Step-in-progress marker set (object) or cleared (`null`). */
  readonly run?: InProgressMarker | null;
  /** Pending restart set (object) or cleared (`null`). */
  readonly restart?: PendingRestart | null;
  /** Restart count. */
  readonly restarts?: number;
  /** Root failure. */
  readonly failure?: FailureInfo;
  /** Debugger settings (replace the previous ones). */
  readonly dbg?: PersistedDebugSettings;
  /** A debugger checkpoint (appended to the history). */
  readonly cp?: DebugCheckpoint;
}

/** A parsed snapshot. */
export interface RunSnapshot {
  /** Format name. */
  readonly format: typeof RUN_STATE_FORMAT;
  /** Version. */
  readonly version: typeof RUN_STATE_VERSION;
  /** Run facts. */
  readonly run: PersistedRun;
  /** Progress at the snapshot. */
  readonly progress: PersistedProgress;
  /** The environment state document (`EngineEnvironment.serialize()`), embedded as JSON. */
  readonly environment: Readonly<Record<string, unknown>>;
}

function corrupt(message: string, cause?: unknown): TaskSeqError {
  return new TaskSeqError("StateCorrupt", message, { cause });
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw corrupt(`The ${what} is not valid JSON.`, cause);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function isDebugSettings(v: unknown): v is Record<string, unknown> {
  return (
    isObject(v) &&
    (v["mode"] === "active" || v["mode"] === "inactive" || v["mode"] === "detached") &&
    typeof v["nextId"] === "number" &&
    Array.isArray(v["breakpoints"]) &&
    v["breakpoints"].every((b) => isObject(b) && typeof b["id"] === "number" && (b["kind"] === "instruction" || b["kind"] === "variable" || b["kind"] === "step-failed"))
  );
}

function isCheckpoint(v: unknown): boolean {
  return isObject(v) && typeof v["index"] === "number" && typeof v["env"] === "string" && Array.isArray(v["outcomes"]) && typeof v["restarts"] === "number";
}

/** Parses and checks a snapshot document. */
export function parseSnapshot(text: string): RunSnapshot {
  const doc = parseJson(text, "state snapshot");
  if (!isObject(doc) || doc["format"] !== RUN_STATE_FORMAT) throw corrupt("The state snapshot has an unknown format.");
  if (doc["version"] !== RUN_STATE_VERSION) throw corrupt(`State version ${String(doc["version"])} is not supported (expected ${RUN_STATE_VERSION}).`);
  const run = doc["run"];
  const progress = doc["progress"];
  if (!isObject(run) || typeof run["runId"] !== "string" || !isObject(run["sequence"]) || !Array.isArray(run["children"])) {
    throw corrupt("The state snapshot has no valid run section.");
  }
  if (!isObject(progress) || typeof progress["pointer"] !== "number" || !isObject(progress["outcomes"])) {
    throw corrupt("The state snapshot has no valid progress section.");
  }
  if (!isObject(doc["environment"])) throw corrupt("The state snapshot has no environment.");
  const debug = progress["debug"];
  if (debug !== undefined && (!isDebugSettings(debug) || !Array.isArray(debug["history"]) || !debug["history"].every(isCheckpoint))) {
    throw corrupt("The state snapshot has invalid debugger state.");
  }
  return doc as unknown as RunSnapshot;
}

/** Parses one journal record. */
export function parseRecord(text: string, line: number): ProgressRecord {
  const rec = parseJson(text, `journal record ${line}`);
  if (!isObject(rec)) throw corrupt(`Journal record ${line} is not an object.`);
  if (rec["p"] !== undefined && typeof rec["p"] !== "number") throw corrupt(`Journal record ${line} has a bad pointer.`);
  if (rec["vars"] !== undefined && !Array.isArray(rec["vars"])) throw corrupt(`Journal record ${line} has bad variables.`);
  if (rec["out"] !== undefined && !Array.isArray(rec["out"])) throw corrupt(`Journal record ${line} has bad outcomes.`);
  if ((rec["dbg"] !== undefined && !isDebugSettings(rec["dbg"])) || (rec["cp"] !== undefined && !isCheckpoint(rec["cp"]))) {
    throw corrupt(`Journal record ${line} has invalid debugger state.`);
  }
  return rec as ProgressRecord;
}

/** Applies a record to progress (variables are applied by the caller, in order). */
export function applyRecord(progress: PersistedProgress, record: ProgressRecord): void {
  if (record.p !== undefined) progress.pointer = record.p;
  for (const [index, report] of record.out ?? []) progress.outcomes[index] = report;
  if (record.run !== undefined) progress.inProgress = record.run ?? undefined;
  if (record.restart !== undefined) progress.restart = record.restart ?? undefined;
  if (record.restarts !== undefined) progress.restarts = record.restarts;
  if (record.failure !== undefined) progress.failure = record.failure;
  if (record.dbg !== undefined) progress.debug = { ...record.dbg, history: progress.debug?.history ?? [] };
  if (record.cp !== undefined) {
    progress.debug ??= { mode: "active", breakpoints: [], nextId: 1, history: [] };
    progress.debug.history.push(record.cp);
  }
}

/** Quoted variable names and layers: the same few names change on every step (`_SMSTSLastActionName`, ...). */
const quoted = new Map<string, string>();

function quote(text: string): string {
  let q = quoted.get(text);
  if (q === undefined) {
    q = JSON.stringify(text);
    if (quoted.size >= 4096) quoted.clear();
    quoted.set(text, q);
  }
  return q;
}

/** One variable change as JSON (the same text `JSON.stringify` gives, without walking an object). */
function formatChange(c: VariableChange): string {
  const value = c.v !== undefined ? `,"v":${JSON.stringify(c.v)}` : c.s !== undefined ? `,"s":${JSON.stringify(c.s)}` : c.p !== undefined ? `,"p":${JSON.stringify(c.p)}` : "";
  return `{"n":${quote(c.n)}${value},"l":${quote(c.l)}}`;
}

/**
 * A journal record as one JSON line; {@link parseRecord} reads it back. Built field by field with
 * plain loops: this runs once per step.
 */
export function formatRecord(record: ProgressRecord): string {
  let json = "";
  const field = (name: string, value: string): void => {
    json += `${json === "" ? "{" : ","}"${name}":${value}`;
  };
  if (record.p !== undefined) field("p", String(record.p));
  if (record.run !== undefined) field("run", record.run === null ? "null" : `{"index":${record.run.index},"retriesUsed":${record.run.retriesUsed}}`);
  if (record.restart !== undefined) field("restart", JSON.stringify(record.restart));
  if (record.restarts !== undefined) field("restarts", String(record.restarts));
  if (record.failure !== undefined) field("failure", JSON.stringify(record.failure));
  if (record.dbg !== undefined) field("dbg", JSON.stringify(record.dbg));
  if (record.cp !== undefined) field("cp", JSON.stringify(record.cp));
  if (record.out !== undefined) {
    let out = "";
    for (const [index, report] of record.out) out += `${out === "" ? "" : ","}[${index},${JSON.stringify(report)}]`;
    field("out", `[${out}]`);
  }
  if (record.vars !== undefined) {
    let vars = "";
    for (const c of record.vars) vars += `${vars === "" ? "" : ","}${formatChange(c)}`;
    field("vars", `[${vars}]`);
  }
  return json === "" ? "{}" : `${json}}`;
}
