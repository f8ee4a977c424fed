import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createNodeIo, runCli } from "@taskseq/cli";
import type { CliIo } from "@taskseq/cli";
import { parseSequenceXml } from "@taskseq/xml";
import { tempDir } from "../../../test/helpers/temp-dir.js";

const examples = fileURLToPath(new URL("../../../examples/shell/", import.meta.url));
const corpus = fileURLToPath(new URL("../../../../shared/corpus/", import.meta.url));

/** Runs `taskseq shell <file> ...args` in `dir` after writing `script` to `dir/file`. */
async function shell(dir: string, script: string, { file = "script.ps1", args = [], io = {} }: { file?: string; args?: readonly string[]; io?: Partial<CliIo> } = {}): Promise<{ code: number; out: string; err: string }> {
  writeFileSync(join(dir, file), script);
  let out = "";
  let err = "";
  const code = await runCli(["shell", file, ...args], createNodeIo({ cwd: dir, stdout: (t) => void (out += t), stderr: (t) => void (err += t), ...io }));
  return { code, out, err };
}

const workdir = (): string => tempDir("taskseq-shell-");

describe("taskseq shell", () => {
  it("runs the example: builds, edits and exports a sequence with the real cmdlet names", async () => {
    const dir = workdir();
    const r = await shell(dir, readFileSync(join(examples, "build-sequence.ps1"), "utf8"));
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toContain("steps matching S*: Set computer name, Say hello");
    const seq = parseSequenceXml(readFileSync(join(dir, "build-sequence.xml"))).sequence;
    expect(seq.items.map((i) => i.name)).toEqual(["Restart", "Configure"]);
    expect(seq.items[1]).toMatchObject({ kind: "group", description: "Name the computer" });
  });

  it("imports a corpus file, removes a step and exports an archive", async () => {
    const dir = workdir();
    copyFileSync(join(corpus, "049_mdt-drfiles-CONVERTOS.xml"), join(dir, "in.xml"));
    const r = await shell(dir, `$ts = Import-CMTaskSequence -ImportFilePath "in.xml"
Remove-CMTaskSequenceStep -InputObject $ts -StepName "Convert MBR*" -Force
Write-Output (Get-CMTaskSequenceStep -InputObject $ts).Count
Export-CMTaskSequence -InputObject $ts -ExportFilePath "out.zip" -PackageId "XYZ00042"`);
    expect(r).toMatchObject({ code: 0, out: "3\n" });
    expect(readFileSync(join(dir, "out.zip")).subarray(0, 2).toString()).toBe("PK");
  });

  it("reports bad parameters with the cmdlet's typed error and exit code 1", async () => {
    const r = await shell(workdir(), `New-CMTaskSequence -CustomTaskSequence -UpgradeOperatingSystem -Name "x" -UpgradePackageId "P"`);
    expect(r.code).toBe(1);
    expect(r.err).toContain("belong to different parameter sets");
    const unknown = await shell(workdir(), `New-CMTSStepReboot -Name "r" -Colour red`);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/parameter name .colour./i);
  });

  it("keeps the sandbox closed: no WMI besides the cmdlets, refused commands stay refused", async () => {
    const wmi = await shell(workdir(), `Get-WmiObject -Class Win32_BIOS -ErrorAction Stop`);
    expect(wmi.code).toBe(1);
    expect(wmi.err).toContain("no WMI");
    const refused = await shell(workdir(), `Start-Process notepad.exe`);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("Start-Process");
  });
});

