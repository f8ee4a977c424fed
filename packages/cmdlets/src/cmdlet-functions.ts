/**
 * The cmdlets as camelCase TypeScript functions (`newCMTaskSequence({ … })`). Parameter keys are
 * the cmdlet's parameter names or aliases; every call goes through the same binder as the shell.
 */
import type { ConditionExpression, ConditionOperator, Group, Item, Step, TaskSequence } from "@taskseq/model";
import type { CmdletContext } from "./cmdlet-definition.js";
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
import type { TaskSequenceDeployment } from "./deployment-cmdlets.js";
import {
  ADD_TASK_SEQUENCE_STEP,
  GET_TASK_SEQUENCE_STEP,
  NEW_TASK_SEQUENCE,
  NEW_TASK_SEQUENCE_GROUP,
  REMOVE_TASK_SEQUENCE_STEP,
  SET_TASK_SEQUENCE_GROUP,
  SET_TASK_SEQUENCE_STEP,
} from "./sequence-cmdlets.js";
import { newCMTSStep } from "./step-cmdlets.js";
import type { NewStepParameters } from "./step-cmdlets.js";
import { EXPORT_TASK_SEQUENCE, IMPORT_TASK_SEQUENCE } from "./transfer-cmdlets.js";
import type { ExportedTaskSequence } from "./transfer-cmdlets.js";
import { NEW_DEVICE_COLLECTION_VARIABLE, NEW_DEVICE_VARIABLE } from "./variable-cmdlets.js";
import type { SiteVariable } from "./variable-cmdlets.js";

/** Named cmdlet arguments: parameter names or aliases as keys. */
export type CmdletArguments = Readonly<Record<string, unknown>>;

/** Parameters of {@link newCMTaskSequence} (see the ConfigMgr docs for each set's meaning). */
export interface NewCMTaskSequenceParameters extends CmdletArguments {
  /** Task sequence name (every set). */
  readonly Name: string;
  /** Description. */
  readonly Description?: string;
  /** `NewCustom` set. */
  readonly CustomTaskSequence?: boolean;
  /** `NewInstallOSImage` set. */
  readonly InstallOperatingSystemImage?: boolean;
  /** `NewBuildOSImage` set. */
  readonly BuildOperatingSystemImage?: boolean;
  /** `UpgradeOSImage` set. */
  readonly UpgradeOperatingSystem?: boolean;
}

/**
 * `New-CMTaskSequence`: one of the wizard's task sequences (parameter sets `NewCustom`,
 * `NewInstallOSImage`, `NewBuildOSImage`, `UpgradeOSImage`).
 *
 * @example
 * ```ts
 * const ts = newCMTaskSequence({ CustomTaskSequence: true, Name: "Custom", BootImagePackageId: "XYZ00002" });
 * const ipu = newCMTaskSequence({ UpgradeOperatingSystem: true, Name: "In-place upgrade", UpgradePackageId: "XYZ02EBA" });
 * ```
 */
export function newCMTaskSequence(parameters: NewCMTaskSequenceParameters): TaskSequence {
  return NEW_TASK_SEQUENCE.call(parameters);
}

/**
 * `New-CMTaskSequenceGroup`: a group with optional `-Step` children.
 *
 * @example
 * ```ts
 * const group = newCMTaskSequenceGroup({ Name: "Prepare", Step: [newCMTSStepReboot({ Name: "Restart" })] });
 * ```
 */
export function newCMTaskSequenceGroup(parameters: CmdletArguments): Group {
  return NEW_TASK_SEQUENCE_GROUP.call(parameters);
}

/**
 * `Add-CMTaskSequenceStep`: the sequence with the steps added (`-InsertStepStartIndex` or the end).
 *
 * @example
 * ```ts
 * const next = addCMTaskSequenceStep({ InputObject: ts, Step: step });
 * ```
 */
export function addCMTaskSequenceStep(parameters: CmdletArguments): TaskSequence {
  return ADD_TASK_SEQUENCE_STEP.call(parameters);
}

/** `Get-CMTaskSequenceStep`: items matching `-StepName` (wildcards) and `-ActionClassName`. */
export function getCMTaskSequenceStep(parameters: CmdletArguments): readonly Item[] {
  return GET_TASK_SEQUENCE_STEP.call(parameters);
}

/** `Set-CMTaskSequenceStep`: the sequence with the matching steps changed. */
export function setCMTaskSequenceStep(parameters: CmdletArguments): TaskSequence {
  return SET_TASK_SEQUENCE_STEP.call(parameters);
}

/** `Remove-CMTaskSequenceStep`: the sequence without the matching steps and groups. */
export function removeCMTaskSequenceStep(parameters: CmdletArguments): TaskSequence {
  return REMOVE_TASK_SEQUENCE_STEP.call(parameters);
}

/** `Set-CMTaskSequenceGroup`: the sequence with the matching groups changed. */
export function setCMTaskSequenceGroup(parameters: CmdletArguments): TaskSequence {
  return SET_TASK_SEQUENCE_GROUP.call(parameters);
}

