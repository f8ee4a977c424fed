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

/**
 * Simple upper-case mappings (UnicodeData.txt) of the characters whose full mapping, which
 * `String.prototype.toUpperCase` applies, has more than one code point and whose simple mapping is
 * not the character itself: the Greek small letters with ypogegrammeni (`ᾳ` → `ᾼ`, not `ΑΙ`).
 */
function multiCharException(cp: number): number | undefined {
  if ((cp >= 0x1f80 && cp <= 0x1f87) || (cp >= 0x1f90 && cp <= 0x1f97) || (cp >= 0x1fa0 && cp <= 0x1fa7)) return cp + 8;
  if (cp === 0x1fb3 || cp === 0x1fc3 || cp === 0x1ff3) return cp + 9;
  return undefined;
}

const upperCache = new Map<number, number>();

/**
 * Invariant upper-casing of one code point, as .NET's `ToUpperInvariant` does it: simple case
 * mapping, one code point to one code point (`ß`, `ﬁ` stay as they are instead of becoming `SS`,
 * `FI`), and `ı` (U+0131) maps to itself.
 */
function upperCodePoint(cp: number): number {
  if (cp < 0x80) return cp >= 0x61 && cp <= 0x7a ? cp - 0x20 : cp;
  let up = upperCache.get(cp);
  if (up === undefined) {
    const full = String.fromCodePoint(cp).toUpperCase();
    const first = full.codePointAt(0) ?? cp;
    if (cp === 0x131) up = cp;
    else if (full.length === (first > 0xffff ? 2 : 1)) up = first;
    else up = multiCharException(cp) ?? cp;
    if (upperCache.size < 4096) upperCache.set(cp, up);
  }
  return up;
}

/** A string upper-cased code point by code point ({@link upperCodePoint}); the non-ASCII path only. */
function invariantUpper(text: string): string {
  let out = "";
  for (const ch of text) out += String.fromCodePoint(upperCodePoint(ch.codePointAt(0) ?? 0));
  return out;
}

/**
 * Ordering of two values (conditions.md §4.2): numeric (arbitrary precision) when both are
 * integers, else ordinal (UTF-16 code units) after invariant upper-casing, or plain ordinal when
 * `caseSensitive`.
 */
export function compareValues(left: string, right: string, caseSensitive = false): number {
  if (INTEGER.test(left) && INTEGER.test(right)) {
    const a = BigInt(left);
    const b = BigInt(right);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (caseSensitive) return left < right ? -1 : left > right ? 1 : 0;
  const n = Math.min(left.length, right.length);
  for (let i = 0; i < n; i++) {
    let a = left.charCodeAt(i);
    let b = right.charCodeAt(i);
    if (a >= 0x80 || b >= 0x80) {
      // Everything before `i` is ASCII and equal, so `i` starts a code point on both sides.
      const l = invariantUpper(left.slice(i));
      const r = invariantUpper(right.slice(i));
      return l < r ? -1 : l > r ? 1 : 0;
    }
    if (a >= 0x61 && a <= 0x7a) a -= 0x20;
    if (b >= 0x61 && b <= 0x7a) b -= 0x20;
    if (a !== b) return a < b ? -1 : 1;
  }
  return Math.sign(left.length - right.length);
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
 * Whole-string wildcard match (conditions.md §4.4): `%`/`*` any run, `_`/`?` one code point (a
 * surrogate pair is one), everything else literal and compared after invariant upper-casing
 * (like {@link compareValues}): always case-insensitive (§4.2 item 7, whatever the engine option
 * `conditionCaseSensitive` says).
 *
 * @example
 * ```ts
 * likeMatch("Latitude 5490", "%latitude%"); // true
 * ```
 */
export function likeMatch(value: string, pattern: string): boolean {
  // Iterative wildcard matching with single-star backtracking over UTF-16 indices that step by
  // code point: linear memory, no regex blow-up, no allocation.
  let vi = 0;
  let pi = 0;
  let star = -1;
  let mark = 0;
  while (vi < value.length) {
    const vc = value.codePointAt(vi) ?? 0;
    const vw = vc > 0xffff ? 2 : 1;
    const pc = pi < pattern.length ? (pattern.codePointAt(pi) ?? 0) : -1;
    if (pc === 0x25 /* % */ || pc === 0x2a /* * */) {
      star = pi++;
      mark = vi;
    } else if (pc === 0x5f /* _ */ || pc === 0x3f /* ? */ || (pc >= 0 && (pc === vc || upperCodePoint(pc) === upperCodePoint(vc)))) {
      pi += pc > 0xffff ? 2 : 1;
      vi += vw;
    } else if (star >= 0) {
      pi = star + 1;
      const mc = value.codePointAt(mark) ?? 0;
      mark += mc > 0xffff ? 2 : 1;
      vi = mark;
    } else {
      return false;
    }
  }
  while (pi < pattern.length && (pattern.charCodeAt(pi) === 0x25 || pattern.charCodeAt(pi) === 0x2a)) pi++;
  return pi === pattern.length;
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
