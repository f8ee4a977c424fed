import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createSimulatedDevice, defaultDeviceProfile, type DeviceProfile } from "@taskseq/device";
import { createEngine, type EngineEvent } from "@taskseq/engine";
import { isTaskSeqError } from "@taskseq/model";
import { parseSequenceXml } from "@taskseq/xml";
import {
  actionCommandHandler,
  commandPathHandler,
  createBuiltinHandlers,
  liteTouchStart,
  mdtScriptOf,
  nextPhase,
  nextPhaseHandler,
  runCommandLineHandler,
} from "../src/index.js";
import { run } from "./helpers.js";

const NEXT_PHASE_ACTION = 'cscript.exe "%SCRIPTROOT%\\ZTINextPhase.wsf"';

/** The default simulated device running the installed OS on its first disk. */
const fullOsProfile: DeviceProfile = {
  ...defaultDeviceProfile,
  os: { ...defaultDeviceProfile.os, running: "FullOS", installed: { caption: "Windows 11 Enterprise", version: "10.0.22631.3447", drive: "C:" } },
  disks: [{ index: 0, sizeBytes: 136_365_211_648, busType: "SCSI", partitionStyle: "GPT", partitions: [{ type: "Primary", sizeBytes: 136_000_000_000, fileSystem: "NTFS", driveLetter: "C:" }] }],
};

describe("ZTINextPhase.wsf emulation", () => {
  it("nextPhase follows the script's table: the OSD branch, the end after STATERESTORE, exact comparison", () => {
    const table: [string, string, string | undefined][] = [
      ["VALIDATION", "UNC", "STATECAPTURE"],
      ["STATECAPTURE", "UNC", "PREINSTALL"],
      ["PREINSTALL", "UNC", "INSTALL"],
      ["PREINSTALL", "MEDIA", "INSTALL"],
      ["PREINSTALL", "", "INSTALL"],
      ["PREINSTALL", "OSD", "POSTINSTALL"],
      ["PREINSTALL", "osd", "INSTALL"],
      ["INSTALL", "OSD", "POSTINSTALL"],
      ["POSTINSTALL", "UNC", "STATERESTORE"],
      ["STATERESTORE", "UNC", ""],
      ["validation", "UNC", undefined],
      ["CUSTOM", "UNC", undefined],
      ["", "UNC", undefined],
      [" INSTALL", "UNC", undefined],
    ];
    for (const [phase, method, next] of table) expect(nextPhase(phase, method), `${phase}/${method}`).toBe(next);
  });

  it("an untyped Next Phase step changes PHASE in the environment and runs nothing on the device", async () => {
    const sim = createSimulatedDevice();
    const step = { type: "", action: NEXT_PHASE_ACTION };
    const r = await run(actionCommandHandler, { device: sim, step, vars: { PHASE: "PREINSTALL", DeploymentMethod: "OSD", SCRIPTROOT: "X:\\Deploy\\Scripts" } });
    expect(r.result).toEqual({ exitCode: 0 });
    expect(r.get("PHASE")).toBe("POSTINSTALL");
    expect(r.logs).toEqual(['I ZTINextPhase: PHASE PREINSTALL -> POSTINSTALL (DeploymentMethod "OSD").', "I ZTINextPhase emulated by the SDK (not run on the device); return value 0."]);
    expect(sim.history.filter((e) => e.kind === "command")).toEqual([]);

    const last = await run(actionCommandHandler, { device: sim, step, vars: { PHASE: "STATERESTORE" } });
    expect([last.result.exitCode, last.get("PHASE")]).toEqual([0, undefined]);
    const other = await run(actionCommandHandler, { device: sim, step, vars: { PHASE: "Custom" } });
    expect([other.result.exitCode, other.get("PHASE")]).toEqual([0, "Custom"]);
    expect(other.logs[0]).toContain('PHASE "Custom" is not a Lite Touch phase');
  });

  it("every command step that runs the script is emulated: the command path (smsswd /run: form) and Run Command Line", async () => {
    const viaCommandPath = await run(commandPathHandler, {
      device: createSimulatedDevice(),
      step: { type: "Contoso_Phase", action: 'smsswd.exe /run: cscript.exe "%DeployRoot%\\Scripts\\ZTINextPhase.wsf"' },
      vars: { PHASE: "VALIDATION" },
    });
    expect([viaCommandPath.result.exitCode, viaCommandPath.get("PHASE")]).toEqual([0, "STATECAPTURE"]);
    const viaRunCommandLine = await run(runCommandLineHandler, {
      device: createSimulatedDevice(),
      type: "SMS_TaskSequence_RunCommandLineAction",
      settings: { CommandLine: 'cscript.exe //nologo "C:\\_SMSTaskSequence\\WDPackage\\Scripts\\ztinextphase.WSF"', PackageID: "CM100001" },
      vars: { PHASE: "INSTALL" },
    });
    expect([viaRunCommandLine.result.exitCode, viaRunCommandLine.get("PHASE")]).toEqual([0, "POSTINSTALL"]);
    const direct = await run(nextPhaseHandler, { type: "Contoso_NextPhase", vars: { PHASE: "POSTINSTALL" } });
    expect([direct.result.exitCode, direct.get("PHASE")]).toEqual([0, "STATERESTORE"]);
  });

  it("mdtScriptOf names the script of cscript and wscript command lines only", () => {
    expect(mdtScriptOf(NEXT_PHASE_ACTION)).toBe("ZTINextPhase");
    expect(mdtScriptOf('smsswd.exe /run:CM100001 cscript.exe "%DeployRoot%\\Scripts\\ZTIGather.wsf" /localonly')).toBe("ZTIGather");
    expect(mdtScriptOf('"C:\\Windows\\System32\\wscript.exe" //B X:\\Deploy\\Scripts\\LiteTouch.wsf')).toBe("LiteTouch");
    expect(mdtScriptOf('cmd /c cscript.exe "%SCRIPTROOT%\\ZTINextPhase.wsf"')).toBeUndefined();
    expect(mdtScriptOf('cscript.exe "%SCRIPTROOT%\\ZTINextPhase.vbs"')).toBeUndefined();
    expect(mdtScriptOf("cscript.exe")).toBeUndefined();
    expect(mdtScriptOf("")).toBeUndefined();
  });
});

