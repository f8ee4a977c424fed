import { describe, expect, it } from "vitest";
import { anyChildResolver, corpusSequences } from "./helpers/corpus.js";
import { createSimulatedDevice } from "@taskseq/device";
import { createEngine } from "@taskseq/engine";
import { createBuiltinHandlers } from "@taskseq/steps";

const all = corpusSequences();

describe("every corpus sequence runs to a result on the default simulated device with the built-in handlers", () => {
  it("finds the corpus", () => {
    expect(all.length).toBeGreaterThan(20);
  });

  for (const [file, seq] of all) {
    it(file, async () => {
      const device = createSimulatedDevice();
      const result = await createEngine({ device, handlers: createBuiltinHandlers(), resolver: anyChildResolver }).run(seq, { stopAtRestart: false });
      expect(["success", "failed"]).toContain(result.status);
      for (const step of result.steps.filter((s) => s.outcome === "failed" || s.outcome === "failed-continued")) {
        expect(step.reason, `${step.path} ${step.name}`).toMatch(/\S/);
        expect(step.reason, `${step.path} ${step.name}`).not.toMatch(/failed unexpectedly|is not a function|undefined/);
      }
      if (result.status === "failed") expect(result.failure !== undefined || result.error !== undefined).toBe(true);
    });
  }
});