describe("taskseq shell: pipeline input and errors", () => {
  const build = `$ts = New-CMTaskSequence -CustomTaskSequence -Name "Piped"
$g = New-CMTaskSequenceGroup -Name "Configure"
`;

  it("binds a piped task sequence to -InputObject of Add-, Get- and Export-CMTaskSequence*", async () => {
    const dir = workdir();
    const r = await shell(dir, `${build}$ts | Add-CMTaskSequenceStep -Step $g
$ts | Add-CMTaskSequenceStep -Step (New-CMTSStepReboot -Name "Restart" -Target HD) -InsertStepStartIndex 0
Write-Output (($ts | Get-CMTaskSequenceStep | ForEach-Object { $_.Name }) -join ",")
$ts | Set-CMTaskSequenceGroup -StepName "Configure" -Description "piped"
$ts | Export-CMTaskSequence -ExportFilePath "piped.xml"`);
    expect(r).toMatchObject({ code: 0, err: "", out: "Restart,Configure\n" });
    const seq = parseSequenceXml(readFileSync(join(dir, "piped.xml"))).sequence;
    expect(seq.items.map((i) => i.name)).toEqual(["Restart", "Configure"]);
    expect(seq.items[1]).toMatchObject({ kind: "group", description: "piped" });
  });

  it("runs a cmdlet once per piped object and keeps the -TaskSequence alias", async () => {
    const dir = workdir();
    const r = await shell(dir, `${build}$other = New-CMTaskSequence -CustomTaskSequence -Name "Other"
$ts, $other | Add-CMTaskSequenceStep -Step $g
Add-CMTaskSequenceStep -TaskSequence $other -Step (New-CMTSStepReboot -Name "Restart" -Target HD)
Write-Output @($ts | Get-CMTaskSequenceStep).Count
Write-Output @(Get-CMTaskSequenceStep -TaskSequence $other).Count`);
    expect(r).toMatchObject({ code: 0, err: "", out: "1\n2\n" });
  });

  it("reports a cmdlet error once, naming the cmdlet, at the script's line, and ends the script", async () => {
    const r = await shell(workdir(), `${build}
Add-CMTaskSequenceStep -Step $g
Write-Output "not reached"`);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toBe("Add-CMTaskSequenceStep: missing mandatory parameters -InputObject (parameter set ByValue). (line 4)\n");
  });

  it("lets try/catch catch a cmdlet error, whatever -ErrorAction says", async () => {
    const r = await shell(workdir(), `${build}try {
  Add-CMTaskSequenceStep -Step $g -ErrorAction SilentlyContinue
} catch {
  Write-Output ("caught: " + $_.Exception.Message + " at " + $_.InvocationInfo.ScriptLineNumber)
}
Write-Output "went on"`);
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toBe("caught: Add-CMTaskSequenceStep: missing mandatory parameters -InputObject (parameter set ByValue). at 4\nwent on\n");
  });

  it("reports the script's own lines for other runtime errors", async () => {
    const r = await shell(workdir(), `Write-Output "a"\n$x = 1 / 0`);
    expect(r.code).toBe(1);
    expect(r.err).toBe("Attempted to divide by zero. (line 2)\n");
  });
});

