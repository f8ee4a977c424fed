/**
 * `New-CMTaskSequenceDeployment` and `Set-CMTaskSequenceDeployment`: a deployment of a task
 * sequence to a collection, as a checked record. The record knows no site: the rules that need one
 * (such as the 10-member limit of a Debug deployment's collection, execution.md §11.1) are checked
 * by `site.deploy()` of `@taskseq/site`. As in the ConfigMgr reference, `-DeadlineDateTime` is when
 * the deployment expires (alias `-DeploymentExpireDateTime`, the name `Set-CMTaskSequenceDeployment`
 * documents), for every purpose, and the rerun behaviour defaults to always rerun.
 */
import { TaskSeqError, deepFreeze } from "@taskseq/model";
import type { TaskSequence } from "@taskseq/model";
import { defineCmdlet } from "./cmdlet-definition.js";
import type { CmdletCall } from "./cmdlet-definition.js";
import { valueParameter } from "./parameter-binding.js";
import { readBoolean, readChoice, readText } from "./parameter-values.js";

/** `Debug` (execution.md §11.1): an available deployment whose runs start in debug mode. */
const PURPOSES = ["Available", "Required", "Debug"] as const;
const AVAILABILITY = ["Clients", "ClientsMediaAndPxe", "MediaAndPxe", "MediaAndPxeHidden"] as const;
const RERUN = ["NeverRerunDeployedProgram", "AlwaysRerunProgram", "RerunIfFailedPreviousAttempt", "RerunIfSucceededOnPreviousAttempt"] as const;
const CONTENT = ["DownloadContentLocallyWhenNeededByRunningTaskSequence", "DownloadAllContentLocallyBeforeStartingTaskSequence", "RunFromDistributionPoint"] as const;

/** A task sequence deployment. */
export interface TaskSequenceDeployment {
  /** Discriminator. */
  readonly kind: "deployment";
  /** The deployed sequence's name (or package ID). */
  readonly taskSequence: string;
  /** The target collection (name or ID). */
  readonly collection: string;
  /** Available, required, or debug (runs start in debug mode; the collection may have at most 10 members). */
  readonly purpose: (typeof PURPOSES)[number];
  /** Who can run it (clients, media, PXE). */
  readonly availability: (typeof AVAILABILITY)[number];
  /** Rerun behaviour of required deployments (default `AlwaysRerunProgram`, as documented). */
  readonly rerunBehavior: (typeof RERUN)[number];
  /** How content is reached. */
  readonly deploymentOption: (typeof CONTENT)[number];
  /** Available from (ISO date-time text), when set. */
  readonly availableDateTime?: string;
  /** When the deployment expires (ISO date-time text; `-DeadlineDateTime`), when set; after {@link TaskSequenceDeployment.availableDateTime}. */
  readonly deadlineDateTime?: string;
  /** Show the progress UI. */
  readonly showTaskSequenceProgress: boolean;
  /** Comment. */
  readonly comment?: string;
}

function dateText(c: CmdletCall, name: string): string | undefined {
  const v = c.values[name];
  if (v === undefined) return undefined;
  const date = v instanceof Date ? v : typeof v === "string" ? new Date(v) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) throw new TaskSeqError("InvalidArgument", `${c.cmdlet}: -${name} must be a date and time.`, { details: { cmdlet: c.cmdlet, parameter: name } });
  return date.toISOString();
}

function check(c: CmdletCall, d: TaskSequenceDeployment): TaskSequenceDeployment {
  if (d.availableDateTime !== undefined && d.deadlineDateTime !== undefined && Date.parse(d.deadlineDateTime) <= Date.parse(d.availableDateTime)) {
    throw new TaskSeqError("InvalidArgument", `${c.cmdlet}: the deployment must expire (-DeadlineDateTime) after it becomes available (-AvailableDateTime).`, {
      details: { cmdlet: c.cmdlet, parameters: ["-DeadlineDateTime", "-AvailableDateTime"] },
    });
  }
  return deepFreeze(d);
}

