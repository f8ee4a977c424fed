import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createNodeIo, runCli } from "@taskseq/cli";

const work = mkdtempSync(join(tmpdir(), "taskseq-cli-bar-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const setVar = (name: string, variable: string, value: string): string =>
  `<step type="SMS_TaskSequence_SetVariableAction" name="${name}" runIn="WinPEandFullOS" successCodeList="0"><action>tsenv.exe</action><defaultVarList>` +
  `<variable name="VariableName" property="VariableName" hidden="true">${variable}</variable><variable name="VariableValue" property="VariableValue" hidden="true">${value}</variable></defaultVarList></step>`;

writeFileSync(join(work, "ts.xml"), `<?xml version="1.0"?><sequence version="3.10"><group name="Main" description="">${setVar("First", "A", "1")}${setVar("Second", "B", "2")}${setVar("Third", "C", "3")}</group></sequence>`);

async function cli(args: string[], stderrIsTTY: boolean): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(args, createNodeIo({ cwd: work, stdout: (t) => void (out += t), stderr: (t) => void (err += t), stderrIsTTY }));
  return { code, out, err };
}

describe("the progress bar of taskseq run", () => {
  it("draws frames on a terminal's stderr, ending at 100% and a newline; stdout is unchanged", async () => {
    const tty = await cli(["run", "ts.xml"], true);
    const plain = await cli(["run", "ts.xml"], false);
    expect(tty.code).toBe(0);
    expect(tty.out).toBe(plain.out);
    const frames = tty.err.split("\r").slice(1);
    expect(tty.err.startsWith("\r")).toBe(true);
    expect(frames.length).toBeGreaterThanOrEqual(3);
    for (const frame of frames.slice(0, -1)) expect(frame).toMatch(/^\[[#.]{30}\] +\d{1,3}% /);
    const percents = frames.map((f) => Number(/\] +(\d+)%/.exec(f)?.[1]));
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    const last = frames.at(-1) ?? "";
    expect(last).toMatch(/^\[#{30}\] 100% .*\n$/);
    expect(last.endsWith("\n")).toBe(true);
    expect(tty.err.match(/\n/g)).toHaveLength(1);
  });

  it("is not drawn with --json or when stderr is not a terminal", async () => {
    const json = await cli(["run", "ts.xml", "--json"], true);
    expect(json.code).toBe(0);
    expect(json.err).toBe("");
    expect(JSON.parse(json.out)).toMatchObject({ status: "success" });
    expect((await cli(["run", "ts.xml"], false)).err).toBe("");
  });

  it("createNodeIo takes the terminal flag from process.stderr unless stderr is replaced", () => {
    expect(createNodeIo().stderrIsTTY).toBe(process.stderr.isTTY === true);
    expect(createNodeIo({ stderr: () => undefined }).stderrIsTTY).toBe(false);
    expect(createNodeIo({ stderr: () => undefined, stderrIsTTY: true }).stderrIsTTY).toBe(true);
  });
});
