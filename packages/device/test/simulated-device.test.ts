import { describe, expect, it } from "vitest";
import { isTaskSeqError } from "@taskseq/model";
import { createSimulatedDevice, defaultDeviceProfile, deviceCapabilityNames, listCapabilities, validateDeviceProfile, type DeviceProfile } from "@taskseq/device";

const GB = 1_073_741_824;

/** A laptop in Windows PE with a blank disk and content for a bare-metal deployment. */
const laptop: DeviceProfile = {
  ...defaultDeviceProfile,
  name: "test laptop",
  hardware: { ...defaultDeviceProfile.hardware, manufacturer: "Dell Inc.", model: "Latitude 5440", chassisTypes: [10], isVirtualMachine: false, pnpDeviceIds: ["PCI\\VEN_8086&DEV_15FB&SUBSYS_0C1D1028"] },
  power: { source: "Battery", battery: true, batteryPercent: 80 },
  disks: [{ index: 0, model: "NVMe disk", sizeBytes: 256 * GB, busType: "NVMe", partitionStyle: "RAW" }],
  content: {
    images: [{ id: "CM100001", name: "Windows 11 23H2", sizeBytes: 5 * GB, indexes: [{ index: 1, caption: "Microsoft Windows 11 Enterprise", version: "10.0.22631.2428", edition: "Enterprise", sizeBytes: 20 * GB }] }],
    packages: [{ id: "CM100002", name: "Tools", sizeBytes: 50_000_000, programs: [{ name: "Install", commandLine: "setup.exe /quiet" }, { name: "Fail", exitCode: 1603 }] }],
    applications: [
      { name: "VC Runtime", detection: { productCode: "{AAAA0000-0000-0000-0000-000000000001}" }, version: "14.38" },
      {
        name: "7-Zip",
        version: "23.01",
        dependencies: ["VC Runtime"],
        detection: { productCode: "{23170F69-40C1-2702-2301-000001000000}" },
        upgradeCode: "{23170F69-40C1-2702-0000-000004000000}",
        requirements: [{ query: "SELECT * FROM Win32_OperatingSystem WHERE ProductType = 1", description: "Clients only" }],
      },
      { name: "Server Tool", requirements: [{ query: "SELECT * FROM Win32_OperatingSystem WHERE ProductType = 3" }] },
      { name: "Broken", exitCode: 1603 },
    ],
    driverPackages: [{ id: "CM100003", name: "Dell drivers", sizeBytes: 1_000_000_000, drivers: [{ id: "net", name: "Intel NIC", hardwareIds: ["PCI\\VEN_8086&DEV_15FB"] }, { id: "gpu", name: "GPU", hardwareIds: ["PCI\\VEN_10DE"] }] }],
    upgradePackages: [{ id: "CM100004", name: "Windows 11 24H2", sizeBytes: 5 * GB, os: { caption: "Microsoft Windows 11 Enterprise", version: "10.0.26100.1742" } }],
  },
  commands: [
    { match: "^setup\\.exe", exitCode: 3010, stdout: "done" },
    { match: "flaky\\.exe", exitCode: 5, times: 1 },
    { match: "slow\\.exe", durationSeconds: 600 },
    { match: "rogue\\.exe", reboot: true },
  ],
};

async function deploy(device = createSimulatedDevice(laptop)) {
  await device.disks.clean(0);
  await device.disks.setPartitionStyle(0, "GPT");
  await device.disks.createPartition(0, { type: "EFI", sizeBytes: 500 * 1_048_576 });
  await device.disks.format(0, 1, { fileSystem: "FAT32" });
  await device.disks.createPartition(0, { type: "MSR", sizeBytes: 16 * 1_048_576 });
  await device.disks.createPartition(0, { type: "Primary" });
  await device.disks.format(0, 3, { fileSystem: "NTFS", label: "Windows" });
  const letter = await device.disks.assignDriveLetter(0, 3);
  await device.image.applyImage({ imageId: "CM100001", index: 1, targetVolume: letter });
  await device.image.writeBootFiles(letter);
  return { device, letter };
}

describe("default simulated device", () => {
  it("works without a profile: a UEFI VM in Windows PE", async () => {
    const device = createSimulatedDevice();
    expect((await device.os.facts()).environment).toBe("WinPE");
    expect((await device.hardware.facts()).firmware).toBe("UEFI");
    expect(await device.wmi.query("root\\cimv2", 'SELECT * FROM Win32_ComputerSystem WHERE NOT Model LIKE "%Virtual Machine%"')).toEqual([]);
    const os = await device.wmi.query("ROOT\\CIMV2", "select Caption from win32_operatingsystem");
    expect(os).toEqual([{ Caption: "Microsoft Windows PE" }]);
    expect(await device.reboot.bootableTargets()).toEqual(["WinPE"]);
    expect(listCapabilities(device)).toEqual(deviceCapabilityNames);
    for (const ns of ["ROOT\\CIMV2", "root/cimv2", "\\\\.\\root\\cimv2"]) {
      expect(await device.wmi.query(ns, "SELECT * FROM win32_bios"), ns).toHaveLength(1);
    }
    expect(await device.wmi.query("root\\wmi", "SELECT * FROM Win32_BIOS")).toEqual([]);
    // A JavaScript caller's missing argument is a typed error, not a TypeError.
    await expect(device.wmi.query(undefined as unknown as string, "SELECT * FROM Win32_BIOS")).rejects.toMatchObject({ code: "InvalidArgument" });
    await expect(device.wmi.query("root\\cimv2", undefined as unknown as string)).rejects.toMatchObject({ code: "InvalidArgument" });
  });

  it("provides every class conditions.md §7 names", async () => {
    const device = createSimulatedDevice();
    for (const cls of ["Win32_ComputerSystem", "Win32_ComputerSystemProduct", "Win32_BaseBoard", "Win32_BIOS", "Win32_SystemEnclosure", "Win32_OperatingSystem", "Win32_Processor", "Win32_LogicalDisk", "Win32_NetworkAdapterConfiguration"]) {
      expect((await device.wmi.query("root\\cimv2", `SELECT * FROM ${cls}`)).length, cls).toBeGreaterThan(0);
    }
  });
});

