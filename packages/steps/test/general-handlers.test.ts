import { describe, expect, it } from "vitest";
import { encodePowerShellScript } from "@taskseq/xml";
import {
  checkReadinessHandler,
  connectNetworkFolderHandler,
  createRunPowerShellScriptHandler,
  downloadPackageContentHandler,
  installApplicationHandler,
  installPackageHandler,
  installSoftwareUpdatesHandler,
  joinDomainWorkgroupHandler,
  restartComputerHandler,
  runCommandLineHandler,
  runScriptHandler,
  setVariableHandler,
} from "../src/index.js";
import { device, run } from "./helpers.js";

const laptop = () => device("dell-latitude-5440");
const pe = () => device("hp-elitebook-840-g10");

describe("Run Command Line", () => {
  it("returns the exit code and writes the output variable", async () => {
    const r = await run(runCommandLineHandler, { device: laptop(), settings: { CommandLine: "dcu-cli.exe /applyUpdates", OutputVariableName: "Out" } });
    expect(r.result.exitCode).toBe(0);
    expect(r.get("Out")).toBe("Updates applied.");
    expect(r.logs).toContain("I Command line: dcu-cli.exe /applyUpdates");
  });

  it("fails with the program's exit code and hides the command line with OSDDoNotLogCommand", async () => {
    const r = await run(runCommandLineHandler, { device: laptop(), settings: { CommandLine: "cmd.exe /c exit 5" }, vars: { OSDDoNotLogCommand: "TRUE" } });
    expect(r.result.exitCode).toBe(5);
    expect(r.logs.join("\n")).not.toContain("exit 5");
  });

  it("refuses run-as in Windows PE with AccessDenied (5)", async () => {
    const r = await run(runCommandLineHandler, { device: pe(), settings: { CommandLine: "cmd /c exit 0", RunAsUser: "true", UserName: "CORP\\svc", UserPassword: "pw" } });
    expect(r.result).toMatchObject({ exitCode: 5, error: { code: "AccessDenied" } });
  });

  it("rejects bad settings: empty command, invalid or read-only output variable", async () => {
    expect((await run(runCommandLineHandler, { device: laptop(), settings: {} })).result.error?.code).toBe("InvalidSetting");
    expect((await run(runCommandLineHandler, { device: laptop(), settings: { CommandLine: "x", OutputVariableName: "bad name" } })).result.exitCode).toBe(87);
    expect((await run(runCommandLineHandler, { device: laptop(), settings: { CommandLine: "x", OutputVariableName: "_SMSTSX" } })).result.exitCode).toBe(5);
    expect((await run(runCommandLineHandler, { device: laptop(), settings: { CommandLine: "x", WorkingDirectory: `C:\\${"d".repeat(260)}` } })).result.exitCode).toBe(87);
  });

  it("fails with StepTimeout (1460) when the program outlives the step timeout, keeping the output", async () => {
    const r = await run(runCommandLineHandler, { device: laptop(), step: { timeout: 60 }, settings: { CommandLine: "dcu-cli.exe /applyUpdates", OutputVariableName: "Out" } });
    expect(r.result).toMatchObject({ exitCode: 1460, succeeded: false, error: { code: "StepTimeout" } });
    expect(r.get("Out")).toBeDefined();
  });

  it("runs as the global SMSTSRunCommandLineAsUser account without logging its password", async () => {
    const vars = { SMSTSRunCommandLineAsUser: "true", SMSTSRunCommandLineUserName: "CORP\\svc", SMSTSRunCommandLineUserPassword: "Pw-123" };
    const r = await run(runCommandLineHandler, { device: laptop(), settings: { CommandLine: "cmd /c exit 0" }, vars });
    expect(r.result.exitCode).toBe(0);
    expect(r.logs).toContain("I Running as CORP\\svc.");
    expect(r.logs.join("\n")).not.toContain("Pw-123");
  });

  it("uses the <action> of MDT files that have no CommandLine setting", async () => {
    const r = await run(runCommandLineHandler, { device: laptop(), step: { action: "cmd /c exit %Code%" }, settings: { RunAsUser: "false" }, vars: { Code: "9" } });
    expect(r.result.exitCode).toBe(9);
  });

  it("fails with AdapterMissing (50) without a command runner", async () => {
    const r = await run(runCommandLineHandler, { device: {}, settings: { CommandLine: "x" } });
    expect(r.result).toMatchObject({ exitCode: 50, error: { code: "AdapterMissing" } });
  });

  it("fails with ContentNotFound for a missing package", async () => {
    const r = await run(runCommandLineHandler, { device: laptop(), settings: { CommandLine: "setup.exe", PackageID: "NOPE0001" } });
    expect(r.result).toMatchObject({ exitCode: -2147024894, error: { code: "ContentNotFound" } });
  });
});

