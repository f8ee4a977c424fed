/**
 * File writes of scripts (spec/com-api.md §3 pattern 2): `__host.writeFile`/`appendFile` and the
 * PowerShell-style `Set-Content`, `Add-Content`, `Out-File`, `>` and `>>` are recorded by the run,
 * bounded by its limits, seen by the script's own reads, returned in order (also by a failed run)
 * and applied afterwards with `applyScriptFileWrite`.
 */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { createSimulatedDevice } from "@taskseq/device";
import { applyScriptFileWrite, compilePowerShellForRunner, createScriptRunner } from "@taskseq/script";
import type { ScriptDevice, ScriptRunRequest, ScriptRunResult } from "@taskseq/script";
import { testDevice, testEnvironment } from "./script-test-kit.js";

const runner = createScriptRunner({ compilePowerShell: compilePowerShellForRunner });
afterAll(() => runner[Symbol.dispose]());

const writable: ScriptDevice = { writableFiles: true };
const LOG = "C:\\Windows\\CCM\\Logs\\SMSTSLog\\MyScript.log";

async function run(request: Partial<ScriptRunRequest> & Pick<ScriptRunRequest, "source">): Promise<ScriptRunResult> {
  const result = await runner.run({ language: "javascript", device: writable, ...request });
  if (result.error !== undefined) throw result.error;
  return result.value;
}

describe("pattern 2: a script writes its log under _SMSTSLogPath", () => {
  it("JavaScript: writeFile and appendFile are returned as one write per file, in order, in UTF-8", async () => {
    const { env } = testEnvironment();
    const r = await run({
      environment: env,
      source: `const log = TSEnvironment.Value("_SMSTSLogPath") + "\\\\MyScript.log";
        __host.writeFile(log, "Started\\r\\n");
        __host.appendFile("C:\\\\Temp\\\\other.txt", "x");
        __host.appendFile(log, "Done\\r\\n");`,
    });
    expect(r.fileWrites).toEqual([
      { path: LOG, append: false, text: "Started\r\nDone\r\n", encoding: "utf-8" },
      { path: "C:\\Temp\\other.txt", append: true, text: "x", encoding: "utf-8", keepFileEncoding: true },
    ]);
  });

  it("PowerShell: Set-Content, Add-Content, Out-File, > and >> write lines ending in CRLF, in Windows PowerShell's encodings", async () => {
    const { env } = testEnvironment();
    const r = await run({
      language: "powershell",
      environment: env,
      source: String.raw`$tsenv = New-Object -ComObject Microsoft.SMS.TSEnvironment
$logPath = $tsenv.Value("_SMSTSLogPath")
$log = "$logPath\MyScript.log"
Set-Content -Path $log -Value "Start"
Add-Content $log "two", "three"
"piped" | Add-Content -Path $log
Add-Content -LiteralPath $log -Value "no newline" -NoNewline
"|" | Add-Content $log
Get-Date -Format "yyyy" | Out-File -FilePath $log -Append
@{ A = 1 } | Out-File -Path $log -Append
"redirected" >> $logPath\MyScript.log
Write-Output "replaced" > "$logPath\Other.log"
ac $log "alias"`,
      startTime: Date.UTC(2026, 0, 2),
    });
    // Set-Content and Add-Content write ANSI; Out-File, > and >> append UTF-16LE to it, as Windows PowerShell does.
    expect(r.fileWrites).toEqual([
      { path: LOG, append: false, text: "Start\r\ntwo\r\nthree\r\npiped\r\nno newline|\r\n", encoding: "windows-1252" },
      { path: LOG, append: true, text: "2026\r\nName Value\r\n---- -----\r\nA    1\r\nredirected\r\n", encoding: "utf-16le" },
      { path: LOG, append: true, text: "alias\r\n", encoding: "windows-1252" },
      { path: "C:\\Windows\\CCM\\Logs\\SMSTSLog\\Other.log", append: false, text: "replaced\r\n", encoding: "utf-16le" },
    ]);
    expect(r.output).toBe("");
  });

  it("Set-Content replaces what the script appended before; Out-File without -Append replaces", async () => {
    const r = await run({
      language: "powershell",
      source: String.raw`Add-Content C:\a.log "old"; Set-Content C:\a.log "new"; Add-Content C:\a.log "more"
"x" | Out-File C:\b.log -Append; "y" | Out-File C:\b.log`,
    });
    expect(r.fileWrites).toEqual([
      { path: "C:\\a.log", append: false, text: "new\r\nmore\r\n", encoding: "windows-1252" },
      { path: "C:\\b.log", append: false, text: "y\r\n", encoding: "utf-16le" },
    ]);
  });

  it("applyScriptFileWrite replaces or appends through a device's files adapter, in order", async () => {
    const device = createSimulatedDevice(JSON.parse(readFileSync(new URL("../../../examples/devices/hp-elitebook-840-g10.json", import.meta.url), "utf8")));
    const path = "X:\\Windows\\Temp\\SMSTSLog\\MyScript.log";
    await device.files.write(path, "before\r\n");
    const r = await run({ source: `__host.appendFile(${JSON.stringify(path)}, "after\\r\\n"); __host.writeFile("X:\\\\New\\\\fresh.log", "fresh");` });
    for (const write of r.fileWrites) await applyScriptFileWrite(device.files, write);
    expect(await device.files.readText(path)).toBe("before\r\nafter\r\n");
    expect(await device.files.readText("X:\\New\\fresh.log")).toBe("fresh");
  });
});

