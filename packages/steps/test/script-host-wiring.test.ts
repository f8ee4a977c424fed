import { describe, expect, it } from "vitest";
import { encodeFileText, type Device, type ProgressUpdate, type UiCapability } from "@taskseq/device";
import { runScript as runSandbox } from "@taskseq/script";
import { createMdtPowerShellHandler, createRunPowerShellScriptHandler, createRunScriptHandler } from "@taskseq/steps";
import { encodePowerShellScript } from "@taskseq/xml";
import { device, run } from "./helpers.js";

const powershell = createRunPowerShellScriptHandler();
const runScript = createRunScriptHandler();

/** A `ui` adapter that records its calls and answers every message with `answer`. */
function uiSpy(answer: "ok" | "cancel" | "timeout" = "ok"): { readonly ui: UiCapability; readonly calls: string[] } {
  const calls: string[] = [];
  const ui: UiCapability = {
    progress: async (u: ProgressUpdate) => {
      calls.push(`progress ${u.title}|${u.step}|${u.current}/${u.total}`);
    },
    message: async (title, text, timeout) => {
      calls.push(`message ${title}|${text}|${timeout}`);
      return answer;
    },
    close: async () => {
      calls.push("close");
    },
  };
  return { ui, calls };
}

/** The laptop with its `ui` capability replaced (or removed when `ui` is undefined). */
function laptop(ui: UiCapability | undefined): Device {
  const { ui: _simUi, ...rest } = device("hp-elitebook-840-g10");
  return ui === undefined ? rest : { ...rest, ui };
}

const psSettings = (source: string): Record<string, string> => ({ SourceScript: encodePowerShellScript(source), ExecutionPolicy: "Bypass", OutputVariableName: "PSOut" });

const UI_SCRIPT = `$ui = New-Object -ComObject Microsoft.SMS.TsProgressUI
$ui.CloseProgressDialog()
$ui.ShowActionProgress("Org","TS","","Act",1,10,"Working",2,10)
$a = 0; $ui.ShowMessageEx("Continue?", "Title", 4, [ref]$a)
exit 0`;