describe("Set Task Sequence Variable", () => {
  it("sets, hides and deletes", async () => {
    const r = await run(setVariableHandler, { settings: { VariableName: "Color", VariableValue: "Blue" } });
    expect(r.get("Color")).toBe("Blue");
    const s = await run(setVariableHandler, { settings: { VariableName: "Token", VariableValue: "hunter2", DoNotShowVariableValue: "true" } });
    expect(s.ctx.env.isSecret("Token")).toBe(true);
    expect(s.logs.join("\n")).not.toContain("hunter2");
    const d = await run(setVariableHandler, { settings: { VariableName: "Color", VariableValue: "" }, vars: { Color: "Red" } });
    expect(d.get("Color")).toBeUndefined();
  });

  it("fails on read-only (5), invalid names and long values (87)", async () => {
    expect((await run(setVariableHandler, { settings: { VariableName: "_SMSTSX", VariableValue: "1" } })).result.exitCode).toBe(5);
    expect((await run(setVariableHandler, { settings: { VariableName: "a b", VariableValue: "1" } })).result.exitCode).toBe(87);
    expect((await run(setVariableHandler, { settings: { VariableName: "A", VariableValue: "x".repeat(4001) } })).result.exitCode).toBe(87);
  });
});

describe("Restart Computer", () => {
  it("asks for a restart into the requested target", async () => {
    const r = await run(restartComputerHandler, { device: laptop(), settings: { Target: "WinPE", Message: "Bye", MessageTimeout: "60" } });
    expect(r.result).toEqual({ exitCode: 0, restart: { target: "WinPE", then: "next", message: "Bye", timeoutSeconds: 60 } });
  });

  it("picks HD for an empty target when the installed OS can boot, WinPE otherwise", async () => {
    expect((await run(restartComputerHandler, { device: laptop(), settings: { Target: "" } })).result.restart?.target).toBe("HD");
    expect((await run(restartComputerHandler, { device: pe(), settings: { Target: "" } })).result.restart?.target).toBe("WinPE");
  });

  it("rejects an unknown target and a long message", async () => {
    expect((await run(restartComputerHandler, { settings: { Target: "USB" } })).result.error?.code).toBe("InvalidSetting");
    expect((await run(restartComputerHandler, { settings: { Target: "HD", Message: "m".repeat(513) } })).result.error?.code).toBe("InvalidSetting");
  });
});

describe("Check Readiness", () => {
  const all = { CheckMemory: "true", Memory: "2048", CheckOSType: "true", OSType: "CLIENT", CheckDeviceUEFI: "true", CheckPowerState: "true", CheckNetworkWired: "true", CheckMinOSVersion: "true", MinOSVersion: "10.0.19041" };

  it("passes and writes each _TS_CR variable", async () => {
    const r = await run(checkReadinessHandler, { device: laptop(), settings: all });
    expect(r.result.exitCode).toBe(0);
    for (const v of ["_TS_CRMEMORY", "_TS_CROSTYPE", "_TS_CRUEFI", "_TS_CRACPOWER", "_TS_CRWIRED", "_TS_CRMINOSVER"]) expect(r.get(v)).toBe("1");
    expect(r.get("_TS_CRSPEED")).toBeUndefined();
  });

  it("evaluates every check and fails with 4316 listing the failures", async () => {
    const r = await run(checkReadinessHandler, { device: device("lenovo-thinkpad-t14-gen4"), settings: { ...all, Memory: "99999999", CheckMaxOSVersion: "true", MaxOSVersion: "6.1" } });
    expect(r.result).toMatchObject({ exitCode: 4316, succeeded: false, error: { code: "ReadinessCheckFailed" } });
    expect(r.result.error?.details?.["failedChecks"]).toEqual(expect.arrayContaining(["Minimum memory", "AC power", "Maximum OS version"]));
    expect(r.get("_TS_CRMEMORY")).toBe("0");
    expect(r.get("_TS_CROSTYPE")).toBe("1");
  });

  it("records UEFI as 1 and BIOS as 0", async () => {
    const r = await run(checkReadinessHandler, { device: device("dell-optiplex-7010-bios"), settings: { CheckDeviceUEFI: "true" } });
    expect(r.get("_TS_CRUEFI")).toBe("0");
    expect(r.result.exitCode).toBe(4316);
  });

  it("rejects a malformed version setting", async () => {
    expect((await run(checkReadinessHandler, { device: laptop(), settings: { CheckMinOSVersion: "true", MinOSVersion: "ten" } })).result.exitCode).toBe(87);
  });
});

