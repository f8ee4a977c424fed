/**
 * The messages between {@link createWorkerScriptRunner}'s host thread and its worker: runs and
 * results on the worker's port, synchronous host calls (environment, device, message answers,
 * events) on a dedicated channel the worker reads with `receiveMessageOnPort` after an
 * `Atomics.wait` on a shared flag.
 */
import { TaskSeqError, isTaskSeqError } from "@taskseq/model";
import type { Result, SourcePosition, TaskSeqErrorCode } from "@taskseq/model";
import type { ScriptRunRequest, ScriptRunResult } from "@taskseq/script";

/** What the worker may call on the host thread: the environment, the device views, the UI callbacks, and each file write the run records (`files.record`). */
export type HostCallOp =
  | "env.get"
  | "env.set"
  | "env.isSecret"
  | "env.redact"
  | "env.list"
  | "wmi.query"
  | "reg.exists"
  | "reg.read"
  | "reg.list"
  | "files.exists"
  | "files.stat"
  | "files.list"
  | "files.readText"
  | "files.record"
  | "ui.respond"
  | "ui.event";

/** A host call from the worker; `seq` numbers the calls so an answer is matched to its call. */
export interface HostCall {
  readonly seq: number;
  readonly op: HostCallOp;
  readonly args: readonly unknown[];
}

/** A TaskSeqError as plain data (the cause stays behind: it may not be cloneable). */
export interface WireError {
  readonly code: TaskSeqErrorCode;
  readonly message: string;
  readonly position?: SourcePosition;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The answer to a host call (`seq` of the call). */
export type HostReply = { readonly seq: number } & ({ readonly value: unknown } | { readonly error: WireError });

/** Which parts of the host a run may reach (the functions stay on the host thread). */
export interface WireReach {
  readonly environment: boolean;
  readonly wmi: boolean;
  readonly registry: boolean;
  readonly registryListing: boolean;
  readonly files: boolean;
  /** The file view reads content (`readText`). */
  readonly fileReading: boolean;
  /** The script may write files: the worker's run records the writes, passes each to the host thread as it is made and returns them in its result. */
  readonly writableFiles: boolean;
  readonly respond: boolean;
  readonly onEvent: boolean;
}

/** A run request as plain data; the device's process environment (`$env:`) is read once on the host and sent along. */
export type WireRequest = Pick<ScriptRunRequest, "language" | "source" | "parameters" | "arguments" | "limits" | "startTime"> & {
  readonly reach: WireReach;
  readonly osEnvironment?: Readonly<Record<string, string>>;
};

/** Host thread → worker. */
export interface RunMessage {
  readonly type: "run";
  readonly id: number;
  readonly request: WireRequest;
}

/** Worker → host thread. */
export type WorkerMessage =
  | { readonly type: "ready" }
  | { readonly type: "result"; readonly id: number; readonly value: ScriptRunResult }
  | { readonly type: "result"; readonly id: number; readonly error: WireError };

/** What the worker is started with. */
export interface WorkerSetup {
  /** Int32 flag the worker waits on during a host call (0 waiting, 1 answered). */
  readonly flag: SharedArrayBuffer;
  /** Memory ceiling of the worker's QuickJS modules. */
  readonly memoryCeilingBytes: number | undefined;
}

/** Turns an error into plain data; details that cannot cross threads are left out. */
export function toWireError(error: unknown): WireError {
  const e = isTaskSeqError(error) ? error : new TaskSeqError("ScriptError", "The script host failed.");
  let details: Readonly<Record<string, unknown>> | undefined;
  try {
    details = e.details === undefined ? undefined : structuredClone(e.details);
  } catch {
    details = undefined;
  }
  return { code: e.code, message: e.message, ...(e.position === undefined ? {} : { position: e.position }), ...(details === undefined ? {} : { details }) };
}

/** Turns plain data back into a TaskSeqError. */
export function fromWireError(wire: WireError): TaskSeqError {
  return new TaskSeqError(wire.code, wire.message, { ...(wire.position === undefined ? {} : { position: wire.position }), ...(wire.details === undefined ? {} : { details: wire.details }) });
}

/** A result as it crosses threads. */
export function toWireResult(result: Result<ScriptRunResult>): { value: ScriptRunResult } | { error: WireError } {
  return result.error === undefined ? { value: result.value } : { error: toWireError(result.error) };
}