function options(c: CmdletCall, base: Partial<TaskSequenceDeployment>): Omit<TaskSequenceDeployment, "kind" | "taskSequence" | "collection"> {
  const available = dateText(c, "AvailableDateTime") ?? base.availableDateTime;
  const deadline = dateText(c, "DeadlineDateTime") ?? base.deadlineDateTime;
  const comment = readText(c, "Comment") ?? base.comment;
  return {
    purpose: readChoice(c, "DeployPurpose", PURPOSES) ?? base.purpose ?? "Available",
    availability: readChoice(c, "Availability", AVAILABILITY) ?? base.availability ?? "Clients",
    rerunBehavior: readChoice(c, "RerunBehavior", RERUN) ?? base.rerunBehavior ?? "AlwaysRerunProgram",
    deploymentOption: readChoice(c, "DeploymentOption", CONTENT) ?? base.deploymentOption ?? "DownloadContentLocallyWhenNeededByRunningTaskSequence",
    showTaskSequenceProgress: readBoolean(c, "ShowTaskSequenceProgress") ?? base.showTaskSequenceProgress ?? true,
    ...(available === undefined ? {} : { availableDateTime: available }),
    ...(deadline === undefined ? {} : { deadlineDateTime: deadline }),
    ...(comment === undefined ? {} : { comment }),
  };
}

const SETTINGS = [
  valueParameter("DeployPurpose"),
  valueParameter("Availability", { aliases: ["MakeAvailableTo"] }),
  valueParameter("RerunBehavior"),
  valueParameter("DeploymentOption"),
  valueParameter("AvailableDateTime", { aliases: ["AvailableDate", "DeploymentAvailableDateTime"] }),
  valueParameter("DeadlineDateTime", { aliases: ["DeadlineDate", "DeploymentExpireDateTime"] }),
  valueParameter("ShowTaskSequenceProgress"),
  valueParameter("Comment"),
];

function sequenceName(c: CmdletCall): string {
  if (c.parameterSet === "ById") return readText(c, "TaskSequencePackageId") ?? "";
  const seq = c.values.InputObject as Partial<TaskSequence> | undefined;
  if (typeof seq !== "object" || seq === null || seq.kind !== "sequence") throw new TaskSeqError("InvalidArgument", `${c.cmdlet}: -InputObject must be a task sequence.`, { details: { cmdlet: c.cmdlet, parameter: "InputObject" } });
  return seq.package?.packageId ?? seq.name ?? "";
}

/** `New-CMTaskSequenceDeployment`: deploys a task sequence to a collection. */
export const NEW_TASK_SEQUENCE_DEPLOYMENT = defineCmdlet(
  "New-CMTaskSequenceDeployment",
  ["ByValue", "ById"],
  [
    valueParameter("InputObject", { sets: ["ByValue"], mandatory: true, aliases: ["TaskSequence", "TaskSequencePackage"] }),
    valueParameter("TaskSequencePackageId", { sets: ["ById"], mandatory: true, aliases: ["PackageId", "TaskSequenceId"] }),
    valueParameter("CollectionName", { mandatory: true, aliases: ["Collection", "CollectionId"] }),
    ...SETTINGS,
  ],
  (c): TaskSequenceDeployment => check(c, { kind: "deployment", taskSequence: sequenceName(c), collection: readText(c, "CollectionName") ?? "", ...options(c, {}) }),
);

/** `Set-CMTaskSequenceDeployment`: changes a deployment (returns the changed copy). */
export const SET_TASK_SEQUENCE_DEPLOYMENT = defineCmdlet(
  "Set-CMTaskSequenceDeployment",
  ["ByValue"],
  [valueParameter("InputObject", { mandatory: true, aliases: ["Deployment", "TaskSequenceDeployment"] }), ...SETTINGS],
  (c): TaskSequenceDeployment => {
    const d = c.values.InputObject as Partial<TaskSequenceDeployment>;
    if (typeof d !== "object" || d === null || d.kind !== "deployment") throw new TaskSeqError("InvalidArgument", `${c.cmdlet}: -InputObject must be a deployment.`, { details: { cmdlet: c.cmdlet, parameter: "InputObject" } });
    return check(c, { kind: "deployment", taskSequence: d.taskSequence ?? "", collection: d.collection ?? "", ...options(c, d) });
  },
);
