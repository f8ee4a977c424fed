/**
 * Timers longer than `setTimeout` can wait.
 */
import { TaskSeqError } from "@taskseq/model";

/** The longest delay `setTimeout` waits (2^31 - 1 ms, about 24.8 days): a longer one fires at once. */
const MAX_TIMER_MS = 0x7fffffff;

/**
 * Calls `fire` after `ms` milliseconds of real time, also beyond the 2^31 - 1 ms `setTimeout`
 * can wait (a step timeout of `UInt32` seconds, a maximum run time of weeks), by waiting in
 * parts with one timer at a time. `ms` is a number that is not NaN (`Infinity` never fires; a
 * negative delay fires at once), else `InvalidArgument`: `setTimeout` would fire a NaN delay at once.
 *
 * @returns what cancels it
 * @example
 * ```ts
 * const cancel = setLongTimeout(() => console.log("30 days later"), 30 * 24 * 3_600_000);
 * cancel();
 * ```
 */
export function setLongTimeout(fire: () => void, ms: number): () => void {
  if (typeof ms !== "number" || Number.isNaN(ms)) throw new TaskSeqError("InvalidArgument", `A timer delay must be a number of milliseconds, got ${String(ms)}.`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (left: number): void => {
    timer = left > MAX_TIMER_MS ? setTimeout(() => arm(left - MAX_TIMER_MS), MAX_TIMER_MS) : setTimeout(fire, left);
  };
  arm(ms);
  return () => clearTimeout(timer);
}
