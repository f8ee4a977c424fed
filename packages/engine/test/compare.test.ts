import { describe, expect, it } from "vitest";
import type { Condition } from "@taskseq/model";
import { compareValues, evaluateCondition, likeMatch, type ConditionContext } from "@taskseq/engine";
import { createFakeDevice } from "./fake-device.js";
import { expr } from "./fixtures.js";

function ctx(vars: Record<string, string>, caseSensitive = false): ConditionContext {
  const upper = new Map(Object.entries(vars).map(([k, v]) => [k.toUpperCase(), v]));
  return {
    getVariable: (n) => upper.get(n.toUpperCase()),
    expand: (t) => Promise.resolve(t),
    device: createFakeDevice({
      registry: {
        "hklm\\software\\acme@edition": { type: "REG_SZ", data: "Enterprise" },
        "hklm\\software\\acme@street": { type: "REG_SZ", data: "Straße" },
      },
    }),
    caseSensitive,
  };
}

const variable = (value: string, operator: string, right: string, caseSensitive = false): Promise<boolean> =>
  evaluateCondition({ operands: [expr("VariableConditionExpression", { Variable: "X", Operator: operator, Value: right })] }, ctx({ X: value }, caseSensitive)).then((o) => o.value);

const registry = (name: string, operator: string, data: string, caseSensitive = false): Promise<boolean> => {
  const c: Condition = { operands: [expr("RegistryConditionExpression", { KeyPath: "HKLM\\SOFTWARE\\Acme", Value: name, Operator: operator, Data: data })] };
  return evaluateCondition(c, ctx({}, caseSensitive)).then((o) => o.value);
};

describe("invariant upper-casing (conditions.md §4.2 item 5, §4.4)", () => {
  it("audit: Straße equals STRASSE is false (ß is not upper-cased to SS)", async () => {
    expect(await variable("Straße", "equals", "STRASSE")).toBe(false);
    expect(await variable("Straße", "notEquals", "STRASSE")).toBe(true);
  });
  it("audit: ß equals ss is false", async () => {
    expect(await variable("ß", "equals", "ss")).toBe(false);
    expect(compareValues("ß", "SS")).not.toBe(0);
  });
  it("audit: straße like stra_e is true (ß stays one character)", async () => {
    expect(await variable("straße", "like", "stra_e")).toBe(true);
    expect(await variable("STRASSE", "like", "stra_e")).toBe(false);
    expect(likeMatch("Straße", "STRAßE")).toBe(true);
  });
  it("ligatures stay one character; ordering compares the upper-cased strings ordinally", () => {
    expect(compareValues("ﬁle", "FILE")).not.toBe(0);
    expect(likeMatch("ﬁle", "_le")).toBe(true);
    // ß (U+00DF) sorts after Z once upper-casing leaves it alone; full mapping made it "SS".
    expect(compareValues("ß", "T")).toBe(1);
    expect(compareValues("straßa", "STRASSE")).toBe(1);
  });
  it("simple mappings that are not the identity still apply (é, Greek ypogegrammeni, Deseret)", () => {
    expect(compareValues("café", "CAFÉ")).toBe(0);
    expect(compareValues("ᾳ", "ᾼ")).toBe(0);
    expect(likeMatch("ᾳ", "_")).toBe(true);
    expect(compareValues("𐐨", "𐐀")).toBe(0);
    expect(likeMatch("x𐐨y", "X𐐀Y")).toBe(true);
  });
  it("dotless ı upper-cases to itself, as in .NET's invariant culture", () => {
    expect(compareValues("ı", "I")).not.toBe(0);
    expect(compareValues("i", "I")).toBe(0);
  });
  it("_ and ? match one code point: an emoji (a surrogate pair) is one character", async () => {
    expect(likeMatch("😀", "_")).toBe(true);
    expect(likeMatch("😀", "?")).toBe(true);
    expect(likeMatch("😀", "__")).toBe(false);
    expect(likeMatch("a😀b", "A_B")).toBe(true);
    expect(likeMatch("a😀b😀", "%B?")).toBe(true);
    expect(likeMatch("ß😀", "__")).toBe(true);
    expect(await variable("Model 😀", "like", "model _")).toBe(true);
  });
  it("ASCII cases are unchanged", async () => {
    expect(await variable("True", "equals", "TRUE")).toBe(true);
    expect(await variable("abc", "less", "ABD")).toBe(true);
    expect(await variable("a_b", "equals", "A_B")).toBe(true);
    expect(compareValues("abc", "ABC")).toBe(0);
    expect(compareValues("abc", "abcd")).toBe(-1);
    expect(compareValues("b", "A")).toBe(1);
    // "[" (0x5B) sorts after "Z" and before "a"; upper-casing makes "a" → "A".
    expect(compareValues("[", "a")).toBe(1);
    expect(compareValues("10a", "9")).toBe(-1);
    expect(likeMatch("Latitude 5490", "%latitude%")).toBe(true);
    expect(likeMatch("DELL-ABC-9001", "dell*900?")).toBe(true);
    expect(likeMatch("DELL9009", "DELL%9")).toBe(true);
    expect(likeMatch("DELL", "DELL%%*")).toBe(true);
    expect(likeMatch("DELL", "DEL")).toBe(false);
    expect(likeMatch("", "%")).toBe(true);
    expect(likeMatch("", "_")).toBe(false);
  });
});

describe("conditionCaseSensitive covers equality and ordering only (conditions.md §4.2 items 5 and 7, §4.4)", () => {
  it("variable equals / ordering become ordinal case-sensitive", async () => {
    expect(await variable("True", "equals", "true", true)).toBe(false);
    expect(await variable("True", "equals", "True", true)).toBe(true);
    expect(await variable("b", "greater", "C", true)).toBe(true);
  });
  it("variable like / notLike stay case-insensitive", async () => {
    expect(await variable("Latitude 5490", "like", "%latitude%", true)).toBe(true);
    expect(await variable("Latitude 5490", "notLike", "%latitude%", true)).toBe(false);
    expect(await variable("straße", "like", "STRA_E", true)).toBe(true);
  });
  it("registry like stays case-insensitive; registry equals follows the option like §4.2", async () => {
    expect(await registry("Edition", "like", "enter%", true)).toBe(true);
    expect(await registry("Edition", "notLike", "ENTER%", true)).toBe(false);
    expect(await registry("Edition", "equals", "enterprise", false)).toBe(true);
    expect(await registry("Edition", "equals", "enterprise", true)).toBe(false);
    expect(await registry("Street", "equals", "STRASSE")).toBe(false);
    expect(await registry("Street", "like", "STRA_E")).toBe(true);
  });
});
