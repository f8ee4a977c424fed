import { describe, expect, it } from "vitest";
import { checkVariableName, isReadOnlyVariableName, MAX_VARIABLE_NAME_LENGTH, variableNameKey } from "@taskseq/model";

// spec/variables.md §2.1, row by row
const valid: ReadonlyArray<readonly [string, string]> = [
  ["OSDComputerName", "OSDComputerName"],
  ["MyVar_01", "MyVar_01"],
  ["Deploy-Type", "Deploy-Type"],
  ["W10X64DRIVERPACKAGE", "W10X64DRIVERPACKAGE"],
  ["OSDPartitions0Type", "OSDPartitions0Type"],
  ["osdcomputername", "osdcomputername"],
  ["  MyVar  ", "MyVar"],
  ["A", "A"],
  ["a".repeat(256), "a".repeat(256)],
];
const invalid: ReadonlyArray<readonly [string, string]> = [
  ["a".repeat(257), "too-long"],
  ["", "empty"],
  ["   ", "empty"],
  ["My Var", "embedded-space"],
  ["My.Var", "invalid-character"],
  ["Var$", "invalid-character"],
  ["%MyVar%", "invalid-character"],
  ["Größe", "invalid-character"],
  ["My\tVar", "invalid-character"],
];

describe("checkVariableName (spec table §2.1)", () => {
  it.each(valid)("accepts %j as %j", (input, trimmed) => {
    expect(checkVariableName(input)).toEqual({ ok: true, name: trimmed, readOnly: false });
  });

  it.each(invalid)("refuses %j (%s)", (input, problem) => {
    const result = checkVariableName(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem).toBe(problem);
      expect(result.code).toBe("InvalidVariableName");
    }
  });

  it("refuses a read-only name for a user and accepts it for the engine", () => {
    expect(checkVariableName("_MyVar")).toMatchObject({ ok: false, code: "ReadOnlyVariable", problem: "read-only" });
    expect(checkVariableName("_SMSTSMachineName", { allowReadOnly: true })).toEqual({ ok: true, name: "_SMSTSMachineName", readOnly: true });
  });

  it("accepts a leading digit or hyphen with a warning", () => {
    expect(checkVariableName("2PintTurboLicense")).toEqual({ ok: true, name: "2PintTurboLicense", readOnly: false, warning: "leading-digit" });
    expect(checkVariableName("-Var")).toEqual({ ok: true, name: "-Var", readOnly: false, warning: "leading-hyphen" });
  });

  it("keeps messages short for huge names", () => {
    const result = checkVariableName("x".repeat(10_000));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message.length).toBeLessThan(200);
  });

  it("exposes the maximum length", () => {
    expect(MAX_VARIABLE_NAME_LENGTH).toBe(256);
  });
});

describe("isReadOnlyVariableName", () => {
  it("is true only for a leading underscore after trimming", () => {
    expect(isReadOnlyVariableName(" _SMSTSLogPath")).toBe(true);
    expect(isReadOnlyVariableName("SMSTS_LogPath")).toBe(false);
    expect(isReadOnlyVariableName("")).toBe(false);
  });
});

describe("variableNameKey", () => {
  it("ignores case and surrounding spaces", () => {
    expect(variableNameKey("_SMSTSinWinPE")).toBe(variableNameKey(" _SMSTSInWinPE "));
    expect(variableNameKey("osdvar")).toBe("OSDVAR");
  });

  it("never maps a non-ASCII name onto an ASCII one", () => {
    expect(variableNameKey("ſ")).not.toBe(variableNameKey("S"));
  });
});
