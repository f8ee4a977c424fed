import type { WmiRow, WmiValue } from "../types.js";
import { compileLikePattern } from "./like-pattern.js";
import { parseWql, type WqlComparisonOperator, type WqlExpression, type WqlLiteral, type WqlQuery } from "./wql-parser.js";

/** A query compiled once and evaluated against any number of rows. */
export interface CompiledWqlQuery {
  /** The query text. */
  readonly text: string;
  /** The parsed query. */
  readonly query: WqlQuery;
  /** True if the row satisfies the WHERE clause (always true without one). */
  matches(row: WmiRow): boolean;
  /** The row reduced to the selected properties (spelled as in the row when present). */
  project(row: WmiRow): WmiRow;
  /** Filter and project rows. */
  run(rows: Iterable<WmiRow>): WmiRow[];
}

type Predicate = (row: WmiRow) => boolean;
type Scalar = string | number | boolean;

/** Read a property: exact spelling first, then case-insensitively. Missing → `null`. */
export function readWmiProperty(row: WmiRow, name: string): WmiValue {
  const direct = row[name];
  if (direct !== undefined) return direct;
  const upper = name.toUpperCase();
  for (const key in row) if (key.toUpperCase() === upper) return row[key] ?? null;
  return null;
}

const numeric = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*$/;

function ordered(op: WqlComparisonOperator, d: number): boolean {
  switch (op) {
    case "=":
      return d === 0;
    case "<>":
      return d !== 0;
    case "<":
      return d < 0;
    case ">":
      return d > 0;
    case "<=":
      return d <= 0;
    case ">=":
      return d >= 0;
  }
}

function numberCompare(op: WqlComparisonOperator, a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  return ordered(op, a < b ? -1 : a > b ? 1 : 0);
}

/** Compare one property value with a literal (the property's type decides, as WMI converts). */
function scalarComparer(op: WqlComparisonOperator, literal: Exclude<WqlLiteral, null>): (v: Scalar) => boolean {
  const litText = String(literal).toUpperCase();
  const litNumber = typeof literal === "number" ? literal : typeof literal === "boolean" ? Number(literal) : numeric.test(literal) ? Number(literal) : NaN;
  const litBool = typeof literal === "string" ? (litText === "TRUE" ? 1 : litText === "FALSE" ? 0 : NaN) : litNumber;
  return (v) => {
    if (typeof v === "number") return numberCompare(op, v, litNumber);
    if (typeof v === "boolean") return numberCompare(op, Number(v), litBool);
    if (typeof literal === "number") return numeric.test(v) && numberCompare(op, Number(v), literal);
    const u = v.toUpperCase();
    return ordered(op, u < litText ? -1 : u > litText ? 1 : 0);
  };
}

function onValue(name: string, test: (v: Scalar) => boolean): Predicate {
  return (row) => {
    const v = readWmiProperty(row, name);
    if (v === null) return false;
    if (typeof v === "object") return v.some(test);
    return test(v);
  };
}

function compileExpression(e: WqlExpression): Predicate {
  switch (e.kind) {
    case "and": {
      const l = compileExpression(e.left);
      const r = compileExpression(e.right);
      return (row) => l(row) && r(row);
    }
    case "or": {
      const l = compileExpression(e.left);
      const r = compileExpression(e.right);
      return (row) => l(row) || r(row);
    }
    case "not": {
      const inner = compileExpression(e.operand);
      return (row) => !inner(row);
    }
    case "isNull": {
      const name = e.property;
      return e.negated ? (row) => readWmiProperty(row, name) !== null : (row) => readWmiProperty(row, name) === null;
    }
    case "like": {
      const re = compileLikePattern(e.pattern, e.patternOffset);
      return onValue(e.property, (v) => re.test(String(v)));
    }
    case "compare": {
      const name = e.property;
      if (e.value === null) {
        if (e.operator === "=") return (row) => readWmiProperty(row, name) === null;
        if (e.operator === "<>") return (row) => readWmiProperty(row, name) !== null;
        return () => false;
      }
      return onValue(name, scalarComparer(e.operator, e.value));
    }
  }
}

function compileProjection(properties: WqlQuery["properties"]): (row: WmiRow) => WmiRow {
  if (properties === "*") return (row) => row;
  return (row) => {
    const out: Record<string, WmiValue> = {};
    for (const p of properties) {
      const upper = p.toUpperCase();
      const key = Object.keys(row).find((k) => k.toUpperCase() === upper) ?? p;
      out[key] = row[key] ?? null;
    }
    return out;
  };
}

const cacheLimit = 256;
const cache = new Map<string, CompiledWqlQuery>();

/**
 * Parse and compile a WQL query. Compiled queries are cached by text (the 256 most recent), so
 * repeated conditions cost one lookup. Errors: `WqlSyntax`, `WqlUnsupported`.
 *
 * Semantics: property names and string comparisons are case-insensitive; a missing property is
 * `NULL`; comparisons with `NULL` are false (`IS NULL` tests it); the property's type decides the
 * comparison (a number property compares numerically with `'1033'`); an array property matches
 * when any element does.
 *
 * @example
 * ```ts
 * const q = compileWql("SELECT * FROM Win32_LogicalDisk WHERE FileSystem = 'NTFS' AND FreeSpace > 1000");
 * q.run([{ DeviceID: "C:", FileSystem: "NTFS", FreeSpace: 5000 }]).length; // 1
 * ```
 */
export function compileWql(text: string): CompiledWqlQuery {
  const hit = cache.get(text);
  if (hit !== undefined) {
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const query = parseWql(text);
  const matches: Predicate = query.where === undefined ? () => true : compileExpression(query.where);
  const project = compileProjection(query.properties);
  const compiled: CompiledWqlQuery = {
    text,
    query,
    matches,
    project,
    run(rows) {
      const out: WmiRow[] = [];
      for (const row of rows) if (matches(row)) out.push(project(row));
      return out;
    },
  };
  cache.set(text, compiled);
  if (cache.size > cacheLimit) cache.delete(cache.keys().next().value as string);
  return compiled;
}