describe("script host: TsProgressUI reaches the ui adapter (com-api.md §2.2)", () => {
  it("passes CloseProgressDialog, ShowActionProgress and ShowMessageEx to the adapter, in order, and logs each call", async () => {
    const { ui, calls } = uiSpy("cancel");
    const r = await run(powershell, { device: laptop(ui), settings: psSettings(UI_SCRIPT) });
    expect(r.result.exitCode).toBe(0);
    expect(calls).toEqual(["close", "progress TS|Act - Working (20%)|1/10", "message Title|Continue?|0"]);
    expect(r.logs).toContain("I TsProgressUI.CloseProgressDialog");
    expect(r.logs).toContain('I TsProgressUI.ShowActionProgress: "Act" step 1 of 10, "Working" 2 of 10 (20%)');
    expect(r.logs).toContain('I TsProgressUI.ShowMessageEx: "Continue?" caption "Title", type 4, answered 6');
    // The runner answers ShowMessageEx synchronously; the adapter's different answer is reported.
    expect(r.logs.some((l) => l.startsWith("W TsProgressUI.ShowMessageEx: the ui adapter answered \"cancel\""))).toBe(true);
  });

  it("masks secret text in what reaches the adapter (spec/logging.md §9)", async () => {
    const { ui, calls } = uiSpy();
    const source = `$ts = New-Object -ComObject Microsoft.SMS.TSEnvironment
$ui = New-Object -ComObject Microsoft.SMS.TsProgressUI
$ui.ShowTSProgress("Org", "TS", "", ("Joining " + $ts.Value("OSDJoinPassword")), 3, 4)
$ui.ShowMessage(("pw " + $ts.Value("OSDJoinPassword")), "Caption", 0)`;
    const r = await run(powershell, { device: laptop(ui), vars: { OSDJoinPassword: "S3cr3tPW!" }, settings: psSettings(source) });
    expect(r.result.exitCode).toBe(0);
    expect(calls).toEqual(["progress TS|Joining ********|3/4", "message Caption|pw ********|0"]);
  });

  it("headless (no ui adapter): logs every call, masking secrets", async () => {
    const source = `$ts = New-Object -ComObject Microsoft.SMS.TSEnvironment
$ui = New-Object -ComObject Microsoft.SMS.TsProgressUI
$ui.ShowTSProgress("Org", "TS", "", ("Joining " + $ts.Value("OSDJoinPassword")), 3, 4)
$ui.ShowMessage("Hello", "Caption", 0)`;
    const r = await run(powershell, { device: laptop(undefined), vars: { OSDJoinPassword: "S3cr3tPW!" }, settings: psSettings(source) });
    expect(r.result.exitCode).toBe(0);
    expect(r.logs).toContain('I TsProgressUI.ShowTSProgress: "Joining ********" step 3 of 4 (75%)');
    expect(r.logs).toContain('I TsProgressUI.ShowMessage: "Hello" caption "Caption", type 0');
    expect(r.logs.join("\n")).not.toContain("S3cr3tPW!");
  });

  it("hidden progress (TSDisableProgressUI=true) is logged but not shown; dialogs still are; an adapter failure is a warning", async () => {
    const { ui, calls } = uiSpy();
    const failing: UiCapability = { ...ui, close: async () => Promise.reject(new Error("display gone")) };
    const source = `TsProgressUI.ShowActionProgress("O", "T", "", "A", 1, 2, "x", 1, 2); TsProgressUI.ShowErrorDialog("O", "T", "", "Bad", 5, 30, 0, "S"); TsProgressUI.CloseProgressDialog();`;
    const r = await run(runScript, { device: laptop(failing), vars: { TSDisableProgressUI: "true" }, settings: { Language: "JavaScript", Script: source } });
    expect(r.result.exitCode).toBe(0);
    expect(calls).toEqual(["message T|Bad|30"]);
    expect(r.logs.some((l) => l.startsWith("I TsProgressUI.ShowActionProgress:") && l.endsWith("[hidden: TSDisableProgressUI]"))).toBe(true);
    expect(r.logs).toContain("W TsProgressUI: the ui adapter failed to show CloseProgressDialog: display gone");
  });
});

describe("script host: the output variable holds every stream in arrival order (steps.md §4 rule 7)", () => {
  it("captures Write-Host, Write-Output, Write-Error and Write-Warning", async () => {
    const r = await run(powershell, {
      device: laptop(undefined),
      settings: psSettings(`Write-Host "hosttext"; Write-Output "outtext"; Write-Error "errtext"; Write-Warning "warntext"; exit 0`),
    });
    expect(r.result.exitCode).toBe(0);
    expect(r.get("PSOut")).toBe("hosttext\nouttext\nerrtext\nWARNING: warntext");
  });

  it("includes an uncaught error's message (PowerShell and JavaScript)", async () => {
    const ps = await run(powershell, { device: laptop(undefined), settings: psSettings(`Write-Output "before"; throw "boom"`) });
    expect(ps.result.exitCode).toBe(1);
    expect(ps.get("PSOut")).toBe("before\nboom (line 1)");
    const js = await run(runScript, {
      device: laptop(undefined),
      settings: { Language: "JavaScript", Script: 'console.log("before"); throw new Error("kaboom")', OutputVariableName: "JsOut" },
    });
    expect(js.result.exitCode).toBe(1);
    expect(js.get("JsOut")).toMatch(/^before\n.*kaboom/s);
  });
});

