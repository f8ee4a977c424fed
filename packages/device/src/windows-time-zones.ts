/**
 * Windows time zones: the `TIME_ZONE_INFORMATION` of a Windows time zone name, for
 * `_SMSTSTimezone` (builtin-variables.md §1).
 *
 * The rules are not hand-written: a compact table maps each Windows zone to its IANA zone (the
 * CLDR `windowsZones.xml` "001" entries), and the runtime's `Intl` time-zone data gives the
 * year's offsets and transitions, which are then written as Windows' recurring SYSTEMTIME rules.
 * Portable: `Intl` only, no `node:` imports.
 */
import { TaskSeqError } from "@taskseq/model";

/** A Windows `SYSTEMTIME` as `TIME_ZONE_INFORMATION` uses it (all zero: no transition). */
export interface WindowsSystemTime {
  /** `wYear`: `0` = the rule recurs every year. */
  readonly year: number;
  /** `wMonth`: 1–12; `0` = the zone has no daylight saving time. */
  readonly month: number;
  /** `wDayOfWeek`: 0 (Sunday) – 6 (Saturday). */
  readonly dayOfWeek: number;
  /** `wDay`: the occurrence of the weekday in the month, 1–5 (5 = the last one). */
  readonly day: number;
  /** `wHour`: local time of the transition (in the time that ends there). */
  readonly hour: number;
  /** `wMinute`. */
  readonly minute: number;
  /** `wSecond`. */
  readonly second: number;
  /** `wMilliseconds`. */
  readonly milliseconds: number;
}

/** A Windows `TIME_ZONE_INFORMATION`: biases in minutes, UTC = local time + bias. */
export interface WindowsTimeZoneInformation {
  /** `Bias`: minutes, UTC = local standard time + bias (Eastern: `300`). */
  readonly bias: number;
  /** `StandardName`: the zone's `Std` registry name (`Russia TZ 2 Standard Time` for the key `Russian Standard Time`). */
  readonly standardName: string;
  /** `StandardDate`: when daylight time ends (local daylight time). */
  readonly standardDate: WindowsSystemTime;
  /** `StandardBias`: added to `bias` in standard time (always `0` here). */
  readonly standardBias: number;
  /** `DaylightName`: the zone's `Dlt` registry name. */
  readonly daylightName: string;
  /** `DaylightDate`: when daylight time starts (local standard time). */
  readonly daylightDate: WindowsSystemTime;
  /** `DaylightBias`: added to `bias` in daylight time (`-60` for a one-hour shift, `0` without daylight time). */
  readonly daylightBias: number;
}

/**
 * Windows zone key → IANA zone (CLDR windowsZones "001"), then where the registry's `Std` name
 * differs from the key, `|Std`, and where `Dlt` is not `Std` with "Standard" read "Daylight", `|Dlt`.
 */
