/**
 * A script runner for Node hosts whose deadline cannot be outrun: each run executes in a
 * `worker_threads` Worker, and a watchdog on the host thread terminates the worker when the run's
 * time limit plus a grace period passes. QuickJS polls its interrupt handler only every ~10,000
 * calls or back-edges and never inside built-ins, so `for (;;) new Array(1e6).fill(1).indexOf(2)`
 * would otherwise hold the thread for minutes; here it ends in `ScriptTimeout` on time.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { MessageChannel, Worker } from "node:worker_threads";
import type { MessagePort } from "node:worker_threads";
import { setLongTimeout } from "@taskseq/engine";
import { TaskSeqError } from "@taskseq/model";
import type { Result } from "@taskseq/model";
import { mergeScriptFileWrites, resolveScriptLimits } from "@taskseq/script";
import type { ScriptFileWrite, ScriptMessageEvent, ScriptRunner, ScriptRunRequest, ScriptRunResult, ScriptUiEvent } from "@taskseq/script";
import { fromWireError, toWireError } from "./worker-script-runner-protocol.js";
import type { HostCall, HostReply, RunMessage, WireRequest, WorkerMessage, WorkerSetup } from "./worker-script-runner-protocol.js";

/** Options of {@link createWorkerScriptRunner}. */
export interface WorkerScriptRunnerOptions {
  /** Time after a run's `timeMs` before its worker is terminated (default 500 ms; the run's end is at most `timeMs` + this + the time to stop the thread). */
  readonly graceMs?: number;
  /** Hard cap of the worker's QuickJS module memory in bytes (default 128 MiB, as `createScriptRunner`). */
  readonly memoryCeilingBytes?: number;
  /** Longest time a new worker may take to start (default 60,000 ms); past it the run fails with `ScriptError`. */
  readonly startTimeoutMs?: number;
}

/** A script runner whose runs execute in a worker thread (same `run` contract as `ScriptRunner`). */
export interface WorkerScriptRunner extends Pick<ScriptRunner, "run">, Disposable, AsyncDisposable {
  /** How many workers were started so far (one more after every run that had to be terminated). */
  readonly workersStarted: number;
  /** Stops the current worker; a later run starts a new one. */
  close(): Promise<void>;
}

const DEFAULT_CEILING = 128 * 1024 * 1024;
const DEFAULT_GRACE_MS = 500;
const DEFAULT_START_TIMEOUT_MS = 60_000;

/** A started worker and its host-call channel. */
interface Slot {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly ready: Promise<void>;
  /** The run whose host calls the worker makes now. */
  active: ScriptRunRequest | undefined;
}

/**
 * Creates a script runner that runs each script in a worker thread (Node only). The environment,
 * the device views, `respond` and `onEvent` stay on the calling thread: the worker reaches them
 * with synchronous calls (`Atomics.wait` on a shared flag). When a run passes `limits.timeMs` plus
 * `graceMs`, or its `signal` aborts, the worker is terminated (`ScriptTimeout`, `Aborted`) and the
 * next run gets a new one; the file writes the script made before are in the error's
 * `details.fileWrites`, as with `createScriptRunner` (the worker passes each to this thread as it
 * is made). Runs are queued, one at a time; a queued run whose signal aborts ends at once in
 * `Aborted`. The worker does not keep the process alive while idle.
 *
 * @param options - grace period, memory ceiling and start timeout
 * @example
 * ```ts
 * await using runner = createWorkerScriptRunner();
 * const r = await runner.run({ language: "javascript", source: "for (;;) new Array(1e6).fill(1).indexOf(2)", limits: { timeMs: 1000 } });
 * r.error?.code; // "ScriptTimeout", about 1.5 s later
 * const handlers = createBuiltinHandlers({ scriptRunner: runner });
 * ```
 */
