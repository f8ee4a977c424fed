/**
 * Windows time zones for `_SMSTSTimezone`: TIME_ZONE_INFORMATION from the CLDR Windows → IANA
 * mapping and the runtime's Intl data, checked against documented values:
 * - Eastern: the example of spec/builtin-variables.md §1 (and Microsoft's TIME_ZONE_INFORMATION
 *   page: UTC = local time + bias, wDay 1–5 with 5 = last, wYear 0 = every year);
 * - AUS Eastern (Sydney): first Sunday in April 3:00 / first Sunday in October 2:00, DaylightBias -60;
 * - GMT Standard Time: last Sunday in October 2:00 / last Sunday in March 1:00 (wDay 5);
 * - Tokyo and UTC: no daylight saving time (wMonth 0).
 */
import { describe, expect, it } from "vitest";
import { formatTimeZoneInformation, ianaToWindowsZone, windowsTimeZoneInformation, windowsZoneToIana } from "@taskseq/device";

const variable = (zone: string, year = 2025): string | undefined => {
  const tzi = windowsTimeZoneInformation(zone, year);
  return tzi === undefined ? undefined : formatTimeZoneInformation(tzi);
};

describe("windowsTimeZoneInformation", () => {
  it("writes Eastern Standard Time exactly as the spec's example, every year", () => {
    for (const year of [2024, 2025, 2026]) {
      expect(variable("Eastern Standard Time", year)).toBe("300,0,-60,0,11,0,1,2,0,0,0,0,3,0,2,2,0,0,0,Eastern Standard Time,Eastern Daylight Time");
    }
  });

  it("gives the southern hemisphere's rules (AUS Eastern: daylight time from October to April)", () => {
    const tzi = windowsTimeZoneInformation("AUS Eastern Standard Time", 2025);
    expect(tzi).toEqual({
      bias: -600,
      standardName: "AUS Eastern Standard Time",
      standardDate: { year: 0, month: 4, dayOfWeek: 0, day: 1, hour: 3, minute: 0, second: 0, milliseconds: 0 },
      standardBias: 0,
      daylightName: "AUS Eastern Daylight Time",
      daylightDate: { year: 0, month: 10, dayOfWeek: 0, day: 1, hour: 2, minute: 0, second: 0, milliseconds: 0 },
      daylightBias: -60,
    });
  });

  it("writes a last-weekday rule as wDay 5 (GMT Standard Time)", () => {
    expect(variable("GMT Standard Time", 2024)).toBe("0,0,-60,0,10,0,5,2,0,0,0,0,3,0,5,1,0,0,0,GMT Standard Time,GMT Daylight Time");
    expect(variable("GMT Standard Time", 2025)).toBe("0,0,-60,0,10,0,5,2,0,0,0,0,3,0,5,1,0,0,0,GMT Standard Time,GMT Daylight Time");
  });

  it("zeroes both dates and the extra biases of a zone without daylight saving time", () => {
    expect(variable("Tokyo Standard Time")).toBe("-540,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,Tokyo Standard Time,Tokyo Daylight Time");
    expect(variable("UTC")).toBe("0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,Coordinated Universal Time,Coordinated Universal Time");
    expect(variable("India Standard Time")).toBe("-330,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,India Standard Time,India Daylight Time");
  });

  it("uses the registry's Std / Dlt names and accepts the key or the Std name, in any case", () => {
    const moscow = windowsTimeZoneInformation("Russian Standard Time", 2025);
    expect(moscow).toMatchObject({ bias: -180, standardName: "Russia TZ 2 Standard Time", daylightName: "Russia TZ 2 Daylight Time" });
    expect(windowsTimeZoneInformation(" russia tz 2 standard time ", 2025)).toEqual(moscow);
    expect(windowsTimeZoneInformation("UTC-11", 2025)).toMatchObject({ bias: 660, standardName: "UTC-11", daylightName: "UTC-11" });
    expect(windowsZoneToIana("Pacific Standard Time")).toBe("America/Los_Angeles");
  });

  it("returns undefined for a name that is not a Windows time zone", () => {
    expect(windowsTimeZoneInformation("Mars Standard Time", 2025)).toBeUndefined();
    expect(windowsTimeZoneInformation("America/New_York", 2025)).toBeUndefined();
    expect(windowsTimeZoneInformation("", 2025)).toBeUndefined();
    expect(windowsTimeZoneInformation(42 as unknown as string, 2025)).toBeUndefined();
    expect(windowsZoneToIana("Mars Standard Time")).toBeUndefined();
  });

  it("refuses a year outside SYSTEMTIME's range with InvalidArgument", () => {
    for (const year of [1600, 30828, 2025.5, Number.NaN]) {
      expect(() => windowsTimeZoneInformation("UTC", year)).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
    }
  });
});

describe("ianaToWindowsZone", () => {
  it("maps a zone of CLDR's table to its Windows zone, and UTC's names to UTC", () => {
    expect(ianaToWindowsZone("America/New_York", 2026)).toBe("Eastern Standard Time");
    expect(ianaToWindowsZone("Asia/Kolkata", 2026)).toBe("India Standard Time");
    expect(ianaToWindowsZone("Australia/Sydney", 2026)).toBe("AUS Eastern Standard Time");
    for (const utc of ["UTC", "Etc/UTC", "GMT", "etc/gmt"]) expect(ianaToWindowsZone(utc, 2026)).toBe("UTC");
  });

  it("maps another zone to the first Windows zone with the same rules that year", () => {
    const oslo = ianaToWindowsZone("Europe/Oslo", 2026);
    expect(oslo).toBeDefined();
    const rules = (zone: string): string => (formatTimeZoneInformation(windowsTimeZoneInformation(zone, 2026)!).split(",").slice(0, 19).join(","));
    expect(rules(oslo!)).toBe(rules("W. Europe Standard Time"));
    expect(ianaToWindowsZone("America/Detroit", 2026)).toBe("Eastern Standard Time");
  });

  it("returns undefined for a zone the runtime does not know", () => {
    expect(ianaToWindowsZone("Mars/Olympus_Mons", 2026)).toBeUndefined();
    expect(ianaToWindowsZone("", 2026)).toBeUndefined();
    // A year SYSTEMTIME cannot hold is refused as by windowsTimeZoneInformation, whichever way the zone is found.
    for (const zone of ["America/New_York", "Europe/Oslo"]) expect(() => ianaToWindowsZone(zone, Number.NaN)).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
  });
});
