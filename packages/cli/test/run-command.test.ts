import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createNodeIo, runCli } from "@taskseq/cli";
import { defaultDeviceProfile } from "@taskseq/device";
import { tempDir } from "../../../test/helpers/temp-dir.js";

/** The default simulated device, running the installed OS (so it can restart into HD). */
const fullOs = JSON.stringify({
  ...defaultDeviceProfile,
  os: { ...defaultDeviceProfile.os, running: "FullOS", installed: { caption: "Windows 11 Enterprise", version: "10.0.22631.3447", drive: "C:" } },
  disks: [{ index: 0, sizeBytes: 136_365_211_648, busType: "SCSI", partitionStyle: "GPT", partitions: [{ type: "Primary", sizeBytes: 136_000_000_000, fileSystem: "NTFS", driveLetter: "C:" }] }],
});

const setVar = (name: string, variable: string, value: string): string =>
  `<step type="SMS_TaskSequence_SetVariableAction" name="${name}" runIn="WinPEandFullOS" successCodeList="0"><action>tsenv.exe</action><defaultVarList>` +
  `<variable name="VariableName" property="VariableName" hidden="true">${variable}</variable><variable name="VariableValue" property="VariableValue" hidden="true">${value}</variable></defaultVarList></step>`;

const xml = (body: string): string => `<?xml version="1.0"?><sequence version="3.10"><group name="Main" description="">${body}</group></sequence>`;

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(args, createNodeIo({ cwd, stdout: (t) => void (out += t), stderr: (t) => void (err += t) }));
  return { code, out, err };
}

describe("taskseq run / resume", () => {
  it("runs a sequence and prints exactly the DESIGN.md §2 JSON", async () => {
    const dir = tempDir("taskseq-cli-");
    writeFileSync(join(dir, "ts.xml"), xml(setVar("Set A", "A", "%Greeting% world")));
    const r = await cli(["run", "ts.xml", "--var", "Greeting=hello", "--json"], dir);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(["status", "exitCode", "steps", "variables"]);
    expect(json).toMatchObject({ status: "success", exitCode: 0, steps: [{ path: "0.0", name: "Set A", type: "SMS_TaskSequence_SetVariableAction", outcome: "success", exitCode: 0 }] });
    expect((json["variables"] as Record<string, string>)["A"]).toBe("hello world");
  });

  it("gives the run _SMSTSTaskSequence: the sequence as 3.10 XML with secret values empty", async () => {
    const dir = tempDir("taskseq-cli-");
    const hidden = setVar("Set hidden", "Token", "HiddenPw-4711").replace("<variable name=\"VariableName\"", '<variable name="DoNotShowVariableValue" property="DoNotShowVariableValue">true</variable><variable name="VariableName"');
    writeFileSync(join(dir, "ts.xml"), xml(setVar("Set A", "A", "x") + hidden));
    const r = await cli(["run", "ts.xml", "--json"], dir);
    expect(r.code).toBe(0);
    const document = (JSON.parse(r.out) as { variables: Record<string, string> }).variables["_SMSTSTaskSequence"] ?? "";
    expect(document).toMatch(/^(<\?xml [^>]*\?>)?<sequence version="3.10"><group name="Main"/);
    expect(document).toContain('name="Set hidden"');
    expect(document).not.toContain("HiddenPw-4711");
  });

  it("stops at a restart with exit 3 and resumes from --state-dir; smsts.log is written to --log-dir", async () => {
    const dir = tempDir("taskseq-cli-");
    const reboot = setVar("Ask restart", "SMSTSRebootRequested", "HD");
    writeFileSync(join(dir, "ts.xml"), xml(`${setVar("Before", "B", "1")}${reboot}${setVar("After", "C", "2")}`));
    writeFileSync(join(dir, "pc.json"), fullOs);
    const first = await cli(["run", "ts.xml", "--device", "pc.json", "--state-dir", "state", "--log-dir", "logs", "--stop-at-restart", "--json"], dir);
    expect(first.code).toBe(3);
    expect(JSON.parse(first.out)).toMatchObject({ status: "restart-pending", exitCode: 3 });
    const again = await cli(["run", "ts.xml", "--state-dir", "state"], dir);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/StaleState/);
    const second = await cli(["resume", "--state-dir", "state", "--device", "pc.json", "--log-dir", "logs", "--json"], dir);
    expect(second.code).toBe(0);
    const json = JSON.parse(second.out) as { steps: { outcome: string }[]; variables: Record<string, string> };
    expect(json.steps.map((s) => s.outcome)).toEqual(["success", "success", "success"]);
    expect(json.variables).toMatchObject({ B: "1", C: "2" });
    const log = readFileSync(join(dir, "logs", "smsts.log"), "utf8");
    expect(log).toContain("initiated a reboot request");
    expect(log).toContain("Resuming");
  });

  it("bad usage and bad input exit 2 with a one-line reason", async () => {
    const dir = tempDir("taskseq-cli-");
    writeFileSync(join(dir, "ts.xml"), xml(setVar("S", "A", "1")));
    expect((await cli(["run", "ts.xml", "--var", "novalue"], dir)).code).toBe(2);
    expect((await cli(["run", "missing.xml"], dir)).code).toBe(2);
    writeFileSync(join(dir, "bad.json"), "{");
    const badDevice = await cli(["run", "ts.xml", "--device", "bad.json"], dir);
    expect(badDevice.code).toBe(2);
    expect(badDevice.err).toMatch(/ProfileInvalid/);
    const noState = await cli(["resume", "--state-dir", "nowhere"], dir);
    expect(noState.code).toBe(2);
    expect(noState.err).toMatch(/NoStateToResume/);
  });

  it("a failing sequence exits 1 with a text summary", async () => {
    const dir = tempDir("taskseq-cli-");
    writeFileSync(join(dir, "ts.xml"), xml(setVar("Bad name", "_Readonly", "x")));
    const r = await cli(["run", "ts.xml"], dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^failed +0\.0 +Bad name/m);
  });
});

