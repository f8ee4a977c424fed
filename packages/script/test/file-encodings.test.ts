/**
 * How scripts write files as Windows PowerShell 5.1 does: the encodings of each writer and
 * `-Encoding`, appends that keep (or do not keep) a file's encoding, `Tee-Object`, `-NoClobber`,
 * `-PassThru`, a write into a folder that does not exist, and writes passed on one by one.
 */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { createSimulatedDevice, encodeFileText, type DeviceProfile, type FileTextEncoding } from "@taskseq/device";
import { applyScriptFileWrite, compilePowerShell, compilePowerShellForRunner, createScriptRunner, mergeScriptFileWrites } from "@taskseq/script";
import type { ScriptFileWrite, ScriptRunRequest, ScriptRunResult } from "@taskseq/script";

const runner = createScriptRunner({ compilePowerShell: compilePowerShellForRunner });
afterAll(() => runner[Symbol.dispose]());

/** The Dell laptop in its full OS with a log folder, and the script's view of it (writable). */
function laptop(): { readonly device: ReturnType<typeof createSimulatedDevice>; readonly request: Pick<ScriptRunRequest, "device"> } {
  const profile = JSON.parse(readFileSync(new URL("../../../examples/devices/dell-latitude-5440.json", import.meta.url), "utf8")) as DeviceProfile;
  const device = createSimulatedDevice({ ...profile, files: { ...profile.files, "C:\\Logs": { folder: true } } });
  return { device, request: { device: { files: device.files.syncView(), writableFiles: true } } };
}

/** Runs a PowerShell-style script on a fresh laptop (files added first) and applies its writes. */
async function onLaptop(source: string, files: Readonly<Record<string, Uint8Array>> = {}): Promise<{ r: ScriptRunResult; read: (path: string) => Promise<number[]> }> {
  const { device, request } = laptop();
  for (const [path, data] of Object.entries(files)) await device.files.write(path, data);
  const result = await runner.run({ language: "powershell", source, ...request });
  if (result.error !== undefined) throw result.error;
  for (const write of result.value.fileWrites) await applyScriptFileWrite(device.files, write);
  return { r: result.value, read: async (path) => [...(await device.files.read(path))] };
}

const bytes = (text: string, encoding: FileTextEncoding, bom = true): number[] => [...encodeFileText(text, encoding, bom)];
const lines = (r: ScriptRunResult): string[] => r.records.map((x) => `${x.stream}: ${x.text}`);

