/**
 * Enable BitLocker (`SMS_TaskSequence_EnableBitLockerAction`, spec/steps.md §21.15).
 */
import type { KeyProtector } from "@taskseq/device";
import { TaskSeqError } from "@taskseq/model";
import { capability, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { flag, text } from "../internal/settings.js";

const PROTECTORS: Readonly<Record<string, KeyProtector>> = { TPM: "TPM", TPMANDPIN: "TPMAndPIN", TPMANDKEY: "TPMAndStartupKey", TPMANDSTARTUPKEY: "TPMAndStartupKey", KEY: "StartupKey", STARTUPKEY: "StartupKey" };
const METHODS: Readonly<Record<string, string>> = { "3": "AES_128", "4": "AES_256", "6": "XTS_AES128", "7": "XTS_AES256" };
const ESCROW: Readonly<Record<string, "AD" | "ConfigMgr" | "None">> = { AD: "AD", CONFIGMGR: "ConfigMgr", NONE: "None", "": "AD" };

/**
 * Enables BitLocker on `BdeTargetDriveLetter` (default: the OS drive) with the key protector from
 * `Mode` (`TPM`, `TPMAndPIN` with the secret `BdePin`, `TPMAndKey`, `Key`), the `EncryptMethod`
 * (`3`/`4`/`6`/`7` → AES_128/AES_256/XTS_AES128/XTS_AES256), full disk or used space, recovery
 * key escrow (`CreateRecoveryPassword`: `AD`, `ConfigMgr`, `None`) and `WaitForEncryption`.
 * Without a usable TPM (present, enabled, activated, ownership allowed) a TPM mode fails, or is
 * skipped with status 11912 when `SkipWhenNoValidTPM`. Full OS only.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_EnableBitLockerAction", enableBitLockerHandler);
 * ```
 */
export const enableBitLockerHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "FullOS", "Enable BitLocker");
  const mode = text(ctx.settings, "Mode").toUpperCase() || "TPM";
  const protector = PROTECTORS[mode];
  if (protector === undefined) throw new TaskSeqError("InvalidSetting", "Mode must be TPM, TPMAndPIN, TPMAndKey or Key.");
  const pin = ctx.settings["BdePin"] ?? "";
  if (protector === "TPMAndPIN" && !/^\d{4,20}$/.test(pin)) throw new TaskSeqError("InvalidSetting", "TPM and PIN needs a numeric PIN of 4 to 20 digits.");
  const methodCode = text(ctx.settings, "EncryptMethod");
  const encryptionMethod = methodCode === "" ? undefined : METHODS[methodCode];
  if (methodCode !== "" && encryptionMethod === undefined) ctx.log.warning("Status 11911: the encryption algorithm is not supported; the OS default is used.");
  const escrow = ESCROW[text(ctx.settings, "CreateRecoveryPassword").toUpperCase()];
  if (escrow === undefined) throw new TaskSeqError("InvalidSetting", "CreateRecoveryPassword must be AD, ConfigMgr or None.");
  if (protector !== "StartupKey") {
    const tpm = (await capability(ctx, "hardware").facts()).tpm;
    if (!(tpm.present && tpm.enabled && tpm.activated && tpm.ownershipAllowed)) {
      if (flag(ctx.settings, "SkipWhenNoValidTPM", false)) {
        ctx.log.warning("Status 11912: no usable TPM; the step is skipped.");
        return { exitCode: 0 };
      }
      throw new TaskSeqError("DeviceOperationFailed", "BitLocker needs a TPM that is present, enabled, activated and allows ownership.");
    }
  }
  const volume = (text(ctx.settings, "BdeTargetDriveLetter") || (await capability(ctx, "os").facts()).systemDrive).toUpperCase();
  await capability(ctx, "bitlocker").enable({
    volume,
    protector,
    ...(protector === "TPMAndPIN" ? { pin } : {}),
    ...(encryptionMethod === undefined ? {} : { encryptionMethod }),
    fullDisk: flag(ctx.settings, "EncryptFullDisk", false),
    recoveryKeyEscrow: escrow,
    wait: flag(ctx.settings, "WaitForEncryption", false),
  });
  ctx.log.info(`BitLocker enabled on ${volume} with ${protector}.`);
  return { exitCode: 0 };
});
