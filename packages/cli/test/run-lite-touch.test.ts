import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createNodeIo, runCli } from "@taskseq/cli";
import { defaultDeviceProfile } from "@taskseq/device";
import { tempDir } from "../../../test/helpers/temp-dir.js";

const template = fileURLToPath(new URL("../../../../shared/corpus/019_mdt-template-Client.xml", import.meta.url));

/** The default simulated device plus what the template's steps need: its OS in the content catalogue, rules for its two command-path scripts. */
const templateDevice = JSON.stringify({
  ...defaultDeviceProfile,
  content: { images: [{ id: "{d51fbf12-8904-4b63-a5a3-25c74412c8aa}", name: "Windows 11", sizeBytes: 5_368_709_120, indexes: [{ index: 1, caption: "Microsoft Windows 11 Enterprise", version: "10.0.22631.2428", edition: "Enterprise", sizeBytes: 19_327_352_832 }] }] },
  commands: [{ match: "ZTIPatches\\.wsf|ZTIDomainJoin\\.wsf", exitCode: 0 }],
});

interface RunJson {
  readonly status: string;
  readonly steps: readonly { readonly path: string; readonly name: string; readonly outcome: string; readonly exitCode: number; readonly reason?: string }[];
  readonly variables: Readonly<Record<string, string>>;
}

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(args, createNodeIo({ cwd, stdout: (t) => void (out += t), stderr: (t) => void (err += t) }));
  return { code, out, err };
}

/** The top-level groups (by index) with a step that ran, in order. */
const groupsThatRan = (json: RunJson): string[] => [...new Set(json.steps.filter((s) => s.outcome === "success" || s.outcome.startsWith("failed")).map((s) => s.path.split(".")[0] ?? ""))];

describe("taskseq run --lite-touch", () => {
  it("starts corpus 019 in the Preinstall phase on the default simulated device (Windows PE, no media)", async () => {
    const dir = tempDir("taskseq-lti-");
    const plain = await cli(["run", template, "--json"], dir);
    const without = JSON.parse(plain.out) as RunJson;
    expect(groupsThatRan(without)).toEqual(["0"]);
    expect(plain.err).toContain("note: the condition of item 1 tests PHASE, which MDT's LiteTouch.wsf sets before the first step: without --lite-touch (or --var PHASE=...) every phase group is skipped");
    expect((await cli(["run", template, "--var", "phase=VALIDATION", "--json"], dir)).err).not.toContain("tests PHASE");
    const r = await cli(["run", template, "--lite-touch", "--json"], dir);
    expect(r.err).not.toContain("tests PHASE");
    const json = JSON.parse(r.out) as RunJson;
    expect(json.variables).toMatchObject({ PHASE: "PREINSTALL", DeploymentType: "NEWCOMPUTER", DeploymentMethod: "UNC" });
    expect(groupsThatRan(json)).toEqual(["0", "3"]);
    // The default device has no command rule for the template's offline patch script (command path, spec §22.3 rule 3).
    expect(json.steps.find((s) => s.outcome.startsWith("failed"))).toMatchObject({ path: "3.7", name: "Apply Patches", exitCode: 50 });
    expect(r.code).toBe(1);
  });

  it("runs every phase group of corpus 019 in order on a device with the template's content", async () => {
    const dir = tempDir("taskseq-lti-");
    writeFileSync(join(dir, "pc.json"), templateDevice);
    const r = await cli(["run", template, "--device", "pc.json", "--lite-touch", "--json"], dir);
    expect([r.code, r.err]).toEqual([0, ""]);
    const json = JSON.parse(r.out) as RunJson;
    // Initialization, Preinstall, Install, Postinstall, State Restore; Validation (1) and State Capture (2) are skipped.
    expect(groupsThatRan(json)).toEqual(["0", "3", "4", "5", "6"]);
    expect(json.steps.filter((s) => s.name === "Next Phase").map((s) => s.outcome)).toEqual(["skipped-condition", "skipped-condition", "success", "success", "success"]);
    expect(json.variables["PHASE"]).toBe("STATERESTORE");
  });

  it("keeps values given with --var and the other layers; refuses a bad DeploymentType with exit 2", async () => {
    const dir = tempDir("taskseq-lti-");
    writeFileSync(join(dir, "pc.json"), templateDevice);
    const given = await cli(["run", template, "--device", "pc.json", "--lite-touch", "--var", "PHASE=STATERESTORE", "--computer-var", "DeploymentType=REFRESH", "--json"], dir);
    const json = JSON.parse(given.out) as RunJson;
    expect(json.variables).toMatchObject({ PHASE: "STATERESTORE", DeploymentType: "REFRESH", DeploymentMethod: "UNC" });
    expect(groupsThatRan(json)).toEqual(["0", "6"]);
    const bad = await cli(["run", template, "--lite-touch", "--var", "DeploymentType=UPGRADE"], dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^taskseq: InvalidSetting: DeploymentType "UPGRADE" is not a Lite Touch deployment type/);
    expect(bad.out).toBe("");
    const noType = await cli(["run", template, "--lite-touch", "--var", "PHASE=INSTALL"], dir);
    expect([noType.code, noType.err]).toEqual([2, expect.stringContaining("InvalidSetting: DeploymentType \"\"")]);
  });

  it("is a flag documented in the help", async () => {
    const dir = tempDir("taskseq-lti-");
    const help = await cli(["run", "--help"], dir);
    expect(help.code).toBe(0);
    expect(help.out.replace(/\s+/g, " ")).toContain(
      "--lite-touch start as MDT's LiteTouch.wsf does: an empty PHASE becomes PREINSTALL in Windows PE (empty DeploymentType: NEWCOMPUTER) or VALIDATION in the full OS (REFRESH); DeploymentMethod is MEDIA when a drive holds \\Deploy\\Scripts\\Media.tag, else UNC when empty; values given with --var and the other layers win",
    );
    const withValue = await cli(["run", template, "--lite-touch=yes"], dir);
    expect([withValue.code, withValue.err]).toEqual([2, expect.stringContaining("--lite-touch")]);
  });
});
