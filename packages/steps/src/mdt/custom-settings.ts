/**
 * MDT `CustomSettings.ini` rules processing (spec/steps.md §22.3, `BDD_Gather`): `[Settings]
 * Priority` and `Properties`, sections chosen literally or by each value of a property, first
 * value wins unless a property is an overwrite property, list properties (`Name001`…), `Subsection`,
 * `%VAR%` substitution and an explain trace. `#…#` VBScript is never evaluated.
 */
import { TaskSeqError } from "@taskseq/model";

/** The value of a gathered property: one string, or the elements of a list property. */
export type GatherValue = string | readonly string[];

/** One line of the explain trace: where a property got (or did not get) a value. */
export interface GatherTraceEntry {
  /** The property (canonical casing: as declared or first seen). */
  readonly property: string;
  /** The value from the rules file after `%VAR%` substitution. */
  readonly value: string;
  /** The section the value came from (`"local"` for gathered device facts). */
  readonly section: string;
  /** The priority token that led to the section. */
  readonly via: string;
  /** What happened: set, appended to a list, replaced (overwrite property) or ignored (first value wins, duplicate). */
  readonly outcome: "set" | "appended" | "overwritten" | "ignored";
}

/** Options for {@link processCustomSettings}. */
export interface CustomSettingsOptions {
  /** Properties known before the rules run (the local gather), by name; list properties as arrays. */
  readonly properties?: Readonly<Record<string, GatherValue>>;
  /** Extra list properties besides those declared with `(*)` in `[Settings] Properties` and {@link DEFAULT_LIST_PROPERTIES}. */
  readonly listProperties?: readonly string[];
  /** Properties whose later values replace earlier ones; default {@link DEFAULT_OVERWRITE_PROPERTIES}. */
  readonly overwriteProperties?: readonly string[];
  /**
   * Looks up names that are not known properties (task sequence or process variables): for
   * `%VAR%` substitution, for a priority token naming a variable, and as a value already set
   * (first value wins; a list as its `Name001`, `Name002`, … run), as ZTIGather reads the environment.
   */
  readonly lookup?: (name: string) => string | undefined;
}

/** The result of {@link processCustomSettings}. */
export interface CustomSettingsResult {
  /** Every property value after processing, keyed by property name (lists as arrays). */
  readonly values: Readonly<Record<string, GatherValue>>;
  /** Sections processed, in order. */
  readonly sections: readonly string[];
  /** Where each value came from, in processing order. */
  readonly trace: readonly GatherTraceEntry[];
  /** Rules the SDK does not process (database and web service lookups, user exits), one line each. */
  readonly warnings: readonly string[];
}

/** MDT list properties written as `Name001`, `Name002`, … (ZTIGather.xml `type="list"`). */
export const DEFAULT_LIST_PROPERTIES: readonly string[] = [
  "Applications",
  "MandatoryApplications",
  "Packages",
  "MacAddress",
  "IPAddress",
  "DefaultGateway",
  "Roles",
  "Administrators",
  "PowerUsers",
  "DriverGroup",
  "DriverPaths",
  "UserDataLocation",
  "CaptureGroups",
  "ComputerBackupLocation",
];

/**
 * Properties a later rules value replaces instead of "first value wins". MDT marks a few
 * properties `overwrite="true"` in ZTIGather.xml; the SDK default is the MDT deployment-flow set.
 */
export const DEFAULT_OVERWRITE_PROPERTIES: readonly string[] = ["DeploymentType", "Phase", "DeployRoot", "ResourceRoot"];

/** Keys of database, web service and user-exit sections: MDT rules the SDK does not process (reported as warnings). */
const UNSUPPORTED_DIRECTIVES = new Set(["userexit", "sqlserver", "database", "table", "storedprocedure", "parameters", "sqlshare", "instance", "port", "netlib", "order", "parametercondition", "webservice", "dbid", "dbpwd"]);

const MAX_SECTIONS = 1000;

/** One `[Section]` of an INI file. */
export interface IniSection {
  /** The section name as first written. */
  readonly name: string;
  /** `key=value` entries in order (keys as written). */
  readonly entries: readonly (readonly [string, string])[];
}

/**
 * Parses INI text: `[Section]` headers, `key=value` lines, `;` comments. Names are matched
 * case-insensitively; the first occurrence of a section name wins, later duplicates are merged.
 *
 * @param text - the INI text
 * @returns the sections by upper-cased name
 * @throws TaskSeqError `InvalidSetting` for a line that is neither a section, a key nor a comment
 */
