import { describe, expect, it } from "vitest";
import { E_FAIL_RETURN_CODE, stepReturnCodeOf, type TaskSeqErrorCode } from "@taskseq/model";

// spec/steps.md §1.3, row by row
const rows: ReadonlyArray<readonly [TaskSeqErrorCode, number]> = [
  ["StepTimeout", 1460],
  ["AccessDenied", 5],
  ["ReadOnlyVariable", 5],
  ["InvalidSetting", 87],
  ["InvalidVariableName", 87],
  ["ValueTooLong", 87],
  ["UnsupportedStep", 50],
  ["AdapterMissing", 50],
  ["WrongEnvironment", 50],
  ["NotSupportedOnMedia", 50],
  ["ScriptUnsupported", 50],
  ["ContentNotFound", -2147024894],
  ["UnexpectedRestart", -2147467259],
  ["ReadinessCheckFailed", 4316],
];

describe("stepReturnCodeOf", () => {
  it.each(rows)("%s → %i", (code, returnCode) => {
    expect(stepReturnCodeOf(code)).toBe(returnCode);
  });

  it("has no number for codes the spec does not list", () => {
    for (const code of ["NotFound", "DeviceOperationFailed", "Aborted", "XmlMalformed"] as const) expect(stepReturnCodeOf(code)).toBeUndefined();
  });

  it("E_FAIL is 0x80004005 as a signed 32-bit value", () => {
    expect(E_FAIL_RETURN_CODE).toBe(0x80004005 | 0);
  });
});
