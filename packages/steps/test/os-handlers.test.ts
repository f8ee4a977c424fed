import { describe, expect, it } from "vitest";
import {
  applyDataImageHandler,
  applyDriverPackageHandler,
  applyNetworkSettingsHandler,
  applyOperatingSystemHandler,
  applyWindowsSettingsHandler,
  autoApplyDriversHandler,
  captureNetworkSettingsHandler,
  captureSystemImageHandler,
  captureUserStateHandler,
  captureWindowsSettingsHandler,
  convertDiskHandler,
  disableBitLockerHandler,
  enableBitLockerHandler,
  formatPartitionDiskHandler,
  installDeploymentToolsHandler,
  prepareConfigMgrClientHandler,
  prepareWindowsHandler,
  preProvisionBitLockerHandler,
  releaseStateStoreHandler,
  requestStateStoreHandler,
  restoreUserStateHandler,
  setupWindowsConfigMgrHandler,
  upgradeOperatingSystemHandler,
} from "../src/index.js";
import { device, run, uefiLayout } from "./helpers.js";

const laptop = () => device("dell-latitude-5440");
const pe = () => device("hp-elitebook-840-g10");


describe("Format and Partition Disk", () => {
  it("partitions the disk and writes the drive-letter variable", async () => {
    const d = pe();
    const r = await run(formatPartitionDiskHandler, { device: d, settings: uefiLayout });
    expect(r.result.exitCode).toBe(0);
    expect(r.get("OSDisk")).toMatch(/^[C-W]:$/);
    const disk = (await d.disks.listDisks())[0];
    expect(disk?.partitionStyle).toBe("GPT");
    expect(disk?.partitions.map((p) => p.type)).toEqual(["EFI", "MSR", "Primary"]);
  });

  it("fails on a too-small disk, a missing disk and outside Windows PE", async () => {
    expect((await run(formatPartitionDiskHandler, { device: pe(), settings: { ...uefiLayout, Partitions2Size: "9999999", Partitions2SizeUnits: "GB" } })).result.exitCode).toBe(87);
    expect((await run(formatPartitionDiskHandler, { device: pe(), settings: { ...uefiLayout, DiskIndex: "7" } })).result.exitCode).toBe(87);
    expect((await run(formatPartitionDiskHandler, { device: laptop(), settings: uefiLayout })).result.error?.code).toBe("WrongEnvironment");
  });

  it("takes the disk from DiskIndexVariable", async () => {
    const r = await run(formatPartitionDiskHandler, { device: pe(), settings: { ...uefiLayout, DiskIndex: "5", DiskIndexVariable: "MyDisk" }, vars: { MyDisk: "0" } });
    expect(r.result.exitCode).toBe(0);
  });
});

describe("Apply Operating System Image and data image", () => {
  it("applies the image to the partition in the variable and sets OSDTargetSystemDrive", async () => {
    const d = pe();
    const fmt = await run(formatPartitionDiskHandler, { device: d, settings: uefiLayout });
    const osDisk = fmt.get("OSDisk") ?? "";
    const r = await run(applyOperatingSystemHandler, { device: d, settings: { ImagePackageID: "CM100012", ImageIndex: "1", DestinationType: "LogicalDriveLetterStoredInVariable", DestinationVariable: "OSDisk" }, vars: { OSDisk: osDisk } });
    expect(r.result.exitCode).toBe(0);
    expect(r.get("OSDTargetSystemDrive")).toBe(osDisk);
  });

  it("fails for a missing image, no destination, two sources and outside Windows PE", async () => {
    const d = pe();
    await run(formatPartitionDiskHandler, { device: d, settings: uefiLayout });
    expect((await run(applyOperatingSystemHandler, { device: d, settings: { ImagePackageID: "NOPE0001", ImageIndex: "1" } })).result.error?.code).toBe("ContentNotFound");
    expect((await run(applyOperatingSystemHandler, { device: pe(), settings: { ImagePackageID: "CM100012", ImageIndex: "1" } })).result.exitCode).toBe(87);
    expect((await run(applyOperatingSystemHandler, { device: d, settings: { ImagePackageID: "CM100012", InstallPackageID: "CM100030" } })).result.exitCode).toBe(87);
    expect((await run(applyOperatingSystemHandler, { device: laptop(), settings: { ImagePackageID: "CM100012" } })).result.error?.code).toBe("WrongEnvironment");
  });

  it("applies a data image and rejects a missing one", async () => {
    const d = pe();
    await run(formatPartitionDiskHandler, { device: d, settings: uefiLayout });
    expect((await run(applyDataImageHandler, { device: d, settings: { ImagePackageID: "CM100012", ImageIndex: "1" } })).result.exitCode).toBe(0);
    expect((await run(applyDataImageHandler, { device: d, settings: {} })).result.exitCode).toBe(87);
  });
});