describe("script host: the script's log lines survive a failed run (com-api.md §1.2)", () => {
  it("logs the variable writes and the refused read-only write before the failure, secrets masked", async () => {
    const source = `$ts = New-Object -ComObject Microsoft.SMS.TSEnvironment
$ts.Value("A") = "1"
$ts.Value("Copy") = $ts.Value("OSDJoinPassword")
try { $ts.Value("_SMSTSX") = "y" } catch {}
$x = "a"; while ($true) { $x = $x + $x }`;
    const r = await run(powershell, { device: laptop(undefined), vars: { OSDJoinPassword: "S3cr3tPW!" }, settings: psSettings(source) });
    expect(r.result.error?.code).toBe("ScriptOutOfMemory");
    const a = r.logs.findIndex((l) => l.startsWith("I ") && l.includes("A=1"));
    const refused = r.logs.findIndex((l) => l.startsWith("E ") && l.includes("_SMSTSX"));
    const failed = r.logs.findIndex((l) => l.startsWith("E The script failed"));
    expect(a).toBeGreaterThanOrEqual(0);
    expect(refused).toBeGreaterThan(a);
    expect(failed).toBeGreaterThan(refused);
    expect(r.logs.join("\n")).not.toContain("S3cr3tPW!");
  });
});

describe("script host: $env: reads the device's process environment (com-api.md §1.3)", () => {
  it("a Run PowerShell Script step sees $env:windir from the os adapter", async () => {
    const d = device("hp-elitebook-840-g10");
    const windir = (await d.os.environmentVariables())["windir"] ?? "";
    expect(windir).not.toBe("");
    const r = await run(powershell, { device: d, settings: psSettings("Write-Output $env:windir") });
    expect(r.result.exitCode).toBe(0);
    expect(r.get("PSOut")).toBe(windir);
  });
});

