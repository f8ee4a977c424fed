/**
 * Windows path helpers shared by the handlers; no device access.
 */
import type { StepHandlerContext } from "@taskseq/engine";

/** True for `C:\…`, `\\server\share…` and `%VAR%…`-free absolute Windows paths. */
export function isAbsolutePath(path: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(path) || path.startsWith("\\\\");
}

/** Joins Windows path segments with single backslashes. */
export function joinPath(base: string, ...rest: string[]): string {
  return [base.replace(/[\\/]+$/, ""), ...rest.map((r) => r.replace(/^[\\/]+|[\\/]+$/g, ""))].filter((s) => s !== "").join("\\");
}

/** The task sequence's data folder `_SMSTSMDataPath` (`X:\_SMSTaskSequence` before the engine sets it). */
export function dataPath(ctx: StepHandlerContext): string {
  return ctx.env.get("_SMSTSMDataPath") || "X:\\_SMSTaskSequence";
}
