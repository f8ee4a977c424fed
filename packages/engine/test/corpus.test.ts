import { describe, expect, it } from "vitest";
import { anyChildResolver, corpusSequences } from "../../../test/helpers/corpus.js";
import type { Item } from "@taskseq/model";
import { buildInstructionTable, createEngine, createMemoryLogSink, createStepHandlerRegistry } from "@taskseq/engine";
import { createFakeDevice } from "./fake-device.js";

function types(items: readonly Item[], into = new Set<string>()): Set<string> {
  for (const i of items) {
    if (i.kind === "group") types(i.children, into);
    else into.add(i.type);
  }
  return into;
}

const all = corpusSequences();

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
      const table = await buildInstructionTable(seq, anyChildResolver);
      const r = await createEngine({ handlers, device, resolver: anyChildResolver, log }).run(seq, { stopAtRestart: false });
      expect(r.steps.length).toBe(table.filter((i) => i.kind === "step" || i.kind === "enter-child").length);
      expect(r.variables["_SMSTSInstructionTableSize"]).toBe(String(table.length));
      expect(new Set(r.steps.map((s) => s.path)).size).toBe(r.steps.length);
      expect(r.steps.filter((s) => s.outcome === "success" && s.type !== "SMS_TaskSequence_SubTasksequence").map((s) => s.path)).toEqual(ran);
      if (r.status === "failed") expect(r.steps.some((s) => s.outcome === "failed") || r.error !== undefined).toBe(true);
      expect(log.entries().length).toBeGreaterThan(0);
    });
  }
});
