import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createNodeIo, runCli } from "@taskseq/cli";
import { defaultDeviceProfile } from "@taskseq/device";
import { createEngine } from "@taskseq/engine";
import { createRunRecorder } from "@taskseq/inspect";
import { createGroup, createSequence } from "@taskseq/model";
import { tempDir } from "../../../test/helpers/temp-dir.js";

const corpus = fileURLToPath(new URL("../../../../shared/corpus/", import.meta.url));
const devices = fileURLToPath(new URL("../../../examples/devices/", import.meta.url));

const step = (name: string, command: string, condition = ""): string =>
  `<step type="SMS_TaskSequence_RunCommandLineAction" name="${name}" runIn="WinPEandFullOS" successCodeList="0 3010">${condition}<action>smsswd.exe /run: ${command}</action>` +
  `<defaultVarList><variable name="CommandLine" property="CommandLine" hidden="true">${command}</variable></defaultVarList></step>`;
const inPe = `<condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Operator">equals</variable><variable name="Value">true</variable><variable name="Variable">_SMSTSInWinPE</variable></expression></condition>`;
const xml = (body: string): string => `<?xml version="1.0"?><sequence version="3.10"><group name="Main" description="">${body}</group></sequence>`;

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(args, createNodeIo({ cwd, stdout: (t) => void (out += t), stderr: (t) => void (err += t) }));
  return { code, out, err };
}

