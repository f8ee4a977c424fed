/**
 * Step results and failures (spec/steps.md §1.3): every typed failure carries the return code
 * the spec assigns to its error code; handlers throw `TaskSeqError` and {@link defineHandler}
 * turns it into a result.
 */
import type { StepHandler, StepHandlerContext, StepHandlerResult } from "@taskseq/engine";
import { TaskSeqError, isTaskSeqError, stepReturnCodeOf, type TaskSeqErrorCode } from "@taskseq/model";

/** Environment write errors become the engine-side step codes (`5` read-only, `87` invalid). */
const STEP_CODES: Partial<Record<TaskSeqErrorCode, TaskSeqErrorCode>> = {
  ReadOnlyVariable: "AccessDenied",
  InvalidVariableName: "InvalidSetting",
  ValueTooLong: "InvalidSetting",
};

/** The return code of a typed failure (spec/steps.md §1.3); `1` for codes the spec gives no number. */
function returnCodeOf(code: TaskSeqErrorCode): number {
  return stepReturnCodeOf(code) ?? 1;
}

/** A failed result carrying `error` and its return code (or `exitCode` when given). */
export function failed(error: TaskSeqError, exitCode = returnCodeOf(error.code)): StepHandlerResult {
  return { exitCode, succeeded: false, error };
}

/** Shorthand: fails with a new typed error. */
export function failure(code: TaskSeqErrorCode, message: string, details?: Readonly<Record<string, unknown>>): StepHandlerResult {
  return failed(new TaskSeqError(code, message, details === undefined ? {} : { details }));
}

/**
 * Wraps a handler body: a thrown `TaskSeqError` becomes a failed result (environment write
 * errors mapped to `AccessDenied`/`InvalidSetting`); any other exception becomes
 * `DeviceOperationFailed` so a bug in an adapter never crashes the run.
 */
export function defineHandler(body: (ctx: StepHandlerContext) => Promise<StepHandlerResult>): StepHandler {
  return async (ctx) => {
    try {
      return await body(ctx);
    } catch (e) {
      if (isTaskSeqError(e)) {
        const mapped = STEP_CODES[e.code];
        return failed(mapped === undefined ? e : new TaskSeqError(mapped, e.message, { cause: e, ...(e.details === undefined ? {} : { details: e.details }) }));
      }
      if (ctx.signal.aborted) return failure("Aborted", "The step was stopped.");
      return failed(new TaskSeqError("DeviceOperationFailed", `Step ${ctx.step.type || "command"} failed unexpectedly.`, { cause: e }));
    }
  };
}

/** The result of a process-like step: exit code, restart on 3010 handled by the engine. */
export function exited(exitCode: number): StepHandlerResult {
  return { exitCode };
}
