import { describe, expect, it } from "vitest";
import { earliestStart, occurrences, taskSequenceWindows, toInstant, validateMaintenanceWindow } from "@taskseq/site";
import type { MaintenanceWindow } from "@taskseq/site";
import { expectCode } from "./helpers.js";

const at = (iso: string): number => Date.parse(`${iso}Z`);
const daily = (name: string, time: string, minutes: number, appliesTo?: MaintenanceWindow["appliesTo"]): MaintenanceWindow => ({
  name,
  schedule: { at: `2026-03-02T${time}`, recurrence: { type: "custom", every: 1, unit: "days" } },
  durationMinutes: minutes,
  ...(appliesTo === undefined ? {} : { appliesTo }),
});
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString().slice(0, 16));

describe("schedules", () => {
  it("weekly, custom, monthly by date and by weekday with an offset", () => {
    const from = at("2026-03-01T00:00");
    const to = at("2026-05-01T00:00");
    expect(occurrences({ at: "2026-03-01T01:00", recurrence: { type: "weekly", everyWeeks: 2, day: 2 } }, from, at("2026-04-01T00:00")).map(iso)).toEqual([
      "2026-03-03T01:00",
      "2026-03-17T01:00",
      "2026-03-31T01:00",
    ]);
    expect(occurrences({ at: "2026-03-01T00:00", recurrence: { type: "custom", every: 8, unit: "hours" } }, from, at("2026-03-02T00:00")).length).toBe(3);
    expect(occurrences({ at: "2026-01-31T03:00", recurrence: { type: "monthly-date", everyMonths: 1, day: 0 } }, from, to).map(iso)).toEqual(["2026-03-31T03:00", "2026-04-30T03:00"]);
    expect(occurrences({ at: "2026-01-01T03:00", recurrence: { type: "monthly-date", everyMonths: 1, day: 31 } }, from, to).map(iso)).toEqual(["2026-03-31T03:00"]);
    // Second Tuesday of March 2026 is the 10th; an offset of two days is Thursday the 12th.
    expect(occurrences({ at: "2026-03-01T22:00", recurrence: { type: "monthly-weekday", everyMonths: 1, week: 2, day: 2, offsetDays: 2 } }, from, to).map(iso)).toEqual([
      "2026-03-12T22:00",
      "2026-04-16T22:00",
    ]);
    expect(occurrences({ at: "2026-03-01T22:00", recurrence: { type: "monthly-weekday", everyMonths: 1, week: "last", day: 5 } }, from, to).map(iso)).toEqual([
      "2026-03-27T22:00",
      "2026-04-24T22:00",
    ]);
  });

  it("reads local times with each device's bias and UTC times as one instant", () => {
    expect(iso(toInstant({ at: "2026-03-02T01:00" }, 300))).toBe("2026-03-02T06:00");
    expect(iso(toInstant({ at: "2026-03-02T01:00", utc: true }, 300))).toBe("2026-03-02T01:00");
    expectCode(() => toInstant({ at: "2026-02-30T01:00" }), "InvalidArgument");
    expectCode(() => toInstant({ at: "tomorrow" }), "InvalidArgument");
    // Date.UTC would roll these over into another date or hour.
    for (const bad of ["2026-13-01T01:00", "2026-00-10T01:00", "2026-03-01T10:60", "2026-03-01T24:00", "2026-03-01T10:00:60"]) expectCode(() => toInstant({ at: bad }), "InvalidArgument");
    expect(iso(toInstant({ at: "2026-12-31T23:59:59", utc: true }))).toBe("2026-12-31T23:59");
    expectCode(() => occurrences({ at: "2026-03-01T00:00", recurrence: { type: "weekly", everyWeeks: 0, day: 1 } }, 0, 1), "InvalidArgument");
    const malformed = [
      { type: "weekly", everyWeeks: 1, day: 7 },
      { type: "monthly-weekday", everyMonths: 1, week: 5, day: 1 },
      { type: "custom", every: 1, unit: "weeks" },
      { type: "yearly" },
    ];
    for (const recurrence of malformed) expectCode(() => occurrences({ at: "2026-03-01T00:00", recurrence } as never, 0, 1), "InvalidArgument");
  });
});