describe("Download Package Content", () => {
  it("downloads in order and writes 01, 02 by position", async () => {
    const r = await run(downloadPackageContentHandler, { device: laptop(), settings: { DownloadPackages: "CM100020,CM100021", DestinationVariable: "DPC" } });
    expect(r.result.exitCode).toBe(0);
    expect(r.get("DPC01")).toMatch(/CM100020/);
    expect(r.get("DPC02")).toMatch(/CM100021/);
  });

  it("leaves a failed position unset with ContinueDownloadOnError, fails without it", async () => {
    const ok = await run(downloadPackageContentHandler, { device: laptop(), settings: { DownloadPackages: "NOPE0001,CM100020", DestinationVariable: "DPC" } });
    expect(ok.result.exitCode).toBe(0);
    expect(ok.get("DPC01")).toBeUndefined();
    expect(ok.get("DPC02")).toMatch(/CM100020/);
    const bad = await run(downloadPackageContentHandler, { device: laptop(), settings: { DownloadPackages: "NOPE0001", ContinueDownloadOnError: "false" } });
    expect(bad.result.error?.code).toBe("ContentNotFound");
  });

  it("retries transient failures SMSTSDownloadRetryCount times", async () => {
    const d = device("dell-latitude-5440", (p) => ({ ...p, faults: { downloadFailures: { CM100020: 2 } } }));
    const ok = await run(downloadPackageContentHandler, { device: d, settings: { DownloadPackages: "CM100020", ContinueDownloadOnError: "false" }, vars: { SMSTSDownloadRetryCount: "2", SMSTSDownloadRetryDelay: "1" } });
    expect(ok.result.exitCode).toBe(0);
    const d2 = device("dell-latitude-5440", (p) => ({ ...p, faults: { downloadFailures: { CM100020: 2 } } }));
    const bad = await run(downloadPackageContentHandler, { device: d2, settings: { DownloadPackages: "CM100020", ContinueDownloadOnError: "false" }, vars: { SMSTSDownloadRetryCount: "1" } });
    expect(bad.result.succeeded).toBe(false);
  });

  it("rejects the client cache in Windows PE, a missing custom path and media", async () => {
    expect((await run(downloadPackageContentHandler, { device: pe(), settings: { DownloadPackages: "CM100020", DestinationLocationType: "CCMCache" } })).result.error?.code).toBe("WrongEnvironment");
    expect((await run(downloadPackageContentHandler, { device: laptop(), settings: { DownloadPackages: "CM100020", DestinationLocationType: "Custom" } })).result.error?.code).toBe("InvalidSetting");
    expect((await run(downloadPackageContentHandler, { device: laptop(), fromMedia: true, settings: { DownloadPackages: "CM100020" } })).result.error?.code).toBe("NotSupportedOnMedia");
  });
});

describe("Install Package", () => {
  it("runs the program of a package", async () => {
    expect((await run(installPackageHandler, { device: laptop(), settings: { PackageID: "CM100020", ProgramName: "Install" } })).result.exitCode).toBe(0);
  });

  it("reads the 001 list; a lowercase ID fails that install; nothing without 001", async () => {
    const r = await run(installPackageHandler, { device: laptop(), settings: { BaseVariableName: "PKG", ContinueOnInstallError: "true" }, vars: { PKG001: "CM100020:Install", PKG002: "cm100020:Install" } });
    expect(r.result.succeeded).toBe(false);
    expect(r.logs.some((l) => l.includes("CM100020:Install") || l.includes("Installing CM100020"))).toBe(true);
    const none = await run(installPackageHandler, { device: laptop(), settings: { BaseVariableName: "PKG" } });
    expect(none.result.exitCode).toBe(0);
  });

  it("fails for an unknown program and without settings", async () => {
    expect((await run(installPackageHandler, { device: laptop(), settings: { PackageID: "CM100020", ProgramName: "Nope" } })).result.error?.code).toBe("ContentNotFound");
    expect((await run(installPackageHandler, { device: laptop(), settings: {} })).result.exitCode).toBe(87);
    expect((await run(installPackageHandler, { device: pe(), settings: { PackageID: "CM100020", ProgramName: "Install" } })).result.error?.code).toBe("WrongEnvironment");
  });
});

