// Environment
export { createEnvironment, MAX_VARIABLE_VALUE_LENGTH, DEFAULT_MAX_ENVIRONMENT_SIZE, DEFAULT_WARN_ENVIRONMENT_SIZE } from "./environment.js";

// Expansion and secrets
export { expandReferences } from "./expand.js";
export type { ResolvedValue, Expansion } from "./expand.js";
export { createRedactor } from "./redactor.js";
export type { Redactor } from "./redactor.js";
export { createMemorySecretStore, createAesGcmSecretStore } from "./secret-store.js";
export { ENVIRONMENT_STATE_FORMAT, ENVIRONMENT_STATE_VERSION, ENVIRONMENT_CHANGES_FORMAT, isVariableLayer } from "./state-document.js";

// MDT state files
export { formatMediaVarList, parseMediaVarList, MEDIA_VAR_LIST_VERSION } from "./media-var-list.js";
export type { FormatMediaVarListOptions } from "./media-var-list.js";

// Built-in variable catalogue
export { builtinVariables, builtinDefaults, findBuiltinVariable } from "./builtin-variables.js";
export type { BuiltinVariable } from "./builtin-variables.js";

// Types
export { SECRET_MASK } from "./types.js";
export type {
  VariableLayer,
  SetOptions,
  VariableInfo,
  ChangeRecord,
  JournalMark,
  LayerValue,
  VariableExplanation,
  SecretSpan,
  ExpandedText,
  ProcessEnvironmentLookup,
  ExpandOptions,
  ListSuffixDigits,
  ArrayElement,
  TsEnvironmentCom,
  TaskSequenceEnvironment,
  StepDefault,
  LayerVariable,
  CollectionVariables,
  InitialLayers,
  SecretStore,
  EngineEnvironment,
  EnvironmentOptions,
  CreatedEnvironment,
} from "./types.js";
