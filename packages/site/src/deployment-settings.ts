import { TaskSeqError } from "@taskseq/model";
import type { Architecture, ContentObject } from "./content-catalog.js";
import { toInstant, validateRecurrence } from "./schedules.js";
import type { RecurringSchedule, ScheduleTime } from "./schedules.js";

/**
 * Deployment purpose. `debug` (execution.md §11.1) is an available deployment whose runs start in
 * debug mode; it may target only collections of at most {@link MAX_DEBUG_COLLECTION_MEMBERS} members.
 */
export type DeploymentPurpose = "available" | "required" | "debug";

/** Most members a collection may have for a `debug` deployment (execution.md §11.1). */
export const MAX_DEBUG_COLLECTION_MEMBERS = 10;

const PURPOSES: readonly DeploymentPurpose[] = ["available", "required", "debug"];

/** "Make available to the following". */
export type MakeAvailableTo = "clients" | "clients-media-pxe" | "media-pxe" | "media-pxe-hidden";

const AVAILABLE_TO: readonly MakeAvailableTo[] = ["clients", "clients-media-pxe", "media-pxe", "media-pxe-hidden"];

/** An assignment schedule of a required deployment. */
export type AssignmentSchedule =
  | { readonly type: "time"; readonly schedule: RecurringSchedule }
  | { readonly type: "asap" }
  | { readonly type: "logon" }
  | { readonly type: "logoff" };

/** Rerun behaviour. */
export type RerunBehavior = "never" | "always" | "if-failed" | "if-succeeded";

const RERUN: readonly RerunBehavior[] = ["never", "always", "if-failed", "if-succeeded"];

/** Deployment options (Distribution Points page). */
export type DeploymentOption = "download-on-demand" | "download-all-first" | "run-from-dp";

const OPTIONS: readonly DeploymentOption[] = ["download-on-demand", "download-all-first", "run-from-dp"];
const ASSIGNMENT_TYPES: readonly AssignmentSchedule["type"][] = ["time", "asap", "logon", "logoff"];


/** User experience options. */
export interface UserExperience {
  /** Allow the user to run a required deployment independently of assignments (always on for available ones). */
  readonly allowUserRunIndependently?: boolean;
  /** Show task sequence progress (default on). */
  readonly showProgress?: boolean;
  /** Allow software installation outside maintenance windows after the assignment time. */
  readonly softwareInstallationOutsideWindow?: boolean;
  /** Allow a system restart outside maintenance windows after the assignment time. */
  readonly restartOutsideWindow?: boolean;
  /** Commit changes at the deadline on write-filter (Windows Embedded) devices. */
  readonly commitWriteFilter?: boolean;
  /** Allow the task sequence to run for clients on the internet (not for OS deployment with a boot image). */
  readonly allowInternetClients?: boolean;
}

/** Everything the Deploy Software Wizard asks. */
export interface DeploymentSettings {
  /** Package ID of the task sequence. */
  readonly taskSequence: string;
  /** Target device collection ID. */
  readonly collection: string;
  /** Purpose. */
  readonly purpose: DeploymentPurpose;
  /** Make available to; default clients. */
  readonly makeAvailableTo?: MakeAvailableTo;
  /** When the deployment becomes available; default at once. */
  readonly available?: ScheduleTime;
  /** When it expires; default never. */
  readonly expires?: ScheduleTime;
  /** Assignment schedules (required deployments only; at least one). */
  readonly assignments?: readonly AssignmentSchedule[];
  /** Rerun behaviour; default `always` (effective for required deployments). */
  readonly rerun?: RerunBehavior;
  /** User experience. */
  readonly userExperience?: UserExperience;
  /** Deployment option; default `download-on-demand`. */
  readonly deploymentOption?: DeploymentOption;
  /** Use a remote distribution point when no local one has the content. */
  readonly useRemoteDistributionPoint?: boolean;
  /** Use distribution points of the site default boundary group. */
  readonly useDefaultSiteBoundaryGroup?: boolean;
  /** Pre-download content (available deployments to clients only). */
  readonly precache?: boolean;
  /** Send wake-up packets (required only). */
  readonly sendWakeUpPackets?: boolean;
  /** Allow download after the deadline on metered connections (required only). */
  readonly allowMeteredAfterDeadline?: boolean;
  /** Comment. */
  readonly comment?: string;
  /** "Hide collections with a member count greater than the site's minimum size configuration" (default on). */
  readonly hideLargeCollections?: boolean;
  /** The administrator agrees to the high-risk warnings. */
  readonly acknowledgeHighRisk?: boolean;
}

