import { TaskSeqError, isTaskSeqError } from "@taskseq/model";
import { parseWql } from "../wql/wql-parser.js";
import { deviceProfileSchema, type JsonSchema } from "./profile-schema.js";
import type { DeviceProfile } from "./profile-types.js";

/** One problem found in a profile. */
export interface ProfileIssue {
  /** JSON path, e.g. `$.disks[0].sizeBytes`. */
  readonly path: string;
  /** What is wrong. */
  readonly message: string;
}

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function child(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return identifier.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function resolve(schema: JsonSchema): JsonSchema {
  if (schema.$ref === undefined) return schema;
  const name = schema.$ref.replace("#/$defs/", "");
  return deviceProfileSchema.$defs?.[name] ?? {};
}

function checkSchema(value: unknown, raw: JsonSchema, path: string, issues: ProfileIssue[]): void {
  const schema = resolve(raw);
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const allowed = typeof schema.type === "string" ? [schema.type] : schema.type;
    const ok = allowed.includes(actual) || (actual === "integer" && allowed.includes("number"));
    if (!ok) {
      issues.push({ path, message: `Expected ${allowed.join(" or ")}, found ${actual}` });
      return;
    }
  }
  if (schema.enum !== undefined && !schema.enum.includes(value as string)) {
    issues.push({ path, message: `Expected one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}` });
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) issues.push({ path, message: `Must be at least ${schema.minimum}` });
    if (schema.maximum !== undefined && value > schema.maximum) issues.push({ path, message: `Must be at most ${schema.maximum}` });
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) issues.push({ path, message: `Must have at least ${schema.minLength} characters` });
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) issues.push({ path, message: `Does not match ${schema.pattern}` });
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    const items = schema.items;
    value.forEach((item, i) => checkSchema(item, items, child(path, i), issues));
  }
  if (actual === "object") {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in record)) issues.push({ path: child(path, key), message: "Required" });
    for (const [key, v] of Object.entries(record)) {
      const known = schema.properties?.[key];
      if (known !== undefined) checkSchema(v, known, child(path, key), issues);
      else if (schema.additionalProperties === false) issues.push({ path: child(path, key), message: "Unknown property" });
      else if (typeof schema.additionalProperties === "object") checkSchema(v, schema.additionalProperties, child(path, key), issues);
    }
  }
}

const hives = /^(HKEY_LOCAL_MACHINE|HKLM|HKEY_CURRENT_USER|HKCU|HKEY_CLASSES_ROOT|HKCR|HKEY_USERS|HKU|HKEY_CURRENT_CONFIG|HKCC)(\\|$)/i;
const wmiKey = /^(?:([A-Za-z0-9_\\]+):)?[A-Za-z_][A-Za-z0-9_]*$/;
const windowsPath = /^([A-Za-z]:\\|\\\\[^\\]+\\[^\\]+)/;
const fullPathMessage = "Expected a full path (C:\\... or \\\\server\\share\\...)";

/** Why registry data does not fit its type, if it does not. */
function registryDataProblem(type: string, data: unknown): string | undefined {
  switch (type) {
    case "REG_DWORD":
      return typeof data === "number" && Number.isInteger(data) && data >= -2_147_483_648 && data <= 4_294_967_295 ? undefined : "REG_DWORD data must be a 32-bit integer";
    case "REG_QWORD":
      return (typeof data === "number" && Number.isSafeInteger(data)) || (typeof data === "string" && /^-?\d{1,20}$/.test(data)) ? undefined : "REG_QWORD data must be an integer (a decimal string for large values)";
    case "REG_MULTI_SZ":
      return Array.isArray(data) && data.every((x) => typeof x === "string") ? undefined : "REG_MULTI_SZ data must be an array of strings";
    case "REG_BINARY":
    case "REG_NONE":
      return typeof data === "string" && /^([0-9A-Fa-f]{2}[ ,-]?)*$/.test(data) ? undefined : `${type} data must be hex text`;
    default:
      return typeof data === "string" ? undefined : `${type} data must be a string`;
  }
}

