import { afterEach, describe, expect, it, vi } from "vitest";
import { createEngine, createStepHandlerRegistry, type StepHandler } from "@taskseq/engine";
import { sequence, step, TEST_TYPE } from "./fixtures.js";

/** A handler that waits until its signal aborts (and ignores it when `stubborn`). */
const waits =
  (stubborn = false): StepHandler =>
  (ctx) =>
    new Promise((resolve) => {
      if (!stubborn) ctx.signal.addEventListener("abort", () => resolve({ exitCode: 0 }));
    });

afterEach(() => {
  vi.useRealTimers();
});

describe("time limits (execution.md §9)", () => {
  it("a step timeout fails the step with 1460 (StepTimeout), even if the handler ignores the signal", async () => {
    vi.useFakeTimers();
    for (const stubborn of [false, true]) {
      const handlers = createStepHandlerRegistry({ [TEST_TYPE]: waits(stubborn) });
      const running = createEngine({ handlers }).run(sequence([step("Slow", { timeout: 30, continueOnError: true }), step("Next", { type: "Nobody", continueOnError: true })]));
      await vi.advanceTimersByTimeAsync(30_000);
      const r = await running;
      expect(r.steps[0]).toMatchObject({ outcome: "failed-continued", exitCode: 1460 });
      expect(r.steps[0]?.reason).toMatch(/timed out/);
      expect(r.steps[1]?.outcome).toBe("failed-continued");
    }
  });

  it("maximum run time with enforcement stop fails the run with MaxRunTimeExceeded, ignoring continue-on-error", async () => {
    vi.useFakeTimers();
    const handlers = createStepHandlerRegistry({ [TEST_TYPE]: waits() });
    const running = createEngine({ handlers }).run(sequence([step("Long", { continueOnError: true }), step("After")]), { maxRunTimeMinutes: 1, maxRunTimeEnforcement: "stop" });
    await vi.advanceTimersByTimeAsync(60_000);
    const r = await running;
    expect(r.status).toBe("failed");
    expect(r.error?.code).toBe("MaxRunTimeExceeded");
    expect(r.steps.map((s) => s.outcome)).toEqual(["failed", "not-run"]);
  });

  it("on the engine clock: a step that outlasts its timeout or the maximum run time fails as if its timer had fired (a simulated clock jumps)", async () => {
    let t = 0;
    const handlers = createStepHandlerRegistry({
      [TEST_TYPE]: (ctx) => {
        t += ctx.step.name === "Quick" ? 1_000 : 3 * 60 * 60_000;
        return Promise.resolve({ exitCode: 0 });
      },
    });
    const timedOut = await createEngine({ handlers, now: () => t }).run(sequence([step("Quick", { timeout: 30 }), step("Slow", { timeout: 30, continueOnError: true }), step("Next")]));
    expect(timedOut.steps.map((s) => [s.outcome, s.exitCode])).toEqual([["success", 0], ["failed-continued", 1460], ["success", 0]]);
    t = 0;
    const r = await createEngine({ handlers, now: () => t }).run(sequence([step("Quick"), step("Long", { continueOnError: true }), step("After")]), { maxRunTimeMinutes: 120, maxRunTimeEnforcement: "stop" });
    expect(r).toMatchObject({ status: "failed", error: { code: "MaxRunTimeExceeded" } });
    expect(r.steps.map((s) => s.outcome)).toEqual(["success", "failed", "not-run"]);
  });

  it("monitorOnly does not stop the run", async () => {
    let t = 0;
    const handlers = createStepHandlerRegistry({
      [TEST_TYPE]: () => {
        t += 3 * 60 * 60_000;
        return Promise.resolve({ exitCode: 0 });
      },
    });
    const r = await createEngine({ handlers, now: () => t }).run(sequence([step("A"), step("B")]), { maxRunTimeMinutes: 0 });
    expect(r.status).toBe("success");
    expect(r.durationMs).toBe(6 * 60 * 60_000);
  });

  it("an AbortSignal fails the run with Aborted", async () => {
    const controller = new AbortController();
    const handlers = createStepHandlerRegistry({
      [TEST_TYPE]: (ctx) => {
        controller.abort();
        return waits()(ctx);
      },
    });
    const r = await createEngine({ handlers }).run(sequence([step("A", { continueOnError: true }), step("B")]), { signal: controller.signal });
    expect(r.status).toBe("failed");
    expect(r.error?.code).toBe("Aborted");
    expect(r.steps.map((s) => s.outcome)).toEqual(["failed", "not-run"]);
  });
});
