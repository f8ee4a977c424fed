/**
 * `New-CMTaskSequence` (custom, install image, build and capture, upgrade),
 * `New-CMTaskSequenceGroup`, `Add-` / `Get-` / `Set-` / `Remove-CMTaskSequenceStep` and
 * `Set-CMTaskSequenceGroup`. Task sequences are immutable: cmdlets that change one return the
 * new sequence.
 */
import {
  TaskSeqError,
  addItem,
  clearCondition,
  createGroup,
  deepFreeze,
  insertItem,
  removeItem,
  renameItem,
  setCondition,
  setContinueOnError,
  setDescription,
  setEnabled,
  setSetting,
} from "@taskseq/model";
import type { Condition, Group, Item, ItemMatch, PackageInfo, TaskSequence } from "@taskseq/model";
import { createBuildAndCaptureTemplate, createCustomTemplate, createInstallOsTemplate, createUpgradeOsTemplate } from "@taskseq/steps";
import { defineCmdlet } from "./cmdlet-definition.js";
import type { CmdletCall } from "./cmdlet-definition.js";
import { switchParameter, valueParameter } from "./parameter-binding.js";
import { readBoolean, readChoice, readConditions, readInteger, readItems, readSequence, readText, readTextList, requireText } from "./parameter-values.js";
import { requireItems, selectItems } from "./item-selection.js";
import { ITEM_PARAMETERS, readItemOptions } from "./step-options.js";

const BUILD = "NewBuildOSImage";
const INSTALL = "NewInstallOSImage";
const UPGRADE = "UpgradeOSImage";
const CUSTOM = "NewCustom";
const IMAGE_SETS = [BUILD, INSTALL];

/** Longest `-Name` of `New-CMTaskSequence` (ConfigMgr reference). */
const MAX_NAME_LENGTH = 50;
/** Longest `-Description` of `New-CMTaskSequence` (ConfigMgr reference). */
const MAX_DESCRIPTION_LENGTH = 512;

/** Checks `-Name` (not blank, at most 50 characters) and `-Description` (at most 512); `InvalidArgument` naming the parameter. */
function checkPackageText(c: CmdletCall): void {
  const name = requireText(c, "Name");
  if (name.trim() === "" || name.length > MAX_NAME_LENGTH) {
    throw new TaskSeqError("InvalidArgument", `${c.cmdlet}: -Name must have 1 to ${MAX_NAME_LENGTH} characters (not only spaces), got ${name.length}.`, { details: { cmdlet: c.cmdlet, parameter: "Name" } });
  }
  const description = readText(c, "Description");
  if (description !== undefined && description.length > MAX_DESCRIPTION_LENGTH) {
    throw new TaskSeqError("InvalidArgument", `${c.cmdlet}: -Description has at most ${MAX_DESCRIPTION_LENGTH} characters, got ${description.length}.`, { details: { cmdlet: c.cmdlet, parameter: "Description" } });
  }
}

function withPackage(seq: TaskSequence, c: CmdletCall): TaskSequence {
  const description = readText(c, "Description");
  const bootImageId = readText(c, "BootImagePackageId");
  const highPerformance = readBoolean(c, "HighPerformance");
  const pkg: PackageInfo = {
    ...(seq.package ?? {}),
    name: requireText(c, "Name"),
    ...(description === undefined ? {} : { description }),
    ...(bootImageId === undefined ? {} : { bootImageId }),
    properties: { ...(seq.package?.properties ?? {}), ...(highPerformance === undefined ? {} : { HighPerformance: String(highPerformance) }) },
  };
  return deepFreeze({ ...seq, name: requireText(c, "Name"), ...(description === undefined ? {} : { description }), package: pkg });
}

function imageOptions(c: CmdletCall) {
  const clientInstallProperties = readText(c, "InstallationProperty");
  const applications = readTextList(c, "ApplicationName");
  return {
    name: requireText(c, "Name"),
    imagePackageId: requireText(c, "OperatingSystemImagePackageId"),
    imageIndex: readInteger(c, "OperatingSystemImageIndex") ?? 1,
    clientPackageId: requireText(c, "ClientPackagePackageId"),
    ...(clientInstallProperties === undefined ? {} : { clientInstallProperties }),
    ...(applications.length === 0 ? {} : { applications }),
  };
}

