/**
 * The return codes of engine-side step failures (spec/steps.md §1.3), keyed by typed error code.
 * One table for the engine and the step handlers.
 */
import type { TaskSeqErrorCode } from "./errors.js";

/** `0x80004005` (E_FAIL): the return code of a failure the spec gives no number. */
export const E_FAIL_RETURN_CODE = -2147467259;

const STEP_RETURN_CODES: Partial<Record<TaskSeqErrorCode, number>> = {
  StepTimeout: 1460,
  AccessDenied: 5,
  ReadOnlyVariable: 5,
  InvalidSetting: 87,
  InvalidVariableName: 87,
  ValueTooLong: 87,
  UnsupportedStep: 50,
  AdapterMissing: 50,
  WrongEnvironment: 50,
  NotSupportedOnMedia: 50,
  ScriptUnsupported: 50,
  ContentNotFound: -2147024894,
  UnexpectedRestart: E_FAIL_RETURN_CODE,
  ReadinessCheckFailed: 4316,
};

/**
 * The return code steps.md §1.3 assigns to a typed step failure, or `undefined` when the spec
 * names none (the caller decides: the engine uses {@link E_FAIL_RETURN_CODE}, step handlers `1`).
 *
 * @example
 * ```ts
 * stepReturnCodeOf("StepTimeout"); // 1460
 * stepReturnCodeOf("InvalidSetting"); // 87
 * stepReturnCodeOf("NotFound"); // undefined
 * ```
 */
export function stepReturnCodeOf(code: TaskSeqErrorCode): number | undefined {
  return STEP_RETURN_CODES[code];
}
