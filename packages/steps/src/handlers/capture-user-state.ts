/**
 * Capture User State (`SMS_TaskSequence_CaptureUserStateAction`, spec/steps.md §18).
 */
import type { RunningEnvironment } from "@taskseq/device";
import type { StepHandlerContext } from "@taskseq/engine";
import { TaskSeqError } from "@taskseq/model";
import { capability, packageFolder, runningEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { flag, list, oneOf, required, text } from "../internal/settings.js";

/**
 * Runs USMT ScanState from `UsmtPackageID` into `OSDStateStorePath` (from Request State Store;
 * with hard links a local store path under `_SMSTSUserStatePath` is used instead), `Simple` or
 * `Advanced` mode (`ConfigFiles`), continuing on locked files by default, with
 * `EnableVerboseLogging`, `SkipEncryptedFiles` and `FileAccess` (**decision**: any value but
 * `Normal` reads files through the volume shadow copy service). In Windows PE the capture is
 * offline and needs `OfflineUserState` (else `WrongEnvironment`); in the full OS
 * `OfflineUserState` does not apply and the capture is online. The USMT package is made
 * available through the content adapter first; a missing package is `ContentNotFound`.
 * A non-zero USMT exit code fails the step with that code.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_CaptureUserStateAction", captureUserStateHandler);
 * ```
 */
export const captureUserStateHandler = defineHandler(async (ctx) => {
  const packageId = required(ctx.settings, "UsmtPackageID");
  const offline = offlineCapture(ctx, await runningEnvironment(ctx));
  const hardLinks = flag(ctx.settings, "UseHardlinks", false);
  const storePath = ctx.env.get("OSDStateStorePath") || (hardLinks ? ctx.env.get("_SMSTSUserStatePath") || "C:\\StateStore" : "");
  if (storePath === "") throw new TaskSeqError("InvalidSetting", "OSDStateStorePath is not set; run Request State Store first.");
  const mode = oneOf(ctx.settings, "Mode", ["Simple", "Advanced"], "Simple");
  const configFiles = mode === "Advanced" ? list(ctx.settings, "ConfigFiles") : [];
  const additional = text(ctx.settings, "AdditionalCaptureOptions");
  const fileAccess = text(ctx.settings, "FileAccess");
  const usmtFolder = await packageFolder(ctx, packageId);
  ctx.log.info(`USMT package ${packageId} available in ${usmtFolder}.`);
  const exitCode = await capability(ctx, "usmt").capture({
    storePath,
    packageId,
    mode,
    configFiles,
    continueOnError: flag(ctx.settings, "ContinueOnLockedFiles", true),
    hardLinks,
    verboseLogging: flag(ctx.settings, "EnableVerboseLogging", false),
    skipEncryptedFiles: flag(ctx.settings, "SkipEncryptedFiles", false),
    offline,
    volumeShadowCopy: fileAccess !== "" && fileAccess.toLowerCase() !== "normal",
    ...(additional === "" ? {} : { additionalOptions: additional }),
  });
  ctx.log.info(`USMT ${offline ? "offline " : ""}capture to ${storePath} finished with exit code ${exitCode}.`);
  return exitCode === 0 ? { exitCode } : { exitCode, succeeded: false, error: new TaskSeqError("DeviceOperationFailed", `USMT capture failed with exit code ${exitCode}.`) };
});

/**
 * Whether the capture is offline: in Windows PE it must be, and needs `OfflineUserState`
 * ("capture in Windows PE"); in the full OS it never is (the setting is ignored with a warning).
 */
function offlineCapture(ctx: StepHandlerContext, environment: RunningEnvironment): boolean {
  const requested = flag(ctx.settings, "OfflineUserState", false);
  if (environment === "WinPE" && !requested) {
    throw new TaskSeqError("WrongEnvironment", "Capture User State runs in Windows PE only as an offline capture (OfflineUserState).", { details: { required: "FullOS", current: "WinPE" } });
  }
  if (environment === "FullOS" && requested) ctx.log.warning("OfflineUserState applies in Windows PE only; capturing online from the running operating system.");
  return environment === "WinPE";
}
