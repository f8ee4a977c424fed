import type { Command } from "commander";
import { createRunRecorder, parseRunRecord, type RunRecord } from "@taskseq/inspect";
import { TaskSeqError } from "@taskseq/model";
import type { CommandIo } from "../cli-io.js";
import { RUN_RECORD_FILE } from "./report.js";
import { report, withCliEngine, type EngineCliOptions } from "./run-setup.js";

interface ResumeCliOptions extends EngineCliOptions {
  readonly rerunInterrupted?: boolean;
}

/**
 * Registers `taskseq resume --state-dir DIR`: continues the run persisted there (after a
 * restart, or after the process was killed) on the simulated device saved with it, or on
 * `--device PROFILE`, appending to the run's smsts.log (its `--log-dir`, saved with the device)
 * unless `--log-dir` names another folder. Same exit codes as `run`.
 *
 * @example
 * ```sh
 * taskseq resume --state-dir ./state --json
 * ```
 */
export function registerResumeCommand(program: Command, io: CommandIo): void {
  program
    .command("resume")
    .description("continue the run persisted in --state-dir")
    .option("--state-dir <DIR>", "the state folder given to `taskseq run`")
    .option("--device <PROFILE>", "continue on this device profile (as it is after the restart) instead of the simulated device saved in --state-dir")
    .option("--log-dir <DIR>", "append to smsts.log here (default: the --log-dir of the run, remembered in --state-dir)")
    .option("--stop-at-restart", "stop with exit code 3 at the next restart")
    .option("--rerun-interrupted", "a step found in progress was killed with the process (not a device restart): run it again")
    .option("--json", "print the result as one JSON object")
    .action(async (o: ResumeCliOptions) => {
      if (o.stateDir === undefined) throw new TaskSeqError("UsageError", "resume needs --state-dir.");
      // The record `taskseq run` saved for `taskseq report` is continued, so the report shows the whole run.
      const recordPath = io.resolve(`${o.stateDir}/${RUN_RECORD_FILE}`);
      const previous = await savedRecord(io, recordPath);
      const recorder = previous === undefined ? undefined : createRunRecorder({ sequence: previous.sequence, previous });
      const result = await withCliEngine(
        io,
        o,
        [],
        true,
        (engine) => engine.resume({ stopAtRestart: o.stopAtRestart === true, interrupted: o.rerunInterrupted === true ? "rerun" : "unexpected-restart" }),
        recorder?.onEvent,
      );
      if (recorder !== undefined) await io.writeFile(recordPath, new TextEncoder().encode(JSON.stringify(recorder.finish(result))));
      report(io, result, o.json);
    });
}

/** The run record saved in the state folder, or `undefined` when there is none (a run started without one). */
async function savedRecord(io: CommandIo, path: string): Promise<RunRecord | undefined> {
  let text: string;
  try {
    text = new TextDecoder().decode(await io.readFile(path));
  } catch {
    return undefined;
  }
  return parseRunRecord(text);
}
