/**
 * Dotted versions in step settings (Check Readiness, conditions.md §4.3) with the engine's
 * version comparison. A malformed setting is `InvalidSetting` (87), not the engine's
 * `ConditionError`.
 */
import { parseVersion } from "@taskseq/engine";
import { TaskSeqError, isTaskSeqError } from "@taskseq/model";

/** Parses `10.0.16299` into components; `what` names the setting in the error. */
export function parseSettingVersion(text: string, what: string): number[] {
  try {
    return parseVersion(text);
  } catch (e) {
    if (!isTaskSeqError(e, "ConditionError")) throw e;
    throw new TaskSeqError("InvalidSetting", `${what} must be a dotted version such as 10.0.19045.`, { details: { setting: what }, cause: e });
  }
}
