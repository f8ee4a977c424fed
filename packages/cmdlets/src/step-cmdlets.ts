/**
 * `New-CMTSStep*`: one cmdlet per catalogued step type, generated from the model's step catalogue
 * (parameter = setting property, boolean settings are switches, numbered families such as
 * partitions take a list of records). Real ConfigurationManager parameter names that differ from
 * the property are aliases; a setting the real cmdlet has no parameter for is derived from the
 * others (the join type of Join Domain or Workgroup). MDT step types have no ConfigMgr cmdlet:
 * they get `New-CMTSStepMdt*` names (a taskseq extension) and the MDT-only `-Action` and
 * `-StartIn` parameters.
 */
import { TaskSeqError, createStep, listStepTypes } from "@taskseq/model";
import type { CreateStepOptions, KnownStepType, SettingInfo, Step, StepSettingsByType, StepTypeInfo } from "@taskseq/model";
import { defineCmdlet } from "./cmdlet-definition.js";
import type { CmdletCall, DefinedCmdlet } from "./cmdlet-definition.js";
import { switchParameter, valueParameter } from "./parameter-binding.js";
import type { CmdletParameter } from "./parameter-binding.js";
import { readIntegerList, readInteger, readList, readText } from "./parameter-values.js";
import { ITEM_PARAMETERS, readItemOptions } from "./step-options.js";

/** The cmdlet noun of each step type (after `New-CMTSStep`). */
const NOUNS: Readonly<Record<string, string>> = {
  SMS_TaskSequence_RunCommandLineAction: "RunCommandLine",
  SMS_TaskSequence_RunPowerShellScriptAction: "RunPowerShellScript",
  SMS_TaskSequence_SubTasksequence: "RunTaskSequence",
  SMS_TaskSequence_SetVariableAction: "SetVariable",
  SMS_TaskSequence_SetDynamicVariablesAction: "SetDynamicVariable",
  SMS_TaskSequence_RebootAction: "Reboot",
  SMS_TaskSequence_PrestartCheckAction: "PrestartCheck",
  SMS_TaskSequence_ConnectNetworkFolderAction: "ConnectNetworkFolder",
  SMS_TaskSequence_JoinDomainWorkgroupAction: "JoinDomainWorkgroup",
  SMS_TaskSequence_InstallApplicationAction: "InstallApplication",
  SMS_TaskSequence_InstallSoftwareAction: "InstallSoftware",
  SMS_TaskSequence_InstallUpdateAction: "InstallUpdate",
  SMS_TaskSequence_DownloadPackageContentAction: "DownloadPackageContent",
  SMS_TaskSequence_PartitionDiskAction: "PartitionDisk",
  SMS_TaskSequence_ConvertDiskAction: "ConvertDisk",
  SMS_TaskSequence_EnableBitLockerAction: "EnableBitLocker",
  SMS_TaskSequence_OfflineEnableBitLockerAction: "OfflineEnableBitLocker",
  SMS_TaskSequence_DisableBitLockerAction: "DisableBitLocker",
  SMS_TaskSequence_ApplyOperatingSystemAction: "ApplyOperatingSystem",
  SMS_TaskSequence_ApplyDataImageAction: "ApplyDataImage",
  SMS_TaskSequence_ApplyDriverPackageAction: "ApplyDriverPackage",
  SMS_TaskSequence_AutoApplyAction: "AutoApplyDriver",
  SMS_TaskSequence_ApplyNetworkSettingsAction: "ApplyNetworkSetting",
  SMS_TaskSequence_ApplyWindowsSettingsAction: "ApplyWindowsSetting",
  SMS_TaskSequence_CaptureNetworkSettingsAction: "CaptureNetworkSetting",
  SMS_TaskSequence_CaptureWindowsSettingsAction: "CaptureWindowsSetting",
  SMS_TaskSequence_CaptureUserStateAction: "CaptureUserState",
  SMS_TaskSequence_RestoreUserStateAction: "RestoreUserState",
  SMS_TaskSequence_RequestStateStoreAction: "RequestStateStore",
  SMS_TaskSequence_ReleaseStateStoreAction: "ReleaseStateStore",
  SMS_TaskSequence_CaptureSystemImageAction: "CaptureSystemImage",
  SMS_TaskSequence_PrepareSMSClientAction: "PrepareConfigMgrClientForCapture",
  SMS_TaskSequence_PrepareOSAction: "PrepareWindowsForCapture",
  SMS_TaskSequence_SetupWindowsAndSMSAction: "SetupWindowsAndConfigMgr",
  SMS_TaskSequence_UpgradeOperatingSystemAction: "UpgradeOperatingSystem",
  SMS_TaskSequence_InstallDeployToolsAction: "InstallDeploymentTool",
  "": "MdtCommandLine",
};