describe("state changes as steps act", () => {
  it("partitions, applies an image and restarts into the new OS", async () => {
    const { device, letter } = await deploy();
    expect(letter).toBe("C:");
    expect(await device.wmi.query("root\\cimv2", "SELECT DeviceID FROM Win32_LogicalDisk WHERE FileSystem = 'NTFS' AND DeviceID = 'C:'")).toHaveLength(1);
    expect((await device.disks.listDisks())[0]?.partitionStyle).toBe("GPT");
    const msft = await device.wmi.query("root\\Microsoft\\Windows\\Storage", "SELECT * FROM MSFT_Disk WHERE PartitionStyle = 2 AND BusType = 17");
    expect(msft).toHaveLength(1);
    expect(await device.reboot.bootableTargets()).toEqual(["HD", "WinPE"]);
    expect((await device.os.facts()).environment).toBe("WinPE");
    await device.reboot.restart("HD");
    const facts = await device.os.facts();
    expect(facts.environment).toBe("FullOS");
    expect(facts.version.build).toBe(22631);
    expect(await device.wmi.query("root\\cimv2", "SELECT * FROM Win32_OperatingSystem WHERE Caption LIKE '%Windows 11%' AND BuildNumber = '22631'")).toHaveLength(1);
    expect(await device.files.exists("C:\\Windows\\explorer.exe")).toBe(true);
    expect(await device.wmi.query("root\\cimv2", "SELECT * FROM Win32_LogicalDisk WHERE DeviceID = 'X:'")).toEqual([]);
  });

  it("fails a partition that does not fit and an image larger than the volume", async () => {
    const device = createSimulatedDevice({ ...laptop, disks: [{ index: 0, sizeBytes: 16 * GB, busType: "SATA", partitionStyle: "RAW" }] });
    await device.disks.setPartitionStyle(0, "MBR");
    await expect(device.disks.createPartition(0, { type: "Primary", sizeBytes: 32 * GB })).rejects.toMatchObject({ code: "InvalidSetting" });
    await expect(device.disks.createPartition(0, { type: "EFI", sizeBytes: GB })).rejects.toMatchObject({ code: "InvalidSetting" });
    await device.disks.createPartition(0, { type: "Primary", active: true });
    await device.disks.format(0, 1, { fileSystem: "NTFS" });
    const letter = await device.disks.assignDriveLetter(0, 1);
    await expect(device.image.applyImage({ imageId: "CM100001", index: 1, targetVolume: letter })).rejects.toMatchObject({ code: "DeviceOperationFailed" });
    await expect(device.image.applyImage({ imageId: "CM100001", index: 9, targetVolume: letter })).rejects.toMatchObject({ code: "InvalidSetting" });
    await expect(device.image.applyImage({ imageId: "NOPE", index: 1, targetVolume: letter })).rejects.toMatchObject({ code: "ContentNotFound" });
  });

  it("finishes setup into the new OS with the answer file's computer name", async () => {
    const { device } = await deploy();
    expect(await device.setup.setupWindowsAndClient({ computerName: "PC-0042" })).toBe(0);
    expect(await device.os.facts()).toMatchObject({ environment: "FullOS", computerName: "PC-0042", clientVersion: "5.00.9128.1000" });
    expect(await device.wmi.query("root\\cimv2", "SELECT * FROM Win32_ComputerSystem WHERE Name = 'pc-0042'")).toHaveLength(1);
  });

  it("applies the answer file's time zone, registration, locales and Administrator to the new OS", async () => {
    const { device } = await deploy();
    const options = {
      timeZone: "Pacific Standard Time",
      registeredOwner: "IT Department",
      registeredOrganization: "Contoso",
      uiLanguage: "de-DE",
      uiLanguageFallback: "en-US",
      inputLocale: "0407:00000407",
      systemLocale: "de-DE",
      userLocale: "de-CH",
      productKey: "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE",
      administratorEnabled: true,
      administratorPassword: "S3cret!Pw",
    };
    expect(await device.setup.setupWindowsAndClient(options)).toBe(0);
    expect((await device.os.facts()).timeZone).toBe("Pacific Standard Time");
    expect(await device.registry.readValue("HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion", "RegisteredOrganization")).toEqual({ type: "REG_SZ", data: "Contoso" });
    expect(await device.wmi.query("root\\cimv2", "SELECT RegisteredUser, Organization, MUILanguages FROM Win32_OperatingSystem")).toEqual([
      { RegisteredUser: "IT Department", Organization: "Contoso", MUILanguages: ["de-DE"] },
    ]);
    expect(await device.wmi.query("root\\cimv2", "SELECT * FROM Win32_UserAccount WHERE Name = 'Administrator' AND Disabled = FALSE")).toHaveLength(1);
    expect(device.snapshot().os.installed).toMatchObject({ inputLocale: "0407:00000407", systemLocale: "de-DE", uiLanguageFallback: "en-US", userLocale: "de-CH", administratorEnabled: true });
    const recorded = JSON.stringify([device.history, device.snapshot()]);
    expect(recorded).toContain("productKey");
    expect(recorded).not.toMatch(/S3cret|AAAAA/);
  });

  it("records the answer file's server licensing in the installed OS and its history", async () => {
    const { device } = await deploy();
    expect(await device.setup.setupWindowsAndClient({ serverLicenseMode: "PerServer", serverLicenseConnectionLimit: 25 })).toBe(0);
    expect(device.snapshot().os.installed).toMatchObject({ serverLicenseMode: "PerServer", serverLicenseConnectionLimit: 25 });
    expect(device.history.map((e) => e.detail)).toContain("answer file: serverLicenseMode, serverLicenseConnectionLimit");
    expect(validateDeviceProfile(device.snapshot())).toEqual([]);
  });

  it("keeps the Administrator disabled unless enabled with a password", async () => {
    const { device } = await deploy();
    await expect(device.setup.setupWindowsAndClient({ administratorEnabled: true })).rejects.toMatchObject({ code: "InvalidSetting" });
    expect(await device.setup.setupWindowsAndClient({ administratorEnabled: false })).toBe(0);
    expect(await device.wmi.query("root\\cimv2", "SELECT * FROM Win32_UserAccount WHERE Name = 'Administrator' AND Disabled = TRUE")).toHaveLength(1);
  });

  it("refuses to restart into an OS that is not there", async () => {
    await expect(createSimulatedDevice(laptop).reboot.restart("HD")).rejects.toMatchObject({ code: "DeviceOperationFailed" });
  });
});

