/**
 * Apply Driver Package (`SMS_TaskSequence_ApplyDriverPackageAction`, spec/steps.md §21.2).
 */
import { capability, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { targetSystemDrive } from "../internal/target.js";
import { flag, required } from "../internal/settings.js";

/**
 * Injects every driver of `DriverPackageID` into the applied OS (`OSDTargetSystemDrive`), with
 * `Recurse` and `UnsignedDriver`. A missing package is `ContentNotFound`. Windows PE only.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_ApplyDriverPackageAction", applyDriverPackageHandler);
 * ```
 */
export const applyDriverPackageHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "WinPE", "Apply Driver Package");
  const packageId = required(ctx.settings, "DriverPackageID");
  const target = targetSystemDrive(ctx, "Apply Driver Package");
  const count = await capability(ctx, "drivers").applyPackage(packageId, target, { recurse: flag(ctx.settings, "Recurse", false), allowUnsigned: flag(ctx.settings, "UnsignedDriver", false) });
  ctx.log.info(`Added ${count} driver(s) from ${packageId} to ${target}.`);
  return { exitCode: 0 };
});
