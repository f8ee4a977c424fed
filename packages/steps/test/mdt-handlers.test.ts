import { describe, expect, it } from "vitest";
import {
  actionCommandHandler,
  applyOperatingSystemHandler,
  commandPathHandler,
  createBuiltinHandlers,
  createGatherHandler,
  createMdtPowerShellHandler,
  formatPartitionDiskHandler,
  injectDriversHandler,
  installOsHandler,
  mdtInstallApplicationHandler,
  RUN_SCRIPT_STEP_TYPE,
  validateHandler,
} from "../src/index.js";
import { createSimulatedDevice } from "@taskseq/device";
import { device, run } from "./helpers.js";

const gather = createGatherHandler();

describe("BDD_Gather local properties on every example profile", () => {
  const expected: Record<string, Record<string, string>> = {
    "dell-latitude-5440": { Make: "Dell Inc.", Model: "Latitude 5440", SerialNumber: "8H3KQV3", IsLaptop: "True", IsDesktop: "False", IsVM: "False", IsUEFI: "True", IsOnBattery: "False", Memory: "16384", MacAddress001: "6C:3C:8C:5A:11:2F", DefaultGateway001: "10.10.20.1", OSInstalled: "True" },
    "dell-optiplex-7010-bios": { Make: "Dell Inc.", Model: "OptiPlex 7010", IsLaptop: "False", IsDesktop: "True", IsUEFI: "False", Memory: "8192", MacAddress001: "18:03:73:B2:4E:9A", DefaultGateway001: "192.168.10.1" },
    "hp-elitebook-840-g10": { Make: "HP", SerialNumber: "5CG3271BXZ", IsLaptop: "True", IsUEFI: "True", Memory: "32768", OSVersion: "WinPE", OSInstalled: "False", MacAddress001: "64:4E:D7:2A:6C:10" },
    "hyperv-gen2-vm": { Make: "Microsoft Corporation", Model: "Virtual Machine", IsVM: "True", IsDesktop: "True", IsLaptop: "False", MacAddress001: "00:15:5D:0A:64:21" },
    "lenovo-thinkpad-t14-gen4": { Make: "LENOVO", Model: "21HD0053US", IsLaptop: "True", IsOnBattery: "True", DefaultGateway001: "10.10.44.1" },
    "microsoft-surface-pro-9": { Make: "Microsoft Corporation", Model: "Surface Pro 9", IsLaptop: "True", IsDesktop: "False", DefaultGateway001: "192.168.0.1" },
  };
  it("lists only IP-enabled adapters, without link-local addresses or duplicates (ZTIGather GetNetworkInfo)", async () => {
    const d = device("hp-elitebook-840-g10", (p) => ({
      ...p,
      networkAdapters: [
        { description: "LAN", macAddress: "64:4e:d7:2a:6c:10", connected: true, wireless: false, ipAddresses: ["10.10.30.77", "169.254.1.9"], defaultGateways: ["10.10.30.1"], dhcpEnabled: true },
        { description: "Wi-Fi", macAddress: "D4:D8:53:91:0E:2B", connected: false, wireless: true, ipAddresses: [], defaultGateways: [], dhcpEnabled: true },
        { description: "VPN", macAddress: "02:00:4C:4F:4F:50", connected: true, wireless: false, ipAddresses: ["10.10.30.77"], defaultGateways: ["10.10.30.1"], dhcpEnabled: false },
      ],
    }));
    const r = await run(gather, { device: d, settings: { GatherLocalOnly: "true" } });
    expect([r.get("MacAddress001"), r.get("MacAddress002"), r.get("MacAddress003")]).toEqual(["64:4E:D7:2A:6C:10", "02:00:4C:4F:4F:50", undefined]);
    expect([r.get("IPAddress001"), r.get("IPAddress002")]).toEqual(["10.10.30.77", undefined]);
    expect([r.get("DefaultGateway001"), r.get("DefaultGateway002")]).toEqual(["10.10.30.1", undefined]);
  });

  for (const [name, props] of Object.entries(expected)) {
    it(name, async () => {
      const r = await run(gather, { device: device(name), settings: { GatherLocalOnly: "true" } });
      expect(r.result.exitCode).toBe(0);
      for (const [k, v] of Object.entries(props)) expect(r.get(k), k).toBe(v);
      expect(r.get("Architecture")).toMatch(/^X(86|64)$/);
      expect(r.get("UUID")).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i);
    });
  }
});

