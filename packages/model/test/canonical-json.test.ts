import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromCanonicalJson, toCanonicalJson } from "../src/index.js";
import type { ActionVariable, ConditionNode, Item, TaskSequence, XmlElementNode, XmlTrivia } from "../src/index.js";
import { cmReboot, sampleSequence } from "./fixtures.js";

const text = fc.string({ maxLength: 12 });
const dictKey = fc.oneof(fc.constantFrom("trivia", "xml", "__proto__"), text);
const pair = fc.tuple(text, text).map(([a, b]) => [a, b] as const);
const element: fc.Arbitrary<XmlElementNode> = fc.letrec<{ el: XmlElementNode }>((tie) => ({
  el: fc.record({
    kind: fc.constant("element" as const),
    name: fc.constantFrom("x", "ext", "meta"),
    attributes: fc.array(pair, { maxLength: 2 }),
    children: fc.array(fc.oneof({ depthSize: "small" }, fc.record({ kind: fc.constant("text" as const), text }, { requiredKeys: ["kind", "text"] }), tie("el")), { maxLength: 2 }),
  }),
})).el;
const trivia: fc.Arbitrary<XmlTrivia> = fc.record(
  { attributes: fc.array(pair, { maxLength: 3 }), order: fc.array(fc.constantFrom("action", "condition", "item:0", "unknown:0"), { maxLength: 3 }), unknown: fc.array(element, { maxLength: 1 }), extra: fc.dictionary(dictKey, text, { maxKeys: 2 }) },
  { requiredKeys: ["attributes", "order", "unknown"] },
);
const variable: fc.Arbitrary<ActionVariable> = fc.record({ name: text, property: text, value: text, hidden: fc.boolean(), trivia }, { requiredKeys: ["name", "property", "value"] });
const node: fc.Arbitrary<ConditionNode> = fc.letrec<{ node: ConditionNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    fc.record({ kind: fc.constant("expression" as const), type: text, properties: fc.array(fc.record({ name: text, value: text }), { maxLength: 3 }), trivia }, { requiredKeys: ["kind", "type", "properties"] }),
    fc.record({ kind: fc.constant("operator" as const), operator: fc.constantFrom("and", "or", "not", "OR"), operands: fc.array(tie("node"), { maxLength: 3 }) }),
    fc.record({ kind: fc.constant("osConditionGroup" as const), groups: fc.array(fc.record({ name: text, expressions: fc.constant([]) }), { maxLength: 2 }) }),
  ),
})).node;
const base = {
  name: text,
  description: text,
  disabled: fc.boolean(),
  continueOnError: fc.boolean(),
  condition: fc.record({ operands: fc.array(node, { maxLength: 3 }), trivia }, { requiredKeys: ["operands"] }),
  trivia,
};
const item: fc.Arbitrary<Item> = fc.letrec<{ item: Item }>((tie) => ({
  item: fc.oneof(
    { depthSize: "small" },
    fc.record(
      {
        ...base,
        kind: fc.constant("step" as const),
        element: fc.constantFrom("step" as const, "subtasksequence" as const),
        type: fc.constantFrom("", "SMS_TaskSequence_RebootAction", "BDD_Gather", "Contoso_X"),
        successCodes: fc.array(fc.integer({ min: -2147483648, max: 4294967295 }), { maxLength: 3 }),
        runIn: fc.constantFrom("WinPE" as const, "FullOS" as const, "WinPEandFullOS" as const),
        timeout: fc.nat(),
        retryCount: fc.nat(5),
        runFromNet: fc.boolean(),
        startIn: text,
        action: text,
        variables: fc.array(variable, { maxLength: 3 }),
      },
      { requiredKeys: ["kind", "element", "type", "name", "description", "disabled", "continueOnError", "successCodes", "runIn", "retryCount", "runFromNet", "variables"] },
    ),
    fc.record({ ...base, kind: fc.constant("group" as const), expand: fc.boolean(), children: fc.array(tie("item"), { maxLength: 3 }) }, { requiredKeys: ["kind", "name", "description", "disabled", "continueOnError", "children"] }),
  ),
})).item;
const sequence: fc.Arbitrary<TaskSequence> = fc.record(
  {
    kind: fc.constant("sequence" as const),
    version: fc.constantFrom("3.00", "3.10", "2.0"),
    name: text,
    description: text,
    globalVariables: fc.array(variable, { maxLength: 3 }),
    references: fc.array(fc.record({ package: text, program: text, application: text, trivia }, { requiredKeys: [] }), { maxLength: 2 }),
    items: fc.array(item, { maxLength: 4 }),
    package: fc.record({ packageId: text, name: text, bootImageId: text, properties: fc.dictionary(dictKey, text, { maxKeys: 3 }) }, { requiredKeys: ["properties"] }),
    trivia,
  },
  { requiredKeys: ["kind", "version", "globalVariables", "references", "items"] },
);

