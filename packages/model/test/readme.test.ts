import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import * as model from "../src/index.js";

/** Runs the README example against the sources and checks what it prints. */
describe("README", () => {
  it("runs the example as written", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const body = code.replace(/^import \{[\s\S]*?\} from "@taskseq\/model";\n/m, "");
    const printed: unknown[] = [];
    const log = vi.fn((value: unknown) => printed.push(value));
    const names = Object.keys(model);
    new Function(...names, "console", body)(...names.map((n) => (model as Record<string, unknown>)[n]), { log });
    expect(printed).toEqual(["WinPE", 'if all: _SMSTSInWinPE equals "false"', [], 1]);
  });
});