describe("encodings: Windows PowerShell 5.1's defaults and -Encoding", () => {
  it("Out-File, > and >> write UTF-16LE with a BOM, Set-Content and Add-Content ANSI; the device holds those bytes and reads them back", async () => {
    const { r, read } = await onLaptop(String.raw`"Zürich €" | Out-File C:\Logs\out.txt
"Zürich €" > C:\Logs\redirect.txt
"Zürich €" >> C:\Logs\append.txt
Set-Content C:\Logs\set.txt "Zürich €"
Add-Content C:\Logs\add.txt "Zürich €"`);
    const unicode = bytes("Zürich €\r\n", "utf-16le");
    const ansi = bytes("Zürich €\r\n", "windows-1252");
    expect(ansi).toEqual([0x5a, 0xfc, 0x72, 0x69, 0x63, 0x68, 0x20, 0x80, 0x0d, 0x0a]);
    expect(await Promise.all(["out", "redirect", "append", "set", "add"].map((n) => read(`C:\\Logs\\${n}.txt`)))).toEqual([unicode, unicode, unicode, ansi, ansi]);
    expect(r.fileWrites.map((w) => ("encoding" in w ? w.encoding : ""))).toEqual(["utf-16le", "utf-16le", "utf-16le", "windows-1252", "windows-1252"]);
    const { device } = laptop();
    for (const w of r.fileWrites) await applyScriptFileWrite(device.files, w);
    expect(await device.files.readText("C:\\Logs\\out.txt")).toBe("Zürich €\r\n");
    expect(await device.files.readText("C:\\Logs\\set.txt")).toBe("Zürich €\r\n");
  });

  it("-Encoding takes Windows PowerShell 5.1's names (case-insensitive; Out-File's is positional too; String is the default)", async () => {
    const names: Record<string, FileTextEncoding> = {
      Unknown: "utf-16le",
      Unicode: "utf-16le",
      BigEndianUnicode: "utf-16be",
      UTF8: "utf-8-bom",
      utf32: "utf-32le",
      ASCII: "ascii",
      Default: "windows-1252",
      OEM: "ibm437",
    };
    const source = Object.keys(names)
      .flatMap((n, i) => [`Set-Content C:\\Logs\\s${i}.txt "x" -Encoding ${n}`, `"x" | Out-File C:\\Logs\\o${i}.txt -Encoding ${n}`])
      .concat([`Add-Content C:\\Logs\\b.txt "x" -Encoding BigEndianUTF32`, `"x" | Out-File C:\\Logs\\p.txt utf8`, `Set-Content C:\\Logs\\str.txt "x" -Encoding String`, `"x" | Out-File C:\\Logs\\str2.txt -Encoding String`])
      .join("\n");
    const { r } = await onLaptop(source);
    const expected = Object.values(names).flatMap((e) => [e, e]);
    expect(r.fileWrites.map((w) => ("encoding" in w ? w.encoding : ""))).toEqual([...expected, "utf-32be", "utf-8-bom", "windows-1252", "utf-16le"]);
  });

  it("an unknown -Encoding is a terminating ParameterBindingException; UTF7 and Byte are ScriptUnsupported as constants and NotSupportedException when computed", async () => {
    const { r } = await onLaptop(String.raw`try { Set-Content C:\Logs\a.txt "x" -Encoding Latin1 } catch { "$($_.Exception.GetType().FullName): $($_.Exception.Message)" }
try { "x" | Out-File C:\Logs\a.txt -Encoding BigEndianUTF32 } catch { $_.Exception.GetType().FullName }
$e = "UTF7"; try { Add-Content C:\Logs\a.txt "x" -Encoding $e } catch { "$($_.Exception.GetType().FullName): $($_.Exception.Message)" }
$e = "Byte"; try { Set-Content C:\Logs\a.txt "x" -Encoding $e } catch { $_.Exception.GetType().FullName }`);
    expect(lines(r)).toEqual([
      "output: System.Management.Automation.ParameterBindingException: Cannot bind parameter 'Encoding': 'Latin1' is not one of unknown, string, unicode, byte, bigendianunicode, utf8, utf7, utf32, ascii, default, oem, bigendianutf32.",
      "output: System.Management.Automation.ParameterBindingException",
      "output: System.NotSupportedException: -Encoding UTF7 is not supported in the sandbox.",
      "output: System.NotSupportedException",
    ]);
    expect(r.fileWrites).toEqual([]);
    for (const source of ['Set-Content C:\\a.txt "x" -Encoding UTF7', '"x" | Out-File C:\\a.txt byte', 'Add-Content C:\\a.txt "x" -en Byte']) {
      expect(() => compilePowerShell(source), source).toThrow(expect.objectContaining({ code: "ScriptUnsupported" }));
    }
    // A value that happens to read "UTF7" is not an encoding.
    expect(() => compilePowerShell('Set-Content C:\\a.txt UTF7')).not.toThrow();
  });

  it("Add-Content appends in the encoding of the file's BOM; Out-File -Append and >> append their own encoding whatever the file holds", async () => {
    const { r, read } = await onLaptop(
      String.raw`Add-Content C:\Logs\unicode.log "b"
Add-Content C:\Logs\ansi.log "é"
"c" >> C:\Logs\ansi.log
"d" | Out-File C:\Logs\unicode.log -Append -Encoding UTF8
"e" | Out-File C:\Logs\new.log -Append`,
      { "C:\\Logs\\unicode.log": encodeFileText("a\r\n", "utf-16le", true), "C:\\Logs\\ansi.log": encodeFileText("a\r\n", "windows-1252", true) },
    );
    expect(await read("C:\\Logs\\unicode.log")).toEqual([...bytes("a\r\nb\r\n", "utf-16le"), ...bytes("d\r\n", "utf-8")]);
    expect(await read("C:\\Logs\\ansi.log")).toEqual([...bytes("a\r\né\r\n", "windows-1252"), ...bytes("c\r\n", "utf-16le", false)]);
    expect(await read("C:\\Logs\\new.log")).toEqual(bytes("e\r\n", "utf-16le"));
    expect(r.fileWrites[0]).toEqual({ path: "C:\\Logs\\unicode.log", append: true, text: "b\r\n", encoding: "windows-1252", keepFileEncoding: true });
  });

  it("a file written earlier in the run: Add-Content keeps the encoding of its BOM (one entry), and >> starts a file New-Item left empty with its BOM", async () => {
    const { r, read } = await onLaptop(String.raw`Set-Content C:\Logs\a.log "one" -Encoding UTF8
Add-Content C:\Logs\a.log "two"
New-Item C:\Logs\b.log | Out-Null
"three" >> C:\Logs\b.log
Add-Content C:\Logs\b.log "four"`);
    expect(r.fileWrites).toEqual([
      { path: "C:\\Logs\\a.log", append: false, text: "one\r\ntwo\r\n", encoding: "utf-8-bom" },
      { path: "C:\\Logs\\b.log", append: false, text: "", encoding: "utf-8" },
      { path: "C:\\Logs\\b.log", append: true, text: "three\r\n", encoding: "utf-16le" },
      { path: "C:\\Logs\\b.log", append: true, text: "four\r\n", encoding: "windows-1252", keepFileEncoding: true },
    ]);
    expect(await read("C:\\Logs\\a.log")).toEqual(bytes("one\r\ntwo\r\n", "utf-8-bom"));
    expect(await read("C:\\Logs\\b.log")).toEqual(bytes("three\r\nfour\r\n", "utf-16le"));
  });

  it("JavaScript: writeFile and appendFile take an encoding; appendFile keeps the file's own unless its fourth argument is false; another name is InvalidArgument", async () => {
    const { device, request } = laptop();
    await device.files.write("C:\\Logs\\u.log", encodeFileText("a", "utf-16be", true));
    const r = await runner.run({
      language: "javascript",
      ...request,
      source: `__host.writeFile("C:\\\\Logs\\\\w.log", "é", "UTF-32LE");
        __host.appendFile("C:\\\\Logs\\\\u.log", "b");
        __host.appendFile("C:\\\\Logs\\\\u.log", "c", "ascii", false);
        try { __host.writeFile("C:\\\\Logs\\\\x.log", "x", "latin1"); } catch (e) { console.log(e.code, e.message); }`,
    });
    expect(r.value?.output).toBe(
      'InvalidArgument Unknown file encoding "latin1": use one of utf-8, utf-8-bom, utf-16le, utf-16be, utf-32le, utf-32be, ascii, windows-1252, ibm437.',
    );
    for (const write of r.value?.fileWrites ?? []) await applyScriptFileWrite(device.files, write);
    expect([...(await device.files.read("C:\\Logs\\w.log"))]).toEqual(bytes("é", "utf-32le"));
    expect([...(await device.files.read("C:\\Logs\\u.log"))]).toEqual([...bytes("ab", "utf-16be"), ...bytes("c", "ascii")]);
  });

  it("the script's reads see its writes: Get-Content gives the text, Get-Item's Length the bytes in their encoding", async () => {
    const { r } = await onLaptop(String.raw`"é" | Out-File C:\Logs\a.txt
Set-Content C:\Logs\b.txt "é"
(Get-Item C:\Logs\a.txt).Length
(Get-Item C:\Logs\b.txt).Length
Get-Content C:\Logs\a.txt`);
    expect(r.output).toBe("8\n3\né");
  });

  it("onFileWrite receives each write and folder creation as it is made; mergeScriptFileWrites turns them into the run's fileWrites", async () => {
    const seen: ScriptFileWrite[] = [];
    const { request } = laptop();
    const r = await runner.run({
      language: "powershell",
      ...request,
      onFileWrite: (w) => seen.push(w),
      source: String.raw`mkdir C:\Logs\New | Out-Null; Add-Content C:\Logs\New\a.log "one"; "two" >> C:\Logs\New\a.log; "three" >> C:\Logs\New\a.log; Set-Content C:\Logs\b.log "x"`,
    });
    expect(seen.map((w) => w.path)).toEqual(["C:\\Logs\\New", "C:\\Logs\\New\\a.log", "C:\\Logs\\New\\a.log", "C:\\Logs\\New\\a.log", "C:\\Logs\\b.log"]);
    expect(seen[3]).toEqual({ path: "C:\\Logs\\New\\a.log", append: true, text: "three\r\n", encoding: "utf-16le" });
    expect(mergeScriptFileWrites(seen)).toEqual(r.value?.fileWrites);
    expect(r.value?.fileWrites).toHaveLength(4);
  });
});

