/**
 * The PowerShell-style runtime units ship minified (QuickJS compiles fewer, shorter tokens about a
 * tenth faster), from a generated file checked in so the package has no minifier at run time.
 * This test fails when the file is out of date; regenerate it with
 * `UPDATE_MINIFIED=1 npx vitest run packages/script/test/runtime-units-minified.test.ts`.
 */
import { writeFileSync } from "node:fs";
import { transformSync } from "esbuild";
import { describe, expect, it } from "vitest";
import { RUNTIME_UNIT_SOURCES } from "../src/powershell/runtime-units.js";
import { MINIFIED_RUNTIME_UNIT_SOURCES } from "../src/powershell/runtime-units.min.js";

/** Each unit on its own: its top-level names are shared with the other units, so only locals are renamed. */
function minify(source: string): string {
  return transformSync(source, { minify: true, target: "es2019", loader: "js", charset: "utf8" }).code;
}

function generated(): string {
  const entries = Object.entries(RUNTIME_UNIT_SOURCES).map(([name, source]) => `  ${JSON.stringify(name)}: ${JSON.stringify(minify(source))},`);
  return [
    "/**",
    " * Generated from the runtime units (runtime-units.ts) by test/runtime-units-minified.test.ts with",
    " * esbuild's minifier: do not edit. Regenerate with",
    " * `UPDATE_MINIFIED=1 npx vitest run packages/script/test/runtime-units-minified.test.ts`.",
    " */",
    "",
    "/** The source of every runtime unit, minified, by unit name. */",
    "export const MINIFIED_RUNTIME_UNIT_SOURCES: Readonly<Record<string, string>> = {",
    ...entries,
    "};",
    "",
  ].join("\n");
}

describe("the minified runtime units", () => {
  it("are up to date with the runtime units", () => {
    const expected = generated();
    if (process.env["UPDATE_MINIFIED"] === "1") writeFileSync(new URL("../src/powershell/runtime-units.min.ts", import.meta.url), expected);
    expect(Object.keys(MINIFIED_RUNTIME_UNIT_SOURCES)).toEqual(Object.keys(RUNTIME_UNIT_SOURCES));
    for (const [name, source] of Object.entries(RUNTIME_UNIT_SOURCES)) expect(MINIFIED_RUNTIME_UNIT_SOURCES[name], name).toBe(minify(source));
  });

  it("are smaller than the readable ones", () => {
    const size = (units: Readonly<Record<string, string>>): number => Object.values(units).reduce((sum, s) => sum + s.length, 0);
    expect(size(MINIFIED_RUNTIME_UNIT_SOURCES)).toBeLessThan(size(RUNTIME_UNIT_SOURCES) * 0.85);
  });
});
