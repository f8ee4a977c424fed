// Compiler
export { compilePowerShell, powerShellBodyStart, MAX_POWERSHELL_SOURCE_CHARS } from "./compile-powershell.js";
export type { CompilePowerShellOptions, CompiledPowerShell } from "./compile-powershell.js";

// Runtime library and language surface
export { POWERSHELL_PRELUDE, powerShellPrelude } from "./prelude.js";
export { IMPLEMENTED_CMDLETS } from "./prelude-cmdlets.js";
export { SUPPORTED_COMMANDS, REFUSED_COMMANDS, SUPPORTED_TYPES, COM_PROG_IDS } from "./commands.js";
