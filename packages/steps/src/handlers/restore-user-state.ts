/**
 * Restore User State (`SMS_TaskSequence_RestoreUserStateAction`, spec/steps.md §19).
 */
import { TaskSeqError } from "@taskseq/model";
import { capability, packageFolder, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { flag, list, oneOf, required, text } from "../internal/settings.js";

/**
 * Runs USMT LoadState from `UsmtRestorePackageID` out of `OSDStateStorePath`, tolerating
 * partial failures with `ContinueOnRestore` (default on), with `EnableVerboseLogging`, and
 * restoring local accounts only with `LocalAccounts` (default off; needs `LocalAccountPassword`,
 * a secret passed to the device and never logged); a non-zero exit code fails the step.
 * The USMT package is made available through the content adapter first; a missing package is
 * `ContentNotFound`. Full OS only.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_RestoreUserStateAction", restoreUserStateHandler);
 * ```
 */
export const restoreUserStateHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "FullOS", "Restore User State");
  const packageId = required(ctx.settings, "UsmtRestorePackageID");
  const storePath = ctx.env.get("OSDStateStorePath") || ctx.env.get("_SMSTSUserStatePath") || "";
  if (storePath === "") throw new TaskSeqError("InvalidSetting", "OSDStateStorePath is not set; run Request State Store first.");
  const localAccounts = flag(ctx.settings, "LocalAccounts", false);
  const localAccountPassword = ctx.settings["LocalAccountPassword"] ?? "";
  if (localAccounts && localAccountPassword === "") throw new TaskSeqError("InvalidSetting", "Restoring local accounts needs LocalAccountPassword.");
  const mode = oneOf(ctx.settings, "Mode", ["Simple", "Advanced"], "Simple");
  const additional = text(ctx.settings, "AdditionalRestoreOptions");
  const usmtFolder = await packageFolder(ctx, packageId);
  ctx.log.info(`USMT package ${packageId} available in ${usmtFolder}.`);
  const exitCode = await capability(ctx, "usmt").restore({
    storePath,
    packageId,
    mode,
    configFiles: mode === "Advanced" ? list(ctx.settings, "ConfigFiles") : [],
    continueOnError: flag(ctx.settings, "ContinueOnRestore", true),
    verboseLogging: flag(ctx.settings, "EnableVerboseLogging", false),
    localAccounts,
    ...(localAccounts ? { localAccountPassword } : {}),
    ...(additional === "" ? {} : { additionalOptions: additional }),
  });
  ctx.log.info(`USMT restore from ${storePath} finished with exit code ${exitCode}.`);
  return exitCode === 0 ? { exitCode } : { exitCode, succeeded: false, error: new TaskSeqError("DeviceOperationFailed", `USMT restore failed with exit code ${exitCode}.`) };
});