describe("drivers", () => {
  it("auto-applies matching drivers and applies a driver package to the applied OS", async () => {
    const d = pe();
    const vars = { OSDTargetSystemDrive: "C:" };
    const fmt = await run(formatPartitionDiskHandler, { device: d, settings: uefiLayout });
    await run(applyOperatingSystemHandler, { device: d, settings: { ImagePackageID: "CM100012", ImageIndex: "1" }, vars: { OSDisk: fmt.get("OSDisk") ?? "" } });
    const auto = await run(autoApplyDriversHandler, { device: d, vars });
    expect(auto.result.exitCode).toBe(0);
    const pkgs = (await d.content.resolve("NOPE")) === undefined;
    expect(pkgs).toBe(true);
    expect((await run(applyDriverPackageHandler, { device: d, vars, settings: { DriverPackageID: "NOPE0001" } })).result.error?.code).toBe("ContentNotFound");
    const pkg = await run(applyDriverPackageHandler, { device: d, vars, settings: { DriverPackageID: "CM100040", Recurse: "true" } });
    expect(pkg.result.exitCode).toBe(0);
    expect(pkg.logs.some((l) => /Added [1-9]\d* driver\(s\) from CM100040/.test(l))).toBe(true);
  });

  it("needs an applied OS and is refused on media", async () => {
    expect((await run(autoApplyDriversHandler, { device: pe() })).result.exitCode).toBe(87);
    expect((await run(autoApplyDriversHandler, { device: pe(), fromMedia: true, vars: { OSDTargetSystemDrive: "C:" } })).result.error?.code).toBe("NotSupportedOnMedia");
    expect((await run(applyDriverPackageHandler, { device: pe(), settings: {} })).result.exitCode).toBe(87);
  });
});

