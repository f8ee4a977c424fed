/**
 * Which step settings hold secret values, for everything this package prints.
 */
import { isSecretVariableName } from "@taskseq/environment";
import type { ActionVariable, Step } from "@taskseq/model";
import { isSecretSetting } from "@taskseq/xml";

/**
 * True when a step setting must never be shown: what the XML exporter treats as secret, plus the
 * value of a Set Task Sequence Variable step whose target variable is secret by name.
 */
export function isSecretStepSetting(step: Pick<Step, "type" | "variables">, variable: ActionVariable): boolean {
  if (isSecretSetting(step, variable)) return true;
  const target = step.variables.find((v) => v.property === "VariableName")?.value ?? "";
  return step.type === "SMS_TaskSequence_SetVariableAction" && variable.property === "VariableValue" && isSecretVariableName(target);
}