describe("commands", () => {
  const run = (device: ReturnType<typeof createSimulatedDevice>, commandLine: string, timeoutSeconds?: number) =>
    device.commands.run(timeoutSeconds === undefined ? { commandLine } : { commandLine, timeoutSeconds });

  it("applies rules, cmd /c exit and the unmatched default", async () => {
    const device = createSimulatedDevice(laptop);
    expect(await run(device, "setup.exe /quiet")).toMatchObject({ exitCode: 3010, stdout: "done", output: "done", timedOut: false });
    expect((await run(device, "anything.exe")).exitCode).toBe(0);
    expect((await run(device, "cmd /c exit 3247440400")).exitCode).toBe(-1047526896);
    expect((await run(device, 'cmd.exe /c "exit 5"')).exitCode).toBe(5);
    expect((await run(device, "cmd /c setup.exe & exit 7")).exitCode).toBe(7);
    expect((await run(device, "cmd /c flaky.exe && exit 9")).exitCode).toBe(5);
    expect((await run(device, "cmd /c flaky.exe && exit 9")).exitCode).toBe(9);
    expect((await run(createSimulatedDevice({ ...laptop, unmatchedCommandExitCode: 2 }), "unknown.exe")).exitCode).toBe(2);
  });

  it("times out long commands on the simulated clock", async () => {
    const device = createSimulatedDevice(laptop);
    const start = device.clock.now();
    expect(await run(device, "slow.exe", 60)).toMatchObject({ timedOut: true, exitCode: 1460 });
    expect(device.clock.now() - start).toBe(60_000);
    expect((await run(device, "slow.exe")).timedOut).toBe(false);
  });

  it("reports a program that restarts the machine", async () => {
    const device = createSimulatedDevice(laptop);
    await expect(run(device, "rogue.exe")).rejects.toMatchObject({ code: "UnexpectedRestart" });
    expect(device.history.some((e) => e.kind === "restart")).toBe(true);
  });

  it("injects command failures from the test API", async () => {
    const device = createSimulatedDevice(laptop);
    device.faults.failCommand("setup\\.exe", 1603, 1);
    expect((await run(device, "setup.exe")).exitCode).toBe(1603);
    expect((await run(device, "setup.exe")).exitCode).toBe(3010);
  });

  it("never records run-as passwords", async () => {
    const device = createSimulatedDevice(laptop);
    await device.commands.run({ commandLine: "tool.exe", runAs: { userName: "CONTOSO\\svc", password: "S3cret!" } });
    await device.commands.run({ commandLine: "net use Z: \\\\srv\\share /user:svc S3cret!", redact: ["S3cret!"] });
    expect(JSON.stringify(device.history)).not.toContain("S3cret!");
    expect(device.history.at(-1)?.detail).toContain("/user:svc ********");
  });
});

