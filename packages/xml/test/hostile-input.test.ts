import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { isTaskSeqError } from "@taskseq/model";
import type { TaskSeqError, TaskSeqErrorCode } from "@taskseq/model";
import { parseSequenceXml, readExportArchive } from "@taskseq/xml";

function failure(run: () => unknown): TaskSeqError {
  try {
    run();
  } catch (error) {
    if (isTaskSeqError(error)) return error;
    throw error;
  }
  throw new Error("expected a TaskSeqError");
}

function expectCode(run: () => unknown, code: TaskSeqErrorCode): TaskSeqError {
  const error = failure(run);
  expect(error.code).toBe(code);
  return error;
}

describe("hostile XML", () => {
  it("refuses an external entity (XXE) with XmlForbiddenDeclaration", () => {
    const xxe = '<?xml version="1.0"?>\n<!DOCTYPE sequence [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<sequence version="3.10"><step name="&xxe;"/></sequence>';
    const error = expectCode(() => parseSequenceXml(xxe), "XmlForbiddenDeclaration");
    expect(error.position?.line).toBe(2);
  });

  it("refuses a billion-laughs entity bomb with XmlForbiddenDeclaration", () => {
    const lol = ["<!ENTITY lol0 \"lol\">", ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`)].join("");
    expectCode(() => parseSequenceXml(`<!DOCTYPE sequence [${lol}]><sequence version="3.10">&lol9;</sequence>`), "XmlForbiddenDeclaration");
  });

  it("stops 10,000-deep nesting with XmlTooDeep at the default limit", () => {
    const deep = `<sequence version="3.10">${"<group name=\"g\">".repeat(10_000)}${"</group>".repeat(10_000)}</sequence>`;
    const error = expectCode(() => parseSequenceXml(deep), "XmlTooDeep");
    expect(error.position?.line).toBe(1);
  });

  it("applies a configured depth limit", () => {
    const nested = `<sequence version="3.10">${"<group name=\"g\">".repeat(5)}${"</group>".repeat(5)}</sequence>`;
    expect(parseSequenceXml(nested).sequence.items).toHaveLength(1);
    expectCode(() => parseSequenceXml(nested, { limits: { maxDepth: 4 } }), "XmlTooDeep");
  });

  it("refuses a 100 MB attribute with XmlTooLarge before parsing", () => {
    const huge = `<sequence version="3.10"><step name="${"A".repeat(100 * 1024 * 1024)}"/></sequence>`;
    const error = expectCode(() => parseSequenceXml(huge), "XmlTooLarge");
    expect(error.details?.limit).toBe(32 * 1024 * 1024);
  });

  it("enforces the attribute and text length limits while parsing", () => {
    const attr = `<sequence version="3.10"><step name="${"A".repeat(2000)}"/></sequence>`;
    expectCode(() => parseSequenceXml(attr, { limits: { maxAttributeLength: 1000 } }), "XmlTooLarge");
    const text = `<sequence version="3.10"><step name="s"><action>${"x".repeat(2000)}</action></step></sequence>`;
    expectCode(() => parseSequenceXml(text, { limits: { maxTextLength: 1000 } }), "XmlTooLarge");
    expect(parseSequenceXml(text).sequence.items).toHaveLength(1);
  });

  it("refuses invalid UTF-8 with XmlInvalidEncoding and the byte offset", () => {
    const good = new TextEncoder().encode('<sequence version="3.10"><step name="ab"/></sequence>');
    const bad = new Uint8Array(good);
    bad[37] = 0xff;
    const error = expectCode(() => parseSequenceXml(bad), "XmlInvalidEncoding");
    expect(error.position?.offset).toBe(37);
  });

  it("reports malformed XML with XmlMalformed and line/column", () => {
    const error = expectCode(() => parseSequenceXml('<sequence version="3.10">\n  <group name="a">\n</sequence>'), "XmlMalformed");
    expect(error.position?.line).toBe(3);
    expect(error.position?.column).toBeGreaterThan(1);
  });

  it("gives saxes's own message and the exact position of the error, and keeps the importer's own codes", () => {
    const duplicate = expectCode(() => parseSequenceXml('<sequence version="3.10">\n  <step x="1" x="2"/>\n</sequence>'), "XmlMalformed");
    expect(duplicate.message).toBe("Not well-formed XML: 2:21: duplicate attribute: x.");
    expect(duplicate.position).toEqual({ line: 2, column: 22, offset: 47 });
    const unclosed = expectCode(() => parseSequenceXml("<sequence>"), "XmlMalformed");
    expect(unclosed.message).toBe("Not well-formed XML: 1:10: unclosed tag: sequence");
    expect(unclosed.position).toEqual({ line: 1, column: 11, offset: 10 });
    const long = expectCode(() => parseSequenceXml('<sequence version="3.10"/>', { limits: { maxAttributeLength: 3 } }), "XmlTooLarge");
    expect(long.position).toEqual({ line: 1, column: 25, offset: 24 });
  });

  it("refuses a root other than <sequence> with NotASequence", () => {
    expectCode(() => parseSequenceXml("<LibraryDocument/>"), "NotASequence");
  });

  it("refuses input that is neither text nor bytes with InvalidArgument", () => {
    expectCode(() => parseSequenceXml(null as unknown as string), "InvalidArgument");
  });

  it("refuses an empty document with XmlMalformed", () => {
    expectCode(() => parseSequenceXml(""), "XmlMalformed");
  });
});

describe("hostile archives", () => {
  const manifest = strToU8('<LibraryDocument><EntryObjects><Object Path="SMS_TaskSequencePackage.PackageID=\'A\'" Type="SMS_TaskSequencePackage"/></EntryObjects></LibraryDocument>');

  it("refuses an entry named with .. with ArchiveUnsafePath", () => {
    const zip = zipSync({ "Manifest.xml": manifest, "SMS_TaskSequencePackage/../../evil.xml": strToU8("<x/>") });
    const error = expectCode(() => readExportArchive(zip), "ArchiveUnsafePath");
    expect(error.position?.path).toContain("..");
  });

  it("refuses an absolute entry name with ArchiveUnsafePath", () => {
    expectCode(() => readExportArchive(zipSync({ "/etc/cron.d/x": strToU8("x") })), "ArchiveUnsafePath");
    expectCode(() => readExportArchive(zipSync({ "C:/Windows/x": strToU8("x") })), "ArchiveUnsafePath");
  });

  it("stops a zip bomb that lies about its size while inflating, with ArchiveTooLarge", () => {
    const bomb = zipSync({ "bomb.xml": [new Uint8Array(6 * 1024 * 1024), { level: 9 }], "Manifest.xml": manifest });
    // The first local header declares 100 bytes uncompressed (offset 22): only counting the inflated bytes catches it.
    new DataView(bomb.buffer, bomb.byteOffset).setUint32(22, 100, true);
    expect(bomb.length).toBeLessThan(50_000);
    const error = expectCode(() => readExportArchive(bomb, { archiveLimits: { maxEntryBytes: 1024 * 1024, maxCompressionRatio: 1e9 } }), "ArchiveTooLarge");
    expect(error.message).toContain("inflates beyond");
  });

  it("refuses a high compression ratio with ArchiveTooLarge", () => {
    const bomb = zipSync({ "bomb.xml": [new Uint8Array(8 * 1024 * 1024), { level: 9 }] });
    expectCode(() => readExportArchive(bomb), "ArchiveTooLarge");
  });

  it("refuses a declared size over the limit before inflating", () => {
    const zip = zipSync({ "big.xml": [new Uint8Array(2 * 1024 * 1024).fill(65), { level: 0 }] });
    expectCode(() => readExportArchive(zip, { archiveLimits: { maxEntryBytes: 1024 * 1024 } }), "ArchiveTooLarge");
  });

  it("refuses too many entries", () => {
    const files = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}.xml`, strToU8("<x/>")]));
    expectCode(() => readExportArchive(zipSync(files), { archiveLimits: { maxEntries: 10 } }), "ArchiveTooLarge");
  });

  it("refuses bytes that are not a zip with ArchiveInvalid", () => {
    expectCode(() => readExportArchive(strToU8("<sequence/>")), "ArchiveInvalid");
  });

  it("refuses an archive without a manifest with ArchiveMissingPart", () => {
    expectCode(() => readExportArchive(zipSync({ "a.xml": strToU8("<x/>") })), "ArchiveMissingPart");
  });
});