describe("the script's reads see its own pending writes", () => {
  const device: ScriptDevice = { ...testDevice({ files: { "C:\\Logs\\": 0, "C:\\Logs\\old.log": 100 } }), writableFiles: true };

  it("JavaScript: fileExists, folderExists, fileStat and listDirectory", async () => {
    const r = await run({
      device,
      startTime: 5000,
      source: `__host.appendFile("C:\\\\Logs\\\\old.log", "é");
        __host.createFolder("C:\\\\Logs\\\\New");
        __host.writeFile("c:/logs/new/./sub/../n.log", "abc");
        console.log(JSON.stringify([__host.fileExists("C:\\\\LOGS\\\\NEW\\\\N.LOG"), __host.folderExists("C:\\\\Logs\\\\new"), __host.fileExists("C:\\\\Logs\\\\new"),
          __host.fileStat("C:\\\\Logs\\\\old.log"), __host.fileStat("C:\\\\Logs\\\\new\\\\n.log"), __host.fileStat("C:\\\\Logs\\\\new"),
          __host.listDirectory("C:\\\\Logs"), __host.listDirectory("C:\\\\Logs\\\\new\\\\n.log"), __host.fileExists("C:\\\\Logs\\\\missing")]));`,
    });
    expect(JSON.parse(r.output)).toEqual([
      true,
      true,
      false,
      { size: 102, modified: 5000, isFolder: false },
      { size: 3, modified: 5000, isFolder: false },
      { size: 0, modified: 5000, isFolder: true },
      [
        { name: "old.log", isFolder: false },
        { name: "New", isFolder: true },
      ],
      null,
      false,
    ]);
    expect(r.fileWrites.map((w) => w.path)).toEqual(["C:\\Logs\\old.log", "C:\\Logs\\New", "c:\\logs\\new\\n.log"]);
  });

  it("PowerShell: Test-Path, Get-Item and Get-ChildItem, also without a read view", async () => {
    const r = await run({
      language: "powershell",
      source: String.raw`Add-Content C:\Logs\MyScript.log "line"
Test-Path C:\Logs\MyScript.log
Test-Path C:\Logs -PathType Container
(Get-Item C:\Logs\MyScript.log).Length
(Get-ChildItem C:\Logs).Name`,
    });
    expect(r.output).toBe("True\nTrue\n6\nMyScript.log");
  });
});

describe("refused writes", () => {
  it("without device.writableFiles a write throws AdapterMissing; bad paths throw InvalidArgument", async () => {
    const attempts = `for (const [p, t] of [["C:\\\\a.log", "x"], ["rel.log", "x"], ["C:\\\\dir\\\\", "x"], ["C:\\\\a?.log", "x"], ["C:\\\\a.log\\\\b.log", "x"], ["C:", "x"]]) {
      try { __host.writeFile(p, t); console.log("ok"); } catch (e) { console.log(e.code); } }`;
    const without = await run({ source: attempts, device: {} });
    expect(without.output).toBe(Array(6).fill("AdapterMissing").join("\n"));
    expect(without.fileWrites).toEqual([]);
    const withFiles = await run({ source: attempts });
    expect(withFiles.output).toBe(["ok", "InvalidArgument", "InvalidArgument", "InvalidArgument", "InvalidArgument", "InvalidArgument"].join("\n"));
    expect(withFiles.fileWrites).toEqual([{ path: "C:\\a.log", append: false, text: "x", encoding: "utf-8" }]);
  });

  it("PowerShell: a refused write is a non-terminating error, terminating with -ErrorAction Stop", async () => {
    const r = await run({
      language: "powershell",
      device: {},
      source: String.raw`Add-Content C:\a.log "x"
"after"
try { Set-Content C:\a.log "y" -ErrorAction Stop } catch { "caught: $($_.Exception.Message)" }
try { "z" | Out-File C:\a.log -ErrorAction Stop } catch { "caught again" }`,
    });
    expect(r.records.map((x) => `${x.stream}: ${x.text}`)).toEqual(["error: The device has no files adapter.", "output: after", "output: caught: The device has no files adapter.", "output: caught again"]);
  });

  it("masks secret values in the text and refuses a path that holds one", async () => {
    const { env } = testEnvironment();
    env.set("OSDJoinPassword", "S3cr3tPW!");
    const r = await run({
      environment: env,
      source: `const pw = TSEnvironment.Value("OSDJoinPassword");
        __host.writeFile("C:\\\\a.log", "pw=" + pw);
        try { __host.writeFile("C:\\\\" + pw + ".log", "x"); } catch (e) { console.log(e.code, e.message); }`,
    });
    expect(r.fileWrites).toEqual([{ path: "C:\\a.log", append: false, text: "pw=********", encoding: "utf-8" }]);
    expect(r.output).toBe("InvalidArgument A file path must not hold a secret value.");
  });
});

