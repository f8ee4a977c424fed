/**
 * `cmdletsByName`: every cmdlet under its real name (case-insensitive lookup through
 * {@link findCmdlet}), with its parameter metadata, for shells and help screens.
 */
import { TaskSeqError } from "@taskseq/model";
import type { CmdletEntry } from "./cmdlet-definition.js";
import {
  NEW_CONDITION_FILE,
  NEW_CONDITION_FOLDER,
  NEW_CONDITION_IF_STATEMENT,
  NEW_CONDITION_OPERATING_SYSTEM,
  NEW_CONDITION_QUERY_WMI,
  NEW_CONDITION_REGISTRY,
  NEW_CONDITION_SOFTWARE,
  NEW_CONDITION_VARIABLE,
} from "./condition-cmdlets.js";
import { NEW_TASK_SEQUENCE_DEPLOYMENT, SET_TASK_SEQUENCE_DEPLOYMENT } from "./deployment-cmdlets.js";
import {
  ADD_TASK_SEQUENCE_STEP,
  GET_TASK_SEQUENCE_STEP,
  NEW_TASK_SEQUENCE,
  NEW_TASK_SEQUENCE_GROUP,
  REMOVE_TASK_SEQUENCE_STEP,
  SET_TASK_SEQUENCE_GROUP,
  SET_TASK_SEQUENCE_STEP,
} from "./sequence-cmdlets.js";
import { STEP_CMDLETS } from "./step-cmdlets.js";
import { EXPORT_TASK_SEQUENCE, IMPORT_TASK_SEQUENCE } from "./transfer-cmdlets.js";
import { NEW_DEVICE_COLLECTION_VARIABLE, NEW_DEVICE_VARIABLE } from "./variable-cmdlets.js";

const ALL: readonly CmdletEntry[] = [
  NEW_TASK_SEQUENCE,
  NEW_TASK_SEQUENCE_GROUP,
  ADD_TASK_SEQUENCE_STEP,
  GET_TASK_SEQUENCE_STEP,
  SET_TASK_SEQUENCE_STEP,
  REMOVE_TASK_SEQUENCE_STEP,
  SET_TASK_SEQUENCE_GROUP,
  ...STEP_CMDLETS,
  NEW_CONDITION_VARIABLE,
  NEW_CONDITION_QUERY_WMI,
  NEW_CONDITION_REGISTRY,
  NEW_CONDITION_FILE,
  NEW_CONDITION_FOLDER,
  NEW_CONDITION_SOFTWARE,
  NEW_CONDITION_OPERATING_SYSTEM,
  NEW_CONDITION_IF_STATEMENT,
  NEW_TASK_SEQUENCE_DEPLOYMENT,
  SET_TASK_SEQUENCE_DEPLOYMENT,
  EXPORT_TASK_SEQUENCE,
  IMPORT_TASK_SEQUENCE,
  NEW_DEVICE_VARIABLE,
  NEW_DEVICE_COLLECTION_VARIABLE,
].map((d) => d.entry);

/**
 * Every cmdlet by its real name: the TypeScript function name, parameter sets, parameters
 * (name, aliases, switch or value, sets, mandatory sets) and a generic `invoke`.
 *
 * @example
 * ```ts
 * const entry = cmdletsByName["New-CMTSStepConditionVariable"];
 * entry.parameters.map((p) => p.name); // ["ConditionVariableName", "ConditionVariableValue", "OperatorType"]
 * entry.invoke({ ConditionVariableName: "_SMSTSInWinPE", OperatorType: "Equals", ConditionVariableValue: "false" });
 * ```
 */
export const cmdletsByName: Readonly<Record<string, CmdletEntry>> = Object.freeze(Object.fromEntries(ALL.map((e) => [e.name, e])));

const BY_LOWER = new Map(ALL.map((e) => [e.name.toLowerCase(), e]));

/**
 * The cmdlet with this name (case-insensitive), or `InvalidArgument` when there is none.
 *
 * @example
 * ```ts
 * findCmdlet("new-cmtaskSequence").name; // "New-CMTaskSequence"
 * ```
 */
export function findCmdlet(name: string): CmdletEntry {
  const entry = BY_LOWER.get(name.toLowerCase());
  if (entry === undefined) throw new TaskSeqError("InvalidArgument", `Unknown cmdlet ${name}.`, { details: { cmdlet: name } });
  return entry;
}