describe("taskseq shell: files read when the cmdlet runs", () => {
  const convertOs = join(corpus, "049_mdt-drfiles-CONVERTOS.xml");

  it("reads the path the script computed: a variable, a loop, Join-Path $PSScriptRoot (the script's folder)", async () => {
    const dir = workdir();
    mkdirSync(join(dir, "scripts", "data"), { recursive: true });
    mkdirSync(join(dir, "out"));
    copyFileSync(convertOs, join(dir, "scripts", "data", "a.xml"));
    copyFileSync(convertOs, join(dir, "scripts", "data", "b.xml"));
    copyFileSync(convertOs, join(dir, "c.xml"));
    const r = await shell(dir, `foreach ($name in "a", "b") {
  $ts = Import-CMTaskSequence -ImportFilePath (Join-Path $PSScriptRoot "data\\$name.xml")
  Write-Output "$name $(@(Get-CMTaskSequenceStep -InputObject $ts).Count)"
}
$path = "c" + ".xml"
$ts = Import-CMTaskSequence -ImportFilePath $path
$ts | Export-CMTaskSequence -ExportFilePath "out\\c.xml"
Write-Output ($PSScriptRoot -eq (Split-Path $PSCommandPath))`, { file: join("scripts", "build.ps1") });
    expect(r).toMatchObject({ code: 0, err: "", out: "a 4\nb 4\nTrue\n" });
    const names = (xml: Uint8Array): string[] => parseSequenceXml(xml).sequence.items.map((i) => i.name);
    expect(names(readFileSync(join(dir, "out", "c.xml")))).toEqual(names(readFileSync(convertOs)));
  });

  it("reads through the injected I/O, relative to its working directory", async () => {
    const dir = workdir();
    const files = new Map([[join(dir, "in.xml"), readFileSync(convertOs)]]); // only in memory
    const readFromMemory = (path: string): Uint8Array => {
      const data = files.get(path);
      if (data === undefined) throw new Error(`ENOENT: ${path}`);
      return data;
    };
    const r = await shell(dir, `$ts = Import-CMTaskSequence -ImportFilePath "in.xml"\n@(Get-CMTaskSequenceStep -InputObject $ts).Count`, { io: { readFileSync: readFromMemory } });
    expect(r).toMatchObject({ code: 0, err: "", out: "4\n" });
  });

  it("reports a file that cannot be read as the cmdlet's error at the script's line", async () => {
    const r = await shell(workdir(), `$path = "missing.xml"\nImport-CMTaskSequence -ImportFilePath $path\nWrite-Output "not reached"`);
    expect(r).toEqual({ code: 1, out: "", err: "Import-CMTaskSequence: Cannot read missing.xml. (line 2)\n" });
  });
});

describe("taskseq shell: param() blocks", () => {
  const script = `# Builds one sequence.
[CmdletBinding()]
param(
  [string]$Name = "Default",
  [int]$Reboots = 1,
  [switch]$Export
)
$ts = New-CMTaskSequence -CustomTaskSequence -Name $Name
foreach ($i in 1..$Reboots) { $ts | Add-CMTaskSequenceStep -Step (New-CMTSStepReboot -Name "Restart $i" -Target HD) }
Write-Output "$($ts.Name): $(@($ts | Get-CMTaskSequenceStep).Count) step(s), export $Export"
if ($Export) { $ts | Export-CMTaskSequence -ExportFilePath "$Name.xml" }`;

  it("runs a script that begins with [CmdletBinding()] param(), with the parameters' defaults", async () => {
    const r = await shell(workdir(), script);
    expect(r).toEqual({ code: 0, err: "", out: "Default: 1 step(s), export False\n" });
  });

  it("binds the arguments after the script to its parameters, as pwsh -File does", async () => {
    const dir = workdir();
    const r = await shell(dir, script, { args: ["-Name", "Two words", "-Reboots", "3", "-Export"] });
    expect(r).toEqual({ code: 0, err: "", out: "Two words: 3 step(s), export True\n" });
    expect(parseSequenceXml(readFileSync(join(dir, "Two words.xml"))).sequence.items).toHaveLength(3);
    const separated = await shell(workdir(), script, { args: ["--", "-Name", "After dashes", "-Reboots", "1"] });
    expect(separated).toMatchObject({ code: 0, out: "After dashes: 1 step(s), export False\n" });
    const unknown = await shell(workdir(), script, { args: ["-Colour", "red"] });
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/parameter name 'colour'/i);
  });

  it("reports errors after the param() block at the script's own line and column", async () => {
    const refused = await shell(workdir(), `param($a); Start-Process notepad.exe`);
    expect(refused).toMatchObject({ code: 2, out: "" });
    expect(refused.err).toContain("'Start-Process' (it starts host processes) is not supported by the PowerShell-style subset (line 1, column 12)");
    const syntax = await shell(workdir(), `param($a\n`);
    expect(syntax).toEqual({ code: 1, out: "", err: "taskseq shell: ScriptError (line 2): Missing ')' (line 2, column 1)\n" });
  });
});