describe("content and software", () => {
  it("fails downloads N times before they work, and reports missing content", async () => {
    const device = createSimulatedDevice({ ...laptop, faults: { downloadFailures: { CM100002: 2 } } });
    for (let i = 0; i < 2; i++) {
      await expect(device.content.download({ id: "CM100002" })).rejects.toMatchObject({ code: "DeviceOperationFailed", details: { retryable: true } });
    }
    const ok = await device.content.download({ id: "CM100002" });
    expect(ok.path).toBe("X:\\_SMSTaskSequence\\Packages\\CM100002");
    await expect(device.content.download({ id: "CM999999" })).rejects.toMatchObject({ code: "ContentNotFound" });
    device.faults.removeContent("CM100002");
    expect(await device.content.resolve("CM100002")).toBeUndefined();
    await expect(device.content.download({ id: "CM100001", destination: "CCMCache" })).rejects.toMatchObject({ code: "WrongEnvironment" });
  });

  it("downloads to the first NTFS volume once it exists, honouring free space", async () => {
    const { device } = await deploy();
    expect((await device.content.download({ id: "CM100003" })).path).toBe("C:\\_SMSTaskSequence\\Packages\\CM100003");
    expect((await device.content.download({ id: "CM100003", destination: "Custom", customPath: "D:\\Drivers" }).catch((e: unknown) => e)) instanceof Error).toBe(true);
    const before = await device.files.freeSpace("C:\\");
    await device.content.download({ id: "CM100002", destination: "Custom", customPath: "C:\\Content" });
    expect(before - (await device.files.freeSpace("C:\\"))).toBe(50_000_000);
  });

  it("installs applications with requirements, dependencies and detection", async () => {
    const { device } = await deploy();
    await device.reboot.restart("HD");
    expect(await device.applications.detect("7-Zip")).toBe(false);
    const r = await device.applications.install("7-Zip");
    expect(r).toMatchObject({ outcome: "installed", exitCode: 0, dependencies: [{ name: "VC Runtime", outcome: "installed" }] });
    expect(await device.applications.detect("7-Zip")).toBe(true);
    expect((await device.applications.install("7-Zip")).outcome).toBe("alreadyInstalled");
    expect(await device.wmi.query("root\\cimv2", "SELECT * FROM Win32_Product WHERE Name = '7-Zip'")).toHaveLength(1);
    expect((await device.os.installedProducts()).find((p) => p.name === "7-Zip")?.upgradeCode).toBe("{23170F69-40C1-2702-0000-000004000000}");
    expect(await device.applications.install("Server Tool")).toMatchObject({ outcome: "skipped" });
    expect(await device.applications.install("Broken")).toMatchObject({ outcome: "failed", exitCode: 1603 });
    await expect(device.applications.install("Nope")).rejects.toMatchObject({ code: "ContentNotFound" });
  });

  it("runs package programs through the command rules", async () => {
    const device = createSimulatedDevice(laptop);
    expect((await device.packages.runProgram("CM100002", "Install")).exitCode).toBe(3010);
    expect((await device.packages.runProgram("cm100002", "Fail")).exitCode).toBe(1603);
    await expect(device.packages.runProgram("CM100002", "Other")).rejects.toMatchObject({ code: "ContentNotFound" });
  });

  it("matches and injects drivers by PnP ID", async () => {
    const { device, letter } = await deploy();
    const matched = await device.drivers.match({ pnpIds: (await device.hardware.facts()).pnpDeviceIds, bestMatch: true });
    expect(matched.map((d) => d.id)).toEqual(["net"]);
    expect(await device.drivers.applyDrivers(["net"], letter)).toBe(1);
    expect(await device.drivers.applyPackage("CM100003", letter)).toBe(2);
  });

  it("simulates compatibility scans, upgrades and rollbacks", async () => {
    const { device } = await deploy();
    await device.reboot.restart("HD");
    expect(await device.setup.upgrade({ source: "CM100004", scanOnly: true })).toEqual({ exitCode: 3_247_440_400, rolledBack: false });
    expect(await device.setup.upgrade({ source: "C:\\_SMSTaskSequence\\Packages\\CM100004" })).toEqual({ exitCode: 0, rolledBack: false });
    expect((await device.os.facts()).version.build).toBe(26100);

    const blocked = createSimulatedDevice({ ...laptop, content: { ...laptop.content, upgradePackages: [{ id: "CM100004", name: "x", sizeBytes: 1, os: { caption: "x", version: "10.0.26100" }, scanExitCode: 0xc1900208, rollback: true }] } });
    const { device: d2 } = await deploy(blocked);
    await d2.reboot.restart("HD");
    expect((await d2.setup.upgrade({ source: "CM100004", scanOnly: true })).exitCode).toBe(3_247_440_392);
    expect((await d2.setup.upgrade({ source: "CM100004" })).rolledBack).toBe(true);
    expect((await d2.os.facts()).version.build).toBe(22631);
  });
});

