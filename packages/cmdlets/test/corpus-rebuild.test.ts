/**
 * The cmdlets rebuild real corpus sequences: every step through its `New-CMTSStep*` cmdlet, every
 * condition through `New-CMTSStepCondition*`, groups through `New-CMTaskSequenceGroup`, assembled
 * with `New-CMTaskSequence -CustomTaskSequence` and `Add-CMTaskSequenceStep`. The result must equal
 * the imported XML in its semantic form (see `semantic` below): names, descriptions, flags,
 * conditions (expression properties compared by name), step types, runIn, success codes, timeouts,
 * decoded settings and, for MDT steps, the action. Not compared: XML trivia, action-variable
 * spellings and order, the sequence version, and ConfigMgr's derived `<action>` of built-in steps.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getSettings, getStepTypeInfo } from "@taskseq/model";
import type { Condition, ConditionNode, Item, TaskSequence } from "@taskseq/model";
import { parseSequenceXml } from "@taskseq/xml";
import { addCMTaskSequenceStep, cmdletsByName, newCMTaskSequence, newCMTaskSequenceGroup, newCMTSStep, stepCmdletName } from "@taskseq/cmdlets";

const corpus = new URL("../../../../shared/corpus/", import.meta.url);
const load = (file: string): TaskSequence => parseSequenceXml(readFileSync(new URL(file, corpus))).sequence;

function node(n: ConditionNode): unknown {
  if (n.kind === "expression") return { type: n.type, properties: Object.fromEntries([...n.properties].sort((a, b) => a.name.localeCompare(b.name)).map((p) => [p.name, p.value])) };
  if (n.kind === "operator") return { operator: n.operator.toLowerCase(), operands: n.operands.map(node) };
  return { groups: n.groups.map((g) => g.expressions.map(node)) };
}

function semanticItem(item: Item): unknown {
  const base = { kind: item.kind, name: item.name, description: item.description, disabled: item.disabled, continueOnError: item.continueOnError, condition: item.condition?.operands.map(node) ?? [] };
  if (item.kind === "group") return { ...base, children: item.children.map(semanticItem) };
  const mdt = getStepTypeInfo(item.type)?.origin === "mdt";
  return { ...base, type: item.type, runIn: item.runIn, successCodes: item.successCodes, timeout: item.timeout, settings: getSettings(item), ...(mdt ? { action: item.action } : {}) };
}

/** A sequence document has no name; New-CMTaskSequence needs one. */
const UNNAMED = "Rebuilt";

const semantic = (seq: TaskSequence) => ({ name: seq.name ?? UNNAMED, description: seq.description ?? "", items: seq.items.map(semanticItem) });

function rebuildCondition(n: ConditionNode): ConditionNode {
  const invoke = (name: string, args: Record<string, unknown>) => cmdletsByName[name]!.invoke(args) as ConditionNode;
  if (n.kind === "operator") {
    const type = { and: "All", or: "Any", not: "None" }[n.operator.toLowerCase()];
    return invoke("New-CMTSStepConditionIfStatement", { StatementType: type, Condition: n.operands.map(rebuildCondition) });
  }
  if (n.kind !== "expression") throw new Error("OS condition groups are not rebuilt by this test");
  const p = Object.fromEntries(n.properties.map((x) => [x.name, x.value]));
  if (n.type === "SMS_TaskSequence_VariableConditionExpression") {
    return invoke("New-CMTSStepConditionVariable", { ConditionVariableName: p.Variable, OperatorType: p.Operator, ConditionVariableValue: p.Value });
  }
  if (n.type === "SMS_TaskSequence_WMIConditionExpression") return invoke("New-CMTSStepConditionQueryWmi", { Query: p.Query, Namespace: p.Namespace });
  throw new Error(`no rebuild for ${n.type}`);
}

const conditionArgs = (c: Condition | undefined) => (c === undefined ? {} : { Condition: c.operands.map(rebuildCondition) });

function rebuildItem(item: Item): Item {
  const common = { Name: item.name, Description: item.description, ContinueOnError: item.continueOnError, Disable: item.disabled, ...conditionArgs(item.condition) };
  if (item.kind === "group") return newCMTaskSequenceGroup({ ...common, Step: item.children.map(rebuildItem) });
  const info = getStepTypeInfo(item.type)!;
  const mdt = info.origin === "mdt";
  return newCMTSStep(stepCmdletName(info), {
    ...common,
    SuccessCode: item.successCodes,
    ...(item.timeout === undefined ? {} : { Timeout: item.timeout }),
    ...(mdt && item.action !== undefined ? { Action: item.action } : {}),
    // SuccessCodes mirrors -SuccessCode; the cmdlets write it from the success code list.
    ...Object.fromEntries(Object.entries(getSettings(item)).filter(([k]) => k !== "SuccessCodes")),
  });
}

function rebuild(seq: TaskSequence): TaskSequence {
  const ts = newCMTaskSequence({ CustomTaskSequence: true, Name: seq.name ?? UNNAMED, ...(seq.description === undefined ? {} : { Description: seq.description }) });
  return addCMTaskSequenceStep({ InputObject: ts, Step: seq.items.map(rebuildItem) });
}

describe("cmdlets rebuild corpus sequences", () => {
  for (const file of ["025_mdt-INSTALL-APPS-custom.xml", "051_cm-2pint-FormatPartitionModule.xml", "050_cm-2pint-BitLockerModule.xml", "012_cm-garytown-KB5025885-MediaCreator.xml", "014_cm-garytown-ModelSupportTS.xml"]) {
    it(file, () => {
      const imported = load(file);
      expect(semantic(rebuild(imported))).toEqual(semantic(imported));
    });
  }
});
