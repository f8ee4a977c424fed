import { fileURLToPath } from "node:url";
import { createCondition, createStep, variableCondition, type Condition, type Step } from "@taskseq/model";

/** The shared corpus folder. */
export const corpusDir = fileURLToPath(new URL("../../../../shared/corpus/", import.meta.url));
/** The example device profiles. */
export const devicesDir = fileURLToPath(new URL("../../../examples/devices/", import.meta.url));

/** A Set Task Sequence Variable step. */
export function setVar(name: string, variable: string, value: string, condition?: Condition): Step {
  return createStep("SMS_TaskSequence_SetVariableAction", { VariableName: variable, VariableValue: value }, { name, ...(condition === undefined ? {} : { condition }) });
}

/** A Run Command Line step. */
export function command(name: string, commandLine: string, options: { condition?: Condition; successCodes?: readonly number[]; disabled?: boolean } = {}): Step {
  return createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: commandLine }, { name, ...options });
}

/** `Variable op value`. */
export function when(variable: string, op: "equals" | "notEquals" | "exists" | "notExists", value?: string): Condition {
  return createCondition(variableCondition(variable, op, value));
}
