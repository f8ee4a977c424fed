import type { DeviceDirectory } from "./collections.js";
import type { DeploymentSettings } from "./deployment-settings.js";
import { earliestStart } from "./maintenance-windows.js";
import { toInstant } from "./schedules.js";

const YEAR = 366 * 1440 * 60_000;

/**
 * True when maintenance windows decide when a deployment starts: a required deployment without
 * "software installation outside maintenance windows". Users start available and debug
 * deployments themselves, at once, whatever the windows.
 */
export function maintenanceWindowsApply(settings: Pick<DeploymentSettings, "purpose" | "userExperience">): boolean {
  return settings.purpose === "required" && settings.userExperience?.softwareInstallationOutsideWindow !== true;
}

/**
 * The devices on which the deployment never starts because no maintenance window that applies to
 * them is long enough for `maxRunTimeMinutes` (none when windows don't apply to the deployment, see
 * {@link maintenanceWindowsApply}, or for `0`, no limit, which starts in any window). A device's
 * windows come from all its collections and follow the rules of {@link earliestStart} (window type,
 * overlapping windows joined). **Decision:** the site has no clock, so the windows are judged from the deployment's
 * availability (default: the earliest effective date of the device's windows) to its expiry, at
 * most one year after the later of that start and the newest effective date: every recurrence
 * (at most every 12 months) opens at least once in that span.
 */
export function devicesNeverStarting(directory: DeviceDirectory, settings: DeploymentSettings, deviceIds: readonly string[], maxRunTimeMinutes: number): string[] {
  if (maxRunTimeMinutes === 0 || !maintenanceWindowsApply(settings)) return [];
  const verdicts = new Map<string, boolean>();
  return deviceIds.filter((id) => {
    const windows = directory.maintenanceWindowsFor(id);
    if (windows.length === 0) return false;
    const bias = directory.device(id).timeZoneBias ?? 0;
    const key = `${bias}|${JSON.stringify(windows)}`;
    let never = verdicts.get(key);
    if (never === undefined) {
      const effective = windows.map((w) => toInstant(w.schedule, bias));
      const from = settings.available === undefined ? Math.min(...effective) : toInstant(settings.available, bias);
      const to = Math.min(settings.expires === undefined ? Number.POSITIVE_INFINITY : toInstant(settings.expires, bias), Math.max(from, ...effective) + YEAR);
      never = earliestStart(windows, from, to, maxRunTimeMinutes, bias).start === undefined;
      verdicts.set(key, never);
    }
    return never;
  });
}