describe("files, registry and other capabilities", () => {
  const fullOs: DeviceProfile = {
    ...laptop,
    os: { running: "FullOS", installed: { caption: "Microsoft Windows 10 Enterprise", version: "10.0.19045.4291", drive: "C:", computerName: "PC-01" } },
    disks: [{ index: 0, sizeBytes: 256 * GB, busType: "NVMe", partitionStyle: "GPT", partitions: [{ type: "EFI", sizeBytes: 100 * 1_048_576, fileSystem: "FAT32" }, { type: "Primary", sizeBytes: 200 * GB, fileSystem: "NTFS", driveLetter: "C:", usedBytes: 40 * GB }] }],
    files: {
      "C:\\Windows\\System32\\notepad.exe": { sizeBytes: 201_216, version: "10.0.19041.3996", modified: "2024-01-10T12:00:00Z" },
      "C:\\Windows\\SysWOW64\\notepad.exe": { sizeBytes: 190_000, version: "10.0.19041.1" },
      "C:\\Temp\\readme.txt": { content: "hello" },
    },
    registry: {
      "HKLM\\SOFTWARE\\Contoso": { Ring: { type: "REG_SZ", data: "Pilot" }, Build: { type: "REG_DWORD", data: 42 } },
      "HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Contoso": { Ring: { type: "REG_SZ", data: "Legacy" } },
    },
  };

  it("reads files with WOW64 redirection unless disabled", async () => {
    const device = createSimulatedDevice(fullOs);
    expect((await device.files.stat("C:\\Windows\\System32\\notepad.exe"))?.version).toBe("10.0.19041.1");
    const native = await device.files.stat("C:\\Windows\\System32\\notepad.exe", { disableWow64Redirection: true });
    expect(native).toMatchObject({ version: "10.0.19041.3996", modifiedUtc: Date.parse("2024-01-10T12:00:00Z") });
    expect(await device.files.readText("c:/temp/README.TXT")).toBe("hello");
    await device.files.write("C:\\Temp\\a\\b.txt", "x");
    expect(await device.files.list("C:\\Temp")).toEqual(["readme.txt", "a"]);
    await device.files.delete("C:\\Temp");
    expect(await device.files.exists("C:\\Temp\\a\\b.txt")).toBe(false);
    await expect(device.files.write("Q:\\x.txt", "x")).rejects.toMatchObject({ code: "DeviceOperationFailed" });
  });

  it("reads registry values in the 64- and 32-bit views", async () => {
    const device = createSimulatedDevice(fullOs);
    expect(await device.registry.readValue("HKEY_LOCAL_MACHINE\\software\\contoso", "ring")).toEqual({ type: "REG_SZ", data: "Pilot" });
    expect(await device.registry.readValue("HKLM\\SOFTWARE\\Contoso", "Ring", "32")).toEqual({ type: "REG_SZ", data: "Legacy" });
    expect(await device.registry.readValue("HKLM\\SOFTWARE\\Contoso", "Build")).toEqual({ type: "REG_DWORD", data: 42 });
    expect(await device.registry.keyExists("HKLM\\SOFTWARE")).toBe(true);
    expect(await device.registry.keyExists("HKLM\\SOFTWARE\\Missing")).toBe(false);
    await device.registry.writeValue?.("HKLM\\SOFTWARE\\Contoso", "Big", { type: "REG_QWORD", data: 5n });
    expect(device.snapshot().registry?.["HKLM\\SOFTWARE\\Contoso"]?.Big).toEqual({ type: "REG_QWORD", data: "5" });
  });

  /** Files and keys that differ between the native and the WOW64 (32-bit) views. */
  const viewProbes = {
    files: {
      "X:\\Windows\\System32\\native.dll": { sizeBytes: 10 },
      "X:\\Windows\\SysWOW64\\wow.dll": { sizeBytes: 10 },
      "C:\\Windows\\System32\\native.dll": { sizeBytes: 10 },
      "C:\\Windows\\SysWOW64\\wow.dll": { sizeBytes: 10 },
    },
    registry: {
      "HKLM\\SOFTWARE\\Contoso": { Ring: { type: "REG_SZ", data: "Native" } },
      "HKLM\\SOFTWARE\\WOW6432Node\\Contoso": { Ring: { type: "REG_SZ", data: "Wow" } },
      "HKLM\\SOFTWARE\\WOW6432Node\\WowOnly": { Flag: { type: "REG_DWORD", data: 1 } },
    },
  } satisfies Pick<DeviceProfile, "files" | "registry">;

  /** What a file/folder/registry condition sees with `SMSTSDisableWow64Redirection` unset (32-bit view requested). */
  const conditionView = async (device: ReturnType<typeof createSimulatedDevice>, drive: string) => ({
    native: await device.files.exists(`${drive}\\Windows\\System32\\native.dll`, { disableWow64Redirection: false }),
    wow: await device.files.exists(`${drive}\\Windows\\System32\\wow.dll`, { disableWow64Redirection: false }),
    folder: (await device.files.stat(`${drive}\\Windows\\System32`, { disableWow64Redirection: false }))?.kind,
    ring: (await device.registry.readValue("HKLM\\SOFTWARE\\Contoso", "Ring", "32"))?.data,
    wowOnlyKey: await device.registry.keyExists("HKLM\\SOFTWARE\\WowOnly", "32"),
  });

  it("uses the native view for files, folders and the registry alike in Windows PE x64 (no WOW64)", async () => {
    const device = createSimulatedDevice({ ...fullOs, ...viewProbes, os: { ...fullOs.os, running: "WinPE", winpe: { version: "10.0.22621.1", architecture: "64" } } });
    expect((await device.os.facts()).environment).toBe("WinPE");
    expect(await conditionView(device, "X:")).toEqual({ native: true, wow: false, folder: "folder", ring: "Native", wowOnlyKey: false });
    // Asking for the native view changes nothing: Windows PE x64 has one view.
    expect(await device.registry.readValue("HKLM\\SOFTWARE\\Contoso", "Ring", "64")).toEqual({ type: "REG_SZ", data: "Native" });
    expect(await device.files.exists("X:\\Windows\\System32\\native.dll", { disableWow64Redirection: true })).toBe(true);
    // A 32-bit-view write lands in the one (native) view too.
    await device.registry.writeValue?.("HKLM\\SOFTWARE\\Fabrikam", "Stage", { type: "REG_SZ", data: "PE" }, "32");
    expect(await device.registry.readValue("HKLM\\SOFTWARE\\Fabrikam", "Stage", "64")).toEqual({ type: "REG_SZ", data: "PE" });
    expect(await device.registry.keyExists("HKLM\\SOFTWARE\\WOW6432Node\\Fabrikam")).toBe(false);
  });

  it("redirects files, folders and the registry alike in a 64-bit full OS, and neither with redirection disabled", async () => {
    const device = createSimulatedDevice({ ...fullOs, ...viewProbes });
    expect(await conditionView(device, "C:")).toEqual({ native: false, wow: true, folder: "folder", ring: "Wow", wowOnlyKey: true });
    expect(await device.files.exists("C:\\Windows\\System32\\native.dll", { disableWow64Redirection: true })).toBe(true);
    expect(await device.files.exists("C:\\Windows\\System32\\wow.dll", { disableWow64Redirection: true })).toBe(false);
    expect((await device.registry.readValue("HKLM\\SOFTWARE\\Contoso", "Ring", "64"))?.data).toBe("Native");
    expect(await device.registry.keyExists("HKLM\\SOFTWARE\\WowOnly", "64")).toBe(false);
  });

  it("switches views when restarting from Windows PE x64 into the 64-bit full OS", async () => {
    const device = createSimulatedDevice({ ...fullOs, ...viewProbes, os: { ...fullOs.os, running: "WinPE", winpe: { version: "10.0.22621.1", architecture: "64" } } });
    expect((await device.registry.readValue("HKLM\\SOFTWARE\\Contoso", "Ring", "32"))?.data).toBe("Native");
    await device.reboot.restart("HD");
    expect((await device.os.facts()).environment).toBe("FullOS");
    expect(await conditionView(device, "C:")).toEqual({ native: false, wow: true, folder: "folder", ring: "Wow", wowOnlyKey: true });
  });

  it("joins a domain and shows it in WMI", async () => {
    const device = createSimulatedDevice(fullOs);
    await device.network.joinDomain("corp.contoso.com", { userName: "CONTOSO\\join", password: "pw" });
    expect(await device.wmi.query("root\\cimv2", "SELECT * FROM Win32_ComputerSystem WHERE PartOfDomain = TRUE AND Domain = 'corp.contoso.com'")).toHaveLength(1);
    expect(JSON.stringify(device.snapshot())).not.toContain('"pw"');
  });

  it("enables BitLocker only with a usable TPM and reflects it in WMI", async () => {
    const device = createSimulatedDevice(fullOs);
    await device.bitlocker.enable({ volume: "C:", protector: "TPM", wait: true });
    const ns = "root\\cimv2\\Security\\MicrosoftVolumeEncryption";
    expect(await device.wmi.query(ns, "SELECT * FROM Win32_EncryptableVolume WHERE DriveLetter = 'C:' AND ProtectionStatus = 1")).toHaveLength(1);
    await device.bitlocker.suspend("C:", 1);
    expect(await device.bitlocker.status("C:")).toBe("Suspended");
    await device.reboot.restart("HD");
    expect(await device.bitlocker.status("C:")).toBe("FullyEncrypted");
    const noTpm = createSimulatedDevice({ ...fullOs, firmware: { type: "UEFI", tpm: { present: false } } });
    await expect(noTpm.bitlocker.enable({ volume: "C:", protector: "TPM" })).rejects.toMatchObject({ code: "DeviceOperationFailed" });
  });

  it("enabling BitLocker on a suspended volume resumes it at once without encrypting it again", async () => {
    const device = createSimulatedDevice(fullOs);
    await device.bitlocker.enable({ volume: "C:", protector: "TPM", wait: true });
    await device.bitlocker.suspend("C:", 2);
    const before = device.clock.now();
    await device.bitlocker.enable({ volume: "C:", protector: "TPM", wait: true });
    expect(device.clock.now()).toBe(before);
    expect(await device.bitlocker.status("C:")).toBe("FullyEncrypted");
    await device.bitlocker.suspend("C:", 1);
    await device.bitlocker.enable({ volume: "C:", protector: "TPM" });
    expect(await device.bitlocker.status("C:")).toBe("FullyEncrypted");
    await device.reboot.restart("HD");
    expect(await device.bitlocker.status("C:")).toBe("FullyEncrypted");
  });

  it("requests, captures, restores and releases user state", async () => {
    const device = createSimulatedDevice({ ...fullOs, faults: { stateStoreFailures: 1 } });
    await expect(device.stateStore.request("capture")).rejects.toMatchObject({ code: "DeviceOperationFailed" });
    const path = await device.stateStore.request("capture");
    expect(await device.usmt.capture({ storePath: path, packageId: "CM100005" })).toBe(0);
    expect(await device.stateStore.request("restore")).toBe(path);
    expect(await device.usmt.restore({ storePath: path, packageId: "CM100005" })).toBe(0);
    await device.stateStore.release(path);
    expect(await device.usmt.capture({ storePath: "\\\\other\\share", packageId: "CM100005" })).toBe(1);
    expect(await device.usmt.restore({ storePath: "C:\\Nothing", packageId: "CM100005" })).toBe(1);
    expect(await device.usmt.capture({ storePath: "C:\\_SMSTaskSequence\\UserState", packageId: "CM100005", hardLinks: true })).toBe(0);
    await expect(device.stateStore.release("\\\\nope\\x")).rejects.toMatchObject({ code: "DeviceOperationFailed" });
    await expect(device.stateStore.release(path)).rejects.toMatchObject({ code: "DeviceOperationFailed" });
  });

  it("records the USMT switches of the options, never the local account password", async () => {
    const device = createSimulatedDevice(fullOs);
    const path = await device.stateStore.request("capture");
    expect(await device.usmt.capture({ storePath: path, packageId: "CM100005", continueOnError: true, verboseLogging: true, skipEncryptedFiles: true, volumeShadowCopy: true })).toBe(0);
    expect(await device.usmt.restore({ storePath: path, packageId: "CM100005", localAccounts: true, localAccountPassword: "S3cret!Pw" })).toBe(0);
    expect(device.history.filter((e) => e.kind === "usmt").map((e) => e.detail)).toEqual([`scanstate to ${path} /c /v:13 /efs:skip /vsc`, `loadstate from ${path} /lac /lae`]);
    expect(JSON.stringify([device.history, device.snapshot()])).not.toContain("S3cret");
  });

  it("captures online in the full OS and offline in Windows PE from the installed Windows", async () => {
    const device = createSimulatedDevice(fullOs);
    const path = await device.stateStore.request("capture");
    await expect(device.usmt.capture({ storePath: path, packageId: "CM100005", offline: true })).rejects.toMatchObject({ code: "WrongEnvironment" });
    await device.reboot.restart("WinPE");
    await expect(device.usmt.capture({ storePath: path, packageId: "CM100005" })).rejects.toMatchObject({ code: "WrongEnvironment" });
    expect(await device.usmt.capture({ storePath: path, packageId: "CM100005", offline: true })).toBe(0);
    const bare = createSimulatedDevice(laptop);
    await expect(bare.usmt.capture({ storePath: "C:\\State", packageId: "CM100005", offline: true })).rejects.toMatchObject({ code: "DeviceOperationFailed" });
  });

  it("keeps requested state stores in the snapshot: a requested store can be released after it, a released one stays released", async () => {
    const device = createSimulatedDevice(fullOs);
    const smp = await device.stateStore.request("capture");
    expect(await device.usmt.capture({ storePath: smp, packageId: "CM100005" })).toBe(0);
    const local = "C:\\_SMSTaskSequence\\UserState";
    expect(await device.usmt.capture({ storePath: local, packageId: "CM100005", hardLinks: true })).toBe(0);
    const snapshot = device.snapshot();
    expect(snapshot.stateStores).toEqual({ [smp]: { type: "capture", captured: true }, [local]: { type: "capture", captured: true } });
    const again = createSimulatedDevice(JSON.parse(JSON.stringify(snapshot)) as DeviceProfile);
    expect(await again.usmt.restore({ storePath: local, packageId: "CM100005" })).toBe(0);
    await again.stateStore.release(smp);
    expect(again.snapshot().stateStores?.[smp]).toEqual({ type: "capture", captured: true, released: true });
    const third = createSimulatedDevice(again.snapshot());
    await expect(third.stateStore.release(smp)).rejects.toMatchObject({ code: "DeviceOperationFailed", message: expect.stringContaining("already released") });
    expect(await third.stateStore.request("restore")).toBe(smp);
    expect(await third.usmt.restore({ storePath: smp, packageId: "CM100005" })).toBe(0);
    await third.stateStore.release(smp);
    const next = await third.stateStore.request("capture");
    expect(next).not.toBe(smp);
    expect(Object.keys(third.snapshot().stateStores ?? {})).toEqual([smp, local, next]);
  });

  it("refuses a profile with an invalid state store entry with ProfileInvalid naming its path", () => {
    const bad = JSON.stringify({ ...fullOs, stateStores: { "\\\\SMP01\\S$\\1": { type: "capture", captured: 1 } } });
    expect(() => createSimulatedDevice(bad)).toThrow(expect.objectContaining({ code: "ProfileInvalid", position: { path: '$.stateStores["\\\\\\\\SMP01\\\\S$\\\\1"].captured' } }));
  });

  it("leaves stateStores out of the snapshot of a device that never requested one", () => {
    expect(createSimulatedDevice(fullOs).snapshot()).not.toHaveProperty("stateStores");
  });

  it("scans and installs software updates, listed as hotfixes", async () => {
    const device = createSimulatedDevice({ ...fullOs, updates: [{ id: "KB5034441", title: "Security update", mandatory: true, restartRequired: true }, { id: "KB5001716", title: "Optional" }] });
    expect((await device.updates.scan("Mandatory")).map((u) => u.id)).toEqual(["KB5034441"]);
    expect((await device.updates.scan("All")).map((u) => u.id)).toEqual(["KB5034441", "KB5001716"]);
    expect(await device.updates.install(["KB5034441"])).toEqual({ exitCode: 3010, restartRequired: true });
    expect(await device.updates.scan("Mandatory")).toEqual([]);
    expect(await device.wmi.query("root\\cimv2", "SELECT * FROM Win32_QuickFixEngineering WHERE HotFixID = 'KB5034441'")).toHaveLength(1);
  });

  it("reports the battery and power source", async () => {
    const device = createSimulatedDevice(laptop);
    expect(await device.hardware.power()).toEqual({ source: "Battery", batteryPercent: 80 });
    expect(await device.wmi.query("root\\cimv2", "SELECT * FROM Win32_Battery WHERE BatteryStatus = 1")).toHaveLength(1);
    expect(await createSimulatedDevice().wmi.query("root\\cimv2", "SELECT * FROM Win32_Battery")).toEqual([]);
  });

  it("lets profile rows add properties while derived state wins", async () => {
    const device = createSimulatedDevice({ ...fullOs, wmi: { Win32_OperatingSystem: [{ Caption: "stale", OperatingSystemSKU: 4 }], "root\\wmi:MS_SystemInformation": [{ SystemSKU: "0C1D" }] } });
    const [os] = await device.wmi.query("root\\cimv2", "SELECT Caption, OperatingSystemSKU FROM Win32_OperatingSystem");
    expect(os).toEqual({ Caption: "Microsoft Windows 10 Enterprise", OperatingSystemSKU: 4 });
    expect(await device.wmi.query("root\\WMI", "SELECT * FROM MS_SystemInformation WHERE SystemSKU = '0C1D'")).toHaveLength(1);
  });
});

