/**
 * Which task sequence variables an item reads and writes, from the step catalogue, `%VAR%`
 * references, conditions, Set Task Sequence Variable / Set Dynamic Variables outputs and the
 * outputs the built-in variable catalogue attributes to a step type.
 */
import { builtinVariables } from "@taskseq/environment";
import { getStepTypeInfo, type Condition, type ConditionNode, type Item, type Step } from "@taskseq/model";
import { parseDynamicRules } from "@taskseq/xml";
import { isSecretStepSetting } from "@taskseq/model";

/** Why an item reads a variable. */
export type VariableReadKind = "condition" | "reference" | "action-variable" | "setting-name";

/** One variable an item reads. */
export interface VariableRead {
  /** Variable name as written. */
  readonly name: string;
  /** How it is read: a condition, a `%VAR%` reference, the step's own action variable, or a name held in a setting. */
  readonly kind: VariableReadKind;
  /** The setting or condition property it comes from. */
  readonly source: string;
}

/** Why an item writes a variable. */
export type VariableWriteKind = "set-variable" | "dynamic-rule" | "output-setting" | "step-output";

/** One variable an item writes. */
export interface VariableWrite {
  /** Variable name as written. */
  readonly name: string;
  /** How it is written. */
  readonly kind: VariableWriteKind;
  /** The literal value when known at authoring time (no `%VAR%` reference, not from a rule). */
  readonly value?: string;
  /** True when the write is marked secret or the name is secret. */
  readonly secret: boolean;
  /** True when the write happens only under a rule condition. */
  readonly conditional: boolean;
}

/** The variables one item reads and writes. */
export interface VariableUsage {
  /** Reads, in setting order then condition order. */
  readonly reads: readonly VariableRead[];
  /** Writes, in the order the step performs them. */
  readonly writes: readonly VariableWrite[];
}

const REFERENCE = /%([^%\s]+)%/g;
const PATH_EXPRESSIONS: ReadonlySet<string> = new Set(["SMS_TaskSequence_FileConditionExpression", "SMS_TaskSequence_FolderConditionExpression"]);

/** Settings whose value names a variable the step writes. */
const OUTPUT_NAME_SETTINGS: ReadonlySet<string> = new Set(["outputvariablename", "volumelettervariable", "destinationvariable"]);
/** Settings whose value names a variable (or a list base name) the step reads. */
const INPUT_NAME_SETTINGS: ReadonlySet<string> = new Set(["diskindexvariable", "basevariablename", "destinationosvariable"]);

/** Step outputs the built-in catalogue does not attribute by console name (spec/steps.md §13, §21). */
const EXTRA_OUTPUTS: Readonly<Record<string, readonly string[]>> = {
  SMS_TaskSequence_InstallApplicationAction: ["_TSAppInstallStatus", "_SMSTSAppInstallNeedsRetry"],
  SMS_TaskSequence_CaptureWindowsSettingsAction: ["OSDComputerName", "OSDRegisteredOrgName", "OSDTimeZone"],
  SMS_TaskSequence_PrepareOSAction: ["OSDTargetSystemRoot"],
};

/** Every `%NAME%` reference in a text, in order. */
export function referencedVariables(text: string): string[] {
  return [...text.matchAll(REFERENCE)].map((m) => m[1] ?? "").filter((n) => n !== "");
}

function prop(node: ConditionNode & { kind: "expression" }, name: string): string | undefined {
  return node.properties.find((p) => p.name.toLowerCase() === name.toLowerCase())?.value;
}

/** The variables a condition reads (variable expressions and `%VAR%` in file and folder paths). */
export function conditionReads(condition: Condition | undefined): VariableRead[] {
  const out: VariableRead[] = [];
  const visit = (node: ConditionNode): void => {
    if (node.kind === "operator") node.operands.forEach(visit);
    else if (node.kind === "osConditionGroup") node.groups.forEach((g) => g.expressions.forEach(visit));
    else if (node.type === "SMS_TaskSequence_VariableConditionExpression") {
      const name = (prop(node, "Variable") ?? "").trim();
      if (name !== "") out.push({ name, kind: "condition", source: "condition" });
    } else if (PATH_EXPRESSIONS.has(node.type)) {
      // Only file and folder paths are %VAR%-expanded; `%` in WQL is a LIKE wildcard.
      for (const name of referencedVariables(prop(node, "Path") ?? "")) out.push({ name, kind: "reference", source: "condition Path" });
    }
  };
  condition?.operands.forEach(visit);
  return out;
}