export function parseIni(text: string): ReadonlyMap<string, IniSection> {
  const sections = new Map<string, { name: string; entries: (readonly [string, string])[] }>();
  let current: { name: string; entries: (readonly [string, string])[] } | undefined;
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith(";")) return;
    if (line.startsWith("[")) {
      const end = line.indexOf("]");
      if (end < 0) throw new TaskSeqError("InvalidSetting", `Rules file line ${i + 1}: unterminated section header.`, { position: { line: i + 1 } });
      const name = line.slice(1, end).trim();
      const key = name.toUpperCase();
      current = sections.get(key) ?? { name, entries: [] };
      sections.set(key, current);
      return;
    }
    const eq = line.indexOf("=");
    if (eq <= 0) throw new TaskSeqError("InvalidSetting", `Rules file line ${i + 1}: expected key=value.`, { position: { line: i + 1 } });
    if (current === undefined) throw new TaskSeqError("InvalidSetting", `Rules file line ${i + 1}: key outside a section.`, { position: { line: i + 1 } });
    current.entries.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  });
  return sections;
}

const splitList = (value: string): string[] =>
  value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

/**
 * Processes `CustomSettings.ini` rules the way MDT's ZTIGather does.
 *
 * @param iniText - the rules file text
 * @param options - known properties, list and overwrite properties, variable lookup
 * @returns the property values, processed sections and the explain trace
 * @throws TaskSeqError `InvalidSetting` for malformed INI or a missing `[Settings]` section;
 *   `ScriptUnsupported` for a `#…#` VBScript expression (never evaluated)
 * @example
 * ```ts
 * const r = processCustomSettings("[Settings]\nPriority=Model, Default\n[Default]\nOSInstall=Y\n", {
 *   properties: { Model: "Latitude 7490" },
 * });
 * r.values["OSInstall"]; // "Y"
 * ```
 */
