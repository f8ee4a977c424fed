import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as inspect from "../src/index.js";
import * as model from "@taskseq/model";

/** Runs the README example against the sources and checks what it prints. */
describe("README", () => {
  it("runs the example as written", async () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const body = code.replace(/^import \{[^}]*\} from "@taskseq\/[a-z]+";\n/gm, "");
    const printed: unknown[][] = [];
    const scope: Record<string, unknown> = { ...model, ...inspect };
    const names = Object.keys(scope);
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
    await new AsyncFunction(...names, "console", body)(...names.map((n) => scope[n]), { log: (...values: unknown[]) => printed.push(values) });
    expect(printed).toEqual([
      ["will-skip", 'the condition is false: _SMSTSInWinPE equals "false" — actual "true"'],
      [["ReadBeforeWrite: Role"]],
      [true],
      ["# Kiosk"],
    ]);
  });
});
