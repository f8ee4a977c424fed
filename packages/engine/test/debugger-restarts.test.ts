import { describe, expect, it } from "vitest";
import { createDebugger, createMemoryStateStore, createStepHandlerRegistry, type DebugStop, type StepHandler } from "@taskseq/engine";
import { createMemorySecretStore } from "@taskseq/environment";
import { createFakeDevice } from "./fake-device.js";
import { sequence, step, TEST_TYPE } from "./fixtures.js";

/** Test_Action sets `Ran_<name>`; `Reboot` asks for a restart into HD (once per environment state: it sets `Rebooted`). */
function handlers(ran: string[]) {
  const record: StepHandler = (ctx) => {
    ran.push(ctx.step.name);
    ctx.env.set(`Ran_${ctx.step.name}`, ctx.env.get("_SMSTSInWinPE") ?? "?");
    if (ctx.step.type === "Reboot" && ctx.env.get("Rebooted") === undefined) {
      ctx.env.set("Rebooted", "1");
      ctx.env.set("SMSTSRebootRequested", "HD");
    }
    return Promise.resolve({ exitCode: 0 });
  };
  return createStepHandlerRegistry({ [TEST_TYPE]: record, Reboot: record });
}

const seq = sequence([step("A"), step("R", { type: "Reboot" }), step("B"), step("C")]);

function paused(stop: DebugStop) {
  if (stop.kind !== "paused") throw new Error(`expected a pause, got the end (${stop.result.status})`);
  return stop.pause;
}

describe("debugger across restarts (execution.md §11.6)", () => {
  it("debug mode and breakpoints persist with the run; the resumed run pauses and hits them; time travel goes back over the restart", async () => {
    const state = createMemoryStateStore();
    const secretStore = createMemorySecretStore();
    const ran: string[] = [];
    const before = createDebugger({ handlers: handlers(ran), device: createFakeDevice(), state, secretStore }).start(seq, { stopAtRestart: true });
    await before.stopped();
    const bp = before.addBreakpoint({ kind: "instruction", target: "C" });
    const first = await before.run();
    expect(first.kind === "finished" && first.result.status).toBe("restart-pending");
    expect(ran).toEqual(["A", "R"]);

    const device = createFakeDevice({ environment: "FullOS" });
    const dbg = createDebugger({ handlers: handlers(ran), device, state, secretStore });
    expect(await dbg.engine.persistedRun()).toMatchObject({ restartPending: true });
    const after = dbg.resume();
    const resumed = paused(await after.stopped());
    expect(resumed).toMatchObject({ reason: "resumed", location: { name: "B" } });
    expect(after.breakpoints()).toEqual([{ id: bp.id, spec: { kind: "instruction", target: "C" }, paths: ["3"], reachable: true }]);
    const atC = paused(await after.run());
    expect(atC).toMatchObject({ reason: "breakpoint", breakpoints: [bp.id], location: { name: "C" } });
    expect(after.history().map((h) => h.name)).toEqual(["A", "R", "B", "C"]);

    // Back to before R: its variables and everything after are gone; R runs again and restarts in-process.
    const back = await after.back(1);
    expect(back.location.name).toBe("R");
    const names = back.variables.map((v) => v.name);
    expect(names).toContain("Ran_A");
    expect(names).not.toContain("Ran_B");
    expect(names).not.toContain("Rebooted");
    const end = await after.run();
    expect(end.kind === "paused" && end.pause.location.name).toBe("C");
    const result = await after.quit();
    expect(result.status).toBe("success");
    expect(ran).toEqual(["A", "R", "B", "R", "B", "C"]);
    expect(device.state.restarts).toEqual(["HD"]);
    expect(result.restarts).toBe(2);
    expect(await state.load()).toBeUndefined();
  });

  it("Quit is persisted: after the restart the run continues without the debugger", async () => {
    const state = createMemoryStateStore();
    const secretStore = createMemorySecretStore();
    const ran: string[] = [];
    const before = createDebugger({ handlers: handlers(ran), device: createFakeDevice(), state, secretStore }).start(seq, {
      stopAtRestart: true,
      breakpoints: [{ kind: "instruction", target: "C" }],
    });
    await before.stopped();
    expect((await before.quit()).status).toBe("restart-pending");
    const after = createDebugger({ handlers: handlers(ran), device: createFakeDevice(), state, secretStore }).resume();
    const stop = await after.stopped();
    expect(stop.kind === "finished" && stop.result.status).toBe("success");
    expect(ran).toEqual(["A", "R", "B", "C"]);
  });
});

describe("persisted debugger state is checked", () => {
  it("a damaged breakpoint list or checkpoint in the state is StateCorrupt, not a crash", async () => {
    const state = createMemoryStateStore();
    const ran: string[] = [];
    const s = createDebugger({ handlers: handlers(ran), device: createFakeDevice(), state }).start(seq, { stopAtRestart: true });
    await s.stopped();
    await s.run();
    const stored = await state.load();
    if (stored === undefined) throw new Error("no state");
    const snapshot = JSON.parse(stored.snapshot) as { progress: Record<string, unknown> };
    snapshot.progress["debug"] = { mode: "active", nextId: 1, breakpoints: [], history: [{ index: "bad" }] };
    const variants = [
      { snapshot: JSON.stringify(snapshot), records: [] },
      { snapshot: stored.snapshot, records: stored.records.map((r) => r.replace('"breakpoints":[]', '"breakpoints":[{"id":"x"}]')) },
      { snapshot: stored.snapshot, records: [...stored.records, '{"cp":{"index":"nope"}}'] },
    ];
    expect(variants[1]?.records).not.toEqual(stored.records);
    for (const v of variants) {
      const damaged = createMemoryStateStore();
      await damaged.replace(v.snapshot);
      for (const r of v.records) await damaged.append(r, false);
      await expect(createDebugger({ handlers: handlers(ran), state: damaged }).resume().result).rejects.toMatchObject({ code: "StateCorrupt" });
    }
  });
});