/** Real ConfigurationManager parameter names that differ from the catalogue property, by type. */
const REAL_NAMES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  SMS_TaskSequence_RunPowerShellScriptAction: { Parameters: ["Parameter"] },
  SMS_TaskSequence_SubTasksequence: { TsPackageID: ["RunTaskSequencePackageId"] },
  SMS_TaskSequence_SetVariableAction: { VariableName: ["TaskSequenceVariable"], VariableValue: ["TaskSequenceVariableValue"], DoNotShowVariableValue: ["IsMasked"] },
  SMS_TaskSequence_RebootAction: { Message: ["NotificationMessage"] },
  SMS_TaskSequence_ApplyOperatingSystemAction: { ImageIndex: ["ImagePackageIndex"] },
  SMS_TaskSequence_ApplyDataImageAction: { ImageIndex: ["ImagePackageIndex"] },
  SMS_TaskSequence_JoinDomainWorkgroupAction: { DomainOUName: ["DomainOU", "OU", "OrganizationalUnit"], DomainUsername: ["UserName"], DomainPassword: ["UserPassword"] },
  SMS_TaskSequence_ConnectNetworkFolderAction: { Username: ["Account"] },
  SMS_TaskSequence_CaptureSystemImageAction: { CaptureDestination: ["Destination"], CaptureUsername: ["CaptureAccount"], CapturePassword: ["CaptureAccountPassword"], ImageCreator: ["CreatedBy"] },
  SMS_TaskSequence_PartitionDiskAction: { DiskIndex: ["DiskNumber"], PartitionList: ["PartitionSetting"] },
  SMS_TaskSequence_DownloadPackageContentAction: { DestinationCustomPath: ["DestinationPath"] },
};

/**
 * Settings the real cmdlet has no parameter for, derived from the others when not given: Join
 * Domain or Workgroup joins a domain with `-DomainName` (`Type` 0) and a workgroup with
 * `-WorkgroupName` (`Type` 1).
 */
const DERIVED: Readonly<Record<string, Readonly<Record<string, (c: CmdletCall) => unknown>>>> = {
  SMS_TaskSequence_JoinDomainWorkgroupAction: {
    Type: (c) => {
      const domain = readText(c, "DomainName") !== undefined;
      const workgroup = readText(c, "WorkgroupName") !== undefined;
      if (domain === workgroup) {
        throw new TaskSeqError("InvalidArgument", `${c.cmdlet}: give -DomainName to join a domain or -WorkgroupName to join a workgroup (one of them).`, { details: { cmdlet: c.cmdlet, parameters: ["-DomainName", "-WorkgroupName"] } });
      }
      return domain ? 0 : 1;
    },
  },
};

/** Step-only parameters (the real cmdlets' `-Timeout` and `-SuccessCode`). */
const STEP_PARAMETERS: readonly CmdletParameter[] = [valueParameter("Timeout"), valueParameter("SuccessCode", { aliases: ["SuccessCodes"] })];
/** MDT-only parameters. */
const MDT_PARAMETERS: readonly CmdletParameter[] = [valueParameter("Action", { aliases: ["Command"] }), valueParameter("StartIn")];

/** The `New-CMTSStep*` name of a step type. */
export function stepCmdletName(info: StepTypeInfo): string {
  const noun = NOUNS[info.type] ?? `Mdt${info.type.replace(/^BDD_/, "")}`;
  return `New-CMTSStep${noun}`;
}

/** Settings that cmdlets expose as parameters (`SuccessCodes` mirrors `-SuccessCode`). */
function settingsOf(info: StepTypeInfo): readonly SettingInfo[] {
  return info.settings.filter((s) => s.property !== "SuccessCodes");
}

