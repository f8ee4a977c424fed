import { EXPRESSION_TYPES, conditionOperatorName } from "@taskseq/model";

/**
 * Condition class names and operator spellings the importer recognises (spec/conditions.md §3–§5).
 * Step types come from the model's catalogue (`isKnownStepType`). Anything else is preserved and reported.
 */

/** Expressions that occur only inside Set Dynamic Variables rules (conditions.md §5). */
const RULE_EXPRESSION_TYPES = ["SMS_TaskSequence_ComputerConditionExpression", "SMS_TaskSequence_MakeModelConditionExpression"];

const KNOWN_EXPRESSION_TYPES: ReadonlySet<string> = new Set([...Object.values(EXPRESSION_TYPES), ...RULE_EXPRESSION_TYPES]);
const KNOWN_OPERATORS: ReadonlySet<string> = new Set(["and", "or", "not"]);

/** True for a known condition expression class. */
export function isKnownExpressionType(type: string): boolean {
  return KNOWN_EXPRESSION_TYPES.has(type);
}

/** True for `and`, `or`, `not` in any letter case. */
export function isKnownOperator(type: string): boolean {
  return KNOWN_OPERATORS.has(type.toLowerCase());
}

/** True for a comparison operator name or alias (conditions.md §4.1), any letter case. */
export function isKnownComparison(value: string): boolean {
  return conditionOperatorName(value) !== undefined;
}
