import { getStepTypeInfo, isSecretVariableName } from "@taskseq/model";
import type { ActionVariable, Step } from "@taskseq/model";

const SET_VARIABLE = "SMS_TaskSequence_SetVariableAction";

/** Lower-cased properties the step catalogue marks `secret`, per step type (cached: asked once per variable). */
const secretProperties = new Map<string, ReadonlySet<string>>();

const NO_SECRETS: ReadonlySet<string> = new Set();

function secretPropertiesOf(type: string): ReadonlySet<string> {
  const key = type.toLowerCase();
  let found = secretProperties.get(key);
  if (found === undefined) {
    const info = getStepTypeInfo(type);
    // Only catalogue types are cached (case-folded), so arbitrary input types cannot grow the cache.
    if (info === undefined) return NO_SECRETS;
    found = new Set(info.settings.filter((s) => s.kind === "secret").map((s) => s.property.toLowerCase()));
    secretProperties.set(key, found);
  }
  return found;
}

/**
 * True when a step setting holds a secret (spec/variables.md §9.1): a setting the step catalogue
 * marks secret, a secret variable name, or the value of a Set Task Sequence Variable step marked "Do not display
 * this value".
 *
 * @example
 * ```ts
 * isSecretSetting(step, { name: "OSDJoinPassword", property: "JoinPassword", value: "x" }); // true
 * ```
 */
export function isSecretSetting(step: Pick<Step, "type" | "variables">, variable: ActionVariable): boolean {
  if (secretPropertiesOf(step.type).has(variable.property.toLowerCase())) return true;
  if (isSecretVariableName(variable.name) || isSecretVariableName(variable.property)) return true;
  return step.type === SET_VARIABLE && variable.property === "VariableValue" && hidesValue(step.variables);
}

/** True when a Set Task Sequence Variable step's `DoNotShowVariableValue` is true. */
export function hidesValue(variables: readonly ActionVariable[]): boolean {
  return variables.some((v) => v.property === "DoNotShowVariableValue" && v.value.trim().toLowerCase() === "true");
}