describe("Tee-Object, -NoClobber and -PassThru", () => {
  it("Tee-Object writes its input as Out-File does (-FilePath, -Path, -LiteralPath, -Append; alias tee) or to a -Variable, and passes it on", async () => {
    const { r, read } = await onLaptop(String.raw`$n = 1, 2 | Tee-Object -FilePath C:\Logs\t.txt
"three" | tee C:\Logs\t.txt -Append | Out-Null
"four" | Tee-Object -LiteralPath C:\Logs\l.txt | Out-Null
@{ A = 1 } | Tee-Object -Path C:\Logs\h.txt | Out-Null
"one" | Tee-Object -Variable single | Out-Null
$all = 5, 6 | Tee-Object -Variable many
"$($n -join ',') $single $($many -join ',') $($all -join ',')"`);
    expect(r.output).toBe("1,2 one 5,6 5,6");
    expect(await read("C:\\Logs\\t.txt")).toEqual(bytes("1\r\n2\r\nthree\r\n", "utf-16le"));
    expect(await read("C:\\Logs\\l.txt")).toEqual(bytes("four\r\n", "utf-16le"));
    expect(await read("C:\\Logs\\h.txt")).toEqual(bytes("Name Value\r\n---- -----\r\nA    1\r\n", "utf-16le"));
  });

  it("Tee-Object takes one of a file and a variable, and refuses a parameter it does not have (parameter binding errors)", async () => {
    const { r } = await onLaptop(String.raw`try { 1 | Tee-Object } catch { $_.Exception.Message }
try { 1 | Tee-Object -FilePath C:\Logs\x.txt -Variable v } catch { $_.Exception.GetType().FullName }
try { 1 | Tee-Object C:\Logs\x.txt -Encoding UTF8 } catch { $_.Exception.Message }`);
    expect(lines(r)).toEqual([
      "output: Parameter set cannot be resolved using the specified named parameters: Tee-Object takes -FilePath, -LiteralPath or -Variable.",
      "output: System.Management.Automation.ParameterBindingException",
      "output: A parameter cannot be found that matches parameter name 'encoding' of tee-object.",
    ]);
    expect(r.fileWrites).toEqual([]);
  });

  it("Out-File -NoClobber (-NoOverwrite) refuses a file on the device or one the script wrote, writes a new one, and is ignored with -Append", async () => {
    const { r, read } = await onLaptop(
      String.raw`try { "x" | Out-File C:\Logs\old.txt -NoClobber } catch { "$($_.Exception.GetType().FullName): $($_.Exception.Message)" }
"new" | Out-File C:\Logs\new.txt -NoClobber
try { "again" | Out-File C:\Logs\new.txt -NoOverwrite } catch { "refused again" }
"more" | Out-File C:\Logs\old.txt -NoClobber -Append`,
      { "C:\\Logs\\old.txt": encodeFileText("old\r\n", "utf-16le", true) },
    );
    expect(lines(r)).toEqual(["output: System.IO.IOException: The file 'C:\\Logs\\old.txt' already exists.", "output: refused again"]);
    expect(await read("C:\\Logs\\new.txt")).toEqual(bytes("new\r\n", "utf-16le"));
    expect(await read("C:\\Logs\\old.txt")).toEqual(bytes("old\r\nmore\r\n", "utf-16le"));
  });

  it("Set-Content and Add-Content -PassThru pass the values on once per file written; Out-File has no -PassThru", async () => {
    const { r } = await onLaptop(String.raw`$a = Set-Content C:\Logs\a.txt -Value 1, "two" -PassThru
$b = "three" | Add-Content C:\Logs\a.txt, C:\Logs\b.txt -PassThru
$c = Set-Content C:\Logs\c.txt "quiet"
"$($a -join ',')|$($b -join ',')|$($null -eq $c)|$($a[0].GetType().Name)"
try { "x" | Out-File C:\Logs\d.txt -PassThru } catch { $_.Exception.GetType().FullName }`);
    expect(lines(r)).toEqual(["output: 1,two|three,three|True|Int32", "output: System.Management.Automation.ParameterBindingException"]);
  });
});

