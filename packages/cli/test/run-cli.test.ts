import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createNodeIo, runCli } from "@taskseq/cli";
import { fromCanonicalJson } from "@taskseq/model";
import { createExportArchive, parseSequenceXml, readExportArchive } from "@taskseq/xml";

const CORPUS = new URL("../../../../shared/corpus/", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "taskseq-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(argv, createNodeIo({ cwd: CORPUS, stdout: (t) => void (out += t), stderr: (t) => void (err += t) }));
  return { code, out, err };
}

describe("taskseq validate", () => {
  it("exits 0 and prints diagnostics and validation warnings for a valid MDT file", async () => {
    const { code, out } = await run("validate", "024_mdt-WS2019-deploy.xml");
    expect(code).toBe(0);
    expect(out).toMatch(/024_mdt-WS2019-deploy\.xml:\d+:\d+: warning SuccessCodesTypo \[6\.1\]/);
    expect(out).toMatch(/0 error\(s\), \d+ warning\(s\) in 1 sequence\(s\)\n$/);
  });

  it("prints one JSON object with --json", async () => {
    const { code, out } = await run("validate", "051_cm-2pint-FormatPartitionModule.xml", "--json");
    expect(code).toBe(0);
    const report = JSON.parse(out) as { valid: boolean; errors: number; sequences: { source: string; findings: unknown[] }[] };
    expect(report).toMatchObject({ valid: true, errors: 0, sequences: [{ source: "051_cm-2pint-FormatPartitionModule.xml" }] });
  });

  it("exits 1 when the document has errors", async () => {
    const file = join(work, "bad.xml");
    writeFileSync(file, '<sequence version="3.10"><step type="SMS_TaskSequence_RunCommandLineAction" name="x" successCodeList="0 oops"/></sequence>');
    const { code, out } = await run("validate", file, "--json");
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ valid: false, sequences: [{ findings: expect.arrayContaining([expect.objectContaining({ code: "InvalidSuccessCodeList", severity: "error", line: 1 })]) }] });
  });

  it("validates every sequence of an export zip", async () => {
    const zip = join(work, "in.zip");
    expect((await run("convert", "051_cm-2pint-FormatPartitionModule.xml", zip)).code).toBe(0);
    const { code, out } = await run("validate", zip);
    expect(code).toBe(0);
    expect(out).toContain("in 1 sequence(s)");
  });

  it("resolves Run Task Sequence children among the packages of a zip", async () => {
    const parent = (id: string): ReturnType<typeof parseSequenceXml>["sequence"] =>
      parseSequenceXml(
        `<sequence version="3.10"><subtasksequence type="SMS_TaskSequence_SubTasksequence" name="Run" description="" successCodeList="0" retryCount="0" runFromNet="false"><defaultVarList><variable name="OSDSubTasksequencePackageID" property="TsPackageID" hidden="true">${id}</variable></defaultVarList></subtasksequence></sequence>`,
      ).sequence;
    const child = parseSequenceXml(readFileSync(join(CORPUS, "051_cm-2pint-FormatPartitionModule.xml"))).sequence;
    const good = join(work, "family.zip");
    writeFileSync(good, createExportArchive([{ sequence: parent("CHILD001"), info: { packageId: "PARENT01", properties: {} } }, { sequence: child, info: { packageId: "CHILD001", properties: {} } }]));
    expect((await run("validate", good)).code).toBe(0);
    const broken = join(work, "orphan.zip");
    writeFileSync(broken, createExportArchive([{ sequence: parent("MISSING1"), info: { packageId: "PARENT01", properties: {} } }]));
    const result = await run("validate", broken);
    expect(result.code).toBe(1);
    expect(result.out).toContain("ChildNotFound");
  });

  it("exits 2 with a one-line reason for malformed XML, a non-sequence, a missing file and a wrong type", async () => {
    const broken = join(work, "broken.xml");
    writeFileSync(broken, '<sequence version="3.10">\n<group name="a">\n</sequence>');
    for (const file of [broken, "002_cm-export-manifest.xml", "missing.xml", "INDEX.md"]) {
      const { code, err, out } = await run("validate", file);
      expect(code).toBe(2);
      expect(out).toBe("");
      expect(err.trim().split("\n")).toHaveLength(1);
    }
    expect((await run("validate", broken)).err).toMatch(/^taskseq: XmlMalformed: .*\(line 3, column \d+\)\n$/);
  });
});

