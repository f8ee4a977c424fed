/**
 * A step's action variables as local defaults (variables.md §8) and its resolved settings.
 */
import type { ExpandOptions, StepDefault, TaskSequenceEnvironment } from "@taskseq/environment";
import { getStepTypeInfo, isSecretStepSetting, type ActionVariable, type Step } from "@taskseq/model";

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

const SET_DYNAMIC_VARIABLES = "SMS_TaskSequence_SetDynamicVariablesAction";
const RUN_POWERSHELL = "SMS_TaskSequence_RunPowerShellScriptAction";
const TRUE = /^\s*true\s*$/i;

/**
 * Whether a setting is `%VAR%`-expanded before the handler sees it: every setting but the rules of
 * Set Dynamic Variables, whose values are expanded as each rule writes them and whose condition
 * values never are (execution.md §12, variables.md §11).
 */
function isExpanded(step: Step, v: ActionVariable): boolean {
  return v.property !== "Rules" || step.type !== SET_DYNAMIC_VARIABLES;
}

/**
 * Whether the text of a setting may appear in the verbose "Expand a string" line (logging.md §6,
 * §9): not a secret setting (its text may be the secret itself), not a script's text, not Run
 * PowerShell Script's parameters unless `OSDLogPowerShellParameters=TRUE`, not a command line or
 * program name under `OSDDoNotLogCommand=TRUE` (steps.md §4, §5, §14).
 */
function isLoggedExpansion(step: Step, v: ActionVariable, env: TaskSequenceEnvironment): boolean {
  if (isSecretStepSetting(step, v)) return false;
  switch (v.property) {
    case "SourceScript":
      return false;
    case "Parameters":
      return step.type !== RUN_POWERSHELL || TRUE.test(env.get("OSDLogPowerShellParameters") ?? "");
    case "CommandLine":
    case "ProgramName":
      return !TRUE.test(env.get("OSDDoNotLogCommand") ?? "");
    default:
      return true;
  }
}

/** Per step type (as written), the catalogue settings a global may override: the not fixed ones (variables.md §8), with their defaults. */
const overridable = new Map<string, readonly ActionVariable[]>();

/** The catalogue's overridable settings of a type, as entries holding the setting's default (cached per type; unknown types have none). */
function overridableSettings(type: string): readonly ActionVariable[] {
  let found = overridable.get(type);
  if (found === undefined) {
    found = (getStepTypeInfo(type)?.settings ?? []).filter((s) => s.fixed !== true).map((s) => ({ name: s.variable, property: s.property, value: s.default ?? "" }));
    if (overridable.size < 1024) overridable.set(type, found);
  }
  return found;
}

/**
 * The settings a handler sees, by property: the value the environment resolves for the action
 * variable (global override or local default), `%VAR%`-expanded; `expanding` is told each text
 * that is expanded and may be logged (the verbose "Expand a string" line, logging.md §6). A
 * global named after an overridable setting the step's `defaultVarList` leaves out is its value
 * too (variables.md §8: it overrides the setting of every later step that uses the action variable).
 */
export function resolveSettings(step: Step, env: TaskSequenceEnvironment, expandOptions: ExpandOptions, expanding: (text: string) => void): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const v of step.variables) {
    const raw = v.name === "" ? v.value : (env.get(v.name) ?? v.value);
    // Most settings hold no reference.
    settings[v.property] = raw.includes("%") ? expandSetting(step, v, raw, env, expandOptions, expanding) : raw;
  }
  for (const s of overridableSettings(step.type)) {
    if (Object.hasOwn(settings, s.property)) continue;
    // A global holding the setting's default (a built-in default such as SMSTSDisableWow64Redirection=false) changes nothing.
    const global = env.get(s.name);
    if (global !== undefined && global !== s.value) settings[s.property] = global.includes("%") ? expandSetting(step, s, global, env, expandOptions, expanding) : global;
  }
  return settings;
}

/** A setting's text holding `%`, expanded unless it is one that is not (and the expansion logged when it may be). */
function expandSetting(step: Step, v: ActionVariable, raw: string, env: TaskSequenceEnvironment, expandOptions: ExpandOptions, expanding: (text: string) => void): string {
  if (!isExpanded(step, v)) return raw;
  if (isLoggedExpansion(step, v, env)) expanding(raw);
  return env.expand(raw, expandOptions);
}
