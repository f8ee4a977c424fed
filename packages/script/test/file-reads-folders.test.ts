/**
 * File content reads (`__host.readFile`, `Get-Content`, bounded by `limits.fileReadBytes`) and
 * folder creations (`__host.createFolder`, `New-Item`), recorded with the file writes.
 */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { createSimulatedDevice, type DeviceProfile } from "@taskseq/device";
import { applyScriptFileWrite, compilePowerShell, compilePowerShellForRunner, createScriptRunner } from "@taskseq/script";
import type { ScriptDevice, ScriptRunRequest, ScriptRunResult } from "@taskseq/script";

const runner = createScriptRunner({ compilePowerShell: compilePowerShellForRunner });
afterAll(() => runner[Symbol.dispose]());

/** The Dell laptop in its full OS, with a log folder, and the script's view of it (native paths, writable). */
function laptop(): { readonly device: ReturnType<typeof createSimulatedDevice>; readonly view: ScriptDevice } {
  const profile = JSON.parse(readFileSync(new URL("../../../examples/devices/dell-latitude-5440.json", import.meta.url), "utf8")) as DeviceProfile;
  const device = createSimulatedDevice({
    ...profile,
    files: { ...profile.files, "C:\\Logs\\setup.log": { content: "one\r\ntwo\nthree\r\n" }, "C:\\Logs\\empty.log": { content: "" }, "C:\\Logs\\Archive": { folder: true } },
  });
  return { device, view: { files: device.files.syncView(), registry: device.registry.syncView(), writableFiles: true } };
}

async function run(request: Partial<ScriptRunRequest> & Pick<ScriptRunRequest, "source">): Promise<ScriptRunResult> {
  const result = await runner.run({ language: "javascript", device: laptop().view, ...request });
  if (result.error !== undefined) throw result.error;
  return result.value;
}

describe("reading file contents", () => {
  it("JavaScript: readFile gives the device's text followed by what the script appended, or what it wrote; null for a folder or a missing file", async () => {
    const r = await run({
      source: `__host.appendFile("C:\\\\Logs\\\\setup.log", "four\\r\\n");
        __host.writeFile("C:\\\\Logs\\\\new.log", "fresh");
        __host.appendFile("C:\\\\Logs\\\\other.log", "x");
        console.log(JSON.stringify([__host.readFile("c:\\\\logs\\\\SETUP.LOG"), __host.readFile("C:\\\\Logs\\\\new.log"), __host.readFile("C:\\\\Logs\\\\other.log"),
          __host.readFile("C:\\\\Logs\\\\empty.log"), __host.readFile("C:\\\\Logs"), __host.readFile("C:\\\\Logs\\\\missing.log")]));`,
    });
    expect(JSON.parse(r.output)).toEqual(["one\r\ntwo\nthree\r\nfour\r\n", "fresh", "x", "", null, null]);
  });

  it("PowerShell: Get-Content gives lines, or the whole text with -Raw; -TotalCount, -Tail, aliases and pipeline input", async () => {
    const r = await run({
      language: "powershell",
      source: String.raw`$lines = Get-Content C:\Logs\setup.log
"$($lines.Count): $($lines -join '|')"
(Get-Content -Path C:\Logs\setup.log -Raw).Length
Get-Content C:\Logs\setup.log -TotalCount 1
gc C:\Logs\setup.log -Tail 2
(cat C:\Logs\empty.log | Measure-Object).Count
Get-ChildItem C:\Logs -Filter *.log | Where-Object Name -eq "setup.log" | Get-Content -First 1
Get-Content -Raw C:\Logs\empty.log
Add-Content C:\Logs\mine.log "a"; type C:\Logs\mine.log`,
    });
    expect(r.output).toBe(["3: one|two|three", "16", "one", "two", "three", "0", "one", "a"].join("\n"));
  });

  it("PowerShell: a missing file or a folder is a non-terminating error; another provider's path is terminating", async () => {
    const r = await run({
      language: "powershell",
      source: String.raw`Get-Content C:\Logs\missing.log
Get-Content C:\Logs\Archive
try { Get-Content HKLM:\SOFTWARE\Contoso } catch { "caught: $($_.Exception.Message)" }
try { Get-Content C:\nope.txt -ErrorAction Stop } catch { "stopped" }`,
    });
    expect(r.records.map((x) => `${x.stream}: ${x.text}`)).toEqual([
      "error: Cannot find path 'C:\\Logs\\missing.log' because it does not exist.",
      "error: Unable to get content because it is a directory: 'C:\\Logs\\Archive'. Please use 'Get-ChildItem' instead.",
      "output: caught: Get-Content reads only files in the sandbox: 'HKLM:\\SOFTWARE\\Contoso'.",
      "output: stopped",
    ]);
  });

  it("each read counts the file's size toward limits.fileReadBytes; past it the run ends with ScriptFileReadLimit, uncatchably", async () => {
    // setup.log is 16 bytes: two reads fit in 40, the third does not.
    const r = await runner.run({
      language: "javascript",
      device: laptop().view,
      limits: { fileReadBytes: 40 },
      source: 'let n = 0; try { for (;;) { __host.readFile("C:\\\\Logs\\\\setup.log"); console.log(++n); } } catch (e) { console.log("caught"); } finally { console.log("finally"); }',
    });
    expect(r.error?.code).toBe("ScriptFileReadLimit");
    expect(r.error?.message).toBe("The script read more than 40 bytes from files.");
    expect(r.error?.details?.["output"]).toEqual([
      { stream: "output", text: "1" },
      { stream: "output", text: "2" },
    ]);
    // A file larger than the whole limit is refused before it is read.
    const big = await runner.run({ language: "powershell", device: laptop().view, limits: { fileReadBytes: 10 }, source: "Get-Content C:\\Logs\\setup.log" });
    expect(big.error?.code).toBe("ScriptFileReadLimit");
  });

  it("without a view that reads content a read fails with AdapterMissing (a file the script wrote whole still reads)", async () => {
    const { files } = laptop().view;
    const statOnly: ScriptDevice = { files: { exists: (p) => files?.exists(p) ?? false, stat: (p) => files?.stat(p), list: (p) => files?.list(p) ?? [] }, writableFiles: true };
    const r = await run({
      device: statOnly,
      source: `__host.writeFile("C:\\\\a.txt", "mine");
        console.log(__host.readFile("C:\\\\a.txt"));
        try { __host.readFile("C:\\\\Logs\\\\setup.log"); } catch (e) { console.log(e.code, e.message); }`,
    });
    expect(r.output).toBe("mine\nAdapterMissing The device has no file reading adapter.");
  });
});