const ZONES = `Dateline Standard Time|Etc/GMT+12
UTC-11|Etc/GMT+11|UTC-11|UTC-11
Aleutian Standard Time|America/Adak
Hawaiian Standard Time|Pacific/Honolulu
Marquesas Standard Time|Pacific/Marquesas
Alaskan Standard Time|America/Anchorage
UTC-09|Etc/GMT+9|UTC-09|UTC-09
Pacific Standard Time (Mexico)|America/Tijuana
UTC-08|Etc/GMT+8|UTC-08|UTC-08
Pacific Standard Time|America/Los_Angeles
US Mountain Standard Time|America/Phoenix
Mountain Standard Time (Mexico)|America/Mazatlan
Mountain Standard Time|America/Denver
Yukon Standard Time|America/Whitehorse
Central America Standard Time|America/Guatemala
Central Standard Time|America/Chicago
Easter Island Standard Time|Pacific/Easter
Central Standard Time (Mexico)|America/Mexico_City
Canada Central Standard Time|America/Regina
SA Pacific Standard Time|America/Bogota
Eastern Standard Time (Mexico)|America/Cancun
Eastern Standard Time|America/New_York
Haiti Standard Time|America/Port-au-Prince
Cuba Standard Time|America/Havana
US Eastern Standard Time|America/Indianapolis
Turks And Caicos Standard Time|America/Grand_Turk|Turks and Caicos Standard Time
Paraguay Standard Time|America/Asuncion
Atlantic Standard Time|America/Halifax
Venezuela Standard Time|America/Caracas
Central Brazilian Standard Time|America/Cuiaba
SA Western Standard Time|America/La_Paz
Pacific SA Standard Time|America/Santiago
Newfoundland Standard Time|America/St_Johns
Tocantins Standard Time|America/Araguaina
E. South America Standard Time|America/Sao_Paulo
SA Eastern Standard Time|America/Cayenne
Argentina Standard Time|America/Buenos_Aires
Greenland Standard Time|America/Godthab
Montevideo Standard Time|America/Montevideo
Magallanes Standard Time|America/Punta_Arenas
Saint Pierre Standard Time|America/Miquelon
Bahia Standard Time|America/Bahia
UTC-02|Etc/GMT+2|UTC-02|UTC-02
Azores Standard Time|Atlantic/Azores
Cape Verde Standard Time|Atlantic/Cape_Verde|Cabo Verde Standard Time
UTC|Etc/UTC|Coordinated Universal Time|Coordinated Universal Time
GMT Standard Time|Europe/London
Greenwich Standard Time|Atlantic/Reykjavik
Sao Tome Standard Time|Africa/Sao_Tome
Morocco Standard Time|Africa/Casablanca
W. Europe Standard Time|Europe/Berlin
Central Europe Standard Time|Europe/Budapest
Romance Standard Time|Europe/Paris
Central European Standard Time|Europe/Warsaw
W. Central Africa Standard Time|Africa/Lagos
Jordan Standard Time|Asia/Amman
GTB Standard Time|Europe/Bucharest
Middle East Standard Time|Asia/Beirut
Egypt Standard Time|Africa/Cairo
E. Europe Standard Time|Europe/Chisinau
Syria Standard Time|Asia/Damascus
West Bank Standard Time|Asia/Hebron|West Bank Gaza Standard Time
South Africa Standard Time|Africa/Johannesburg
FLE Standard Time|Europe/Kiev
Israel Standard Time|Asia/Jerusalem|Jerusalem Standard Time
South Sudan Standard Time|Africa/Juba
Kaliningrad Standard Time|Europe/Kaliningrad|Russia TZ 1 Standard Time
Sudan Standard Time|Africa/Khartoum
Libya Standard Time|Africa/Tripoli
Namibia Standard Time|Africa/Windhoek
Arabic Standard Time|Asia/Baghdad
Turkey Standard Time|Europe/Istanbul
Arab Standard Time|Asia/Riyadh
Belarus Standard Time|Europe/Minsk
Russian Standard Time|Europe/Moscow|Russia TZ 2 Standard Time
E. Africa Standard Time|Africa/Nairobi
Iran Standard Time|Asia/Tehran
Arabian Standard Time|Asia/Dubai
Astrakhan Standard Time|Europe/Astrakhan
Azerbaijan Standard Time|Asia/Baku
Russia Time Zone 3|Europe/Samara|Russia TZ 3 Standard Time
Mauritius Standard Time|Indian/Mauritius
Saratov Standard Time|Europe/Saratov
Georgian Standard Time|Asia/Tbilisi
Volgograd Standard Time|Europe/Volgograd
Caucasus Standard Time|Asia/Yerevan
Afghanistan Standard Time|Asia/Kabul
West Asia Standard Time|Asia/Tashkent
Ekaterinburg Standard Time|Asia/Yekaterinburg|Russia TZ 4 Standard Time
Pakistan Standard Time|Asia/Karachi
Qyzylorda Standard Time|Asia/Qyzylorda
India Standard Time|Asia/Calcutta
Sri Lanka Standard Time|Asia/Colombo
Nepal Standard Time|Asia/Katmandu
Central Asia Standard Time|Asia/Bishkek
Bangladesh Standard Time|Asia/Dhaka
Omsk Standard Time|Asia/Omsk
Myanmar Standard Time|Asia/Rangoon
SE Asia Standard Time|Asia/Bangkok
Altai Standard Time|Asia/Barnaul
W. Mongolia Standard Time|Asia/Hovd
North Asia Standard Time|Asia/Krasnoyarsk|Russia TZ 6 Standard Time
N. Central Asia Standard Time|Asia/Novosibirsk|Novosibirsk Standard Time
Tomsk Standard Time|Asia/Tomsk
China Standard Time|Asia/Shanghai
North Asia East Standard Time|Asia/Irkutsk|Russia TZ 7 Standard Time
Singapore Standard Time|Asia/Singapore|Malay Peninsula Standard Time
W. Australia Standard Time|Australia/Perth
Taipei Standard Time|Asia/Taipei
Ulaanbaatar Standard Time|Asia/Ulaanbaatar
Aus Central W. Standard Time|Australia/Eucla
Transbaikal Standard Time|Asia/Chita
Tokyo Standard Time|Asia/Tokyo
North Korea Standard Time|Asia/Pyongyang
Korea Standard Time|Asia/Seoul
Yakutsk Standard Time|Asia/Yakutsk|Russia TZ 8 Standard Time
Cen. Australia Standard Time|Australia/Adelaide
AUS Central Standard Time|Australia/Darwin
E. Australia Standard Time|Australia/Brisbane
AUS Eastern Standard Time|Australia/Sydney
West Pacific Standard Time|Pacific/Port_Moresby
Tasmania Standard Time|Australia/Hobart
Vladivostok Standard Time|Asia/Vladivostok|Russia TZ 9 Standard Time
Lord Howe Standard Time|Australia/Lord_Howe
Bougainville Standard Time|Pacific/Bougainville
Russia Time Zone 10|Asia/Srednekolymsk|Russia TZ 10 Standard Time
Magadan Standard Time|Asia/Magadan
Norfolk Standard Time|Pacific/Norfolk
Sakhalin Standard Time|Asia/Sakhalin
Central Pacific Standard Time|Pacific/Guadalcanal
Russia Time Zone 11|Asia/Kamchatka|Russia TZ 11 Standard Time
New Zealand Standard Time|Pacific/Auckland
UTC+12|Etc/GMT-12|UTC+12|UTC+12
Fiji Standard Time|Pacific/Fiji
Chatham Islands Standard Time|Pacific/Chatham
UTC+13|Etc/GMT-13|UTC+13|UTC+13
Tonga Standard Time|Pacific/Tongatapu
Samoa Standard Time|Pacific/Apia
Line Islands Standard Time|Pacific/Kiritimati`;