describe("Install Application", () => {
  it("installs and writes _TSAppInstallStatus=Success", async () => {
    const r = await run(installApplicationHandler, { device: laptop(), settings: { ApplicationName: "7-Zip 23.01 (x64)" } });
    expect(r.result.exitCode).toBe(0);
    expect(r.get("_TSAppInstallStatus")).toBe("Success");
  });

  it("skips unknown names of the 01 list with Warning; TSErrorOnWarning turns it into a failure", async () => {
    const vars = { APP01: "7-Zip 23.01 (x64)", APP02: "not an app" };
    const r = await run(installApplicationHandler, { device: laptop(), settings: { BaseVariableName: "APP" }, vars });
    expect(r.result.exitCode).toBe(0);
    expect(r.get("_TSAppInstallStatus")).toBe("Warning");
    const strict = await run(installApplicationHandler, { device: laptop(), settings: { BaseVariableName: "APP" }, vars: { ...vars, TSErrorOnWarning: "True" } });
    expect(strict.result.succeeded).toBe(false);
  });

  it("fails on an install error with Error status; refuses dynamic lists on media", async () => {
    const d = device("dell-latitude-5440", (p) => ({ ...p, content: { ...p.content, applications: [...(p.content?.applications ?? []), { name: "Broken", exitCode: 1603 }] } }));
    const r = await run(installApplicationHandler, { device: d, settings: { ApplicationName: "Broken" } });
    expect(r.result).toMatchObject({ exitCode: 1603, succeeded: false });
    expect(r.get("_TSAppInstallStatus")).toBe("Error");
    expect((await run(installApplicationHandler, { device: laptop(), fromMedia: true, settings: { BaseVariableName: "APP" } })).result.error?.code).toBe("NotSupportedOnMedia");
    expect((await run(installApplicationHandler, { device: laptop(), settings: {} })).result.exitCode).toBe(87);
  });
});

describe("Install Software Updates, network folder, domain join", () => {
  it("installs the applicable updates and restarts when one needs it", async () => {
    const d = device("dell-latitude-5440", (p) => ({ ...p, updates: [{ id: "KB5031455", title: "Cumulative Update", mandatory: true, restartRequired: true }, { id: "KB1", title: "Optional", mandatory: false }] }));
    const r = await run(installSoftwareUpdatesHandler, { device: d, settings: { Target: "Mandatory" } });
    expect(r.result).toEqual({ exitCode: 0, restart: { target: "HD", then: "next" } });
    expect(r.logs).toContain("I Found 1 applicable mandatory update(s).");
  });

  it("installs updates (none is success)", async () => {
    expect((await run(installSoftwareUpdatesHandler, { device: laptop(), settings: { Target: "All" } })).result.exitCode).toBe(0);
    expect((await run(installSoftwareUpdatesHandler, { device: laptop(), settings: { Target: "Some" } })).result.exitCode).toBe(87);
    expect((await run(installSoftwareUpdatesHandler, { device: pe(), settings: {} })).result.error?.code).toBe("WrongEnvironment");
  });

  it("maps a network folder and never logs the password", async () => {
    const r = await run(connectNetworkFolderHandler, { device: laptop(), settings: { Path: "\\\\srv\\share", DriveLetter: "Z:", Username: "CORP\\u", Password: "s3cret" }, vars: { SMSConnectNetworkFolderPassword: "s3cret" } });
    expect(r.result.exitCode).toBe(0);
    expect(r.logs.join("\n")).not.toContain("s3cret");
    expect((await run(connectNetworkFolderHandler, { device: laptop(), settings: { Path: "\\\\srv\\share", DriveLetter: "X:" } })).result.exitCode).toBe(87);
    expect((await run(connectNetworkFolderHandler, { device: laptop(), settings: { Path: "C:\\share", DriveLetter: "Z:" } })).result.exitCode).toBe(87);
  });

  it("joins a workgroup and restarts unless SkipReboot", async () => {
    const r = await run(joinDomainWorkgroupHandler, { device: laptop(), settings: { Type: "1", WorkgroupName: "LAB" } });
    expect(r.result).toEqual({ exitCode: 0, restart: { target: "HD", then: "next" } });
    expect((await run(joinDomainWorkgroupHandler, { device: laptop(), settings: { Type: "0", DomainName: "corp.example", DomainUsername: "CORP\\join", DomainPassword: "pw", SkipReboot: "true" } })).result).toEqual({ exitCode: 0 });
    expect((await run(joinDomainWorkgroupHandler, { device: laptop(), settings: { Type: "0", DomainName: "corp.example" } })).result.error?.code).toBe("DeviceOperationFailed");
    expect((await run(joinDomainWorkgroupHandler, { device: laptop(), settings: { Type: "2" } })).result.exitCode).toBe(87);
  });
});

