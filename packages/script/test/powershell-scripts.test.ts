/**
 * Task-sequence scripts in the style of real Run PowerShell Script steps, run in the sandbox
 * against the example device profiles (examples/devices) with expected variables and exit codes.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptDevice, ScriptRunResult } from "@taskseq/script";
import { createPsKit, exampleDevice, scriptDeviceOf } from "./powershell-kit.js";
import { testEnvironment } from "./script-test-kit.js";

const kit = createPsKit();
afterAll(() => kit[Symbol.dispose]());

const DEVICE_NAMES = ["dell-latitude-5440", "dell-optiplex-7010-bios", "hp-elitebook-840-g10", "hyperv-gen2-vm", "lenovo-thinkpad-t14-gen4", "microsoft-surface-pro-9"] as const;
type DeviceName = (typeof DEVICE_NAMES)[number];
const devices = new Map<DeviceName, ScriptDevice>();
beforeAll(async () => {
  for (const name of DEVICE_NAMES) devices.set(name, await scriptDeviceOf(exampleDevice(name)));
});

interface Run {
  readonly result: ScriptRunResult;
  readonly vars: (name: string) => string | undefined;
  readonly output: string[];
}

async function run(source: string, device: DeviceName | undefined, setup: Readonly<Record<string, string>> = {}, parameters?: Readonly<Record<string, string>>): Promise<Run> {
  const created = testEnvironment();
  for (const [name, value] of Object.entries(setup)) created.env.set(name, value, { secret: /password/i.test(name) });
  const result = await kit.ok(source, {
    env: created,
    ...(device === undefined ? {} : { device: devices.get(device) }),
    ...(parameters === undefined ? {} : { parameters }),
  });
  const errors = result.records.filter((r) => r.stream === "error");
  if (errors.length > 0 && result.exitCode === 0) throw new Error(`unexpected error output: ${errors.map((e) => e.text).join(" | ")}`);
  return { result, vars: (name) => created.env.get(name), output: result.records.filter((r) => r.stream === "output").map((r) => r.text) };
}

const HEADER = "$tsenv = New-Object -ComObject Microsoft.SMS.TSEnvironment\n";

describe("hardware gather", () => {
  const computerName = `${HEADER}
# Computer name from the BIOS serial number: PC-<serial>, at most 15 characters (NetBIOS).
$serial = (Get-CimInstance -ClassName Win32_BIOS).SerialNumber
$serial = $serial -replace '[^A-Za-z0-9]', ''
if ([string]::IsNullOrEmpty($serial)) { Write-Error "No serial number"; exit 1 }
$name = "PC-$serial"
if ($name.Length -gt 15) { $name = $name.Substring(0, 15) }
$tsenv.Value("OSDComputerName") = $name.ToUpper()
Write-Output "Computer name: $name"
`;
  it.each([
    ["dell-latitude-5440", "PC-8H3KQV3"],
    ["hyperv-gen2-vm", "PC-987654321098"],
    ["microsoft-surface-pro-9", "PC-0F3A17B24523"],
  ] as const)("computer name from the BIOS serial on %s", async (device, expected) => {
    const r = await run(computerName, device);
    expect(r.result.exitCode).toBe(0);
    expect(r.vars("OSDComputerName")).toBe(expected);
    expect(r.output).toEqual([`Computer name: ${expected}`]);
  });

  const gather = `${HEADER}
function Set-TSVar([string]$Name, $Value) { $tsenv.Value($Name) = [string]$Value }
$cs = Get-CimInstance Win32_ComputerSystem
$product = Get-CimInstance Win32_ComputerSystemProduct
$make = $cs.Manufacturer.Trim()
switch -Wildcard ($make) {
  "*Dell*"      { $make = "Dell" }
  "HP*"         { $make = "HP" }
  "Hewlett*"    { $make = "HP" }
  "LENOVO"      { $make = "Lenovo" }
  "Microsoft*"  { $make = "Microsoft" }
}
$model = if ($make -eq "Lenovo") { $product.Version } else { $cs.Model }
Set-TSVar "GatherMake" $make
Set-TSVar "GatherModel" $model
Set-TSVar "GatherMemoryMB" ([math]::Round($cs.TotalPhysicalMemory / 1MB))
Set-TSVar "GatherSerial" (Get-CimInstance Win32_BIOS).SerialNumber
$os = Get-CimInstance Win32_OperatingSystem
Set-TSVar "GatherOSBuild" ([version]$os.Version).Build
Set-TSVar "GatherIsVM" ($cs.Model -match 'Virtual|VMware|VirtualBox')
`;
  it("gathers make, model, memory, serial and OS build on a Lenovo (friendly model from Win32_ComputerSystemProduct)", async () => {
    const r = await run(gather, "lenovo-thinkpad-t14-gen4");
    expect([r.vars("GatherMake"), r.vars("GatherModel"), r.vars("GatherMemoryMB"), r.vars("GatherSerial"), r.vars("GatherIsVM")]).toEqual(["Lenovo", "ThinkPad T14 Gen 4", "16384", "PF4K7Q2M", "False"]);
    expect(r.vars("GatherOSBuild")).toMatch(/^\d{5}$/);
  });
  it("gathers on a Hyper-V virtual machine", async () => {
    const r = await run(gather, "hyperv-gen2-vm");
    expect([r.vars("GatherMake"), r.vars("GatherModel"), r.vars("GatherMemoryMB"), r.vars("GatherIsVM"), r.vars("GatherOSBuild")]).toEqual(["Microsoft", "Virtual Machine", "8192", "True", "22621"]);
  });

  const laptop = `${HEADER}
# MDT-style laptop / desktop detection from chassis types, with a battery as a fallback.
$laptopChassis = @(8, 9, 10, 11, 12, 14, 18, 21, 30, 31, 32)
$desktopChassis = @(3, 4, 5, 6, 7, 13, 15, 16, 35, 36)
$isLaptop = $false; $isDesktop = $false
foreach ($type in (Get-CimInstance -ClassName Win32_SystemEnclosure).ChassisTypes) {
  if ($laptopChassis -contains $type) { $isLaptop = $true }
  if ($desktopChassis -contains $type) { $isDesktop = $true }
}
$batteries = @(Get-CimInstance -ClassName Win32_Battery)
if (-not $isLaptop -and $batteries.Count -gt 0) { $isLaptop = $true; $isDesktop = $false }
$tsenv.Value("IsLaptop") = $isLaptop.ToString()
$tsenv.Value("IsDesktop") = "$isDesktop"
"laptop=$isLaptop desktop=$isDesktop batteries=$($batteries.Count)"
`;
  it.each([
    ["dell-latitude-5440", "True", "False", 1],
    ["microsoft-surface-pro-9", "True", "False", 1],
    ["dell-optiplex-7010-bios", "False", "True", 0],
    ["hyperv-gen2-vm", "False", "True", 0],
  ] as const)("laptop detection on %s", async (device, isLaptop, isDesktop, batteries) => {
    const r = await run(laptop, device);
    expect([r.vars("IsLaptop"), r.vars("IsDesktop")]).toEqual([isLaptop, isDesktop]);
    expect(r.output).toEqual([`laptop=${isLaptop} desktop=${isDesktop} batteries=${batteries}`]);
  });

  const nvme = `${HEADER}
# Pick the largest NVMe disk (MSFT_Disk BusType 17) as the OS disk.
$disks = Get-CimInstance -Namespace "root\\Microsoft\\Windows\\Storage" -ClassName MSFT_Disk |
  Where-Object { $_.BusType -eq 17 } |
  Sort-Object -Property Size -Descending
if (@($disks).Count -eq 0) {
  Write-Warning "No NVMe disk found"
  exit 1
}
$target = $disks | Select-Object -First 1
$tsenv.Value("OSDDiskIndex") = "$($target.Number)"
$tsenv.Value("OSDDiskSizeGB") = "{0:N0}" -f ($target.Size / 1GB)
`;
  it("selects the NVMe disk on a Dell Latitude", async () => {
    const r = await run(nvme, "dell-latitude-5440");
    expect(r.result.exitCode).toBe(0);
    expect([r.vars("OSDDiskIndex"), r.vars("OSDDiskSizeGB")]).toEqual(["0", "477"]);
  });
  it.each(["dell-optiplex-7010-bios", "hyperv-gen2-vm"] as const)("fails with exit 1 and a warning when %s has no NVMe disk", async (device) => {
    const r = await run(nvme, device);
    expect(r.result.exitCode).toBe(1);
    expect(r.vars("OSDDiskIndex")).toBeUndefined();
    expect(r.result.records).toContainEqual({ stream: "warning", text: "No NVMe disk found" });
  });

  const network = `${HEADER}
$adapter = Get-WmiObject -Class Win32_NetworkAdapterConfiguration -Filter "IPEnabled = TRUE" | Select-Object -First 1
$tsenv.Value("OSDMacAddress") = $adapter.MACAddress.Replace(":", "")
$tsenv.Value("OSDIPAddress") = @($adapter.IPAddress)[0]
`;
  it("reads the first IP-enabled adapter", async () => {
    const r = await run(network, "dell-latitude-5440");
    expect([r.vars("OSDMacAddress"), r.vars("OSDIPAddress")]).toEqual(["6C3C8C5A112F", "10.10.20.51"]);
  });

  const vmDetect = `${HEADER}
$cs = Get-WmiObject Win32_ComputerSystem
$bios = Get-WmiObject Win32_BIOS
$isVM = switch -Regex ("$($cs.Manufacturer) $($cs.Model) $($bios.SMBIOSBIOSVersion)") {
  'VMware' { "VMware"; break }
  'VirtualBox|innotek' { "VirtualBox"; break }
  'Hyper-V|Virtual Machine' { "Hyper-V"; break }
  default { "" }
}
$tsenv.Value("IsVM") = if ($isVM) { "True" } else { "False" }
$tsenv.Value("VMPlatform") = $isVM
`;
  it.each([
    ["hyperv-gen2-vm", "True", "Hyper-V"],
    ["dell-optiplex-7010-bios", "False", undefined],
  ] as const)("virtual machine detection on %s", async (device, isVm, platform) => {
    const r = await run(vmDetect, device);
    expect([r.vars("IsVM"), r.vars("VMPlatform")]).toEqual([isVm, platform]);
  });
});

describe("preflight checks", () => {
  const battery = `${HEADER}
$battery = Get-CimInstance -ClassName Win32_Battery
if ($null -eq $battery) { "No battery: desktop or VM"; exit 0 }
$charge = [int]$battery.EstimatedChargeRemaining
$onAC = $battery.BatteryStatus -ne 1
$tsenv.Value("BatteryCharge") = $charge
if (-not $onAC -and $charge -lt 50) {
  Write-Host "Battery at $charge% and not on AC power: connect the charger." -ForegroundColor Red
  exit 1
}
"Battery OK ($charge%)"
`;
  it.each([
    ["dell-latitude-5440", 0, "86", "Battery OK (86%)"],
    ["lenovo-thinkpad-t14-gen4", 1, "41", undefined],
    ["dell-optiplex-7010-bios", 0, undefined, "No battery: desktop or VM"],
  ] as const)("battery preflight on %s", async (device, exitCode, charge, line) => {
    const r = await run(battery, device);
    expect(r.result.exitCode).toBe(exitCode);
    expect(r.vars("BatteryCharge")).toBe(charge);
    if (line !== undefined) expect(r.output).toEqual([line]);
    else expect(r.result.records).toContainEqual({ stream: "host", text: "Battery at 41% and not on AC power: connect the charger." });
  });

  const freeSpace = `param([int]$MinimumGB = 20)
${HEADER}
$disk = Get-CimInstance -ClassName Win32_LogicalDisk -Filter "DeviceID = 'C:'"
if (-not $disk) { Write-Output "No C: drive"; exit 2 }
$freeGB = [math]::Round($disk.FreeSpace / 1GB, 1)
$tsenv.Value("FreeSpaceGB") = $freeGB
if ($freeGB -lt $MinimumGB) { Write-Output "Only $freeGB GB free, $MinimumGB GB needed"; exit 1 }
Write-Output ("{0} GB free on C: ({1:P0})" -f $freeGB, ($disk.FreeSpace / $disk.Size))
`;
  it("free-disk preflight passes on a Dell Latitude", async () => {
    const r = await run(freeSpace, "dell-latitude-5440");
    expect(r.result.exitCode).toBe(0);
    expect(r.vars("FreeSpaceGB")).toBe("357.7");
    expect(r.output).toEqual(["357.7 GB free on C: (75 %)"]);
  });
  it("free-disk preflight honours a script parameter", async () => {
    const r = await run(freeSpace, "dell-optiplex-7010-bios", {}, { MinimumGB: "300" });
    expect(r.result.exitCode).toBe(1);
    expect(r.output).toEqual(["Only 255.2 GB free, 300 GB needed"]);
  });
  it("free-disk preflight exits 2 in Windows PE without a C: drive", async () => {
    const r = await run(freeSpace, "hp-elitebook-840-g10");
    expect(r.result.exitCode).toBe(2);
  });

  const tpm = `${HEADER}
$tpm = Get-CimInstance -Namespace "root/cimv2/Security/MicrosoftTpm" -ClassName Win32_Tpm -ErrorAction SilentlyContinue
if (-not $tpm) { exit 2 }
$spec = ($tpm.SpecVersion -split ",")[0].Trim()
$ready = $tpm.IsEnabled_InitialValue -and $tpm.IsActivated_InitialValue -and ([version]$spec -ge [version]"2.0")
$tsenv.Value("TPMSpecVersion") = $spec
$tsenv.Value("TPMReady") = "$ready"
if (-not $ready) { exit 1 }
`;
  it.each([
    ["dell-latitude-5440", 0, "2.0", "True"],
    ["dell-optiplex-7010-bios", 1, "1.2", "False"],
  ] as const)("TPM 2.0 readiness on %s", async (device, exitCode, spec, ready) => {
    const r = await run(tpm, device);
    expect([r.result.exitCode, r.vars("TPMSpecVersion"), r.vars("TPMReady")]).toEqual([exitCode, spec, ready]);
  });

  const osBuild = `${HEADER}
$key = "HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"
if (-not (Test-Path -Path $key)) { $tsenv.Value("OSBuildCheck") = "NoOS"; exit 0 }
$cv = Get-ItemProperty -Path $key
$build = [int]$cv.CurrentBuild
$tsenv.Value("OSBuild") = "$build.$($cv.UBR)"
$tsenv.Value("OSBuildCheck") = if ($build -ge 22000) { "Windows11" } elseif ($build -ge 19045) { "Windows10-22H2" } else { "Unsupported" }
`;
  it.each([
    ["dell-latitude-5440", "Windows11", "22631.3447"],
    ["dell-optiplex-7010-bios", "Windows10-22H2", "19045."],
    ["hp-elitebook-840-g10", "NoOS", undefined],
  ] as const)("Windows build from the registry on %s", async (device, check, build) => {
    const r = await run(osBuild, device);
    expect([r.vars("OSBuildCheck"), r.vars("OSBuild")]).toEqual([check, build]);
  });

  const memory = `${HEADER}
$gb = [math]::Round((Get-CimInstance Win32_ComputerSystem).TotalPhysicalMemory / 1GB)
$tsenv.Value("MemoryGB") = $gb
if ($gb -lt 16) { Write-Warning "$gb GB of memory: below the 16 GB standard" }
`;
  it("memory check warns below the standard", async () => {
    const r = await run(memory, "dell-optiplex-7010-bios");
    expect(r.vars("MemoryGB")).toBe("8");
    expect(r.result.records).toContainEqual({ stream: "warning", text: "8 GB of memory: below the 16 GB standard" });
  });
});

describe("model-specific content", () => {
  const drivers = `${HEADER}
$make = (Get-CimInstance Win32_ComputerSystem).Manufacturer
$model = (Get-CimInstance Win32_ComputerSystem).Model
$package = $null
switch -Wildcard ($make) {
  "Dell*" {
    switch ($model) {
      "Latitude 5440" { $package = "CM100123" }
      "OptiPlex 7010" { $package = "CM100045" }
    }
  }
  "HP" {
    switch -Regex ($model) {
      'EliteBook 840 .*G10' { $package = "CM100201" }
      'EliteBook 840 .*G9'  { $package = "CM100200" }
    }
  }
  "LENOVO" { $package = @{ "21HD" = "CM100301"; "20XW" = "CM100300" }[$model.Substring(0, 4)] }
  default { Write-Output "No driver packages for $make" }
}
if ($package) {
  $tsenv.Value("OSDDownloadDownloadPackages") = $package
  Write-Output "Driver package $package for $make $model"
} else {
  $tsenv.Value("SkipDrivers") = "true"
}
`;
  it.each([
    ["dell-latitude-5440", "CM100123"],
    ["dell-optiplex-7010-bios", "CM100045"],
    ["hp-elitebook-840-g10", "CM100201"],
    ["lenovo-thinkpad-t14-gen4", "CM100301"],
  ] as const)("driver package for %s", async (device, pkg) => {
    const r = await run(drivers, device);
    expect(r.vars("OSDDownloadDownloadPackages")).toBe(pkg);
    expect(r.vars("SkipDrivers")).toBeUndefined();
  });
  it("no driver package for a Surface", async () => {
    const r = await run(drivers, "microsoft-surface-pro-9");
    expect(r.vars("SkipDrivers")).toBe("true");
    expect(r.output).toEqual(["No driver packages for Microsoft Corporation"]);
  });

  const bios = `${HEADER}
$minimum = @{ "Latitude 5440" = "1.16.0"; "OptiPlex 7010" = "A29" }
$model = (Get-CimInstance Win32_ComputerSystem).Model
$current = (Get-CimInstance Win32_BIOS).SMBIOSBIOSVersion
if (-not $minimum.ContainsKey($model)) { $tsenv.Value("BIOSUpdate") = "Unknown"; return }
$needed = $minimum[$model]
if ($current -match '^\\d+(\\.\\d+)+$') { $update = [version]$current -lt [version]$needed } else { $update = $current -ne $needed }
$tsenv.Value("BIOSUpdate") = if ($update) { "Required" } else { "Current" }
`;
  it.each([
    ["dell-latitude-5440", "Required"],
    ["dell-optiplex-7010-bios", "Current"],
    ["hyperv-gen2-vm", "Unknown"],
  ] as const)("BIOS update decision on %s", async (device, decision) => {
    const r = await run(bios, device);
    expect(r.vars("BIOSUpdate")).toBe(decision);
  });

  const software = `${HEADER}
$tools = [ordered]@{
  DellCommandUpdate = "C:\\Program Files\\Dell\\CommandUpdate\\dcu-cli.exe"
  LenovoSystemUpdate = "C:\\Program Files (x86)\\Lenovo\\System Update\\tvsu.exe"
}
foreach ($name in $tools.Keys) {
  $path = $tools[$name]
  if (Test-Path -Path $path -PathType Leaf) {
    $version = (Get-Item -Path $path).VersionInfo.FileVersion
    $tsenv.Value($name) = if ($version) { $version } else { "Installed" }
  }
}
$tsenv.Value("ClientInstalled") = [string](Test-Path "C:\\Windows\\CCM\\CcmExec.exe")
`;
  it("detects vendor tools and the ConfigMgr client from files", async () => {
    const r = await run(software, "dell-latitude-5440");
    expect(r.vars("DellCommandUpdate")).toMatch(/^(\d+\.)+\d+$|^Installed$/);
    expect([r.vars("LenovoSystemUpdate"), r.vars("ClientInstalled")]).toEqual([undefined, "True"]);
  });
});

describe("TSEnvironment and TsProgressUI patterns (com-api.md §3)", () => {
  // Pattern 2 (a script log under _SMSTSLogPath) is in file-writes.test.ts, and as a step on the
  // simulated device in packages/steps/test/script-host-wiring.test.ts.
  const detect = `
try {
  $tsenv = New-Object -ComObject Microsoft.SMS.TSEnvironment -ErrorAction Stop
  "Running in a task sequence, log path $($tsenv.Value('_SMSTSLogPath'))"
} catch {
  "Not running in a task sequence: $($_.Exception.HResult)"
}
`;
  it("detects a running task sequence", async () => {
    const r = await run(detect, undefined);
    expect(r.output).toEqual(["Running in a task sequence, log path C:\\Windows\\CCM\\Logs\\SMSTSLog"]);
  });
  it("detects that no task sequence runs (REGDB_E_CLASSNOTREG)", async () => {
    const r = await kit.lines(detect);
    expect(r).toEqual(["Not running in a task sequence: -2147221164"]);
  });

  it("creates, updates and deletes a variable; an unknown name reads as empty", async () => {
    const r = await run(`${HEADER}
$tsenv.Value("MyVar") = "one"
$tsenv.Value("MyVar") = $tsenv.Value("MyVar") + "-two"
"[$($tsenv.Value('MyVar'))] [$($tsenv.Value('NoSuchVariable'))]"
$tsenv.Value("Temp") = "x"
$tsenv.Value("Temp") = ""
`, undefined, { Existing: "keep" });
    expect(r.output).toEqual(["[one-two] []"]);
    expect([r.vars("MyVar"), r.vars("Temp"), r.vars("Existing")]).toEqual(["one-two", undefined, "keep"]);
  });

  it("imports every variable into script variables and dumps them, skipping hidden ones", async () => {
    const r = await run(`${HEADER}
$tsenv.GetVariables() | ForEach-Object { Set-Variable -Name "$_" -Value "$($tsenv.Value($_))" }
"Org: $_SMSTSOrgName"
foreach ($name in $tsenv.GetVariables()) {
  if ($name.StartsWith("_") -or $name -like "*Password*") { continue }
  "{0} = {1}" -f $name, $tsenv.Value($name)
}
`, undefined, { OSDComputerName: "PC42", OSDJoinPassword: "S3cret!", Zone: "EU" });
    expect(r.output).toEqual(["Org: Contoso IT", "OSDComputerName = PC42", "Zone = EU"]);
  });

  it("offers MDT's TSEnv: drive ($tsenv:Name, Get-Item, Set-Item, Test-Path, enumeration)", async () => {
    const r = await run(`
$tsenv:OSDComputerName = "PSD-01"
"read: $tsenv:OSDComputerName"
Set-Item -Path TSEnv:Zone -Value "EU"
(Get-Item TSEnv:Zone).Value
Test-Path TSEnv:Zone
Test-Path TSEnv:Nope
(Get-ChildItem TSEnv: | Where-Object Name -like "OSD*").Name
try { $tsenv:_SMSTSLogPath = "x" } catch { "refused" }
`, undefined);
    expect(r.output).toEqual(["read: PSD-01", "EU", "True", "False", "OSDComputerName", "refused"]);
    expect([r.vars("OSDComputerName"), r.vars("Zone")]).toEqual(["PSD-01", "EU"]);
  });

  it("a secret a script prints is masked in the captured output", async () => {
    const r = await run(`${HEADER}"join with $($tsenv.Value('OSDJoinPassword'))"`, undefined, { OSDJoinPassword: "S3cret!" });
    expect(r.output.join("\n")).not.toContain("S3cret!");
    expect(r.output).toEqual(["join with ********"]);
  });

  it("fails to write a read-only variable and catches the COM error", async () => {
    const r = await run(`${HEADER}
try {
  $tsenv.Value("_SMSTSLogPath") = "C:\\Temp"
  "written"
} catch {
  "refused: 0x{0:X8}" -f $_.Exception.HResult
}
`, undefined);
    expect(r.output).toEqual(["refused: 0x80070005"]);
    expect(r.vars("_SMSTSLogPath")).toBe("C:\\Windows\\CCM\\Logs\\SMSTSLog");
  });

  it("closes the progress dialog, asks Yes/No with ShowMessageEx and branches on 6", async () => {
    const r = await run(`${HEADER}
$ui = New-Object -ComObject Microsoft.SMS.TsProgressUI
$ui.CloseProgressDialog()
$answer = 0
$ui.ShowMessageEx("Wipe the disk?", "Confirm", 4, [ref]$answer)
if ($answer -eq 6) { $tsenv.Value("WipeDisk") = "YES" } else { $tsenv.Value("WipeDisk") = "NO" }
`, undefined);
    expect(r.vars("WipeDisk")).toBe("YES");
    expect(r.result.events.map((e) => e.type)).toEqual(["close-progress", "message"]);
  });

  it("reports in-step progress with ShowActionProgress", async () => {
    const r = await run(`${HEADER}
$ui = New-Object -ComObject Microsoft.SMS.TsProgressUI
$steps = @("Prepare", "Copy", "Verify")
for ($i = 0; $i -lt $steps.Count; $i++) {
  $ui.ShowActionProgress($tsenv.Value("_SMSTSOrgName"), $tsenv.Value("_SMSTSPackageName"), "", "Custom step", 1, 5, $steps[$i], $i + 1, $steps.Count)
}
`, undefined);
    expect(r.result.events.map((e) => e.type)).toEqual(["action-progress", "action-progress", "action-progress"]);
  });

  it("sets an output both by a variable and by printing", async () => {
    const r = await run(`${HEADER}
$result = "Compliant"
$tsenv.Value("ComplianceResult") = $result
Write-Output "Result: $result"
Write-Host "done"
`, undefined);
    expect(r.vars("ComplianceResult")).toBe("Compliant");
    expect(r.result.output).toBe("Result: Compliant");
  });

  it.each([
    ["true", 3010],
    ["false", 0],
  ] as const)("exits 3010 to ask for a restart (NeedsRestart=%s)", async (needs, code) => {
    const r = await run(`${HEADER}
if ($tsenv.Value("NeedsRestart") -eq "true") { Write-Output "Restart required"; exit 3010 }
exit 0
`, undefined, { NeedsRestart: needs });
    expect(r.result.exitCode).toBe(code);
  });

  it("Write-Error is non-terminating: the script goes on and exits 0", async () => {
    const created = testEnvironment();
    const r = await kit.ok("Write-Error 'disk check failed'\n'went on'", { env: created });
    expect(r.exitCode).toBe(0);
    expect(r.records).toEqual([
      { stream: "error", text: "disk check failed" },
      { stream: "output", text: "went on" },
    ]);
  });

  it("an uncaught terminating error exits 1 with the message and line on the error stream", async () => {
    const r = await run(`${HEADER}
$x = 1
throw "Gather failed"
$tsenv.Value("Never") = "set"
`, undefined);
    expect(r.result.exitCode).toBe(1);
    expect(r.vars("Never")).toBeUndefined();
    expect(r.result.records).toContainEqual({ stream: "error", text: "Gather failed (line 4)" });
  });
});

describe("configuration and logging scripts", () => {
  it("turns a JSON deployment config into a dynamic application list (AA01, AA02, ...)", async () => {
    const r = await run(`${HEADER}
$config = $tsenv.Value("DeployConfig") | ConvertFrom-Json
$apps = $config.applications | Where-Object { $_.required -or $_.department -eq $config.department } | Sort-Object -Property order
$i = 1
foreach ($app in $apps) { $tsenv.Value("AA{0:D2}" -f $i) = $app.name; $i++ }
$tsenv.Value("AppCount") = $apps.Count
`, undefined, {
      DeployConfig: JSON.stringify({
        department: "Finance",
        applications: [
          { name: "Office 365", required: true, order: 2 },
          { name: "SAP GUI", department: "Finance", order: 3 },
          { name: "CAD Suite", department: "Engineering", order: 1 },
          { name: "Teams", required: true, order: 1 },
        ],
      }),
    });
    expect([r.vars("AA01"), r.vars("AA02"), r.vars("AA03"), r.vars("AA04"), r.vars("AppCount")]).toEqual(["Teams", "Office 365", "SAP GUI", undefined, "3"]);
  });

  it("a CMTrace-style Write-Log function formats lines with the simulated clock", async () => {
    const r = await run(`${HEADER}
function Write-Log {
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true)][string]$Message,
    [ValidateSet(1, 2, 3)][int]$Severity = 1,
    [string]$Component = "Preflight"
  )
  $time = Get-Date -Format "HH:mm:ss.fff"
  $date = Get-Date -Format "MM-dd-yyyy"
  $line = '<![LOG[{0}]LOG]!><time="{1}+000" date="{2}" component="{3}" context="" type="{4}" thread="" file="">' -f $Message, $time, $date, $Component, $Severity
  Write-Output $line
}
Write-Log -Message "Starting"
Start-Sleep -Milliseconds 1500
Write-Log "Low battery" -Severity 2
`, undefined);
    expect(r.output).toEqual([
      '<![LOG[Starting]LOG]!><time="09:30:00.000+000" date="11-21-2026" component="Preflight" context="" type="1" thread="" file="">',
      '<![LOG[Low battery]LOG]!><time="09:30:01.500+000" date="11-21-2026" component="Preflight" context="" type="2" thread="" file="">',
    ]);
  });

  it("naming by chassis and asset tag with a parameterised prefix", async () => {
    const source = `param([string]$Site = "HQ")
${HEADER}
$enclosure = Get-CimInstance Win32_SystemEnclosure
$kind = if (@(8, 9, 10, 14, 30, 31, 32) | Where-Object { $enclosure.ChassisTypes -contains $_ }) { "L" } elseif ((Get-CimInstance Win32_ComputerSystem).Model -like "*Virtual*") { "V" } else { "D" }
$id = $enclosure.SMBIOSAssetTag
if ([string]::IsNullOrWhiteSpace($id) -or $id -match 'No Asset|Default') { $id = (Get-CimInstance Win32_BIOS).SerialNumber }
$id = ($id -replace '[^A-Za-z0-9]', '')
$name = "{0}-{1}-{2}" -f $Site, $kind, $id
$tsenv.Value("OSDComputerName") = $name.Substring(0, [math]::Min(15, $name.Length)).ToUpper()
`;
    const latitude = await run(source, "dell-latitude-5440", {}, { Site: "NYC" });
    expect(latitude.vars("OSDComputerName")).toBe("NYC-L-CONTOSO04");
    const vm = await run(source, "hyperv-gen2-vm");
    expect(vm.vars("OSDComputerName")).toMatch(/^HQ-V-[0-9A-Z]{1,10}$/);
  });
});

describe("scripts written the way people write them", () => {
  it("comment-based help, #Requires, splatting, backtick continuations, Add-Member and JSON inventory", async () => {
    const r = await run(`<#
.SYNOPSIS
    Collects a hardware inventory into a task sequence variable.
.NOTES
    Version 2.1
#>
#Requires -Version 3.0
[CmdletBinding()]
param()
$ErrorActionPreference = "Stop"
$tsenv = New-Object -ComObject Microsoft.SMS.TSEnvironment
$cim = @{ ClassName = "Win32_ComputerSystem"; ErrorAction = "SilentlyContinue" }
$cs = Get-CimInstance @cim
$inventory = New-Object -TypeName PSObject
$inventory | Add-Member -MemberType NoteProperty -Name "Manufacturer" -Value $cs.Manufacturer
$inventory | Add-Member -NotePropertyName Model -NotePropertyValue $cs.Model
Add-Member -InputObject $inventory -NotePropertyMembers @{ Serial = (Get-CimInstance Win32_BIOS).SerialNumber }
$disks = Get-CimInstance -Namespace "root\\Microsoft\\Windows\\Storage" \`
  -ClassName MSFT_Disk
$inventory | Add-Member -MemberType NoteProperty -Name Disks -Value @(
  $disks | ForEach-Object {
    [PSCustomObject]@{
      Number = $_.Number
      SizeGB = [math]::Round($_.Size / 1GB)
    }
  }
)
if ($inventory.Manufacturer -and
    $inventory.Model) {
  $tsenv.Value("Inventory") = $inventory | ConvertTo-Json -Compress -Depth 3
}
`, "dell-optiplex-7010-bios");
    expect(JSON.parse(r.vars("Inventory") ?? "")).toEqual({
      Manufacturer: "Dell Inc.",
      Model: "OptiPlex 7010",
      Serial: "4XQ8KW1",
      Disks: [
        { Number: 0, SizeGB: 466 },
        { Number: 1, SizeGB: 29 },
      ],
    });
  });
});

describe("registry, files and WMI queries", () => {
  it("walks the registry and the file system and reads versions", async () => {
    const r = await run(`${HEADER}
(Get-ChildItem -Path "HKLM:\\SOFTWARE\\Microsoft" | Select-Object -ExpandProperty PSChildName | Sort-Object) -join ","
$client = Get-ItemProperty -Path "Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\SMS\\Mobile Client" -Name ProductVersion
$tsenv.Value("ClientVersion") = $client.ProductVersion
(Get-Item "HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion").GetValue("DisplayVersion")
Get-ItemPropertyValue "HKLM:\\SOFTWARE\\WOW6432Node\\Dell\\UpdateService" -Name Version
Get-ChildItem -Path C:\\Windows\\System32 -Filter *.exe | ForEach-Object { "{0} {1} {2}" -f $_.Name, $_.Length, $_.VersionInfo.FileVersion }
(Get-ChildItem C:\\Windows -Recurse -File | Measure-Object).Count
Test-Path "HKLM:\\SOFTWARE\\Contoso"
Test-Path C:\\Windows\\CCM -PathType Container
`, "dell-latitude-5440");
    expect(r.output).toEqual(["SMS,Windows NT", "23H2", "5.2.0", "notepad.exe 201216 10.0.22621.3374", "3", "False", "True"]);
    expect(r.vars("ClientVersion")).toBe("5.00.9128.1000");
  });

  it("runs WQL through -Query, -Filter and other namespaces", async () => {
    const r = await run(`
(Get-WmiObject -Query "SELECT SerialNumber FROM Win32_BIOS").SerialNumber
(Get-CimInstance -Namespace root/wmi -ClassName MS_SystemInformation).SystemSKU
@(Get-CimInstance Win32_LogicalDisk -Filter "DriveType = 3 AND FreeSpace > 1000").Count
try { Get-CimInstance -Query "SELEC nonsense" -ErrorAction Stop } catch { "bad query: $($_.Exception.GetType().Name)" }
`, "dell-latitude-5440");
    expect(r.output).toEqual(["8H3KQV3", "0C1D", "1", "bad query: ManagementException"]);
  });
});

describe("documentation", () => {
  it("the PowerShell example of docs/custom-steps.md runs as documented", async () => {
    const doc = readFileSync(new URL("../../../docs/custom-steps.md", import.meta.url), "utf8");
    const source = /```powershell\n([\s\S]*?)```/.exec(doc)?.[1] ?? "";
    expect(source).toContain("OSDComputerName");
    const r = await run(source, "dell-latitude-5440");
    expect(r.result.exitCode).toBe(3010);
    expect([r.vars("OSDComputerName"), r.vars("IsLaptop"), r.vars("OSDDiskIndex"), r.vars("InstallBios")]).toEqual(["PC-8H3KQV3", "True", "0", "true"]);
  });
});
