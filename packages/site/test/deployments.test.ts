import { describe, expect, it } from "vitest";
import { createSequence, createStep } from "@taskseq/model";
import { createSite, mayRun, offeredDeploymentOptions, precacheContent, verifyHighRisk, DEFAULT_HIGH_RISK_SETTINGS, MAX_DEBUG_COLLECTION_MEMBERS } from "@taskseq/site";
import type { DeploymentSettings, MaintenanceWindow, SiteDevice } from "@taskseq/site";
import { commandSequence, expectCode, osdSite } from "./helpers.js";

describe("deployment options (the documentation's three examples)", () => {
  it("example 1: an OS deployment available to media and PXE offers only download on demand", () => {
    const { site, packageId, collection } = osdSite(3);
    const content = site.contentFor(packageId);
    expect(offeredDeploymentOptions("clients-media-pxe", content)).toEqual(["download-on-demand"]);
    const msg = expectCode(() => site.deploy({ taskSequence: packageId, collection, purpose: "available", makeAvailableTo: "clients-media-pxe", deploymentOption: "download-all-first" }), "DeploymentInvalid");
    expect(msg).toContain("media and PXE");
    expect(site.deploy({ taskSequence: packageId, collection, purpose: "available", makeAvailableTo: "clients-media-pxe" }).id).toMatch(/^PS1/);
  });

  it("example 2: the same sequence for clients only offers two options", () => {
    const { site, packageId, collection } = osdSite(3);
    expect(offeredDeploymentOptions("clients", site.contentFor(packageId))).toEqual(["download-on-demand", "download-all-first"]);
    const msg = expectCode(() => site.deploy({ taskSequence: packageId, collection, purpose: "available", deploymentOption: "run-from-dp" }), "DeploymentInvalid");
    expect(msg).toContain("package share");
  });

  it("example 3: script packages that all use a package share, no boot image: clients only, three options", () => {
    const site = createSite();
    ["PS100S01", "PS100S02"].forEach((id) => site.content.add({ id, kind: "package", name: `Scripts ${id}`, packageShare: true }));
    const steps = ["PS100S01", "PS100S02"].map((id) => createStep("SMS_TaskSequence_InstallSoftwareAction", { PackageID: id, ProgramName: "Run" }, { name: `Install ${id}` }));
    const entry = site.library.add(createSequence(steps, { name: "Admin scripts" }));
    site.directory.addCollection({ id: "PS1000C2", name: "Servers", type: "device" });
    expect(offeredDeploymentOptions("clients", site.contentFor(entry.packageId))).toEqual(["download-on-demand", "download-all-first", "run-from-dp"]);
    expectCode(() => site.deploy({ taskSequence: entry.packageId, collection: "PS1000C2", purpose: "available", makeAvailableTo: "media-pxe" }), "DeploymentInvalid");
    expect(site.deploy({ taskSequence: entry.packageId, collection: "PS1000C2", purpose: "available", deploymentOption: "run-from-dp" }).warnings.join(" ")).toContain("PS100S01, PS100S02");
    site.content.addDistributionPoint("DP01");
    site.content.distribute(["PS100S01", "PS100S02"], { points: ["DP01"] });
    expect(site.deploy({ taskSequence: entry.packageId, collection: "PS1000C2", purpose: "available", deploymentOption: "run-from-dp" }).warnings).toEqual([]);
  });
});

