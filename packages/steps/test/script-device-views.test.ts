/**
 * Script steps read the device's files and registry through the adapters' synchronous views (in
 * the native view of a 64-bit OS), write and create in the same view, and have `ShowMessageEx`
 * answered by the `ui` adapter's `answerMessage` (spec/com-api.md §2.2).
 */
import { describe, expect, it } from "vitest";
import type { Device, ProgressUpdate, UiCapability } from "@taskseq/device";
import { createRunPowerShellScriptHandler, createRunScriptHandler } from "@taskseq/steps";
import { encodePowerShellScript } from "@taskseq/xml";
import { device, run } from "./helpers.js";

const powershell = createRunPowerShellScriptHandler();
const runScript = createRunScriptHandler();
const psSettings = (source: string): Record<string, string> => ({ SourceScript: encodePowerShellScript(source), ExecutionPolicy: "Bypass", OutputVariableName: "PSOut" });

describe("script steps read the device's files and registry (syncView)", () => {
  it("PowerShell: Test-Path, Get-Item, Get-ChildItem, Get-Content and the registry cmdlets see the simulated device as it is, natively", async () => {
    const laptop = device("dell-latitude-5440");
    await laptop.files.write("C:\\ProgramData\\Contoso\\settings.ini", "[Ring]\r\nPilot\r\n");
    const source = String.raw`Test-Path C:\Windows
(Get-Item C:\Windows\System32\notepad.exe).Length
(Get-Item C:\Windows\System32\notepad.exe).VersionInfo.FileVersion
(Get-ChildItem C:\ProgramData\Contoso).Name
(Get-Content C:\ProgramData\Contoso\settings.ini)[1]
(Get-ItemProperty "HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion").CurrentBuild
Get-ItemPropertyValue "HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion" -Name UBR
Test-Path HKLM:\SOFTWARE\Dell\UpdateService
Test-Path HKLM:\SOFTWARE\WOW6432Node\Dell\UpdateService
(Get-ChildItem HKLM:\SOFTWARE\Microsoft).PSChildName -join ","`;
    const r = await run(powershell, { device: laptop, settings: psSettings(source) });
    expect(r.result.exitCode).toBe(0);
    // System32's own notepad (201216 bytes), not SysWOW64's: the script host is 64-bit.
    expect(r.get("PSOut")).toBe(["True", "201216", "10.0.22621.3374", "settings.ini", "Pilot", "22631", "3447", "False", "True", "Windows NT,SMS"].join("\n"));
  });

  it("JavaScript: __host.fileExists, fileStat, readFile and registryGet", async () => {
    const source = `console.log(JSON.stringify([__host.fileExists("C:\\\\Windows\\\\CCM\\\\CcmExec.exe"), __host.fileStat("C:\\\\Windows\\\\SysWOW64\\\\notepad.exe").size,
      __host.registryGet("HKLM\\\\SOFTWARE\\\\Microsoft\\\\SMS\\\\Mobile Client", "ProductVersion"), __host.registryKeyExists("HKLM\\\\SOFTWARE\\\\Nope")]));`;
    const r = await run(runScript, { device: device("dell-latitude-5440"), settings: { Language: "JavaScript", Script: source, OutputVariableName: "Out" } });
    expect(r.result.exitCode).toBe(0);
    expect(JSON.parse(r.get("Out") ?? "")).toEqual([true, 193_536, { type: "REG_SZ", data: "5.00.9128.1000" }, false]);
  });

  it("a device without synchronous views still gives AdapterMissing", async () => {
    const laptop = device("dell-latitude-5440");
    const { syncView: _files, ...asyncFiles } = laptop.files;
    const r = await run(powershell, { device: { ...laptop, files: asyncFiles }, settings: psSettings("Test-Path C:\\Windows") });
    expect(r.get("PSOut")).toBe("The device has no files adapter.");
  });
});

