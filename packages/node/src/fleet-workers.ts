import { availableParallelism } from "node:os";
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { TaskSeqError } from "@taskseq/model";

/** Options of {@link createWorkerFleetExecutor}. */
export interface WorkerFleetExecutorOptions {
  /**
   * Absolute URL (or path) of the module that runs one job in a worker, for example the built
   * `@taskseq/site` entry, whose `runFleetJobWithBuiltins` runs a fleet job with the built-in handlers.
   */
  readonly module: string | URL;
  /** The module's export to call with each job (default `runFleetJobWithBuiltins`). */
  readonly exportName?: string;
  /** Worker threads (default: the available parallelism; at least 1; not a finite number: `InvalidArgument`). */
  readonly workers?: number;
  /**
   * Modules (absolute URLs) each worker imports first; a `register()` export is called. For
   * example a TypeScript loader, `import.meta.resolve("tsx/esm/api")`, to run jobs from sources.
   */
  readonly preload?: readonly string[];
}

/** A worker-thread executor and the way to stop its threads. */
export interface WorkerFleetExecutor<J, R> {
  /**
   * Runs jobs on the workers; results come back in job order. A job the module fails, or a worker
   * that stops while running it (a job that exits the thread, runs out of memory), rejects with
   * `InvalidOperation`; a stopped worker is replaced for later jobs. After `close`, `InvalidOperation`.
   */
  readonly executor: (jobs: readonly J[]) => Promise<R[]>;
  /** Stops every worker; the jobs still running reject with `InvalidOperation`. */
  close(): Promise<void>;
  /** Stops every worker (`await using`). */
  [Symbol.asyncDispose](): Promise<void>;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const preload = (p, url) => p.then(() => import(url)).then((m) => { if (typeof m.register === "function") m.register(); });
const ready = workerData.preload.reduce(preload, Promise.resolve()).then(() => import(workerData.module)).then((m) => {
  const run = m[workerData.exportName];
  if (typeof run !== "function") throw new Error("The fleet job module has no export " + workerData.exportName + ".");
  return run;
});
// Each job reports the failure to load the module; the worker itself stays up.
ready.catch(() => undefined);
let queue = Promise.resolve();
const handle = async ({ id, job }) => {
  try {
    const run = await ready;
    parentPort.postMessage({ id, result: await run(job) });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message || e) });
  }
};
// One job at a time: simulated runs do no real I/O, so interleaving them only costs.
parentPort.on("message", (message) => { queue = queue.then(() => handle(message)); });
`;

interface Pending<R> {
  readonly resolve: (value: R) => void;
  readonly reject: (error: TaskSeqError) => void;
}

/** A worker and the jobs it was given that have no result yet. */
interface Lane<R> {
  readonly worker: Worker;
  readonly pending: Map<number, Pending<R>>;
}

/**
 * A fleet executor on worker threads (Node only): each worker loads the job module once and runs
 * the jobs it is given; jobs and results cross threads as plain data. `module` may be a URL or an
 * absolute file path. Pass it as `executor` to `runFleet` of `@taskseq/site`.
 *
 * @example
 * ```ts
 * await using pool = createWorkerFleetExecutor<FleetJob, FleetJobResult>({ module: import.meta.resolve("@taskseq/site") });
 * const result = await runFleet(site, deploymentId, { devices, from, until, executor: pool.executor });
 * ```
 */
export function createWorkerFleetExecutor<J, R>(options: WorkerFleetExecutorOptions): WorkerFleetExecutor<J, R> {
  if (options.workers !== undefined && !Number.isFinite(options.workers)) {
    throw new TaskSeqError("InvalidArgument", "The number of fleet workers must be a finite number.", { details: { workers: String(options.workers) } });
  }
  const count = Math.max(1, Math.floor(options.workers ?? availableParallelism()));
  const module = options.module instanceof URL ? options.module.href : isAbsolute(options.module) ? pathToFileURL(options.module).href : options.module;
  const workerData = { module, exportName: options.exportName ?? "runFleetJobWithBuiltins", preload: [...(options.preload ?? [])] };
  let nextId = 0;
  let closed = false;
  /** Starts the worker of lane `index`; when it stops, its jobs reject and the lane's next job starts a new one. */
  const start = (index: number): Lane<R> => {
    const lane: Lane<R> = { worker: new Worker(WORKER_SOURCE, { eval: true, workerData }), pending: new Map() };
    let failure: Error | undefined;
    lane.worker.on("message", (m: { id: number; result?: R; error?: string }) => {
      const p = lane.pending.get(m.id);
      lane.pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new TaskSeqError("InvalidOperation", `A fleet worker failed: ${m.error}`));
      else p?.resolve(m.result as R);
    });
    lane.worker.on("error", (e) => {
      failure = e;
    });
    lane.worker.on("exit", (exitCode) => {
      const stopped = new TaskSeqError("InvalidOperation", closed ? "The fleet executor was closed." : "A fleet worker stopped.", { cause: failure, details: { exitCode } });
      for (const p of lane.pending.values()) p.reject(stopped);
      lane.pending.clear();
      if (lanes[index] === lane) lanes[index] = undefined;
    });
    return lane;
  };
  const lanes: (Lane<R> | undefined)[] = Array.from({ length: count }, (_, i) => start(i));
  const close = async (): Promise<void> => {
    closed = true;
    await Promise.all(lanes.map((l) => l?.worker.terminate()));
  };
  return {
    executor: (jobs) =>
      Promise.all(
        jobs.map(
          (job, i) =>
            new Promise<R>((resolve, reject) => {
              if (closed) {
                reject(new TaskSeqError("InvalidOperation", "The fleet executor was closed."));
                return;
              }
              const id = nextId++;
              const lane = (lanes[i % count] ??= start(i % count));
              try {
                lane.worker.postMessage({ id, job });
              } catch (error) {
                reject(new TaskSeqError("InvalidArgument", "A fleet job cannot be passed to a worker (it must be plain data).", { cause: error }));
                return;
              }
              lane.pending.set(id, { resolve, reject });
            }),
        ),
      ),
    close,
    [Symbol.asyncDispose]: close,
  };
}