describe("high-risk deployments", () => {
  const members = (n: number, extra: Partial<SiteDevice> = {}): SiteDevice[] => Array.from({ length: n }, (_, i) => ({ id: `D${i}`, name: `D${i}`, ...extra }));
  const custom = { id: "PS100099", name: "Custom", type: "device" as const, builtIn: false, variablePriority: 1 };

  it("the documentation's example: default size 100, maximum 1000", () => {
    const settings = { ...DEFAULT_HIGH_RISK_SETTINGS, defaultSize: 100, maximumSize: 1000 };
    expect(verifyHighRisk(settings, { collection: custom, members: members(99), highRisk: true }).warnings).toEqual([]);
    expectCode(() => verifyHighRisk(settings, { collection: custom, members: members(500), highRisk: true }), "HighRiskBlocked");
    const shown = verifyHighRisk(settings, { collection: custom, members: members(500), highRisk: true, hideLargeCollections: false, acknowledged: true });
    expect(shown.warnings.join(" ")).toContain("500 members");
    expectCode(() => verifyHighRisk(settings, { collection: custom, members: members(500), highRisk: true, hideLargeCollections: false }), "HighRiskBlocked");
    expectCode(() => verifyHighRisk(settings, { collection: custom, members: members(1500), highRisk: true, hideLargeCollections: false, acknowledged: true }), "HighRiskBlocked");
  });

  it("site systems block or warn; servers warn; built-in collections other than All Unknown Computers are refused", () => {
    expectCode(() => verifyHighRisk({ ...DEFAULT_HIGH_RISK_SETTINGS, siteSystems: "block" }, { collection: custom, members: members(2, { siteSystem: true }), highRisk: true, acknowledged: true }), "HighRiskBlocked");
    expect(verifyHighRisk(DEFAULT_HIGH_RISK_SETTINGS, { collection: custom, members: members(1, { siteSystem: true }), highRisk: true, acknowledged: true }).warnings[0]).toContain("site system");
    expectCode(() => verifyHighRisk(DEFAULT_HIGH_RISK_SETTINGS, { collection: custom, members: members(1, { server: true }), highRisk: true }), "HighRiskBlocked");
    const allSystems = { ...custom, id: "SMS00001", name: "All Systems", builtIn: true };
    expectCode(() => verifyHighRisk(DEFAULT_HIGH_RISK_SETTINGS, { collection: allSystems, members: [], highRisk: true }), "HighRiskBlocked");
    const unknown = { ...custom, id: "SMS000US", name: "All Unknown Computers", builtIn: true };
    expect(verifyHighRisk(DEFAULT_HIGH_RISK_SETTINGS, { collection: unknown, members: members(3), highRisk: true }).highRisk).toBe(true);
    expect(verifyHighRisk(DEFAULT_HIGH_RISK_SETTINGS, { collection: allSystems, members: [], highRisk: false }).highRisk).toBe(false);
  });

  it("a required OS deployment to a large collection is blocked through the site, and audited when agreed", () => {
    const { site, packageId, collection } = osdSite(150);
    const required = { taskSequence: packageId, collection, purpose: "required" as const, assignments: [{ type: "asap" as const }] };
    expectCode(() => site.deploy(required), "HighRiskBlocked");
    const d = site.deploy({ ...required, hideLargeCollections: false, acknowledgeHighRisk: true });
    expect(d.highRisk).toBe(true);
    expect(site.audit().map((a) => a.kind)).toContain("high-risk-deployment");
    expect(site.deploy({ taskSequence: packageId, collection, purpose: "available" }).highRisk).toBe(false);
    expectCode(() => createSite({ highRisk: { defaultSize: 100, maximumSize: 50, siteSystems: "warn" } }), "InvalidArgument");
  });
});

