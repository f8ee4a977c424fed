import { describe, expect, it } from "vitest";
import { createSequence, createStep, findByPath } from "@taskseq/model";
import type { Step } from "@taskseq/model";
import { createExportArchive, parsePackageObject, readExportArchive, writeExportArchive } from "@taskseq/xml";
import { createSite, exportTaskSequences, importTaskSequences } from "@taskseq/site";
import { commandStep, expectCode, readCorpus } from "./helpers.js";

const SECRET = "Sup3r-S3cret!";

function siteWithFamily() {
  const site = createSite();
  site.content.add({ id: "PS100T01", kind: "package", name: "Tools", packageShare: true });
  const child = site.library.add(
    createSequence(
      [
        createStep("SMS_TaskSequence_SetVariableAction", { VariableName: "AdminPin", VariableValue: SECRET, DoNotShowVariableValue: true }, { name: "Set hidden" }),
        createStep("SMS_TaskSequence_InstallSoftwareAction", { PackageID: "PS100T01", ProgramName: "Install" }, { name: "Tools" }),
      ],
      { name: "Child" },
    ),
  );
  const parent = site.library.add(createSequence([commandStep("Hello", "cmd /c echo hi"), createStep("SMS_TaskSequence_SubTasksequence", { TsPackageID: child.packageId }, { name: "Run child" })], { name: "Parent" }));
  return { site, child: child.packageId, parent: parent.packageId };
}

const partsText = (zip: Uint8Array): string => [...readExportArchive(zip).parts.values()].map((b) => new TextDecoder().decode(b)).join("\n");