describe("Lite Touch start", () => {
  it("in Windows PE without media: PREINSTALL, NEWCOMPUTER, UNC, added to the run-time layer", async () => {
    const start = await liteTouchStart(createSimulatedDevice(), { runtime: { OSDComputerName: "PC01" } });
    expect(start.set).toEqual({ PHASE: "PREINSTALL", DeploymentType: "NEWCOMPUTER", DeploymentMethod: "UNC" });
    expect(start.variables).toEqual({ runtime: { OSDComputerName: "PC01", PHASE: "PREINSTALL", DeploymentType: "NEWCOMPUTER", DeploymentMethod: "UNC" } });
    expect([start.inWinPE, start.mediaDrive]).toEqual([true, undefined]);
  });

  it("in the full OS with media: VALIDATION, REFRESH, MEDIA (over a given method, as the script does)", async () => {
    // Lite Touch media: a USB drive whose volume holds \Deploy\Scripts\Media.tag.
    const usb = { index: 1, sizeBytes: 32_000_000_000, busType: "USB", partitionStyle: "MBR", partitions: [{ type: "Primary", sizeBytes: 31_000_000_000, fileSystem: "FAT32", driveLetter: "E:" }] } as const;
    const sim = createSimulatedDevice({ ...fullOsProfile, disks: [...fullOsProfile.disks, usb], files: { "E:\\Deploy\\Scripts\\Media.tag": { content: "" } } });
    const start = await liteTouchStart(sim, { runtime: { DeploymentMethod: "UNC" } });
    expect(start.set).toEqual({ PHASE: "VALIDATION", DeploymentType: "REFRESH", DeploymentMethod: "MEDIA" });
    expect(start.variables.runtime).toEqual({ DeploymentMethod: "MEDIA", PHASE: "VALIDATION", DeploymentType: "REFRESH" });
    expect([start.inWinPE, start.mediaDrive]).toEqual([false, "E:"]);
  });

  it("fills only empty values: given values win in every layer, with the engine's precedence", async () => {
    const sim = createSimulatedDevice();
    const givenPhase = await liteTouchStart(sim, { runtime: { phase: "STATECAPTURE", deploymentmethod: "OSD" }, device: [{ name: "DeploymentType", value: "replace" }] });
    expect(givenPhase.set).toEqual({});
    const givenType = await liteTouchStart(sim, { collections: [{ id: "C1", priority: 1, variables: [{ name: "DeploymentType", value: "REFRESH" }] }] });
    expect(givenType.set).toEqual({ PHASE: "PREINSTALL", DeploymentMethod: "UNC" });
    // Media variables replace collection and device variables; a run-time empty value deletes.
    const media = await liteTouchStart(sim, { device: [{ name: "DeploymentType", value: "REFRESH" }], media: [{ name: "DeploymentType", value: "CUSTOM" }] });
    expect(media.set).toEqual({ PHASE: "PREINSTALL", DeploymentMethod: "UNC" });
    const emptied = await liteTouchStart(sim, { device: [{ name: "PHASE", value: "INSTALL" }], runtime: { Phase: "" } });
    expect(emptied.set).toEqual({ PHASE: "PREINSTALL", DeploymentType: "NEWCOMPUTER", DeploymentMethod: "UNC" });
  });

  it("refuses a deployment type Lite Touch does not start with (InvalidSetting), also an empty one", async () => {
    const sim = createSimulatedDevice();
    const bad = await liteTouchStart(sim, { runtime: { DeploymentType: "UPGRADE" } }).catch((e: unknown) => e);
    expect(isTaskSeqError(bad, "InvalidSetting")).toBe(true);
    expect(bad).toMatchObject({ details: { variable: "DeploymentType", value: "UPGRADE" } });
    const padded = await liteTouchStart(sim, { runtime: { DeploymentType: " REFRESH" } }).catch((e: unknown) => e);
    expect(isTaskSeqError(padded, "InvalidSetting")).toBe(true);
    const noType = await liteTouchStart(sim, { runtime: { PHASE: "STATECAPTURE" } }).catch((e: unknown) => e);
    expect(noType).toMatchObject({ code: "InvalidSetting", details: { value: "" } });
    await expect(liteTouchStart({}, {})).rejects.toMatchObject({ code: "AdapterMissing" });
  });
});