interface ZoneEntry {
  readonly iana: string;
  readonly standardName: string;
  readonly daylightName: string;
}

let zoneIndex: Map<string, ZoneEntry> | undefined;

/** The table by upper-cased key and `Std` name (built on first use). */
function zones(): Map<string, ZoneEntry> {
  if (zoneIndex !== undefined) return zoneIndex;
  const index = new Map<string, ZoneEntry>();
  for (const line of ZONES.split("\n")) {
    const [key = "", iana = "", std, dlt] = line.split("|");
    const standardName = std ?? key;
    const entry: ZoneEntry = { iana, standardName, daylightName: dlt ?? standardName.replace("Standard", "Daylight") };
    index.set(key.toUpperCase(), entry);
    index.set(standardName.toUpperCase(), entry);
  }
  zoneIndex = index;
  return index;
}

/**
 * The IANA zone of a Windows time zone (its registry key, e.g. `Pacific Standard Time`, or its
 * `Std` name, e.g. `Russia TZ 2 Standard Time`; case-insensitive), or `undefined` when unknown.
 *
 * @example
 * ```ts
 * windowsZoneToIana("AUS Eastern Standard Time"); // "Australia/Sydney"
 * windowsZoneToIana("Mars Standard Time");        // undefined
 * ```
 */
export function windowsZoneToIana(windowsName: string): string | undefined {
  return typeof windowsName === "string" ? zones().get(windowsName.trim().toUpperCase())?.iana : undefined;
}

/** A year SYSTEMTIME can hold (1601–30827), else `InvalidArgument`. */
function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 1601 || year > 30827) {
    throw new TaskSeqError("InvalidArgument", `The year of a time zone rule must be a whole number from 1601 to 30827, not ${String(year)}.`);
  }
}

let ianaKeys: Map<string, string> | undefined;

/** The table's Windows keys by lower-cased IANA zone, the first key of each zone (table order). */
function keysByIana(): Map<string, string> {
  if (ianaKeys !== undefined) return ianaKeys;
  const index = new Map<string, string>();
  for (const line of ZONES.split("\n")) {
    const [key = "", iana = ""] = line.split("|");
    if (!index.has(iana.toLowerCase())) index.set(iana.toLowerCase(), key);
  }
  ianaKeys = index;
  return index;
}

