// Variable usage
export { variableUsage, conditionReads, referencedVariables } from "./variable-usage.js";
export type { VariableUsage, VariableRead, VariableReadKind, VariableWrite, VariableWriteKind } from "./variable-usage.js";

// Plan
export { planSequence, formatPlan, toPlanJson, restartOf, isScriptStep } from "./plan-sequence.js";
export type { SequencePlan, PlanItem, PlanOptions, PlanDecision, PlanSkipKind, PlanEnvironment, PlannedRestart, PlanJson, PlanJsonStep } from "./plan-sequence.js";
export { planCondition } from "./plan-conditions.js";
export type { PlannedCheck, PlannedCondition, PlanKnowledge, PlanConditionOptions } from "./plan-conditions.js";

// Lint
export { lintSequence, formatLintIssues } from "./lint-sequence.js";
export { unsetLiteTouchPhase } from "./lite-touch-phase.js";
export type { LintIssue, LintCode, LintOnlyCode, LintSeverity, LintOptions } from "./lint-sequence.js";
export { staticConditionValue } from "./condition-facts.js";
export type { StaticValue, FixedValues } from "./condition-facts.js";
export { editDistance, suggestName } from "./edit-distance.js";

// Documentation
export { documentSequence } from "./document-sequence.js";
export type { DocumentOptions } from "./document-sequence.js";
export { escapeHtml, escapeMarkdown } from "./html-escape.js";

// Diff
export { diffSequences, diffItemFields, formatDiff } from "./diff-sequences.js";
export type { SequenceDiff, ItemDiff, ItemChangeKind, FieldChange } from "./diff-sequences.js";

// Run reports
export { createRunRecorder, runRecordFromState, parseRunRecord, RUN_RECORD_FORMAT } from "./run-record.js";
export type { RunRecord, RunRecorder, RunRecorderOptions, RecordedStep, RecordedVariable, RecordedLogLine } from "./run-record.js";
export { renderRunReport } from "./render-run-report.js";

// Secrets
export { shownSettingValue, redactSequence } from "./secret-values.js";
