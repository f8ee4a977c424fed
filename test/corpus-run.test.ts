import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createSimulatedDevice } from "@taskseq/device";
import { createEngine, type ResolvedTaskSequence, type TaskSequenceResolver } from "@taskseq/engine";
import { isTaskSeqError, type TaskSequence } from "@taskseq/model";
import { createBuiltinHandlers } from "@taskseq/steps";
import { parseSequenceXml } from "@taskseq/xml";

const corpus = fileURLToPath(new URL("../../shared/corpus/", import.meta.url));

/** Every corpus file that is a task sequence (manifests and relationship files are not). */
function sequences(): [string, TaskSequence][] {
  const out: [string, TaskSequence][] = [];
  for (const file of readdirSync(corpus).filter((f) => f.endsWith(".xml")).sort()) {
    try {
      out.push([file, parseSequenceXml(readFileSync(`${corpus}${file}`)).sequence]);
    } catch (e) {
      if (!isTaskSeqError(e)) throw e;
    }
  }
  return out;
}

/** Child task sequences resolve to an empty sequence. */
const anyChild: TaskSequenceResolver = {
  resolve: (packageId) => Promise.resolve<ResolvedTaskSequence>({ packageId, name: packageId, sequence: { kind: "sequence", version: "3.10", globalVariables: [], references: [], items: [] } }),
};

const all = sequences();

describe("every corpus sequence runs to a result on the default simulated device with the built-in handlers", () => {
  it("finds the corpus", () => {
    expect(all.length).toBeGreaterThan(20);
  });

  for (const [file, seq] of all) {
    it(file, async () => {
      const device = createSimulatedDevice();
      const result = await createEngine({ device, handlers: createBuiltinHandlers(), resolver: anyChild }).run(seq, { stopAtRestart: false });
      expect(["success", "failed"]).toContain(result.status);
      for (const step of result.steps.filter((s) => s.outcome === "failed" || s.outcome === "failed-continued")) {
        expect(step.reason, `${step.path} ${step.name}`).toBeTruthy();
        expect(step.reason, `${step.path} ${step.name}`).not.toMatch(/failed unexpectedly|is not a function|undefined/);
      }
      if (result.status === "failed") expect(result.failure !== undefined || result.error !== undefined).toBe(true);
    });
  }
});
