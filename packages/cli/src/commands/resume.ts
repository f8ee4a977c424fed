import type { Command } from "commander";
import { TaskSeqError } from "@taskseq/model";
import type { CommandIo } from "../cli-io.js";
import { createCliEngine, report, type EngineCliOptions } from "./run-setup.js";

interface ResumeCliOptions extends EngineCliOptions {
  readonly rerunInterrupted?: boolean;
}

/**
 * Registers `taskseq resume --state-dir DIR`: continues the run persisted there (after a
 * restart, or after the process was killed). Same exit codes as `run`.
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
    .option("--device <PROFILE>", "device profile JSON (default: the built-in simulated device)")
    .option("--log-dir <DIR>", "append to smsts.log here")
    .option("--stop-at-restart", "stop with exit code 3 at the next restart")
    .option("--rerun-interrupted", "a step found in progress was killed with the process (not a device restart): run it again")
    .option("--json", "print the result as one JSON object")
    .action(async (o: ResumeCliOptions) => {
      if (o.stateDir === undefined) throw new TaskSeqError("UsageError", "resume needs --state-dir.");
      const engine = await createCliEngine(io, o, [], true);
      const result = await engine.resume({ stopAtRestart: o.stopAtRestart === true, interrupted: o.rerunInterrupted === true ? "rerun" : "unexpected-restart" });
      report(io, result, o.json);
    });
}