describe("taskseq convert", () => {
  it("converts XML to canonical JSON and back to equivalent XML", async () => {
    const json = join(work, "client.json");
    const xml = join(work, "client.xml");
    expect(await run("convert", "019_mdt-template-Client.xml", json)).toMatchObject({ code: 0, out: `wrote ${json}\n` });
    expect((await run("convert", json, xml)).code).toBe(0);
    const original = parseSequenceXml(readFileSync(join(CORPUS, "019_mdt-template-Client.xml"))).sequence;
    expect(fromCanonicalJson(readFileSync(json, "utf8")).items).toEqual(original.items);
    expect(parseSequenceXml(readFileSync(xml)).sequence).toEqual(original);
  });

  it("converts versions with --version and reports the changes on stderr", async () => {
    const out = join(work, "restore-310.xml");
    const result = await run("convert", "020_mdt-template-StateRestore.xml", out, "--version", "3.10");
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/conversion change\(s\)/);
    expect(result.err).toContain("MDT integration");
    expect(parseSequenceXml(readFileSync(out)).sequence.version).toBe("3.10");
  });

  it("writes an unchanged export zip back with identical parts", async () => {
    const a = join(work, "a.zip");
    const b = join(work, "b.zip");
    expect((await run("convert", "050_cm-2pint-BitLockerModule.xml", a)).code).toBe(0);
    expect((await run("convert", a, b)).code).toBe(0);
    expect(readExportArchive(readFileSync(b)).parts).toEqual(readExportArchive(readFileSync(a)).parts);
  });

  it("says on stderr that an .xml output drops the package properties of an object.xml, and keeps them in .json", async () => {
    const xml = join(work, "object.xml");
    const result = await run("convert", "001_cm-export-object-RSC002A6.xml", xml);
    expect(result.code).toBe(0);
    expect(result.err).toContain('sequence: the package properties (PackageID RSC002A6, Name "Task Sequence 1", ...) are not part of a <sequence> document');
    expect(parseSequenceXml(readFileSync(xml)).sequence.package).toBeUndefined();
    const json = join(work, "object.json");
    const kept = await run("convert", "001_cm-export-object-RSC002A6.xml", json);
    expect(kept.err).toBe("");
    expect(fromCanonicalJson(readFileSync(json, "utf8")).package).toMatchObject({ packageId: "RSC002A6", name: "Task Sequence 1" });
  });

  it("exits 2 for a bad --version or output type", async () => {
    const bad = await run("convert", "019_mdt-template-Client.xml", join(work, "x.xml"), "--version", "2.0");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--version must be 3.00 or 3.10");
    expect((await run("convert", "019_mdt-template-Client.xml", join(work, "x.txt"))).code).toBe(2);
  });
});

describe("output files", () => {
  it("exits 2 with a typed reason when an output file cannot be written (convert, doc)", async () => {
    const missing = join(work, "no-such-folder");
    for (const argv of [
      ["convert", "025_mdt-INSTALL-APPS-custom.xml", join(missing, "out.json")],
      ["convert", "025_mdt-INSTALL-APPS-custom.xml", join(missing, "out.zip")],
      ["doc", "025_mdt-INSTALL-APPS-custom.xml", "--md", "--out", join(missing, "out.md")],
    ]) {
      const result = await run(...argv);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(new RegExp(`^taskseq: InvalidArgument: Cannot write ${missing}/out\\.(json|zip|md): ENOENT`));
    }
  });
});

describe("taskseq show", () => {
  it("prints an indented tree with types, flags and readable conditions", async () => {
    const { code, out } = await run("show", "019_mdt-template-Client.xml");
    expect(code).toBe(0);
    const lines = out.split("\n");
    expect(lines[0]).toMatch(/^Standard Client Task Sequence \(version 3\.00, \d+ items\)$/);
    expect(lines).toContain('    0.0 step (Gather: BDD_Gather) "Gather local only"');
    expect(out).toContain('      if all: PHASE equals "STATECAPTURE"');
    expect(out).toMatch(/\[disabled, continue on error\]/);
  });
});

describe("usage", () => {
  it("prints help for every command with exit 0", async () => {
    for (const command of [[], ["validate"], ["convert"], ["show"]]) {
      const { code, out } = await run(...command, "--help");
      expect(code).toBe(0);
      expect(out).toContain("Usage: taskseq");
    }
  });

  it("exits 2 for no arguments, unknown commands and missing arguments", async () => {
    expect((await run()).code).toBe(2);
    expect(await run("frobnicate")).toMatchObject({ code: 2, err: expect.stringContaining("unknown command") });
    expect(await run("show")).toMatchObject({ code: 2, err: expect.stringContaining("missing required argument") });
  });

  it("prints the version", async () => {
    expect(await run("--version")).toMatchObject({ code: 0, out: "0.1.0\n" });
  });
});
