/**
 * The model against every real task sequence of the corpus, read by @taskseq/xml: canonical JSON
 * is lossless, every known step decodes, and validation finds no errors but the ones the files
 * really have.
 */
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fromCanonicalJson, getSettings, isKnownStep, toCanonicalJson, validateSequence, walk } from "@taskseq/model";
import type { TaskSequence } from "@taskseq/model";
import { parseSequenceXml } from "@taskseq/xml";

const corpus = new URL("../../shared/corpus/", import.meta.url);
const sequences: [string, TaskSequence][] = readdirSync(corpus)
  .filter((f) => f.endsWith(".xml") && /^\uFEFF?\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<sequence\b/.test(readFileSync(new URL(f, corpus), "utf8")))
  .map((f) => [f, parseSequenceXml(readFileSync(new URL(f, corpus), "utf8")).sequence]);

describe("model over the corpus", () => {
  it("reads a meaningful number of sequences", () => {
    expect(sequences.length).toBeGreaterThan(20);
  });

  it.each(sequences)("%s: canonical JSON round-trips and every known step decodes", (_name, seq) => {
    const json = toCanonicalJson(seq);
    expect(fromCanonicalJson(json)).toEqual(seq);
    expect(toCanonicalJson(fromCanonicalJson(json))).toBe(json);
    walk(seq, (item) => {
      if (item.kind === "step" && isKnownStep(item)) expect(() => getSettings(item)).not.toThrow();
    });
  });

  it("validates the corpus with only the errors the files really contain", () => {
    const errors = sequences.flatMap(([name, seq]) => validateSequence(seq).filter((i) => i.severity === "error").map((i) => `${name} ${i.code}`));
    expect(errors).toEqual(["022_mdt-custom-client-oscond.xml DescriptionTooLong"]);
  });

  it("finds no condition evaluation error in the corpus's conditions (conditions.md §6): the checks raise no false alarm", () => {
    const CONDITION_CODES = new Set(["UnknownOperator", "UnknownExpressionType", "OperatorNotAllowed", "MissingSoftwareCode", "InvalidConditionVersion", "InvalidWqlQuery", "EmptyOperator"]);
    let conditions = 0;
    for (const [, seq] of sequences) walk(seq, (item) => void (item.condition !== undefined && conditions++));
    expect(conditions).toBeGreaterThan(200);
    const found = sequences.flatMap(([name, seq]) => validateSequence(seq).filter((i) => CONDITION_CODES.has(i.code)).map((i) => `${name} ${i.code} ${i.path}`));
    expect(found).toEqual([]);
  });
});
