import { isSecretVariableName } from "./secret-names.js";
import { getStepTypeInfo } from "./step-catalog.js";
import type { ActionVariable, Step } from "./types.js";

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
 * Most entries each decision cache keeps. The caches are keyed by the strings as written (a
 * document repeats the same few types, properties and names thousands of times), so they are
 * bounded: past the bound a decision is computed again, not stored.
 */
const MAX_CACHED = 4096;

/** Per step type as written: per property as written, whether the catalogue or the name makes it secret. */
const secretByTypeAndProperty = new Map<string, Map<string, boolean>>();
let cachedProperties = 0;

/** Per variable name as written: {@link isSecretVariableName}. */
const secretNames = new Map<string, boolean>();

function isSecretName(name: string): boolean {
  let found = secretNames.get(name);
  if (found === undefined) {
    found = isSecretVariableName(name);
    if (secretNames.size < MAX_CACHED) secretNames.set(name, found);
  }
  return found;
}

function isSecretProperty(type: string, property: string): boolean {
  let properties = secretByTypeAndProperty.get(type);
  let found = properties?.get(property);
  if (found !== undefined) return found;
  found = secretPropertiesOf(type).has(property.toLowerCase()) || isSecretName(property);
  if (cachedProperties < MAX_CACHED) {
    if (properties === undefined) {
      properties = new Map();
      secretByTypeAndProperty.set(type, properties);
    }
    properties.set(property, found);
    cachedProperties++;
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
  if (isSecretProperty(step.type, variable.property) || isSecretName(variable.name)) return true;
  return step.type === SET_VARIABLE && variable.property === "VariableValue" && hidesValue(step.variables);
}

/**
 * True when a step setting's value must never be shown or stored in clear: {@link isSecretSetting}
 * (what the XML exporter treats as secret), plus the value of a Set Task Sequence Variable step whose
 * target variable is secret by name.
 *
 * @example
 * ```ts
 * const step = { type: "SMS_TaskSequence_SetVariableAction", variables: [{ name: "VariableName", property: "VariableName", value: "MyPassword" }] };
 * isSecretStepSetting(step, { name: "VariableValue", property: "VariableValue", value: "x" }); // true
 * ```
 */
export function isSecretStepSetting(step: Pick<Step, "type" | "variables">, variable: ActionVariable): boolean {
  if (isSecretSetting(step, variable)) return true;
  if (step.type !== SET_VARIABLE || variable.property !== "VariableValue") return false;
  return isSecretName(step.variables.find((v) => v.property === "VariableName")?.value ?? "");
}

/** True when a Set Task Sequence Variable step's `DoNotShowVariableValue` is true. */
export function hidesValue(variables: readonly ActionVariable[]): boolean {
  return variables.some((v) => v.property === "DoNotShowVariableValue" && v.value.trim().toLowerCase() === "true");
}