describe("faults, clock and snapshots", () => {
  it("cuts power once at a chosen step", () => {
    const device = createSimulatedDevice({ ...laptop, faults: { powerLoss: [{ path: "0.2", duringStep: true }] } });
    expect(device.faults.beforeStep("0.1")).toBeUndefined();
    expect(device.faults.beforeStep("0.2")).toEqual({ kind: "powerLoss", duringStep: true });
    expect(device.faults.beforeStep("0.2")).toBeUndefined();
    device.faults.cutPowerAt("1");
    expect(device.faults.beforeStep("1")).toEqual({ kind: "powerLoss", duringStep: false });
    expect(device.history.filter((e) => e.kind === "powerLoss")).toHaveLength(2);
  });

  it("has a deterministic clock", async () => {
    const a = createSimulatedDevice(laptop);
    expect(a.clock.now()).toBe(Date.parse("2026-01-01T08:00:00Z"));
    await a.clock.sleep(15_000);
    expect(a.clock.now()).toBe(Date.parse("2026-01-01T08:00:15Z"));
    const ac = new AbortController();
    ac.abort();
    await expect(a.clock.sleep(1, ac.signal)).rejects.toMatchObject({ code: "Aborted" });
  });

  it("continues from a snapshot with the same state", async () => {
    const { device } = await deploy();
    await device.files.write("C:\\_SMSTaskSequence\\state.bin", new Uint8Array([0, 255, 1]));
    const again = createSimulatedDevice(device.snapshot());
    await again.reboot.restart("HD");
    expect((await again.os.facts()).caption).toBe("Microsoft Windows 11 Enterprise");
    expect(Array.from(await again.files.read("C:\\_SMSTaskSequence\\state.bin"))).toEqual([0, 255, 1]);
    expect(again.clock.now()).toBe(device.clock.now() + 90_000);
  });

  it("keeps faults that have not fired in the snapshot", async () => {
    const device = createSimulatedDevice({ ...laptop, faults: { downloadFailures: { CM100002: 2 }, powerLoss: [{ path: "3" }] } });
    await expect(device.content.download({ id: "CM100002" })).rejects.toMatchObject({ code: "DeviceOperationFailed" });
    const again = createSimulatedDevice(device.snapshot());
    await expect(again.content.download({ id: "CM100002" })).rejects.toMatchObject({ code: "DeviceOperationFailed" });
    expect((await again.content.download({ id: "CM100002" })).id).toBe("CM100002");
    expect(again.faults.beforeStep("3")).toEqual({ kind: "powerLoss", duringStep: false });
  });

  it("keeps the uses left of counted command rules in the snapshot", async () => {
    const device = createSimulatedDevice({ ...laptop, commands: [{ match: "^once", exitCode: 5, times: 1 }, { match: "^twice", exitCode: 6, times: 2 }] });
    expect((await device.commands.run({ commandLine: "once" })).exitCode).toBe(5);
    expect((await device.commands.run({ commandLine: "twice" })).exitCode).toBe(6);
    const again = createSimulatedDevice(device.snapshot());
    expect((await again.commands.run({ commandLine: "once" })).exitCode).toBe(0);
    expect((await again.commands.run({ commandLine: "twice" })).exitCode).toBe(6);
    expect((await again.commands.run({ commandLine: "twice" })).exitCode).toBe(0);
  });

  it("rejects invalid profiles with the JSON path", () => {
    try {
      createSimulatedDevice({ ...laptop, disks: [{ index: 0, sizeBytes: -1, busType: "SATA", partitionStyle: "RAW" }] });
      expect.unreachable();
    } catch (e) {
      expect(isTaskSeqError(e, "ProfileInvalid")).toBe(true);
      expect((e as { position?: { path?: string } }).position?.path).toBe("$.disks[0].sizeBytes");
    }
  });
});

