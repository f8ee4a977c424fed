// Runner
export { runScript, compilePowerShellForRunner } from "./run-script.js";
export { createScriptRunner } from "./script-runner.js";
export type { ScriptLanguage, ScriptRunRequest, ScriptRunResult, ScriptRunnerOptions, ScriptRunner, CompiledScript } from "./script-runner.js";

// Limits
export { DEFAULT_SCRIPT_LIMITS, resolveScriptLimits } from "./script-limits.js";
export type { ScriptLimits } from "./script-limits.js";

// Environment and device views
export type { ScriptEnvironment } from "./script-environment.js";
export type { ScriptDevice, ScriptWmiAdapter, ScriptRegistryAdapter, ScriptFileAdapter, ScriptOsAdapter } from "./script-device.js";

// What a script produces
export type { ScriptOutputRecord, ScriptLogLine, ScriptVariableChange } from "./host-bridge.js";
export { applyScriptFileWrite, mergeScriptFileWrites } from "./file-writes.js";
export type { ScriptFileWrite, ScriptFileText, ScriptFileTextWrite, ScriptFolderCreation } from "./file-writes.js";

// TsProgressUI events
export { defaultMessageResponder, PROGRESS_UI_METHODS } from "./progress-ui.js";
export type {
  ScriptUiEvent,
  ScriptUiBanner,
  ScriptActionProgressEvent,
  ScriptTsProgressEvent,
  ScriptErrorDialogEvent,
  ScriptMessageEvent,
  ScriptRebootDialogEvent,
  ScriptSwapMediaEvent,
  ScriptCloseProgressEvent,
  MessageResponder,
  ProgressUiMethod,
} from "./progress-ui.js";

// Guest API contract
export { GUEST_PRELUDE, SCRIPT_FILE_NAME, RUNTIME_FILE_NAME, OUTPUT_STREAMS, LOG_LEVELS } from "./guest-api.js";
export type { OutputStream, LogLevel } from "./guest-api.js";

// QuickJS modules
export { createQuickJSModulePool } from "./quickjs-module-pool.js";
export type { QuickJSModulePool, QuickJSModulePoolOptions } from "./quickjs-module-pool.js";

// PowerShell-style language
export * from "./powershell/index.js";
