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
