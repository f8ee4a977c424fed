/**
 * Pre-provision BitLocker (`SMS_TaskSequence_OfflineEnableBitLockerAction`, spec/steps.md §21.16).
 */
import { TaskSeqError, isTaskSeqError } from "@taskseq/model";
import { capability, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { flag } from "../internal/settings.js";

/**
 * Enables BitLocker in Windows PE on the applied OS drive (`OSDTargetSystemDrive`, else `C:`),
 * used space only unless `EncryptFullDisk`. Needs an enabled TPM (spec/steps.md §21.16; activation
 * is not checked here). With `SkipWhenTPMInvalid` (default on) a missing or disabled TPM, or one
 * the `bitlocker` adapter refuses as not usable (`details.tpm === false`), logs status 11912 and the
 * step succeeds. Windows PE only.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_OfflineEnableBitLockerAction", preProvisionBitLockerHandler);
 * ```
 */
export const preProvisionBitLockerHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "WinPE", "Pre-provision BitLocker");
  const skip = flag(ctx.settings, "SkipWhenTPMInvalid", true);
  const tpm = (await capability(ctx, "hardware").facts()).tpm;
  if (!(tpm.present && tpm.enabled)) {
    if (skip) {
      ctx.log.warning("Status 11912: no enabled TPM; pre-provisioning is skipped.");
      return { exitCode: 0 };
    }
    throw new TaskSeqError("DeviceOperationFailed", "Pre-provision BitLocker needs an enabled TPM.");
  }
  const volume = (ctx.env.get("OSDTargetSystemDrive") || "C:").toUpperCase();
  try {
    await capability(ctx, "bitlocker").preProvision(volume, { fullDisk: flag(ctx.settings, "EncryptFullDisk", false) });
  } catch (e) {
    // The device may ask more of the TPM than the step does (the simulated one: activated); with skip on that is an invalid TPM too.
    if (!skip || ctx.signal.aborted || !isTaskSeqError(e, "DeviceOperationFailed") || e.details?.["tpm"] !== false) throw e;
    ctx.log.warning(`Status 11912: the TPM is not usable (${e.message}); pre-provisioning is skipped.`);
    return { exitCode: 0 };
  }
  ctx.log.info(`BitLocker pre-provisioned on ${volume}.`);
  return { exitCode: 0 };
});
