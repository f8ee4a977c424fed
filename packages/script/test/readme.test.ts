/**
 * Executes the README's TypeScript blocks; every `expr; // → json` line is an assertion.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as environment from "@taskseq/environment";
import * as script from "@taskseq/script";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<void>;
const scope: Record<string, unknown> = { ...environment, ...script };

/** Turns `expr; // → json` lines into checks and drops imports (the scope provides the exports). */
function compile(block: string): { code: string; checks: number } {
  let checks = 0;
  const code = block
    .split("\n")
    .filter((line) => !line.startsWith("import "))
    .map((line) => {
      const m = /^(.*?);\s*\/\/ → (.*)$/.exec(line);
      if (m === null) return line;
      checks++;
      return `__check(${m[1]}, ${JSON.stringify(m[2])});`;
    })
    .join("\n");
  return { code, checks };
}

describe("README examples", () => {
  it("has examples with checks", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    expect(blocks.reduce((n, b) => n + compile(b).checks, 0)).toBeGreaterThan(15);
  });

  it.each(blocks.map((b, i) => [i, b] as const))("block %i runs and every // → line holds", async (_i, block) => {
    const { code, checks } = compile(block);
    const seen: Array<[unknown, unknown]> = [];
    const check = (actual: unknown, expected: string): void => void seen.push([actual, JSON.parse(expected)]);
    const names = Object.keys(scope);
    await new AsyncFunction(...names, "__check", code)(...names.map((n) => scope[n]), check);
    expect(seen).toHaveLength(checks);
    for (const [actual, expected] of seen) expect(actual).toEqual(expected);
  });
});
