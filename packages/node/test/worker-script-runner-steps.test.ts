/** The built-in steps on Node: scripts run in the worker runner, whose deadline holds even inside built-ins. */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { createSimulatedDevice, encodeFileText, type DeviceProfile } from "@taskseq/device";
import { createEngine, type EngineEvent } from "@taskseq/engine";
import { createWorkerScriptRunner } from "@taskseq/node";
import { createBuiltinHandlers } from "@taskseq/steps";
import { parseSequenceXml } from "@taskseq/xml";

const profile: DeviceProfile = JSON.parse(readFileSync(new URL("../../../examples/devices/dell-latitude-5440.json", import.meta.url), "utf8"));

const step = (name: string, language: string, script: string, attributes = ""): string =>
  `<step type="Taskseq_RunScriptAction" name="${name}" runIn="WinPEandFullOS" successCodeList="0"${attributes}><action>taskseq</action><defaultVarList>
    <variable name="Language" property="Language">${language}</variable><variable name="Script" property="Script">${script}</variable></defaultVarList></step>`;

const xml = `<?xml version="1.0"?>
<sequence version="3.10"><group name="Main" description="">
  ${step("Busy in built-ins", "JavaScript", "for (;;) new Array(1e6).fill(1).indexOf(2);", ' timeout="1" continueOnError="true"')}
  ${step("Read the serial", "PowerShell", "$ts = New-Object -ComObject Microsoft.SMS.TSEnvironment\n$ts.Value('Serial') = (Get-CimInstance -ClassName Win32_BIOS).SerialNumber")}
</group></sequence>`;

const runner = createWorkerScriptRunner();
afterAll(() => runner.close());

describe("createBuiltinHandlers({ scriptRunner: createWorkerScriptRunner() })", () => {
  it("times a step out within its timeout plus one second although its script never reaches an interrupt check, then runs the next step", async () => {
    await runner.run({ language: "javascript", source: "0" }); // the worker is up before the step's 1 s starts
    const before = runner.workersStarted;
    const times = new Map<string, number>();
    const onEvent = (e: EngineEvent): void => {
      if (e.type === "step-started" || e.type === "step-finished") times.set(`${e.type} ${e.name}`, performance.now());
    };
    const engine = createEngine({ handlers: createBuiltinHandlers({ scriptRunner: runner }), device: createSimulatedDevice(profile), onEvent });
    const result = await engine.run(parseSequenceXml(xml).sequence);
    expect((times.get("step-finished Busy in built-ins") ?? Infinity) - (times.get("step-started Busy in built-ins") ?? 0)).toBeLessThan(2000);
    const busy = result.steps.find((s) => s.name === "Busy in built-ins");
    expect(busy?.outcome).toBe("failed-continued");
    expect(busy?.reason).toContain("timed out");
    expect(result.steps.find((s) => s.name === "Read the serial")?.outcome).toBe("success");
    expect(result.variables["Serial"]).toBe("8H3KQV3");
    expect(runner.workersStarted).toBe(before + 1);
  });

  it("a script's log written under _SMSTSLogPath is on the device after its step (com-api.md §3 pattern 2)", async () => {
    const script = `$ts = New-Object -ComObject Microsoft.SMS.TSEnvironment
$log = "$($ts.Value('_SMSTSLogPath'))\\MyScript.log"
Add-Content -Path $log -Value "started"
"finished" >> $log
$ts.Value('ScriptLog') = $log`;
    const device = createSimulatedDevice(profile);
    const engine = createEngine({ handlers: createBuiltinHandlers({ scriptRunner: runner }), device });
    const result = await engine.run(parseSequenceXml(`<?xml version="1.0"?><sequence version="3.10"><group name="Main" description="">${step("Log", "PowerShell", script)}</group></sequence>`).sequence);
    const log = String(result.variables["ScriptLog"]);
    expect(log).toMatch(/\\SMSTSLog\\MyScript\.log$/i);
    // Add-Content writes ANSI and >> appends UTF-16LE to it, as Windows PowerShell 5.1 does.
    expect(await device.files.read(log)).toEqual(new Uint8Array([...encodeFileText("started\r\n", "windows-1252", true), ...encodeFileText("finished\r\n", "utf-16le", false)]));
  });

  it("a script reads the device's files and registry, creates folders and gets the ui adapter's answer across the thread", async () => {
    const script = String.raw`$ts = New-Object -ComObject Microsoft.SMS.TSEnvironment
$ui = New-Object -ComObject Microsoft.SMS.TsProgressUI
$a = 0; $ui.ShowMessageEx("Update the BIOS?", "Contoso", 4, [ref]$a)
New-Item -ItemType Directory -Path C:\Contoso\Logs -Force | Out-Null
$ts.Value('Seen') = "$(Test-Path C:\Windows\CCM\CcmExec.exe) $((Get-Content C:\Contoso\ring.txt -Raw).Trim()) $((Get-ItemProperty 'HKLM:\SOFTWARE\Microsoft\SMS\Mobile Client').ProductVersion) $a"`;
    const device = createSimulatedDevice({ ...profile, files: { ...profile.files, "C:\\Contoso\\ring.txt": { content: "Pilot\r\n" } } });
    device.ui.queueAnswers("BIOS", [7]);
    const engine = createEngine({ handlers: createBuiltinHandlers({ scriptRunner: runner }), device });
    const result = await engine.run(parseSequenceXml(`<?xml version="1.0"?><sequence version="3.10"><group name="Main" description="">${step("Views", "PowerShell", script)}</group></sequence>`).sequence);
    expect(result.variables["Seen"]).toBe("True Pilot 5.00.9128.1000 7");
    expect((await device.files.stat("C:\\Contoso\\Logs"))?.kind).toBe("folder");
  });
});
