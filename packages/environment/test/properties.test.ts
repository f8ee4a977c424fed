import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEnvironment } from "@taskseq/environment";

const nameArb = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,15}$/);
const valueArb = fc.string({ minLength: 1, maxLength: 40 });
const flipCase = (s: string, mask: readonly boolean[]): string =>
  [...s].map((c, i) => (mask[i % Math.max(mask.length, 1)] === true ? c.toUpperCase() : c.toLowerCase())).join("");

describe("properties", () => {
  it("names are case-insensitive: any casing reads and overwrites the same variable", () => {
    fc.assert(
      fc.property(nameArb, valueArb, valueArb, fc.array(fc.boolean(), { minLength: 1 }), (name, v1, v2, mask) => {
        const { env } = createEnvironment();
        env.set(name, v1);
        const other = flipCase(name, mask);
        expect(env.get(other)).toBe(v1);
        env.set(other, v2);
        expect(env.get(name)).toBe(v2);
        expect(env.GetVariables().filter((n) => n.toUpperCase() === name.toUpperCase())).toEqual([name]);
      }),
    );
  });

  it("precedence: the highest layer that defines a name wins, whatever the input order", () => {
    const layerArb = fc.record({
      seq: fc.option(valueArb, { nil: undefined }),
      collections: fc.array(fc.record({ id: fc.stringMatching(/^[A-Z]{3}[0-9]{5}$/), priority: fc.integer({ min: 1, max: 9 }), value: valueArb }), { maxLength: 5 }),
      device: fc.option(valueArb, { nil: undefined }),
      runtime: fc.option(valueArb, { nil: undefined }),
    });
    fc.assert(
      fc.property(nameArb, layerArb, (name, l) => {
        const { env, engine } = createEnvironment();
        engine.applyLayers({
          builtinDefaults: [],
          sequence: l.seq === undefined ? [] : [{ name, value: l.seq }],
          collections: l.collections.map((c) => ({ id: c.id, priority: c.priority, variables: [{ name, value: c.value }] })),
          device: l.device === undefined ? [] : [{ name, value: l.device }],
        });
        if (l.runtime !== undefined) env.set(name, l.runtime);
        const best = [...l.collections].sort((a, b) => b.priority - a.priority || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))[0];
        const expected = l.runtime ?? l.device ?? best?.value ?? l.seq;
        expect(env.get(name)).toBe(expected);
      }),
    );
  });

  it("deletion: setting the empty string removes the variable from every view", () => {
    fc.assert(
      fc.property(fc.uniqueArray(nameArb, { selector: (n) => n.toUpperCase(), minLength: 1, maxLength: 8 }), valueArb, (names, value) => {
        const { env, engine } = createEnvironment();
        engine.applyLayers({ builtinDefaults: [] });
        for (const n of names) env.set(n, value);
        const [victim] = names;
        if (victim === undefined) return;
        env.set(victim.toLowerCase(), "");
        expect(env.has(victim)).toBe(false);
        expect(env.Value(victim)).toBe("");
        expect(env.GetVariables()).toHaveLength(names.length - 1);
        expect(env.expand(`%${victim}%`)).toBe(`%${victim}%`);
        expect(env.size).toBe(names.slice(1).reduce((s, n) => s + (n.length + value.length) * 2, 0));
      }),
    );
  });

  it("expansion: text without % is unchanged, and a reference expands to its value exactly once", () => {
    const plain = fc.string({ maxLength: 30 }).filter((s) => !s.includes("%"));
    fc.assert(
      fc.property(plain, nameArb, valueArb, plain, (before, name, value, after) => {
        const { env } = createEnvironment();
        env.set(name, value);
        expect(env.expand(before + after)).toBe(before + after);
        expect(env.expand(`${before}%${name.toLowerCase()}%${after}`)).toBe(before + value + after);
      }),
    );
  });
});
