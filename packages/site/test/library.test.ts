import { describe, expect, it } from "vitest";
import { createStep, renameItem, createSequence } from "@taskseq/model";
import { createTaskSequenceLibrary, MAX_HIGH_IMPACT_TEXT } from "@taskseq/site";
import { commandSequence, expectCode } from "./helpers.js";


describe("task sequence library", () => {
  it("creates sequences with the wizard templates", () => {
    const lib = createTaskSequenceLibrary({ siteCode: "CM1" });
    const install = lib.create({ kind: "install-image", options: { name: "Win 11", imagePackageId: "CM100010", clientPackageId: "CM100002" } });
    const custom = lib.create({ kind: "custom", name: "Inventory" });
    expect(install.packageId).toBe("CM100001");
    expect(install.name).toBe("Win 11");
    expect(install.sequence.items.length).toBeGreaterThan(0);
    expect(custom.name).toBe("Inventory");
    expect(install.properties.maxRunTimeMinutes).toBe(120);
    expect(lib.list().map((e) => e.packageId)).toEqual(["CM100001", "CM100002"]);
  });

  it("edits with the model's edit functions and versions each change", () => {
    const lib = createTaskSequenceLibrary();
    const e = lib.add(commandSequence(2));
    const edited = lib.edit(e.packageId, (s) => renameItem(s, [0], "First"));
    expect(edited.sequence.items[0]?.name).toBe("First");
    expect(edited.version).toBe(2);
  });

  it("copies under a new ID and name, enables and disables", () => {
    const lib = createTaskSequenceLibrary();
    const e = lib.add(commandSequence(1, "Base"));
    const copy = lib.copy(e.packageId);
    expect(copy.packageId).not.toBe(e.packageId);
    expect(copy.name).toBe("Base - Copy");
    expect(copy.sequence.package?.packageId).toBe(copy.packageId);
    expect(lib.setEnabled(copy.packageId, false).enabled).toBe(false);
    expect(lib.get(e.packageId).enabled).toBe(true);
  });

  it("keeps folders, moves and deletes", () => {
    const lib = createTaskSequenceLibrary();
    lib.createFolder("/OSD/Windows 11");
    expect(lib.folders()).toEqual(["/", "/OSD", "/OSD/Windows 11"]);
    const e = lib.add(commandSequence(1), { folder: "/OSD" });
    lib.move(e.packageId, "OSD/Windows 11");
    expect(lib.list("/OSD/Windows 11")).toHaveLength(1);
    expectCode(() => lib.move(e.packageId, "/Nope"), "NotFound");
    expectCode(() => lib.deleteFolder("/OSD"), "InvalidOperation");
    expectCode(() => lib.createFolder("/a/../b"), "InvalidArgument");
    lib.delete(e.packageId);
    lib.deleteFolder("/OSD/Windows 11");
    expect(lib.folders()).toEqual(["/", "/OSD"]);
    expectCode(() => lib.get(e.packageId), "NotFound");
  });

  it("refuses to delete a sequence another one runs as a child", () => {
    const lib = createTaskSequenceLibrary();
    const child = lib.add(commandSequence(1, "Child"));
    lib.add(createSequence([createStep("SMS_TaskSequence_SubTasksequence", { TsPackageID: child.packageId }, { name: "Run child" })], { name: "Parent" }));
    expectCode(() => lib.delete(child.packageId), "InvalidOperation");
  });

  it("validates properties: run time, sizes, run-first program, platforms, high-impact text", () => {
    const lib = createTaskSequenceLibrary();
    const { packageId } = lib.add(commandSequence(1));
    const p = lib.setProperties(packageId, {
      restartRequired: true,
      downloadSizeMb: 4200,
      estimatedRunTimeMinutes: 90,
      runFirst: { packageId: "PS100050", program: "Prep", alwaysRun: false },
      maxRunTimeMinutes: 0,
      platforms: ["Windows 11 x64"],
      highImpact: true,
      highImpactText: { title: "Upgrade", message: "Save your work.", confirmation: "I understand" },
    }).properties;
    expect(p.maxRunTimeMinutes).toBe(0);
    expect(p.runFirst?.alwaysRun).toBe(false);
    expectCode(() => lib.setProperties(packageId, { maxRunTimeMinutes: -1 }), "InvalidArgument");
    expectCode(() => lib.setProperties(packageId, { maxRunTimeMinutes: 1.5 }), "InvalidArgument");
    expectCode(() => lib.setProperties(packageId, { downloadSizeMb: -3 }), "InvalidArgument");
    expectCode(() => lib.setProperties(packageId, { platforms: [] }), "InvalidArgument");
    expectCode(() => lib.setProperties(packageId, { runFirst: { packageId: "", program: "x", alwaysRun: true } }), "InvalidArgument");
    const long = "x".repeat(MAX_HIGH_IMPACT_TEXT + 1);
    expectCode(() => lib.setProperties(packageId, { highImpactText: { title: long, message: "m", confirmation: "c" } }), "InvalidArgument");
    expectCode(() => lib.setProperties(packageId, { highImpactText: { title: "t", message: "", confirmation: "c" } }), "InvalidArgument");
    expect(lib.setProperties(packageId, { highImpactText: { title: "x".repeat(255), message: "m", confirmation: "c" } }).properties.highImpactText?.title).toHaveLength(255);
    expectCode(() => lib.setProperties(packageId, { highImpact: false }), "InvalidArgument");
  });

  it("rejects duplicate and malformed package IDs and a bad site code", () => {
    const lib = createTaskSequenceLibrary();
    lib.add(commandSequence(1), { packageId: "ABC00001" });
    expectCode(() => lib.add(commandSequence(1), { packageId: "abc00001" }), "InvalidOperation");
    expectCode(() => lib.add(commandSequence(1), { packageId: "TOO-LONG-ID" }), "InvalidArgument");
    expectCode(() => createTaskSequenceLibrary({ siteCode: "toolong" }), "InvalidArgument");
  });
});
