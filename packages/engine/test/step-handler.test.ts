import { describe, expect, it } from "vitest";
import { createStepHandlerRegistry, type StepHandler } from "@taskseq/engine";

const ok: StepHandler = () => Promise.resolve({ exitCode: 0 });
const fail: StepHandler = () => Promise.resolve({ exitCode: 1 });

describe("createStepHandlerRegistry", () => {
  it("registers, replaces and lists handlers by type", () => {
    const reg = createStepHandlerRegistry({ B_Action: ok });
    reg.register("A_Action", ok);
    expect(reg.types()).toEqual(["A_Action", "B_Action"]);
    reg.register("A_Action", fail);
    expect(reg.get("A_Action")).toBe(fail);
    expect(reg.get("Missing")).toBeUndefined();
  });
});
