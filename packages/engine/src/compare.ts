/**
 * Comparison rules of conditions (conditions.md §4): operator names, numeric-or-string
 * comparison, `like` patterns, dotted versions and DMTF dates.
 */
import { TaskSeqError, conditionOperatorName, type ConditionOperatorName } from "@taskseq/model";

/** Canonical condition operators (conditions.md §4.1), as the model names them. */
export type { ConditionOperatorName };

/** The canonical operator for a name as written (case-insensitive); an unknown name is a `ConditionError`. */
export function parseOperator(name: string): ConditionOperatorName {
  const op = conditionOperatorName(name);
  if (op === undefined) throw new TaskSeqError("ConditionError", `Unknown condition operator "${name}".`);
  return op;
}

const INTEGER = /^[+-]?[0-9]+$/;

/** Ordering of two values: numeric (arbitrary precision) when both are integers, else upper-cased ordinal. */
export function compareValues(left: string, right: string, caseSensitive = false): number {
  if (INTEGER.test(left) && INTEGER.test(right)) {
    const a = BigInt(left);
    const b = BigInt(right);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const a = caseSensitive ? left : left.toUpperCase();
  const b = caseSensitive ? right : right.toUpperCase();
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Applies an ordering operator to a comparison result; `undefined` for non-ordering operators. */
export function applyOrdering(op: ConditionOperatorName, cmp: number): boolean | undefined {
  switch (op) {
    case "equals":
      return cmp === 0;
    case "notEquals":
      return cmp !== 0;
    case "less":
      return cmp < 0;
    case "lessEqual":
      return cmp <= 0;
    case "greater":
      return cmp > 0;
    case "greaterEqual":
      return cmp >= 0;
    default:
      return undefined;
  }
}

/**
 * Whole-string wildcard match (conditions.md §4.4): `%`/`*` any run, `_`/`?` one code point,
 * everything else literal and case-insensitive.
 *
 * @example
 * ```ts
 * likeMatch("Latitude 5490", "%latitude%"); // true
 * ```
 */
export function likeMatch(value: string, pattern: string, caseSensitive = false): boolean {
  const v = [...(caseSensitive ? value : value.toUpperCase())];
  const p = [...(caseSensitive ? pattern : pattern.toUpperCase())];
  // Iterative wildcard matching with single-star backtracking: linear memory, no regex blow-up.
  let vi = 0;
  let pi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    const pc = p[pi];
    if (pc === "%" || pc === "*") {
      star = pi++;
      mark = vi;
    } else if (pc !== undefined && (pc === "_" || pc === "?" || pc === v[vi])) {
      pi++;
      vi++;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++mark;
    } else {
      return false;
    }
  }
  while (p[pi] === "%" || p[pi] === "*") pi++;
  return pi === p.length;
}

/** Parses a dotted version into integer components; a non-integer component is a `ConditionError`. */
export function parseVersion(text: string): number[] {
  return text
    .trim()
    .split(".")
    .map((part) => {
      if (!/^[0-9]+$/.test(part)) throw new TaskSeqError("ConditionError", `"${text}" is not a dotted version.`);
      return Number(part);
    });
}

/** Compares two dotted versions component by component; missing trailing components count as 0. */
export function compareVersions(left: readonly number[], right: readonly number[]): number {
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const d = (left[i] ?? 0) - (right[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/**
 * Normalises a ConfigMgr platform version (`6.10.7601.1`, `10.00.10240.0`) or a real OS version
 * (`6.1.7601`) to `(major, minor×10, build, servicePack)` (conditions.md §4.3).
 */
export function normalizeOsVersion(text: string): number[] {
  const parts = text.trim().split(".");
  const nums = parseVersion(text);
  const minorText = parts[1];
  if (minorText !== undefined && minorText.length === 1) nums[1] = (nums[1] ?? 0) * 10;
  return nums;
}

/** Parses a DMTF datetime (`yyyyMMddHHmmss.ffffff+000`) to UTC milliseconds, truncated to seconds. */
export function parseDmtf(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d{1,6})?(?:([+-])(\d{3}))?$/.exec(text.trim());
  if (m === null) throw new TaskSeqError("ConditionError", `"${text}" is not a DMTF datetime.`);
  const [, y, mo, d, h, mi, s, sign, off] = m;
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const offsetMinutes = off === undefined ? 0 : (sign === "-" ? -1 : 1) * Number(off);
  return local - offsetMinutes * 60_000;
}
