import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createNodeIo, runCli } from "@taskseq/cli";
import { tempDir } from "../../../test/helpers/temp-dir.js";

const devices = fileURLToPath(new URL("../../../examples/devices/", import.meta.url));
const corpus = fileURLToPath(new URL("../../../../shared/corpus/", import.meta.url));

const step = (name: string, command: string): string =>
  `<step type="SMS_TaskSequence_RunCommandLineAction" name="${name}" runIn="WinPEandFullOS" successCodeList="0 3010"><action>smsswd.exe /run: ${command}</action><defaultVarList>` +
  `<variable name="CommandLine" property="CommandLine" hidden="true">${command}</variable></defaultVarList></step>`;
const xml = `<?xml version="1.0"?><sequence version="3.10"><group name="Main" description="">${step("Hello", "cmd /c echo %Ring%")}${step("Tools", "cmd /c tools.exe")}</group></sequence>`;

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(args, createNodeIo({ cwd, stdout: (t) => void (out += t), stderr: (t) => void (err += t) }));
  return { code, out, err };
}

describe("taskseq fleet", () => {
  it("runs a sequence on N devices drawn from a folder of profiles, with --var, --json and --html", async () => {
    const dir = tempDir("taskseq-fleet-");
    writeFileSync(join(dir, "ts.xml"), xml);
    const r = await cli(["fleet", "ts.xml", "--devices", devices, "--count", "8", "--var", "Ring=pilot", "--json", "--html", "fleet.html"], dir);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { version: number; summary: Record<string, number>; devices: { device: string; status: string; steps: { name: string; outcome: string }[] }[] };
    expect(json.version).toBe(1);
    expect(json.summary["success"]).toBe(8);
    expect(new Set(json.devices.map((d) => d.device)).size).toBe(8);
    expect(json.devices[0]?.steps.map((s) => s.outcome)).toEqual(["success", "success"]);
    const html = readFileSync(join(dir, "fleet.html"), "utf8");
    expect(html).toContain("<table>");
    expect(html).toContain("PC0008");
  });

  it("starts every device as MDT's LiteTouch.wsf does with --lite-touch", async () => {
    const phase = (value: string): string =>
      `<condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Operator">equals</variable><variable name="Value">${value}</variable><variable name="Variable">PHASE</variable></expression></condition>`;
    const lti = `<?xml version="1.0"?><sequence version="3.10"><group name="Preinstall" description="">${phase("PREINSTALL")}${step("New computer", "cmd /c new")}</group><group name="Validation" description="">${phase("VALIDATION")}${step("Refresh", "cmd /c refresh")}</group></sequence>`;
    const dir = tempDir("taskseq-fleet-");
    writeFileSync(join(dir, "lti.xml"), lti);
    type Json = { devices: { steps: { name: string; outcome: string }[] }[] };
    const ran = (json: Json): string[][] => json.devices.map((d) => d.steps.filter((s) => s.outcome === "success").map((s) => s.name));
    const without = JSON.parse((await cli(["fleet", "lti.xml", "--devices", devices, "--count", "6", "--json"], dir)).out) as Json;
    expect(ran(without)).toEqual(Array.from({ length: 6 }, () => []));
    const r = await cli(["fleet", "lti.xml", "--devices", devices, "--count", "6", "--lite-touch", "--json"], dir);
    expect(r.code).toBe(0);
    // Each device runs the phase LiteTouch.wsf starts it in: Preinstall in Windows PE, Validation in a full OS.
    for (const names of ran(JSON.parse(r.out) as Json)) expect(names.length === 1 && ["New computer", "Refresh"].includes(names[0] ?? "")).toBe(true);
  });

  it("never prints a secret value given with --var", async () => {
    const dir = tempDir("taskseq-fleet-");
    writeFileSync(join(dir, "ts.xml"), `<?xml version="1.0"?><sequence version="3.10">${step("Use it", "cmd /c net use x: /p:%AdminPassword%")}</sequence>`);
    const profile = JSON.parse(readFileSync(join(devices, "dell-latitude-5440.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(join(dir, "pc.json"), JSON.stringify({ ...profile, commands: [{ match: "net use", exitCode: 2, stdout: "System error 86" }] }));
    const r = await cli(["fleet", "ts.xml", "--devices", "pc.json", "--count", "2", "--var", "AdminPassword=Hunter2-Fleet", "--json", "--html", "f.html"], dir);
    expect(r.code).toBe(1);
    expect(r.out + r.err + readFileSync(join(dir, "f.html"), "utf8")).not.toContain("Hunter2-Fleet");
  });

  it("prints a text summary with the failed steps and exits 1 when a device fails", async () => {
    const dir = tempDir("taskseq-fleet-");
    writeFileSync(join(dir, "ts.xml"), xml);
    const profile = JSON.parse(readFileSync(join(devices, "dell-latitude-5440.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(join(dir, "pc.json"), JSON.stringify({ ...profile, commands: [{ match: "tools\\.exe", exitCode: 5 }] }));
    const r = await cli(["fleet", "ts.xml", "--devices", "pc.json", "--count", "3"], dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain("failed");
    expect(r.out).toMatch(/Tools: 3 devices/);
  });

  it("runs a real corpus sequence and rejects bad usage", async () => {
    const dir = tempDir("taskseq-fleet-");
    const r = await cli(["fleet", join(corpus, "025_mdt-INSTALL-APPS-custom.xml"), "--devices", join(devices, "hyperv-gen2-vm.json"), "--count", "2", "--json"], dir);
    const json = JSON.parse(r.out) as { devices: unknown[]; summary: Record<string, number> };
    expect(json.devices).toHaveLength(2);
    expect(Object.values(json.summary).reduce((a, b) => a + b, 0)).toBe(2);
    expect((await cli(["fleet", "x.xml", "--devices", devices, "--count", "zero"], dir)).code).toBe(2);
    expect((await cli(["fleet", join(corpus, "025_mdt-INSTALL-APPS-custom.xml"), "--devices", join(dir, "none"), "--count", "1"], dir)).code).not.toBe(0);
  });
});