function installOptions(c: CmdletCall) {
  const join = readChoice(c, "JoinDomain", ["DomainType", "WorkgroupType"] as const);
  const domain = readText(c, "DomainName");
  const account = readText(c, "DomainAccount");
  if (join === "DomainType" && domain === undefined) {
    throw new TaskSeqError("InvalidArgument", `${c.cmdlet}: -JoinDomain DomainType needs -DomainName.`, { details: { cmdlet: c.cmdlet, parameters: ["-JoinDomain", "-DomainName"] } });
  }
  const usmt = readText(c, "UserStateMigrationToolPackageId");
  if (readBoolean(c, "CaptureUserSetting") === true && usmt === undefined) {
    throw new TaskSeqError("InvalidArgument", `${c.cmdlet}: -CaptureUserSetting needs -UserStateMigrationToolPackageId.`, { details: { cmdlet: c.cmdlet } });
  }
  return {
    ...imageOptions(c),
    ...(join === "DomainType" && domain !== undefined ? { domain, ...(account === undefined ? {} : { joinAccount: account }) } : {}),
    ...(readBoolean(c, "CaptureUserSetting") === true && usmt !== undefined ? { userState: { usmtPackageId: usmt } } : {}),
  };
}

function buildSequence(c: CmdletCall): TaskSequence {
  switch (c.parameterSet) {
    case CUSTOM:
      return createCustomTemplate(requireText(c, "Name"));
    case INSTALL:
      return createInstallOsTemplate(installOptions(c));
    case UPGRADE:
      return createUpgradeOsTemplate({ name: requireText(c, "Name"), upgradePackageId: requireText(c, "UpgradePackageId") });
    default: {
      const account = readText(c, "OperatingSystemFileAccount");
      return createBuildAndCaptureTemplate({ ...imageOptions(c), captureDestination: requireText(c, "OperatingSystemFilePath"), ...(account === undefined ? {} : { captureAccount: account }) });
    }
  }
}

/** `New-CMTaskSequence`: a custom, install-image, build-and-capture or upgrade task sequence (`-Name` 1-50 characters, `-Description` at most 512). */
export const NEW_TASK_SEQUENCE = defineCmdlet(
  "New-CMTaskSequence",
  [BUILD, INSTALL, UPGRADE, CUSTOM],
  [
    valueParameter("Name", { mandatory: true, aliases: ["TaskSequenceName"] }),
    valueParameter("Description", { sets: [BUILD, INSTALL, CUSTOM], aliases: ["TaskSequenceDescription"] }),
    valueParameter("BootImagePackageId", { sets: [BUILD, INSTALL, CUSTOM], mandatory: IMAGE_SETS }),
    valueParameter("HighPerformance"),
    switchParameter("CustomTaskSequence", { sets: [CUSTOM], mandatory: true, aliases: ["CustomOption"] }),
    switchParameter("InstallOperatingSystemImage", { sets: [INSTALL], mandatory: true, aliases: ["InstallOperatingSystemImageOption"] }),
    switchParameter("BuildOperatingSystemImage", { sets: [BUILD], mandatory: true, aliases: ["BuildOperatingSystemImageOption"] }),
    switchParameter("UpgradeOperatingSystem", { sets: [UPGRADE], mandatory: true, aliases: ["UpgradeOperatingSystemOption"] }),
    valueParameter("UpgradePackageId", { sets: [UPGRADE], mandatory: true }),
    valueParameter("OperatingSystemImagePackageId", { sets: IMAGE_SETS, mandatory: true }),
    valueParameter("OperatingSystemImageIndex", { sets: IMAGE_SETS, mandatory: true }),
    valueParameter("ClientPackagePackageId", { sets: IMAGE_SETS, mandatory: true }),
    valueParameter("InstallationProperty", { sets: IMAGE_SETS, aliases: ["InstallationProperties"] }),
    valueParameter("ApplicationName", { sets: [BUILD, INSTALL, UPGRADE], aliases: ["ApplicationNames"] }),
    valueParameter("JoinDomain", { sets: IMAGE_SETS, mandatory: true }),
    valueParameter("DomainName", { sets: IMAGE_SETS }),
    valueParameter("DomainAccount", { sets: IMAGE_SETS }),
    valueParameter("WorkgroupName", { sets: IMAGE_SETS }),
    valueParameter("CaptureUserSetting", { sets: [INSTALL] }),
    valueParameter("UserStateMigrationToolPackageId", { sets: [INSTALL] }),
    valueParameter("OperatingSystemFilePath", { sets: [BUILD], mandatory: true }),
    valueParameter("OperatingSystemFileAccount", { sets: [BUILD], mandatory: true }),
  ],
  (c): TaskSequence => {
    checkPackageText(c);
    return withPackage(buildSequence(c), c);
  },
);

