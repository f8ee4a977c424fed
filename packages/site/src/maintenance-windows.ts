import { TaskSeqError } from "@taskseq/model";
import { occurrences, validateRecurrence } from "./schedules.js";
import type { RecurringSchedule } from "./schedules.js";

/** What a maintenance window applies to. */
export type MaintenanceWindowScope = "all-deployments" | "software-updates" | "task-sequences";

const SCOPES: readonly MaintenanceWindowScope[] = ["all-deployments", "software-updates", "task-sequences"];

/** A maintenance window of a device collection. */
export interface MaintenanceWindow {
  /** Name. */
  readonly name: string;
  /** Effective date and start time, with the recurrence (default: none). */
  readonly schedule: RecurringSchedule;
  /** Duration: 5 minutes to 24 hours. */
  readonly durationMinutes: number;
  /** "Apply this schedule to" (default all deployments). */
  readonly appliesTo?: MaintenanceWindowScope;
}

/** A time interval `[start, end)` in ms. */
export interface TimeInterval {
  /** Start (inclusive). */
  readonly start: number;
  /** End (exclusive). */
  readonly end: number;
}

/** Checks a window: duration 5-1440 minutes, a valid schedule; throws `InvalidArgument`. */
export function validateMaintenanceWindow(window: MaintenanceWindow): MaintenanceWindow {
  if (typeof window.name !== "string" || typeof window.schedule !== "object" || window.schedule === null) {
    throw new TaskSeqError("InvalidArgument", "A maintenance window needs a name and a schedule ({ at, recurrence? }).");
  }
  if (window.appliesTo !== undefined && !SCOPES.includes(window.appliesTo)) {
    throw new TaskSeqError("InvalidArgument", `Maintenance window "${window.name}" applies to ${JSON.stringify(window.appliesTo)}, not one of ${SCOPES.join(", ")}.`);
  }
  if (!Number.isInteger(window.durationMinutes) || window.durationMinutes < 5 || window.durationMinutes > 1440) {
    throw new TaskSeqError("InvalidArgument", `Maintenance window "${window.name}" lasts ${window.durationMinutes} minutes; a window lasts 5 minutes to 24 hours.`);
  }
  validateRecurrence(window.schedule.recurrence);
  occurrences(window.schedule, 0, 0);
  return window;
}

/**
 * The windows in which task sequences may run, merged: task-sequence windows when the device has
 * any, else all-deployments windows (software-update windows never apply). Overlapping windows
 * become one window; windows that only touch (one ends as the next begins) stay two windows, as
 * windows that don't overlap do.
 */
export function taskSequenceWindows(windows: readonly MaintenanceWindow[], from: number, to: number, bias = 0): TimeInterval[] {
  const tsOnly = windows.filter((w) => w.appliesTo === "task-sequences");
  const usable = tsOnly.length > 0 ? tsOnly : windows.filter((w) => (w.appliesTo ?? "all-deployments") === "all-deployments");
  const intervals = usable
    .flatMap((w) => occurrences(w.schedule, from - w.durationMinutes * 60_000, to, bias).map((start) => ({ start, end: start + w.durationMinutes * 60_000 })))
    .sort((a, b) => a.start - b.start);
  const merged: TimeInterval[] = [];
  for (const i of intervals) {
    const last = merged[merged.length - 1];
    if (last !== undefined && i.start < last.end) merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, i.end) };
    else merged.push(i);
  }
  return merged.filter((i) => i.end > from);
}

/** When a deployment may start (see {@link earliestStart}). */
export type StartDecision =
  | { readonly start: number; readonly window?: TimeInterval }
  | { readonly start?: undefined; readonly reason: string };

/**
 * The earliest instant at or after `at` (and before `until`) at which a task sequence with the
 * maximum run time may start on a device with these maintenance windows (`at`, `until` and
 * `bias` finite, else `InvalidArgument`). With no usable window
 * it starts at once. It starts inside a window only when the time left in the window is at
 * least the maximum run time; `0` (no limit) fits any window. Once started it runs past the end.
 *
 * @example
 * ```ts
 * const d = earliestStart(windows, Date.parse("2026-01-05T00:00Z"), Date.parse("2026-02-01T00:00Z"), 120);
 * if (d.start === undefined) console.log(d.reason);
 * ```
 */
export function earliestStart(windows: readonly MaintenanceWindow[], at: number, until: number, maxRunTimeMinutes: number, bias = 0): StartDecision {
  if (![at, until, bias].every(Number.isFinite)) throw new TaskSeqError("InvalidArgument", `A start is looked for between two finite instants for a finite bias, got ${at} to ${until} with bias ${bias}.`);
  const relevant = windows.filter((w) => w.appliesTo !== "software-updates");
  if (relevant.length === 0) return { start: at };
  const need = maxRunTimeMinutes * 60_000;
  for (const window of taskSequenceWindows(relevant, at, until, bias)) {
    const start = Math.max(at, window.start);
    if (maxRunTimeMinutes === 0 ? start < window.end : window.end - start >= need) return { start, window };
  }
  return { reason: `No maintenance window before ${new Date(until).toISOString()} has ${maxRunTimeMinutes} minutes left (the maximum allowed run time); the task sequence does not start.` };
}
