import { describe, expect, it } from "vitest";
import { createEngine, createMemoryLogSink, createMemoryStateStore, createStepHandlerRegistry, parseRecord, type EngineEvent, type ProgressRecord, type StepHandler } from "@taskseq/engine";
import { createMemorySecretStore } from "@taskseq/environment";
import { expr, group, scripted, sequence, step, TEST_TYPE, varCondition } from "./fixtures.js";
import type { Device } from "@taskseq/device";
import { createFakeDevice } from "./fake-device.js";

const setVars =
  (vars: Record<string, string>, exitCode = 0): StepHandler =>
  (ctx) => {
    for (const [k, v] of Object.entries(vars)) ctx.env.set(k, v);
    return Promise.resolve({ exitCode });
  };

describe("restarts (execution.md §7)", () => {
  it("3010 restarts into the current environment and continues with the next step on a simulated device", async () => {
    const device = createFakeDevice();
    const { handlers, ran } = scripted({ A: 3010 });
    const events: EngineEvent[] = [];
    const r = await createEngine({ handlers, device, onEvent: (e) => events.push(e) }).run(sequence([step("A"), step("B")]));
    expect(ran).toEqual(["A", "B"]);
    expect(device.state.restarts).toEqual(["HD"]);
    expect(r).toMatchObject({ status: "success", restarts: 1 });
    expect(events.find((e) => e.type === "restart")).toMatchObject({ target: "HD", then: "next", resumeAt: 1, pending: false });
  });

  it("0x80070BC2 (3010 as an HRESULT) succeeds and restarts like 3010; with a list of 0 it fails", async () => {
    const device = createFakeDevice();
    const { handlers, ran } = scripted({ A: 0x80070bc2 });
    const r = await createEngine({ handlers, device }).run(sequence([step("A"), step("B")]));
    expect(ran).toEqual(["A", "B"]);
    expect(device.state.restarts).toEqual(["HD"]);
    expect(r).toMatchObject({ status: "success", restarts: 1 });
    expect(r.steps[0]).toMatchObject({ outcome: "success", exitCode: -2147021886 });

    const strict = createFakeDevice();
    const failed = await createEngine({ handlers: scripted({ A: 0x80070bc2 }).handlers, device: strict }).run(sequence([step("A", { successCodes: [0] })]));
    expect(failed.status).toBe("failed");
    expect(strict.state.restarts).toEqual([]);
  });

  it("notifications: a step's own timeout decides for its restart; engine-initiated restarts use SMSTSRebootDelay, then SMSTSRebootDelayNext (execution.md §7.2)", async () => {
    const own = (message: string, timeoutSeconds: number): StepHandler => () => Promise.resolve({ exitCode: 0, restart: { target: "HD", then: "next", message, timeoutSeconds } });
    const handlers = createStepHandlerRegistry({ Own: (ctx) => own(ctx.step.name, ctx.step.name === "Silent" ? 0 : 60)(ctx), Engine: () => Promise.resolve({ exitCode: 3010 }) });
    const steps = [step("Bye", { type: "Own" }), step("Silent", { type: "Own" }), step("E1", { type: "Engine" }), step("E2", { type: "Engine" })];
    const quiet = createFakeDevice();
    await createEngine({ handlers, device: quiet }).run(sequence(steps));
    expect(quiet.state.restarts).toHaveLength(4);
    expect(quiet.state.notices).toEqual(["Bye|60"]);
    const delayed = createFakeDevice();
    await createEngine({ handlers, device: delayed }).run(sequence(steps), {
      variables: { runtime: { SMSTSRebootDelay: "30", SMSTSRebootDelayNext: "10", SMSTSRebootMessage: "Restarting" } },
    });
    expect(delayed.state.notices).toEqual(["Bye|60", "Restarting|10", "Restarting|10"]);
  });

  it("after a restart in the same call, %VAR% expansion falls back to the new OS's process environment", async () => {
    const seen: string[] = [];
    const handlers = createStepHandlerRegistry({
      [TEST_TYPE]: (ctx) => {
        seen.push(ctx.settings["Path"] ?? "");
        if (ctx.step.name === "A") ctx.env.set("SMSTSRebootRequested", "HD");
        return Promise.resolve({ exitCode: 0 });
      },
    });
    const path = [{ name: "", property: "Path", value: "%windir%\\System32" }];
    await createEngine({ handlers, device: createFakeDevice({ environment: "WinPE" }) }).run(sequence([step("A", { variables: path }), step("B", { variables: path })]));
    expect(seen).toEqual(["X:\\Windows\\System32", "C:\\Windows\\System32"]);
  });

  it("from stand-alone media, Install Application right after a Restart Computer step waits 7 minutes on the device clock (steps.md §13 item 10)", async () => {
    const waits = async (launchMode: "SMS" | "UFD" | "PXE", continueOnError: boolean): Promise<number[]> => {
      const slept: number[] = [];
      const device = { ...createFakeDevice(), clock: { now: () => 0, sleep: (ms: number) => (slept.push(ms), Promise.resolve()) } };
      const handlers = createStepHandlerRegistry({
        SMS_TaskSequence_RebootAction: () => Promise.resolve({ exitCode: 0, restart: { target: "HD", then: "next" } }),
        SMS_TaskSequence_InstallApplicationAction: () => Promise.resolve({ exitCode: 0 }),
      });
      const r = await createEngine({ handlers, device }).run(
        sequence([step("Restart", { type: "SMS_TaskSequence_RebootAction", continueOnError }), group("Apps", [step("Install", { type: "SMS_TaskSequence_InstallApplicationAction" })])]),
        { launchMode },
      );
      expect(r.status).toBe("success");
      return slept;
    };
    expect(await waits("UFD", false)).toEqual([420_000]);
    expect(await waits("SMS", false)).toEqual([]);
    expect(await waits("PXE", false)).toEqual([]);
    expect(await waits("UFD", true)).toEqual([]);
  });

  it("SMSTSRebootRequested=WinPE wins over 3010, updates _SMSTSInWinPE, and is cleared", async () => {
    const device = createFakeDevice();
    const seen: string[] = [];
    const handlers = createStepHandlerRegistry({
      Reboot: setVars({ SMSTSRebootRequested: "winpe" }, 3010),
      [TEST_TYPE]: (ctx) => {
        seen.push(`${ctx.env.get("_SMSTSInWinPE")}:${ctx.env.get("SMSTSRebootRequested") ?? "-"}`);
        return Promise.resolve({ exitCode: 0 });
      },
    });
    const seq = sequence([step("R", { type: "Reboot" }), step("B")], { package: { packageId: "P1", bootImageId: "BOOT0001", properties: {} } });
    const r = await createEngine({ handlers, device }).run(seq);
    expect(device.state.restarts).toEqual(["WinPE"]);
    expect(seen).toEqual(["true:-"]);
    expect(r.status).toBe("success");
  });

  it("a WinPE restart without a boot image fails the run regardless of continue-on-error", async () => {
    const handlers = createStepHandlerRegistry({ Reboot: setVars({ SMSTSRebootRequested: "WinPE" }) });
    const device = createFakeDevice();
    const r = await createEngine({ handlers, device }).run(sequence([step("R", { type: "Reboot", continueOnError: true }), step("B")]));
    expect(r.status).toBe("failed");
    expect(r.error?.code).toBe("RestartNotPossible");
    // The step itself succeeded (return code 0): the error dialog gives the run error's code, not 0.
    expect(device.state.dialogs).toHaveLength(1);
    expect(device.state.dialogs[0]).toContain("has failed with the error code (0x80004005). The failing action is (R).");
  });

  it("a restart without an NTFS volume to hold the state fails the run regardless of continue-on-error (execution.md §7.2)", async () => {
    const volume = (fileSystem: "NTFS" | "FAT32") => ({ diskIndex: 0, partitionNumber: 1, fileSystem, label: "", sizeBytes: 1e9, freeBytes: 1e9, bitLocker: "off", osInstalled: false }) as const;
    const withVolumes = (volumes: ReturnType<typeof volume>[]) => ({ ...createFakeDevice(), disks: { listVolumes: () => Promise.resolve(volumes) } as unknown as NonNullable<Device["disks"]> });
    const seq = sequence([step("A", { continueOnError: true }), step("B")]);
    const none = await createEngine({ handlers: scripted({ A: 3010 }).handlers, device: withVolumes([volume("FAT32")]) }).run(seq);
    expect(none).toMatchObject({ status: "failed", error: { code: "RestartNotPossible" } });
    expect(none.steps[1]?.outcome).toBe("not-run");
    const ntfs = await createEngine({ handlers: scripted({ A: 3010 }).handlers, device: withVolumes([volume("FAT32"), volume("NTFS")]) }).run(seq);
    expect(ntfs).toMatchObject({ status: "success", restarts: 1 });
  });

  it("an invalid SMSTSRebootRequested value fails the step with InvalidSetting (87)", async () => {
    const handlers = createStepHandlerRegistry({ Reboot: setVars({ SMSTSRebootRequested: "true" }) });
    const r = await createEngine({ handlers, device: createFakeDevice() }).run(sequence([step("R", { type: "Reboot" })]));
    expect(r.steps[0]).toMatchObject({ outcome: "failed", exitCode: 87 });
    expect(r.variables["SMSTSRebootRequested"]).toBeUndefined();
  });

  it("SMSTSRetryRequested re-runs the same step after the restart", async () => {
    let calls = 0;
    const handlers = createStepHandlerRegistry({
      Retry: (ctx) => {
        calls++;
        if (calls === 1) {
          ctx.env.set("SMSTSRebootRequested", "HD");
          ctx.env.set("SMSTSRetryRequested", "TRUE");
        }
        return Promise.resolve({ exitCode: 0 });
      },
    });
    const r = await createEngine({ handlers, device: createFakeDevice() }).run(sequence([step("R", { type: "Retry" })]));
    expect(calls).toBe(2);
    expect(r.restarts).toBe(1);
    expect(r.variables["SMSTSRetryRequested"]).toBeUndefined();
  });

  it("a failed step's restart is not honoured when the failure ends the run", async () => {
    const device = createFakeDevice();
    const handlers = createStepHandlerRegistry({ Reboot: setVars({ SMSTSRebootRequested: "HD" }, 1) });
    const r = await createEngine({ handlers, device }).run(sequence([step("R", { type: "Reboot" })]));
    expect(r.status).toBe("failed");
    expect(device.state.restarts).toEqual([]);
  });

  it("resume() rebuilds the step reports of the journal (failures, skips with reasons) exactly as an uninterrupted run reports them", async () => {
    const seq = sequence([
      step("Fails", { continueOnError: true }),
      step("Off", { disabled: true }),
      step("Skipped", { condition: varCondition("Nothing", "equals", "x") }),
      step("S", { type: "Setter" }),
      step("After"),
    ]);
    const make = () => scripted({ Fails: 5 }, { Setter: setVars({ Kept: "yes" }, 3010) }).handlers;
    const expected = await createEngine({ handlers: make(), device: createFakeDevice() }).run(seq);
    const engine = createEngine({ handlers: make(), state: createMemoryStateStore(), device: createFakeDevice() });
    const first = await engine.run(seq, { stopAtRestart: true });
    expect(first.status).toBe("restart-pending");
    const resumed = await engine.resume();
    expect(resumed.steps).toEqual(expected.steps);
    expect(resumed.steps.map((s) => s.outcome)).toEqual(["failed-continued", "skipped-disabled", "skipped-condition", "success", "success"]);
    expect(resumed.steps[2]?.reason).toBe("The condition is evaluated to be false");
  });

  it("stopAtRestart returns restart-pending with exit code 3; resume() continues after the restart", async () => {
    const state = createMemoryStateStore();
    const log = createMemoryLogSink();
    const { handlers, ran } = scripted();
    handlers.register("Setter", setVars({ Kept: "yes" }, 3010));
    const engine = createEngine({ handlers, state, log, device: createFakeDevice() });
    const first = await engine.run(sequence([step("A"), step("S", { type: "Setter" }), step("B")]), { stopAtRestart: true });
    expect(first).toMatchObject({ status: "restart-pending", exitCode: 3 });
    expect(first.steps.map((s) => s.outcome)).toEqual(["success", "success", "not-run"]);
    expect(await engine.persistedRun()).toMatchObject({ restartPending: true, runId: first.runId });
    const second = await engine.resume();
    expect(second).toMatchObject({ status: "success", exitCode: 0, runId: first.runId, restarts: 1 });
    expect(second.steps.map((s) => s.outcome)).toEqual(["success", "success", "success"]);
    expect(second.variables["Kept"]).toBe("yes");
    expect(ran).toEqual(["A", "B"]);
    expect(await state.load()).toBeUndefined();
    expect(log.entries().some((e) => e.messageId === "resume")).toBe(true);
  });

  it("flushes the log at the restart point, before the host restarts", async () => {
    const order: string[] = [];
    const log = { write: () => undefined, flush: () => { order.push("flush"); return Promise.resolve(); } };
    const { handlers } = scripted({ A: 3010 });
    await createEngine({ handlers, log, onEvent: (e) => { if (e.type === "restart" || e.type === "run-finished") order.push(e.type); } }).run(sequence([step("A"), step("B")]), { stopAtRestart: true });
    expect(order).toEqual(["restart", "flush", "flush", "run-finished"]);
  });

  it("switches to High Performance for the run, again after each restart, and restores the saved plan", async () => {
    const device = createFakeDevice();
    const { handlers } = scripted({ A: 3010 });
    await createEngine({ handlers, device }).run(sequence([step("A"), step("B")]));
    const high = "8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c";
    expect(device.state.powerPlans).toEqual([high, high, "381b4222-f694-41f0-9685-ff5bb260df2e"]);
  });

  it("the restart target must be bootable", async () => {
    const device = createFakeDevice({ bootable: [] });
    const { handlers } = scripted({ A: 3010 });
    const r = await createEngine({ handlers, device }).run(sequence([step("A")]));
    expect(r.error?.code).toBe("RestartNotPossible");
  });
});

