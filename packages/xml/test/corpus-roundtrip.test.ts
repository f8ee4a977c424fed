import { describe, expect, it } from "vitest";
import { fromCanonicalJson, toCanonicalJson } from "@taskseq/model";
import { parsePackageObject, parseSequenceXml, writePackageObject, writeSequenceXml } from "@taskseq/xml";
import { canonicalXml } from "./helpers/canonical-xml.js";
import { corpusBytes, corpusFiles, corpusText, sequenceFiles } from "./helpers/corpus.js";

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

  it.each(files)("%s: XML -> canonical JSON -> XML keeps the document", (file) => {
    const source = corpusText(file);
    const sequence = parseSequenceXml(source).sequence;
    const fromJson = fromCanonicalJson(toCanonicalJson(sequence));
    expect(canonicalXml(writeSequenceXml(fromJson))).toBe(canonicalXml(source));
  });
});

describe("corpus files that are not <sequence> documents", () => {
  it("accounts for every corpus file: a sequence or a known export part", () => {
    const others = corpusFiles().filter((f) => !files.includes(f));
    expect(others).toEqual(["001_cm-export-object-RSC002A6.xml", "002_cm-export-manifest.xml", "003_cm-export-referencesinfo.xml", "017_cm-garytown-manifest-OSDCloud.xml", "018_cm-garytown-export-rels.xml"]);
  });

  it("001 object.xml: an unchanged round trip returns the file, and its sequence round-trips canonically", () => {
    const source = corpusText("001_cm-export-object-RSC002A6.xml");
    const object = parsePackageObject(source);
    expect(writePackageObject(object, object.sequence)).toBe(source);
    const inner = /<!\[CDATA\[([\s\S]*?)\]\]>/.exec(source)?.[1] ?? "";
    expect(canonicalXml(writeSequenceXml(object.sequence))).toBe(canonicalXml(inner));
  });
});
