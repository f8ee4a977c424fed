import { unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { addItem, createGroup, renameItem, validateSequence } from "@taskseq/model";
import type { TaskSequence } from "@taskseq/model";
import { createArchiveResolver, createExportArchive, createPackageObject, parsePackageObject, parseSequenceXml, readExportArchive, writeExportArchive } from "@taskseq/xml";
import { corpusBytes } from "./helpers/corpus.js";

const OBJECT = "SMS_TaskSequencePackage/RSC002A6/object.xml";
const REFS = "SMS_TaskSequencePackage/RSC002A6/ReferencesInfo.xml";

/** An export zip rebuilt from the real parts 001-003 (forevanyeung/tasksequences). */
function forevanyeungZip(): Uint8Array {
  return zipSync({
    "Manifest.xml": corpusBytes("002_cm-export-manifest.xml"),
    [OBJECT]: corpusBytes("001_cm-export-object-RSC002A6.xml"),
    [REFS]: corpusBytes("003_cm-export-referencesinfo.xml"),
  });
}

/** An export zip from the garytown manifest (017) and relationships (018), around the MEM000F8 sequence (010). */
function garytownZip(): Uint8Array {
  const sequence = parseSequenceXml(corpusBytes("010_cm-garytown-OSDCloudTS.xml")).sequence;
  return zipSync({
    "_rels/.rels": corpusBytes("018_cm-garytown-export-rels.xml"),
    "Manifest.xml": corpusBytes("017_cm-garytown-manifest-OSDCloud.xml"),
    // The relationship target is upper-case; the entry deliberately differs in case.
    "sms_tasksequencepackage/MEM000F8/object.xml": new TextEncoder().encode(createPackageObject(sequence, { packageId: "MEM000F8", name: "OSDCloud", properties: {} })),
  });
}

describe("export archive reading", () => {
  it("reads the manifest, object.xml, sequence and references info of a real export", () => {
    const archive = readExportArchive(forevanyeungZip());
    expect(archive.manifest.authoringScope).toBe("ScopeId_BB614B4D-843E-46E6-B4B0-2017EA2812ED");
    expect(archive.manifest.entryObjects).toEqual([{ path: "SMS_TaskSequencePackage.PackageID='RSC002A6'", type: "SMS_TaskSequencePackage" }]);
    const [pkg] = archive.packages;
    expect(pkg?.packageId).toBe("RSC002A6");
    expect(pkg?.sequence.package?.name).toBe("Task Sequence 1");
    expect(pkg?.references.map((r) => r.properties.ReferencePackageID)).toEqual(["RSC00150", "RSC0017C", "RSC001A4", "RSC001B7", "RSC0022E", "RSC00237", "RSC00242", "RSC00254", "RSC002A2"]);
    expect(pkg?.references[0]?.properties.ReferenceName).toBe("REF-W10-1511-002");
    expect(pkg?.appReferences).toEqual([]);
  });

  it("reads the same sequence from object.xml (001) as from the extracted sequence (004)", () => {
    const fromObject = parsePackageObject(corpusBytes("001_cm-export-object-RSC002A6.xml"));
    const extracted = parseSequenceXml(corpusBytes("004_cm-export-sequence-RSC002A6.xml")).sequence;
    const { package: info, ...sequence } = fromObject.sequence;
    expect(info?.packageId).toBe("RSC002A6");
    expect(sequence).toEqual(extracted);
    expect(fromObject.sequenceForm).toBe("cdata");
  });

  it("finds object.xml through _rels/.rels (018) and the manifest (017)", () => {
    const archive = readExportArchive(garytownZip());
    expect(archive.packages.map((p) => p.packageId)).toEqual(["MEM000F8"]);
    expect(archive.packages[0]?.objectPath).toBe("sms_tasksequencepackage/MEM000F8/object.xml");
    expect(archive.packages[0]?.sequence.items.length).toBeGreaterThan(0);
  });

  it("reports a manifest entry without object.xml as ArchiveMissingPart", () => {
    const zip = zipSync({ "Manifest.xml": corpusBytes("002_cm-export-manifest.xml") });
    expect(() => readExportArchive(zip)).toThrow(expect.objectContaining({ code: "ArchiveMissingPart" }));
  });
});

describe("export archive writing", () => {
  it("writes an unchanged import back with every part byte-identical", () => {
    const original = unzipSync(forevanyeungZip());
    const written = unzipSync(writeExportArchive(readExportArchive(forevanyeungZip())));
    expect(Object.keys(written).sort()).toEqual(Object.keys(original).sort());
    for (const [name, bytes] of Object.entries(original)) expect(written[name]).toEqual(bytes);
  });

  it("rewrites only object.xml when a step is renamed", () => {
    const archive = readExportArchive(forevanyeungZip());
    const edited = { ...archive, packages: archive.packages.map((p) => ({ ...p, sequence: renameItem(p.sequence, [0], "Renamed group") })) };
    const original = unzipSync(forevanyeungZip());
    const written = unzipSync(writeExportArchive(edited));
    expect(written["Manifest.xml"]).toEqual(original["Manifest.xml"]);
    expect(written[REFS]).toEqual(original[REFS]);
    expect(written[OBJECT]).not.toEqual(original[OBJECT]);
    const reread = readExportArchive(zipSync(written));
    expect(reread.packages[0]?.sequence.items[0]?.name).toBe("Renamed group");
    const text = new TextDecoder().decode(written[OBJECT]);
    const source = new TextDecoder().decode(original[OBJECT]);
    // Only the Sequence value changed: everything before it is identical.
    const at = source.indexOf('<PROPERTY NAME="Sequence"');
    expect(text.slice(0, at)).toBe(source.slice(0, at));
  });

  it("rewrites References, ReferencesCount and references info when the references change", () => {
    const archive = readExportArchive(forevanyeungZip());
    const pkg = archive.packages[0];
    if (pkg === undefined) throw new Error("no package");
    const sequence: TaskSequence = { ...pkg.sequence, references: pkg.sequence.references.filter((r) => r.package !== "RSC001A4").concat([{ package: "NEW00001" }]) };
    const written = unzipSync(writeExportArchive({ ...archive, packages: [{ ...pkg, sequence }] }));
    const reread = readExportArchive(zipSync(written)).packages[0];
    expect(reread?.sequence.references.at(-1)).toEqual(expect.objectContaining({ package: "NEW00001" }));
    expect(reread?.object.info.properties.ReferencesCount).toBe(String(sequence.references.length));
    const ids = reread?.references.map((r) => r.properties.ReferencePackageID);
    expect(ids).not.toContain("RSC001A4");
    expect(ids).toContain("NEW00001");
    expect(reread?.references.find((r) => r.properties.ReferencePackageID === "RSC00150")?.properties.ReferenceName).toBe("REF-W10-1511-002");
    expect(reread?.appReferences.length).toBe(sequence.references.filter((r) => r.application !== undefined).length);
  });

  it("creates a complete new export with several sequences that reads back", () => {
    const parent = parseSequenceXml(corpusBytes("050_cm-2pint-BitLockerModule.xml")).sequence;
    const child = addItem(parseSequenceXml(corpusBytes("051_cm-2pint-FormatPartitionModule.xml")).sequence, createGroup("Added"));
    const zip = createExportArchive(
      [
        { sequence: parent, info: { packageId: "PS100136", name: "BitLocker", properties: {} } },
        { sequence: child, info: { packageId: "PS100096", name: "Format", description: "d", properties: { Duration: "360" } } },
      ],
      { authoringScope: "ScopeId_X" },
    );
    const parts = Object.keys(unzipSync(zip));
    expect(parts).toEqual(expect.arrayContaining(["[Content_Types].xml", "_rels/.rels", "Manifest.xml", "SMS_TaskSequencePackage/PS100136/object.xml", "SMS_TaskSequencePackage/PS100096/ReferencesInfo.xml"]));
    const archive = readExportArchive(zip);
    expect(archive.manifest.authoringScope).toBe("ScopeId_X");
    expect(archive.packages.map((p) => p.packageId)).toEqual(["PS100136", "PS100096"]);
    expect(archive.packages[1]?.object.info).toEqual({ packageId: "PS100096", name: "Format", description: "d", properties: { Duration: "360", ReferencesCount: String(child.references.length) } });
    const { package: _info, ...reread } = archive.packages[0]?.sequence ?? parent;
    expect(reread).toEqual(parent);
    expect(archive.packages[1]?.sequence.items.at(-1)?.name).toBe("Added");
  });

  it("resolves child sequences among the packages of the archive first", async () => {
    const child = parseSequenceXml(corpusBytes("051_cm-2pint-FormatPartitionModule.xml")).sequence;
    const parent = parseSequenceXml(
      '<sequence version="3.10"><subtasksequence type="SMS_TaskSequence_SubTasksequence" name="Run Task Sequence" description="" successCodeList="0" retryCount="0" runFromNet="false"><action>SubTasksequence.exe</action><defaultVarList><variable name="OSDSubTasksequencePackageID" property="TsPackageID" hidden="true">ps100096</variable></defaultVarList></subtasksequence></sequence>',
    ).sequence;
    const zip = createExportArchive([
      { sequence: parent, info: { packageId: "PS100001", properties: {} } },
      { sequence: child, info: { packageId: "PS100096", properties: { TsEnabled: "FALSE" } } },
    ]);
    const archive = readExportArchive(zip);
    const resolver = createArchiveResolver(archive, { resolve: (id) => (id === "OTHER" ? { sequence: child } : undefined) });
    expect(await resolver.resolve("PS100096")).toEqual({ sequence: archive.packages[1]?.sequence, enabled: false });
    expect(await resolver.resolve("OTHER")).toEqual({ sequence: child });
    expect(await resolver.resolve("NONE")).toBeUndefined();
    const issues = await validateSequence(archive.packages[0]?.sequence ?? parent, { resolver });
    expect(issues.map((i) => i.code)).toContain("ChildDisabled");
  });

  it("refuses duplicate or invalid package IDs in a new export", () => {
    const sequence = parseSequenceXml(corpusBytes("051_cm-2pint-FormatPartitionModule.xml")).sequence;
    expect(() => createExportArchive([{ sequence, info: { packageId: "../x", properties: {} } }])).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
  });
});

describe("object.xml", () => {
  it("returns the source text for an unchanged sequence", () => {
    const text = new TextDecoder().decode(corpusBytes("001_cm-export-object-RSC002A6.xml"));
    const object = parsePackageObject(text);
    expect(object.info.bootImageId).toBeDefined();
    expect(object.info.properties.Duration).toBe("360");
  });

  it("reads a Sequence written as escaped text and keeps that form", () => {
    const sequence = '<sequence version="3.10"><step type="SMS_TaskSequence_RunCommandLineAction" name="a &amp; b" runIn="WinPEandFullOS" successCodeList="0" retryCount="0" runFromNet="false"/></sequence>';
    const escaped = sequence.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
    const object = parsePackageObject(`<INSTANCE CLASSNAME="SMS_TaskSequencePackage"><PROPERTY NAME="PackageID" TYPE="string"><VALUE>X</VALUE></PROPERTY><PROPERTY NAME="Sequence" TYPE="string"><VALUE>${escaped}</VALUE></PROPERTY></INSTANCE>`);
    expect(object.sequenceForm).toBe("text");
    expect(object.sequence.items[0]?.name).toBe("a & b");
  });

  it("refuses an instance of another class with NotASequence", () => {
    expect(() => parsePackageObject('<INSTANCE CLASSNAME="SMS_Package"/>')).toThrow(expect.objectContaining({ code: "NotASequence" }));
  });

  it("splits a CDATA section around ]]> in a new object.xml", () => {
    const { sequence } = parseSequenceXml('<sequence version="3.10"><step type="SMS_TaskSequence_RunCommandLineAction" name="a]]>b"/></sequence>');
    const text = createPackageObject(sequence, { packageId: "X", properties: {} });
    expect(text).toContain("]]]]><![CDATA[>");
    expect(parsePackageObject(text).sequence.items).toEqual(sequence.items);
  });
});