describe("script steps write and create folders in the script's (native) view", () => {
  it("New-Item -ItemType Directory creates the folder (logged); writes under System32 land in System32, not SysWOW64", async () => {
    const laptop = device("dell-latitude-5440");
    const source = String.raw`New-Item -ItemType Directory -Path C:\Windows\System32\Contoso\Logs -Force | Out-Null
New-Item -ItemType Directory -Path C:\Data\Empty | Out-Null
Add-Content C:\Windows\System32\Contoso\Logs\run.log "done"`;
    const r = await run(powershell, { device: laptop, settings: psSettings(source) });
    expect(r.result.exitCode).toBe(0);
    expect(r.logs).toContain("I Created folder C:\\Windows\\System32\\Contoso\\Logs for the script.");
    expect(r.logs).toContain("I Created folder C:\\Data\\Empty for the script.");
    expect((await laptop.files.stat("C:\\Data\\Empty"))?.kind).toBe("folder");
    expect(await laptop.files.readText("C:\\Windows\\System32\\Contoso\\Logs\\run.log", { disableWow64Redirection: true })).toBe("done\r\n");
    expect(await laptop.files.exists("C:\\Windows\\SysWOW64\\Contoso", { disableWow64Redirection: true })).toBe(false);
  });
});

describe("ShowMessageEx is answered by the ui adapter (com-api.md §2.2)", () => {
  const question = `$ui = New-Object -ComObject Microsoft.SMS.TsProgressUI
$a = 0; $ui.ShowMessageEx("Install the BIOS update?", "Contoso", 4, [ref]$a)
if ($a -eq 7) { "skipped" } else { "installing" }`;

  it("the simulated device answers from its scripted answers, once per question, without showing it again", async () => {
    const laptop = device("dell-latitude-5440", (p) => ({ ...p, ui: { messageAnswers: [{ match: "BIOS", answers: [7] }] } }));
    const first = await run(powershell, { device: laptop, settings: psSettings(question) });
    expect(first.get("PSOut")).toBe("skipped");
    expect(first.logs).toContain('I TsProgressUI.ShowMessageEx: "Install the BIOS update?" caption "Contoso", type 4, answered 7');
    expect(laptop.history.filter((e) => e.kind === "message").map((e) => e.detail)).toEqual(["Contoso: answered 7"]);
    const second = await run(powershell, { device: laptop, settings: psSettings(question) });
    expect(second.get("PSOut")).toBe("installing"); // the queue is empty: the first button, IDYES
  });

  it("an adapter's answerMessage gets the masked texts and the type; its answer reaches the script", async () => {
    const calls: string[] = [];
    const ui: UiCapability = {
      progress: async (u: ProgressUpdate) => void calls.push(`progress ${u.step}`),
      message: async (title) => {
        calls.push(`message ${title}`);
        return "ok";
      },
      close: async () => void calls.push("close"),
      answerMessage: (title, text, buttons) => {
        calls.push(`answer ${title}|${text}|${buttons}`);
        return 7;
      },
    };
    const { ui: _sim, ...rest } = device("dell-latitude-5440");
    const laptop: Device = { ...rest, ui };
    const source = `$ts = New-Object -ComObject Microsoft.SMS.TSEnvironment
$ui = New-Object -ComObject Microsoft.SMS.TsProgressUI
$a = 0; $ui.ShowMessageEx("Join with " + $ts.Value("OSDJoinPassword") + "?", "Contoso", 4 + 32, [ref]$a)
$ui.ShowMessage("Bye", "Contoso", 0)
"answer $a"`;
    const r = await run(powershell, { device: laptop, vars: { OSDJoinPassword: "S3cr3tPW!" }, settings: psSettings(source) });
    expect(r.get("PSOut")).toBe("answer 7");
    expect(calls).toEqual(["answer Contoso|Join with ********?|36", "message Contoso"]);
    expect(r.logs.some((l) => l.startsWith("W "))).toBe(false);
  });
});