describe("creating folders", () => {
  it("JavaScript: createFolder records the folder (parents included) once, in order with the writes; reads see it", async () => {
    const r = await run({
      source: `__host.createFolder("C:\\\\Temp\\\\Logs\\\\");
        __host.writeFile("C:\\\\Temp\\\\Logs\\\\a.log", "x");
        __host.createFolder("c:\\\\temp\\\\logs");
        __host.createFolder("C:\\\\Logs\\\\Archive");
        __host.createFolder("C:\\\\Temp\\\\Logs\\\\Old\\\\..\\\\New");
        console.log(JSON.stringify([__host.folderExists("C:\\\\Temp"), __host.listDirectory("C:\\\\Temp\\\\Logs")]));
        for (const p of ["C:\\\\Logs\\\\setup.log", "C:\\\\Temp\\\\Logs\\\\a.log", "Q:", "rel\\\\dir"]) { try { __host.createFolder(p); } catch (e) { console.log(e.code); } }`,
    });
    expect(r.fileWrites).toEqual([
      { path: "C:\\Temp\\Logs", folder: true },
      { path: "C:\\Temp\\Logs\\a.log", append: false, text: "x", encoding: "utf-8" },
      { path: "C:\\Temp\\Logs\\New", folder: true },
    ]);
    expect(r.output.split("\n")).toEqual([
      JSON.stringify([true, [{ name: "a.log", isFolder: false }, { name: "New", isFolder: true }]]),
      "InvalidArgument",
      "InvalidArgument",
      "InvalidArgument",
      "InvalidArgument",
    ]);
  });

  it("new folders count toward limits.fileWrites and their paths toward limits.fileWriteChars; without writableFiles it is AdapterMissing", async () => {
    const count = await runner.run({ language: "javascript", device: laptop().view, limits: { fileWrites: 4 }, source: 'for (let i = 0; ; i++) { try { __host.createFolder("C:\\\\a\\\\" + i); } catch (e) {} }' });
    expect(count.error?.code).toBe("ScriptFileWriteLimit");
    // C:\a and C:\a\0 count two, C:\a\1 and C:\a\2 one each.
    expect(count.error?.details?.["fileWrites"]).toEqual([0, 1, 2].map((i) => ({ path: `C:\\a\\${i}`, folder: true })));
    const chars = await runner.run({ language: "javascript", device: laptop().view, limits: { fileWriteChars: 12 }, source: '__host.createFolder("C:\\\\abcdef"); __host.createFolder("C:\\\\ghijkl");' });
    expect(chars.error?.code).toBe("ScriptFileWriteLimit");
    const readOnly = await run({ device: { files: laptop().view.files }, source: 'try { __host.createFolder("C:\\\\x"); } catch (e) { console.log(e.code); }' });
    expect(readOnly.output).toBe("AdapterMissing");
  });

  it("PowerShell: New-Item -ItemType Directory (with -Force for an existing one) and -ItemType File (-Value), with PowerShell's errors", async () => {
    const r = await run({
      language: "powershell",
      source: String.raw`$dir = New-Item -ItemType Directory -Path C:\Temp\MyApp\Logs
"$($dir.FullName) $($dir.PSIsContainer)"
New-Item -ItemType Directory -Path C:\Temp\MyApp\Logs -Force | Out-Null
New-Item -ItemType Directory -Path C:\Logs\Archive -Force | Out-Null
New-Item -ItemType Directory -Path C:\Logs\Archive
$f = New-Item -Path C:\Temp\MyApp -Name settings.ini -ItemType File -Value "[App]"
"$($f.Name) $($f.Length)"
ni C:\Temp\MyApp\empty.txt | Out-Null
New-Item C:\Temp\MyApp\empty.txt -Value "x"
New-Item C:\Nope\x.txt -ItemType File
New-Item C:\Nope\y.txt -ItemType File -Force | Out-Null
Test-Path C:\Temp\MyApp\Logs -PathType Container
Get-Content C:\Temp\MyApp\settings.ini`,
    });
    expect(r.records.map((x) => `${x.stream}: ${x.text}`)).toEqual([
      "output: C:\\Temp\\MyApp\\Logs True",
      "error: An item with the specified name C:\\Logs\\Archive already exists.",
      "output: settings.ini 5",
      "error: An item with the specified name C:\\Temp\\MyApp\\empty.txt already exists.",
      "error: Could not find a part of the path 'C:\\Nope\\x.txt'.",
      "output: True",
      "output: [App]",
    ]);
    expect(r.fileWrites).toEqual([
      { path: "C:\\Temp\\MyApp\\Logs", folder: true },
      { path: "C:\\Temp\\MyApp\\settings.ini", append: false, text: "[App]", encoding: "utf-8" },
      { path: "C:\\Temp\\MyApp\\empty.txt", append: false, text: "", encoding: "utf-8" },
      // -Force creates the folder of the file.
      { path: "C:\\Nope", folder: true },
      { path: "C:\\Nope\\y.txt", append: false, text: "", encoding: "utf-8" },
    ]);
  });

  it("New-Item of another item type or outside the file system is ScriptUnsupported before running, and a terminating error when computed", async () => {
    for (const source of ["New-Item -ItemType SymbolicLink -Path C:\\l -Value C:\\t", "New-Item -Path HKLM:\\SOFTWARE\\Contoso", "New-Item Env:\\X -Value 1", "ni -Type Junction C:\\j"]) {
      expect(() => compilePowerShell(source), source).toThrow(expect.objectContaining({ code: "ScriptUnsupported" }));
    }
    const r = await run({ language: "powershell", source: String.raw`$t = "HardLink"; try { New-Item -ItemType $t C:\h } catch { $_.Exception.Message }` });
    expect(r.output).toBe("New-Item creates only files and folders in the sandbox (-ItemType File or Directory): 'C:\\h'.");
  });

  it("PowerShell: mkdir and md are New-Item -ItemType Directory, refused like it outside the file system", async () => {
    const r = await run({
      language: "powershell",
      source: String.raw`mkdir C:\Logs -Force | Out-Null
$d = md C:\Temp -Name MyApp
"$($d.FullName) $($d.PSIsContainer)"
mkdir C:\Logs
MKDIR -Path C:\MyLogs\Archive -Force | Out-Null
Test-Path C:\MyLogs\Archive -PathType Container`,
    });
    expect(r.records.map((x) => `${x.stream}: ${x.text}`)).toEqual([
      "output: C:\\Temp\\MyApp True",
      "error: An item with the specified name C:\\Logs already exists.",
      "output: True",
    ]);
    // C:\Logs exists on the device: -Force returns it without a write.
    expect(r.fileWrites).toEqual(["C:\\Temp\\MyApp", "C:\\MyLogs\\Archive"].map((path) => ({ path, folder: true })));
    for (const source of ["mkdir HKLM:\\SOFTWARE\\Contoso", "md -Path Env:\\X"]) expect(() => compilePowerShell(source), source).toThrow(expect.objectContaining({ code: "ScriptUnsupported" }));
  });

  it("applyScriptFileWrite creates the folders and writes the files in the view the options ask for", async () => {
    const { device } = laptop();
    const r = await run({ source: '__host.createFolder("C:\\\\Windows\\\\System32\\\\MyApp"); __host.writeFile("C:\\\\Windows\\\\System32\\\\MyApp\\\\a.log", "x");' });
    for (const write of r.fileWrites) await applyScriptFileWrite(device.files, write, { disableWow64Redirection: true });
    expect(await device.files.readText("C:\\Windows\\System32\\MyApp\\a.log", { disableWow64Redirection: true })).toBe("x");
    expect(await device.files.exists("C:\\Windows\\SysWOW64\\MyApp")).toBe(false);
  });
});
