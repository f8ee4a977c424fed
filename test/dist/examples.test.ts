/**
 * The examples run against the built packages (after `npm run build`), as a user would run them.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const node = (args: string[], cwd = root): string => execFileSync(process.execPath, args, { cwd, encoding: "utf8" });

describe("examples", () => {
  it("node-esm builds a sequence with the cmdlets and runs it", () => {
    expect(node([join(root, "examples/node-esm/index.mjs")]).trim()).toBe("success esm");
  });

  it("node-cjs imports MDT XML with require() and runs it", () => {
    expect(node([join(root, "examples/node-cjs/index.cjs")]).trim()).toBe("success cjs");
  });

  it("shell example exports a sequence through the built CLI", () => {
    const dir = mkdtempSync(join(tmpdir(), "taskseq-shell-example-"));
    node([join(root, "packages/cli/dist/bin.js"), "shell", join(root, "examples/shell/build-sequence.ps1")], dir);
    expect(readFileSync(join(dir, "build-sequence.xml"), "utf8")).toContain('name="Say hello"');
  });
});
