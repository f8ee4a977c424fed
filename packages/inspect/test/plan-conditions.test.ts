import { describe, expect, it } from "vitest";
import { createSimulatedDevice } from "@taskseq/device";
import { planCondition, type PlanKnowledge } from "@taskseq/inspect";
import { allOf, anyOf, createCondition, noneOf, variableCondition } from "@taskseq/model";

const device = createSimulatedDevice();
/** A is "1"; R is only known at run time. */
const k: PlanKnowledge = {
  get: (n) => (n.toUpperCase() === "A" ? "1" : undefined),
  runtime: (n) => (n.toUpperCase() === "R" ? 'set by "Step"' : undefined),
  secret: () => false,
};
const known = (v: string) => variableCondition("A", "equals", v);
const runtime = variableCondition("R", "equals", "x");

describe("planCondition (three-valued)", () => {
  it("is true, false or unknown like the engine's short circuit", async () => {
    const result = async (...nodes: Parameters<typeof createCondition>) => (await planCondition(createCondition(...nodes), device, k)).result;
    expect(await result(known("1"))).toBe("true");
    expect(await result(known("2"))).toBe("false");
    expect(await result(runtime)).toBe("unknown");
    expect(await result(known("2"), runtime)).toBe("false"); // and: a false operand decides
    expect(await result(known("1"), runtime)).toBe("unknown");
    expect(await result(anyOf(runtime, known("1")))).toBe("true"); // or: a true operand decides
    expect(await result(anyOf(runtime, known("2")))).toBe("unknown");
    expect(await result(noneOf(known("1")))).toBe("false");
    expect(await result(noneOf(runtime))).toBe("unknown");
    expect(await result(allOf())).toBe("true");
    expect((await planCondition(undefined, device, k)).result).toBe("true");
  });

  it("names the run-time values and stops at the first deciding operand", async () => {
    const planned = await planCondition(createCondition(runtime, known("2"), known("1")), device, k);
    expect(planned.checks).toEqual([
      { text: 'R equals "x" — known only at run time: R (set by "Step")', result: "unknown", runtimeValues: ['R (set by "Step")'] },
      { text: 'A equals "2" — actual "1"', result: "false" },
    ]);
  });

  it("reports an evaluation error that is reached for certain, and unknown when it may not be reached", async () => {
    const bad = { kind: "operator" as const, operator: "xor", operands: [] };
    const certain = await planCondition(createCondition(bad), device, k);
    expect(certain.result).toBe("error");
    expect(certain.error).toMatch(/xor/);
    expect((await planCondition(createCondition(anyOf(runtime, bad)), device, k)).result).toBe("unknown");
    expect((await planCondition(createCondition(runtime, bad), device, k)).result).toBe("error"); // skipped either way
  });
});