describe("script host: pattern 2, a script writes its log under _SMSTSLogPath through the files adapter (com-api.md §3)", () => {
  const LOG_PATH = "X:\\Windows\\Temp\\SMSTSLog";
  const LOG = `${LOG_PATH}\\MyScript.log`;
  /** PATTERN_2's log: Add-Content writes ANSI, and >> appends UTF-16LE to it, as in Windows PowerShell 5.1. */
  const PATTERN_2_LOG = new Uint8Array([...encodeFileText("Joining with ********\r\n", "windows-1252", true), ...encodeFileText("Done\r\n", "utf-16le", false)]);
  const vars = { _SMSTSLogPath: LOG_PATH, OSDJoinPassword: "S3cr3tPW!" };
  const PATTERN_2 = String.raw`$tsenv = New-Object -ComObject Microsoft.SMS.TSEnvironment
$logPath = $tsenv.Value("_SMSTSLogPath")
Add-Content -Path "$logPath\MyScript.log" -Value "Joining with $($tsenv.Value('OSDJoinPassword'))"
if (Test-Path $logPath\MyScript.log) { "Done" >> $logPath\MyScript.log }
exit 3010`;

  it("Run PowerShell Script: the log is on the device when the step ends, secret values masked", async () => {
    const d = device("hp-elitebook-840-g10");
    const r = await run(powershell, { device: d, vars, settings: psSettings(PATTERN_2) });
    expect(r.result.exitCode).toBe(3010);
    expect(await d.files.read(LOG)).toEqual(PATTERN_2_LOG);
    expect(r.logs).toContain(`I Appended 23 characters to ${LOG} for the script.`);
    expect(r.logs).toContain(`I Appended 6 characters to ${LOG} for the script.`);
    expect(r.logs.join("\n")).not.toContain("S3cr3tPW!");
  });

  it("the log folder exists when the script runs: created through the files adapter on a device that lacks it (a warning when it cannot be)", async () => {
    const d = device("hp-elitebook-840-g10");
    expect(await d.files.exists(LOG_PATH)).toBe(false);
    const source = `$ts = New-Object -ComObject Microsoft.SMS.TSEnvironment\nTest-Path $ts.Value("_SMSTSLogPath") -PathType Container`;
    const r = await run(powershell, { device: d, vars, settings: psSettings(source) });
    expect([r.get("PSOut"), (await d.files.stat(LOG_PATH))?.kind]).toEqual(["True", "folder"]);
    const missingVolume = await run(powershell, { device: d, vars: { _SMSTSLogPath: "Q:\\Logs" }, settings: psSettings(source) });
    expect(missingVolume.get("PSOut")).toBe("False");
    expect(missingVolume.logs).toContain("W The log folder Q:\\Logs could not be created for the script: The volume of 'Q:\\Logs' does not exist.");
  });

  it("Run Script (JavaScript): appendFile adds to the log the device already has", async () => {
    const d = device("hp-elitebook-840-g10");
    await d.files.write(LOG, "earlier step\r\n");
    const source = `__host.appendFile(TSEnvironment.Value("_SMSTSLogPath") + "\\\\MyScript.log", "this step\\r\\n");`;
    const r = await run(runScript, { device: d, vars, settings: { Language: "JavaScript", Script: source } });
    expect(r.result.exitCode).toBe(0);
    expect(await d.files.readText(LOG)).toBe("earlier step\r\nthis step\r\n");
  });

  it("MDT BDD_RunPowerShellAction: the script's log is written too", async () => {
    const d = device("hp-elitebook-840-g10");
    await d.files.write("X:\\Deploy\\Scripts\\Log.ps1", PATTERN_2);
    const r = await run(createMdtPowerShellHandler(), { device: d, vars, settings: { ScriptName: "Log.ps1" } });
    expect(r.result.exitCode).toBe(3010);
    expect(await d.files.read(LOG)).toEqual(PATTERN_2_LOG);
  });

  it("a script that fails or times out still leaves the lines it wrote before", async () => {
    const d = device("hp-elitebook-840-g10");
    const thrown = await run(runScript, { device: d, vars, settings: { Language: "JavaScript", Script: `__host.appendFile("${LOG.replace(/\\/g, "\\\\")}", "before the error\\r\\n"); throw new Error("boom");` } });
    expect(thrown.result.error?.code).toBe("ScriptError");
    const timedOut = await run(powershell, { device: d, vars, step: { timeout: 1 }, settings: psSettings(`Add-Content ${LOG} "before the timeout"\nwhile ($true) { }`) });
    expect(timedOut.result.error?.code).toBe("StepTimeout");
    expect(await d.files.readText(LOG)).toBe("before the error\r\nbefore the timeout\r\n");
  });

  it("without a files adapter the write is an error the script sees (AdapterMissing), not a silent loss", async () => {
    const { files: _files, ...rest } = device("hp-elitebook-840-g10");
    const ps = await run(powershell, { device: rest, vars, settings: psSettings(`Add-Content ${LOG} "x"\nexit 0`) });
    expect(ps.result.exitCode).toBe(0);
    expect(ps.get("PSOut")).toBe("The device has no files adapter.");
    const js = await run(runScript, { device: rest, vars, settings: { Language: "JavaScript", Script: `__host.writeFile("C:\\\\x.log", "x");` } });
    expect(js.result.error?.code).toBe("ScriptError");
    expect(js.result.error?.details?.["guestCode"]).toBe("AdapterMissing");
  });

  it("a write the files adapter refuses fails the step with the adapter's error; writes are not made once the step is aborted", async () => {
    const d = device("hp-elitebook-840-g10");
    const refused = await run(powershell, { device: d, vars, settings: psSettings(`Add-Content Q:\\x.log "x"\nAdd-Content ${LOG} "y"`) });
    expect(refused.result.succeeded).toBe(false);
    expect(refused.result.error?.code).toBe("DeviceOperationFailed");
    expect(refused.logs).toContain("E The script's file Q:\\x.log could not be written: The volume of 'Q:\\x.log' does not exist.");
    expect(await d.files.exists(LOG)).toBe(false);
    const controller = new AbortController();
    const aborting = createRunScriptHandler({
      scriptRunner: {
        run: async (request) => {
          const result = await runSandbox(request);
          controller.abort();
          return result;
        },
      },
    });
    const aborted = await run(aborting, { device: d, vars, signal: controller.signal, settings: { Language: "JavaScript", Script: `__host.writeFile("C:\\\\x.log", "x");` } });
    expect(aborted.logs).toContain("W The step was stopped: 1 file(s) the script wrote were not written.");
    expect(await d.files.exists("C:\\x.log")).toBe(false);
  });
});