describe("Windows and network settings", () => {
  it("records Windows settings without writing secrets", async () => {
    const d = pe();
    const r = await run(applyWindowsSettingsHandler, { device: d, settings: { ComputerName: "PC-01", RandomAdminPassword: "false", AdminPassword: "P@ss", TimeZone: "Pacific Standard Time" } });
    expect(r.result.exitCode).toBe(0);
    const text = await d.files.readText("X:\\_SMSTaskSequence\\AnswerFile\\WindowsSettings.ini");
    expect(text).toMatch(/^AdministratorPassword=sealed:\S+$/m);
    expect(text).not.toContain("P@ss");
    expect((await run(applyWindowsSettingsHandler, { device: pe(), settings: { ComputerName: "THIS-NAME-IS-TOO-LONG" } })).result.exitCode).toBe(87);
    expect((await run(applyWindowsSettingsHandler, { device: pe(), settings: { ComputerName: "%_SMSTSMachineName%" } })).result.exitCode).toBe(0);
    expect((await run(applyWindowsSettingsHandler, { device: pe(), settings: { RandomAdminPassword: "false" } })).result.exitCode).toBe(87);
  });

  it("hands the domain join password to the network adapter for the answer file, never to the log", async () => {
    const d = pe();
    const received: Record<string, string>[] = [];
    const network = { ...d.network, applySettings: (settings: Readonly<Record<string, string>>) => (received.push({ ...settings }), Promise.resolve()) };
    const r = await run(applyNetworkSettingsHandler, {
      device: { ...d, network },
      settings: { NetworkJoinType: "0", DomainName: "corp.example", DomainUsername: "CORP\\join", DomainPassword: "J0in!Pw" },
    });
    expect(r.result.exitCode).toBe(0);
    expect(received[0]).toMatchObject({ OSDNetworkJoinType: "0", OSDDomainName: "corp.example", OSDJoinAccount: "CORP\\join", OSDJoinPassword: "J0in!Pw" });
    expect(r.logs.join("\n")).not.toContain("J0in!Pw");
  });

  it("applies network settings and rejects a bad join type", async () => {
    expect((await run(applyNetworkSettingsHandler, { device: pe(), settings: { NetworkJoinType: "1", WorkgroupName: "LAB" } })).result.exitCode).toBe(0);
    expect((await run(applyNetworkSettingsHandler, { device: pe(), settings: { NetworkJoinType: "0" } })).result.exitCode).toBe(87);
    expect((await run(applyNetworkSettingsHandler, { device: laptop(), settings: {} })).result.error?.code).toBe("WrongEnvironment");
  });

  it("captures network and Windows settings", async () => {
    const n = await run(captureNetworkSettingsHandler, { device: laptop() });
    expect(n.result.exitCode).toBe(0);
    expect(n.get("OSDAdapterCount")).toMatch(/^\d+$/);
    expect(n.get("OSDNetworkJoinType")).toMatch(/^[01]$/);
    const w = await run(captureWindowsSettingsHandler, { device: laptop() });
    expect(w.get("OSDComputerName")).toBe("CON-8H3KQV3");
    expect(w.get("OSDTimeZone")).toBe("Eastern Standard Time");
    expect((await run(captureWindowsSettingsHandler, { device: {} })).result.error?.code).toBe("AdapterMissing");
    expect((await run(captureNetworkSettingsHandler, { device: pe() })).result.error?.code).toBe("WrongEnvironment");
  });
});

describe("Upgrade Operating System", () => {
  it("scan only: success on 0xC1900210 with the unsigned code written", async () => {
    const r = await run(upgradeOperatingSystemHandler, { device: laptop(), settings: { InstallPackageID: "CM100030", ScanOnly: "true" } });
    expect(r.result.exitCode).toBe(0);
    expect(r.get("_SMSTSOSUpgradeActionReturnCode")).toBe("3247440400");
  });

  it("scan only: a blocking code fails with the signed value", async () => {
    const d = device("dell-latitude-5440", (p) => ({ ...p, content: { ...p.content, upgradePackages: (p.content?.upgradePackages ?? []).map((u) => ({ ...u, scanExitCode: 0xc1900208 })) } }));
    const r = await run(upgradeOperatingSystemHandler, { device: d, settings: { InstallPackageID: "CM100030", ScanOnly: "true" } });
    expect(r.result).toMatchObject({ exitCode: -1047526904, succeeded: false });
    expect(r.get("_SMSTSOSUpgradeActionReturnCode")).toBe("3247440392");
  });

  it("full upgrade restarts into the OS; a rollback sets _SMSTSSetupRollback", async () => {
    expect((await run(upgradeOperatingSystemHandler, { device: laptop(), settings: { InstallPackageID: "CM100030" } })).result).toEqual({ exitCode: 0, restart: { target: "HD", then: "next" } });
    const d = device("dell-latitude-5440", (p) => ({ ...p, content: { ...p.content, upgradePackages: (p.content?.upgradePackages ?? []).map((u) => ({ ...u, rollback: true, upgradeExitCode: 0xc1900101 })) } }));
    const r = await run(upgradeOperatingSystemHandler, { device: d, settings: { InstallPackageID: "CM100030" } });
    expect(r.result.succeeded).toBe(false);
    expect(r.get("_SMSTSSetupRollback")).toBe("true");
  });

  it("needs exactly one source and the full OS", async () => {
    expect((await run(upgradeOperatingSystemHandler, { device: laptop(), settings: {} })).result.exitCode).toBe(87);
    expect((await run(upgradeOperatingSystemHandler, { device: laptop(), settings: { InstallPackageID: "NOPE0001" } })).result.error?.code).toBe("ContentNotFound");
    expect((await run(upgradeOperatingSystemHandler, { device: pe(), settings: { InstallPackageID: "CM100030" } })).result.error?.code).toBe("WrongEnvironment");
  });
});

