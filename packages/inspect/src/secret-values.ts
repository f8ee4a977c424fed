/**
 * Which step settings hold secret values, for everything this package prints.
 */
import { SECRET_MASK } from "@taskseq/environment";
import { isSecretStepSetting, isSecretVariableName } from "@taskseq/model";
import type { ActionVariable, Item, Step, TaskSequence } from "@taskseq/model";
import { SOURCE_VALUE_KEY, parseDynamicRules, writeDynamicRules } from "@taskseq/xml";

/** A setting's value as documents show it: secrets masked, secret rule values emptied. */
export function shownSettingValue(step: Step, v: ActionVariable): string {
  if (v.value !== "" && isSecretStepSetting(step, v)) return SECRET_MASK;
  if (step.type !== "SMS_TaskSequence_SetDynamicVariablesAction" || v.property !== "Rules") return v.value;
  try {
    const parsed = parseDynamicRules(v.value);
    return parsed.rules.some((r) => r.variables.some((x) => x.secret && x.value !== "")) ? writeDynamicRules(parsed.rules, { redactSecrets: true }) : v.value;
  } catch {
    return SECRET_MASK; // unreadable rules may hide a secret value
  }
}

/**
 * `text` (a step's `<action>`) with the values of the secret settings of the given steps masked: a
 * ConfigMgr Set Task Sequence Variable action repeats its value (`tsenv.exe "Name=Value"`).
 */
export function maskSecretsIn(text: string, ...steps: readonly Step[]): string {
  // Longest first, so a secret that contains another is masked whole.
  const secrets = steps.flatMap((step) => step.variables.filter((v) => v.value !== "" && isSecretStepSetting(step, v)).map((v) => v.value)).sort((a, b) => b.length - a.length);
  return secrets.reduce((masked, secret) => masked.split(secret).join(SECRET_MASK), text);
}

/**
 * A setting as saved records show it: its value as {@link shownSettingValue} gives it, and without
 * the source value the XML reader keeps in the trivia of secret settings and rules (it is the value
 * in clear).
 */
function redactSetting(step: Step, v: ActionVariable): ActionVariable {
  const shown = { ...v, value: shownSettingValue(step, v) };
  const extra = v.trivia?.extra;
  if (v.trivia === undefined || extra === undefined || !(SOURCE_VALUE_KEY in extra)) return shown;
  const { [SOURCE_VALUE_KEY]: _source, ...rest } = extra;
  return { ...shown, trivia: { ...v.trivia, extra: rest } };
}

function redactItem(item: Item): Item {
  if (item.kind === "group") return { ...item, children: item.children.map(redactItem) };
  return { ...item, variables: item.variables.map((v) => redactSetting(item, v)) };
}

/** A copy of a sequence with every secret setting and sequence variable value masked (for saved records). */
export function redactSequence(seq: TaskSequence): TaskSequence {
  return {
    ...seq,
    globalVariables: seq.globalVariables.map((g) => (isSecretVariableName(g.name) && g.value !== "" ? { ...g, value: SECRET_MASK } : g)),
    items: seq.items.map(redactItem),
  };
}