describe("BDD_Gather rules", () => {
  const ini = "[Settings]\nPriority=Model, Default\nProperties=Site\n[Latitude 5440]\nSite=LAB\nApplications001={A}\n[Default]\nSite=HQ\nOSInstall=Y\nSkipWizard=YES\n_SMSTSORGNAME=Contoso\n";

  it("processes the rules file on the device and writes lists as 001", async () => {
    const d = device("dell-latitude-5440");
    await d.files.write("C:\\Deploy\\Control\\CustomSettings.ini", ini);
    const r = await run(gather, { device: d, settings: { GatherLocalOnly: "false" }, vars: { DeployRoot: "C:\\Deploy" } });
    expect(r.result.exitCode).toBe(0);
    expect(r.get("Site")).toBe("LAB");
    expect(r.get("OSInstall")).toBe("Y");
    expect(r.get("Applications001")).toBe("{A}");
    expect(r.get("_SMSTSOrgName")).toBe("Contoso");
    expect(r.logs.some((l) => l.startsWith("V Property Site ignored from [Default]"))).toBe(true);
  });

  it("keeps values already in the task sequence environment (first value wins across the environment)", async () => {
    const rules = "[Settings]\nPriority=Default\n[Default]\nOSDComputerName=PC-%SerialNumber%\nApplications001={rules-app}\nSkipWizard=YES\n";
    const r = await run(createGatherHandler({ customSettings: rules }), { device: device("dell-latitude-5440"), vars: { OSDComputerName: "KEEP01", Applications001: "{ts-app}" } });
    expect(r.result.exitCode).toBe(0);
    expect(r.get("OSDComputerName")).toBe("KEEP01");
    expect([r.get("Applications001"), r.get("Applications002")]).toEqual(["{ts-app}", "{rules-app}"]);
    expect(r.get("SkipWizard")).toBe("YES");
  });

  it("selects sections by the value of a task sequence variable named in Priority", async () => {
    const rules = "[Settings]\nPriority=TaskSequenceID, Default\n[Default]\nX=default\n[W10-X64]\nX=from-ts\n[TaskSequenceID]\nX=literal\n";
    const r = await run(createGatherHandler({ customSettings: rules }), { device: device("dell-latitude-5440"), vars: { TaskSequenceID: "W10-X64" } });
    expect(r.get("X")).toBe("from-ts");
  });

  it("uses the customSettings option and a named rules file; fails without rules", async () => {
    const viaOption = await run(createGatherHandler({ customSettings: ini }), { device: device("dell-latitude-5440"), settings: {} });
    expect(viaOption.get("SkipWizard")).toBe("YES");
    const d = device("dell-latitude-5440");
    await d.files.write("C:\\rules\\cs.ini", "[Settings]\nPriority=Default\n[Default]\nX=1\n");
    expect((await run(gather, { device: d, settings: { RulesFile: "C:\\rules\\cs.ini" } })).get("X")).toBe("1");
    expect((await run(gather, { device: device("dell-latitude-5440"), settings: {} })).result.error?.code).toBe("ContentNotFound");
  });

  it("refuses #...# expressions with ScriptUnsupported (50)", async () => {
    const r = await run(createGatherHandler({ customSettings: '[Settings]\nPriority=Default\n[Default]\nOSDComputerName=#Left("%SerialNumber%",7)#' }), { device: device("dell-latitude-5440") });
    expect(r.result).toMatchObject({ exitCode: 50, error: { code: "ScriptUnsupported" } });
  });
});

describe("BDD_Validate", () => {
  it("exits 0 when all checks pass, 1 when one fails, and never skips a check", async () => {
    const ok = await run(validateHandler, { device: device("dell-latitude-5440"), settings: { ImageSize: "0", ImageProcessorSpeed: "800", ImageMemory: "768", VerifyOS: "CLIENT" } });
    expect(ok.result.exitCode).toBe(0);
    const bad = await run(validateHandler, { device: device("dell-latitude-5440"), settings: { ImageMemory: "999999", ImageProcessorSpeed: "99999", VerifyOS: "SERVER" } });
    expect(bad.result.exitCode).toBe(1);
    expect(bad.logs.filter((l) => l.startsWith("E Validate")).length).toBe(3);
    expect((await run(validateHandler, { device: device("dell-latitude-5440"), settings: { VerifyOS: "MAC" } })).result.exitCode).toBe(87);
  });
});

describe("BDD_InstallOS, BDD_InjectDrivers, BDD_InstallApplication", () => {
  const layout = { PartitionStyle: "GPT", GPTBootDisk: "true", Partitions0Type: "Primary", Partitions0FileSystem: "NTFS", Partitions0VolumeLetterVariable: "OSDisk" };

  it("installs the OS by variable and injects drivers", async () => {
    const d = device("hp-elitebook-840-g10");
    const fmt = await run(formatPartitionDiskHandler, { device: d, settings: layout });
    const vars = { OSDisk: fmt.get("OSDisk") ?? "" };
    const r = await run(installOsHandler, { device: d, settings: { OSGUID: "CM100012", DestinationOSInstallType: "ByVariable", DestinationOSVariable: "OSDisk" }, vars });
    expect(r.result.exitCode).toBe(0);
    expect(r.get("OSDTargetSystemDrive")).toBe(vars.OSDisk);
    expect((await run(injectDriversHandler, { device: d, settings: { DriverSelectionProfile: "All Drivers", DriverInjectionMode: "AUTO" }, vars: { OSDTargetSystemDrive: vars.OSDisk } })).result.exitCode).toBe(0);
    expect((await run(injectDriversHandler, { device: d, settings: { DriverSelectionProfile: "Nothing" } })).result.exitCode).toBe(0);
    expect((await run(injectDriversHandler, { device: d, settings: { DriverSelectionProfile: "All Drivers" } })).result.exitCode).toBe(87);
  });

  it("fails for an unknown OSGUID and a bad install type", async () => {
    expect((await run(installOsHandler, { device: device("hp-elitebook-840-g10"), settings: { OSGUID: "{missing}" } })).result.error?.code).toBe("ContentNotFound");
    expect((await run(installOsHandler, { device: device("hp-elitebook-840-g10"), settings: { OSGUID: "CM100012", DestinationOSInstallType: "Sideways" } })).result.exitCode).toBe(87);
  });

  it("installs the application list and checks ApplicationSuccessCodes", async () => {
    const r = await run(mdtInstallApplicationHandler, { device: device("dell-latitude-5440"), vars: { Applications001: "7-Zip 23.01 (x64)" } });
    expect(r.result.exitCode).toBe(0);
    const bad = await run(mdtInstallApplicationHandler, { device: device("dell-latitude-5440"), settings: { ApplicationGUID: "{no-such-app}" } });
    expect(bad.result.succeeded).toBe(false);
    expect((await run(mdtInstallApplicationHandler, { device: device("dell-latitude-5440"), settings: { ApplicationSuccessCodes: "zero" } })).result.exitCode).toBe(87);
  });
});