describe("deployment rules", () => {
  const base = () => {
    const site = createSite();
    const entry = site.library.add(commandSequence(2));
    site.directory.addCollection({ id: "PS1000C1", name: "Pilot", type: "device" });
    return { site, ts: entry.packageId, collection: "PS1000C1" };
  };

  it("invalid combinations are DeploymentInvalid with a clear message", () => {
    const { site, ts, collection } = base();
    const cases: [Parameters<typeof site.deploy>[0], string][] = [
      [{ taskSequence: ts, collection, purpose: "required" }, "at least one assignment"],
      [{ taskSequence: ts, collection, purpose: "available", assignments: [{ type: "asap" }] }, "no assignment schedule"],
      [{ taskSequence: ts, collection, purpose: "available", available: { at: "2026-03-05T00:00" }, expires: { at: "2026-03-01T00:00" } }, "expires"],
      [{ taskSequence: ts, collection, purpose: "required", expires: { at: "2026-03-01T00:00" }, assignments: [{ type: "time", schedule: { at: "2026-03-02T00:00" } }] }, "after the deployment expires"],
      [{ taskSequence: ts, collection, purpose: "available", sendWakeUpPackets: true }, "required deployments"],
      [{ taskSequence: ts, collection, purpose: "required", precache: true, assignments: [{ type: "asap" }] }, "Pre-download"],
      [{ taskSequence: ts, collection, purpose: "available", makeAvailableTo: "media-pxe-hidden" }, "boot image"],
      // Settings from JSON or JavaScript: a value outside the type is named, not silently taken.
      [{ taskSequence: ts, collection, purpose: "available", rerun: "sometimes" as never }, 'Rerun behaviour "sometimes" is not one of'],
      [{ taskSequence: ts, collection, purpose: "available", makeAvailableTo: "everyone" as never }, 'Make available to "everyone" is not one of'],
      [{ taskSequence: ts, collection, purpose: "available", deploymentOption: "stream" as never }, 'Deployment option "stream" is not one of'],
      [{ taskSequence: ts, collection, purpose: "required", assignments: [{ type: "daily" } as never] }, 'Assignment type "daily" is not one of'],
    ];
    for (const [settings, text] of cases) expect(expectCode(() => site.deploy(settings), "DeploymentInvalid")).toContain(text);
  });

  it("malformed assignments and schedule times from JSON are typed errors, never a TypeError", () => {
    const { site, ts, collection } = base();
    const required = (assignments: unknown) => () => site.deploy({ taskSequence: ts, collection, purpose: "required", assignments: assignments as never });
    expect(expectCode(required([{ type: "time" }]), "DeploymentInvalid")).toContain("needs a schedule");
    expect(expectCode(required([{ type: "time", schedule: null }]), "DeploymentInvalid")).toContain("needs a schedule");
    expect(expectCode(required([null]), "DeploymentInvalid")).toContain("Assignment type undefined is not one of");
    expect(expectCode(required("asap"), "DeploymentInvalid")).toContain("list of assignment schedules");
    expect(expectCode(() => site.deploy({ taskSequence: ts, collection, purpose: "available", available: "2026-03-01T00:00" as never }), "InvalidArgument")).toContain("{ at, utc? }");
    expect(site.deployments()).toEqual([]);
  });

  it("refuses user collections, broken references and disabled children; a disabled sequence deploys with a warning", () => {
    const { site, ts, collection } = base();
    site.directory.addCollection({ id: "USERS1", name: "Users", type: "user" });
    expectCode(() => site.deploy({ taskSequence: ts, collection: "USERS1", purpose: "available" }), "DeploymentInvalid");
    const broken = site.library.add(createSequence([createStep("SMS_TaskSequence_InstallSoftwareAction", { PackageID: "PS1MISS1", ProgramName: "x" }, { name: "Missing" })]));
    expect(expectCode(() => site.deploy({ taskSequence: broken.packageId, collection, purpose: "available" }), "ReferenceBroken")).toContain("PS1MISS1");
    const parent = site.library.add(createSequence([createStep("SMS_TaskSequence_SubTasksequence", { TsPackageID: ts }, { name: "Child" })]));
    site.library.setEnabled(ts, false);
    expectCode(() => site.deploy({ taskSequence: parent.packageId, collection, purpose: "available" }), "ChildDisabled");
    expect(site.deploy({ taskSequence: ts, collection, purpose: "available" }).warnings.join(" ")).toContain("disabled");
    site.library.setEnabled(ts, true);
    site.content.add({ id: "PS100B01", kind: "boot-image", name: "Boot" });
    site.library.setProperties(ts, { bootImageId: "PS100B01" });
    expect(expectCode(() => site.deploy({ taskSequence: parent.packageId, collection, purpose: "available" }), "DeploymentInvalid")).toContain("boot image");
    const orphan = site.library.add(createSequence([createStep("SMS_TaskSequence_SubTasksequence", { TsPackageID: "PS1GONE1" }, { name: "Child" })]));
    expectCode(() => site.deploy({ taskSequence: orphan.packageId, collection, purpose: "available" }), "ReferenceBroken");
  });

  it("warns when every maintenance window is shorter than the maximum run time, and about schedules WinPE ignores", () => {
    const { site, ts, collection } = base();
    site.directory.addDevice({ id: "PC01", name: "PC01" });
    site.directory.addMembers(collection, ["PC01"]);
    site.directory.addMaintenanceWindow(collection, { name: "Short", schedule: { at: "2026-03-01T01:00" }, durationMinutes: 60 });
    const d = site.deploy({ taskSequence: ts, collection, purpose: "required", assignments: [{ type: "asap" }] });
    expect(d.warnings.join(" ")).toContain("shorter than the maximum allowed run time");
    site.library.setProperties(ts, { maxRunTimeMinutes: 0 });
    expect(site.deploy({ taskSequence: ts, collection, purpose: "required", assignments: [{ type: "asap" }] }).warnings).toEqual([]);
  });

  describe("maintenance windows that never fit the maximum run time (120 minutes)", () => {
    const daily = (name: string, time: string, minutes: number, appliesTo?: MaintenanceWindow["appliesTo"]): MaintenanceWindow => ({
      name,
      schedule: { at: `2026-03-02T${time}`, recurrence: { type: "custom", every: 1, unit: "days" } },
      durationMinutes: minutes,
      ...(appliesTo === undefined ? {} : { appliesTo }),
    });
    /** PC01 and PC02 are members of the target (Pilot); only PC01 is also in Servers. */
    const twoCollections = () => {
      const { site, ts, collection } = base();
      site.directory.addCollection({ id: "PS1000C2", name: "Servers", type: "device" });
      ["PC01", "PC02"].forEach((id) => site.directory.addDevice({ id, name: id }));
      site.directory.addMembers(collection, ["PC01", "PC02"]);
      site.directory.addMembers("PS1000C2", ["PC01"]);
      return { site, ts, collection };
    };
    const required = { purpose: "required" as const, assignments: [{ type: "asap" as const }] };
    const windowWarning = (warnings: readonly string[]): string | undefined => warnings.find((w) => w.includes("maximum allowed run time"));

    it("judges each member by the windows of all its collections and by window type", () => {
      const other = twoCollections();
      other.site.directory.addMaintenanceWindow("PS1000C2", daily("Servers", "01:00", 60));
      expect(windowWarning(other.site.deploy({ taskSequence: other.ts, collection: other.collection, ...required }).warnings)).toContain("On 1 member device(s) of Pilot (PC01)");

      const typed = twoCollections();
      typed.site.directory.addMaintenanceWindow(typed.collection, daily("General", "12:00", 240));
      typed.site.directory.addMaintenanceWindow("PS1000C2", daily("Task sequences", "01:00", 60, "task-sequences"));
      // PC02 has only the 240-minute general window; PC01's 60-minute task-sequence window replaces it.
      expect(windowWarning(typed.site.deploy({ taskSequence: typed.ts, collection: typed.collection, ...required }).warnings)).toContain("(PC01)");
    });

    it("does not warn where the sequence starts: joined overlapping windows, outside-window installs, available deployments", () => {
      const overlap = twoCollections();
      overlap.site.directory.addMaintenanceWindow(overlap.collection, daily("A", "06:00", 90));
      overlap.site.directory.addMaintenanceWindow("PS1000C2", daily("B", "07:00", 90));
      // PC01: 06:00-08:30 (150 minutes); PC02: 90 minutes only.
      expect(windowWarning(overlap.site.deploy({ taskSequence: overlap.ts, collection: overlap.collection, ...required }).warnings)).toContain("On 1 member device(s) of Pilot (PC02)");

      const short = twoCollections();
      short.site.directory.addMaintenanceWindow(short.collection, daily("Short", "01:00", 60));
      const deploy = (settings: Partial<DeploymentSettings>) => short.site.deploy({ taskSequence: short.ts, collection: short.collection, ...required, ...settings } as DeploymentSettings);
      expect(windowWarning(deploy({}).warnings)).toContain("(PC01, PC02)");
      expect(windowWarning(deploy({ userExperience: { softwareInstallationOutsideWindow: true } }).warnings)).toBeUndefined();
      expect(windowWarning(deploy({ purpose: "available", assignments: [] }).warnings)).toBeUndefined();
      expect(windowWarning(deploy({ purpose: "debug", assignments: [] }).warnings)).toBeUndefined();
    });

    it("looks only at windows between availability and expiry", () => {
      const { site, ts, collection } = twoCollections();
      site.directory.addMaintenanceWindow(collection, { name: "Once", schedule: { at: "2026-03-05T01:00" }, durationMinutes: 180 });
      const deploy = (expires: string) => site.deploy({ taskSequence: ts, collection, ...required, available: { at: "2026-03-01T00:00" }, expires: { at: expires } });
      expect(windowWarning(deploy("2026-03-04T00:00").warnings)).toContain("(PC01, PC02)");
      expect(windowWarning(deploy("2026-03-06T00:00").warnings)).toBeUndefined();
    });
  });

  it("keeps deployments, blocks deleting a deployed sequence, saves templates without scheduling and pre-download", () => {
    const { site, ts, collection } = base();
    const settings = {
      taskSequence: ts,
      collection,
      purpose: "available" as const,
      available: { at: "2026-03-01T00:00" },
      precache: true,
      comment: "pilot",
      userExperience: { showProgress: false, softwareInstallationOutsideWindow: true },
    };
    const d = site.deploy(settings);
    expectCode(() => site.deleteTaskSequence(ts), "InvalidOperation");
    const t = site.saveTemplate("Pilot", settings);
    expect(t).toEqual({ collection, purpose: "available", comment: "pilot", userExperience: { showProgress: false } });
    expect(site.template("Pilot")).toBe(t);
    expectCode(() => site.template("Nope"), "NotFound");
    expect(site.deploy({ ...site.template("Pilot"), taskSequence: ts }).settings.comment).toBe("pilot");
    site.deployments(ts).forEach((x) => site.deleteDeployment(x.id));
    expectCode(() => site.deployment(d.id), "NotFound");
    site.deleteTaskSequence(ts);
  });

  it("rerun behaviour rules and pre-cache of the matching OS upgrade package", () => {
    expect([mayRun("never", "failed"), mayRun("always", "success"), mayRun("if-failed", "failed"), mayRun("if-failed", "success"), mayRun("if-succeeded", "success"), mayRun("if-succeeded", "failed")]).toEqual([false, true, true, false, true, false]);
    expect(mayRun("never", undefined)).toBe(true);
    expect(mayRun("never", "success", true)).toBe(true);
    const pkgs = [
      { id: "U1", kind: "os-upgrade-package" as const, name: "x64 en-US", architecture: "x64" as const, language: "en-US", version: 1 },
      { id: "U2", kind: "os-upgrade-package" as const, name: "x64 de-DE", architecture: "x64" as const, language: "de-DE", version: 1 },
      { id: "U3", kind: "os-upgrade-package" as const, name: "arm64 en-US", architecture: "arm64" as const, language: "en-US", version: 1 },
      { id: "P1", kind: "package" as const, name: "Tools", version: 1 },
    ];
    expect(precacheContent(pkgs, { architecture: "x64", language: "en-us" }).map((p) => p.id)).toEqual(["U1", "P1"]);
  });
});

