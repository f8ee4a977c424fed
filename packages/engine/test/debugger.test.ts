import { describe, expect, it } from "vitest";
import { createDebugger, createEngine, createMapResolver, createMemoryLogSink, RUN_TASK_SEQUENCE_TYPE, createStepHandlerRegistry, type BreakpointSpec, type DebugStop, type StepHandler } from "@taskseq/engine";
import { isTaskSeqError, type Item } from "@taskseq/model";
import { createFakeDevice } from "./fake-device.js";
import { group, scripted, sequence, step, TEST_TYPE, varCondition } from "./fixtures.js";

/** Test_Action: exit code from the variable `Code_<name>` (default 0); records the order; sets `Ran_<name>=1`. */
function envScripted(): { handlers: ReturnType<typeof createStepHandlerRegistry>; ran: string[] } {
  const ran: string[] = [];
  const handler: StepHandler = (ctx) => {
    ran.push(ctx.step.name);
    ctx.env.set(`Ran_${ctx.step.name}`, "1");
    return Promise.resolve({ exitCode: Number(ctx.env.get(`Code_${ctx.step.name}`) ?? "0") });
  };
  return { handlers: createStepHandlerRegistry({ [TEST_TYPE]: handler }), ran };
}

function paused(stop: DebugStop) {
  if (stop.kind !== "paused") throw new Error(`expected a pause, got the end (${stop.result.status})`);
  return stop.pause;
}

function finished(stop: DebugStop) {
  if (stop.kind !== "finished") throw new Error(`expected the end, got a pause at ${stop.pause.location.path} (${stop.pause.reason})`);
  return stop.result;
}

/** Group 1 [A, B, C], Group 2 [D, E] — the shape of execution.md §5.3. */
const twoGroups = (g1: Partial<Parameters<typeof group>[2]> = {}, extra: Record<string, Partial<Parameters<typeof step>[1]>> = {}): Item[] => [
  group("Group 1", [step("A", extra["A"]), step("B", extra["B"]), step("C", extra["C"])], g1),
  group("Group 2", [step("D", extra["D"]), step("E", extra["E"])]),
];

