/**
 * The persisted state format (variables.md §12 "Open: define the persisted state format").
 *
 * Snapshot (one JSON document):
 * `{ "format": "taskseq-run-state", "version": 7, "run": PersistedRun, "progress": PersistedProgress, "environment": <environment state document> }`,
 * the run's sequences in the compact form of `sequence-codec.ts`.
 *
 * Journal record (one JSON line each, applied in order on top of the snapshot): a
 * {@link ProgressRecord}, written compactly because the engine writes one or two per step:
 * - `out`: `[index, outcome, exitCode]` or `[index, outcome, exitCode, reason]` per step
 *   ({@link JournalOutcome}); the path, name and type come from the instruction table.
 * - `vars`: `[name, layer]` (deleted), `[name, layer, value]`, `[name, layer, token, "s"]`
 *   (sealed secret) or `[name, layer, token, "p"]` (sealed value containing secret text);
 *   {@link parseRecord} returns them as {@link VariableChange} objects.
 * - `run`: `[index, retriesUsed]`, or `null`.
 * - Built-ins a record implies ({@link impliedValue}) are left out of `vars` when they hold exactly
 *   the implied value: since version 4 the two a step's start sets (pointer, current action), since
 *   version 6 also the three its result sets (`_SMSTSLastAction*`).
 * Secret variable values, and the secret settings of the run's sequences, appear only as tokens of the secret store.
 */
import { isVariableLayer, type VariableLayer } from "@taskseq/environment";
import { TaskSeqError, type Step, type TaskSequence } from "@taskseq/model";
import type { ResolvedTaskSequence } from "./child-resolver.js";
import type { DebugCheckpoint, PersistedDebugSettings, PersistedDebugState } from "./debugger/debug-hook.js";
import type { Instruction } from "./instruction-table.js";
import type { FailureInfo, StepOutcome, StepReport } from "./run-result.js";
import { decodeSequence, encodeSequence } from "./sequence-codec.js";
import type { LaunchMode } from "./step-handler.js";

/** Format name of snapshots. */
export const RUN_STATE_FORMAT = "taskseq-run-state";
/**
 * Current snapshot version: 3 leaves the item fields that hold their defaults out of the run's
 * sequences (restored by {@link parseSnapshot}); 4 leaves `_SMSTSNextInstructionPointer` and
 * `_SMSTSCurrentActionName` out of a step's start record when they hold what its in-progress marker
 * implies (the step's index and name; resume applies them from the marker); 5 writes the sequences
 * in the compact form of `sequence-codec.ts`, steps as arrays; 6 in its current form, steps of one
 * shape described once, and leaves the `_SMSTSLastAction*` values a step's result implies out of a
 * record; 7 seals the secret settings of the sequences (`PersistedRun.sealed`: an engine that
 * does not know them must not run the sequences with their placeholders). Versions 2 (sequences
 * written in full), 3, 4, 5 and 6 are read too; any other is `StateCorrupt`.
 */
export const RUN_STATE_VERSION = 7;

/** Versions {@link parseSnapshot} reads. */
const READABLE_VERSIONS: readonly unknown[] = [2, 3, 4, 5, 6, RUN_STATE_VERSION];

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
  /** The log folder the host gave (`RunOptions.logPath`): `_SMSTSLogPath` in every phase; absent: the device's folder of the phase. */
  readonly logPath?: string;
  /** Secret settings of the sequences, sealed (`sealed-settings.ts`); in a snapshot only, absent when there are none. */
  readonly sealed?: readonly SealedSetting[];
}

/**
 * A sealed entry of the run's sequences: `[sequence, path, index, token]`. `sequence` is 0 for the
 * top-level sequence and `n` for child `n - 1`; `path` is the step's index path (`0.2.1`) or
 * `globals` for the sequence variables; `index` the entry's position in that list; `token` the
 * secret store's token of the whole entry as JSON. The sequence holds only the entry's name and
 * property there.
 */
export type SealedSetting = readonly [number, string, number, string];

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

