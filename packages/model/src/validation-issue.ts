/**
 * The structured issue type returned by validation.
 */
/** Issue codes (names shared with the XML importer's diagnostics, xml-format.md §12). */
export type ValidationCode =
  | "EmptyName"
  | "StepNameTooLong"
  | "DescriptionTooLong"
  | "InvalidVariableName"
  | "VariableNameLeadingDigit"
  | "ReadOnlyVariableWrite"
  | "MissingSetting"
  | "ClearTextCredential"
  | "ContinueOnErrorIgnored"
  | "WrongEnvironment"
  | "InvalidSetting"
  | "InvalidSuccessCodeList"
  | "InvalidTimeout"
  | "InvalidRetryCount"
  | "SuccessCodesMismatch"
  | "DuplicateGlobalVariable"
  | "DuplicateReference"
  | "ReferenceBroken"
  | "ReferenceMissing"
  | "EmptyOperator"
  | "UnknownOperator"
  | "UnknownExpressionType"
  | "OperatorNotAllowed"
  | "MissingSoftwareCode"
  | "InvalidConditionVersion"
  | "InvalidWqlQuery"
  | "UnknownStepType"
  | "ChildCycle"
  | "ChildDepthExceeded"
  | "ChildNotFound"
  | "ChildDisabled"
  | "ChildHasBootImage";

/** How bad an issue is. */
export type IssueSeverity = "error" | "warning" | "info";

/** One validation finding. */
export interface ValidationIssue {
  /** Stable code. */
  readonly code: ValidationCode;
  /** Where: an item path `"0.2.1"`, `globalVariables`, `references.<i>`; children as `"<path> > <PKG>:<path>"`. */
  readonly path: string;
  /** A sentence for people (never a secret value). */
  readonly message: string;
  /** Severity. */
  readonly severity: IssueSeverity;
}

/** Builds an issue. */
export function issue(code: ValidationCode, path: string, message: string, severity: IssueSeverity): ValidationIssue {
  return { code, path, message, severity };
}