function parametersOf(info: StepTypeInfo): CmdletParameter[] {
  const real = REAL_NAMES[info.type] ?? {};
  const derived = DERIVED[info.type] ?? {};
  const settings = settingsOf(info).map((s) =>
    (s.kind === "boolean" ? switchParameter : valueParameter)(s.property, { aliases: real[s.property] ?? [], mandatory: s.required === true && derived[s.property] === undefined }),
  );
  const lists = (info.lists ?? []).map((l) => valueParameter(l.name, { aliases: real[l.name] ?? [] }));
  return [...ITEM_PARAMETERS, ...STEP_PARAMETERS, ...(info.origin === "mdt" ? MDT_PARAMETERS : []), ...settings, ...lists];
}

function listRecords(c: CmdletCall, name: string): readonly Readonly<Record<string, unknown>>[] {
  return readList(c, name).map((entry) => {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw new TaskSeqError("InvalidArgument", `${c.cmdlet}: -${name} must be a list of records.`, { details: { cmdlet: c.cmdlet, parameter: name } });
    }
    return entry as Readonly<Record<string, unknown>>;
  });
}

function buildStep(info: StepTypeInfo, c: CmdletCall): Step {
  const settings: Record<string, unknown> = {};
  for (const s of settingsOf(info)) if (c.values[s.property] !== undefined) settings[s.property] = c.values[s.property];
  for (const [property, derive] of Object.entries(DERIVED[info.type] ?? {})) if (settings[property] === undefined) settings[property] = derive(c);
  for (const l of info.lists ?? []) if (c.values[l.name] !== undefined) settings[l.name] = listRecords(c, l.name);
  const item = readItemOptions(c);
  const timeout = readInteger(c, "Timeout");
  const successCodes = readIntegerList(c, "SuccessCode");
  const action = readText(c, "Action");
  const startIn = readText(c, "StartIn");
  const options: CreateStepOptions = {
    ...(item.name === undefined ? {} : { name: item.name }),
    ...(item.description === undefined ? {} : { description: item.description }),
    ...(item.condition === undefined ? {} : { condition: item.condition }),
    continueOnError: item.continueOnError,
    disabled: item.disabled,
    ...(timeout === undefined ? {} : { timeout }),
    ...(successCodes === undefined ? {} : { successCodes }),
    ...(action === undefined ? {} : { action }),
    ...(startIn === undefined ? {} : { startIn }),
  };
  try {
    return createStep(info.type as KnownStepType, settings as StepSettingsByType[KnownStepType], options);
  } catch (error) {
    throw new TaskSeqError("InvalidArgument", `${c.cmdlet}: ${error instanceof Error ? error.message : "invalid settings"}`, { cause: error, details: { cmdlet: c.cmdlet } });
  }
}

/** Every `New-CMTSStep*` cmdlet, one per catalogued step type, in catalogue order. */
export const STEP_CMDLETS: readonly DefinedCmdlet<Step>[] = listStepTypes().map((info) =>
  defineCmdlet(stepCmdletName(info), ["Default"], parametersOf(info), (c) => buildStep(info, c)),
);

/** Parameters of every `New-CMTSStep*` function: common options, the step's settings by property. */
export interface NewStepParameters {
  /** Step name. */
  readonly Name: string;
  /** Description. */
  readonly Description?: string;
  /** Conditions from `New-CMTSStepCondition*`. */
  readonly Condition?: unknown;
  /** Continue on error. */
  readonly ContinueOnError?: boolean;
  /** Disabled. */
  readonly Disable?: boolean;
  /** Timeout in seconds. */
  readonly Timeout?: number;
  /** Success codes. */
  readonly SuccessCode?: readonly number[];
  /** Settings of the step type by property (or real parameter name). */
  readonly [setting: string]: unknown;
}

/**
 * Creates a step of any catalogued type through its `New-CMTSStep*` cmdlet.
 *
 * @example
 * ```ts
 * const step = newCMTSStep("New-CMTSStepRunCommandLine", { Name: "Hello", CommandLine: "cmd /c echo hi" });
 * ```
 */
export function newCMTSStep(cmdlet: string, parameters: NewStepParameters): Step {
  const found = STEP_CMDLETS.find((d) => d.entry.name.toLowerCase() === cmdlet.toLowerCase());
  if (found === undefined) throw new TaskSeqError("InvalidArgument", `Unknown step cmdlet ${cmdlet}.`, { details: { cmdlet } });
  return found.call(parameters);
}