/** A step report in a journal record: instruction index, outcome, return code and, when there is one, the reason. */
export type JournalOutcome = readonly [index: number, outcome: StepOutcome, exitCode: number, reason?: string];

/** One journal record. Absent fields are unchanged. */
export interface ProgressRecord {
  /** New pointer. */
  readonly p?: number;
  /** Variable changes, in order. */
  readonly vars?: readonly VariableChange[];
  /** Step reports (see {@link stepReportOf}). */
  readonly out?: readonly JournalOutcome[];
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
  /** Version as written: 2 (sequences in full), 3 (start variables journaled), 4 (sequences as objects), 5 (steps as arrays), 6 (steps by shape) or {@link RUN_STATE_VERSION}. */
  readonly version: 2 | 3 | 4 | 5 | 6 | typeof RUN_STATE_VERSION;
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

function isSealedSetting(v: unknown): boolean {
  return Array.isArray(v) && v.length === 4 && Number.isSafeInteger(v[0]) && v[0] >= 0 && typeof v[1] === "string" && Number.isSafeInteger(v[2]) && v[2] >= 0 && typeof v[3] === "string";
}

/** Parses and checks a snapshot document. */
export function parseSnapshot(text: string): RunSnapshot {
  const doc = parseJson(text, "state snapshot");
  if (!isObject(doc) || doc["format"] !== RUN_STATE_FORMAT) throw corrupt("The state snapshot has an unknown format.");
  if (!READABLE_VERSIONS.includes(doc["version"])) throw corrupt(`State version ${String(doc["version"])} is not supported (expected 2 to ${RUN_STATE_VERSION}).`);
  const run = doc["run"];
  const progress = doc["progress"];
  if (!isObject(run) || typeof run["runId"] !== "string" || !isObject(run["sequence"]) || !Array.isArray(run["children"])) {
    throw corrupt("The state snapshot has no valid run section.");
  }
  if (!isObject(progress) || typeof progress["pointer"] !== "number" || !isObject(progress["outcomes"])) {
    throw corrupt("The state snapshot has no valid progress section.");
  }
  if (run["logPath"] !== undefined && typeof run["logPath"] !== "string") throw corrupt("The state snapshot has a malformed log path.");
  const sealed = run["sealed"];
  if (sealed !== undefined && !(Array.isArray(sealed) && sealed.every(isSealedSetting))) throw corrupt("The state snapshot has malformed sealed settings.");
  if (!isObject(doc["environment"])) throw corrupt("The state snapshot has no environment.");
  const debug = progress["debug"];
  if (debug !== undefined && (!isDebugSettings(debug) || !Array.isArray(debug["history"]) || !debug["history"].every(isCheckpoint))) {
    throw corrupt("The state snapshot has invalid debugger state.");
  }
  const version = doc["version"];
  run["sequence"] = readSequence(run["sequence"], version);
  run["children"] = run["children"].map((c: unknown) => (isObject(c) ? { ...c, sequence: readSequence(c["sequence"], version) } : c));
  return doc as unknown as RunSnapshot;
}

/** Required item fields that snapshots of versions 3 and 4 leave out when they hold these values. */
const ITEM_DEFAULTS = { description: "", disabled: false, continueOnError: false } as const;
const STEP_DEFAULTS = { ...ITEM_DEFAULTS, element: "step", runIn: "WinPEandFullOS", retryCount: 0, runFromNet: false } as const;

/** An item as versions 3 and 4 wrote it, with the left-out fields restored (a full item is returned equal). */
function unpackItem(v: unknown): unknown {
  if (!isObject(v)) return v;
  if (v["kind"] === "step") return { ...STEP_DEFAULTS, ...v };
  if (v["kind"] !== "group") return v;
  const children = v["children"];
  return { ...ITEM_DEFAULTS, ...v, children: Array.isArray(children) ? children.map(unpackItem) : children };
}

/** A sequence as the snapshot's version wrote it, read back: compact (5, 6, 7), without default fields (3, 4) or in full (2). */
function readSequence(v: unknown, version: unknown): unknown {
  if (version === 5) return decodeSequence(v, 5);
  if (version === 6 || version === RUN_STATE_VERSION) return decodeSequence(v, 6);
  if (version === 2 || !isObject(v) || !Array.isArray(v["items"])) return v;
  return { ...v, items: v["items"].map(unpackItem) };
}

/** The run section as a snapshot writes it: its sequences in the compact form of `sequence-codec.ts`, which {@link parseSnapshot} reads back. */
export function packRun(run: PersistedRun): object {
  return { ...run, sequence: encodeSequence(run.sequence), children: run.children.map((c) => ({ ...c, sequence: encodeSequence(c.sequence) })) };
}

const OUTCOMES: ReadonlySet<string> = new Set<StepOutcome>(["success", "failed", "failed-continued", "skipped-condition", "skipped-disabled", "not-run"]);

function isOutcome(v: unknown): v is JournalOutcome {
  return Array.isArray(v) && (v.length === 3 || (v.length === 4 && typeof v[3] === "string")) && Number.isSafeInteger(v[0]) && typeof v[1] === "string" && OUTCOMES.has(v[1]) && Number.isSafeInteger(v[2]);
}

/** A persisted variable change (see the module comment), or `undefined` when malformed. */
function variableChangeOf(v: unknown): VariableChange | undefined {
  if (!Array.isArray(v) || typeof v[0] !== "string" || !isVariableLayer(v[1])) return undefined;
  const [n, l, value, sealed] = v as [string, VariableLayer, unknown, unknown];
  if (v.length === 2) return { n, l };
  if (typeof value !== "string") return undefined;
  if (v.length === 3) return { n, v: value, l };
  if (v.length === 4 && sealed === "s") return { n, s: value, l };
  if (v.length === 4 && sealed === "p") return { n, p: value, l };
  return undefined;
}

/** Parses one journal record. */
export function parseRecord(text: string, line: number): ProgressRecord {
  const rec = parseJson(text, `journal record ${line}`);
  if (!isObject(rec)) throw corrupt(`Journal record ${line} is not an object.`);
  if (rec["p"] !== undefined && typeof rec["p"] !== "number") throw corrupt(`Journal record ${line} has a bad pointer.`);
  const run = rec["run"];
  if (run !== undefined && run !== null && !(Array.isArray(run) && run.length === 2 && Number.isSafeInteger(run[0]) && Number.isSafeInteger(run[1]))) {
    throw corrupt(`Journal record ${line} has a bad step-in-progress marker.`);
  }
  const out = rec["out"];
  if (out !== undefined && !(Array.isArray(out) && out.every(isOutcome))) throw corrupt(`Journal record ${line} has bad outcomes.`);
  const vars = rec["vars"];
  const changes = vars === undefined ? undefined : Array.isArray(vars) ? vars.map(variableChangeOf) : [undefined];
  if (changes?.some((c) => c === undefined) === true) throw corrupt(`Journal record ${line} has bad variables.`);
  if ((rec["dbg"] !== undefined && !isDebugSettings(rec["dbg"])) || (rec["cp"] !== undefined && !isCheckpoint(rec["cp"]))) {
    throw corrupt(`Journal record ${line} has invalid debugger state.`);
  }
  const parsed: Record<string, unknown> = { ...rec };
  if (Array.isArray(run)) parsed["run"] = { index: run[0] as number, retriesUsed: run[1] as number };
  if (changes !== undefined) parsed["vars"] = changes;
  return parsed as ProgressRecord;
}

/** The full report of a {@link JournalOutcome}: path, name and type from the instruction it names. */
export function stepReportOf(table: readonly Instruction[], [index, outcome, exitCode, reason]: JournalOutcome): StepReport {
  const ins = table[index];
  if (ins === undefined || (ins.kind !== "step" && ins.kind !== "enter-child")) throw corrupt(`A journal record reports instruction ${index}, which is not a step.`);
  const base = { path: ins.path, name: ins.item.name, type: ins.item.type, outcome, exitCode };
  return reason === undefined ? base : { ...base, reason };
}

/** `_SMSTSNextInstructionPointer`: the index of the instruction being processed. */
const POINTER_VARIABLE = "_SMSTSNextInstructionPointer";
/** `_SMSTSCurrentActionName`: the name of the step being processed. */
const CURRENT_ACTION_VARIABLE = "_SMSTSCurrentActionName";
/** `_SMSTSLastActionName`, `_SMSTSLastActionRetCode`, `_SMSTSLastActionSucceeded`: the result of the last step that ran. */
const LAST_ACTION_NAME_VARIABLE = "_SMSTSLastActionName";
const LAST_ACTION_RET_CODE_VARIABLE = "_SMSTSLastActionRetCode";
const LAST_ACTION_SUCCEEDED_VARIABLE = "_SMSTSLastActionSucceeded";

/** The built-ins a record can imply (see {@link impliedValue}). */
export const IMPLIED_VARIABLES: readonly string[] = [POINTER_VARIABLE, CURRENT_ACTION_VARIABLE, LAST_ACTION_NAME_VARIABLE, LAST_ACTION_RET_CODE_VARIABLE, LAST_ACTION_SUCCEEDED_VARIABLE];

/** The last report in `out` of a step that ran (a result, not a skip), with its step. */
function lastResult(table: readonly Instruction[], out: readonly JournalOutcome[] | undefined): { readonly step: Step; readonly outcome: JournalOutcome } | undefined {
  if (out === undefined) return undefined;
  for (let i = out.length - 1; i >= 0; i--) {
    const outcome = out[i] as JournalOutcome;
    const ins = table[outcome[0]];
    if (ins?.kind === "step" && (outcome[1] === "success" || outcome[1] === "failed" || outcome[1] === "failed-continued")) return { step: ins.item, outcome };
  }
  return undefined;
}

/**
 * The value a record implies for a built-in, which the engine leaves out of the record's `vars`
 * when it holds exactly that value (`undefined`: nothing implied). A record marking step `index`
 * in progress implies `_SMSTSNextInstructionPointer` = `index` and `_SMSTSCurrentActionName` = the
 * step's name: the engine sets them when the step starts, before the record is written. A record
 * reporting the result of a step that ran implies the `_SMSTSLastAction*` values the engine set
 * with it (the step's name, its exit code, whether it succeeded; the last such report wins). A
 * reader applies the implied values before the record's `vars`, which override them.
 */
export function impliedValue(table: readonly Instruction[], record: ProgressRecord, name: string): string | undefined {
  switch (name) {
    case POINTER_VARIABLE:
      return record.run == null ? undefined : String(record.run.index);
    case CURRENT_ACTION_VARIABLE: {
      const ins = record.run == null ? undefined : table[record.run.index];
      return ins?.kind === "step" ? ins.item.name : undefined;
    }
    case LAST_ACTION_NAME_VARIABLE:
      return lastResult(table, record.out)?.step.name;
    case LAST_ACTION_RET_CODE_VARIABLE: {
      const result = lastResult(table, record.out);
      return result === undefined ? undefined : String(result.outcome[2]);
    }
    case LAST_ACTION_SUCCEEDED_VARIABLE: {
      const result = lastResult(table, record.out);
      return result === undefined ? undefined : result.outcome[1] === "success" ? "true" : "false";
    }
    default:
      return undefined;
  }
}

/** Applies a record to progress: everything but the variables (applied by the caller, in order) and `out` (see {@link stepReportOf}). */
export function applyRecord(progress: PersistedProgress, record: ProgressRecord): void {
  if (record.p !== undefined) progress.pointer = record.p;
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

/** Characters `JSON.stringify` escapes in a string: quote, backslash, controls and surrogates (a lone one is escaped). */
// eslint-disable-next-line no-control-regex -- the control characters are what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A JSON string; most names and values need no escaping and are quoted without a `JSON.stringify` call. */
function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/**
 * The heads of a change of one name in one layer — `[name,"layer"` as the first item, `,[name,"layer"`
 * after another, each also with the `,"` that opens a value — kept because the same few names
 * change on every step (`_SMSTSLastActionName`, ...).
 */
interface ChangeHeads {
  readonly first: string;
  readonly next: string;
  readonly firstValue: string;
  readonly nextValue: string;
}
const heads = new Map<VariableLayer, Map<string, ChangeHeads>>();
const HEAD_CACHE_LIMIT = 4096;

function headsOf(name: string, layer: VariableLayer): ChangeHeads {
  let byName = heads.get(layer);
  if (byName === undefined) heads.set(layer, (byName = new Map()));
  let h = byName.get(name);
  if (h === undefined) {
    const first = `[${jsonString(name)},"${layer}"`;
    h = { first, next: `,${first}`, firstValue: `${first},"`, nextValue: `,${first},"` };
    if (byName.size >= HEAD_CACHE_LIMIT) byName.clear();
    byName.set(name, h);
  }
  return h;
}

/**
 * The items of the `vars` member, `[name,layer,value],…` (see the module comment), appended piece
 * by piece with cached heads: few intermediate strings, as this runs for every record.
 */
function formatChanges(changes: readonly VariableChange[]): string {
  let text = "";
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i] as VariableChange;
    const h = headsOf(c.n, c.l);
    if (c.v !== undefined && !NEEDS_ESCAPE.test(c.v)) text += `${i === 0 ? h.firstValue : h.nextValue}${c.v}"]`;
    else if (c.v !== undefined) text += `${i === 0 ? h.first : h.next},${JSON.stringify(c.v)}]`;
    else if (c.s !== undefined) text += `${i === 0 ? h.first : h.next},${jsonString(c.s)},"s"]`;
    else if (c.p !== undefined) text += `${i === 0 ? h.first : h.next},${jsonString(c.p)},"p"]`;
    else text += `${i === 0 ? h.first : h.next}]`;
  }
  return text;
}

