// Batteries-included engine
export { createEngine, sequenceDocumentXml } from "./create-engine.js";

// Object model (@taskseq/model)
export {
  TaskSeqError,
  isTaskSeqError,
  createSequence,
  createGroup,
  createStep,
  getSettings,
  createCondition,
  variableCondition,
  wmiCondition,
  allOf,
  anyOf,
  noneOf,
  addItem,
  insertItem,
  removeItem,
  setSetting,
  findByPath,
  findByName,
  walk,
  validateSequence,
  toCanonicalJson,
  fromCanonicalJson,
  listStepTypes,
  getStepTypeInfo,
} from "@taskseq/model";
export type { TaskSequence, Item, Step, Group, Condition, ConditionNode, ItemPath, TaskSeqErrorCode, ValidationIssue, StepTypeInfo } from "@taskseq/model";

// XML (@taskseq/xml)
export { parseSequenceXml, writeSequenceXml, convertSequence, readExportArchive, writeExportArchive, createExportArchive } from "@taskseq/xml";
export type { ParsedSequence, ExportArchive } from "@taskseq/xml";

// Variables (@taskseq/environment)
export { createEnvironment, SECRET_MASK } from "@taskseq/environment";

// Devices (@taskseq/device)
export { createSimulatedDevice, defaultDeviceProfile, parseDeviceProfile } from "@taskseq/device";
export type { Device, DeviceProfile, SimulatedDevice } from "@taskseq/device";

// Engine (@taskseq/engine)
export { createMemoryLogSink, createMemoryStateStore, createMapResolver, toRunResultJson, ENGINE_VERSION } from "@taskseq/engine";
export type { Engine, EngineOptions, RunResult, RunResultJson, RunStatus, StepReport, StepHandler, EngineEvent } from "@taskseq/engine";

// Steps (@taskseq/steps)
export { createBuiltinHandlers, createInstallOsTemplate, createBuildAndCaptureTemplate, createUpgradeOsTemplate, createCustomTemplate } from "@taskseq/steps";

// Scripts (@taskseq/script)
export { runScript, createScriptRunner } from "@taskseq/script";
export type { ScriptRunRequest, ScriptRunResult } from "@taskseq/script";

// Authoring cmdlets (@taskseq/cmdlets)
export { cmdletsByName, newCMTaskSequence, newCMTaskSequenceGroup, addCMTaskSequenceStep, newCMTSStep, exportCMTaskSequence, importCMTaskSequence } from "@taskseq/cmdlets";