describe("maintenance windows", () => {
  it("overlapping windows are one window: 6:00-7:00 and 6:30-7:30 give 90 minutes", () => {
    const windows = [daily("A", "06:00", 60), daily("B", "06:30", 60)];
    expect(taskSequenceWindows(windows, at("2026-03-02T00:00"), at("2026-03-03T00:00")).map((w) => [iso(w.start), iso(w.end)])).toEqual([["2026-03-02T06:00", "2026-03-02T07:30"]]);
    expect(iso(earliestStart(windows, at("2026-03-02T00:00"), at("2026-03-03T00:00"), 90).start)).toBe("2026-03-02T06:00");
    expect(earliestStart(windows, at("2026-03-02T00:00"), at("2026-03-03T00:00"), 91).start).toBeUndefined();
  });

  it("windows that don't overlap stay independent", () => {
    const windows = [daily("A", "01:00", 60), daily("B", "03:00", 60)];
    const d = earliestStart(windows, at("2026-03-02T00:00"), at("2026-03-09T00:00"), 90);
    expect(d.start).toBeUndefined();
    expect("reason" in d && d.reason).toContain("90 minutes");
  });

  it("windows that only touch stay two windows: a sequence can't span back-to-back windows", () => {
    const windows = [daily("First", "01:00", 60), daily("Second", "02:00", 60)];
    expect(taskSequenceWindows(windows, at("2026-03-02T00:00"), at("2026-03-03T00:00")).map((w) => [iso(w.start), iso(w.end)])).toEqual([
      ["2026-03-02T01:00", "2026-03-02T02:00"],
      ["2026-03-02T02:00", "2026-03-02T03:00"],
    ]);
    expect(earliestStart(windows, at("2026-03-02T00:00"), at("2026-03-09T00:00"), 120).start).toBeUndefined();
    expect(iso(earliestStart(windows, at("2026-03-02T00:00"), at("2026-03-09T00:00"), 60).start)).toBe("2026-03-02T01:00");
  });

  it("a maximum run time longer than every window never starts; 0 starts and may run past the end", () => {
    const windows = [daily("Night", "01:00", 180)];
    expect(earliestStart(windows, at("2026-03-02T00:00"), at("2026-04-01T00:00"), 240).start).toBeUndefined();
    expect(iso(earliestStart(windows, at("2026-03-02T03:59"), at("2026-03-03T00:00"), 0).start)).toBe("2026-03-02T03:59");
    expect(iso(earliestStart(windows, at("2026-03-02T00:00"), at("2026-03-03T00:00"), 120).start)).toBe("2026-03-02T01:00");
  });

  it("without enough time left it waits for the next window with available time", () => {
    const windows = [daily("Night", "01:00", 180)];
    expect(iso(earliestStart(windows, at("2026-03-02T02:30"), at("2026-03-09T00:00"), 120).start)).toBe("2026-03-03T01:00");
    expect(iso(earliestStart(windows, at("2026-03-02T01:30"), at("2026-03-09T00:00"), 120).start)).toBe("2026-03-02T01:30");
  });

  it("task-sequence windows win over general ones; software-update windows never apply", () => {
    const general = daily("General", "01:00", 120);
    const tsOnly = daily("TS", "22:00", 120, "task-sequences");
    const updates = daily("Updates", "12:00", 120, "software-updates");
    expect(iso(earliestStart([general, tsOnly, updates], at("2026-03-02T00:00"), at("2026-03-03T00:00"), 60).start)).toBe("2026-03-02T22:00");
    expect(iso(earliestStart([general, updates], at("2026-03-02T00:00"), at("2026-03-03T00:00"), 60).start)).toBe("2026-03-02T01:00");
    expect(iso(earliestStart([updates], at("2026-03-02T05:00"), at("2026-03-03T00:00"), 60).start)).toBe("2026-03-02T05:00");
    expect(iso(earliestStart([], at("2026-03-02T05:00"), at("2026-03-03T00:00"), 60).start)).toBe("2026-03-02T05:00");
  });

  it("local windows open at each device's local time", () => {
    const windows = [daily("Night", "01:00", 60)];
    expect(iso(earliestStart(windows, at("2026-03-02T00:00"), at("2026-03-03T00:00"), 30, 300).start)).toBe("2026-03-02T06:00");
    const utc: MaintenanceWindow = { ...windows[0]!, schedule: { ...windows[0]!.schedule, utc: true } };
    expect(iso(earliestStart([utc], at("2026-03-02T00:00"), at("2026-03-03T00:00"), 30, 300).start)).toBe("2026-03-02T01:00");
  });

  it("a window lasts 5 minutes to 24 hours", () => {
    expectCode(() => validateMaintenanceWindow(daily("Short", "01:00", 4)), "InvalidArgument");
    expectCode(() => validateMaintenanceWindow(daily("Long", "01:00", 1441)), "InvalidArgument");
    expectCode(() => validateMaintenanceWindow({ name: "No schedule", durationMinutes: 60 } as never), "InvalidArgument");
    expectCode(() => validateMaintenanceWindow({ ...daily("Scope", "01:00", 60), appliesTo: "everything" } as never), "InvalidArgument");
    expect(validateMaintenanceWindow(daily("Ok", "01:00", 1440)).durationMinutes).toBe(1440);
  });

  it("lists occurrences only between finite instants (a recurring schedule never ends)", () => {
    const schedule = daily("Night", "01:00", 60).schedule;
    expectCode(() => occurrences(schedule, at("2026-03-02T00:00"), Number.POSITIVE_INFINITY), "InvalidArgument");
    expectCode(() => occurrences(schedule, Number.NaN, at("2026-03-03T00:00")), "InvalidArgument");
    expectCode(() => occurrences(schedule, at("2026-03-02T00:00"), at("2026-03-03T00:00"), Number.NaN), "InvalidArgument");
    expectCode(() => earliestStart([daily("Night", "01:00", 60)], at("2026-03-02T00:00"), Number.POSITIVE_INFINITY, 30), "InvalidArgument");
    expectCode(() => earliestStart([], Number.NaN, Number.POSITIVE_INFINITY, 120), "InvalidArgument"); // no window: the instants are still checked
    expect(occurrences(schedule, at("2026-03-02T00:00"), at("2026-03-04T00:00")).map(iso)).toEqual(["2026-03-02T01:00", "2026-03-03T01:00"]);
  });
});