/** `New-CMTaskSequenceGroup`: a group, optionally with its steps. */
export const NEW_TASK_SEQUENCE_GROUP = defineCmdlet("New-CMTaskSequenceGroup", ["Default"], [...ITEM_PARAMETERS, valueParameter("Step", { aliases: ["Steps"] })], (c): Group => {
  const o = readItemOptions(c);
  return createGroup(requireText(c, "Name"), readItems(c, "Step"), {
    ...(o.description === undefined ? {} : { description: o.description }),
    ...(o.condition === undefined ? {} : { condition: o.condition }),
    continueOnError: o.continueOnError,
    disabled: o.disabled,
  });
});

const INPUT = valueParameter("InputObject", { mandatory: true, aliases: ["TaskSequence"] });

/** `Add-CMTaskSequenceStep`: adds steps or groups at the top level (at `-InsertStepStartIndex`, default the end). */
export const ADD_TASK_SEQUENCE_STEP = defineCmdlet(
  "Add-CMTaskSequenceStep",
  ["ByValue"],
  [INPUT, valueParameter("Step", { mandatory: true, aliases: ["Steps"] }), valueParameter("InsertStepStartIndex", { aliases: ["StepIndex"] })],
  (c): TaskSequence => {
    const start = readInteger(c, "InsertStepStartIndex");
    let seq = readSequence(c, "InputObject");
    if (start !== undefined && (start < 0 || start > seq.items.length)) {
      throw new TaskSeqError("InvalidArgument", `${c.cmdlet}: -InsertStepStartIndex must be between 0 and ${seq.items.length}.`, { details: { cmdlet: c.cmdlet, parameter: "InsertStepStartIndex" } });
    }
    readItems(c, "Step").forEach((item, i) => {
      seq = start === undefined ? addItem(seq, item) : insertItem(seq, [start + i], item);
    });
    return seq;
  },
);

/** `Get-CMTaskSequenceStep`: the steps and groups (depth-first) matching `-StepName` and `-ActionClassName`. */
export const GET_TASK_SEQUENCE_STEP = defineCmdlet(
  "Get-CMTaskSequenceStep",
  ["ByValue"],
  [INPUT, valueParameter("StepName", { aliases: ["Name"] }), valueParameter("ActionClassName", { aliases: ["StepType"] })],
  (c): readonly Item[] => {
    const types = readTextList(c, "ActionClassName").map((t) => t.toLowerCase());
    const byType = (m: ItemMatch) => types.length === 0 || (m.item.kind === "step" ? types.includes(m.item.type.toLowerCase()) : types.includes("sms_tasksequence_group"));
    return selectItems(readSequence(c, "InputObject"), readText(c, "StepName"), byType).map((m) => m.item);
  },
);

/** `Remove-CMTaskSequenceStep`: removes every step or group matching `-StepName`. */
export const REMOVE_TASK_SEQUENCE_STEP = defineCmdlet(
  "Remove-CMTaskSequenceStep",
  ["ByValue"],
  [INPUT, valueParameter("StepName", { mandatory: true, aliases: ["Name"] }), switchParameter("Force")],
  (c): TaskSequence => {
    const seq = readSequence(c, "InputObject");
    const matches = requireItems(c.cmdlet, seq, requireText(c, "StepName"));
    // Remove from the last match backwards so earlier paths stay valid; nested matches go with their group.
    const outer = matches.filter((m) => !matches.some((o) => o !== m && o.path.length < m.path.length && o.path.every((x, i) => m.path[i] === x)));
    return outer.reverse().reduce((acc, m) => removeItem(acc, m.path), seq);
  },
);