describe("corpus 019 (MDT Standard Client template) with the Lite Touch start", () => {
  const xml = readFileSync(new URL("../../../../shared/corpus/019_mdt-template-Client.xml", import.meta.url), "utf8");

  /** The default simulated device with what the template's steps need: its OS in the content catalogue, rules for its two command-path scripts. */
  const profile: DeviceProfile = {
    ...defaultDeviceProfile,
    content: { images: [{ id: "{d51fbf12-8904-4b63-a5a3-25c74412c8aa}", name: "Windows 11", sizeBytes: 5_368_709_120, indexes: [{ index: 1, caption: "Microsoft Windows 11 Enterprise", version: "10.0.22631.2428", edition: "Enterprise", sizeBytes: 19_327_352_832 }] }] },
    commands: [{ match: "ZTIPatches\\.wsf|ZTIDomainJoin\\.wsf", exitCode: 0 }],
  };

  it("runs the phase groups in order: Preinstall, Install, Postinstall, a restart, State Restore", async () => {
    const sequence = parseSequenceXml(xml).sequence;
    const device = createSimulatedDevice(profile);
    const events: EngineEvent[] = [];
    const engine = createEngine({ device, handlers: createBuiltinHandlers(), onEvent: (e) => void events.push(e) });
    const result = await engine.run(sequence, { variables: (await liteTouchStart(device)).variables });
    expect(result.status).toBe("success");
    const groupOf = (path: string): string => sequence.items[Number(path.split(".")[0])]?.name ?? path;
    const ran = events.flatMap((e) => (e.type === "step-started" ? [groupOf(e.path)] : [])).filter((g, i, all) => g !== all[i - 1]);
    expect(ran).toEqual(["Initialization", "Preinstall", "Install", "Postinstall", "State Restore"]);
    expect(events.flatMap((e) => (e.type === "step-skipped" && e.item === "group" && !e.path.includes(".") ? [e.name] : []))).toEqual(["Validation", "State Capture"]);
    expect(events.flatMap((e) => (e.type === "variable-changed" && e.name.toUpperCase() === "PHASE" ? [e.value] : []))).toEqual(["INSTALL", "POSTINSTALL", "STATERESTORE"]);
    expect(result.steps.filter((s) => s.name === "Next Phase").map((s) => [s.path, s.outcome])).toEqual([
      ["1.2", "skipped-condition"],
      ["2.5", "skipped-condition"],
      ["3.8", "success"],
      ["4.1", "success"],
      ["5.4", "success"],
    ]);
    expect(result.restarts).toBe(1);
    expect(device.history.some((e) => e.kind === "command" && /ZTINextPhase/i.test(e.detail))).toBe(false);
  });
});
