import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createNodeIo, runCli } from "@taskseq/cli";
import { defaultDeviceProfile } from "@taskseq/device";
import { tempDir } from "../../../test/helpers/temp-dir.js";

const corpus = fileURLToPath(new URL("../../../../shared/corpus/", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** The default simulated device, running the installed OS (so it can restart into HD). */
const fullOs = JSON.stringify({
  ...defaultDeviceProfile,
  os: { ...defaultDeviceProfile.os, running: "FullOS", installed: { caption: "Windows 11 Enterprise", version: "10.0.22631.3447", drive: "C:" } },
  disks: [{ index: 0, sizeBytes: 136_365_211_648, busType: "SCSI", partitionStyle: "GPT", partitions: [{ type: "Primary", sizeBytes: 136_000_000_000, fileSystem: "NTFS", driveLetter: "C:" }] }],
});

const setVar = (name: string, variable: string, value: string, extra = ""): string =>
  `<step type="SMS_TaskSequence_SetVariableAction" name="${name}" runIn="WinPEandFullOS" successCodeList="0"${extra}><action>tsenv.exe</action><defaultVarList>` +
  `<variable name="VariableName" property="VariableName" hidden="true">${variable}</variable><variable name="VariableValue" property="VariableValue" hidden="true">${value}</variable></defaultVarList></step>`;

const xml = (body: string): string => `<?xml version="1.0"?><sequence version="3.10">${body}</sequence>`;

/** Group Prepare [Set A, Set B], Group Apply [Set C, Set D]. */
const twoGroups = xml(
  `<group name="Prepare" description="">${setVar("Set A", "A", "1")}${setVar("Set B", "B", "%A%2")}</group>` +
    `<group name="Apply" description="">${setVar("Set C", "C", "3")}${setVar("Set D", "D", "4")}</group>`,
);

async function debug(args: string[], input: string, cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io = createNodeIo({ cwd, stdout: (t) => void (out += t), stderr: (t) => void (err += t), stdin: Readable.from([input]) });
  const code = await runCli(["debug", ...args], io);
  return { code, out, err };
}

function workspace(files: Record<string, string>): string {
  const dir = tempDir("taskseq-debug-");
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The output of each prompt, in order (the text after the initial pause is at index 0). */
const answers = (out: string): string[] => out.split("(taskseq-debug) ");

describe("taskseq debug", () => {
  it("starts paused and steps, steps over a group, runs to a breakpoint, and finishes with the run's report", async () => {
    const dir = workspace({ "ts.xml": twoGroups });
    const r = await debug(["ts.xml"], ["where", "step", "next", "break Set D", "break", "run", "run", ""].join("\n"), dir);
    expect(r.err).toBe("");
    const a = answers(r.out);
    expect(a[0]).toContain('Paused (start) before 0 enter-group "Prepare" [instruction 0]');
    expect(a[1]).toContain('Paused (start) before 0 enter-group "Prepare"');
    expect(a[2]).toContain('Paused (step) before 0.1 step "Set B" in Prepare [instruction 2]');
    expect(a[3]).toContain('Paused (step) before 0 leave-group "Prepare"');
    expect(a[4]).toBe("Breakpoint 1: before Set D (1.1)\n");
    expect(a[5]).toBe("1: before Set D (1.1)\n");
    expect(a[6]).toContain('Paused (breakpoint) before 1.1 step "Set D" in Apply');
    expect(a[6]).toContain("breakpoint(s) 1");
    expect(a[7]).toMatch(/success +1\.1 +Set D \(0\)\nsuccess: 4 step\(s\) ran/);
    expect(r.code).toBe(0);
  });

  it("shows variables with secrets masked, sets variables and Set Current with its warning, and re-runs a step", async () => {
    const dir = workspace({ "ts.xml": twoGroups });
    const input = ["step", "vars A", "set --secret Token=S3cr3t!", "vars Token", "set A=9", "rerun", "vars A", "vars B", "set current Set D", "run"].join("\n");
    const r = await debug(["ts.xml", "--var", "OSDJoinPassword=Pa55!"], input, dir);
    const a = answers(r.out);
    expect(a[2]).toBe("A = 1\n");
    expect(a[3]).toContain("Paused (step)");
    expect(a[4]).toBe("Token = ********\n");
    expect(a[6]).toContain('Paused (step) before 0.1 step "Set B"');
    // rerun ran Set A again: A was set to 9 at the prompt, Set A wrote 1 again.
    expect(a[7]).toBe("A = 1\n");
    expect(a[8]).toBe("");
    expect(a[9]).toContain('Paused (set-current) before 1.1 step "Set D"');
    expect(a[9]).toContain("warning SetCurrentUnsafe");
    expect(r.out).not.toContain("S3cr3t!");
    expect(r.out).not.toContain("Pa55!");
    expect(r.out).toMatch(/not-run +0\.1 +Set B/);
    expect(r.out).toMatch(/not-run +1\.0 +Set C/);
    expect(r.code).toBe(0);
  });

  it("vars masks secret text that an expansion put into a variable that is not secret (variables.md §9.2)", async () => {
    const dir = workspace({ "ts.xml": xml(`${setVar("Copy creds", "Copy", "user=admin;pw=%OSDJoinPassword%")}${setVar("Set D", "D", "4")}`) });
    const r = await debug(["ts.xml", "--var", "OSDJoinPassword=Pa55word!"], ["step", "vars Copy", "vars OSDJoinPassword", "vars _TSAppInstallStatus", "run"].join("\n"), dir);
    const a = answers(r.out);
    expect(a[1]).toContain('Paused (step) before 1 step "Set D"');
    expect(a[2]).toBe("Copy = user=admin;pw=********\n");
    expect(a[3]).toBe("OSDJoinPassword = ********\n");
    expect(a[4]).toBe("_TSAppInstallStatus = Undefined\n");
    expect(r.out).not.toContain("Pa55word!");
    expect(r.code).toBe(0);
  });

  it("a value marked secret at the prompt is masked from then on, also in the pause detail and the log", async () => {
    const dir = workspace({ "ts.xml": xml(`${setVar("Get token", "Token", "Walrus42")}${setVar("Set U", "U", "1")}`) });
    const r = await debug(["ts.xml"], ["break var Token", "run", "set --secret Token=Walrus42", "where", "log 5", "quit"].join("\n"), dir);
    const a = answers(r.out);
    expect(a[2]).toContain("Token = Walrus42");
    const after = a.slice(3).join("");
    expect(after).toContain("Token = ********");
    expect(after).not.toContain("Walrus42");
    expect(r.code).toBe(0);
  });

  it("holds a failure: retry after fixing, or quit and the run fails (exit 1); cancel fails with DebuggerCancelled", async () => {
    const failing = xml(`<group name="G" description="">${setVar("Bad", "%Target%", "x")}${setVar("After", "After", "1")}</group>`);
    const dir = workspace({ "ts.xml": failing });
    const fixed = await debug(["ts.xml", "--var", "Target=_SMSTSReadOnly"], ["run", "set Target=Writable", "step", "run"].join("\n"), dir);
    const a = answers(fixed.out);
    expect(a[1]).toContain('Paused (failure) before 0.0 step "Bad" in G');
    expect(a[1]).toContain('failure held: "Bad" returned 5');
    expect(a[3]).toContain('Paused (step) before 0.1 step "After"');
    expect(fixed.code).toBe(0);

    const quit = await debug(["ts.xml", "--var", "Target=_SMSTSReadOnly"], ["run", "quit"].join("\n"), dir);
    expect(quit.out).toMatch(/failed +0\.0 +Bad \(5\)/);
    expect(quit.code).toBe(1);

    const cancel = await debug(["ts.xml"], ["cancel"].join("\n"), dir);
    expect(cancel.out).toContain("failed (DebuggerCancelled: The debugger cancelled the task sequence.)");
    expect(cancel.code).toBe(1);
  });

  it("history, back (time travel), log, help, errors at the prompt, and end of input", async () => {
    const dir = workspace({ "ts.xml": twoGroups });
    const r = await debug(["ts.xml"], ["step", "step", "history", "back", "vars B", "log 2", "help", "bogus", "back 99", "break clear 5", "set current Nope"].join("\n"), dir);
    const a = answers(r.out);
    expect(a[3]).toBe("   0  0.0      Set A\n   1  0.1      Set B\n");
    expect(a[4]).toContain('Paused (time-travel) before 0.1 step "Set B"');
    expect(a[4]).toContain("warning DeviceNotRewound");
    expect(a[5]).toBe("");
    // The log location is the device's folder of the phase (_SMSTSLogPath): the default device runs Windows PE on an unformatted disk.
    expect(a[6]).toMatch(/^Log: X:\\Windows\\Temp\\SMSTSLog\n(?:[IWE] .+\n){2}$/);
    expect(a[6]).toContain("went back to instruction 2");
    expect(a[7]).toContain("set current TARGET");
    expect(a[8]).toBe('error UsageError: Unknown command "bogus" (type help).\n');
    expect(a[9]).toBe("error InvalidArgument: There is no history position 99.\n");
    expect(a[10]).toBe("error NotFound: There is no breakpoint 5.\n");
    expect(a[11]).toBe('error NotFound: No step is named or has the path "Nope".\n');
    expect(a[12]).toContain("End of input: the debugger quits and the task sequence continues");
    expect(r.out).toMatch(/success: 4 step\(s\) ran/);
    expect(r.code).toBe(0);
  });

  it("breakpoints on variables and failures; unreachable and unknown breakpoints are reported", async () => {
    const seq = xml(`${setVar("Set A", "A", "1")}${setVar("Off", "O", "1", ' disable="true"')}${setVar("Set C", "C", "3")}${setVar("Set E", "E", "5")}`);
    const dir = workspace({ "ts.xml": seq });
    const r = await debug(["ts.xml", "--break", "Nowhere"], ["break Off", "break var C", "run", "break clear", "run"].join("\n"), dir);
    const a = answers(r.out);
    expect(a[0]).toContain("warning: breakpoint 1 (Nowhere) names no step or group");
    expect(a[1]).toBe("Breakpoint 2: before Off (1) — unreachable: disabled or inside a disabled group\n");
    expect(a[2]).toBe("Breakpoint 3: variable C changes\n");
    expect(a[3]).toContain('Paused (variable-changed) before 3 step "Set E"');
    expect(a[3]).toContain("C = 3");
    expect(a[4]).toBe("All breakpoints cleared\n");
    expect(r.code).toBe(0);
  });

  it("starts an MDT Lite Touch sequence with --lite-touch, and refuses it with --resume", async () => {
    const dir = workspace({});
    const r = await debug([join(corpus, "019_mdt-template-Client.xml"), "--lite-touch"], ["vars PHASE", "vars DeploymentType", "cancel"].join("\n"), dir);
    const a = answers(r.out);
    expect(a[1]).toBe("PHASE = PREINSTALL\n");
    expect(a[2]).toBe("DeploymentType = NEWCOMPUTER\n");
    const resumed = await debug(["--resume", "--state-dir", join(dir, "state"), "--lite-touch"], "", dir);
    expect(resumed.code).toBe(2);
    expect(resumed.err).toContain("debug --lite-touch starts a new run; not with --resume.");
  });

  it("debugs a corpus task sequence", async () => {
    const r = await debug([join(corpus, "019_mdt-template-Client.xml")], ["step", "vars _smstslastaction*", "quit"].join("\n"), repoRoot);
    const a = answers(r.out);
    expect(a[0]).toContain('Paused (start) before 0 enter-group "Initialization"');
    expect(a[1]).toContain("After the step (Gather local only)");
    expect(a[2]).toBe("_SMSTSLastActionName = Gather local only\n_SMSTSLastActionRetCode = 0\n_SMSTSLastActionSucceeded = true\n");
    expect(r.code).toBe(0);
  });

  it("keeps breakpoints across a restart (--stop-at-restart, then --resume) and travels back over the restart", async () => {
    const seq = xml(`${setVar("Before", "B", "1")}${setVar("Ask restart", "SMSTSRebootRequested", "HD")}${setVar("After", "C", "2")}${setVar("Last", "L", "3")}`);
    const dir = workspace({ "ts.xml": seq, "pc.json": fullOs });
    const common = ["--device", "pc.json", "--state-dir", "state", "--stop-at-restart"];
    const first = await debug(["ts.xml", ...common], ["break Last", "run"].join("\n"), dir);
    expect(first.out).toContain("restart-pending");
    expect(first.code).toBe(3);
    const second = await debug(["--resume", ...common], ["break", "run", "history", "back 0", "vars B", "quit"].join("\n"), dir);
    const a = answers(second.out);
    expect(a[0]).toContain('Paused (resumed) before 2 step "After"');
    expect(a[1]).toBe("1: before Last (3)\n");
    expect(a[2]).toContain('Paused (breakpoint) before 3 step "Last"');
    expect(a[3]).toBe("   0  0        Before\n   1  1        Ask restart\n   2  2        After\n   3  3        Last\n");
    expect(a[4]).toContain('Paused (time-travel) before 0 step "Before"');
    expect(a[5]).toBe("");
    // After quitting, the run continues from Before again: it asks for a restart again and stops there.
    expect(second.code).toBe(3);
    const usage = await debug(["--resume"], "", dir);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain("UsageError");
  });

  it("works in a terminal: under tmux when it is installed, else as a child process with piped stdin", () => {
    const dir = workspace({ "ts.xml": twoGroups });
    const bin = join(repoRoot, "packages/cli/src/bin.ts");
    const tmux = spawnSync("tmux", ["-V"], { encoding: "utf8" });
    if (tmux.status !== 0) {
      const r = spawnSync(process.execPath, ["--import", "tsx", bin, "debug", join(dir, "ts.xml")], { cwd: repoRoot, input: "step\nwhere\nquit\n", encoding: "utf8" });
      expect(r.stdout).toContain('Paused (step) before 0.1 step "Set B"');
      expect(r.status).toBe(0);
      return;
    }
    // The server's socket lives in the test's folder: tmux leaves it behind after kill-server.
    const socket = join(dir, "tmux.sock");
    const t = (...args: string[]) => spawnSync("tmux", ["-S", socket, ...args], { encoding: "utf8", cwd: dir });
    const pane = (): string => t("capture-pane", "-p", "-t", "dbg", "-S", "-200").stdout;
    const waitFor = (text: string): string => {
      for (let i = 0; i < 600; i++) {
        const screen = pane();
        if (screen.includes(text)) return screen;
        spawnSync("sleep", ["0.1"]);
      }
      throw new Error(`tmux pane never showed "${text}":\n${pane()}`);
    };
    try {
      const cmd = `cd ${JSON.stringify(repoRoot)} && ${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(bin)} debug ${JSON.stringify(join(dir, "ts.xml"))}; echo "EXIT=$?"; sleep 30`;
      expect(t("new-session", "-d", "-s", "dbg", "-x", "200", "-y", "50", cmd).status).toBe(0);
      waitFor("(taskseq-debug)");
      t("send-keys", "-t", "dbg", "step", "Enter");
      waitFor('Paused (step) before 0.1 step "Set B"');
      t("send-keys", "-t", "dbg", "quit", "Enter");
      const screen = waitFor("EXIT=");
      expect(screen).toMatch(/success: 4 step\(s\) ran/);
      expect(screen).toContain("EXIT=0");
    } finally {
      t("kill-server");
    }
  });
});
