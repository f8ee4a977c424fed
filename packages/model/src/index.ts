// Errors
export { TaskSeqError, isTaskSeqError } from "./errors.js";
export type { TaskSeqErrorCode, TaskSeqErrorOptions, SourcePosition, Result } from "./errors.js";

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