export function createWorkerScriptRunner(options: WorkerScriptRunnerOptions = {}): WorkerScriptRunner {
  const ceiling = options.memoryCeilingBytes ?? DEFAULT_CEILING;
  const grace = options.graceMs ?? DEFAULT_GRACE_MS;
  const startTimeout = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  let slot: Slot | undefined;
  let started = 0;
  let nextId = 0;
  let queue: Promise<unknown> = Promise.resolve();

  const stop = (s: Slot): Promise<void> => {
    if (slot === s) slot = undefined;
    s.port.close();
    return s.worker.terminate().then(() => undefined);
  };

  const runOnce = async (request: ScriptRunRequest): Promise<Result<ScriptRunResult>> => {
    let timeMs: number;
    try {
      timeMs = resolveScriptLimits(request.limits, ceiling).timeMs;
    } catch (error) {
      return { error: toTaskSeqError(error) };
    }
    if (isAborted(request)) return { error: aborted() };
    if (slot === undefined) started++;
    const s = (slot ??= startWorker(options.memoryCeilingBytes));
    const ready = await within(s.ready, startTimeout);
    if (ready !== undefined) {
      void stop(s);
      return { error: new TaskSeqError("ScriptError", "The script worker did not start.", { cause: ready }) };
    }
    if (isAborted(request)) return { error: aborted() };
    return new Promise((resolve) => {
      const id = ++nextId;
      const written: ScriptFileWrite[] = [];
      /** An error of this thread's own (the worker is gone), with the file writes the script made before. */
      const lost = (error: TaskSeqError): { error: TaskSeqError } => ({
        error: new TaskSeqError(error.code, error.message, { details: { ...error.details, fileWrites: mergeScriptFileWrites(written) } }),
      });
      const finish = (result: Result<ScriptRunResult>): void => {
        cancelWatchdog();
        request.signal?.removeEventListener("abort", onAbort);
        s.worker.off("message", onMessage);
        s.worker.off("exit", onExit);
        s.active = undefined;
        resolve(result);
      };
      const onMessage = (m: WorkerMessage): void => {
        if (m.type === "result" && m.id === id) finish("error" in m ? { error: fromWireError(m.error) } : { value: m.value });
      };
      const onExit = (): void => {
        void stop(s);
        finish(lost(new TaskSeqError("ScriptError", "The script worker stopped unexpectedly.")));
      };
      const onAbort = (): void => {
        void stop(s);
        finish(lost(aborted()));
      };
      const cancelWatchdog = setLongTimeout(() => {
        void stop(s);
        finish(lost(new TaskSeqError("ScriptTimeout", "The script ran past its time limit.", { details: { timeMs, terminated: true } })));
      }, timeMs + grace);
      s.worker.on("message", onMessage);
      s.worker.on("exit", onExit);
      request.signal?.addEventListener("abort", onAbort, { once: true });
      s.active = {
        ...request,
        onFileWrite: (write) => {
          written.push(write);
          request.onFileWrite?.(write);
        },
      };
      try {
        s.worker.postMessage({ type: "run", id, request: toWire(request) } satisfies RunMessage);
      } catch (error) {
        finish({ error: new TaskSeqError("InvalidArgument", "The script request cannot be passed to the worker (parameters must be strings).", { cause: error }) });
      }
    });
  };

  const close = async (): Promise<void> => {
    if (slot !== undefined) await stop(slot);
  };
  return {
    run(request) {
      const previous = queue;
      const next = previous.then(() => runOnce(request));
      queue = next;
      return request.signal === undefined ? next : Promise.race([next, abortedWhileWaiting(previous, request.signal)]);
    },
    get workersStarted() {
      return started;
    },
    close,
    [Symbol.asyncDispose]: close,
    [Symbol.dispose]() {
      void close();
    },
  };
}