describe("path handling", () => {
  it("treats forward slashes, doubled separators and case alike, and copies folder trees", async () => {
    const device = createSimulatedDevice({
      ...laptop,
      os: { running: "FullOS", installed: { caption: "Microsoft Windows 11 Pro", version: "10.0.22631.1", drive: "C:" } },
      disks: [{ index: 0, sizeBytes: 64 * GB, busType: "SATA", partitionStyle: "MBR", partitions: [{ type: "Primary", sizeBytes: 60 * GB, fileSystem: "NTFS", driveLetter: "C:" }] }],
    });
    await device.files.write("c:/Data//Sub\\\\one.TXT", "1");
    expect(await device.files.readText("C:\\DATA\\sub\\one.txt")).toBe("1");
    await device.files.copy("C:\\Data", "C:\\Copy//Here");
    expect(await device.files.list("C:\\Copy\\Here\\Sub")).toEqual(["one.TXT"]);
    await device.files.write("C:/Windows/System32/drivers/etc/hosts", "127.0.0.1 localhost", { disableWow64Redirection: true });
    expect(await device.files.exists("C:\\Windows\\System32\\drivers\\etc\\hosts")).toBe(false);
    expect(await device.files.exists("C:\\Windows\\Sysnative\\drivers\\etc\\hosts")).toBe(true);
    expect(await device.files.exists("c:\\windows\\sysnative\\drivers", { disableWow64Redirection: true })).toBe(false);
  });
});
