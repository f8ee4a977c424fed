import { readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createNodeIo, runCli } from "@taskseq/cli";
import { parseSequenceXml } from "@taskseq/xml";
import { tempDir } from "../../../test/helpers/temp-dir.js";

const examples = fileURLToPath(new URL("../../../examples/shell/", import.meta.url));
const corpus = fileURLToPath(new URL("../../../../shared/corpus/", import.meta.url));

async function shell(dir: string, script: string): Promise<{ code: number; out: string; err: string }> {
  writeFileSync(join(dir, "script.ps1"), script);
  let out = "";
  let err = "";
  const code = await runCli(["shell", "script.ps1"], createNodeIo({ cwd: dir, stdout: (t) => void (out += t), stderr: (t) => void (err += t) }));
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