/** Starts a worker; its `ready` settles when the worker's QuickJS module exists. */
function startWorker(memoryCeilingBytes: number | undefined): Slot {
  const flagBuffer = new SharedArrayBuffer(4);
  const flag = new Int32Array(flagBuffer);
  const { port1, port2 } = new MessageChannel();
  const setup: WorkerSetup & { readonly hostPort: MessagePort } = { flag: flagBuffer, memoryCeilingBytes, hostPort: port2 };
  const entry = workerEntry();
  const worker = new Worker(entry.source, { eval: entry.eval, workerData: setup, transferList: [port2] });
  worker.unref();
  const slot: Slot = {
    worker,
    port: port1,
    active: undefined,
    ready: new Promise((resolve, reject) => {
      worker.once("error", reject);
      worker.once("exit", () => reject(new Error("The worker exited while starting.")));
      worker.once("message", () => resolve());
    }),
  };
  slot.ready.catch(() => undefined);
  port1.on("message", (call: HostCall) => {
    let reply: HostReply;
    try {
      reply = { seq: call.seq, value: answer(slot.active, call) };
    } catch (error) {
      reply = { seq: call.seq, error: toWireError(error) };
    }
    try {
      port1.postMessage(reply);
    } catch (error) {
      const refused = new TaskSeqError("DeviceOperationFailed", "A device answer cannot be passed to the script worker.", { cause: error });
      port1.postMessage({ seq: call.seq, error: toWireError(refused) } satisfies HostReply);
    }
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
  // After the listener, which refs the port: an idle worker must not keep the process alive.
  port1.unref();
  return slot;
}

/** Performs a host call of the worker with the run's own environment, device and callbacks. */
function answer(request: ScriptRunRequest | undefined, call: HostCall): unknown {
  if (request === undefined) throw new TaskSeqError("InvalidOperation", "No script run is active.");
  const [a, b] = call.args.map(String);
  const env = request.environment;
  const device = request.device;
  switch (call.op) {
    case "env.get":
      return need(env).get(a ?? "");
    case "env.set":
      need(env).set(a ?? "", b ?? "");
      return null;
    case "env.isSecret":
      return need(env).isSecret(a ?? "");
    case "env.redact":
      return need(env).redact(a ?? "");
    case "env.list": {
      const names = need(env).GetVariables();
      return [names, names.map((name) => need(env).get(name))];
    }
    case "wmi.query":
      return need(device?.wmi).query(a ?? "", b ?? "");
    case "reg.exists":
      return need(device?.registry).keyExists(a ?? "");
    case "reg.read":
      return need(device?.registry).readValue(a ?? "", b ?? "");
    case "reg.list":
      return need(device?.registry?.listKey)(a ?? "");
    case "files.exists":
      return need(device?.files).exists(a ?? "");
    case "files.stat":
      return need(device?.files).stat(a ?? "");
    case "files.list":
      return need(device?.files).list(a ?? "");
    case "files.readText":
      return need(device?.files?.readText)(a ?? "");
    case "files.record":
      need(request.onFileWrite)(call.args[0] as ScriptFileWrite);
      return null;
    case "ui.respond":
      return need(request.respond)(call.args[0] as ScriptMessageEvent);
    case "ui.event":
      need(request.onEvent)(call.args[0] as ScriptUiEvent);
      return null;
  }
}

function need<T>(value: T | undefined): T {
  if (value === undefined) throw new TaskSeqError("AdapterMissing", "The script run has no such host capability.");
  return value;
}

/** The run request as plain data: what the run may reach, not the functions themselves. */
function toWire(request: ScriptRunRequest): WireRequest {
  const device = request.device;
  return {
    language: request.language,
    source: request.source,
    ...(request.parameters === undefined ? {} : { parameters: request.parameters }),
    ...(request.arguments === undefined ? {} : { arguments: request.arguments }),
    ...(request.limits === undefined ? {} : { limits: request.limits }),
    ...(request.startTime === undefined ? {} : { startTime: request.startTime }),
    ...(device?.os === undefined ? {} : { osEnvironment: device.os.environmentVariables() }),
    reach: {
      environment: request.environment !== undefined,
      wmi: device?.wmi !== undefined,
      registry: device?.registry !== undefined,
      registryListing: device?.registry?.listKey !== undefined,
      files: device?.files !== undefined,
      fileReading: device?.files?.readText !== undefined,
      writableFiles: device?.writableFiles === true,
      respond: request.respond !== undefined,
      onEvent: request.onEvent !== undefined,
    },
  };
}

/**
 * The worker's entry: the built `.js` next to this module, or, when running from the TypeScript
 * sources (tests, `tsx`), the `.ts` entry loaded through tsx's loader.
 */
function workerEntry(): { readonly source: string | URL; readonly eval: boolean } {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return { source: new URL("./worker-script-runner-entry.js", here), eval: false };
  const entry = new URL("./worker-script-runner-entry.ts", here).href;
  // The ESM build of tsx's API (its CommonJS build cannot register the loader from a worker).
  const tsx = pathToFileURL(createRequire(here).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  return { source: `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, eval: true };
}

/** Waits for `promise` at most `ms`; the failure (or a timeout error), or `undefined` when it resolved. */
function within(promise: Promise<void>, ms: number): Promise<unknown> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(new Error(`The worker did not start within ${ms} ms.`)), ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve(error ?? new Error("The worker failed to start."));
      },
    );
  });
}

/**
 * An `Aborted` error as soon as `signal` aborts before `previous` (the run queued ahead) settles;
 * never settles otherwise (the run then checks the signal itself when its turn comes).
 */
function abortedWhileWaiting(previous: Promise<unknown>, signal: AbortSignal): Promise<{ error: TaskSeqError }> {
  return new Promise((resolve) => {
    const onAbort = (): void => resolve({ error: aborted() });
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    const done = (): void => signal.removeEventListener("abort", onAbort);
    previous.then(done, done);
  });
}

/** Read through a call: the signal may abort while the run waits for its worker. */
function isAborted(request: ScriptRunRequest): boolean {
  return request.signal?.aborted === true;
}

function aborted(): TaskSeqError {
  return new TaskSeqError("Aborted", "The script run was aborted.");
}

function toTaskSeqError(error: unknown): TaskSeqError {
  return error instanceof TaskSeqError ? error : new TaskSeqError("InvalidArgument", "The script request is not valid.", { cause: error });
}
