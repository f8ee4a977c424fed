import type { SourcePosition } from "@taskseq/model";

/** The stable codes of the diagnostics the importer reports (spec/xml-format.md §12). */
export type ImportDiagnosticCode =
  | "UnknownVersion"
  | "MissingVersion"
  | "UnknownStepType"
  | "UnknownExpressionType"
  | "UnknownOperator"
  | "UnknownElement"
  | "UnknownAttribute"
  | "UnexpectedText"
  | "SuccessCodesTypo"
  | "SuccessCodesMismatch"
  | "InvalidSuccessCodeList"
  | "InvalidRunIn"
  | "InvalidNumber"
  | "DuplicateGlobalVariable"
  | "SecretMustBeReentered";

/** How serious a diagnostic is. `error` means the document loaded but holds an invalid value. */
export type DiagnosticSeverity = "error" | "warning" | "info";

/**
 * One finding of the importer. Import never throws on recoverable input and never drops content:
 * it reports what it tolerated here.
 */
export interface ImportDiagnostic {
  /** Stable code. */
  readonly code: ImportDiagnosticCode;
  /** Severity. */
  readonly severity: DiagnosticSeverity;
  /** A sentence for people (never a secret value). */
  readonly message: string;
  /** Line and column in the source and the item's index path (`path`, e.g. `"0.2.1"`), when known. */
  readonly position?: SourcePosition;
}
