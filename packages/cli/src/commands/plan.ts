import type { Command } from "commander";
import { createSimulatedDevice } from "@taskseq/device";
import { createMapResolver } from "@taskseq/engine";
import { formatPlan, planSequence, toPlanJson } from "@taskseq/inspect";
import { TaskSeqError } from "@taskseq/model";
import type { CommandIo } from "../cli-io.js";
import { loadSequences } from "../load-sequences.js";
import { LITE_TOUCH_HELP, withLiteTouch } from "./lite-touch-option.js";
import { collectPair } from "./run-setup.js";

interface PlanCliOptions {
  readonly device?: string;
  readonly var?: readonly (readonly [string, string])[];
  readonly json?: boolean;
  readonly liteTouch?: boolean;
}

/**
 * Registers `taskseq plan FILE [--device PROFILE] [--var N=V]… [--lite-touch] [--json]`: what a run would do
 * on the device (will run / will be skipped / depends on run time, and why), without running
 * anything. In an export .zip the first package is planned and the others resolve as children.
 *
 * @example
 * ```sh
 * taskseq plan ts.xml --device examples/devices/hyperv-gen2-vm.json --var OSDComputerName=PC01 --json
 * ```
 */
export function registerPlanCommand(program: Command, io: CommandIo): void {
  program
    .command("plan")
    .description("show what a run would do on a device, without running it")
    .argument("<FILE>", "task sequence file (.xml, .json or export .zip)")
    .option("--device <PROFILE>", "device profile JSON (default: the built-in simulated device)")
    .option("--var <N=V>", "run-time variable (repeatable)", collectPair)
    .option("--lite-touch", LITE_TOUCH_HELP)
    .option("--json", "print one JSON object (DESIGN.md §2 keys plus the plan)")
    .action(async (file: string, o: PlanCliOptions) => {
      const loaded = await loadSequences(io, file);
      const [top, ...others] = loaded.sequences;
      if (top === undefined) throw new TaskSeqError("NotASequence", `${file} holds no task sequence.`);
      const resolver = createMapResolver(others.map((s) => ({ packageId: s.source.split("!").pop() ?? s.source, name: s.sequence.name ?? s.source, sequence: s.sequence })));
      const device = o.device === undefined ? createSimulatedDevice() : createSimulatedDevice(await readProfile(io, o.device));
      const variables = await withLiteTouch({ runtime: Object.fromEntries(o.var ?? []) }, device, o.liteTouch);
      const plan = await planSequence(top.sequence, { device, resolver, variables });
      io.stdout(o.json === true ? `${JSON.stringify(toPlanJson(plan))}\n` : formatPlan(plan));
    });
}

async function readProfile(io: CommandIo, path: string): Promise<string> {
  try {
    return new TextDecoder().decode(await io.readFile(io.resolve(path)));
  } catch (cause) {
    throw new TaskSeqError("NotFound", `Cannot read device profile ${path}.`, { cause, position: { path } });
  }
}
