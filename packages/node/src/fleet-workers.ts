import { availableParallelism } from "node:os";
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
  /** Worker threads (default: the available parallelism, at least 1). */
  readonly workers?: number;
  /**
   * Modules (absolute URLs) each worker imports first; a `register()` export is called. For
   * example a TypeScript loader, `import.meta.resolve("tsx/esm/api")`, to run jobs from sources.
   */
  readonly preload?: readonly string[];
}

/** A worker-thread executor and the way to stop its threads. */
export interface WorkerFleetExecutor<J, R> {
  /** Runs jobs on the workers; results come back in job order. */
  readonly executor: (jobs: readonly J[]) => Promise<R[]>;
  /** Stops every worker. */
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

/**
 * A fleet executor on worker threads (Node only): each worker loads the job module once and runs
 * the jobs it is given; jobs and results cross threads as plain data. Pass it as `executor` to
 * `runFleet` of `@taskseq/site`.
 *
 * @example
 * ```ts
 * await using pool = createWorkerFleetExecutor<FleetJob, FleetJobResult>({ module: import.meta.resolve("@taskseq/site") });
 * const result = await runFleet(site, deploymentId, { devices, from, until, executor: pool.executor });
 * ```
 */
export function createWorkerFleetExecutor<J, R>(options: WorkerFleetExecutorOptions): WorkerFleetExecutor<J, R> {
  const count = Math.max(1, Math.floor(options.workers ?? availableParallelism()));
  const module = options.module instanceof URL ? options.module.href : /^[a-z]+:/i.test(options.module) ? options.module : new URL(`file://${options.module}`).href;
  const workerData = { module, exportName: options.exportName ?? "runFleetJobWithBuiltins", preload: [...(options.preload ?? [])] };
  const pending = new Map<number, Pending<R>>();
  let nextId = 0;
  const workers = Array.from({ length: count }, () => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    worker.on("message", (m: { id: number; result?: R; error?: string }) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new TaskSeqError("InvalidOperation", `A fleet worker failed: ${m.error}`));
      else p?.resolve(m.result as R);
    });
    worker.on("error", (e) => {
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(new TaskSeqError("InvalidOperation", "A fleet worker stopped.", { cause: e }));
      }
    });
    return worker;
  });
  const close = async (): Promise<void> => {
    await Promise.all(workers.map((w) => w.terminate()));
  };
  return {
    executor: (jobs) =>
      Promise.all(
        jobs.map(
          (job, i) =>
            new Promise<R>((resolve, reject) => {
              const id = nextId++;
              pending.set(id, { resolve, reject });
              (workers[i % count] as Worker).postMessage({ id, job });
            }),
        ),
      ),
    close,
    [Symbol.asyncDispose]: close,
  };
}