describe("Run PowerShell Script and Run Script", () => {
  const inline = (s: string) => encodePowerShellScript(s);

  it("runs an inline script in the sandbox with parameters and an output variable", async () => {
    const source = inline("param($Name)\n$ts = New-Object -ComObject Microsoft.SMS.TSEnvironment\n$ts.Value('Greeting') = \"Hello $Name\"\nWrite-Output done");
    const r = await run(createRunPowerShellScriptHandler(), { device: laptop(), settings: { SourceScript: source, Parameters: "-Name 'World'", ExecutionPolicy: "Bypass", OutputVariableName: "PSOut" } });
    expect(r.result.exitCode).toBe(0);
    expect(r.get("Greeting")).toBe("Hello World");
    expect(r.get("PSOut")).toContain("done");
  });

  it("returns the script's exit code; Restricted policy and both sources are InvalidSetting", async () => {
    const h = createRunPowerShellScriptHandler();
    expect((await run(h, { device: laptop(), settings: { SourceScript: inline("exit 7"), ExecutionPolicy: "Bypass" } })).result.exitCode).toBe(7);
    expect((await run(h, { device: laptop(), settings: { SourceScript: inline("exit 0"), ExecutionPolicy: "Restricted" } })).result.exitCode).toBe(87);
    expect((await run(h, { device: laptop(), settings: { SourceScript: inline("exit 0"), PackageID: "CM100020", ScriptName: "a.ps1", ExecutionPolicy: "Bypass" } })).result.exitCode).toBe(87);
    expect((await run(h, { device: laptop(), settings: { SourceScript: inline("exit 0"), ExecutionPolicy: "AllSigned" } })).result.exitCode).toBe(87);
  });

  it("answers the WMI queries of a sandboxed script from the device", async () => {
    const source = inline("$ts = New-Object -ComObject Microsoft.SMS.TSEnvironment\n$ts.Value('Serial') = (Get-CimInstance -ClassName Win32_BIOS).SerialNumber");
    const r = await run(createRunPowerShellScriptHandler(), { device: laptop(), settings: { SourceScript: source, ExecutionPolicy: "Bypass" } });
    expect(r.result.exitCode).toBe(0);
    expect(r.get("Serial")).toBe("8H3KQV3");
  });

  it("fails with UnsupportedStep (50) in a Windows PE without PowerShell", async () => {
    const d = device("hp-elitebook-840-g10", (p) => ({ ...p, os: { ...p.os, winpe: { ...(p.os.winpe ?? { version: "10.0.22621.1" }), powerShell: false } } }));
    const r = await run(createRunPowerShellScriptHandler(), { device: d, settings: { SourceScript: inline("exit 0"), ExecutionPolicy: "Bypass" } });
    expect(r.result).toMatchObject({ exitCode: 50, error: { code: "UnsupportedStep" } });
  });

  it("fails with ScriptUnsupported (50) in the sandbox, runs through commands in auto mode", async () => {
    const source = inline("Add-Type -TypeDefinition 'x'\nexit 0");
    expect((await run(createRunPowerShellScriptHandler(), { device: laptop(), settings: { SourceScript: source, ExecutionPolicy: "Bypass" } })).result).toMatchObject({ exitCode: 50, error: { code: "ScriptUnsupported" } });
    expect((await run(createRunPowerShellScriptHandler({ scriptHost: "auto" }), { device: laptop(), settings: { SourceScript: source, ExecutionPolicy: "Bypass" } })).result.exitCode).toBe(0);
  });

  it("Run Script runs JavaScript with JSON parameters and rejects bad parameters", async () => {
    const r = await run(runScriptHandler, { settings: { Language: "JavaScript", Script: 'TSEnvironment.Value("X", __host.parameters.v); __host.exit(3)', Parameters: '{"v":"ok"}' } });
    expect(r.result.exitCode).toBe(3);
    expect(r.get("X")).toBe("ok");
    expect((await run(runScriptHandler, { settings: { Language: "JavaScript", Script: "1", Parameters: "[1]" } })).result.exitCode).toBe(87);
    expect((await run(runScriptHandler, { settings: { Language: "Lua", Script: "1" } })).result.exitCode).toBe(87);
  });
});
