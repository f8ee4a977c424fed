import { Command } from "commander";
import type { CommandIo } from "./cli-io.js";
import { registerConvertCommand } from "./commands/convert.js";
import { registerShowCommand } from "./commands/show.js";
import { registerValidateCommand } from "./commands/validate.js";
import { registerRunCommand } from "./commands/run.js";
import { registerResumeCommand } from "./commands/resume.js";
import { registerPlanCommand } from "./commands/plan.js";
import { registerLintCommand } from "./commands/lint.js";
import { registerDocCommand } from "./commands/doc.js";
import { registerDiffCommand } from "./commands/diff.js";
import { registerReportCommand } from "./commands/report.js";
import { registerShellCommand } from "./commands/shell.js";
import { registerFleetCommand } from "./commands/fleet.js";
import { registerDebugCommand } from "./commands/debug.js";

/** The CLI version printed by `--version`. */
export const CLI_VERSION = "0.1.0";

/**
 * Builds the `taskseq` program. To add a command: write `src/commands/<name>.ts` exporting
 * `register<Name>Command(program, io)` and add one line below (packages/cli/README.md).
 */
export function createProgram(io: CommandIo): Command {
  const program = new Command("taskseq")
    .description("author, validate, convert and run ConfigMgr / MDT task sequences")
    .version(CLI_VERSION)
    // Program options only before the command name, so `convert --version 3.10` is the command's option.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showSuggestionAfterError();

  registerValidateCommand(program, io);
  registerConvertCommand(program, io);
  registerShowCommand(program, io);
  registerRunCommand(program, io);
  registerResumeCommand(program, io);
  registerPlanCommand(program, io);
  registerLintCommand(program, io);
  registerDocCommand(program, io);
  registerDiffCommand(program, io);
  registerReportCommand(program, io);
  registerShellCommand(program, io);
  registerFleetCommand(program, io);
  registerDebugCommand(program, io);

  return program;
}