function setting(step: Step, property: string): string | undefined {
  const key = property.toLowerCase();
  return step.variables.findLast((v) => v.property.toLowerCase() === key)?.value;
}

function dynamicWrites(step: Step): VariableWrite[] {
  const rules = setting(step, "Rules") ?? "";
  if (rules.trim() === "") return [];
  try {
    return parseDynamicRules(rules).rules.flatMap((rule) =>
      rule.variables.map((v) => ({
        name: v.name,
        kind: "dynamic-rule" as const,
        secret: v.secret,
        conditional: rule.condition !== undefined && rule.condition.operands.length > 0,
      })),
    );
  } catch {
    return []; // malformed rules are a validation finding, not a usage
  }
}

function stepWrites(step: Step): VariableWrite[] {
  const out: VariableWrite[] = [];
  const info = getStepTypeInfo(step.type);
  if (step.type === "SMS_TaskSequence_SetVariableAction") {
    const name = (setting(step, "VariableName") ?? "").trim();
    const valueVariable = step.variables.findLast((v) => v.property.toLowerCase() === "variablevalue");
    const value = valueVariable?.value ?? "";
    const literal = referencedVariables(value).length === 0;
    const secret = valueVariable !== undefined && isSecretStepSetting(step, valueVariable);
    if (name !== "") out.push({ name, kind: "set-variable", ...(literal ? { value } : {}), secret, conditional: false });
  }
  if (step.type === "SMS_TaskSequence_SetDynamicVariablesAction") out.push(...dynamicWrites(step));
  for (const v of step.variables) {
    if (OUTPUT_NAME_SETTINGS.has(v.property.toLowerCase()) || /VolumeLetterVariable$/i.test(v.property)) {
      const name = v.value.trim();
      if (name !== "" && !name.includes("%")) out.push({ name, kind: "output-setting", secret: false, conditional: false });
    }
  }
  if (info !== undefined) {
    for (const b of builtinVariables) {
      if (b.setBy === info.consoleName) out.push({ name: b.name, kind: "step-output", secret: b.secret === true, conditional: false });
    }
  }
  for (const name of EXTRA_OUTPUTS[step.type] ?? []) out.push({ name, kind: "step-output", secret: false, conditional: false });
  return out;
}

function stepReads(step: Step): VariableRead[] {
  const out: VariableRead[] = [];
  const info = getStepTypeInfo(step.type);
  for (const v of step.variables) {
    for (const name of referencedVariables(v.value)) out.push({ name, kind: "reference", source: v.property });
    if (INPUT_NAME_SETTINGS.has(v.property.toLowerCase()) && v.value.trim() !== "" && !v.value.includes("%")) {
      out.push({ name: v.value.trim(), kind: "setting-name", source: v.property });
    }
  }
  for (const name of referencedVariables(step.action ?? "")) out.push({ name, kind: "reference", source: "action" });
  for (const s of info?.settings ?? []) out.push({ name: s.variable, kind: "action-variable", source: s.property });
  return out;
}

/**
 * The variables an item reads and writes. For a group: its condition only (its children are
 * separate items).
 *
 * @example
 * ```ts
 * const { reads, writes } = variableUsage(step);
 * reads.filter((r) => r.kind === "reference").map((r) => r.name); // ["OSDComputerName"]
 * ```
 */
export function variableUsage(item: Item): VariableUsage {
  const reads = conditionReads(item.condition);
  if (item.kind === "group") return { reads, writes: [] };
  return { reads: [...stepReads(item), ...reads], writes: stepWrites(item) };
}