describe("a write into a folder that does not exist", () => {
  it("is PowerShell's DirectoryNotFoundException at the call: non-terminating for Set-Content and Add-Content, terminating for Out-File, > and Tee-Object", async () => {
    const { r } = await onLaptop(String.raw`Set-Content C:\Nope\a.txt "x"
Add-Content C:\Nope\a.txt "x" -ErrorAction SilentlyContinue
try { Add-Content C:\Nope\a.txt "x" -ErrorAction Stop } catch { "caught $($_.Exception.GetType().FullName)" }
try { "x" | Out-File C:\Nope\a.txt; "not here" } catch { "caught $($_.Exception.Message)" }
try { "x" > C:\Nope\a.txt } catch { "caught >" }
try { "x" | Tee-Object C:\Nope\a.txt } catch { "caught Tee-Object" }`);
    expect(lines(r)).toEqual([
      "error: Could not find a part of the path 'C:\\Nope\\a.txt'.",
      "output: caught System.IO.DirectoryNotFoundException",
      "output: caught Could not find a part of the path 'C:\\Nope\\a.txt'.",
      "output: caught >",
      "output: caught Tee-Object",
    ]);
    expect(r.fileWrites).toEqual([]);
  });

  it("a folder the script created or wrote into earlier counts; without a files view the folder is not checked", async () => {
    const { r } = await onLaptop(String.raw`New-Item -ItemType Directory C:\Nope | Out-Null
Set-Content C:\Nope\a.txt "x"
mkdir C:\Deep\Er -Force | Out-Null
"y" > C:\Deep\Er\b.txt
Add-Content C:\Deep\c.txt "z"`);
    expect(lines(r)).toEqual([]);
    expect(r.fileWrites.map((w) => w.path)).toEqual(["C:\\Nope", "C:\\Nope\\a.txt", "C:\\Deep\\Er", "C:\\Deep\\Er\\b.txt", "C:\\Deep\\c.txt"]);
    const blind = await runner.run({ language: "javascript", device: { writableFiles: true }, source: '__host.writeFile("C:\\\\Nope\\\\a.txt", "x");' });
    expect(blind.value?.fileWrites).toEqual([{ path: "C:\\Nope\\a.txt", append: false, text: "x", encoding: "utf-8" }]);
  });

  it("JavaScript: writeFile and appendFile throw NotFound", async () => {
    const r = await runner.run({
      language: "javascript",
      ...laptop().request,
      source: 'for (const f of ["writeFile", "appendFile"]) { try { __host[f]("C:\\\\Nope\\\\a.txt", "x"); } catch (e) { console.log(e.code, e.message); } }',
    });
    expect(r.value?.output).toBe(Array(2).fill("NotFound Could not find a part of the path 'C:\\Nope\\a.txt'.").join("\n"));
    expect(r.value?.fileWrites).toEqual([]);
  });
});
