import { TaskSeqError } from "@taskseq/model";

/** Day of the week (0 = Sunday). */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** How a schedule repeats. */
export type Recurrence =
  | { readonly type: "none" }
  | { readonly type: "custom"; readonly every: number; readonly unit: "minutes" | "hours" | "days" }
  | { readonly type: "weekly"; readonly everyWeeks: number; readonly day: Weekday }
  | { readonly type: "monthly-date"; readonly everyMonths: number; readonly day: number }
  | { readonly type: "monthly-weekday"; readonly everyMonths: number; readonly week: 1 | 2 | 3 | 4 | "last"; readonly day: Weekday; readonly offsetDays?: number };

/** A point in time: ISO date-time without zone (`2026-03-01T02:00`), read as UTC or as each device's local time. */
export interface ScheduleTime {
  /** Wall-clock date and time, `YYYY-MM-DDTHH:mm[:ss]`. */
  readonly at: string;
  /** `true`: the same instant everywhere; `false` (default): each device's local time. */
  readonly utc?: boolean;
}

/** A start time with a recurrence. */
export interface RecurringSchedule extends ScheduleTime {
  /** Recurrence; default none. */
  readonly recurrence?: Recurrence;
}

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

/** Parses a wall time; `InvalidArgument` when it is not `YYYY-MM-DDTHH:mm[:ss]`. */
export function parseWallTime(at: string): number {
  const m = typeof at !== "string" ? null : /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(at);
  const ms = m === null ? Number.NaN : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  // Date.UTC rolls over (month 13, 10:60): the instant must have exactly the fields written.
  const d = new Date(ms);
  const exact = m !== null && [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].every((v, i) => v === Number(m[i + 1] ?? 0));
  if (typeof at !== "string" || Number.isNaN(ms) || !exact) {
    throw new TaskSeqError("InvalidArgument", `"${at}" is not a date and time of the form YYYY-MM-DDTHH:mm.`);
  }
  return ms;
}

/**
 * The instant (ms since the epoch, UTC) of a schedule time on a device whose clock is `bias`
 * minutes behind UTC (Windows bias: UTC = local + bias).
 */
export function toInstant(time: ScheduleTime, bias = 0): number {
  if (typeof time !== "object" || time === null) throw new TaskSeqError("InvalidArgument", "A schedule time is an object { at, utc? }.");
  return parseWallTime(time.at) + (time.utc === true ? 0 : bias * MINUTE);
}

/** Checks a recurrence; throws `InvalidArgument`. */
export function validateRecurrence(r: Recurrence | undefined): void {
  if (r === undefined || r.type === "none") return;
  const weekday = (day: unknown): void => {
    if (!Number.isInteger(day) || (day as number) < 0 || (day as number) > 6) throw new TaskSeqError("InvalidArgument", `The day of the week must be 0 (Sunday) to 6 (Saturday), got ${String(day)}.`);
  };
  const whole = (n: number, min: number, max: number, what: string): void => {
    if (!Number.isInteger(n) || n < min || n > max) throw new TaskSeqError("InvalidArgument", `${what} must be ${min}-${max}, got ${n}.`);
  };
  switch (r.type) {
    case "custom":
      if (!["minutes", "hours", "days"].includes(r.unit)) throw new TaskSeqError("InvalidArgument", `The unit of a custom recurrence must be minutes, hours or days, got ${String(r.unit)}.`);
      whole(r.every, 1, r.unit === "minutes" ? 59 : r.unit === "hours" ? 23 : 31, `Every ${r.unit}`);
      break;
    case "weekly":
      whole(r.everyWeeks, 1, 4, "Every weeks");
      weekday(r.day);
      break;
    case "monthly-date":
      whole(r.everyMonths, 1, 12, "Every months");
      whole(r.day, 0, 31, "Day of the month (0 = last day)");
      break;
    case "monthly-weekday":
      whole(r.everyMonths, 1, 12, "Every months");
      if (![1, 2, 3, 4, "last"].includes(r.week)) throw new TaskSeqError("InvalidArgument", `The week of the month must be 1-4 or "last", got ${String(r.week)}.`);
      weekday(r.day);
      whole(r.offsetDays ?? 0, 0, 7, "Offset days");
      break;
    default:
      throw new TaskSeqError("InvalidArgument", `Recurrence type ${JSON.stringify((r as { type?: unknown }).type)} is not one of none, custom, weekly, monthly-date, monthly-weekday.`);
  }
}

/**
 * Occurrences of a schedule (instants, ascending) that start in `[from, to)` on a device with
 * the given bias. `from`, `to` and `bias` must be finite (`InvalidArgument`): a recurring
 * schedule has no last occurrence.
 *
 * @example
 * ```ts
 * occurrences({ at: "2026-01-05T01:00", recurrence: { type: "weekly", everyWeeks: 1, day: 1 } }, from, to);
 * ```
 */
export function occurrences(schedule: RecurringSchedule, from: number, to: number, bias = 0): number[] {
  if (![from, to, bias].every(Number.isFinite)) throw new TaskSeqError("InvalidArgument", `Occurrences are listed between two finite instants for a finite bias, got ${from} to ${to} with bias ${bias}.`);
  validateRecurrence(schedule.recurrence);
  const shift = toInstant(schedule, bias) - parseWallTime(schedule.at);
  const start = parseWallTime(schedule.at);
  const out: number[] = [];
  const push = (wall: number): boolean => {
    const t = wall + shift;
    if (t >= to) return false;
    if (t >= from && wall >= start) out.push(t);
    return true;
  };
  const r = schedule.recurrence ?? { type: "none" };
  if (r.type === "none") {
    push(start);
    return out;
  }
  if (r.type === "custom" || r.type === "weekly") {
    const step = r.type === "custom" ? r.every * (r.unit === "minutes" ? MINUTE : r.unit === "hours" ? 60 * MINUTE : DAY) : r.everyWeeks * 7 * DAY;
    let first = start;
    if (r.type === "weekly") first += ((r.day - new Date(start).getUTCDay() + 7) % 7) * DAY;
    const skip = Math.max(0, Math.floor((from - shift - first) / step));
    for (let wall = first + skip * step; push(wall); wall += step);
    return out;
  }
  const s = new Date(start);
  const timeOfDay = start - Date.UTC(s.getUTCFullYear(), s.getUTCMonth(), s.getUTCDate());
  for (let month = s.getUTCFullYear() * 12 + s.getUTCMonth(); ; month += r.everyMonths) {
    const y = Math.floor(month / 12);
    const m = month % 12;
    const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
    let date: number | undefined;
    if (r.type === "monthly-date") date = r.day === 0 ? last : r.day <= last ? r.day : undefined;
    else {
      const firstDay = new Date(Date.UTC(y, m, 1)).getUTCDay();
      const firstMatch = 1 + ((r.day - firstDay + 7) % 7);
      const base = r.week === "last" ? firstMatch + 7 * Math.floor((last - firstMatch) / 7) : firstMatch + 7 * (r.week - 1);
      const withOffset = base + (r.offsetDays ?? 0);
      // An offset past the month's end moves to the last day; landing on the last day skips the month (documented known issue).
      date = withOffset > last ? last : withOffset === last && (r.offsetDays ?? 0) > 0 ? undefined : withOffset;
    }
    const wall = Date.UTC(y, m, 1) + timeOfDay;
    if (wall + shift >= to) return out;
    if (date !== undefined && !push(Date.UTC(y, m, date) + timeOfDay)) return out;
  }
}