describe("canonical JSON", () => {
  it("round-trips generated sequences exactly", () => {
    fc.assert(
      fc.property(sequence, (seq) => {
        expect(fromCanonicalJson(toCanonicalJson(seq))).toEqual(seq);
      }),
      { numRuns: 200 },
    );
  });

  it("is stable, sorted, indented and carries trivia under one xml key", () => {
    const seq: TaskSequence = { ...sampleSequence(), items: [cmReboot] };
    const json = toCanonicalJson(seq);
    expect(toCanonicalJson(fromCanonicalJson(json))).toBe(json);
    expect(json.endsWith("}\n")).toBe(true);
    expect(json).toContain('\n  "items": [\n    {\n      "action": "smsboot.exe /target:WinPE",');
    expect(json).toContain('"xml": {');
    expect(json).not.toContain('"trivia"');
    const keys = Object.keys(JSON.parse(json) as object);
    expect(keys).toEqual([...keys].sort());
    expect(Object.isFrozen(fromCanonicalJson(json).items[0])).toBe(true);
  });

  it("rejects malformed JSON and wrong shapes with the JSON path", () => {
    const fail = (t: string): unknown => {
      try {
        fromCanonicalJson(t);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    expect(fail("{")).toMatchObject({ code: "InvalidArgument", position: { path: "$" } });
    const good = JSON.parse(toCanonicalJson({ ...sampleSequence(), items: [cmReboot] })) as { items: Record<string, unknown>[] };
    const mutate = (change: (o: { items: Record<string, unknown>[] }) => void): string => {
      const copy = structuredClone(good);
      change(copy);
      return JSON.stringify(copy);
    };
    expect(fail(mutate((o) => (o.items[0]!.name = 5)))).toMatchObject({ code: "InvalidArgument", position: { path: "$.items[0].name" } });
    expect(fail(mutate((o) => (o.items[0]!.runIn = "Mars")))).toMatchObject({ position: { path: "$.items[0].runIn" } });
    expect(fail(mutate((o) => (o.items[0]!.kind = "thing")))).toMatchObject({ position: { path: "$.items[0].kind" } });
    expect(fail(mutate((o) => (o.items[0]!.successCodes = [1.5])))).toMatchObject({ position: { path: "$.items[0].successCodes[0]" } });
    expect(fail(mutate((o) => ((o.items[0]!.xml as { order: unknown }).order = "x")))).toMatchObject({ position: { path: "$.items[0].xml.order" } });
    expect(fail(mutate((o) => (o.items[0]!.condition = { operands: [{ kind: "?" }] })))).toMatchObject({ position: { path: "$.items[0].condition.operands[0].kind" } });
    expect(fail(mutate((o) => delete o.items[0]!.variables))).toMatchObject({ position: { path: "$.items[0].variables" } });
    expect(fail("[]")).toMatchObject({ position: { path: "$" } });
    const group = (inner: string): string => `{"kind":"group","name":"g","description":"","disabled":false,"continueOnError":false,"children":[${inner}]}`;
    let deep = "";
    for (let i = 0; i < 5000; i++) deep = group(deep);
    expect(fail(`{"kind":"sequence","version":"3.10","globalVariables":[],"references":[],"items":[${deep}]}`)).toMatchObject({ code: "InvalidArgument", message: expect.stringContaining("nested deeper") as unknown });
    expect(fail('{"kind":"sequence","version":"3.10","globalVariables":[],"references":[],"items":[],"package":{"properties":{"a":1}}}')).toMatchObject({ position: { path: "$.package.properties.a" } });
  });
});