describe("smsts.log of taskseq run / resume (logging.md §7, §8)", () => {
  it("resume without --log-dir appends to the smsts.log of the run, keeping its first lines", async () => {
    const dir = tempDir("taskseq-cli-");
    const reboot = (name: string): string => setVar(name, "SMSTSRebootRequested", "HD");
    writeFileSync(join(dir, "ts.xml"), xml(`${setVar("Before", "B", "1")}${reboot("Restart 1")}${setVar("Middle", "M", "1")}${reboot("Restart 2")}${setVar("After", "C", "2")}`));
    writeFileSync(join(dir, "pc.json"), fullOs);
    const first = await cli(["run", "ts.xml", "--device", "pc.json", "--state-dir", "state", "--log-dir", "logs", "--stop-at-restart", "--json"], dir);
    expect(first.code).toBe(3);
    const logFile = join(dir, "logs", "smsts.log");
    const before = readFileSync(logFile, "utf8");
    expect(before).toContain("starting.");
    expect(before).not.toContain("Resuming");
    const pin = readFileSync(join(dir, "logs", "smsts.pin"), "utf8");

    // On the saved device, then (second restart) on --device: neither names --log-dir.
    const second = await cli(["resume", "--state-dir", "state", "--stop-at-restart", "--json"], dir);
    expect(second.code).toBe(3);
    expect(JSON.parse(second.out)).toMatchObject({ variables: { _SMSTSLogPath: join(dir, "logs") } });
    const middle = readFileSync(logFile, "utf8");
    expect(middle.startsWith(before)).toBe(true);
    expect(middle.split("Resuming task sequence").length - 1).toBe(1);
    const third = await cli(["resume", "--state-dir", "state", "--device", "pc.json", "--json"], dir);
    expect(third.code).toBe(0);
    expect(JSON.parse(third.out)).toMatchObject({ status: "success", variables: { B: "1", M: "1", C: "2" } });
    const after = readFileSync(logFile, "utf8");
    expect(after.startsWith(middle)).toBe(true);
    expect(after.split("Resuming task sequence").length - 1).toBe(2);
    expect(after).toContain("Successfully completed the action (After)");
    expect(readFileSync(join(dir, "logs", "smsts.pin"), "utf8")).toBe(pin);
    expect(readdirSync(join(dir, "logs")).sort()).toEqual(["smsts.log", "smsts.pin"]);
  });

  it("a rollover names the history file by the simulated device's clock, not the host's", async () => {
    const dir = tempDir("taskseq-cli-");
    // Noon local time on a day far from the host's today: the run's few simulated seconds stay on that day.
    const start = new Date(2031, 4, 6, 12, 0, 0);
    writeFileSync(join(dir, "pc.json"), JSON.stringify({ ...defaultDeviceProfile, clock: { start: start.toISOString() } }));
    // About 2 KB of log per step: 600 steps pass the default 1,048,576-byte rollover size once.
    const steps = Array.from({ length: 600 }, (_, i) => setVar(`Step ${String(i).padStart(3, "0")} ${"x".repeat(40)}`, "A", String(i))).join("");
    writeFileSync(join(dir, "ts.xml"), xml(steps));
    const r = await cli(["run", "ts.xml", "--device", "pc.json", "--log-dir", "logs", "--json"], dir);
    expect(r.code).toBe(0);
    const history = readdirSync(join(dir, "logs")).filter((n) => n !== "smsts.log" && n !== "smsts.pin");
    expect(history).toEqual([expect.stringMatching(/^smsts-20310506-12\d{4}\.log$/)]);
    expect(readFileSync(join(dir, "logs", history[0] ?? ""), "utf8")).toContain('date="05-06-2031"');
  });
});