function checkSemantics(p: DeviceProfile, issues: ProfileIssue[]): void {
  const letters = new Map<string, string>();
  const seenDisks = new Set<number>();
  p.disks.forEach((disk, d) => {
    const dp = `$.disks[${d}]`;
    if (seenDisks.has(disk.index)) issues.push({ path: `${dp}.index`, message: `Duplicate disk index ${disk.index}` });
    seenDisks.add(disk.index);
    const parts = disk.partitions ?? [];
    const total = parts.reduce((sum, part) => sum + part.sizeBytes, 0);
    if (total > disk.sizeBytes) issues.push({ path: `${dp}.partitions`, message: `Partitions use ${total} bytes but the disk has ${disk.sizeBytes}` });
    if (disk.partitionStyle === "RAW" && parts.length > 0) issues.push({ path: `${dp}.partitions`, message: "A RAW disk has no partitions" });
    parts.forEach((part, i) => {
      const pp = `${dp}.partitions[${i}]`;
      if (disk.partitionStyle === "MBR" && (part.type === "EFI" || part.type === "MSR")) issues.push({ path: `${pp}.type`, message: `${part.type} partitions need GPT` });
      if (disk.partitionStyle === "GPT" && (part.type === "Extended" || part.type === "Logical")) issues.push({ path: `${pp}.type`, message: `${part.type} partitions need MBR` });
      if ((part.usedBytes ?? 0) > part.sizeBytes) issues.push({ path: `${pp}.usedBytes`, message: "More used than the partition holds" });
      if (part.driveLetter !== undefined) {
        const upper = part.driveLetter.toUpperCase();
        if (letters.has(upper)) issues.push({ path: `${pp}.driveLetter`, message: `Drive letter ${upper} is also used at ${letters.get(upper) as string}` });
        else letters.set(upper, pp);
        if (part.fileSystem === undefined) issues.push({ path: `${pp}.fileSystem`, message: "A partition with a drive letter needs a file system" });
      }
    });
  });
  if (p.os.running === "FullOS" && p.os.installed === undefined) issues.push({ path: "$.os.installed", message: "Running the full OS needs an installed OS" });
  if (p.os.installed !== undefined && !letters.has(p.os.installed.drive.toUpperCase())) {
    issues.push({ path: "$.os.installed.drive", message: `No partition has drive letter ${p.os.installed.drive}` });
  }
  for (const path of Object.keys(p.files ?? {})) {
    if (!windowsPath.test(path)) issues.push({ path: child("$.files", path), message: fullPathMessage });
  }
  for (const [path, store] of Object.entries(p.stateStores ?? {})) {
    const sp = child("$.stateStores", path);
    if (!windowsPath.test(path)) issues.push({ path: sp, message: fullPathMessage });
    if (store.type === "restore" && store.captured !== true) issues.push({ path: `${sp}.captured`, message: "A store requested for restore must hold captured state (captured: true)" });
  }
  for (const [key, values] of Object.entries(p.registry ?? {})) {
    const kp = child("$.registry", key);
    if (!hives.test(key)) issues.push({ path: kp, message: "Key path must start with a hive (HKLM, HKEY_LOCAL_MACHINE, ...)" });
    for (const [name, value] of Object.entries(values)) {
      const problem = registryDataProblem(value.type, value.data);
      if (problem !== undefined) issues.push({ path: `${child(kp, name)}.data`, message: problem });
    }
  }
  for (const key of Object.keys(p.wmi ?? {})) {
    if (!wmiKey.test(key)) issues.push({ path: child("$.wmi", key), message: 'Expected "Class" or "namespace:Class"' });
  }
  const checkRegex = (match: string, path: string): void => {
    try {
      new RegExp(match, "i");
    } catch {
      issues.push({ path, message: "Not a valid regular expression" });
    }
  };
  p.commands?.forEach((rule, i) => checkRegex(rule.match, `$.commands[${i}].match`));
  p.ui?.messageAnswers?.forEach((rule, i) => checkRegex(rule.match, `$.ui.messageAnswers[${i}].match`));
  const apps = new Set((p.content?.applications ?? []).map((a) => a.name));
  p.content?.applications?.forEach((app, i) => {
    app.dependencies?.forEach((dep, j) => {
      if (!apps.has(dep)) issues.push({ path: `$.content.applications[${i}].dependencies[${j}]`, message: `Unknown application '${dep}'` });
    });
    app.requirements?.forEach((req, j) => {
      try {
        parseWql(req.query);
      } catch (e) {
        if (!isTaskSeqError(e)) throw e;
        issues.push({ path: `$.content.applications[${i}].requirements[${j}].query`, message: e.message });
      }
    });
  });
}

/**
 * Every problem in a device profile, each with its JSON path; empty when the profile is valid.
 *
 * @example
 * ```ts
 * validateDeviceProfile({ hardware: {} }); // [{ path: "$.firmware", message: "Required" }, ...]
 * ```
 */
export function validateDeviceProfile(value: unknown): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  checkSchema(value, deviceProfileSchema, "$", issues);
  if (issues.length === 0) checkSemantics(value as DeviceProfile, issues);
  return issues;
}

/**
 * Parse (when given JSON text) and validate a profile; throws `ProfileInvalid` listing every
 * issue (`details.issues`) with the first one's JSON path as `position.path`.
 *
 * @example
 * ```ts
 * const profile = parseDeviceProfile(readFileSync("examples/devices/dell-latitude-5440.json", "utf8"));
 * ```
 */
export function parseDeviceProfile(input: unknown): DeviceProfile {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input) as unknown;
    } catch (e) {
      throw new TaskSeqError("ProfileInvalid", "The device profile is not valid JSON.", { position: { path: "$" }, cause: e });
    }
  }
  const issues = validateDeviceProfile(value);
  const first = issues[0];
  if (first !== undefined) {
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
    throw new TaskSeqError("ProfileInvalid", `Invalid device profile at ${first.path}: ${first.message}${more}`, {
      position: { path: first.path },
      details: { issues },
    });
  }
  return value as DeviceProfile;
}