describe("BDD_RunPowerShellAction, untyped and unknown steps", () => {
  it("runs a script from the scripts folder with Bypass and fails for a missing one", async () => {
    const d = device("dell-latitude-5440");
    await d.files.write("C:\\Deploy\\Scripts\\Set-Flag.ps1", "param($Value)\n$ts = New-Object -ComObject Microsoft.SMS.TSEnvironment\n$ts.Value('Flag') = $Value");
    const r = await run(createMdtPowerShellHandler(), { device: d, settings: { ScriptName: "Set-Flag.ps1", Parameters: "-Value on" }, vars: { DeployRoot: "C:\\Deploy" } });
    expect(r.result.exitCode).toBe(0);
    expect(r.get("Flag")).toBe("on");
    expect((await run(createMdtPowerShellHandler(), { device: d, settings: { ScriptName: "Nope.ps1" }, vars: { DeployRoot: "C:\\Deploy" } })).result.error?.code).toBe("ContentNotFound");
  });

  it("runs the <action> of an untyped step with %VAR% expansion and fails on an empty action", async () => {
    const r = await run(actionCommandHandler, { device: device("dell-latitude-5440"), step: { type: "", action: "cmd /c exit %Code%" }, vars: { Code: "4" } });
    expect(r.result.exitCode).toBe(4);
    expect((await run(actionCommandHandler, { device: device("dell-latitude-5440"), step: { type: "BDD_InstallRoles" } })).result.exitCode).toBe(87);
  });

  it("the command path runs only what the device knows: no action, or a command without a rule, is UnsupportedStep (50), never success (§22.3 rule 3)", async () => {
    const roles = { type: "BDD_InstallRoles", action: 'cscript.exe "%SCRIPTROOT%\\ZTIOSRole.wsf"' };
    const unknown = await run(commandPathHandler, { device: device("dell-latitude-5440"), step: roles });
    expect(unknown.result).toMatchObject({ exitCode: 50, error: { code: "UnsupportedStep" } });
    expect((await run(commandPathHandler, { device: device("dell-latitude-5440"), step: { type: "Contoso_CustomAction" } })).result).toMatchObject({ exitCode: 50, error: { code: "UnsupportedStep" } });
    expect((await run(commandPathHandler, { device: device("dell-latitude-5440"), step: { type: "Contoso_CustomAction", action: "cmd /c exit 3" } })).result.exitCode).toBe(3);
    const ruled = device("dell-latitude-5440");
    const known = createSimulatedDevice({ ...ruled.snapshot(), commands: [{ match: "ZTIOSRole\\.wsf", exitCode: 0 }] });
    expect((await run(commandPathHandler, { device: known, step: roles })).result.exitCode).toBe(0);
    // The untyped MDT step is Run Command Line: an unmatched command answers with the device's unmatched exit code.
    expect((await run(actionCommandHandler, { device: device("dell-latitude-5440"), step: { type: "", action: "contoso.exe /do" } })).result.exitCode).toBe(0);
  });

  it("the registry holds every handler and falls back to the command path", () => {
    const registry = createBuiltinHandlers();
    expect(registry.types()).toEqual(expect.arrayContaining(["BDD_Gather", "SMS_TaskSequence_UpgradeOperatingSystemAction", RUN_SCRIPT_STEP_TYPE, ""]));
    expect(registry.get("BDD_InstallRoles")).toBe(commandPathHandler);
    expect(registry.get("Contoso_CustomAction")).toBe(commandPathHandler);
    expect(registry.get("")).toBe(actionCommandHandler);
    expect(registry.get("sms_tasksequence_rebootaction")).toBe(registry.get("SMS_TaskSequence_RebootAction"));
    registry.register("BDD_InstallRoles", applyOperatingSystemHandler);
    expect(registry.get("BDD_InstallRoles")).toBe(applyOperatingSystemHandler);
  });
});
