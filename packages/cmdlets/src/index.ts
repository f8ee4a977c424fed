// Cmdlets as TypeScript functions
export {
  newCMTaskSequence,
  newCMTaskSequenceGroup,
  addCMTaskSequenceStep,
  getCMTaskSequenceStep,
  setCMTaskSequenceStep,
  removeCMTaskSequenceStep,
  setCMTaskSequenceGroup,
  newCMTSStepRunCommandLine,
  newCMTSStepRunPowerShellScript,
  newCMTSStepRunTaskSequence,
  newCMTSStepSetVariable,
  newCMTSStepSetDynamicVariable,
  newCMTSStepReboot,
  newCMTSStepPartitionDisk,
  newCMTSStepApplyOperatingSystem,
  newCMTSStepInstallApplication,
  newCMTSStepEnableBitLocker,
  newCMTSStepConditionVariable,
  newCMTSStepConditionQueryWmi,
  newCMTSStepConditionRegistry,
  newCMTSStepConditionFile,
  newCMTSStepConditionFolder,
  newCMTSStepConditionSoftware,
  newCMTSStepConditionOperatingSystem,
  newCMTSStepConditionIfStatement,
  newCMTaskSequenceDeployment,
  setCMTaskSequenceDeployment,
  exportCMTaskSequence,
  importCMTaskSequence,
  newCMDeviceVariable,
  newCMDeviceCollectionVariable,
} from "./cmdlet-functions.js";
export type { CmdletArguments, NewCMTaskSequenceParameters } from "./cmdlet-functions.js";
export { newCMTSStep, stepCmdletName } from "./step-cmdlets.js";
export type { NewStepParameters } from "./step-cmdlets.js";

// Results
export type { ExportedTaskSequence } from "./transfer-cmdlets.js";
export type { TaskSequenceDeployment } from "./deployment-cmdlets.js";
export type { SiteVariable } from "./variable-cmdlets.js";

// Cmdlet table and parameter metadata (for shells)
export { cmdletsByName, findCmdlet } from "./cmdlet-table.js";
export type { CmdletEntry, CmdletContext } from "./cmdlet-definition.js";
export { bindParameters } from "./parameter-binding.js";
export type { CmdletParameter, CmdletSignature, ParameterKind, BoundParameters } from "./parameter-binding.js";
