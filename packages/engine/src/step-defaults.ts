/**
 * A step's action variables as local defaults (variables.md §8) and its resolved settings.
 */
import type { StepDefault, TaskSequenceEnvironment } from "@taskseq/environment";
import { getStepTypeInfo, type Step } from "@taskseq/model";

const cache = new WeakMap<Step, readonly StepDefault[]>();

/** The `defaultVarList` entries of a step as environment defaults, with catalogue facts (fixed, secret). */
export function stepDefaults(step: Step): readonly StepDefault[] {
  const hit = cache.get(step);
  if (hit !== undefined) return hit;
  const info = getStepTypeInfo(step.type);
  const defaults = step.variables
    .filter((v) => v.name !== "")
    .map((v) => {
      const setting = info?.settings.find((s) => s.property === v.property);
      return {
        name: v.name,
        value: v.value,
        fixed: setting?.fixed === true,
        secret: setting?.kind === "secret",
        hidden: v.hidden === true,
      };
    });
  cache.set(step, defaults);
  return defaults;
}

/**
 * The settings a handler sees, by property: the value the environment resolves for the action
 * variable (global override or local default), `%VAR%`-expanded.
 */
export function resolveSettings(step: Step, env: TaskSequenceEnvironment, processEnvironment: (name: string) => string | undefined): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const v of step.variables) {
    const raw = v.name === "" ? v.value : (env.get(v.name) ?? v.value);
    settings[v.property] = env.expand(raw, { processEnvironment });
  }
  return settings;
}
