import type { Command } from "commander";
import type { Device } from "@taskseq/device";
import type { Engine, ResolvedTaskSequence, RunResult, RunVariables } from "@taskseq/engine";
import { createRunRecorder, unsetLiteTouchPhase } from "@taskseq/inspect";
import { TaskSeqError } from "@taskseq/model";
import type { CommandIo } from "../cli-io.js";
import { loadSequences } from "../load-sequences.js";
import { LITE_TOUCH_HELP, withLiteTouch } from "./lite-touch-option.js";
import { RUN_RECORD_FILE } from "./report.js";
import { collectPair, report, withCliEngine, type EngineCliOptions } from "./run-setup.js";

interface RunCliOptions extends EngineCliOptions {
  readonly var?: readonly (readonly [string, string])[];
  readonly collectionVar?: readonly (readonly [string, string])[];
  readonly computerVar?: readonly (readonly [string, string])[];
  readonly mediaVar?: readonly (readonly [string, string])[];
  readonly discardState?: boolean;
  readonly liteTouch?: boolean;
}

const layer = (pairs: readonly (readonly [string, string])[] | undefined) => (pairs ?? []).map(([name, value]) => ({ name, value }));

/** The run's variables from the options; with `--lite-touch`, plus what MDT's LiteTouch.wsf sets on the device before the sequence starts. */
async function runVariables(o: RunCliOptions, device: Device): Promise<RunVariables> {
  const given: RunVariables = {
    runtime: Object.fromEntries(o.var ?? []),
    collections: o.collectionVar === undefined ? [] : [{ id: "CLI", priority: 1, variables: layer(o.collectionVar) }],
    device: layer(o.computerVar),
    ...(o.mediaVar === undefined ? {} : { media: layer(o.mediaVar) }),
  };
  return withLiteTouch(given, device, o.liteTouch);
}

/** Whether a CLI variable layer names `PHASE` (any case). */
function givesPhase(o: RunCliOptions): boolean {
  return [o.var, o.collectionVar, o.computerVar, o.mediaVar].some((pairs) => (pairs ?? []).some(([name]) => name.trim().toUpperCase() === "PHASE"));
}

/**
 * Registers `taskseq run FILE`: runs a task sequence against a simulated device with the
 * built-in step handlers. Exit 0 success, 1 failed, 2 bad usage or input, 3 restart pending.
 *
 * @example
 * ```sh
 * taskseq run ts.xml --device laptop.json --var OSDComputerName=PC01 --state-dir ./state --log-dir ./logs --json
 * taskseq run 019_mdt-template-Client.xml --lite-touch
 * ```
 */
export function registerRunCommand(program: Command, io: CommandIo): void {
  program
    .command("run")
    .description("run a task sequence (.xml, .json or export .zip) on a simulated device")
    .argument("<FILE>", "task sequence file; in an export .zip the first package runs and the others resolve as children")
    .option("--device <PROFILE>", "device profile JSON (default: the built-in simulated device)")
    .option("--var <N=V>", "run-time variable (repeatable)", collectPair)
    .option("--collection-var <N=V>", "collection variable (repeatable)", collectPair)
    .option("--computer-var <N=V>", "device (computer) variable (repeatable)", collectPair)
    .option("--media-var <N=V>", "media variable; replaces collection and computer variables (repeatable)", collectPair)
    .option("--state-dir <DIR>", "persist run state, the simulated device and the --log-dir folder here (enables `taskseq resume`)")
    .option("--log-dir <DIR>", "write smsts.log here")
    .option("--stop-at-restart", "stop with exit code 3 at a restart instead of continuing")
    .option("--discard-state", "discard state left in --state-dir by another run")
    .option("--lite-touch", LITE_TOUCH_HELP)
    .option("--json", "print the result as one JSON object")
    .action(async (file: string, o: RunCliOptions) => {
      const loaded = await loadSequences(io, file);
      const [top, ...others] = loaded.sequences;
      if (top === undefined) throw new TaskSeqError("NotASequence", `${file} holds no task sequence.`);
      const children: ResolvedTaskSequence[] = others.map((s) => ({ packageId: s.source.split("!").pop() ?? s.source, name: s.sequence.name ?? s.source, sequence: s.sequence }));
      const phaseAt = o.liteTouch === true || givesPhase(o) ? undefined : unsetLiteTouchPhase(top.sequence);
      if (phaseAt !== undefined) {
        io.stderr(`note: the condition of item ${phaseAt} tests PHASE, which MDT's LiteTouch.wsf sets before the first step: without --lite-touch (or --var PHASE=...) every phase group is skipped\n`);
      }
      const recorder = o.stateDir === undefined ? undefined : createRunRecorder({ sequence: top.sequence });
      const run = async (engine: Engine, device: Device): Promise<RunResult> =>
        engine.run(top.sequence, {
          variables: await runVariables(o, device),
          stopAtRestart: o.stopAtRestart === true,
          existingState: o.discardState === true ? "discard" : "error",
          ...(o.logDir === undefined ? {} : { logPath: io.resolve(o.logDir) }),
        });
      const result = await withCliEngine(io, o, children, false, run, recorder?.onEvent);
      if (recorder !== undefined && o.stateDir !== undefined) {
        // Saved for `taskseq report`: a finished run leaves no engine state behind.
        await io.writeFile(io.resolve(`${o.stateDir}/${RUN_RECORD_FILE}`), new TextEncoder().encode(JSON.stringify(recorder.finish(result))));
      }
      report(io, result, o.json);
    });
}
