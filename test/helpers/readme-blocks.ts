/**
 * Runs the ```ts blocks of a package README as tests. Imports are dropped (the given scope
 * provides the exports) and every `expr; // → json` line becomes an assertion that `expr`
 * deep-equals the JSON value.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<void>;

/** Turns `expr; // → json` lines into checks and drops imports. */
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

/**
 * Declares the README tests: at least `minBlocks` blocks and `minChecks` checks, and every block
 * runs with every check holding.
 */
export function describeReadmeBlocks(readmeUrl: URL, scope: Record<string, unknown>, minimum: { blocks: number; checks: number }): void {
  const readme = readFileSync(readmeUrl, "utf8");
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
  describe("README examples", () => {
    it("has examples with checks", () => {
      expect(blocks.length).toBeGreaterThanOrEqual(minimum.blocks);
      expect(blocks.reduce((n, b) => n + compile(b).checks, 0)).toBeGreaterThanOrEqual(minimum.checks);
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
}
