import type { Command } from "commander";
import { TaskSeqError } from "@taskseq/model";
import type { CommandIo } from "../cli-io.js";
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
      const result = await withCliEngine(io, o, [], true, (engine) =>
        engine.resume({ stopAtRestart: o.stopAtRestart === true, interrupted: o.rerunInterrupted === true ? "rerun" : "unexpected-restart" }),
      );
      report(io, result, o.json);
    });
}
