import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createWorkerFleetExecutor } from "@taskseq/node";

// A folder name with characters that a URL reads otherwise ("#" starts a fragment).
const dir = mkdtempSync(join(tmpdir(), "taskseq-fleet #1-"));
const module = pathToFileURL(join(dir, "job.mjs"));
writeFileSync(module, `
import { threadId } from "node:worker_threads";
export async function runJob(job) {
  if (job.exit) process.exit(3);
  if (job.fail) throw new Error("job " + job.n + " failed");
  return { n: job.n * 2, thread: threadId };
}
`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("worker-thread fleet executor", () => {
  it("runs jobs on several workers and returns results in job order", async () => {
    await using pool = createWorkerFleetExecutor<{ n: number }, { n: number; thread: number }>({ module, exportName: "runJob", workers: 2 });
    const results = await pool.executor(Array.from({ length: 6 }, (_, n) => ({ n })));
    expect(results.map((r) => r.n)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(new Set(results.map((r) => r.thread)).size).toBe(2);
  });

  it("turns a failing job or a missing export into a typed error", async () => {
    const pool = createWorkerFleetExecutor<{ n: number; fail?: boolean }, unknown>({ module, exportName: "runJob", workers: 1 });
    await expect(pool.executor([{ n: 1, fail: true }])).rejects.toMatchObject({ code: "InvalidOperation", message: expect.stringContaining("job 1 failed") });
    await pool.close();
    const missing = createWorkerFleetExecutor<{ n: number }, unknown>({ module, exportName: "nope", workers: 1 });
    await expect(missing.executor([{ n: 1 }])).rejects.toMatchObject({ code: "InvalidOperation" });
    await missing.close();
  });

  it("rejects the job of a worker that stops, runs later jobs on a new one, and rejects jobs after close", async () => {
    const pool = createWorkerFleetExecutor<{ n: number; exit?: boolean }, { n: number }>({ module, exportName: "runJob", workers: 1 });
    await expect(pool.executor([{ n: 1, exit: true }])).rejects.toMatchObject({ code: "InvalidOperation", details: { exitCode: 3 } });
    expect((await pool.executor([{ n: 1 }, { n: 2 }])).map((r) => r.n)).toEqual([2, 4]);
    await pool.close();
    await expect(pool.executor([{ n: 1 }])).rejects.toMatchObject({ code: "InvalidOperation" });
  });

  it("takes an absolute file path as the module and refuses bad input with typed errors", async () => {
    await using pool = createWorkerFleetExecutor<unknown, { n: number }>({ module: join(dir, "job.mjs"), exportName: "runJob", workers: 1 });
    expect(await pool.executor([{ n: 4 }])).toEqual([{ n: 8, thread: expect.any(Number) }]);
    await expect(pool.executor([{ n: 1, callback: () => 1 }])).rejects.toMatchObject({ code: "InvalidArgument" });
    expect(() => createWorkerFleetExecutor({ module, workers: Number.NaN })).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
  });
});