/** `New-CMTSStepRunCommandLine`. */
export const newCMTSStepRunCommandLine = (p: NewStepParameters): Step => newCMTSStep("New-CMTSStepRunCommandLine", p);
/** `New-CMTSStepRunPowerShellScript`. */
export const newCMTSStepRunPowerShellScript = (p: NewStepParameters): Step => newCMTSStep("New-CMTSStepRunPowerShellScript", p);
/** `New-CMTSStepRunTaskSequence`. */
export const newCMTSStepRunTaskSequence = (p: NewStepParameters): Step => newCMTSStep("New-CMTSStepRunTaskSequence", p);
/** `New-CMTSStepSetVariable`. */
export const newCMTSStepSetVariable = (p: NewStepParameters): Step => newCMTSStep("New-CMTSStepSetVariable", p);
/** `New-CMTSStepSetDynamicVariable`. */
export const newCMTSStepSetDynamicVariable = (p: NewStepParameters): Step => newCMTSStep("New-CMTSStepSetDynamicVariable", p);
/** `New-CMTSStepReboot`. */
export const newCMTSStepReboot = (p: NewStepParameters): Step => newCMTSStep("New-CMTSStepReboot", p);
/** `New-CMTSStepPartitionDisk`. */
export const newCMTSStepPartitionDisk = (p: NewStepParameters): Step => newCMTSStep("New-CMTSStepPartitionDisk", p);
/** `New-CMTSStepApplyOperatingSystem`. */
export const newCMTSStepApplyOperatingSystem = (p: NewStepParameters): Step => newCMTSStep("New-CMTSStepApplyOperatingSystem", p);
/** `New-CMTSStepInstallApplication`. */
export const newCMTSStepInstallApplication = (p: NewStepParameters): Step => newCMTSStep("New-CMTSStepInstallApplication", p);
/** `New-CMTSStepEnableBitLocker`. */
export const newCMTSStepEnableBitLocker = (p: NewStepParameters): Step => newCMTSStep("New-CMTSStepEnableBitLocker", p);

/**
 * `New-CMTSStepConditionVariable`.
 *
 * @example
 * ```ts
 * newCMTSStepConditionVariable({ ConditionVariableName: "_SMSTSInWinPE", OperatorType: "Equals", ConditionVariableValue: "false" });
 * ```
 */
export const newCMTSStepConditionVariable = (p: CmdletArguments): ConditionExpression => NEW_CONDITION_VARIABLE.call(p);
/** `New-CMTSStepConditionQueryWmi`. */
export const newCMTSStepConditionQueryWmi = (p: CmdletArguments): ConditionExpression => NEW_CONDITION_QUERY_WMI.call(p);
/** `New-CMTSStepConditionRegistry`. */
export const newCMTSStepConditionRegistry = (p: CmdletArguments): ConditionExpression => NEW_CONDITION_REGISTRY.call(p);
/** `New-CMTSStepConditionFile`. */
export const newCMTSStepConditionFile = (p: CmdletArguments): ConditionExpression => NEW_CONDITION_FILE.call(p);
/** `New-CMTSStepConditionFolder`. */
export const newCMTSStepConditionFolder = (p: CmdletArguments): ConditionExpression => NEW_CONDITION_FOLDER.call(p);
/** `New-CMTSStepConditionSoftware`. */
export const newCMTSStepConditionSoftware = (p: CmdletArguments): ConditionExpression => NEW_CONDITION_SOFTWARE.call(p);
/** `New-CMTSStepConditionOperatingSystem`. */
export const newCMTSStepConditionOperatingSystem = (p: CmdletArguments): ConditionExpression => NEW_CONDITION_OPERATING_SYSTEM.call(p);
/** `New-CMTSStepConditionIfStatement`. */
export const newCMTSStepConditionIfStatement = (p: CmdletArguments): ConditionOperator => NEW_CONDITION_IF_STATEMENT.call(p);

/** `New-CMTaskSequenceDeployment`. */
export const newCMTaskSequenceDeployment = (p: CmdletArguments): TaskSequenceDeployment => NEW_TASK_SEQUENCE_DEPLOYMENT.call(p);
/** `Set-CMTaskSequenceDeployment`. */
export const setCMTaskSequenceDeployment = (p: CmdletArguments): TaskSequenceDeployment => SET_TASK_SEQUENCE_DEPLOYMENT.call(p);

/**
 * `Export-CMTaskSequence`: XML, or an export archive for a `.zip` path; written through `context.writeFile` when given.
 *
 * @example
 * ```ts
 * const { data } = exportCMTaskSequence({ InputObject: ts, ExportFilePath: "ts.xml" });
 * ```
 */
export const exportCMTaskSequence = (p: CmdletArguments, context?: CmdletContext): ExportedTaskSequence => EXPORT_TASK_SEQUENCE.call(p, context);
/** `Import-CMTaskSequence`: from `-ImportFilePath` (through `context.readFile`) or `-Content`. */
export const importCMTaskSequence = (p: CmdletArguments, context?: CmdletContext): readonly TaskSequence[] => IMPORT_TASK_SEQUENCE.call(p, context);

/** `New-CMDeviceVariable`. */
export const newCMDeviceVariable = (p: CmdletArguments): SiteVariable => NEW_DEVICE_VARIABLE.call(p);
/** `New-CMDeviceCollectionVariable`. */
export const newCMDeviceCollectionVariable = (p: CmdletArguments): SiteVariable => NEW_DEVICE_COLLECTION_VARIABLE.call(p);