describe("BitLocker", () => {
  it("enables with TPM, skips without a TPM when asked, and fails otherwise", async () => {
    expect((await run(enableBitLockerHandler, { device: laptop(), settings: { Mode: "TPM", EncryptMethod: "7", CreateRecoveryPassword: "AD" } })).result.exitCode).toBe(0);
    const noTpm = () => device("dell-latitude-5440", (p) => ({ ...p, firmware: { ...p.firmware, tpm: { present: false, version: "", enabled: false, activated: false, ownershipAllowed: false } } }));
    expect((await run(enableBitLockerHandler, { device: noTpm(), settings: { Mode: "TPM", SkipWhenNoValidTPM: "true" } })).result.exitCode).toBe(0);
    expect((await run(enableBitLockerHandler, { device: noTpm(), settings: { Mode: "TPM" } })).result.succeeded).toBe(false);
    expect((await run(enableBitLockerHandler, { device: laptop(), settings: { Mode: "TPMAndPIN", BdePin: "12" } })).result.exitCode).toBe(87);
  });

  it("pre-provisions in Windows PE and suspends in the full OS", async () => {
    const d = pe();
    const fmt = await run(formatPartitionDiskHandler, { device: d, settings: uefiLayout });
    const applied = await run(applyOperatingSystemHandler, { device: d, settings: { ImagePackageID: "CM100012", ImageIndex: "1" }, vars: { OSDisk: fmt.get("OSDisk") ?? "" } });
    expect((await run(preProvisionBitLockerHandler, { device: d, vars: { OSDTargetSystemDrive: applied.get("OSDTargetSystemDrive") ?? "" } })).result.exitCode).toBe(0);
    expect((await run(preProvisionBitLockerHandler, { device: laptop() })).result.error?.code).toBe("WrongEnvironment");
    expect((await run(disableBitLockerHandler, { device: laptop(), settings: { RebootCount: "2" } })).result.exitCode).toBe(0);
    expect((await run(disableBitLockerHandler, { device: laptop(), settings: { RebootCount: "16" } })).result.exitCode).toBe(87);
  });

  it("Disable BitLocker on a drive without BitLocker has nothing to do and succeeds", async () => {
    const d = device("dell-optiplex-7010-bios");
    const r = await run(disableBitLockerHandler, { device: d, settings: { RebootCount: "1" } });
    expect(r.result.exitCode).toBe(0);
    expect(r.logs).toContain("I BitLocker is not enabled on C:; there is nothing to suspend.");
    expect(await d.bitlocker.status("C:")).toBe("FullyDecrypted");
    expect((await run(disableBitLockerHandler, { device: d, settings: { BdeTargetDriveLetter: "Q:" } })).result.exitCode).toBe(87);
  });
});

