import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { parseDeviceProfile } from "@taskseq/device";
import type { DeviceProfile } from "@taskseq/device";
import { TaskSeqError } from "@taskseq/model";
import { createFleetDevices, createSite, fleetMatrix, referencedContent, renderFleetHtml, runFleet } from "@taskseq/site";
import type { FleetResult } from "@taskseq/site";
import { EXIT_CODES } from "../cli-io.js";
import type { CommandIo } from "../cli-io.js";
import { loadSequences } from "../load-sequences.js";
import { LITE_TOUCH_HELP } from "./lite-touch-option.js";
import { collectPair } from "./run-setup.js";

interface FleetCliOptions {
  readonly devices: string;
  readonly count: string;
  readonly var?: readonly (readonly [string, string])[];
  readonly liteTouch?: boolean;
  readonly json?: boolean;
  readonly html?: string;
}

/** Version of the `taskseq fleet --json` output. */
export const FLEET_JSON_VERSION = 1;

/**
 * Registers `taskseq fleet SEQUENCE --devices PROFILE|DIR --count N [--var N=V]… [--lite-touch] [--json] [--html OUT]`:
 * deploys the sequence (available, to a collection of N simulated devices drawn in turn from the
 * profiles, each with its own serial number, MAC and name) and runs it on every device.
 *
 * @example
 * ```sh
 * taskseq fleet ts.xml --devices examples/devices --count 200 --var OSDDomain=corp --html fleet.html
 * ```
 */
export function registerFleetCommand(program: Command, io: CommandIo): void {
  program
    .command("fleet")
    .description("run a task sequence on a fleet of simulated devices and report the device × step matrix")
    .argument("<SEQUENCE>", "task sequence file (.xml, .json or export .zip; other packages of a zip are its children)")
    .requiredOption("--devices <PROFILE|DIR>", "device profile JSON, or a folder of them")
    .requiredOption("--count <N>", "number of devices")
    .option("--var <N=V>", "run-time variable for every device (repeatable)", collectPair)
    .option("--lite-touch", LITE_TOUCH_HELP)
    .option("--json", "print the result as one JSON object")
    .option("--html <OUT>", "write the device × step matrix as an HTML page")
    .action(async (file: string, o: FleetCliOptions) => {
      const count = Number(o.count);
      if (!Number.isInteger(count) || count < 1) throw new TaskSeqError("UsageError", `--count must be a whole number of at least 1, got "${o.count}".`);
      const loaded = await loadSequences(io, file);
      const [top, ...children] = loaded.sequences;
      if (top === undefined) throw new TaskSeqError("NotASequence", `${file} holds no task sequence.`);
      const site = createSite();
      for (const child of children) site.library.add(child.sequence, child.sequence.package?.packageId === undefined ? {} : { packageId: child.sequence.package.packageId });
      const entry = site.library.add(top.sequence, top.sequence.package?.packageId === undefined || site.library.find(top.sequence.package.packageId) !== undefined ? {} : { packageId: top.sequence.package.packageId });
      // The command has no site catalog: every referenced object counts as distributed, and the device profiles decide what content exists.
      for (const e of site.library.list()) for (const r of referencedContent(e.sequence)) if (site.content.find(r.id) === undefined) site.content.add({ id: r.id, kind: "package", name: r.id });
      const devices = createFleetDevices(await readProfiles(io, o.devices), count);
      site.directory.addCollection({ id: `${site.siteCode}F0001`, name: "Fleet", type: "device" });
      devices.forEach((d) => site.directory.addDevice(d.device));
      site.directory.addMembers(`${site.siteCode}F0001`, devices.map((d) => d.device.id));
      const deployment = site.deploy({ taskSequence: entry.packageId, collection: `${site.siteCode}F0001`, purpose: "available" });
      const from = Date.parse("2026-01-01T08:00:00Z");
      const result = await runFleet(site, deployment.id, {
        devices,
        from,
        until: from + 86_400_000,
        ...(o.var === undefined ? {} : { variables: Object.fromEntries(o.var) }),
        ...(o.liteTouch === true ? { liteTouch: true } : {}),
      });
      if (o.html !== undefined) await io.writeFile(io.resolve(o.html), new TextEncoder().encode(renderFleetHtml(result)));
      io.stdout(o.json === true ? `${JSON.stringify(toJson(result), null, 2)}\n` : formatText(result));
      io.setExitCode(result.summary.success === result.devices.length ? EXIT_CODES.ok : EXIT_CODES.failed);
    });
}

async function readProfiles(io: CommandIo, path: string): Promise<DeviceProfile[]> {
  const resolved = io.resolve(path);
  let files = [resolved];
  try {
    if ((await stat(resolved)).isDirectory()) files = (await readdir(resolved)).filter((f) => f.toLowerCase().endsWith(".json")).sort().map((f) => join(resolved, f));
  } catch (cause) {
    throw new TaskSeqError("NotFound", `Cannot read device profiles from ${path}.`, { cause, position: { path } });
  }
  if (files.length === 0) throw new TaskSeqError("NotFound", `${path} holds no device profile (.json).`, { position: { path } });
  return Promise.all(
    files.map(async (f) => {
      const text = new TextDecoder().decode(await io.readFile(f));
      try {
        return parseDeviceProfile(text);
      } catch (cause) {
        throw new TaskSeqError("ProfileInvalid", `Device profile ${f} is not valid.`, { cause, position: { path: f } });
      }
    }),
  );
}

function toJson(result: FleetResult): unknown {
  return {
    version: FLEET_JSON_VERSION,
    deployment: result.deployment,
    taskSequence: result.taskSequence,
    summary: result.summary,
    devices: result.devices.map((d) => ({ device: d.deviceId, status: d.status, exitCode: d.exitCode, ...(d.reason === undefined ? {} : { reason: d.reason }), steps: d.steps })),
  };
}

function formatText(result: FleetResult): string {
  const m = fleetMatrix(result);
  const lines = [`${result.taskSequence}: ${result.devices.length} devices`, ...Object.entries(result.summary).map(([k, v]) => `  ${k.padEnd(16)} ${v}`)];
  const failures = m.steps
    .map((s, i) => ({ s, failed: m.rows.filter((r) => r.outcomes[i] === "failed").length }))
    .filter((x) => x.failed > 0);
  if (failures.length > 0) lines.push("Failed steps:", ...failures.map((x) => `  ${x.s.path.padEnd(8)} ${x.s.name}: ${x.failed} devices`));
  return `${lines.join("\n")}\n`;
}
