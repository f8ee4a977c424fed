import { describe, expect, it } from "vitest";
import { createSequence } from "@taskseq/model";
import { createClientHistory, createFleetDevices, createInProcessExecutor, createSite, fleetMatrix, profilePlatform, renderFleetHtml, runFleet } from "@taskseq/site";
import type { FleetDevice, FleetExecutor, FleetJob } from "@taskseq/site";
import { createSimulatedDevice } from "@taskseq/device";
import { createEngine } from "@taskseq/engine";
import { createBuiltinHandlers } from "@taskseq/steps";
import { commandSequence, commandStep, expectCode, loadProfile } from "./helpers.js";

const at = (iso: string): number => Date.parse(`${iso}Z`);

function fleetSite(count: number, sequence = commandSequence(3)) {
  const site = createSite();
  const entry = site.library.add(sequence);
  site.directory.addCollection({ id: "PS1000C1", name: "Lab", type: "device" });
  const devices = createFleetDevices([loadProfile("dell-latitude-5440.json"), loadProfile("microsoft-surface-pro-9.json")], count, { namePrefix: "LAB" });
  devices.forEach((f) => site.directory.addDevice(f.device));
  site.directory.addMembers("PS1000C1", devices.map((f) => f.device.id));
  return { site, ts: entry.packageId, devices };
}

/** An executor that records jobs and delegates to the in-process one. */
function recording(): { executor: FleetExecutor; jobs: FleetJob[] } {
  const jobs: FleetJob[] = [];
  const inner = createInProcessExecutor();
  return { jobs, executor: (batch) => (jobs.push(...batch), inner(batch)) };
}

describe("fleet devices", () => {
  it("draws devices from the profiles, each with its own serial number, MAC and name", () => {
    const devices = createFleetDevices([loadProfile(), loadProfile("hp-elitebook-840-g10.json")], 50, { namePrefix: "PC" });
    for (const key of ["name", "macAddress", "serialNumber"] as const) expect(new Set(devices.map((d) => d.device[key])).size).toBe(50);
    expect(new Set(devices.map((d) => d.profile.hardware.uuid)).size).toBe(50);
    expect(devices[0]?.device.name).toBe("PC0001");
    expect(devices[1]?.profile.hardware.manufacturer).toBe("HP");
    expect(devices[0]?.profile.networkAdapters?.[0]?.macAddress).toBe(devices[0]?.device.macAddress);
    expectCode(() => createFleetDevices([], 1), "InvalidArgument");
    expectCode(() => createFleetDevices([loadProfile()], 0), "InvalidArgument");
    expectCode(() => createFleetDevices([loadProfile()], 100_000, { namePrefix: "ABCDEFGHIJ" }), "InvalidArgument");
    expectCode(() => createFleetDevices([{ ...loadProfile(), hardware: undefined } as never], 1), "ProfileInvalid");
  });
});