describe("capture, state store, setup", () => {
  it("requests, captures into and releases a state store", async () => {
    const d = laptop();
    const req = await run(requestStateStoreHandler, { device: d, settings: { RequestType: "capture" } });
    expect(req.result.exitCode).toBe(0);
    const path = req.get("OSDStateStorePath") ?? "";
    expect(path).not.toBe("");
    expect((await run(captureUserStateHandler, { device: d, settings: { UsmtPackageID: "CM100021" }, vars: { OSDStateStorePath: path } })).result.exitCode).toBe(0);
    expect((await run(restoreUserStateHandler, { device: d, settings: { UsmtRestorePackageID: "CM100021" }, vars: { OSDStateStorePath: path } })).result.exitCode).toBe(0);
    expect((await run(releaseStateStoreHandler, { device: d, vars: { OSDStateStorePath: path } })).result.exitCode).toBe(0);
  });

  it("fails without a store path, with nothing to release and after SMP retries", async () => {
    expect((await run(captureUserStateHandler, { device: laptop(), settings: { UsmtPackageID: "CM100021" } })).result.exitCode).toBe(87);
    expect((await run(releaseStateStoreHandler, { device: laptop() })).result.error?.code).toBe("InvalidOperation");
    const d = device("dell-latitude-5440", (p) => ({ ...p, faults: { stateStoreFailures: 5 } }));
    expect((await run(requestStateStoreHandler, { device: d, settings: { RequestType: "capture", SMPRetryCount: "1", SMPRetryTime: "1" } })).result.succeeded).toBe(false);
    expect((await run(requestStateStoreHandler, { device: laptop(), settings: { RequestType: "both" } })).result.exitCode).toBe(87);
  });

  it("prepares Windows and the client for capture and captures in Windows PE", async () => {
    expect((await run(prepareWindowsHandler, { device: laptop() })).result.error?.code).toBe("InvalidOperation");
    const workgroup = device("dell-latitude-5440", (p) => {
      if (p.os.installed === undefined) return p;
      const { domain: _domain, ...installed } = p.os.installed;
      return { ...p, os: { ...p.os, installed: { ...installed, workgroup: "WORKGROUP" } } };
    });
    const prep = await run(prepareWindowsHandler, { device: workgroup });
    expect(prep.result).toMatchObject({ exitCode: 0, restart: { target: "WinPE", then: "next" } });
    expect(prep.get("OSDTargetSystemRoot")).toMatch(/\\Windows$/);
    expect((await run(prepareConfigMgrClientHandler, { device: laptop() })).result.exitCode).toBe(0);
    expect((await run(prepareConfigMgrClientHandler, { device: pe() })).result.error?.code).toBe("WrongEnvironment");
    expect((await run(captureSystemImageHandler, { device: pe(), settings: { CaptureDestination: "\\\\srv\\caps\\img.wim" } })).result.exitCode).toBe(87);
    const d = pe();
    const fmt = await run(formatPartitionDiskHandler, { device: d, settings: uefiLayout });
    await run(applyOperatingSystemHandler, { device: d, settings: { ImagePackageID: "CM100012", ImageIndex: "1" }, vars: { OSDisk: fmt.get("OSDisk") ?? "" } });
    const cap = await run(captureSystemImageHandler, { device: d, settings: { CaptureDestination: "\\\\srv\\caps\\img.wim" }, vars: { OSDTargetSystemRoot: "C:\\Windows" } });
    expect(cap.result.exitCode).toBe(0);
    expect(cap.logs.some((l) => /Captured [1-9]\d* image\(s\)/.test(l))).toBe(true);
    expect((await run(captureSystemImageHandler, { device: pe(), settings: { CaptureDestination: "\\\\srv\\caps\\img.txt" }, vars: { OSDTargetSystemRoot: "C:\\Windows" } })).result.exitCode).toBe(87);
  });

  it("sets up Windows and the client, converts disks, installs deployment tools", async () => {
    expect((await run(setupWindowsConfigMgrHandler, { device: pe(), settings: {} })).result.exitCode).toBe(87);
    expect((await run(convertDiskHandler, { device: laptop(), settings: { DiskIndex: "0" } })).result.exitCode).toBe(0);
    expect((await run(convertDiskHandler, { device: laptop(), settings: { DiskIndex: "9" } })).result.exitCode).toBe(87);
    expect((await run(installDeploymentToolsHandler, { device: laptop(), settings: { SysprepPackageID: "CM100021" } })).result.exitCode).toBe(0);
    expect((await run(installDeploymentToolsHandler, { device: laptop(), settings: { SysprepPackageID: "NOPE0001" } })).result.error?.code).toBe("ContentNotFound");
  });
});
