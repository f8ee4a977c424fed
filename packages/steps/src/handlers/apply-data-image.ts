/**
 * Apply Data Image (`SMS_TaskSequence_ApplyDataImageAction`, spec/steps.md §21.1).
 */
import { destinationFromSettings, resolveDestination } from "../disks/destination.js";
import { capability, downloadContent, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { flag, integer, required } from "../internal/settings.js";

/**
 * Applies `ImageIndex` of the data image `ImagePackageID` to the destination volume (same
 * destination options as Apply Operating System Image), wiping it first when
 * `WipeDestinationPartition` (default on). Windows PE only.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_ApplyDataImageAction", applyDataImageHandler);
 * ```
 */
export const applyDataImageHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "WinPE", "Apply Data Image");
  const imageId = required(ctx.settings, "ImagePackageID");
  const index = integer(ctx.settings, "ImageIndex", 1, 1000);
  const image = capability(ctx, "image");
  await downloadContent(ctx, { id: imageId });
  const target = await resolveDestination(ctx, destinationFromSettings(ctx));
  await image.applyDataImage({ imageId, index, targetVolume: target, wipe: flag(ctx.settings, "WipeDestinationPartition", true) });
  ctx.log.info(`Applied data image ${imageId} index ${index} to ${target}.`);
  return { exitCode: 0 };
});