function workdir(files: Record<string, string>): string {
  const dir = tempDir("taskseq-inspect-");
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("taskseq plan", () => {
  it("prints why each step runs or is skipped, for a device profile and --var values", async () => {
    const dir = workdir({ "ts.xml": xml(step("PE only", "cmd /c pe", inPe) + step("Always", "cmd /c %Greeting%")) });
    const r = await cli(["plan", "ts.xml", "--device", join(devices, "dell-latitude-5440.json"), "--var", "Greeting=hi"], dir);
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toContain('SKIP 0.0');
    expect(r.out).toContain('_SMSTSInWinPE equals "true" — actual "false"');
    expect(r.out).toContain("RUN  0.1");
    expect(r.out).toContain("reads Greeting");
    const json = await cli(["plan", "ts.xml", "--json"], dir);
    const parsed = JSON.parse(json.out) as { plan: { environment: string; items: { path: string; decision: string }[] } } & Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(["status", "exitCode", "steps", "variables", "version", "plan"]);
    expect(parsed).toMatchObject({ status: "success", exitCode: 0, version: 1, steps: [{ path: "0.0", name: "PE only", outcome: "not-run", exitCode: 0, decision: "will-run" }, { path: "0.1", outcome: "not-run" }] });
    expect((parsed["variables"] as Record<string, string>)["_SMSTSInWinPE"]).toBe("true");
    expect(parsed.plan.environment).toBe("WinPE");
    expect(parsed.plan.items.map((i) => [i.path, i.decision])).toEqual([["0", "will-run"], ["0.0", "will-run"], ["0.1", "will-run"]]);
  });

  it("plans an MDT Lite Touch start with --lite-touch: PHASE as LiteTouch.wsf sets it on the device", async () => {
    const phase = (value: string): string =>
      `<condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Operator">equals</variable><variable name="Value">${value}</variable><variable name="Variable">PHASE</variable></expression></condition>`;
    const dir = workdir({ "ts.xml": xml(step("Preinstall", "cmd /c pre", phase("PREINSTALL")) + step("Validation", "cmd /c val", phase("VALIDATION"))) });
    const decisions = async (...extra: string[]): Promise<string[][]> =>
      (JSON.parse((await cli(["plan", "ts.xml", "--json", ...extra], dir)).out) as { plan: { items: { path: string; decision: string }[] } }).plan.items.map((i) => [i.path, i.decision]);
    expect(await decisions()).toEqual([["0", "will-run"], ["0.0", "will-skip"], ["0.1", "will-skip"]]);
    expect(await decisions("--lite-touch")).toEqual([["0", "will-run"], ["0.0", "will-run"], ["0.1", "will-skip"]]);
  });

  it("fails with exit 2 and a typed reason for a missing device profile", async () => {
    const dir = workdir({ "ts.xml": xml(step("A", "cmd")) });
    const r = await cli(["plan", "ts.xml", "--device", "nope.json"], dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^taskseq: NotFound: Cannot read device profile nope.json/);
  });
});

describe("taskseq lint", () => {
  it("exits 0 with warnings only and 1 with errors", async () => {
    const dir = workdir({
      "warn.xml": xml(step("Typo", "cmd /c %OSDComputerNmae%")),
      "err.xml": xml(`<step type="SMS_TaskSequence_SetVariableAction" name="RO" successCodeList="0"><action>tsenv.exe</action><defaultVarList><variable name="VariableName" property="VariableName">_SMSTSX</variable><variable name="VariableValue" property="VariableValue">1</variable></defaultVarList></step>`),
    });
    const warn = await cli(["lint", "warn.xml"], dir);
    expect(warn.code).toBe(0);
    expect(warn.out).toContain("ReadBeforeWrite [0.0]");
    expect(warn.out).toContain("Did you mean OSDComputerName?");
    const err = await cli(["lint", "err.xml", "--json"], dir);
    expect(err.code).toBe(1);
    const json = JSON.parse(err.out) as { errors: number; sequences: { issues: { code: string }[] }[] };
    expect(json.errors).toBe(1);
    expect(json.sequences[0]?.issues.map((i) => i.code)).toContain("ReadOnlyVariableWrite");
  });

  it("lints a real export archive entry", async () => {
    const r = await cli(["lint", join(corpus, "010_cm-garytown-OSDCloudTS.xml")], corpus);
    expect(r.code).toBe(0);
    expect(r.out).toContain("ContinueOnErrorIgnored");
  });
});

describe("taskseq doc", () => {
  it("writes Markdown to standard output and HTML to a file", async () => {
    const dir = workdir({ "ts.xml": xml(step("Say &lt;hi&gt;", "cmd /c echo", inPe)) });
    const md = await cli(["doc", "ts.xml", "--md"], dir);
    expect(md.code).toBe(0);
    expect(md.out).toContain("#### 0.0 Step: Say \\<hi\\>");
    const html = await cli(["doc", "ts.xml", "--html", "--out", "ts.html"], dir);
    expect(html).toMatchObject({ code: 0, out: "" });
    expect(readFileSync(join(dir, "ts.html"), "utf8")).toContain("Say &lt;hi&gt;");
  });

  it("needs exactly one format", async () => {
    const dir = workdir({ "ts.xml": xml(step("A", "cmd")) });
    const r = await cli(["doc", "ts.xml"], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain("UsageError");
  });
});

describe("taskseq diff", () => {
  it("exits 0 for the same sequence written differently and 1 for a change", async () => {
    const dir = workdir({
      "a.xml": xml(step("A", "cmd /c a") + step("B", "cmd /c b")),
      "b.xml": `<?xml version="1.0"?>\n<sequence version="3.10">\n  <group description="" name="Main">\n    ${step("A", "cmd /c a")}\n    ${step("B", "cmd /c b")}\n  </group>\n</sequence>\n`,
      "c.xml": xml(step("B", "cmd /c b") + step("A", "cmd /c a2")),
    });
    const same = await cli(["diff", "a.xml", "b.xml"], dir);
    expect(same).toMatchObject({ code: 0, out: "The task sequences are the same.\n" });
    const changed = await cli(["diff", "a.xml", "c.xml", "--json"], dir);
    expect(changed.code).toBe(1);
    const json = JSON.parse(changed.out) as { same: boolean; sequences: { diff: { items: { change: string; name: string }[] } }[] };
    expect(json.same).toBe(false);
    expect(json.sequences[0]?.diff.items.map((i) => [i.change, i.name])).toEqual([["moved", "B"], ["changed", "A"]]);
    const text = await cli(["diff", "a.xml", "c.xml"], dir);
    expect(text.out).toContain('> moved step "B" at 0.1 → 0.0');
    expect(text.out).toContain('setting:CommandLine: "cmd /c a" → "cmd /c a2"');
  });
});

describe("taskseq report", () => {
  const fullOs = JSON.stringify({
    ...defaultDeviceProfile,
    os: { ...defaultDeviceProfile.os, running: "FullOS", installed: { caption: "Windows 11 Enterprise", version: "10.0.22631.3447", drive: "C:" } },
    disks: [{ index: 0, sizeBytes: 136_365_211_648, busType: "SCSI", partitionStyle: "GPT", partitions: [{ type: "Primary", sizeBytes: 136_000_000_000, fileSystem: "NTFS", driveLetter: "C:" }] }],
  });
  const restart = `<step type="SMS_TaskSequence_RebootAction" name="Restart &lt;now&gt;" runIn="WinPEandFullOS" successCodeList="0"><action>smsboot.exe /target:HD</action><defaultVarList><variable name="SMSRebootTarget" property="Target" hidden="true">HD</variable></defaultVarList></step>`;

  it("renders the state of a run waiting for a restart", async () => {
    const dir = workdir({ "ts.xml": xml(step("Before", "cmd /c a") + restart + step("After", "cmd /c b")), "device.json": fullOs });
    const run = await cli(["run", "ts.xml", "--device", "device.json", "--state-dir", "state", "--stop-at-restart"], dir);
    expect(run.code).toBe(3);
    const r = await cli(["report", "state", "--html", "report.html"], dir);
    expect(r).toMatchObject({ code: 0, err: "" });
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html).toContain('<span class="badge restart-pending" id="status">restart-pending</span>');
    expect(html).toContain("Restart &lt;now&gt;");
    expect(html).toContain('data-path="0.2"');
  });

  it("continues the saved record on resume, so the report shows the whole run", async () => {
    const dir = workdir({ "ts.xml": xml(step("Before", "cmd /c a") + restart + step("After", "cmd /c b")), "device.json": fullOs });
    expect((await cli(["run", "ts.xml", "--device", "device.json", "--state-dir", "state", "--stop-at-restart"], dir)).code).toBe(3);
    expect((await cli(["resume", "--state-dir", "state"], dir)).code).toBe(0);
    const record = JSON.parse(readFileSync(join(dir, "state", "run-record.json"), "utf8")) as { status: string; steps: { path: string; outcome: string; log: unknown[] }[] };
    expect(record.status).toBe("success");
    expect(record.steps.map((x) => [x.path, x.outcome])).toEqual([["0.0", "success"], ["0.1", "success"], ["0.2", "success"]]);
    expect(record.steps[0]?.log.length).toBeGreaterThan(0); // the part before the restart is kept
    expect((await cli(["report", "state", "--html", "report.html"], dir)).code).toBe(0);
    expect(readFileSync(join(dir, "report.html"), "utf8")).toContain('<span class="badge success" id="status">success</span>');
  });

  it("reports a finished run from the record `taskseq run --state-dir` saves", async () => {
    const dir = workdir({ "ts.xml": xml(step("Only", "cmd /c exit 0")) });
    expect((await cli(["run", "ts.xml", "--state-dir", "state"], dir)).code).toBe(0);
    const r = await cli(["report", "state", "--html", "report.html"], dir);
    expect(r).toMatchObject({ code: 0, err: "" });
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html).toContain('<span class="badge success" id="status">success</span>');
    expect(html).toContain('data-path="0.0"');
  });

  it("prefers a saved run record and fails with exit 2 when there is nothing to report", async () => {
    const sequence = createSequence([createGroup("G", [])], { name: "Saved run" });
    const recorder = createRunRecorder({ sequence });
    const record = recorder.finish(await createEngine().run(sequence));
    const dir = workdir({});
    mkdirSync(join(dir, "state"));
    writeFileSync(join(dir, "state", "run-record.json"), JSON.stringify(record));
    expect((await cli(["report", "state", "--html", "r.html"], dir)).code).toBe(0);
    expect(readFileSync(join(dir, "r.html"), "utf8")).toContain("Run report: Saved run");
    const empty = await cli(["report", "nothing", "--html", "r.html"], dir);
    expect(empty.code).toBe(2);
    expect(empty.err).toMatch(/NotFound: nothing holds neither run-record.json nor run state/);
  });
});
