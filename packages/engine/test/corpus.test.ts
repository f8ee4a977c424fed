import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isTaskSeqError, type Item, type TaskSequence } from "@taskseq/model";
import { parseSequenceXml } from "@taskseq/xml";
import { buildInstructionTable, createEngine, createMemoryLogSink, createStepHandlerRegistry, type ResolvedTaskSequence, type TaskSequenceResolver } from "@taskseq/engine";
import { createFakeDevice } from "./fake-device.js";

const corpus = fileURLToPath(new URL("../../../../shared/corpus/", import.meta.url));

/** Every corpus file that is a task sequence. */
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

function types(items: readonly Item[], into = new Set<string>()): Set<string> {
  for (const i of items) {
    if (i.kind === "group") types(i.children, into);
    else into.add(i.type);
  }
  return into;
}

/** Any child package resolves to an empty sequence. */
const anyChild: TaskSequenceResolver = {
  resolve: (packageId) => Promise.resolve<ResolvedTaskSequence>({ packageId, name: packageId, sequence: { kind: "sequence", version: "3.10", globalVariables: [], references: [], items: [] } }),
};

const all = sequences();

describe("real task sequences from the corpus", () => {
  it("finds the corpus", () => {
    expect(all.length).toBeGreaterThan(20);
  });

  for (const [file, seq] of all) {
    it(`${file}: runs to completion with no-op handlers, every step reported once`, async () => {
      const ran: string[] = [];
      const handlers = createStepHandlerRegistry();
      for (const t of types(seq.items)) handlers.register(t, (ctx) => {
        ran.push(ctx.path);
        return Promise.resolve({ exitCode: 0 });
      });
      const device = createFakeDevice({ wmi: { Win32_ComputerSystem: [{ Manufacturer: "Dell Inc.", Model: "Latitude 5490" }] } });
      const log = createMemoryLogSink();
      const table = await buildInstructionTable(seq, anyChild);
      const r = await createEngine({ handlers, device, resolver: anyChild, log }).run(seq, { stopAtRestart: false });
      expect(r.steps.length).toBe(table.filter((i) => i.kind === "step" || i.kind === "enter-child").length);
      expect(r.variables["_SMSTSInstructionTableSize"]).toBe(String(table.length));
      expect(new Set(r.steps.map((s) => s.path)).size).toBe(r.steps.length);
      expect(r.steps.filter((s) => s.outcome === "success" && s.type !== "SMS_TaskSequence_SubTasksequence").map((s) => s.path)).toEqual(ran);
      if (r.status === "failed") expect(r.steps.some((s) => s.outcome === "failed") || r.error !== undefined).toBe(true);
      expect(log.entries().length).toBeGreaterThan(0);
    });
  }
});
