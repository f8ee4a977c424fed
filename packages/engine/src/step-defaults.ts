/**
 * A step's action variables as local defaults (variables.md §8) and its resolved settings.
 */
import type { ExpandOptions, StepDefault, TaskSequenceEnvironment } from "@taskseq/environment";
import { getStepTypeInfo, type Step } from "@taskseq/model";

/** The `defaultVarList` entries of a step as environment defaults, with catalogue facts (fixed, secret). */
export function stepDefaults(step: Step): StepDefault[] {
  const info = getStepTypeInfo(step.type);
  const defaults: StepDefault[] = [];
  const settings = info?.settings ?? [];
  for (const v of step.variables) {
    if (v.name === "") continue;
    let fixed = false;
    let secret = false;
    for (const s of settings) {
      if (s.property !== v.property) continue;
      fixed = s.fixed === true;
      secret = s.kind === "secret";
      break;
    }
    defaults.push({ name: v.name, value: v.value, fixed, secret, hidden: v.hidden === true });
  }
  return defaults;
}

/**
 * The settings a handler sees, by property: the value the environment resolves for the action
 * variable (global override or local default), `%VAR%`-expanded; `expanding` is told each text
 * that is expanded (the verbose "Expand a string" line, logging.md §6).
 */
export function resolveSettings(step: Step, env: TaskSequenceEnvironment, expandOptions: ExpandOptions, expanding: (text: string) => void): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const v of step.variables) {
    const raw = v.name === "" ? v.value : (env.get(v.name) ?? v.value);
    if (!raw.includes("%")) {
      settings[v.property] = raw; // most settings hold no reference
      continue;
    }
    expanding(raw);
    settings[v.property] = env.expand(raw, expandOptions);
  }
  return settings;
}
