// Engine
export { createEngine, ENGINE_VERSION } from "./engine.js";
export type { Engine, EngineOptions, RunOptions, RunSite, RunVariables, ResumeOptions, PersistedRunInfo } from "./engine.js";

// Step handler contract
export { createStepHandlerRegistry } from "./step-handler.js";
export type {
  StepHandler,
  StepHandlerContext,
  StepHandlerResult,
  StepHandlerRegistry,
  StepRestartRequest,
  StepLogger,
  RunInfo,
  LaunchMode,
} from "./step-handler.js";
export type { StepEnvironment, StepDevice, StepSecrets } from "./engine-ports.js";

// Run result
export { toRunResultJson } from "./run-result.js";
export type { RunResult, RunResultJson, RunStatus, StepReport, StepOutcome, FailureInfo } from "./run-result.js";

// Debugger
export { createDebugger } from "./debugger/debugger.js";
export type { Debugger } from "./debugger/debugger.js";
export type { DebugSession, DebugOptions, DebugPause, DebugStop, DebugLocation, DebugWarning, DebugHistoryEntry, DebugLog, PauseReason } from "./debugger/debug-session.js";
export type { Breakpoint, BreakpointSpec } from "./debugger/breakpoints.js";
export { isUnreachable } from "./debugger/reachability.js";
export type {
  DebugHook,
  DebugControl,
  DebugVerdict,
  HeldFailure,
  DebugCheckpoint,
  PersistedBreakpoint,
  PersistedDebugSettings,
  PersistedDebugState,
} from "./debugger/debug-hook.js";

// Events
export type { EngineEvent, EngineEventListener } from "./events.js";

// Instruction table and child task sequences
export { buildInstructionTable, childPackageId, RUN_TASK_SEQUENCE_TYPE, MAX_CHILD_DEPTH } from "./instruction-table.js";
export type {
  Instruction,
  EnterGroupInstruction,
  LeaveGroupInstruction,
  StepInstruction,
  EnterChildInstruction,
  LeaveChildInstruction,
} from "./instruction-table.js";
export { createMapResolver } from "./child-resolver.js";
export type { TaskSequenceResolver, ResolvedTaskSequence } from "./child-resolver.js";

// Conditions
export { evaluateCondition, describeExpression } from "./conditions.js";
export type { ConditionContext, ConditionOutcome } from "./conditions.js";
export { parseOperator, compareValues, likeMatch, parseVersion, compareVersions, normalizeOsVersion, parseDmtf } from "./compare.js";
export type { ConditionOperatorName } from "./compare.js";

// Success codes
export { isSuccessCode, isRestartCode, toSigned32, DEFAULT_SUCCESS_CODES } from "./success-codes.js";
export { setLongTimeout } from "./long-timeout.js";

// Logging
export { formatCmtraceLine, formatBias, isPlainLogText } from "./cmtrace.js";
export type { LogRecord, LogType } from "./cmtrace.js";
export { createMemoryLogSink, createJsonLinesLogSink } from "./log-sink.js";
export type { LogSink, LogEntry, LogLimits, MemoryLogSink } from "./log-sink.js";
export { stepComponent } from "./run-logger.js";
export type { LogLevel } from "./run-logger.js";

// State
export { createMemoryStateStore } from "./state-store.js";
export type { StateStore, StoredState, MemoryStateStore } from "./state-store.js";
export { RUN_STATE_FORMAT, RUN_STATE_VERSION, parseSnapshot, parseRecord, stepReportOf } from "./state-format.js";
export type { RunSnapshot, PersistedRun, PersistedProgress, ProgressRecord, JournalOutcome, VariableChange, PendingRestart, InProgressMarker } from "./state-format.js";
