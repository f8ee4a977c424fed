/**
 * Canonical JSON: one stable, sorted, diff-friendly, lossless text form of a task sequence.
 * Each node's trivia is carried under a single `"xml"` key.
 */
import { TaskSeqError } from "./errors.js";
import { deepFreeze } from "./deep-freeze.js";
import { checkTaskSequenceShape } from "./sequence-shape.js";
import type { TaskSequence } from "./types.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Keys whose values are free dictionaries: their keys are data, never renamed. */
const DICTIONARIES = new Set(["properties", "extra"]);

function byKey(a: [string, Json], b: [string, Json]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function toJson(value: unknown, dictionary = false): Json {
  if (Array.isArray(value)) return value.map((v) => toJson(v));
  if (typeof value === "object" && value !== null) {
    const entries: [string, Json][] = [];
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const isDictionary = !dictionary && DICTIONARIES.has(key) && typeof v === "object" && v !== null && !Array.isArray(v);
      entries.push([!dictionary && key === "trivia" ? "xml" : key, isDictionary ? toJson(v, true) : toJson(v)]);
    }
    return Object.fromEntries(entries.sort(byKey));
  }
  return value as Json;
}

/**
 * The canonical JSON text of a sequence: keys sorted, 2-space indent, trailing newline. A value
 * that is not a task sequence is `InvalidArgument` naming the place ({@link checkTaskSequenceShape}).
 *
 * @example
 * ```ts
 * await writeFile("ts.json", toCanonicalJson(seq));
 * ```
 */
export function toCanonicalJson(seq: TaskSequence): string {
  checkTaskSequenceShape(seq);
  return `${JSON.stringify(toJson(seq), null, 2)}\n`;
}

/** Deepest JSON path accepted (keys and indexes), far beyond real sequences; bounds the recursion. */
const MAX_PATH_DEPTH = 1000;

class Reader {
  constructor(
    readonly path: string,
    readonly depth = 0,
  ) {}
  fail(expected: string): never {
    throw new TaskSeqError("InvalidArgument", `Canonical JSON: ${this.path} must be ${expected}.`, { position: { path: this.path } });
  }
  at(key: string | number): Reader {
    if (this.depth >= MAX_PATH_DEPTH) {
      throw new TaskSeqError("InvalidArgument", `Canonical JSON is nested deeper than ${MAX_PATH_DEPTH} levels.`, { position: { path: this.path.slice(0, 200) } });
    }
    return new Reader(typeof key === "number" ? `${this.path}[${key}]` : `${this.path}.${key}`, this.depth + 1);
  }
}

type Obj = Record<string, unknown>;
type Field = "string" | "boolean" | "number" | "integer";

function object(r: Reader, v: unknown): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) r.fail("an object");
  return v as Obj;
}

function array<T>(r: Reader, v: unknown, each: (r: Reader, v: unknown) => T): T[] {
  if (!Array.isArray(v)) r.fail("an array");
  return v.map((x, i) => each(r.at(i), x));
}

function scalar(r: Reader, v: unknown, kind: Field): unknown {
  const ok = kind === "integer" ? Number.isInteger(v) : typeof v === kind;
  if (!ok) r.fail(kind === "integer" ? "an integer" : `a ${kind}`);
  return v;
}

/** Copies the listed fields of `o` after checking their kinds; `?` marks optional ones. */
function fields(r: Reader, o: Obj, spec: Record<string, Field>): Obj {
  const out: Obj = {};
  for (const [name, kind] of Object.entries(spec)) {
    const optional = name.endsWith("?");
    const key = optional ? name.slice(0, -1) : name;
    if (o[key] === undefined) {
      if (!optional) r.at(key).fail(`present (${kind})`);
      continue;
    }
    out[key] = scalar(r.at(key), o[key], kind);
  }
  return out;
}

const pair = (r: Reader, v: unknown): [string, string] => {
  const a = array(r, v, (rr, x) => scalar(rr, x, "string") as string);
  if (a.length !== 2) r.fail("a [name, value] pair");
  return [a[0] ?? "", a[1] ?? ""];
};

function xmlElement(r: Reader, v: unknown): Obj {
  const o = object(r, v);
  if (o.kind !== "element") r.at("kind").fail('"element"');
  return {
    kind: "element",
    ...fields(r, o, { name: "string" }),
    attributes: array(r.at("attributes"), o.attributes, pair),
    children: array(r.at("children"), o.children, (rr, x) => {
      const c = object(rr, x);
      return c.kind === "text" ? { kind: "text", ...fields(rr, c, { text: "string", "cdata?": "boolean" }) } : xmlElement(rr, c);
    }),
  };
}

