/**
 * Capture User State (`SMS_TaskSequence_CaptureUserStateAction`, spec/steps.md §18).
 */
import { TaskSeqError } from "@taskseq/model";
import { capability, packageFolder } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { flag, list, oneOf, required, text } from "../internal/settings.js";

/**
 * Runs USMT ScanState from `UsmtPackageID` into `OSDStateStorePath` (from Request State Store;
 * with hard links a local store path under `_SMSTSUserStatePath` is used instead), `Simple` or
 * `Advanced` mode (`ConfigFiles`), continuing on locked files by default. The USMT package is
 * made available through the content adapter first; a missing package is `ContentNotFound`.
 * A non-zero USMT exit code fails the step with that code.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_CaptureUserStateAction", captureUserStateHandler);
 * ```
 */
export const captureUserStateHandler = defineHandler(async (ctx) => {
  const packageId = required(ctx.settings, "UsmtPackageID");
  const hardLinks = flag(ctx.settings, "UseHardlinks", false);
  const storePath = ctx.env.get("OSDStateStorePath") || (hardLinks ? ctx.env.get("_SMSTSUserStatePath") || "C:\\StateStore" : "");
  if (storePath === "") throw new TaskSeqError("InvalidSetting", "OSDStateStorePath is not set; run Request State Store first.");
  const mode = oneOf(ctx.settings, "Mode", ["Simple", "Advanced"], "Simple");
  const configFiles = mode === "Advanced" ? list(ctx.settings, "ConfigFiles") : [];
  const additional = text(ctx.settings, "AdditionalCaptureOptions");
  const usmtFolder = await packageFolder(ctx, packageId);
  ctx.log.info(`USMT package ${packageId} available in ${usmtFolder}.`);
  const exitCode = await capability(ctx, "usmt").capture({
    storePath,
    packageId,
    mode,
    configFiles,
    continueOnError: flag(ctx.settings, "ContinueOnLockedFiles", true),
    hardLinks,
    ...(additional === "" ? {} : { additionalOptions: additional }),
  });
  ctx.log.info(`USMT capture to ${storePath} finished with exit code ${exitCode}.`);
  return exitCode === 0 ? { exitCode } : { exitCode, succeeded: false, error: new TaskSeqError("DeviceOperationFailed", `USMT capture failed with exit code ${exitCode}.`) };
});
