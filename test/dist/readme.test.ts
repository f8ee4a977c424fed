/**
 * Every `ts` block of README.md and docs/getting-started.md runs as an ES module against the
 * built packages (after `npm run build`) and must exit 0 with the output its comments promise.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runBuiltTs } from "./run-built.js";

const root = new URL("../../", import.meta.url);
const work = new URL(".tmp/readme-blocks/", root);

/** The ```ts blocks of a Markdown file. */
export function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
}

/** `console.log(x); // expected` lines: the expected printed text, in order. */
function expectedLines(block: string): string[] {
  return [...block.matchAll(/console\.log\(.*\); \/\/ ([^:\n]+?)(?::.*)?$/gm)].map((m) => (m[1] ?? "").trim());
}

describe.each(["README.md", "docs/getting-started.md"])("%s code blocks", (file) => {
  const blocks = tsBlocks(readFileSync(new URL(file, root), "utf8"));
  it("has code blocks", () => expect(blocks.length).toBeGreaterThan(0));
  blocks.forEach((block, i) => {
    it(`block ${i + 1} runs`, () => {
      mkdirSync(work, { recursive: true });
      const path = fileURLToPath(new URL(`${file.replace(/\W/g, "-")}-${i}.mts`, work));
      writeFileSync(path, block);
      const out = runBuiltTs(path);
      expect(out.trim().split("\n")).toEqual(expectedLines(block));
    });
  });
});