function withTrivia(r: Reader, o: Obj, out: Obj): Obj {
  if (o.xml === undefined) return out;
  const t = object(r.at("xml"), o.xml);
  const rt = r.at("xml");
  const trivia: Obj = {
    attributes: array(rt.at("attributes"), t.attributes, pair),
    order: array(rt.at("order"), t.order, (rr, x) => scalar(rr, x, "string")),
    unknown: array(rt.at("unknown"), t.unknown, xmlElement),
  };
  if (t.extra !== undefined) {
    const extra = object(rt.at("extra"), t.extra);
    for (const [k, x] of Object.entries(extra)) scalar(rt.at("extra").at(k), x, "string");
    trivia.extra = extra;
  }
  return { ...out, trivia };
}

function variable(r: Reader, v: unknown): Obj {
  const o = object(r, v);
  return withTrivia(r, o, fields(r, o, { name: "string", property: "string", value: "string", "hidden?": "boolean" }));
}

function node(r: Reader, v: unknown): Obj {
  const o = object(r, v);
  switch (o.kind) {
    case "expression":
      return withTrivia(r, o, {
        kind: "expression",
        ...fields(r, o, { type: "string" }),
        properties: array(r.at("properties"), o.properties, (rr, x) => {
          const p = object(rr, x);
          return withTrivia(rr, p, fields(rr, p, { name: "string", value: "string" }));
        }),
      });
    case "operator":
      return withTrivia(r, o, { kind: "operator", ...fields(r, o, { operator: "string" }), operands: array(r.at("operands"), o.operands, node) });
    case "osConditionGroup":
      return withTrivia(r, o, {
        kind: "osConditionGroup",
        groups: array(r.at("groups"), o.groups, (rr, x) => {
          const g = object(rr, x);
          return withTrivia(rr, g, { ...fields(rr, g, { name: "string" }), expressions: array(rr.at("expressions"), g.expressions, node) });
        }),
      });
    default:
      return r.at("kind").fail('"expression", "operator" or "osConditionGroup"');
  }
}

function condition(r: Reader, v: unknown): Obj {
  const o = object(r, v);
  return withTrivia(r, o, { operands: array(r.at("operands"), o.operands, node) });
}

const RUN_IN = ["WinPE", "FullOS", "WinPEandFullOS"];

function item(r: Reader, v: unknown): Obj {
  const o = object(r, v);
  const base: Obj = fields(r, o, { name: "string", description: "string", disabled: "boolean", continueOnError: "boolean" });
  if (o.condition !== undefined) base.condition = condition(r.at("condition"), o.condition);
  if (o.kind === "group") {
    return withTrivia(r, o, { kind: "group", ...base, ...fields(r, o, { "expand?": "boolean" }), children: array(r.at("children"), o.children, item) });
  }
  if (o.kind !== "step") r.at("kind").fail('"step" or "group"');
  if (o.element !== "step" && o.element !== "subtasksequence") r.at("element").fail('"step" or "subtasksequence"');
  if (typeof o.runIn !== "string" || !RUN_IN.includes(o.runIn)) r.at("runIn").fail(RUN_IN.join(", "));
  return withTrivia(r, o, {
    kind: "step",
    element: o.element,
    runIn: o.runIn,
    ...base,
    ...fields(r, o, { type: "string", retryCount: "integer", runFromNet: "boolean", "timeout?": "integer", "startIn?": "string", "action?": "string" }),
    successCodes: array(r.at("successCodes"), o.successCodes, (rr, x) => scalar(rr, x, "integer")),
    variables: array(r.at("variables"), o.variables, variable),
  });
}

function sequence(r: Reader, v: unknown): TaskSequence {
  const o = object(r, v);
  if (o.kind !== "sequence") r.at("kind").fail('"sequence"');
  const out: Obj = {
    kind: "sequence",
    ...fields(r, o, { version: "string", "name?": "string", "description?": "string" }),
    globalVariables: array(r.at("globalVariables"), o.globalVariables, variable),
    references: array(r.at("references"), o.references, (rr, x) => {
      const ref = object(rr, x);
      return withTrivia(rr, ref, fields(rr, ref, { "package?": "string", "program?": "string", "application?": "string" }));
    }),
    items: array(r.at("items"), o.items, item),
  };
  if (o.package !== undefined) {
    const rp = r.at("package");
    const p = object(rp, o.package);
    const properties = object(rp.at("properties"), p.properties);
    for (const [k, x] of Object.entries(properties)) scalar(rp.at("properties").at(k), x, "string");
    out.package = { ...fields(rp, p, { "packageId?": "string", "name?": "string", "description?": "string", "bootImageId?": "string" }), properties };
  }
  return withTrivia(r, o, out) as unknown as TaskSequence;
}

/**
 * Reads canonical JSON back into a frozen sequence. Malformed JSON or a wrong shape →
 * `InvalidArgument` whose position names the JSON path (`$.items[0].name`).
 *
 * @example
 * ```ts
 * const seq = fromCanonicalJson(await readFile("ts.json", "utf8"));
 * ```
 */
export function fromCanonicalJson(text: string): TaskSequence {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new TaskSeqError("InvalidArgument", "Canonical JSON is not well-formed JSON.", { cause, position: { path: "$" } });
  }
  return deepFreeze(sequence(new Reader("$"), parsed));
}