const sameTime = (a: WindowsSystemTime, b: WindowsSystemTime): boolean =>
  a.year === b.year && a.month === b.month && a.dayOfWeek === b.dayOfWeek && a.day === b.day && a.hour === b.hour && a.minute === b.minute && a.second === b.second;

/** Windows zones by `iana|year` (the rules search computes every zone once). */
const mapped = new Map<string, string | null>();

/**
 * The Windows time zone (registry key) of an IANA zone, as `OsFacts.timeZone` holds it: the zone
 * CLDR's table maps to it (`America/New_York` → `Eastern Standard Time`); else, **decision**, the
 * first zone in the table whose rules in `year` are the same (bias, daylight bias and both
 * transition rules: `Europe/Oslo` gets a Central European zone); `undefined` for a zone the runtime
 * does not know or that no Windows zone matches.
 *
 * @example
 * ```ts
 * ianaToWindowsZone("Asia/Kolkata", 2026); // "India Standard Time"
 * ianaToWindowsZone("UTC", 2026);          // "UTC"
 * ```
 */
export function ianaToWindowsZone(iana: string, year: number): string | undefined {
  checkYear(year);
  if (typeof iana !== "string" || iana.trim() === "") return undefined;
  const exact = keysByIana().get(iana.trim().toLowerCase()) ?? (/^(etc\/)?(utc|gmt|uct|zulu)$/i.test(iana.trim()) ? "UTC" : undefined);
  if (exact !== undefined) return exact;
  const cacheKey = `${iana.trim()}|${year}`;
  const cached = mapped.get(cacheKey);
  if (cached !== undefined) return cached ?? undefined;
  const target = compute({ iana: iana.trim(), standardName: "", daylightName: "" }, year);
  let found: string | undefined;
  if (target !== undefined) {
    for (const key of keysByIana().values()) {
      const info = windowsTimeZoneInformation(key, year);
      if (
        info !== undefined &&
        info.bias === target.bias &&
        info.daylightBias === target.daylightBias &&
        sameTime(info.standardDate, target.standardDate) &&
        sameTime(info.daylightDate, target.daylightDate)
      ) {
        found = key;
        break;
      }
    }
  }
  if (mapped.size >= MAX_CACHED) mapped.clear();
  mapped.set(cacheKey, found ?? null);
  return found;
}

const NO_TRANSITION: WindowsSystemTime = { year: 0, month: 0, dayOfWeek: 0, day: 0, hour: 0, minute: 0, second: 0, milliseconds: 0 };
const MINUTE = 60_000;
const DAY = 86_400_000;
/** Computed rules by `Std name|year` (a run start asks again for the same zone). */
const computed = new Map<string, WindowsTimeZoneInformation | null>();
const MAX_CACHED = 512;

/** The offset (minutes east of UTC) of the formatter's zone at an instant. */
function offsetAt(format: Intl.DateTimeFormat, ms: number): number {
  const part: Record<string, number> = {};
  for (const p of format.formatToParts(ms)) if (p.type !== "literal") part[p.type] = Number(p.value);
  const local = Date.UTC(part.year ?? 1970, (part.month ?? 1) - 1, part.day ?? 1, (part.hour ?? 0) % 24, part.minute ?? 0, part.second ?? 0);
  return Math.round((local - (ms - (((ms % 1000) + 1000) % 1000))) / MINUTE);
}

/** The recurring rule of a transition at `utc` whose old offset is `before` (minutes east of UTC). */
function ruleOf(utc: number, before: number): WindowsSystemTime {
  const local = new Date(utc + before * MINUTE);
  const dayOfMonth = local.getUTCDate();
  const daysInMonth = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 0)).getUTCDate();
  return {
    year: 0,
    month: local.getUTCMonth() + 1,
    dayOfWeek: local.getUTCDay(),
    day: dayOfMonth + 7 > daysInMonth ? 5 : Math.ceil(dayOfMonth / 7),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    milliseconds: 0,
  };
}