describe("writes of a failed run, and the limits", () => {
  it("a script that fails or times out returns the writes it made before (PowerShell's uncaught error is exit code 1)", async () => {
    const ps = await run({ language: "powershell", source: 'Add-Content C:\\a.log "before"; throw "boom"' });
    expect([ps.exitCode, ps.fileWrites]).toEqual([1, [{ path: "C:\\a.log", append: true, text: "before\r\n", encoding: "windows-1252", keepFileEncoding: true }]]);
    const thrown = await runner.run({ language: "javascript", device: writable, source: '__host.writeFile("C:\\\\a.log", "before"); throw new Error("boom");' });
    expect(thrown.error?.code).toBe("ScriptError");
    expect(thrown.error?.details?.["fileWrites"]).toEqual([{ path: "C:\\a.log", append: false, text: "before", encoding: "utf-8" }]);
    const timedOut = await runner.run({ language: "javascript", device: writable, limits: { timeMs: 300 }, source: '__host.appendFile("C:\\\\a.log", "x"); for (;;) {}' });
    expect(timedOut.error?.code).toBe("ScriptTimeout");
    expect(timedOut.error?.details?.["fileWrites"]).toEqual([{ path: "C:\\a.log", append: true, text: "x", encoding: "utf-8", keepFileEncoding: true }]);
  });

  it("more writes than limits.fileWrites, or more characters than limits.fileWriteChars, end the run with ScriptFileWriteLimit, uncatchably", async () => {
    const count = await runner.run({
      language: "javascript",
      device: writable,
      limits: { fileWrites: 5 },
      // The first write counts 3: the file and the two folders it goes into.
      source: '__host.writeFile("C:\\\\a\\\\b\\\\c.log", "1"); for (;;) { try { __host.appendFile("C:\\\\a\\\\b\\\\c.log", "x"); } catch (e) {} }',
    });
    expect(count.error?.code).toBe("ScriptFileWriteLimit");
    expect(count.error?.message).toBe("The script made more than 5 file writes (each new folder counts as one).");
    expect(count.error?.details?.["fileWrites"]).toEqual([{ path: "C:\\a\\b\\c.log", append: false, text: "1xx", encoding: "utf-8" }]);
    const chars = await runner.run({
      language: "powershell",
      device: writable,
      limits: { fileWriteChars: 100 },
      source: 'try { while ($true) { Add-Content C:\\a.log ("y" * 20) } } catch { "caught" } finally { "finally" }',
    });
    expect(chars.error?.code).toBe("ScriptFileWriteLimit");
    expect(chars.error?.message).toBe("The script wrote more than 100 characters to files.");
    expect(chars.error?.details?.["output"]).toEqual([]);
    expect(chars.error?.details?.["fileWrites"]).toEqual([{ path: "C:\\a.log", append: true, text: "y".repeat(20).concat("\r\n").repeat(3), encoding: "windows-1252", keepFileEncoding: true }]);
  });
});

describe("documentation", () => {
  it("the example of docs/powershell-subset.md, Writing files, runs as documented", async () => {
    const doc = readFileSync(new URL("../../../docs/powershell-subset.md", import.meta.url), "utf8");
    const source = /### Writing files[\s\S]*?```powershell\n([\s\S]*?)```/.exec(doc)?.[1] ?? "";
    const { env } = testEnvironment();
    const device: ScriptDevice = { ...testDevice({ wmi: { Win32_BIOS: [{ SerialNumber: "8H3KQV3", Version: "1.2" }] }, files: { "C:\\Windows\\CCM\\Logs\\SMSTSLog\\": 0 } }), writableFiles: true };
    const r = await run({ language: "powershell", source, environment: env, device, startTime: Date.UTC(2026, 0, 2, 3, 4, 5) });
    const bios = "SerialNumber : 8H3KQV3\r\nVersion      : 1.2\r\n";
    expect(r.fileWrites).toEqual([
      { path: LOG, append: true, text: "2026-01-02T03:04:05 Started\r\n", encoding: "windows-1252", keepFileEncoding: true },
      { path: LOG, append: true, text: bios, encoding: "windows-1252" },
      { path: LOG, append: true, text: "Done\r\n", encoding: "windows-1252", keepFileEncoding: true },
      { path: "C:\\Windows\\CCM\\Logs\\SMSTSLog\\BIOS.txt", append: false, text: bios, encoding: "utf-16le" },
    ]);
  });
});
