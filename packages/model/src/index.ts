// Errors
export { TaskSeqError, isTaskSeqError } from "./errors.js";
export type { TaskSeqErrorCode, TaskSeqErrorOptions, SourcePosition, Result } from "./errors.js";
export { stepReturnCodeOf, E_FAIL_RETURN_CODE } from "./return-codes.js";

// Object model
export type {
  SequenceVersion,
  RunIn,
  XmlElementNode,
  XmlTextNode,
  XmlNode,
  XmlTrivia,
  ActionVariable,
  ExpressionProperty,
  ConditionExpression,
  ConditionOperator,
  OsConditionGroup,
  OsExpressionGroup,
  ConditionNode,
  Condition,
  ItemBase,
  Group,
  Step,
  Item,
  SequenceReference,
  PackageInfo,
  TaskSequence,
  ItemPath,
} from "./types.js";

// Variable names
export { checkVariableName, isReadOnlyVariableName, variableNameKey, quoteVariableName, MAX_VARIABLE_NAME_LENGTH } from "./variable-names.js";
export type {
  CheckVariableNameOptions,
  VariableNameCheck,
  ValidVariableName,
  InvalidVariableName,
  VariableNameProblem,
  VariableNameWarning,
} from "./variable-names.js";

// Step catalogue and typed settings
export { STEP_CATALOG, getStepTypeInfo, listStepTypes, isKnownStepType, findSetting } from "./step-catalog.js";
export type { StepTypeInfo, KnownStepType } from "./step-catalog.js";
export type { SettingInfo, SettingKind, SettingListInfo, SettingOptions } from "./setting-info.js";
export { getSettings, createStep, decodeSetting, isKnownStep, isStepOfType } from "./step-settings.js";
export type {
  StepSettingsByType,
  TypedStep,
  KnownStep,
  SettingValue,
  SettingScalar,
  AnyStepSettings,
  GetSettingsOptions,
  CreateStepOptions,
  DecodedSetting,
} from "./step-settings.js";

// Factories
export { createSequence, createGroup } from "./factories.js";
export type { CreateSequenceOptions, CreateGroupOptions } from "./factories.js";
export { deepFreeze } from "./deep-freeze.js";

// Conditions
export {
  EXPRESSION_TYPES,
  variableCondition,
  wmiCondition,
  osVersionCondition,
  osLanguageCondition,
  fileCondition,
  folderCondition,
  registryCondition,
  softwareCondition,
  allOf,
  anyOf,
  noneOf,
  createCondition,
  getExpressionProperty,
  operatorKind,
  conditionOperatorName,
  describeCondition,
} from "./conditions.js";
export type {
  ComparisonOperator,
  ConditionOperatorName,
  VariableOperator,
  RegistryOperator,
  RegistryValueType,
  FileConditionOptions,
  RegistryConditionOptions,
  SoftwareConditionOptions,
} from "./conditions.js";

// Paths and edits
export { formatItemPath, parseItemPath, findByPath, findByName, walk } from "./item-paths.js";
export type { ItemMatch, WalkVisitor, FindByNameOptions } from "./item-paths.js";
export { checkSequenceShape, checkItemShape, checkTaskSequenceShape } from "./sequence-shape.js";
export {
  addItem,
  insertItem,
  removeItem,
  moveItem,
  moveUp,
  moveDown,
  moveIntoGroup,
  moveOutOfGroup,
  setEnabled,
  setContinueOnError,
  renameItem,
  setDescription,
  setCondition,
  clearCondition,
  setSetting,
} from "./edit.js";

// Validation
export { validateSequence, MAX_CHILD_DEPTH } from "./validate.js";
export type { TaskSequenceResolver, ResolvedChildSequence, ValidateOptions } from "./validate.js";
export type { ValidationIssue, ValidationCode, IssueSeverity } from "./validation-issue.js";

// Canonical JSON
export { toCanonicalJson, fromCanonicalJson } from "./canonical-json.js";

// Secret variable names (spec/variables.md §9.1)
export { isSecretVariableName, isSecretVariableKey } from "./secret-names.js";
export { isSecretSetting, isSecretStepSetting, hidesValue } from "./secret-settings.js";
