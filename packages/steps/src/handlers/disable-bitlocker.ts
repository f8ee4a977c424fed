/**
 * Disable BitLocker (`SMS_TaskSequence_DisableBitLockerAction`, spec/steps.md §21.17).
 */
import { TaskSeqError } from "@taskseq/model";
import { capability, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { integer, parseInteger, text } from "../internal/settings.js";

/**
 * Suspends protection on `BdeTargetDriveLetter` (default: the OS drive) for `RebootCount`
 * restarts (1–15, default 1); `OSDBitLockerRebootCountOverride` (0–15, `0` = until resumed)
 * wins when set. A drive without BitLocker has nothing to suspend: the step logs that and
 * succeeds (a decision: neither the spec nor ConfigMgr's documentation lists a failure for it, and
 * upgrade sequences run the step unconditionally). Full OS only.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_DisableBitLockerAction", disableBitLockerHandler);
 * ```
 */
export const disableBitLockerHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "FullOS", "Disable BitLocker");
  const override = ctx.env.get("OSDBitLockerRebootCountOverride") ?? "";
  const count = override.trim() !== "" ? parseInteger(override, "OSDBitLockerRebootCountOverride", 0, 15) : integer(ctx.settings, "RebootCount", 1, 15);
  if (override.trim() === "" && count < 1) throw new TaskSeqError("InvalidSetting", "RebootCount must be 1 to 15.");
  const volume = (text(ctx.settings, "BdeTargetDriveLetter") || (await capability(ctx, "os").facts()).systemDrive).toUpperCase();
  const bitlocker = capability(ctx, "bitlocker");
  if ((await bitlocker.status(volume)) === "FullyDecrypted") {
    ctx.log.info(`BitLocker is not enabled on ${volume}; there is nothing to suspend.`);
    return { exitCode: 0 };
  }
  await bitlocker.suspend(volume, count);
  ctx.log.info(count === 0 ? `BitLocker suspended on ${volume} until resumed.` : `BitLocker suspended on ${volume} for ${count} restart(s).`);
  return { exitCode: 0 };
});