describe("export and import", () => {
  it("exports a real corpus sequence and imports it into another site unchanged", () => {
    const object = parsePackageObject(readCorpus("001_cm-export-object-RSC002A6.xml"));
    const a = createSite();
    const entry = a.library.add(object.sequence, { packageId: "RSC002A6" });
    const { zip } = exportTaskSequences(a, [entry.packageId]);
    const b = createSite();
    expect(importTaskSequences(b, zip)).toEqual([{ sourceId: "RSC002A6", packageId: "RSC002A6", outcome: "created" }]);
    const imported = b.library.get("RSC002A6");
    expect(imported.name).toBe(entry.name);
    expect(imported.sequence.items.length).toBe(object.sequence.items.length);
  });

  it("never exports a hidden value", () => {
    const { site, parent } = siteWithFamily();
    const { zip } = exportTaskSequences(site, [parent], { includeDependencies: true });
    expect(partsText(zip)).not.toContain(SECRET);
    expect(partsText(zip)).toContain("AdminPin");
  });

  it("with dependencies: children join the archive and content is listed; with content: the <name>_files folder", () => {
    const { site, parent, child } = siteWithFamily();
    const plain = exportTaskSequences(site, [parent]);
    expect(plain.taskSequences).toEqual([parent]);
    expect(plain.files.size).toBe(0);
    const full = exportTaskSequences(site, [parent], { includeDependencies: true, includeContent: true, name: "Family" });
    expect(full.taskSequences).toEqual([parent, child]);
    expect(readExportArchive(full.zip).packages.map((p) => p.packageId)).toEqual([parent, child]);
    expect(full.dependencies.map((d) => d.id)).toEqual(["PS100T01"]);
    expect([...full.files.keys()]).toEqual(["Family_files/PS100T01/content.json"]);
  });

  it("import actions: Create New (children re-pointed), Ignore Duplicate, Overwrite", () => {
    const { site, parent, child } = siteWithFamily();
    const { zip } = exportTaskSequences(site, [parent, child]);
    site.library.edit(parent, (s) => ({ ...s, items: s.items.slice(0, 1) }));

    const ignored = importTaskSequences(site, zip, { actions: { default: "ignore-duplicate" } });
    expect(ignored.map((r) => r.outcome)).toEqual(["ignored", "ignored"]);
    expect(site.library.get(parent).sequence.items).toHaveLength(1);

    const overwritten = importTaskSequences(site, zip, { actions: { [parent]: "overwrite", default: "ignore-duplicate" } });
    expect(overwritten.map((r) => r.outcome)).toEqual(["overwritten", "ignored"]);
    expect(site.library.get(parent).sequence.items).toHaveLength(2);

    const created = importTaskSequences(site, zip, { actions: { default: "create-new" } });
    expect(created.every((r) => r.outcome === "created" && r.packageId !== r.sourceId)).toBe(true);
    const newParent = site.library.get(created[0]!.packageId);
    const runChild = findByPath(newParent.sequence, [1]) as Step;
    expect(runChild.variables.find((v) => v.property === "TsPackageID")?.value).toBe(created[1]!.packageId);
    expect(site.library.list()).toHaveLength(4);
  });

  it("import actions are keyed by package ID in any case; an unknown action is refused before anything is imported", () => {
    const { site, parent, child } = siteWithFamily();
    const { zip } = exportTaskSequences(site, [parent, child]);
    const before = site.library.list().length;
    expect(expectCode(() => importTaskSequences(site, zip, { actions: { default: "replace" as never } }), "InvalidArgument")).toContain('"replace"');
    expectCode(() => importTaskSequences(site, zip, { actions: { [child]: "Overwrite" as never, default: "ignore-duplicate" } }), "InvalidArgument");
    expect(site.library.list()).toHaveLength(before);
    const r = importTaskSequences(site, zip, { actions: { [parent.toLowerCase()]: "ignore-duplicate", default: "overwrite" } });
    expect(r.map((x) => x.outcome)).toEqual(["ignored", "overwritten"]);
    expect(site.library.list()).toHaveLength(before);
  });

  it("keeps the disabled state and refuses a corrupt archive with a typed error", () => {
    const { site, child } = siteWithFamily();
    site.library.setEnabled(child, false);
    const { zip } = exportTaskSequences(site, [child]);
    const other = createSite();
    importTaskSequences(other, zip);
    expect(other.library.get(child).enabled).toBe(false);
    expect(() => importTaskSequences(other, new Uint8Array([1, 2, 3]))).toThrow(expect.objectContaining({ name: "TaskSeqError" }));
  });

  it("Overwrite takes the archive's enabled state and boot image, like a new import (xml-format.md §11)", () => {
    const source = createSite();
    source.content.add({ id: "PS100B01", kind: "boot-image", name: "Boot" });
    const s = source.library.add(createSequence([commandStep("S", "cmd /c echo")], { name: "Archived" }), { packageId: "PS100777", properties: { bootImageId: "PS100B01" } });
    source.library.setEnabled(s.packageId, false);
    const disabledWithBoot = exportTaskSequences(source, [s.packageId]).zip;
    const target = createSite();
    target.library.add(createSequence([], { name: "Old" }), { packageId: "PS100777", properties: { maxRunTimeMinutes: 30 } });
    expect(importTaskSequences(target, disabledWithBoot, { actions: { default: "overwrite" } })).toEqual([{ sourceId: "PS100777", packageId: "PS100777", outcome: "overwritten" }]);
    const overwritten = target.library.get("PS100777");
    expect([overwritten.name, overwritten.enabled, overwritten.properties.bootImageId, overwritten.properties.maxRunTimeMinutes]).toEqual(["Archived", false, "PS100B01", 30]);

    source.library.setEnabled(s.packageId, true);
    source.library.setProperties(s.packageId, { bootImageId: undefined });
    importTaskSequences(target, exportTaskSequences(source, [s.packageId]).zip, { actions: { default: "overwrite" } });
    const again = target.library.get("PS100777");
    expect([again.enabled, again.properties.bootImageId]).toEqual([true, undefined]);
  });

  it("an unchanged import is exported back part for part: Duration and TsEnabled as read (xml-format.md §11)", () => {
    const object = parsePackageObject(readCorpus("001_cm-export-object-RSC002A6.xml"));
    expect([object.info.properties["Duration"], object.info.properties["TsEnabled"]]).toEqual(["360", "TRUE"]);
    const zip = createExportArchive([{ sequence: object.sequence, info: { ...object.info, packageId: "RSC002A6" } }]);
    const original = readExportArchive(zip).parts;
    const differing = (out: Uint8Array): string[] => {
      const parts = readExportArchive(out).parts;
      return [...original.keys()].filter((k) => Buffer.compare(Buffer.from(parts.get(k) ?? []), Buffer.from(original.get(k) ?? [])) !== 0);
    };
    const site = createSite();
    importTaskSequences(site, zip);
    expect(site.library.get("RSC002A6").properties.maxRunTimeMinutes).toBe(120);
    expect(differing(exportTaskSequences(site, ["RSC002A6"]).zip)).toEqual([]);
    // Exported with another sequence, the package is written anew, with the properties as imported.
    const other = site.library.add(createSequence([commandStep("S", "cmd /c echo")], { name: "Other" }));
    const both = exportTaskSequences(site, ["RSC002A6", other.packageId]).zip;
    expect(readExportArchive(both).parts.get("SMS_TaskSequencePackage/RSC002A6/object.xml")).toEqual(original.get("SMS_TaskSequencePackage/RSC002A6/object.xml"));
    expect(readExportArchive(both).packages[1]?.object.info.properties).toMatchObject({ TsEnabled: "TRUE", Duration: "120" });
    // A changed enabled state is written; the open Duration is kept unless asked.
    site.library.setEnabled("RSC002A6", false);
    site.library.setProperties("RSC002A6", { maxRunTimeMinutes: 45 });
    const props = (out: Uint8Array) => readExportArchive(out).packages[0]!.object.info.properties;
    expect([props(exportTaskSequences(site, ["RSC002A6"]).zip)["TsEnabled"], props(exportTaskSequences(site, ["RSC002A6"]).zip)["Duration"]]).toEqual(["FALSE", "360"]);
    expect(props(exportTaskSequences(site, ["RSC002A6"], { durationAsMaxRunTime: true }).zip)["Duration"]).toBe("45");
    // The embedder may take Duration as the maximum run time when importing.
    const mapped = createSite();
    importTaskSequences(mapped, zip, { durationAsMaxRunTime: true });
    expect(mapped.library.get("RSC002A6").properties.maxRunTimeMinutes).toBe(360);
  });

  it("a console export imported unchanged is written back with every part as it was", () => {
    const made = readExportArchive(createExportArchive([{ sequence: parsePackageObject(readCorpus("001_cm-export-object-RSC002A6.xml")).sequence, info: { packageId: "RSC002A6", properties: {} } }]));
    // The console's own object.xml (typed CIM properties, qualifiers) and manifest layout.
    const parts = new Map(made.parts);
    parts.set("SMS_TaskSequencePackage/RSC002A6/object.xml", readCorpus("001_cm-export-object-RSC002A6.xml"));
    parts.set("Manifest.xml", new TextEncoder().encode(new TextDecoder().decode(parts.get("Manifest.xml")).replace("<Contents />", "<Contents></Contents>")));
    const zip = writeExportArchive({ ...made, parts });
    const site = createSite();
    importTaskSequences(site, zip);
    const out = readExportArchive(exportTaskSequences(site, ["RSC002A6"]).zip).parts;
    expect([...out.keys()]).toEqual([...parts.keys()]);
    for (const [name, bytes] of parts) expect(Buffer.compare(Buffer.from(out.get(name) ?? []), Buffer.from(bytes)), name).toBe(0);
    // Once the sequence changes, the package is written anew.
    site.library.edit("RSC002A6", (s) => ({ ...s, items: s.items.slice(0, 1) }));
    const changed = readExportArchive(exportTaskSequences(site, ["RSC002A6"]).zip);
    expect(changed.packages[0]?.sequence.items).toHaveLength(1);
    // Only the sequence is rewritten: the console's typed properties stay.
    expect(new TextDecoder().decode(changed.parts.get("SMS_TaskSequencePackage/RSC002A6/object.xml"))).toContain('<PROPERTY NAME="Duration" CLASSORIGIN="SMS_TaskSequencePackage" TYPE="uint32">');
    expect(changed.parts.get("Manifest.xml")).toEqual(parts.get("Manifest.xml"));
  });
});
