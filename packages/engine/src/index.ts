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
export type { StepEnvironment, StepDevice } from "./engine-ports.js";

// Child task sequences
export { createMapResolver } from "./child-resolver.js";
export type { TaskSequenceResolver, ResolvedTaskSequence } from "./child-resolver.js";
