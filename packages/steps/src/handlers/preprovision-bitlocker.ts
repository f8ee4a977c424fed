/**
 * Pre-provision BitLocker (`SMS_TaskSequence_OfflineEnableBitLockerAction`, spec/steps.md §21.16).
 */
import { TaskSeqError } from "@taskseq/model";
import { capability, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { flag } from "../internal/settings.js";

/**
 * Enables BitLocker in Windows PE on the applied OS drive (`OSDTargetSystemDrive`, else `C:`),
 * used space only unless `EncryptFullDisk`. Needs an enabled TPM; with `SkipWhenTPMInvalid`
 * (default on) a missing TPM logs status 11912 and the step succeeds. Windows PE only.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_OfflineEnableBitLockerAction", preProvisionBitLockerHandler);
 * ```
 */
export const preProvisionBitLockerHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "WinPE", "Pre-provision BitLocker");
  const tpm = (await capability(ctx, "hardware").facts()).tpm;
  if (!(tpm.present && tpm.enabled)) {
    if (flag(ctx.settings, "SkipWhenTPMInvalid", true)) {
      ctx.log.warning("Status 11912: no enabled TPM; pre-provisioning is skipped.");
      return { exitCode: 0 };
    }
    throw new TaskSeqError("DeviceOperationFailed", "Pre-provision BitLocker needs an enabled TPM.");
  }
  const volume = (ctx.env.get("OSDTargetSystemDrive") || "C:").toUpperCase();
  await capability(ctx, "bitlocker").preProvision(volume, { fullDisk: flag(ctx.settings, "EncryptFullDisk", false) });
  ctx.log.info(`BitLocker pre-provisioned on ${volume}.`);
  return { exitCode: 0 };
});
