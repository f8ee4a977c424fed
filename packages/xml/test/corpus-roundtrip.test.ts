import { describe, expect, it } from "vitest";
import { parseSequenceXml, writeSequenceXml } from "@taskseq/xml";
import { canonicalXml } from "./helpers/canonical-xml.js";
import { corpusBytes, corpusText, sequenceFiles } from "./helpers/corpus.js";

const files = sequenceFiles();

describe("corpus round trip of every <sequence> file", () => {
  it("finds the corpus sequences", () => {
    expect(files.length).toBeGreaterThanOrEqual(35);
  });

  it.each(files)("%s: parse(export(parse(x))) equals parse(x)", (file) => {
    const first = parseSequenceXml(corpusBytes(file)).sequence;
    const second = parseSequenceXml(writeSequenceXml(first)).sequence;
    expect(second).toEqual(first);
  });

  it.each(files)("%s: canonical(export(parse(x))) equals canonical(x)", (file) => {
    const source = corpusText(file);
    const written = writeSequenceXml(parseSequenceXml(source).sequence);
    expect(canonicalXml(written)).toBe(canonicalXml(source));
  });
});