/** The items of the `out` member: `[index,outcome,code],…` or with a reason. */
function formatOutcomes(outcomes: readonly JournalOutcome[]): string {
  let text = "";
  for (let i = 0; i < outcomes.length; i++) {
    const [index, outcome, exitCode, reason] = outcomes[i] as JournalOutcome;
    text += `${i === 0 ? "[" : ",["}${index},"${outcome}",${exitCode}${reason === undefined ? "]" : `,${jsonString(reason)}]`}`;
  }
  return text;
}

/** A journal record as one JSON line in the compact form {@link parseRecord} reads. */
export function formatRecord(record: ProgressRecord): string {
  // Each member opens with a constant (`{"name":` or `,"name":`, with the `[` of a list member) followed by its value.
  let json = "";
  if (record.p !== undefined) json += `{"p":${record.p}`;
  if (record.run === null) json += json === "" ? '{"run":null' : ',"run":null';
  else if (record.run !== undefined) json += `${json === "" ? '{"run":[' : ',"run":['}${record.run.index},${record.run.retriesUsed}]`;
  if (record.restart !== undefined) json += `${json === "" ? '{"restart":' : ',"restart":'}${JSON.stringify(record.restart)}`;
  if (record.restarts !== undefined) json += `${json === "" ? '{"restarts":' : ',"restarts":'}${record.restarts}`;
  if (record.failure !== undefined) json += `${json === "" ? '{"failure":' : ',"failure":'}${JSON.stringify(record.failure)}`;
  if (record.dbg !== undefined) json += `${json === "" ? '{"dbg":' : ',"dbg":'}${JSON.stringify(record.dbg)}`;
  if (record.cp !== undefined) json += `${json === "" ? '{"cp":' : ',"cp":'}${JSON.stringify(record.cp)}`;
  if (record.out !== undefined) json += `${json === "" ? '{"out":[' : ',"out":['}${formatOutcomes(record.out)}]`;
  if (record.vars !== undefined) json += `${json === "" ? '{"vars":[' : ',"vars":['}${formatChanges(record.vars)}]`;
  return json === "" ? "{}" : `${json}}`;
}