const EDIT_PARAMETERS = [
  INPUT,
  valueParameter("StepName", { mandatory: true, aliases: ["Name"] }),
  valueParameter("NewStepName", { aliases: ["NewName"] }),
  valueParameter("Description"),
  valueParameter("IsEnabled", { aliases: ["Enabled"] }),
  valueParameter("IsContinueOnError", { aliases: ["ContinueOnError"] }),
  valueParameter("AddCondition", { aliases: ["AddConditions"] }),
  switchParameter("ClearCondition"),
];

function editItems(c: CmdletCall, onlyGroups: boolean, extra: (seq: TaskSequence, m: ItemMatch) => TaskSequence = (seq) => seq): TaskSequence {
  let seq = readSequence(c, "InputObject");
  const filter = onlyGroups ? (m: ItemMatch) => m.item.kind === "group" : undefined;
  const add = readConditions(c, "AddCondition");
  for (const m of requireItems(c.cmdlet, seq, requireText(c, "StepName"), filter)) {
    const name = readText(c, "NewStepName");
    const description = readText(c, "Description");
    const enabled = readBoolean(c, "IsEnabled");
    const continueOnError = readBoolean(c, "IsContinueOnError");
    if (name !== undefined) seq = renameItem(seq, m.path, name);
    if (description !== undefined) seq = setDescription(seq, m.path, description);
    if (enabled !== undefined) seq = setEnabled(seq, m.path, enabled);
    if (continueOnError !== undefined) seq = setContinueOnError(seq, m.path, continueOnError);
    if (readBoolean(c, "ClearCondition") === true) seq = clearCondition(seq, m.path);
    if (add.length > 0) {
      const current: Condition | undefined = readBoolean(c, "ClearCondition") === true ? undefined : m.item.condition;
      seq = setCondition(seq, m.path, { operands: [...(current?.operands ?? []), ...add] });
    }
    seq = extra(seq, m);
  }
  return seq;
}

/** `Set-CMTaskSequenceStep`: renames, describes, enables, conditions and (with `-Setting`, a taskseq extension) sets settings of matching steps. */
export const SET_TASK_SEQUENCE_STEP = defineCmdlet("Set-CMTaskSequenceStep", ["ByValue"], [...EDIT_PARAMETERS, valueParameter("Setting", { aliases: ["Settings"] })], (c): TaskSequence => {
  const settings = c.values.Setting;
  if (settings !== undefined && (typeof settings !== "object" || settings === null || Array.isArray(settings))) {
    throw new TaskSeqError("InvalidArgument", `${c.cmdlet}: -Setting must be a hashtable of property = value.`, { details: { cmdlet: c.cmdlet, parameter: "Setting" } });
  }
  return editItems(c, false, (seq, m) => {
    if (settings === undefined) return seq;
    if (m.item.kind !== "step") throw new TaskSeqError("InvalidArgument", `${c.cmdlet}: -Setting applies to steps; "${m.item.name}" is a group.`, { details: { cmdlet: c.cmdlet } });
    return Object.entries(settings as Record<string, unknown>).reduce((acc, [property, value]) => {
      if (value !== null && typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
        throw new TaskSeqError("InvalidArgument", `${c.cmdlet}: -Setting ${property} must be text, a number or a boolean.`, { details: { cmdlet: c.cmdlet, parameter: "Setting" } });
      }
      return setSetting(acc, m.path, property, value ?? undefined);
    }, seq);
  });
});

/** `Set-CMTaskSequenceGroup`: renames, describes, enables and conditions matching groups. */
export const SET_TASK_SEQUENCE_GROUP = defineCmdlet("Set-CMTaskSequenceGroup", ["ByValue"], EDIT_PARAMETERS, (c): TaskSequence => editItems(c, true));