describe("debug deployments (execution.md §11.1)", () => {
  const lab = (members: number) => {
    const site = createSite();
    const entry = site.library.add(commandSequence(2));
    site.directory.addCollection({ id: "PS1000D1", name: "Debug lab", type: "device" });
    const ids = Array.from({ length: members }, (_, i) => `DBG${i + 1}`);
    ids.forEach((id) => site.directory.addDevice({ id, name: id }));
    site.directory.addMembers("PS1000D1", ids);
    return { site, ts: entry.packageId, collection: "PS1000D1" };
  };

  it("a debug deployment targets a collection of at most 10 members", () => {
    const ok = lab(MAX_DEBUG_COLLECTION_MEMBERS);
    const d = ok.site.deploy({ taskSequence: ok.ts, collection: ok.collection, purpose: "debug" });
    expect(d.settings.purpose).toBe("debug");
    expect(d.highRisk).toBe(false);
    const big = lab(MAX_DEBUG_COLLECTION_MEMBERS + 1);
    let error: unknown;
    try {
      big.site.deploy({ taskSequence: big.ts, collection: big.collection, purpose: "debug" });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: "DeploymentInvalid", details: { collection: "PS1000D1", members: 11, limit: 10 } });
    expect((error as Error).message).toContain("at most 10 members");
    expect(big.site.deployments()).toEqual([]);
    expect(big.site.deploy({ taskSequence: big.ts, collection: big.collection, purpose: "available" }).settings.purpose).toBe("available");
  });

  it("a debug deployment has no assignment schedule; an unknown purpose is refused", () => {
    const { site, ts, collection } = lab(2);
    expect(expectCode(() => site.deploy({ taskSequence: ts, collection, purpose: "debug", assignments: [{ type: "asap" }] }), "DeploymentInvalid")).toContain("A debug deployment has no assignment schedule");
    expect(expectCode(() => site.deploy({ taskSequence: ts, collection, purpose: "Debug" as never }), "DeploymentInvalid")).toContain("available, required, debug");
  });
});