export function processCustomSettings(iniText: string, options: CustomSettingsOptions = {}): CustomSettingsResult {
  const ini = parseIni(iniText);
  const settings = ini.get("SETTINGS");
  if (settings === undefined) throw new TaskSeqError("InvalidSetting", "Rules file has no [Settings] section.");
  const setting = (key: string): string => settings.entries.find(([k]) => k.toUpperCase() === key)?.[1] ?? "";

  const canonical = new Map<string, string>();
  const lists = new Set<string>();
  const declare = (name: string, list: boolean): string => {
    const key = name.toUpperCase();
    if (!canonical.has(key)) canonical.set(key, name);
    if (list) lists.add(key);
    return canonical.get(key) ?? name;
  };
  for (const name of [...DEFAULT_LIST_PROPERTIES, ...(options.listProperties ?? [])]) declare(name, true);
  for (const token of splitList(setting("PROPERTIES"))) {
    const list = token.endsWith("(*)");
    declare(list ? token.slice(0, -3).trim() : token, list);
  }
  const overwrite = new Set((options.overwriteProperties ?? DEFAULT_OVERWRITE_PROPERTIES).map((p) => p.toUpperCase()));

  const values = new Map<string, string | string[]>();
  for (const [name, value] of Object.entries(options.properties ?? {})) {
    const key = name.toUpperCase();
    declare(name, typeof value !== "string");
    values.set(key, typeof value === "string" ? value : [...value]);
  }

  const read = (name: string): string | string[] | undefined => values.get(name.toUpperCase());
  /** A value already in the environment (MDT's `oEnvironment.Item`/`ListItem`): a list as its `Name001`… run, else the variable. */
  const known = (name: string): string | string[] | undefined => {
    const value = read(name);
    if (value !== undefined || options.lookup === undefined) return value;
    if (!lists.has(name.toUpperCase())) return options.lookup(name);
    const items: string[] = [];
    for (let i = 1; i <= 100; i++) {
      const item = options.lookup(`${name}${String(i).padStart(3, "0")}`);
      if (item === undefined || item === "") break;
      items.push(item);
    }
    return items.length > 0 ? items : undefined;
  };
  const substitute = (value: string, where: string): string => {
    if (/^#.*#$/s.test(value.trim())) {
      throw new TaskSeqError("ScriptUnsupported", `Rules file ${where}: #...# VBScript expressions are not evaluated.`, { details: { where } });
    }
    return value.replace(/%([A-Za-z0-9_-]+)%/g, (whole, name: string) => {
      const v = read(name);
      if (typeof v === "string" && v !== "") return v;
      if (Array.isArray(v) && v.length > 0) return v[0] ?? "";
      return options.lookup?.(name) ?? whole;
    });
  };

  const trace: GatherTraceEntry[] = [];
  const warnings: string[] = [];
  const processed: string[] = [];
  const visited = new Set<string>();

  const assign = (key: string, raw: string, section: string, via: string): void => {
    const value = substitute(raw, `[${section}] ${key}`);
    const listMatch = /^(.*?)(\d{3})$/.exec(key);
    const listKey = listMatch?.[1]?.toUpperCase();
    if (listKey !== undefined && lists.has(listKey)) {
      const property = canonical.get(listKey) ?? listKey;
      const current = known(listKey);
      const items = Array.isArray(current) ? current : typeof current === "string" && current !== "" ? [current] : [];
      const duplicate = value === "" || items.some((v) => v.toUpperCase() === value.toUpperCase());
      if (!duplicate) values.set(listKey, [...items, value]);
      trace.push({ property, value, section, via, outcome: duplicate ? "ignored" : "appended" });
      return;
    }
    const upper = key.toUpperCase();
    const property = declare(key, false);
    if (lists.has(upper)) {
      const current = known(upper);
      const items = Array.isArray(current) ? current : [];
      const fresh = splitList(value).filter((v) => !items.some((i) => i.toUpperCase() === v.toUpperCase()));
      values.set(upper, [...items, ...fresh]);
      trace.push({ property, value, section, via, outcome: fresh.length > 0 ? "appended" : "ignored" });
      return;
    }
    const current = known(upper);
    const has = typeof current === "string" ? current !== "" : current !== undefined && current.length > 0;
    if (value === "") {
      trace.push({ property, value, section, via, outcome: "ignored" });
      return;
    }
    if (has && !overwrite.has(upper)) {
      trace.push({ property, value, section, via, outcome: "ignored" });
      return;
    }
    values.set(upper, value);
    trace.push({ property, value, section, via, outcome: has ? "overwritten" : "set" });
  };

  const processSection = (name: string, via: string): void => {
    const section = ini.get(name.toUpperCase());
    const key = name.toUpperCase();
    if (section === undefined || visited.has(key)) return;
    if (processed.length >= MAX_SECTIONS) throw new TaskSeqError("InvalidSetting", `Rules file processes more than ${MAX_SECTIONS} sections.`);
    visited.add(key);
    processed.push(section.name);
    // MDT processes a Subsection before the rest of its section, so the subsection's values win.
    for (const [k, v] of section.entries) if (k.toUpperCase() === "SUBSECTION") processSection(substitute(v, `[${section.name}] ${k}`), via);
    const skipped = new Set<string>();
    for (const [k, v] of section.entries) {
      const upper = k.toUpperCase();
      if (UNSUPPORTED_DIRECTIVES.has(upper.toLowerCase())) skipped.add(k);
      else if (upper !== "SUBSECTION" && upper !== "PRIORITY" && upper !== "PROPERTIES") assign(k, v, section.name, via);
    }
    if (skipped.size > 0) warnings.push(`[${section.name}]: ${[...skipped].join(", ")} not processed (database, web service and user-exit rules are not supported).`);
  };

  const gatewaySections = ini.get("DEFAULTGATEWAY");
  // ZTIGather ProcessRules: DefaultGateway values go through the [DefaultGateway] section only; a
  // list property gives a section per element; any other variable with a value names a section;
  // else the token is a section name.
  for (const token of splitList(setting("PRIORITY"))) {
    const upper = token.toUpperCase();
    const value = known(token);
    if (upper === "DEFAULTGATEWAY") {
      for (const gateway of Array.isArray(value) ? value : []) {
        const mapped = gatewaySections?.entries.find(([k]) => k === gateway)?.[1];
        if (mapped !== undefined && mapped !== "") processSection(mapped, token);
      }
    } else if (lists.has(upper)) {
      for (const v of Array.isArray(value) ? value : value ? [value] : []) processSection(v, token);
    } else if (typeof value === "string" && value !== "") processSection(value, token);
    else processSection(token, token);
  }

  const result: Record<string, GatherValue> = {};
  for (const [key, value] of values) result[canonical.get(key) ?? key] = value;
  return { values: result, sections: processed, trace, warnings };
}
