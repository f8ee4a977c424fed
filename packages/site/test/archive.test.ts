import { describe, expect, it } from "vitest";
import { createSequence, createStep, findByPath } from "@taskseq/model";
import type { Step } from "@taskseq/model";
import { parsePackageObject, readExportArchive } from "@taskseq/xml";
import { createSite, exportTaskSequences, importTaskSequences } from "@taskseq/site";
import { commandStep, readCorpus } from "./helpers.js";

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

  it("keeps the disabled state and refuses a corrupt archive with a typed error", () => {
    const { site, child } = siteWithFamily();
    site.library.setEnabled(child, false);
    const { zip } = exportTaskSequences(site, [child]);
    const other = createSite();
    importTaskSequences(other, zip);
    expect(other.library.get(child).enabled).toBe(false);
    expect(() => importTaskSequences(other, new Uint8Array([1, 2, 3]))).toThrow(expect.objectContaining({ name: "TaskSeqError" }));
  });
});
