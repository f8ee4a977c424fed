/**
 * The examples run against the built packages (after `npm run build`), as a user would run them.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";
import { runBuiltTs } from "./run-built.js";

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
    const dir = tempDir("taskseq-shell-example-");
    node([join(root, "packages/cli/dist/bin.js"), "shell", join(root, "examples/shell/build-sequence.ps1")], dir);
    expect(readFileSync(join(dir, "build-sequence.xml"), "utf8")).toContain('name="Say hello"');
  });

  it("custom-adapter runs built-in steps and WMI conditions on an integrator's in-memory device", () => {
    expect(runBuiltTs(join(root, "examples/custom-adapter/index.ts")).trim().split("\n")).toEqual([
      "status: success",
      "step: Read the hardware -> success (0)",
      "step: Report the model -> success (0)",
      "step: Contoso only -> success (0)",
      "step: Laptops only -> skipped-condition (0)",
      "model: Lab 9000",
      "driver package: CT100042",
      "platform: Contoso lab",
      "commands: cmd /c echo Contoso Lab 9000",
    ]);
  });

  it("custom-step-js sets variables from a JavaScript Run Script step", () => {
    expect(runBuiltTs(join(root, "examples/custom-step-js/index.ts")).trim().split("\n")).toEqual([
      "status: success",
      "OSDComputerName: LAB-VIRTUALMACH",
      "DeviceMake: Microsoft Corporation",
      "Greeting: Hello from Contoso",
      "ScriptOutput: named LAB-VIRTUALMACH",
    ]);
  });

  it("custom-step-ps sets variables from a PowerShell-style Run Script step imported from XML", () => {
    expect(runBuiltTs(join(root, "examples/custom-step-ps/index.ts")).trim().split("\n")).toEqual([
      "status: success",
      "MemoryGB: 4",
      "MemoryOK: False",
      "DeviceRole: KIOSK",
    ]);
  });
});
