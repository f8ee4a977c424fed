/**
 * Dotted version comparison for step settings (Check Readiness, conditions.md §4.3). A malformed
 * setting is `InvalidSetting` (a condition's malformed version is the engine's `ConditionError`).
 */
import { TaskSeqError } from "@taskseq/model";

/** Parses `10.0.16299` into components; `what` names the setting in the error. */
export function parseSettingVersion(text: string, what: string): number[] {
  const parts = text.trim().split(".");
  if (parts.some((p) => !/^\d{1,9}$/.test(p))) throw new TaskSeqError("InvalidSetting", `${what} must be a dotted version such as 10.0.19045.`, { details: { setting: what } });
  return parts.map(Number);
}

/** Compares component by component; missing trailing components count as 0. */
export function compareVersionParts(left: readonly number[], right: readonly number[]): number {
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const d = (left[i] ?? 0) - (right[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}
