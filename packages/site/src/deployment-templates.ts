import type { DeploymentSettings } from "./deployment-settings.js";

/** A saved deployment template: the settings a template keeps. */
export type DeploymentTemplate = Omit<DeploymentSettings, "taskSequence" | "available" | "expires" | "assignments" | "precache">;

/**
 * The part of a deployment a template keeps. Like the console, a template does not keep the
 * software installation option, the scheduling (available, expiry, assignments) or pre-download.
 */
export function toTemplate(settings: DeploymentSettings): DeploymentTemplate {
  const { taskSequence: _ts, available: _a, expires: _e, assignments: _s, precache: _p, userExperience, ...kept } = settings;
  if (userExperience === undefined) return kept;
  const { softwareInstallationOutsideWindow: _i, ...experience } = userExperience;
  return { ...kept, userExperience: experience };
}