async function expectCode(p: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    expect(isTaskSeqError(e) ? e.code : e).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe("debugger: starting and pauses (execution.md §11.1, §11.5)", () => {
  it("a debug run starts paused before its first instruction and reports where, why and the variables (secrets masked, hidden left out)", async () => {
    const { handlers, ran } = envScripted();
    const seq = sequence(twoGroups(), { globalVariables: [{ name: "Visible", property: "Visible", value: "v" }] });
    const s = createDebugger({ handlers, device: createFakeDevice() }).start(seq, { variables: { runtime: { OSDJoinPassword: "Pa55word!" } } });
    const pause = paused(await s.stopped());
    expect(s.state).toBe("paused");
    expect(pause.reason).toBe("start");
    expect(pause.location).toEqual({ index: 0, path: "0", name: "Group 1", kind: "enter-group", groups: [] });
    expect(ran).toEqual([]);
    const vars = Object.fromEntries(pause.variables.map((v) => [v.name, v.value]));
    expect(vars["Visible"]).toBe("v");
    expect(vars["OSDJoinPassword"]).toBe("********");
    expect(JSON.stringify(pause)).not.toContain("Pa55word!");
    expect(finished(await s.run()).status).toBe("success");
    expect(ran).toEqual(["A", "B", "C", "D", "E"]);
    expect(s.state).toBe("finished");
  });

  it("engine.debug() is the same debugger; a later plain run of the engine is not debugged", async () => {
    const { handlers, ran } = scripted();
    const engine = createEngine({ handlers });
    const s = engine.debug(sequence([step("A")]));
    expect(paused(await s.stopped()).reason).toBe("start");
    expect(finished(await s.step()).status).toBe("success");
    expect((await engine.run(sequence([step("B")]))).status).toBe("success");
    expect(ran).toEqual(["A", "B"]);
    expect(s.log().entries.some((e) => e.message.includes("(B)"))).toBe(false);
  });

  it("controls need a pause: InvalidOperation while running or after the end", async () => {
    const { handlers } = scripted();
    const s = createDebugger({ handlers }).start(sequence([step("A")]));
    await expectCode(() => s.step(), "InvalidOperation");
    await s.stopped();
    await s.run();
    await expectCode(() => s.run(), "InvalidOperation");
    await expectCode(s.setVariable("X", "1"), "InvalidOperation");
    const again = createDebugger({ handlers }).start(sequence([step("A"), step("B")]));
    await again.stopped();
    const first = again.step();
    expect(again.state).toBe("running");
    await expectCode(() => again.step(), "InvalidOperation");
    expect(paused(await first).location.name).toBe("B");
  });

  it("a control while Set Current, setVariable or back is still in progress is InvalidOperation; Cancel and Quit wait for it", async () => {
    const { handlers, ran } = envScripted();
    const s = createDebugger({ handlers }).start(sequence([step("A"), step("B"), step("C"), step("D")]));
    await s.stopped();
    await s.runTo("D");
    expect(s.history().map((h) => h.name)).toEqual(["A", "B", "C", "D"]);
    const moving = s.setCurrent("B");
    await expectCode(() => s.step(), "InvalidOperation");
    await expectCode(s.setVariable("X", "1"), "InvalidOperation");
    expect((await moving).location.name).toBe("B");
    // Back from there is before the Set Current, at D; a second back at once must not travel again.
    const back = s.back();
    await expectCode(s.back(), "InvalidOperation");
    expect((await back).location.name).toBe("D");
    expect(s.history().map((h) => h.name)).toEqual(["A", "B", "C", "D"]);
    await s.setCurrent("C");
    const setting = s.setVariable("Code_C", "3");
    const result = s.quit();
    expect((await setting).variables.find((v) => v.name === "Code_C")?.value).toBe("3");
    expect((await result).status).toBe("failed");
    expect(ran).toEqual(["A", "B", "C", "C"]);
  });
});

describe("debugger: smsts.log (logging.md §6)", () => {
  it("logs the attach, every pause with its reason, each control, breakpoints added and removed, and Cancel", async () => {
    const log = createMemoryLogSink();
    const { handlers } = scripted();
    const s = createDebugger({ handlers, log }).start(sequence([step("A"), step("B"), step("C"), step("D")]));
    await s.stopped();
    await s.step();
    const bp = s.addBreakpoint({ kind: "instruction", target: "C" });
    s.addBreakpoint({ kind: "variable", name: "Stage" });
    await s.run();
    s.removeBreakpoint(bp.id);
    await s.cancel();
    expect(log.entries().filter((e) => e.messageId === "debugger").map((e) => e.message)).toEqual([
      "The debugger is attached, with 0 breakpoint(s)",
      "The debugger paused before instruction 0 (A): start. The run starts in debug mode",
      "The debugger continues: Step",
      "The debugger paused before instruction 1 (B): step. After the step (A)",
      "The debugger added breakpoint 1: before (C)",
      "The debugger added breakpoint 2: after Stage changes",
      "The debugger continues: Run",
      "The debugger paused before instruction 2 (C): breakpoint. Breakpoint before (C)",
      "The debugger removed breakpoint 1",
      "The debugger cancels the task sequence",
    ]);
  });

  it("logs Quit while the run is running", async () => {
    const log = createMemoryLogSink();
    const { handlers } = envScripted();
    const s = createDebugger({ handlers, log }).start(sequence([step("A"), step("B")]));
    await s.stopped();
    void s.step();
    expect(s.state).toBe("running");
    expect((await s.quit()).status).toBe("success");
    expect(log.entries().filter((e) => e.messageId === "debugger").map((e) => e.message).slice(-2)).toEqual([
      "The debugger continues: Step",
      "The debugger was closed; the task sequence continues normally",
    ]);
  });

  it("writes no debugger line after the end of the run (breakpoints changed, Quit, Cancel)", async () => {
    const log = createMemoryLogSink();
    const { handlers } = envScripted();
    const s = createDebugger({ handlers, log }).start(sequence([step("A")]));
    await s.stopped();
    await s.run();
    const lines = log.entries().length;
    const b = s.addBreakpoint({ kind: "instruction", target: "A" });
    expect(s.removeBreakpoint(b.id)).toBe(true);
    s.clearBreakpoints();
    expect((await s.quit()).status).toBe("success");
    expect((await s.cancel()).status).toBe("success");
    expect(log.entries().length).toBe(lines);
  });

  it("logs the attach when TSDebugOnError turns debug mode on at a failure", async () => {
    const { handlers } = envScripted();
    const onError = createMemoryLogSink();
    const t = createDebugger({ handlers, log: onError }).start(sequence([step("A"), step("B")]), { start: "variables", variables: { runtime: { TSDebugOnError: "TRUE", Code_A: "5" } } });
    expect(paused(await t.stopped()).reason).toBe("failure");
    await t.cancel();
    expect(onError.entries().filter((e) => e.messageId === "debugger").map((e) => e.message)).toEqual([
      "The debugger is attached, with 0 breakpoint(s)",
      "The debugger paused before instruction 0 (A): failure. The step (A) failed with 5; the debugger holds the failure",
      "The debugger cancels the task sequence",
    ]);
  });
});

describe("debugger: Step, step over, Run, run to (execution.md §11.2)", () => {
  it("Step processes group entries on the way and pauses after the next step; a skipped step is a step", async () => {
    const { handlers, ran } = envScripted();
    const seq = sequence(twoGroups({}, { B: { disabled: true }, C: { condition: varCondition("Never", "exists") } }));
    const s = createDebugger({ handlers }).start(seq);
    await s.stopped();
    let p = paused(await s.step());
    expect(ran).toEqual(["A"]);
    expect(p).toMatchObject({ reason: "step", location: { path: "0.1", name: "B", groups: ["Group 1"] } });
    p = paused(await s.step());
    expect(ran).toEqual(["A"]);
    expect(p.location.name).toBe("C");
    p = paused(await s.step());
    expect(p.location).toMatchObject({ kind: "leave-group", name: "Group 1" });
    p = paused(await s.step());
    expect(ran).toEqual(["A", "D"]);
    expect(p.location.name).toBe("E");
    const r = finished(await s.run());
    expect(r.steps.map((x) => x.outcome)).toEqual(["success", "skipped-disabled", "skipped-condition", "success", "success"]);
  });

  it("step over runs a whole group and pauses after it; on a step it is Step", async () => {
    const { handlers, ran } = envScripted();
    const s = createDebugger({ handlers }).start(sequence(twoGroups()));
    await s.stopped();
    let p = paused(await s.stepOver());
    expect(ran).toEqual(["A", "B", "C"]);
    expect(p).toMatchObject({ reason: "step-over", location: { path: "1", kind: "enter-group" } });
    expect(paused(await s.step()).location.name).toBe("E");
    p = paused(await s.stepOver());
    expect(ran).toEqual(["A", "B", "C", "D", "E"]);
    expect(p.location.kind).toBe("leave-group");
  });

  it("step over stops at a breakpoint inside the group", async () => {
    const { handlers, ran } = envScripted();
    const s = createDebugger({ handlers }).start(sequence(twoGroups()), { breakpoints: [{ kind: "instruction", target: "B" }] });
    await s.stopped();
    const p = paused(await s.stepOver());
    expect(ran).toEqual(["A"]);
    expect(p).toMatchObject({ reason: "breakpoint", location: { name: "B" } });
  });

  it("Run stops at breakpoints by name and by path (steps and group entries), before the condition is evaluated", async () => {
    const { handlers, ran } = envScripted();
    const seq = sequence(twoGroups({}, { D: { condition: varCondition("Never", "exists") } }));
    const s = createDebugger({ handlers }).start(seq);
    await s.stopped();
    const byName = s.addBreakpoint({ kind: "instruction", target: "c" });
    const group2 = s.addBreakpoint({ kind: "instruction", target: "1" });
    const d = s.addBreakpoint({ kind: "instruction", target: "1.0" });
    expect(byName).toMatchObject({ paths: ["0.2"], reachable: true });
    let p = paused(await s.run());
    expect(p).toMatchObject({ reason: "breakpoint", breakpoints: [byName.id], location: { name: "C" } });
    p = paused(await s.run());
    expect(p).toMatchObject({ breakpoints: [group2.id], location: { name: "Group 2", kind: "enter-group" } });
    p = paused(await s.run());
    expect(p).toMatchObject({ breakpoints: [d.id], location: { name: "D" } });
    expect(s.removeBreakpoint(d.id)).toBe(true);
    expect(s.removeBreakpoint(d.id)).toBe(false);
    expect(s.breakpoints().map((b) => b.id)).toEqual([byName.id, group2.id]);
    s.clearBreakpoints();
    expect(s.breakpoints()).toEqual([]);
    expect(finished(await s.run()).steps.find((x) => x.name === "D")?.outcome).toBe("skipped-condition");
    expect(ran).toEqual(["A", "B", "C", "E"]);
  });

  it("an unknown breakpoint target is NotFound; run to stops at its target", async () => {
    const { handlers, ran } = envScripted();
    const s = createDebugger({ handlers }).start(sequence(twoGroups()));
    await s.stopped();
    expect(() => s.addBreakpoint({ kind: "instruction", target: "Nope" })).toThrow(expect.objectContaining({ code: "NotFound" }));
    expect(() => s.runTo("Nope")).toThrow(expect.objectContaining({ code: "NotFound" }));
    const p = paused(await s.runTo("D"));
    expect(p).toMatchObject({ reason: "run-to", location: { path: "1.0" } });
    expect(ran).toEqual(["A", "B", "C"]);
  });

  it("a malformed breakpoint is InvalidArgument, when added and when given at the start", async () => {
    const { handlers } = envScripted();
    const bad = [{ kind: "variable", name: "" }, { kind: "variable", name: "My Var" }, { kind: "nope" }, { kind: "instruction", target: "" }, { kind: "instruction" }, null] as unknown as BreakpointSpec[];
    const s = createDebugger({ handlers }).start(sequence(twoGroups()));
    await s.stopped();
    for (const spec of bad) expect(() => s.addBreakpoint(spec), JSON.stringify(spec)).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
    expect(s.addBreakpoint({ kind: "variable", name: "_SMSTSLastActionRetCode" }).spec).toEqual({ kind: "variable", name: "_SMSTSLastActionRetCode" });
    expect(s.breakpoints()).toHaveLength(1);
    await s.quit();
    expect(() => createDebugger({ handlers }).start(sequence(twoGroups()), { breakpoints: [bad[0] as BreakpointSpec] })).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
  });
});

describe("debugger: child task sequences (execution.md §10)", () => {
  const runChild = step("Run child", {
    element: "subtasksequence",
    type: RUN_TASK_SEQUENCE_TYPE,
    variables: [{ name: "OSDSubTasksequencePackageID", property: "TsPackageID", value: "CHILD001" }],
  });
  const resolver = createMapResolver([{ packageId: "CHILD001", name: "Child", sequence: sequence([step("C1"), group("CG", [step("C2")])]) }]);
  const parent = sequence([step("P1"), runChild, step("After")]);

  it("steps into children and shows their steps inline; breakpoints take child paths", async () => {
    const { handlers, ran } = envScripted();
    const s = createDebugger({ handlers, resolver }).start(parent);
    await s.stopped();
    expect(paused(await s.step()).location).toMatchObject({ path: "1", kind: "enter-child", name: "Run child" });
    expect(paused(await s.step()).location).toMatchObject({ path: "1/1", kind: "enter-group", groups: ["Run child"] });
    s.addBreakpoint({ kind: "instruction", target: "1/1.0" });
    s.addBreakpoint({ kind: "instruction", target: "After" });
    expect(paused(await s.run()).location).toMatchObject({ name: "C2", groups: ["Run child", "CG"] });
    expect(ran).toEqual(["P1", "C1"]);
    await s.quit();
    expect(ran).toEqual(["P1", "C1", "C2", "After"]);
  });

  it("step over a Run Task Sequence step runs the whole child", async () => {
    const { handlers, ran } = envScripted();
    const s = createDebugger({ handlers, resolver }).start(parent);
    await s.stopped();
    await s.step();
    expect(paused(await s.stepOver())).toMatchObject({ reason: "step-over", location: { name: "After" } });
    expect(ran).toEqual(["P1", "C1", "C2"]);
    await s.quit();
  });
});

describe("debugger: disabled steps and groups (execution.md §11.4)", () => {
  it("breakpoints on disabled items are unreachable and never hit; Set Current to one warns and it is skipped", async () => {
    const { handlers, ran } = envScripted();
    const seq = sequence([group("Off", [step("X"), group("Inner", [step("Y")])], { disabled: true }), step("Z", { disabled: true }), step("W")]);
    const s = createDebugger({ handlers }).start(seq);
    await s.stopped();
    expect(s.addBreakpoint({ kind: "instruction", target: "Y" }).reachable).toBe(false);
    expect(s.addBreakpoint({ kind: "instruction", target: "Z" }).reachable).toBe(false);
    expect(s.addBreakpoint({ kind: "instruction", target: "Off" }).reachable).toBe(false);
    const moved = await s.setCurrent("X");
    expect(moved.reason).toBe("set-current");
    expect(moved.warnings.map((w) => w.code)).toEqual(["SetCurrentUnsafe", "SetCurrentDisabled"]);
    const p = paused(await s.step());
    expect(ran).toEqual([]);
    expect(p.location.kind).toBe("enter-group");
    expect(p.location.name).toBe("Inner");
    const r = finished(await s.run());
    expect(ran).toEqual(["W"]);
    expect(r.steps.map((x) => x.outcome)).toEqual(["skipped-disabled", "skipped-disabled", "skipped-disabled", "success"]);
  });
});

describe("debugger: Set Current (execution.md §11.2)", () => {
  it("moves the pointer forward and backward to steps only; groups count as entered; a later failure propagates through the structural groups", async () => {
    const { handlers, ran } = envScripted();
    const log = createMemoryLogSink();
    const s = createDebugger({ handlers, log }).start(sequence(twoGroups({ continueOnError: true })), { variables: { runtime: { Code_B: "7" } } });
    await s.stopped();
    await expectCode(s.setCurrent("Group 2"), "NotFound");
    await expectCode(s.setCurrent("Nope"), "NotFound");
    const p = await s.setCurrent("0.1");
    expect(p.location).toMatchObject({ name: "B", groups: ["Group 1"] });
    expect(p.warnings[0]?.code).toBe("SetCurrentUnsafe");
    await s.quit();
    const r = await s.result;
    // B fails: C is abandoned, Group 1 has continue-on-error, Group 2 runs.
    expect(ran).toEqual(["B", "D", "E"]);
    expect(r.status).toBe("success");
    expect(log.text()).toContain("The debugger set the current instruction to 2 (B)");
  });

  it("Set Current backward runs earlier steps again", async () => {
    const { handlers, ran } = envScripted();
    const s = createDebugger({ handlers }).start(sequence(twoGroups()));
    await s.stopped();
    await s.runTo("D");
    await s.setCurrent("A");
    expect(finished(await s.run()).status).toBe("success");
    expect(ran).toEqual(["A", "B", "C", "A", "B", "C", "D", "E"]);
  });

  it("a name that several steps share is ambiguous", async () => {
    const { handlers } = envScripted();
    const s = createDebugger({ handlers }).start(sequence([step("Same"), step("Same")]));
    await s.stopped();
    await expectCode(s.setCurrent("Same"), "InvalidArgument");
    expect((await s.setCurrent("1")).location.index).toBe(1);
  });
});

describe("debugger: failures in debug mode (execution.md §11.3)", () => {
  it("a failure that would propagate pauses on the failed step; fixing a variable and Step retries it", async () => {
    const { handlers, ran } = envScripted();
    const s = createDebugger({ handlers }).start(sequence(twoGroups()), { variables: { runtime: { Code_B: "5" } } });
    await s.stopped();
    const p = paused(await s.run());
    expect(p).toMatchObject({ reason: "failure", failure: { name: "B", exitCode: 5 }, location: { name: "B" } });
    expect(p.variables.find((v) => v.name === "_SMSTSLastActionSucceeded")?.value).toBe("false");
    const edited = await s.setVariable("Code_B", "0");
    expect(edited.variables.find((v) => v.name === "Code_B")?.value).toBe("0");
    const after = paused(await s.step());
    expect(after).toMatchObject({ reason: "step", location: { name: "C" } });
    const r = finished(await s.run());
    expect(r.status).toBe("success");
    expect(ran).toEqual(["A", "B", "B", "C", "D", "E"]);
    expect(r.steps[1]?.outcome).toBe("success");
  });

  it("Quit processes a held failure with the normal rules", async () => {
    const { handlers, ran } = envScripted();
    const s = createDebugger({ handlers }).start(sequence(twoGroups()), { variables: { runtime: { Code_D: "9" } } });
    await s.stopped();
    paused(await s.run());
    const r = await s.quit();
    expect(r.status).toBe("failed");
    expect(r.failure).toMatchObject({ name: "D", exitCode: 9 });
    expect(ran).toEqual(["A", "B", "C", "D"]);
  });

  it("a host abort ends a pause and fails the run with Aborted", async () => {
    const { handlers, ran } = envScripted();
    const controller = new AbortController();
    const s = createDebugger({ handlers }).start(sequence([step("A"), step("B")]), { signal: controller.signal });
    await s.stopped();
    await s.step();
    controller.abort();
    const r = await s.result;
    expect(r.status).toBe("failed");
    expect(r.error?.code).toBe("Aborted");
    expect(ran).toEqual(["A"]);
  });

  it("Cancel fails the run with DebuggerCancelled", async () => {
    const { handlers, ran } = envScripted();
    const s = createDebugger({ handlers }).start(sequence(twoGroups()));
    await s.stopped();
    await s.step();
    const r = await s.cancel();
    expect(r.status).toBe("failed");
    expect(r.error?.code).toBe("DebuggerCancelled");
    expect(ran).toEqual(["A"]);
  });

  it("an ignored failure does not pause unless breakOnIgnoredErrors or a step-failed breakpoint", async () => {
    const make = () => envScripted();
    const items = twoGroups({}, { A: { continueOnError: true } });
    const runtime = { Code_A: "3" };
    const plain = make();
    const s1 = createDebugger({ handlers: plain.handlers }).start(sequence(items), { variables: { runtime } });
    await s1.stopped();
    expect(finished(await s1.run()).status).toBe("success");

    const withOption = make();
    const s2 = createDebugger({ handlers: withOption.handlers }).start(sequence(items), { variables: { runtime }, breakOnIgnoredErrors: true });
    await s2.stopped();
    const p2 = paused(await s2.run());
    expect(p2).toMatchObject({ reason: "step-failed", location: { name: "B" } });
    expect(p2.detail).toContain("(A) failed with 3");

    const withBreak = make();
    const s3 = createDebugger({ handlers: withBreak.handlers }).start(sequence(items), { variables: { runtime }, breakpoints: [{ kind: "step-failed" }] });
    await s3.stopped();
    expect(paused(await s3.run()).breakpoints).toEqual([1]);
  });
});

describe("debugger: variable breakpoints, variables view, log", () => {
  it("pauses after a named variable changes, or any non-read-only variable; secret values stay masked", async () => {
    const { handlers } = envScripted();
    const s = createDebugger({ handlers }).start(sequence(twoGroups()));
    await s.stopped();
    s.addBreakpoint({ kind: "variable", name: "ran_c" });
    let p = paused(await s.run());
    expect(p).toMatchObject({ reason: "variable-changed", detail: "Ran_C = 1", location: { kind: "leave-group" } });
    s.clearBreakpoints();
    s.addBreakpoint({ kind: "variable" });
    p = paused(await s.run());
    expect(p.detail).toBe("Ran_D = 1");
    await s.setVariable("Token", "T0ken-value", { secret: true });
    expect(s.variables().find((v) => v.name === "Token")).toMatchObject({ value: "********", secret: true });
    expect(s.log().entries.some((e) => e.message.includes("Successfully completed the action (D)"))).toBe(true);
    expect(JSON.stringify(s.log())).not.toContain("T0ken-value");
    await expectCode(s.setVariable("_SMSTSLogPath", "x"), "ReadOnlyVariable");
    await s.quit();
  });

  it("a value made secret at the prompt is masked in the pause detail and in log() from then on", async () => {
    const handlers = createStepHandlerRegistry({
      [TEST_TYPE]: (ctx) => {
        if (ctx.step.name === "Get token") ctx.env.set("Token", "Walrus42");
        return Promise.resolve({ exitCode: 0 });
      },
    });
    const s = createDebugger({ handlers }).start(sequence([step("Get token"), step("Use token")]), { breakpoints: [{ kind: "variable", name: "Token" }] });
    await s.stopped();
    expect(paused(await s.run()).detail).toBe("Token = Walrus42");
    const p = await s.setVariable("Token", "Walrus42", { secret: true });
    expect(p.detail).toBe("Token = ********");
    expect(s.pause?.detail).toBe("Token = ********");
    expect(JSON.stringify(s.log())).not.toContain("Walrus42");
    await s.quit();
  });

  it("the variables view masks secret text inside a variable that is not secret; the step still sees the real value (variables.md §9.2)", async () => {
    const seen: string[] = [];
    const handlers = createStepHandlerRegistry({
      [TEST_TYPE]: (ctx) => {
        if (ctx.step.name === "Copy") ctx.env.set("Copy", ctx.env.expand("user=admin;pw=%OSDJoinPassword%"));
        else seen.push(ctx.env.get("Copy") ?? "");
        return Promise.resolve({ exitCode: 0 });
      },
    });
    const s = createDebugger({ handlers, device: createFakeDevice() }).start(sequence([step("Copy"), step("Use")]), { variables: { runtime: { OSDJoinPassword: "Pa55word!" } } });
    await s.stopped();
    const p = paused(await s.step());
    const copy = { name: "Copy", value: "user=admin;pw=********", secret: false };
    expect(p.variables.find((v) => v.name === "Copy")).toMatchObject(copy);
    expect(s.variables().find((v) => v.name === "Copy")).toMatchObject(copy);
    const edited = await s.setVariable("Other", "x");
    expect(edited.variables.find((v) => v.name === "Copy")).toMatchObject(copy);
    expect(JSON.stringify([p, s.variables(), edited])).not.toContain("Pa55word!");
    expect(finished(await s.run()).status).toBe("success");
    expect(seen).toEqual(["user=admin;pw=Pa55word!"]);
  });

  it("the variables view shows _TSAppInstallStatus=Undefined before Install Application, and a condition on it holds (builtin-variables.md §2)", async () => {
    const { handlers, ran } = scripted();
    const s = createDebugger({ handlers }).start(sequence([step("Apps pending", { condition: varCondition("_TSAppInstallStatus", "equals", "Undefined") })]));
    const p = paused(await s.stopped());
    expect(p.variables.find((v) => v.name === "_TSAppInstallStatus")).toMatchObject({ value: "Undefined", readOnly: true, layer: "builtin-default" });
    expect(finished(await s.run()).status).toBe("success");
    expect(ran).toEqual(["Apps pending"]);
  });

  it("rerun runs the last step again with edited variables", async () => {
    const { handlers, ran } = envScripted();
    const seen: string[] = [];
    const s = createDebugger({ handlers, onEvent: (e) => e.type === "step-finished" && seen.push(`${e.name}:${e.exitCode}`) }).start(sequence([step("A"), step("B")]));
    await s.stopped();
    await s.step();
    await s.setVariable("Code_A", "4");
    const p = paused(await s.rerun());
    expect(p).toMatchObject({ reason: "failure", location: { name: "A" }, failure: { name: "A", exitCode: 4 } });
    expect(ran).toEqual(["A", "A"]);
    expect(seen).toEqual(["A:0", "A:4"]);
    await s.setVariable("Code_A", "0");
    const retried = paused(await s.rerun());
    expect(retried).toMatchObject({ reason: "step", location: { name: "B" } });
    expect(seen).toEqual(["A:0", "A:4", "A:0"]);
  });

  it("back after rerun goes to before the rerun of the step, with the variables edited for it", async () => {
    const { handlers } = envScripted();
    const s = createDebugger({ handlers }).start(sequence([step("A"), step("B"), step("C")]));
    await s.stopped();
    await s.step();
    await s.step();
    await s.setVariable("Edited", "yes");
    expect(paused(await s.rerun()).location.name).toBe("C");
    const back = await s.back();
    expect(back.location.name).toBe("B");
    expect(back.variables.find((v) => v.name === "Edited")?.value).toBe("yes");
  });

  it("back after retrying a held failure goes to before the retry, with the variables fixed for it", async () => {
    const { handlers } = envScripted();
    const t = createDebugger({ handlers }).start(sequence([step("A"), step("B")]), { variables: { runtime: { Code_A: "4" } } });
    await t.stopped();
    expect(paused(await t.run()).reason).toBe("failure");
    await t.setVariable("Code_A", "0");
    expect(paused(await t.step()).location.name).toBe("B");
    const beforeRetry = await t.back();
    expect(beforeRetry.location.name).toBe("A");
    expect(beforeRetry.variables.find((v) => v.name === "Code_A")?.value).toBe("0");
    expect(finished(await t.run()).status).toBe("success");
  });
});

describe("debugger: time travel", () => {
  it("back restores variables, the pointer and step results to before the last step, then the run continues from there", async () => {
    const { handlers, ran } = envScripted();
    const s = createDebugger({ handlers }).start(sequence([step("A"), step("B"), step("C")]));
    await s.stopped();
    await s.step();
    await s.step();
    expect(s.variables().some((v) => v.name === "Ran_B")).toBe(true);
    const p = await s.back();
    expect(p).toMatchObject({ reason: "time-travel", location: { name: "B" } });
    expect(p.warnings.map((w) => w.code)).toEqual(["DeviceNotRewound"]);
    expect(p.variables.some((v) => v.name === "Ran_B")).toBe(false);
    expect(p.variables.some((v) => v.name === "Ran_A")).toBe(true);
    expect(s.history().map((h) => h.name)).toEqual(["A", "B"]);
    const first = await s.back(0);
    expect(first.location.name).toBe("A");
    expect(first.variables.some((v) => v.name === "Ran_A")).toBe(false);
    await expectCode(s.back(), "InvalidOperation");
    await expectCode(s.back(7), "InvalidArgument");
    const r = finished(await s.run());
    expect(ran).toEqual(["A", "B", "A", "B", "C"]);
    expect(r.steps.map((x) => x.outcome)).toEqual(["success", "success", "success"]);
  });
});

describe("debugger: time travel of step results", () => {
  it("step results after the checkpoint are forgotten: a step skipped after going back reports not-run", async () => {
    const { handlers, ran } = envScripted();
    const s = createDebugger({ handlers }).start(sequence([step("A"), step("B"), step("C"), step("D")]));
    await s.stopped();
    await s.runTo("D");
    const back = await s.back(1);
    expect(back.location.name).toBe("B");
    await s.setCurrent("D");
    const r = finished(await s.run());
    expect(ran).toEqual(["A", "B", "C", "D"]);
    expect(r.steps.map((x) => `${x.name}:${x.outcome}`)).toEqual(["A:success", "B:not-run", "C:not-run", "D:success"]);
  });
});

describe("debugger: TSDebugMode and TSDebugOnError (builtin-variables.md)", () => {
  it("start: variables runs normally without TSDebugMode, and starts paused with TSDebugMode=TRUE", async () => {
    const plain = envScripted();
    const s1 = createDebugger({ handlers: plain.handlers }).start(sequence([step("A")]), { start: "variables" });
    expect(finished(await s1.stopped()).status).toBe("success");
    const debug = envScripted();
    const s2 = createDebugger({ handlers: debug.handlers }).start(sequence([step("A")]), {
      start: "variables",
      variables: { collections: [{ id: "C1", priority: 1, variables: [{ name: "TSDebugMode", value: "TRUE" }] }] },
    });
    expect(paused(await s2.stopped()).reason).toBe("start");
    expect(debug.ran).toEqual([]);
    await s2.quit();
  });

  it("TSDebugOnError=TRUE starts the debugger at a failure that would fail the task sequence, not at one a group absorbs", async () => {
    const { handlers, ran } = envScripted();
    const s = createDebugger({ handlers }).start(sequence(twoGroups({ continueOnError: true })), {
      start: "variables",
      variables: { runtime: { TSDebugOnError: "TRUE", Code_A: "2", Code_E: "6" } },
    });
    const p = paused(await s.stopped());
    expect(p).toMatchObject({ reason: "failure", failure: { name: "E", exitCode: 6 } });
    expect(ran).toEqual(["A", "D", "E"]);
    await s.setVariable("Code_E", "0");
    expect(finished(await s.run()).status).toBe("success");
  });
});