/** Facts about the sequence that constrain a deployment. */
export interface DeploymentFacts {
  /** The sequence has a boot image. */
  readonly hasBootImage: boolean;
  /** Every referenced content object (after resolution). */
  readonly content: readonly ContentObject[];
  /** The target collection and its member count now (checks the size limit of `debug` deployments). */
  readonly collection?: { readonly id: string; readonly name: string; readonly members: number };
}

const invalid = (message: string): never => {
  throw new TaskSeqError("DeploymentInvalid", message);
};

/** `value` when it is one of `allowed`; else `DeploymentInvalid` naming the setting. */
function oneOf<T>(value: T, allowed: readonly T[], what: string): T {
  if (!allowed.includes(value)) invalid(`${what} ${JSON.stringify(value)} is not one of ${allowed.join(", ")}.`);
  return value;
}

/**
 * The deployment options the wizard offers: downloading on demand always; downloading everything
 * first unless the deployment is available to media and PXE; running from the distribution point
 * only when every referenced package uses a package share.
 *
 * @example
 * ```ts
 * offeredDeploymentOptions("clients-media-pxe", content); // ["download-on-demand"] when not all use a share
 * ```
 */
export function offeredDeploymentOptions(makeAvailableTo: MakeAvailableTo, content: readonly ContentObject[]): DeploymentOption[] {
  const options: DeploymentOption[] = ["download-on-demand"];
  if (makeAvailableTo === "clients") options.push("download-all-first");
  if (content.every((c) => c.packageShare === true)) options.push("run-from-dp");
  return options;
}

/** True when a client may run the deployment again after `previous` (rerun behaviour). */
export function mayRun(rerun: RerunBehavior, previous: "success" | "failed" | undefined, userInitiated = false): boolean {
  if (previous === undefined || userInitiated) return true;
  switch (rerun) {
    case "never":
      return false;
    case "always":
      return true;
    case "if-failed":
      return previous === "failed";
    case "if-succeeded":
      return previous === "success";
  }
}

/**
 * The content a pre-cache download brings to a device: OS images, OS upgrade packages and driver
 * packages only when their architecture and language match the device; everything else.
 */
export function precacheContent(content: readonly ContentObject[], device: { readonly architecture?: Architecture; readonly language?: string }): ContentObject[] {
  const specific = new Set(["os-image", "os-upgrade-package", "driver-package"]);
  return content.filter(
    (c) =>
      !specific.has(c.kind) ||
      ((c.architecture === undefined || c.architecture === device.architecture) && (c.language === undefined || c.language.toLowerCase() === (device.language ?? "").toLowerCase())),
  );
}

/**
 * Checks a deployment against the documented rules and returns non-blocking warnings; throws
 * `DeploymentInvalid` with a clear message for an invalid combination.
 */
