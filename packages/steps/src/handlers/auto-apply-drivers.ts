/**
 * Auto Apply Drivers (`SMS_TaskSequence_AutoApplyAction`, spec/steps.md §21.3).
 */
import { capability, refuseOnStandaloneMedia, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { targetSystemDrive } from "../internal/target.js";
import { flag } from "../internal/settings.js";

/**
 * Matches the device's PnP IDs against the driver catalogue (best match only when `BestMatch`,
 * default on; categories from `OSDAutoApplyDriverCategoryList`, OR-ed) and injects the matches
 * into the applied OS. Not on stand-alone media (`NotSupportedOnMedia`). Windows PE only.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_AutoApplyAction", autoApplyDriversHandler);
 * ```
 */
export const autoApplyDriversHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "WinPE", "Auto Apply Drivers");
  refuseOnStandaloneMedia(ctx, "Auto Apply Drivers is");
  const target = targetSystemDrive(ctx, "Auto Apply Drivers");
  const drivers = capability(ctx, "drivers");
  const pnpIds = (await capability(ctx, "hardware").facts()).pnpDeviceIds;
  const categories = (ctx.env.get("OSDAutoApplyDriverCategoryList") ?? "").split(",").map((c) => c.trim()).filter((c) => c !== "");
  const matches = await drivers.match({ pnpIds, categories, bestMatch: flag(ctx.settings, "BestMatch", true), allowUnsigned: flag(ctx.settings, "UnsignedDriver", false) });
  const count = matches.length === 0 ? 0 : await drivers.applyDrivers(matches.map((d) => d.id), target);
  ctx.log.info(`Matched ${matches.length} driver(s) for ${pnpIds.length} device(s); added ${count} to ${target}.`);
  return { exitCode: 0 };
});