/**
 * The `TIME_ZONE_INFORMATION` Windows would report for a time zone in a year, from the runtime's
 * `Intl` time-zone data; `undefined` when the name is not a Windows time zone (or the runtime lacks
 * its IANA zone).
 *
 * - `standardName` / `daylightName` are the registry's `Std` / `Dlt` names (for most zones the key,
 *   and the key with "Standard" read "Daylight").
 * - A zone with daylight saving time in `year` gets day-in-month rules (`wYear` 0, `wDay` 1–5, 5 =
 *   last; a transition in a month's last seven days is written as 5), at the local time of the
 *   time that ends; a midnight transition reads `0:00` of the next day (Windows sometimes writes
 *   `23:59:59.999` of the day before). When the year has more than one daylight period, the first
 *   start and the first end are used.
 * - A zone without daylight saving time in `year` has both dates all zero and both extra biases `0`.
 *
 * Throws `InvalidArgument` for a year outside 1601–30827 (SYSTEMTIME's range).
 *
 * @example
 * ```ts
 * const tzi = windowsTimeZoneInformation("Eastern Standard Time", 2025);
 * formatTimeZoneInformation(tzi!); // "300,0,-60,0,11,0,1,2,0,0,0,0,3,0,2,2,0,0,0,Eastern Standard Time,Eastern Daylight Time"
 * ```
 */
export function windowsTimeZoneInformation(windowsName: string, year: number): WindowsTimeZoneInformation | undefined {
  checkYear(year);
  const entry = typeof windowsName === "string" ? zones().get(windowsName.trim().toUpperCase()) : undefined;
  if (entry === undefined) return undefined;
  const cacheKey = `${entry.standardName}|${year}`;
  const cached = computed.get(cacheKey);
  if (cached !== undefined) return cached ?? undefined;
  const info = compute(entry, year);
  if (computed.size >= MAX_CACHED) computed.clear();
  computed.set(cacheKey, info ?? null);
  return info;
}

function compute(entry: ZoneEntry, year: number): WindowsTimeZoneInformation | undefined {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: entry.iana,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  } catch {
    return undefined; // A runtime without this IANA zone.
  }
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const transitions: { readonly at: number; readonly before: number; readonly after: number }[] = [];
  let previous = offsetAt(format, start);
  for (let t = start + DAY; t <= end; t += DAY) {
    const offset = offsetAt(format, t);
    if (offset === previous) continue;
    // The first minute with the new offset.
    let lo = t - DAY;
    let hi = t;
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (offsetAt(format, mid) === previous) lo = mid;
      else hi = mid;
    }
    transitions.push({ at: hi, before: previous, after: offset });
    previous = offset;
  }
  const names = { standardName: entry.standardName, daylightName: entry.daylightName };
  const toDaylight = transitions.find((t) => t.after > t.before);
  const toStandard = transitions.find((t) => t.after < t.before);
  if (toDaylight === undefined || toStandard === undefined) {
    // No daylight saving time this year (a one-off change of the standard offset keeps the year's last offset).
    return { bias: -previous, ...names, standardDate: NO_TRANSITION, standardBias: 0, daylightDate: NO_TRANSITION, daylightBias: 0 };
  }
  const standard = toStandard.after;
  return {
    bias: -standard,
    standardName: names.standardName,
    standardDate: ruleOf(toStandard.at, toStandard.before),
    standardBias: 0,
    daylightName: names.daylightName,
    daylightDate: ruleOf(toDaylight.at, toDaylight.before),
    daylightBias: -(toDaylight.after - toDaylight.before),
  };
}

/**
 * The `_SMSTSTimezone` form of a time zone: `Bias,StandardBias,DaylightBias,StandardDate(8
 * fields),DaylightDate(8 fields),StandardName,DaylightName` (builtin-variables.md §1), SYSTEMTIME
 * fields in `wYear,wMonth,wDayOfWeek,wDay,wHour,wMinute,wSecond,wMilliseconds` order.
 *
 * @example
 * ```ts
 * formatTimeZoneInformation(windowsTimeZoneInformation("UTC", 2025)!);
 * // "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,Coordinated Universal Time,Coordinated Universal Time"
 * ```
 */
export function formatTimeZoneInformation(tzi: WindowsTimeZoneInformation): string {
  const date = (s: WindowsSystemTime): string => [s.year, s.month, s.dayOfWeek, s.day, s.hour, s.minute, s.second, s.milliseconds].join(",");
  return [tzi.bias, tzi.standardBias, tzi.daylightBias, date(tzi.standardDate), date(tzi.daylightDate), tzi.standardName, tzi.daylightName].join(",");
}
