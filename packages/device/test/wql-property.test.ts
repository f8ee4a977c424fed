import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileWql, type WmiRow, type WmiValue } from "@taskseq/device";

/** A generated WHERE clause, evaluated below by a reference written the obvious way. */
type Lit = string | number | boolean | null;
type Expr =
  | { k: "cmp"; prop: string; op: string; lit: Lit }
  | { k: "like"; prop: string; pattern: string; negated: boolean }
  | { k: "null"; prop: string; negated: boolean }
  | { k: "not"; e: Expr }
  | { k: "and" | "or"; l: Expr; r: Expr };

const props = ["Name", "Size", "Flag", "Tags"];
const text = fc.string({ unit: fc.constantFrom("a", "b", "A", "B", "1", " ", "'", "\\"), maxLength: 4 });
const lit: fc.Arbitrary<Lit> = fc.oneof(text, fc.integer({ min: -3, max: 3 }), fc.boolean(), fc.constant(null), fc.constantFrom("1", "-2", "true", "FALSE"));
const patternPart = fc.constantFrom("a", "b", "B", "1", "%", "_", "[ab]", "[^a]", "[a-b]", " ");
const pattern = fc.array(patternPart, { maxLength: 5 }).map((p) => p.join(""));
const propName = fc.tuple(fc.constantFrom(...props), fc.boolean()).map(([p, upper]) => (upper ? p.toUpperCase() : p));

const expr: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ k: fc.constant("cmp" as const), prop: propName, op: fc.constantFrom("=", "<>", "!=", "<", ">", "<=", ">="), lit }),
    fc.record({ k: fc.constant("like" as const), prop: propName, pattern, negated: fc.boolean() }),
    fc.record({ k: fc.constant("null" as const), prop: propName, negated: fc.boolean() }),
    fc.record({ k: fc.constant("not" as const), e: tie("e") }),
    fc.record({ k: fc.constantFrom("and" as const, "or" as const), l: tie("e"), r: tie("e") }),
  ),
})).e;

const row: fc.Arbitrary<WmiRow> = fc.record(
  {
    Name: fc.oneof(text, fc.constantFrom("1", "-2", "10")),
    Size: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(null)),
    Flag: fc.oneof(fc.boolean(), fc.constant(null)),
    Tags: fc.array(fc.oneof(text, fc.integer({ min: -3, max: 3 })), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

function quote(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

function render(e: Expr): string {
  switch (e.k) {
    case "cmp":
      return `${e.prop} ${e.op} ${typeof e.lit === "string" ? quote(e.lit) : e.lit === null ? "NULL" : String(e.lit).toUpperCase()}`;
    case "like":
      return `${e.prop}${e.negated ? " NOT" : ""} LIKE ${quote(e.pattern)}`;
    case "null":
      return `${e.prop} IS ${e.negated ? "NOT " : ""}NULL`;
    case "not":
      return `NOT (${render(e.e)})`;
    default:
      return `(${render(e.l)}) ${e.k.toUpperCase()} (${render(e.r)})`;
  }
}

// ---- reference ----

function get(r: WmiRow, prop: string): WmiValue {
  const key = props.find((p) => p.toUpperCase() === prop.toUpperCase()) as string;
  return r[key] ?? null;
}

function isNumber(s: string): boolean {
  return /^\s*[-+]?\d+(\.\d*)?\s*$/.test(s);
}

function order(op: string, a: number | string, b: number | string): boolean {
  if (op === "=") return a === b;
  if (op === "<>" || op === "!=") return a !== b;
  if (op === "<") return a < b;
  if (op === ">") return a > b;
  if (op === "<=") return a <= b;
  return a >= b;
}

function compareOne(v: string | number | boolean, op: string, l: string | number | boolean): boolean {
  if (typeof v === "number") {
    const n = typeof l === "number" ? l : typeof l === "boolean" ? (l ? 1 : 0) : isNumber(l) ? Number(l) : NaN;
    return !Number.isNaN(n) && order(op, v, n);
  }
  if (typeof v === "boolean") {
    const n = typeof l === "number" ? l : typeof l === "boolean" ? (l ? 1 : 0) : l.toUpperCase() === "TRUE" ? 1 : l.toUpperCase() === "FALSE" ? 0 : NaN;
    return !Number.isNaN(n) && order(op, v ? 1 : 0, n);
  }
  if (typeof l === "number") return isNumber(v) && order(op, Number(v), l);
  return order(op, v.toUpperCase(), String(l).toUpperCase());
}

function likeOne(value: string, p: string): boolean {
  // Obvious recursive matcher over upper-cased text.
  const v = value.toUpperCase();
  const pat = p.toUpperCase();
  const go = (i: number, j: number): boolean => {
    if (j === pat.length) return i === v.length;
    const c = pat[j] as string;
    if (c === "%") return go(i, j + 1) || (i < v.length && go(i + 1, j));
    if (i === v.length) return false;
    if (c === "_") return go(i + 1, j + 1);
    if (c === "[") {
      const end = pat.indexOf("]", j + 2);
      let body = pat.slice(j + 1, end);
      const neg = body.startsWith("^");
      if (neg) body = body.slice(1);
      const ch = v[i] as string;
      let inSet = false;
      for (let k = 0; k < body.length; k++) {
        if (body[k + 1] === "-" && k + 2 < body.length) {
          if (ch >= (body[k] as string) && ch <= (body[k + 2] as string)) inSet = true;
          k += 2;
        } else if (body[k] === ch) inSet = true;
      }
      return inSet !== neg && go(i + 1, end + 1);
    }
    return c === v[i] && go(i + 1, j + 1);
  };
  return go(0, 0);
}

function anyOf(v: WmiValue, test: (x: string | number | boolean) => boolean): boolean {
  if (v === null) return false;
  return Array.isArray(v) ? v.some(test) : test(v as string | number | boolean);
}

function reference(e: Expr, r: WmiRow): boolean {
  switch (e.k) {
    case "cmp": {
      const v = get(r, e.prop);
      if (e.lit === null) return e.op === "=" ? v === null : e.op === "<>" || e.op === "!=" ? v !== null : false;
      const l = e.lit;
      return anyOf(v, (x) => compareOne(x, e.op, l));
    }
    case "like": {
      const m = anyOf(get(r, e.prop), (x) => likeOne(String(x), e.pattern));
      return e.negated ? !m : m;
    }
    case "null":
      return (get(r, e.prop) === null) !== e.negated;
    case "not":
      return !reference(e.e, r);
    case "and":
      return reference(e.l, r) && reference(e.r, r);
    case "or":
      return reference(e.l, r) || reference(e.r, r);
  }
}

describe("compiled WQL agrees with a reference filter", () => {
  it("on random WHERE clauses and rows", () => {
    fc.assert(
      fc.property(expr, fc.array(row, { maxLength: 8 }), (e, rows) => {
        const q = compileWql(`SELECT * FROM Test_Class WHERE ${render(e)}`);
        expect(q.run(rows)).toEqual(rows.filter((r) => reference(e, r)));
      }),
      { numRuns: 1500 },
    );
  });
});