describe("collection variable conflicts (variables.md §7)", () => {
  it("warns when collections of the same priority define the same variable; the ID that sorts last wins", () => {
    const site = createSite();
    const entry = site.library.add(commandSequence(1));
    for (const [id, priority] of [["PS1000AA", 5], ["ps1000zz", 5], ["PS1000HI", 9], ["PS1000LO", 1], ["PS1000L2", 1]] as const) {
      site.directory.addCollection({ id, name: id, type: "device", variablePriority: priority });
    }
    ["PC1", "PC2", "PC3"].forEach((id) => site.directory.addDevice({ id, name: id }));
    for (const c of ["PS1000AA", "ps1000zz", "PS1000HI", "PS1000LO", "PS1000L2"]) site.directory.addMembers(c, ["PC1", "PC2"]);
    site.directory.addMembers("PS1000AA", ["PC3"]);
    site.directory.setCollectionVariable("PS1000AA", "Tie", "AA");
    site.directory.setCollectionVariable("ps1000zz", "TIE", "ZZ");
    // A higher priority decides Pri: the tie at priority 1 does not matter.
    site.directory.setCollectionVariable("PS1000HI", "Pri", "HI");
    site.directory.setCollectionVariable("PS1000LO", "Pri", "LO");
    site.directory.setCollectionVariable("PS1000L2", "Pri", "L2");
    expect(site.directory.variableConflicts()).toEqual([{ name: "TIE", priority: 5, collections: ["PS1000AA", "ps1000zz"], winner: "ps1000zz", devices: ["PC1", "PC2"] }]);
    expect(site.directory.variableConflicts(["PC3"])).toEqual([]);
    const d = site.deploy({ taskSequence: entry.packageId, collection: "PS1000AA", purpose: "available" });
    expect(d.warnings).toEqual([
      "Collections PS1000AA, ps1000zz have the same variable priority (5) and all define TIE for 2 member device(s) of PS1000AA; ps1000zz, the collection ID that sorts last, wins.",
    ]);
    site.directory.setVariablePriority("ps1000zz", 6);
    expect(site.deploy({ taskSequence: entry.packageId, collection: "PS1000AA", purpose: "available" }).warnings).toEqual([]);
  });
});
