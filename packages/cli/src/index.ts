// Running the CLI
export { runCli } from "./run-cli.js";
export { createNodeIo, EXIT_CODES } from "./cli-io.js";
export type { CliIo, CommandIo } from "./cli-io.js";

// Building the program (for embedders adding their own commands)
export { createProgram, CLI_VERSION } from "./program.js";

// Commands
export { registerValidateCommand } from "./commands/validate.js";
export { registerConvertCommand } from "./commands/convert.js";
export { registerShowCommand, renderTree } from "./commands/show.js";