describe("state and resume", () => {
  it("run() refuses stale state of another run (StaleState) unless told to discard it", async () => {
    const state = createMemoryStateStore();
    const { handlers } = scripted({ A: 3010 });
    const engine = createEngine({ handlers, state });
    const seq = sequence([step("A"), step("B")]);
    await engine.run(seq, { stopAtRestart: true, packageId: "OLD00001" });
    await expect(engine.run(seq)).rejects.toMatchObject({ code: "StaleState", details: { packageId: "OLD00001" } });
    const fresh = await engine.run(seq, { existingState: "discard", stopAtRestart: false });
    expect(fresh.status).toBe("success");
  });

  it("resume() without state is NoStateToResume; corrupt state is StateCorrupt", async () => {
    const state = createMemoryStateStore();
    const engine = createEngine({ state });
    await expect(engine.resume()).rejects.toMatchObject({ code: "NoStateToResume" });
    await state.replace("{not json");
    await expect(engine.resume()).rejects.toMatchObject({ code: "StateCorrupt" });
    await state.replace(JSON.stringify({ format: "taskseq-run-state", version: 99 }));
    await expect(engine.resume()).rejects.toMatchObject({ code: "StateCorrupt" });
  });

  /** Starts a run whose step never ends (a kill while it runs): the in-progress marker is persisted. */
  async function killDuring(state: ReturnType<typeof createMemoryStateStore>, seq: ReturnType<typeof sequence>): Promise<void> {
    let entered: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => (entered = resolve));
    const hang: StepHandler = () => {
      entered();
      return new Promise(() => undefined);
    };
    void createEngine({ handlers: createStepHandlerRegistry({ [TEST_TYPE]: hang }), state }).run(seq);
    await reached;
  }

  it("a step found in progress fails with UnexpectedRestart, or is retried while retryCount allows", async () => {
    for (const retryCount of [0, 1]) {
      const state = createMemoryStateStore();
      await killDuring(state, sequence([step("C", { retryCount, continueOnError: true })]));
      const { handlers, ran } = scripted();
      const r = await createEngine({ handlers, state }).resume();
      if (retryCount === 0) {
        expect(ran).toEqual([]);
        expect(r.steps[0]).toMatchObject({ outcome: "failed-continued", exitCode: -2147467259 });
      } else {
        expect(ran).toEqual(["C"]);
        expect(r.steps[0]).toMatchObject({ outcome: "success", exitCode: 0 });
      }
    }
  });

  it("a power loss the device injects stops the run as if killed; resume applies retryCount or fails the step (execution.md §8)", async () => {
    for (const retryCount of [0, 1]) {
      const state = createMemoryStateStore();
      const cuts: string[] = [];
      const device = { ...createFakeDevice(), faults: { beforeStep: (path: string) => (cuts.push(path), path === "0" && cuts.length === 1 ? { kind: "powerLoss" as const, duringStep: true } : undefined) } };
      const first = scripted();
      const seq = sequence([step("A", { retryCount, continueOnError: true }), step("B")]);
      const stopped = await createEngine({ handlers: first.handlers, device, state }).run(seq);
      expect(stopped).toMatchObject({ status: "restart-pending", exitCode: 3, error: { code: "UnexpectedRestart" } });
      expect(first.ran).toEqual([]);
      expect(stopped.steps.map((s) => s.outcome)).toEqual(["not-run", "not-run"]);

      const then = scripted();
      const r = await createEngine({ handlers: then.handlers, device, state }).resume();
      expect(r.status).toBe("success");
      if (retryCount === 0) {
        expect(then.ran).toEqual(["B"]);
        expect(r.steps[0]).toMatchObject({ outcome: "failed-continued", exitCode: -2147467259 });
      } else {
        expect(then.ran).toEqual(["A", "B"]);
        expect(r.steps[0]).toMatchObject({ outcome: "success", exitCode: 0 });
      }
      expect(await state.load()).toBeUndefined();
    }
  });

  it("a dry run does not consult the device's faults", async () => {
    const device = { ...createFakeDevice(), faults: { beforeStep: () => ({ kind: "powerLoss" as const, duringStep: false }) } };
    const r = await createEngine({ handlers: scripted().handlers, device }).run(sequence([step("A")]), { dryRun: true });
    expect(r.status).toBe("success");
  });

  it("a secret deleted and created again as a plain value within one step stays plain after a resume (variables.md §6)", async () => {
    const state = createMemoryStateStore();
    const secretStore = createMemorySecretStore();
    const handlers = createStepHandlerRegistry({
      Recreate: (ctx) => {
        ctx.env.delete("Token");
        ctx.env.set("Token", "plainvalue");
        return Promise.resolve({ exitCode: 3010 });
      },
      [TEST_TYPE]: () => Promise.resolve({ exitCode: 0 }),
    });
    const seq = sequence([step("R", { type: "Recreate" }), step("B")]);
    const first = await createEngine({ handlers, state, secretStore, device: createFakeDevice() }).run(seq, { stopAtRestart: true, variables: { device: [{ name: "Token", value: "s3cr3t", secret: true }] } });
    expect(first.status).toBe("restart-pending");
    const r = await createEngine({ handlers, state, secretStore, device: createFakeDevice() }).resume();
    expect(r.status).toBe("success");
    expect(r.variables["Token"]).toBe("plainvalue");
  });

  it("a resume after an unexpected restart into another phase logs the move of the log folder (logging.md §7)", async () => {
    const state = createMemoryStateStore();
    const ntfs = { driveLetter: "C:", diskIndex: 0, partitionNumber: 1, fileSystem: "NTFS", label: "", sizeBytes: 1e9, freeBytes: 1e9, bitLocker: "off", osInstalled: false, partitionType: "Primary" } as const;
    const disks = { listVolumes: () => Promise.resolve([ntfs]) } as unknown as NonNullable<Device["disks"]>;
    let started = false;
    const hangs = createStepHandlerRegistry({ [TEST_TYPE]: () => ((started = true), new Promise(() => undefined)) });
    void createEngine({ handlers: hangs, state, device: { ...createFakeDevice({ environment: "WinPE" }), disks } }).run(sequence([step("Power loss")]));
    await expect.poll(() => started).toBe(true);
    // The device came back in the new OS, which has the ConfigMgr client.
    const fake = createFakeDevice({ environment: "FullOS" });
    const os = { ...fake.os, facts: async () => ({ ...(await fake.os?.facts()), clientVersion: "5.00.9128.1000" }) } as NonNullable<Device["os"]>;
    const log = createMemoryLogSink();
    const r = await createEngine({ handlers: hangs, state, log, device: { ...fake, os, disks } }).resume();
    expect(r.steps[0]).toMatchObject({ outcome: "failed" });
    expect(r.variables["_SMSTSLogPath"]).toBe("C:\\Windows\\CCM\\Logs\\SMSTSLog");
    expect(log.entries().filter((e) => e.messageId === "log-moved").map((e) => e.message)).toEqual(["The log moved from C:\\_SMSTaskSequence\\Logs\\SMSTSLog to C:\\Windows\\CCM\\Logs\\SMSTSLog"]);
  });

  it("a step seals a secret in the engine's secret store and a later step unseals it, also after a restart and resume", async () => {
    const state = createMemoryStateStore();
    const secretStore = createMemorySecretStore();
    const unsealed: string[] = [];
    const handlers = createStepHandlerRegistry({
      Seal: async (ctx) => (ctx.env.set("Token", await ctx.secrets.seal("Pa55word")), { exitCode: 3010 }),
      [TEST_TYPE]: async (ctx) => (unsealed.push(await ctx.secrets.unseal(ctx.env.get("Token") ?? "")), { exitCode: 0 }),
    });
    const first = await createEngine({ handlers, state, secretStore, device: createFakeDevice() }).run(sequence([step("Seal", { type: "Seal" }), step("Unseal")]), { stopAtRestart: true });
    expect(first.status).toBe("restart-pending");
    expect(first.variables["Token"]).not.toContain("Pa55word");
    const r = await createEngine({ handlers, state, secretStore, device: createFakeDevice() }).resume();
    expect(r.status).toBe("success");
    expect(unsealed).toEqual(["Pa55word"]);
  });

  it("resume({ interrupted: 'rerun' }) runs the interrupted step again", async () => {
    const state = createMemoryStateStore();
    await killDuring(state, sequence([step("A")]));
    const { handlers, ran } = scripted();
    const r = await createEngine({ handlers, state }).resume({ interrupted: "rerun" });
    expect(ran).toEqual(["A"]);
    expect(r.status).toBe("success");
  });

  /** A memory store that remembers every appended record. */
  function recordingStore(): ReturnType<typeof createMemoryStateStore> & { appended: ProgressRecord[] } {
    const inner = createMemoryStateStore();
    const appended: ProgressRecord[] = [];
    return {
      ...inner,
      appended,
      append: (r, durable) => (appended.push(parseRecord(r, appended.length + 1)), inner.append(r, durable)),
    };
  }

  it("one record per step: a step's completion is merged into the next step's start record (a variable condition does not split them)", async () => {
    const state = recordingStore();
    const { handlers, ran } = scripted();
    const seq = sequence([step("A"), step("B", { condition: varCondition("_SMSTSLastActionSucceeded", "equals", "true") }), step("C")]);
    const r = await createEngine({ handlers, state }).run(seq);
    expect(ran).toEqual(["A", "B", "C"]);
    expect(r.status).toBe("success");
    const summary = (x: ProgressRecord) => [x.p, x.run === null ? null : x.run?.index, (x.out ?? []).map(([i]) => i)];
    expect(state.appended.map(summary)).toEqual([
      [0, 0, []],
      [1, 1, [0]],
      [2, 2, [1]],
      [3, null, [2]],
    ]);
    // The merged record carries the completed step's report and the next start's marker; the built-ins both imply are
    // left out: the start's _SMSTSNextInstructionPointer and _SMSTSCurrentActionName (state format 4) and the result's
    // _SMSTSLastAction* values (state format 6). The steps set no other variable.
    expect(state.appended[1]?.vars).toBeUndefined();
    expect(state.appended[1]?.run).toEqual({ index: 1, retriesUsed: 0 });
  });

  it("a start record leaves out the pointer and the step name it implies; resume restores them from the marker", async () => {
    const state = recordingStore();
    await killDuring(state, sequence([step("Only", { continueOnError: true })]));
    expect(state.appended.map((x) => x.vars?.map((v) => v.n) ?? [])).toEqual([[]]);
    // The step was in flight: it fails as an unexpected restart, which writes only the last-action variables.
    const r = await createEngine({ handlers: scripted().handlers, state }).resume();
    expect(r.steps[0]).toMatchObject({ outcome: "failed-continued", exitCode: -2147467259 });
    expect(r.variables["_SMSTSCurrentActionName"]).toBe("Only");
    expect(r.variables["_SMSTSNextInstructionPointer"]).toBe("0");
  });

  it("a record leaves out the last-action values its step report implies (logged and announced all the same); resume restores them from the reports", async () => {
    const state = recordingStore();
    const log = createMemoryLogSink();
    const { handlers } = scripted({ B: 5 });
    const announced: string[] = [];
    const onEvent = (e: EngineEvent): void => void (e.type === "variable-changed" && e.name === "_SMSTSLastActionRetCode" && announced.push(e.value ?? ""));
    const r = await createEngine({ handlers, state, log, onEvent }).run(sequence([step("A"), step("B", { continueOnError: true }), step("C"), step("D")]));
    expect(announced).toEqual(["0", "5", "0"]);
    expect(r.status).toBe("success");
    expect(state.appended.map((x) => (x.vars ?? []).map((v) => v.n))).toEqual([[], [], [], [], []]);
    expect(state.appended.slice(1).map((x) => x.out)).toEqual([[[0, "success", 0]], [[1, "failed-continued", 5]], [[2, "success", 0]], [[3, "success", 0]]]);
    // smsts.log still shows every write, as ConfigMgr's does, a value written again included.
    const retCodes = log.entries().filter((e) => e.message.startsWith("Set a global environment variable _SMSTSLastActionRetCode=")).map((e) => e.message.split("=")[1]);
    expect(retCodes).toEqual(["0", "5", "0", "0"]);
    expect(r.variables["_SMSTSLastActionRetCode"]).toBe("0");

    // Killed while C runs: the resumed run sees B's result, restored from B's report.
    const killed = createMemoryStateStore();
    let first = true;
    const seen: string[] = [];
    const resumable = createStepHandlerRegistry({
      [TEST_TYPE]: (ctx) => {
        if (ctx.step.name === "B") return Promise.resolve({ exitCode: 5 });
        if (ctx.step.name !== "C") return Promise.resolve({ exitCode: 0 });
        if (first) {
          first = false;
          return new Promise(() => undefined);
        }
        seen.push(["_SMSTSLastActionName", "_SMSTSLastActionRetCode", "_SMSTSLastActionSucceeded"].map((n) => ctx.env.get(n) ?? "").join(","));
        return Promise.resolve({ exitCode: 0 });
      },
    });
    const seq = sequence([step("A"), step("B", { continueOnError: true }), step("C")]);
    void createEngine({ handlers: resumable, state: killed }).run(seq);
    await expect.poll(() => first).toBe(false);
    const resumed = await createEngine({ handlers: resumable, state: killed }).resume({ interrupted: "rerun" });
    expect(seen).toEqual(["B,5,false"]);
    expect(resumed.variables).toMatchObject({ _SMSTSLastActionName: "C", _SMSTSLastActionRetCode: "0", _SMSTSLastActionSucceeded: "true" });
  });

  it("the built-ins a record implies are left out even when the step name holds secret text: nothing is sealed for them, and resume restores them", async () => {
    const state = recordingStore();
    const secret = "Sup3rSecretValue";
    const seq = sequence([step(`Join with ${secret}`), step("Next")]);
    const secretStore = createMemorySecretStore();
    void createEngine({ handlers: createStepHandlerRegistry({ [TEST_TYPE]: (ctx) => (ctx.step.name === "Next" ? new Promise(() => undefined) : Promise.resolve({ exitCode: 0 })) }), state, secretStore }).run(seq, {
      variables: { runtime: { OSDJoinPassword: secret } },
    });
    await expect.poll(() => state.appended.length).toBe(2);
    // The second record holds the first step's report and the second step's start: every built-in it touches is implied.
    expect(state.appended.map((x) => x.vars ?? [])).toEqual([[], []]);
    const seen: string[] = [];
    const resumed = createStepHandlerRegistry({
      [TEST_TYPE]: (ctx) => {
        seen.push(`${ctx.env.get("_SMSTSLastActionName") ?? ""} / ${ctx.env.get("_SMSTSCurrentActionName") ?? ""}`);
        return Promise.resolve({ exitCode: 0 });
      },
    });
    const r = await createEngine({ handlers: resumed, state, secretStore }).resume({ interrupted: "rerun" });
    expect(r.status).toBe("success");
    expect(seen).toEqual([`Join with ${secret} / Next`]);
    expect(r.steps[0]).toMatchObject({ name: "Join with ********", outcome: "success" }); // the report masks it
  });

  it("a store's append may complete synchronously or later: each step's start record is written before its handler runs", async () => {
    for (const later of [false, true]) {
      const inner = createMemoryStateStore();
      const written: string[] = [];
      const seen: string[][] = [];
      const state = {
        ...inner,
        append(r: string, durable: boolean): Promise<void> | void {
          const write = (): void => {
            inner.append(r, durable);
            written.push(r);
          };
          if (!later) return write();
          return new Promise<void>((resolve) => setTimeout(() => resolve(write()), 1));
        },
      };
      const handlers = createStepHandlerRegistry({
        [TEST_TYPE]: () => {
          seen.push(written.map((r) => JSON.stringify(parseRecord(r, 1).run)));
          return Promise.resolve({ exitCode: 0 });
        },
      });
      const r = await createEngine({ handlers, state }).run(sequence([step("A"), step("B")]));
      expect(r.status).toBe("success");
      expect(seen).toEqual([['{"index":0,"retriesUsed":0}'], ['{"index":0,"retriesUsed":0}', '{"index":1,"retriesUsed":0}']]);
    }
  });

  it("an error a store throws or rejects with from append ends the run: run() rejects with it", async () => {
    for (const fail of [(e: Error): void => { throw e; }, (e: Error): Promise<void> => Promise.reject(e)]) {
      const inner = createMemoryStateStore();
      const { handlers, ran } = scripted();
      const state = { ...inner, append: () => fail(new Error("disk full")) };
      await expect(createEngine({ handlers, state }).run(sequence([step("A")]))).rejects.toThrow("disk full");
      expect(ran).toEqual([]);
    }
  });

  it("the memory store refuses an append before a snapshot and a multi-line record, as it is called", () => {
    const state = createMemoryStateStore();
    expect(() => state.append("{}", false)).toThrow(expect.objectContaining({ code: "InvalidOperation" }));
    void state.replace("{}");
    expect(() => state.append("a\nb", false)).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
    expect(state.append("{}", false)).toBeUndefined();
    expect(state.journalSize()).toBe(3);
  });

  it("a completion is written before a condition that queries the device, so a slow query never holds it", async () => {
    const state = recordingStore();
    const fake = createFakeDevice();
    let before: ProgressRecord[] = [];
    const device = { ...fake, wmi: { query: () => ((before = [...state.appended]), Promise.resolve([])) } };
    const { handlers, ran } = scripted();
    const wmi = { operands: [expr("WMIConditionExpression", { Namespace: "root\\cimv2", Query: "SELECT * FROM Win32_ComputerSystem" })] };
    const r = await createEngine({ handlers, state, device }).run(sequence([step("A"), step("B", { condition: wmi })]));
    expect(ran).toEqual(["A"]);
    expect(r.steps[1]?.outcome).toBe("skipped-condition");
    expect(before.at(-1)).toMatchObject({ p: 1, run: null, out: [[0, "success", 0]] });
  });

  it("compaction keeps the journal short and state equivalent", async () => {
    const state = createMemoryStateStore();
    const handlers = createStepHandlerRegistry({
      Inc: (ctx) => {
        ctx.env.set("Counter", String(Number(ctx.env.get("Counter") ?? "0") + 1));
        return Promise.resolve({ exitCode: ctx.step.name === "last" ? 3010 : 0 });
      },
    });
    const steps = Array.from({ length: 30 }, (_, i) => step(i === 29 ? "last" : `s${i}`, { type: "Inc" }));
    const engine = createEngine({ handlers, state, compactEvery: 7 });
    const first = await engine.run(sequence([...steps, step("after", { type: "Inc" })]), { stopAtRestart: true });
    expect(first.status).toBe("restart-pending");
    expect((await state.load())?.records.length).toBeLessThan(7);
    const r = await engine.resume();
    expect(r.variables["Counter"]).toBe("31");
  });
});
