import { describe, expect, it } from "vitest";
import { parsePackageObject } from "@taskseq/xml";
import { createSequence, createStep } from "@taskseq/model";
import { createContentCatalog, referencedContent } from "@taskseq/site";
import { expectCode, readCorpus } from "./helpers.js";

const installPackage = (id: string) => createSequence([createStep("SMS_TaskSequence_InstallSoftwareAction", { PackageID: id, ProgramName: "Install" }, { name: `Install ${id}` })], { name: "Apps" });

describe("content catalog", () => {
  it("finds the references of a real ConfigMgr export (corpus 001) and names every broken one", () => {
    const object = parsePackageObject(readCorpus("001_cm-export-object-RSC002A6.xml"));
    const ids = referencedContent(object.sequence).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(0);
    const catalog = createContentCatalog();
    const message = expectCode(() => catalog.requireReferences(object.sequence), "ReferenceBroken");
    for (const id of new Set(ids)) expect(message).toContain(id);
    for (const id of new Set(ids)) catalog.add({ id, kind: "package", name: id });
    expect(catalog.requireReferences(object.sequence).length).toBe(new Set(ids.map((i) => i.toUpperCase())).size);
  });

  it("uses the newest version of a referenced object automatically", () => {
    const catalog = createContentCatalog();
    catalog.add({ id: "PS100100", kind: "package", name: "Tools" });
    catalog.update("PS100100", { sizeMb: 12 });
    const [tools] = catalog.requireReferences(installPackage("PS100100"));
    expect(tools?.version).toBe(2);
    expect(tools?.sizeMb).toBe(12);
  });

  it("pulls application dependencies and distributes them with the application", () => {
    const catalog = createContentCatalog();
    catalog.add({ id: "APP_VCREDIST", kind: "application", name: "VC++" });
    catalog.add({ id: "APP_OFFICE", kind: "application", name: "Office", dependencies: ["APP_VCREDIST"] });
    const seq = { ...createSequence([]), references: [{ application: "APP_OFFICE" }] };
    expect(catalog.resolve(seq).map((r) => [r.id, r.via])).toEqual([
      ["APP_OFFICE", "reference list"],
      ["APP_VCREDIST", "dependency of Office"],
    ]);
    catalog.addDistributionPoint("DP01");
    catalog.addDistributionPoint("DP02");
    catalog.addDistributionPointGroup("All DPs", ["DP01", "DP02"]);
    catalog.distribute(["APP_OFFICE"], { groups: ["All DPs"] });
    expect(catalog.distributionPointsOf("APP_VCREDIST")).toEqual(["DP01", "DP02"]);
    expectCode(() => catalog.distribute(["APP_OFFICE"], { points: ["DP99"] }), "NotFound");
    expectCode(() => catalog.addDistributionPointGroup("G", ["DP99"]), "NotFound");
    catalog.remove("APP_VCREDIST");
    expectCode(() => catalog.requireReferences(seq), "ReferenceBroken");
  });

  it("ignores references held in variables and rejects duplicates", () => {
    const catalog = createContentCatalog();
    expect(referencedContent(installPackage("%PKG%"))).toEqual([]);
    catalog.add({ id: "X1", kind: "boot-image", name: "Boot x64", architecture: "x64" });
    expectCode(() => catalog.add({ id: "x1", kind: "package", name: "dup" }), "InvalidOperation");
    expectCode(() => catalog.add({ id: "", kind: "package", name: "n" }), "InvalidArgument");
  });
});