describe("fleet runs", () => {
  it("runs an available deployment once per device and reports the device × step matrix", async () => {
    const { site, ts, devices } = fleetSite(4);
    const d = site.deploy({ taskSequence: ts, collection: "PS1000C1", purpose: "available", available: { at: "2026-03-02T09:00", utc: true } });
    const history = createClientHistory();
    const result = await runFleet(site, d.id, { devices, from: at("2026-03-01T00:00"), until: at("2026-03-08T00:00"), userStartDelayMinutes: 30, history });
    expect(result.summary).toEqual({ success: 4, failed: 0, "restart-pending": 0, "not-started": 0 });
    expect(result.devices.every((x) => x.startedAt === at("2026-03-02T09:30") && x.runs === 1)).toBe(true);
    const m = fleetMatrix(result);
    expect(m.steps.map((s) => s.name)).toEqual(["Step 1", "Step 2", "Step 3"]);
    expect(m.rows.map((r) => r.outcomes.join())).toEqual(Array(4).fill("success,success,success"));
    expect(history.of("LAB0001").map((r) => [r.kind, r.status])).toEqual([["run", "success"]]);
  });

  it("each run carries the site's code for _SMSTSSiteCode", async () => {
    const { site, ts, devices } = fleetSite(1);
    const d = site.deploy({ taskSequence: ts, collection: "PS1000C1", purpose: "available", available: { at: "2026-03-02T09:00", utc: true } });
    const { executor, jobs } = recording();
    await runFleet(site, d.id, { devices, from: at("2026-03-01T00:00"), until: at("2026-03-08T00:00"), userStartDelayMinutes: 30, executor });
    expect(jobs[0]?.runOptions.site).toEqual({ siteCode: site.siteCode, downloadOnDemand: true, runFromDistributionPoint: false });
  });

  it("runs carry _SMSTSUserStarted and the deployment's content mode (builtin-variables.md §1)", async () => {
    const { site, ts, devices } = fleetSite(1);
    const cases = [
      [{ purpose: "available" }, true, "true", "false"],
      [{ purpose: "required", assignments: [{ type: "asap" }], deploymentOption: "download-all-first" }, false, "false", "false"],
      [{ purpose: "required", assignments: [{ type: "asap" }], deploymentOption: "run-from-dp", userExperience: { allowUserRunIndependently: true } }, false, "false", "true"],
    ] as const;
    for (const [settings, userStarted, onDemand, fromDp] of cases) {
      const d = site.deploy({ taskSequence: ts, collection: "PS1000C1", ...settings });
      const { executor, jobs } = recording();
      await runFleet(site, d.id, { devices, from: at("2026-03-01T00:00"), until: at("2026-03-02T00:00"), executor, maxRunsPerDevice: 1 });
      const job = jobs[0] as FleetJob;
      expect(job.runOptions.userStarted).toBe(userStarted);
      const result = await createEngine({ handlers: createBuiltinHandlers(), device: createSimulatedDevice(job.profile) }).run(job.sequence, job.runOptions);
      expect([result.variables["_SMSTSUserStarted"], result.variables["_SMSTSDownloadOnDemand"], result.variables["_SMSTSRunFromDP"]]).toEqual([String(userStarted), onDemand, fromDp]);
    }
  });

  it("a debug deployment runs like an available one, in debug mode: paused before its first instruction until the debugger quits", async () => {
    const { site, ts, devices } = fleetSite(2);
    const d = site.deploy({ taskSequence: ts, collection: "PS1000C1", purpose: "debug", available: { at: "2026-03-02T09:00", utc: true } });
    const { executor, jobs } = recording();
    const result = await runFleet(site, d.id, { devices, from: at("2026-03-01T00:00"), until: at("2026-03-08T00:00"), executor });
    expect(result.summary.success).toBe(2);
    expect(result.devices.every((x) => x.runs === 1 && x.startedAt === at("2026-03-02T09:00"))).toBe(true);
    expect(jobs.map((j) => [j.debug, j.runOptions.userStarted, j.runOptions.maxRunTimeEnforcement])).toEqual([
      [true, true, "monitorOnly"],
      [true, true, "monitorOnly"],
    ]);
    const pauses: string[] = [];
    const driven = createInProcessExecutor({
      debugDriver: async (session) => {
        const stop = await session.stopped();
        if (stop.kind === "paused") pauses.push(`${stop.pause.reason}:${stop.pause.location.name}`);
        const next = await session.step();
        if (next.kind === "paused") pauses.push(`${next.pause.reason}:${next.pause.location.name}`);
        return session.quit();
      },
    });
    const debugged = await runFleet(site, d.id, { devices: devices.slice(0, 1), from: at("2026-03-01T00:00"), until: at("2026-03-08T00:00"), executor: driven });
    expect(debugged.devices[0]?.status).toBe("success");
    expect(debugged.devices[0]?.steps.map((s) => s.outcome)).toEqual(["success", "success", "success"]);
    expect(pauses).toEqual(["start:Step 1", "step:Step 2"]);
  });

  it("reports failures per step and per device, and in the HTML page", async () => {
    const { site, ts, devices } = fleetSite(3);
    const failing: FleetDevice[] = devices.map((f, i) => (i === 1 ? { ...f, profile: { ...f.profile, unmatchedCommandExitCode: 5 } } : f));
    const d = site.deploy({ taskSequence: ts, collection: "PS1000C1", purpose: "available" });
    const result = await runFleet(site, d.id, { devices: failing, from: at("2026-03-01T00:00"), until: at("2026-03-02T00:00") });
    expect(result.devices.map((x) => x.status)).toEqual(["success", "failed", "success"]);
    expect(fleetMatrix(result).rows[1]?.outcomes).toEqual(["failed", "not-run", "not-run"]);
    const html = renderFleetHtml(result);
    expect(html).toContain('<td class="failed"');
    expect(html).toContain("LAB0002");
  });

  it("required deployments wait for a maintenance window that fits the maximum run time, in each device's local time", async () => {
    const { site, ts, devices } = fleetSite(2);
    site.directory.addMaintenanceWindow("PS1000C1", { name: "Night", schedule: { at: "2026-03-01T01:00", recurrence: { type: "custom", every: 1, unit: "days" } }, durationMinutes: 180 });
    const west = { ...devices[1]!, device: { ...devices[1]!.device, timeZoneBias: 480 } };
    site.directory.addDevice(west.device);
    const d = site.deploy({ taskSequence: ts, collection: "PS1000C1", purpose: "required", rerun: "never", assignments: [{ type: "time", schedule: { at: "2026-03-02T10:00", utc: true } }] });
    const result = await runFleet(site, d.id, { devices: [devices[0]!, west], from: at("2026-03-01T00:00"), until: at("2026-03-08T00:00") });
    expect(result.devices.map((x) => new Date(x.startedAt ?? 0).toISOString())).toEqual(["2026-03-03T01:00:00.000Z", "2026-03-02T10:00:00.000Z"]);

    site.library.setProperties(ts, { maxRunTimeMinutes: 240 });
    const never = await runFleet(site, d.id, { devices: [devices[0]!], from: at("2026-03-01T00:00"), until: at("2026-03-08T00:00") });
    expect(never.devices[0]?.status).toBe("not-started");
    expect(never.devices[0]?.reason).toContain("240 minutes");

    const outside = site.deploy({ taskSequence: ts, collection: "PS1000C1", purpose: "required", assignments: [{ type: "asap" }], userExperience: { softwareInstallationOutsideWindow: true } });
    const now = await runFleet(site, outside.id, { devices: [devices[0]!], from: at("2026-03-02T12:00"), until: at("2026-03-03T00:00") });
    expect(now.devices[0]?.startedAt).toBe(at("2026-03-02T12:00"));
  });

  it("a device keeps to the windows of all its collections, by type, and can't span back-to-back windows", async () => {
    const { site, ts, devices } = fleetSite(2);
    site.directory.addCollection({ id: "PS1000C2", name: "Servers", type: "device" });
    site.directory.addMembers("PS1000C2", [devices[0]!.device.id]);
    const daily = (at: string, durationMinutes: number, appliesTo?: "task-sequences") => ({
      name: at,
      schedule: { at: `2026-03-01T${at}`, utc: true, recurrence: { type: "custom" as const, every: 1, unit: "days" as const } },
      durationMinutes,
      ...(appliesTo === undefined ? {} : { appliesTo }),
    });
    site.directory.addMaintenanceWindow("PS1000C1", daily("13:00", 240));
    site.directory.addMaintenanceWindow("PS1000C2", daily("22:00", 60, "task-sequences"));
    site.directory.addMaintenanceWindow("PS1000C2", daily("23:00", 60, "task-sequences"));
    const d = site.deploy({ taskSequence: ts, collection: "PS1000C1", purpose: "required", assignments: [{ type: "asap" }] });
    const result = await runFleet(site, d.id, { devices, from: at("2026-03-02T00:00"), until: at("2026-03-09T00:00") });
    // The first device's task-sequence windows (22:00-23:00, 23:00-24:00) replace the general one and are too short apart.
    expect(result.devices.map((x) => [x.status, x.startedAt === undefined ? undefined : new Date(x.startedAt).toISOString()])).toEqual([
      ["not-started", undefined],
      ["success", "2026-03-02T13:00:00.000Z"],
    ]);
    expect(d.warnings.join(" ")).toContain(`(${devices[0]!.device.id})`);
  });

  it("recurring assignments follow the rerun behaviour", async () => {
    const { site, ts, devices } = fleetSite(2);
    const failing = devices.map((f, i) => (i === 1 ? { ...f, profile: { ...f.profile, unmatchedCommandExitCode: 1 } } : f));
    const weekly = { type: "time" as const, schedule: { at: "2026-03-02T08:00", utc: true, recurrence: { type: "weekly" as const, everyWeeks: 1, day: 1 as const } } };
    const runs = async (rerun: "never" | "always" | "if-failed" | "if-succeeded") => {
      const d = site.deploy({ taskSequence: ts, collection: "PS1000C1", purpose: "required", rerun, assignments: [weekly] });
      const r = await runFleet(site, d.id, { devices: failing, from: at("2026-03-01T00:00"), until: at("2026-03-29T00:00") });
      return r.devices.map((x) => x.runs);
    };
    expect(await runs("never")).toEqual([1, 1]);
    expect(await runs("always")).toEqual([4, 4]);
    expect(await runs("if-failed")).toEqual([1, 4]);
    expect(await runs("if-succeeded")).toEqual([4, 1]);
    const capped = site.deploy({ taskSequence: ts, collection: "PS1000C1", purpose: "required", rerun: "always", assignments: [weekly] });
    const r = await runFleet(site, capped.id, { devices: failing, from: at("2026-03-01T00:00"), until: at("2026-03-29T00:00"), maxRunsPerDevice: 2 });
    expect(r.devices.map((x) => x.runs)).toEqual([2, 2]);
  });

  it("disabled sequences and expired deployments do not start; history records why", async () => {
    const { site, ts, devices } = fleetSite(1);
    const d = site.deploy({ taskSequence: ts, collection: "PS1000C1", purpose: "available", expires: { at: "2026-03-01T12:00", utc: true } });
    const history = createClientHistory();
    const late = await runFleet(site, d.id, { devices, from: at("2026-03-01T00:00"), until: at("2026-03-02T00:00"), userStartDelayMinutes: 13 * 60, history });
    expect(late.devices[0]?.status).toBe("not-started");
    site.library.setEnabled(ts, false);
    const off = await runFleet(site, d.id, { devices, from: at("2026-03-01T00:00"), until: at("2026-03-02T00:00"), history });
    expect(off.devices[0]?.reason).toContain("disabled");
    expect(history.of("LAB0001").map((r) => r.kind)).toEqual(["not-started", "not-started"]);
  });

  it("passes collection and device variables, the run time limit and the run-first program once per client", async () => {
    const { site, ts, devices } = fleetSite(1, createSequence([commandStep("Show", "cmd /c echo %Ring% %Secret%")], { name: "Vars" }));
    site.directory.setCollectionVariable("PS1000C1", "Ring", "pilot");
    site.directory.setDeviceVariable("LAB0001", "Secret", "hunter2-value", { secret: true });
    site.content.add({ id: "PS100P01", kind: "package", name: "Prep" });
    site.library.setProperties(ts, { runFirst: { packageId: "PS100P01", program: "Prep", alwaysRun: false }, maxRunTimeMinutes: 30 });
    const { executor, jobs } = recording();
    const history = createClientHistory();
    const d = site.deploy({ taskSequence: ts, collection: "PS1000C1", purpose: "required", assignments: [{ type: "time", schedule: { at: "2026-03-02T08:00", utc: true, recurrence: { type: "custom", every: 1, unit: "days" } } }] });
    const result = await runFleet(site, d.id, { devices, from: at("2026-03-02T00:00"), until: at("2026-03-05T00:00"), executor, history, variables: { Extra: "1" } });
    expect(jobs).toHaveLength(3);
    expect(jobs[0]?.runOptions.maxRunTimeMinutes).toBe(30);
    expect(jobs[0]?.runOptions.maxRunTimeEnforcement).toBe("stop");
    expect(jobs[0]?.runOptions.variables?.collections?.[0]?.variables).toEqual([{ name: "Ring", value: "pilot" }]);
    expect(jobs[0]?.runOptions.variables?.runtime).toEqual({ Extra: "1" });
    expect(jobs[0]?.profile.clock?.start).toBe("2026-03-02T08:00:00.000Z");
    expect(history.of("LAB0001").filter((r) => r.kind === "run-first-program")).toHaveLength(1);
    expect(renderFleetHtml(result) + JSON.stringify(result)).not.toContain("hunter2-value");
  });

  it("runs only on the platforms the sequence allows (installed Windows; Windows PE is not restricted)", async () => {
    const { site, ts, devices } = fleetSite(2);
    const pe = createFleetDevices([loadProfile("hyperv-gen2-vm.json")], 1, { namePrefix: "PE" });
    site.directory.addDevice(pe[0]!.device);
    site.directory.addMembers("PS1000C1", [pe[0]!.device.id]);
    expect(profilePlatform(devices[0]!.profile)).toBe("Windows 11 x64");
    expect(profilePlatform(pe[0]!.profile)).toBeUndefined();
    site.library.setProperties(ts, { platforms: ["Windows 10 x64"] });
    const d = site.deploy({ taskSequence: ts, collection: "PS1000C1", purpose: "available" });
    const result = await runFleet(site, d.id, { devices: [devices[0]!, pe[0]!], from: at("2026-03-01T00:00"), until: at("2026-03-02T00:00") });
    expect(result.devices.map((x) => x.status)).toEqual(["not-started", "success"]);
    expect(result.devices[0]?.reason).toContain("Windows 11 x64");
  });

  it("refuses devices outside the collection and an empty period", async () => {
    const { site, ts, devices } = fleetSite(1);
    const d = site.deploy({ taskSequence: ts, collection: "PS1000C1", purpose: "available" });
    const stranger = createFleetDevices([loadProfile()], 1, { namePrefix: "OUT" });
    await expect(runFleet(site, d.id, { devices: stranger, from: 0, until: 1 })).rejects.toMatchObject({ code: "InvalidArgument" });
    await expect(runFleet(site, d.id, { devices, from: 5, until: 5 })).rejects.toMatchObject({ code: "InvalidArgument" });
  });

  it("refuses a period without a start or an end: a recurring assignment would run forever", async () => {
    const { site, ts, devices } = fleetSite(1);
    const d = site.deploy({ taskSequence: ts, collection: "PS1000C1", purpose: "required", assignments: [{ type: "time", schedule: { at: "2026-03-01T00:00", recurrence: { type: "custom", every: 1, unit: "hours" } } }] });
    await expect(runFleet(site, d.id, { devices, from: at("2026-03-01T00:00"), until: Number.POSITIVE_INFINITY })).rejects.toMatchObject({ code: "InvalidArgument" });
    const available = site.deploy({ taskSequence: ts, collection: "PS1000C1", purpose: "available" });
    await expect(runFleet(site, available.id, { devices, from: Number.NEGATIVE_INFINITY, until: at("2026-03-01T00:00") })).rejects.toMatchObject({ code: "InvalidArgument" });
  });

  it("reads each device's time zone from the site's record, as its windows and variables", async () => {
    const { site, ts, devices } = fleetSite(1);
    // The administrator moves the device to Pacific time after drawing the fleet: the fleet's copy still has no bias.
    site.directory.addDevice({ ...devices[0]!.device, timeZoneBias: 480 });
    site.directory.addMaintenanceWindow("PS1000C1", { name: "Night", schedule: { at: "2026-03-01T01:00", recurrence: { type: "custom", every: 1, unit: "days" } }, durationMinutes: 180 });
    const d = site.deploy({ taskSequence: ts, collection: "PS1000C1", purpose: "required", assignments: [{ type: "asap" }] });
    const result = await runFleet(site, d.id, { devices, from: at("2026-03-02T00:00"), until: at("2026-03-04T00:00") });
    expect(new Date(result.devices[0]?.startedAt ?? 0).toISOString()).toBe("2026-03-02T09:00:00.000Z");
  });
});
