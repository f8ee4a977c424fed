import { describe, expect, it } from "vitest";
import { buildInstructionTable, createEngine, createMapResolver, createMemoryLogSink, type EngineEvent, type ResolvedTaskSequence } from "@taskseq/engine";
import type { Step, TaskSequence } from "@taskseq/model";
import { group, scripted, sequence, step } from "./fixtures.js";

function runTs(name: string, packageId: string, extra: Partial<Step> = {}): Step {
  return step(name, {
    element: "subtasksequence",
    type: "SMS_TaskSequence_SubTasksequence",
    variables: [{ name: "OSDSubTasksequencePackageID", property: "TsPackageID", value: packageId }],
    ...extra,
  });
}

const pkg = (packageId: string, seq: TaskSequence, disabled = false): ResolvedTaskSequence => ({ packageId, name: `Child ${packageId}`, sequence: seq, disabled });

describe("child task sequences (execution.md §10)", () => {
  it("are inlined as enter-child / leave-child with paths continuing after '/'", async () => {
    const resolver = createMapResolver([pkg("CHILD001", sequence([step("C1"), group("CG", [step("C2")])]))]);
    const table = await buildInstructionTable(sequence([step("P1"), runTs("Run child", "CHILD001")]), resolver);
    expect(table.map((i) => `${i.kind}:${i.path}`)).toEqual(["step:0", "enter-child:1", "step:1/0", "enter-group:1/1", "step:1/1.0", "leave-group:1/1", "leave-child:1"]);
  });

  it("share one environment; the log and events mark where the child begins and ends", async () => {
    const { handlers, ran } = scripted();
    handlers.register("Setter", (ctx) => {
      ctx.env.set("FromChild", ctx.env.get("FromParent") ?? "");
      return Promise.resolve({ exitCode: 0 });
    });
    const log = createMemoryLogSink();
    const events: EngineEvent[] = [];
    const resolver = createMapResolver([pkg("CHILD001", sequence([step("Set", { type: "Setter" })]))]);
    const r = await createEngine({ handlers, resolver, log, onEvent: (e) => events.push(e) }).run(sequence([runTs("Run child", "CHILD001"), step("After")]), {
      packageId: "PARENT01",
      variables: { runtime: { FromParent: "p" } },
    });
    expect(r.variables["FromChild"]).toBe("p");
    expect(r.variables["_SMSTSPackageID"]).toBe("PARENT01");
    expect(ran).toEqual(["After"]);
    expect(r.steps.map((s) => `${s.path}:${s.outcome}`)).toEqual(["0:success", "0/0:success", "1:success"]);
    expect(events.filter((e) => e.type === "child-begin" || e.type === "child-end").map((e) => e.type)).toEqual(["child-begin", "child-end"]);
    expect(log.entries().filter((e) => e.messageId === "child-begin" || e.messageId === "child-end")).toHaveLength(2);
  });

  it("a failure inside the child fails the Run Task Sequence step; its continue-on-error decides", async () => {
    const resolver = createMapResolver([pkg("CHILD001", sequence([step("Bad"), step("Never")]))]);
    for (const cont of [true, false]) {
      const { handlers, ran } = scripted({ Bad: 7 });
      const r = await createEngine({ handlers, resolver }).run(sequence([runTs("Run child", "CHILD001", { continueOnError: cont }), step("After")]));
      expect(r.status).toBe(cont ? "success" : "failed");
      expect(ran).toEqual(cont ? ["Bad", "After"] : ["Bad"]);
      expect(r.steps[0]).toMatchObject({ outcome: cont ? "failed-continued" : "failed", exitCode: 7 });
    }
  });

  it("a disabled or condition-false Run Task Sequence step skips the whole child", async () => {
    const { handlers, ran } = scripted();
    const resolver = createMapResolver([pkg("CHILD001", sequence([step("Inner")]))]);
    const r = await createEngine({ handlers, resolver }).run(sequence([runTs("Off", "MISSING1", { disabled: true }), runTs("Cond", "CHILD001", { condition: { operands: [{ kind: "operator", operator: "or", operands: [] }] } })]));
    expect(ran).toEqual([]);
    expect(r.steps.map((s) => s.outcome)).toEqual(["skipped-disabled", "skipped-condition", "skipped-condition"]);
  });

  it("cycles, missing and disabled children and depth above 16 fail before the first step", async () => {
    const { handlers, ran } = scripted();
    const cyc = createMapResolver([pkg("A0000001", sequence([runTs("to B", "B0000001")])), pkg("B0000001", sequence([runTs("to A", "A0000001")]))]);
    await expect(createEngine({ handlers, resolver: cyc }).run(sequence([step("first"), runTs("to A", "A0000001")]))).rejects.toMatchObject({ code: "ChildCycle" });
    await expect(createEngine({ handlers }).run(sequence([step("first"), runTs("x", "NOPE0001")]))).rejects.toMatchObject({ code: "ChildNotFound" });
    const off = createMapResolver([pkg("OFF00001", sequence([]), true)]);
    await expect(createEngine({ handlers, resolver: off }).run(sequence([runTs("x", "OFF00001", { continueOnError: true })]))).rejects.toMatchObject({ code: "ChildDisabled" });
    const chain = Array.from({ length: 18 }, (_, i) => pkg(`D${String(i).padStart(7, "0")}`, sequence(i === 17 ? [step("leaf")] : [runTs(`to ${i + 1}`, `D${String(i + 1).padStart(7, "0")}`)])));
    const deep = createMapResolver(chain);
    await expect(buildInstructionTable(sequence([runTs("to 0", "D0000000")]), deep)).rejects.toMatchObject({ code: "ChildDepthExceeded" });
    const ok = createMapResolver(chain.slice(2));
    expect((await buildInstructionTable(sequence([runTs("to 2", "D0000002")]), ok)).length).toBe(16 * 2 + 1);
    const same = createMapResolver([pkg("S0000001", sequence([step("s")]))]);
    expect((await buildInstructionTable(sequence([runTs("a", "S0000001"), runTs("b", "S0000001")]), same)).length).toBe(6);
    expect(ran).toEqual([]);
  });
});