export function validateDeploymentSettings(s: DeploymentSettings, facts: DeploymentFacts): string[] {
  const warnings: string[] = [];
  const to = oneOf(s.makeAvailableTo ?? "clients", AVAILABLE_TO, "Make available to");
  oneOf(s.purpose, PURPOSES, "Purpose");
  oneOf(s.rerun ?? "always", RERUN, "Rerun behaviour");
  oneOf(s.deploymentOption ?? "download-on-demand", OPTIONS, "Deployment option");
  const required = s.purpose === "required";
  const assignments = s.assignments ?? [];
  if (!Array.isArray(assignments)) invalid("Assignments are a list of assignment schedules.");
  for (const a of assignments) {
    oneOf((a as Partial<AssignmentSchedule> | null)?.type, ASSIGNMENT_TYPES, "Assignment type");
    if (a.type === "time" && (typeof a.schedule !== "object" || a.schedule === null)) invalid("A time assignment needs a schedule ({ at, utc?, recurrence? }).");
  }
  if (required && assignments.length === 0) invalid("A required deployment needs at least one assignment schedule.");
  if (!required && assignments.length > 0) invalid(`${s.purpose === "debug" ? "A debug" : "An available"} deployment has no assignment schedule; make it required or remove the schedules.`);
  const c = facts.collection;
  if (s.purpose === "debug" && c !== undefined && c.members > MAX_DEBUG_COLLECTION_MEMBERS) {
    throw new TaskSeqError(
      "DeploymentInvalid",
      `A debug deployment may target only a collection of at most ${MAX_DEBUG_COLLECTION_MEMBERS} members; ${c.name} (${c.id}) has ${c.members}.`,
      { details: { collection: c.id, members: c.members, limit: MAX_DEBUG_COLLECTION_MEMBERS } },
    );
  }
  if (to !== "clients" && !facts.hasBootImage) invalid("Only Configuration Manager clients can run a task sequence without a boot image; media and PXE need one.");
  const offered = offeredDeploymentOptions(to, facts.content);
  const option = s.deploymentOption ?? "download-on-demand";
  if (!offered.includes(option)) {
    const why =
      option === "download-all-first"
        ? "it is not offered when the deployment is available to media and PXE"
        : "it needs every referenced package to use a package share on the distribution points";
    invalid(`Deployment option ${option} is not available: ${why}. Offered: ${offered.join(", ")}.`);
  }
  if (!required && (s.sendWakeUpPackets === true || s.allowMeteredAfterDeadline === true)) invalid("Wake-up packets and metered downloads after the deadline are settings of required deployments.");
  if (s.precache === true && (required || to !== "clients")) invalid("Pre-download content is for available deployments to Configuration Manager clients only.");
  if (s.userExperience?.allowInternetClients === true && facts.hasBootImage) invalid("Clients on the internet can't run a task sequence that needs a boot image (OS deployment).");
  const bias = 0;
  const availableAt = s.available === undefined ? Number.NEGATIVE_INFINITY : toInstant(s.available, bias);
  const expiresAt = s.expires === undefined ? Number.POSITIVE_INFINITY : toInstant(s.expires, bias);
  if (expiresAt <= availableAt) invalid(`The deployment expires (${s.expires?.at}) before it becomes available (${s.available?.at}).`);
  for (const a of assignments) {
    if (a.type === "time") {
      validateRecurrence(a.schedule.recurrence);
      const first = toInstant(a.schedule, bias);
      if (first >= expiresAt) invalid(`The assignment at ${a.schedule.at} is after the deployment expires (${s.expires?.at}).`);
      if (first < availableAt) warnings.push(`The assignment at ${a.schedule.at} is before the deployment is available; clients download content at the assignment time.`);
      if (a.schedule.recurrence !== undefined && a.schedule.recurrence.type !== "none" && (s.rerun ?? "always") === "never") {
        warnings.push("A recurring assignment with rerun behaviour never runs only once on each client.");
      }
    } else if ((a.type === "logon" || a.type === "logoff") && to !== "clients" && to !== "clients-media-pxe") {
      invalid(`A ${a.type} assignment needs Configuration Manager clients; the deployment is only for media and PXE.`);
    }
  }
  if (to !== "clients" && (s.available !== undefined || s.expires !== undefined || assignments.some((a) => a.type === "time"))) {
    warnings.push("Windows PE clients started from PXE or boot media don't evaluate deployment schedules; use maintenance windows to control them.");
  }
  return warnings;
}
