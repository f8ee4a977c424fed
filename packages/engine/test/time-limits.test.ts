import { afterEach, describe, expect, it, vi } from "vitest";
import { createEngine, createStepHandlerRegistry, setLongTimeout, type StepHandler } from "@taskseq/engine";
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

  it("a handler that goes on after its step timed out can no longer change variables: each late write throws Aborted, the first is logged", async () => {
    vi.useFakeTimers();
    const refused: string[] = [];
    let readAfterEnd: string | undefined;
    const handlers = createStepHandlerRegistry({
      [TEST_TYPE]: async (ctx) => {
        if (ctx.step.name === "Next") {
          await new Promise((resolve) => setTimeout(resolve, 20_000));
          return { exitCode: 0 };
        }
        ctx.env.set("Early", "kept");
        await new Promise((resolve) => setTimeout(resolve, 40_000)); // ignores its signal
        for (const write of [() => ctx.env.set("Late", "x"), () => ctx.env.Value("Late", "x"), () => ctx.env.delete("Early"), () => ctx.env.appendToList("Late", "x", 2), () => ctx.setReadOnly("_SMSTSLate", "x")]) {
          try {
            write();
          } catch (e) {
            refused.push((e as { code?: string }).code ?? "?");
          }
        }
        readAfterEnd = ctx.env.get("Early");
        return { exitCode: 0 };
      },
    });
    const lines: string[] = [];
    const running = createEngine({ handlers, log: { write: (e) => void lines.push(e.message), flush: () => Promise.resolve() } }).run(
      sequence([step("Slow", { timeout: 30, continueOnError: true }), step("Next")]),
    );
    await vi.advanceTimersByTimeAsync(60_000);
    const r = await running;
    expect(r.steps.map((s) => s.outcome)).toEqual(["failed-continued", "success"]);
    expect(refused).toEqual(["Aborted", "Aborted", "Aborted", "Aborted", "Aborted"]);
    expect(readAfterEnd).toBe("kept"); // reads still work
    expect(r.variables).toMatchObject({ Early: "kept" });
    expect(r.variables).not.toHaveProperty("Late");
    expect(r.variables).not.toHaveProperty("Late01");
    expect(lines.filter((l) => l.includes("has ended"))).toEqual(["The action (Slow) has ended: its handler's write of Late was refused (later refused writes are not logged)"]);
  });

  it("setLongTimeout waits beyond setTimeout's 2^31 - 1 ms, can be cancelled, and refuses a NaN delay", async () => {
    vi.useFakeTimers();
    const fired: string[] = [];
    setLongTimeout(() => fired.push("long"), 2 ** 31 + 1_000);
    const cancel = setLongTimeout(() => fired.push("cancelled"), 10);
    cancel();
    await vi.advanceTimersByTimeAsync(2 ** 31);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fired).toEqual(["long"]);
    expect(() => setLongTimeout(() => undefined, Number.NaN)).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
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

  it("a step timeout or maximum run time longer than setTimeout's 24.8 days waits its whole length (UInt32 seconds, execution.md §9)", async () => {
    vi.useFakeTimers();
    const month = 30 * 24 * 60 * 60_000;
    const handlers = createStepHandlerRegistry({ [TEST_TYPE]: waits() });
    const timed = createEngine({ handlers }).run(sequence([step("Slow", { timeout: month / 1000, continueOnError: true })]));
    await vi.advanceTimersByTimeAsync(month - 1);
    const limited = createEngine({ handlers }).run(sequence([step("Long")]), { maxRunTimeMinutes: month / 60_000, maxRunTimeEnforcement: "stop" });
    await vi.advanceTimersByTimeAsync(month - 1);
    let settled = false;
    void limited.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    expect((await timed).steps[0]).toMatchObject({ outcome: "failed-continued", exitCode: 1460 });
    await vi.advanceTimersByTimeAsync(1);
    expect(await limited).toMatchObject({ status: "failed", error: { code: "MaxRunTimeExceeded" } });
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
