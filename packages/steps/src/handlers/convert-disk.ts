/**
 * Convert Disk to Dynamic (`SMS_TaskSequence_ConvertDiskAction`, spec/steps.md §21.18).
 */
import { TaskSeqError } from "@taskseq/model";
import { capability } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { integer } from "../internal/settings.js";

/**
 * Converts basic disk `DiskIndex` to a dynamic disk; a missing disk is `InvalidSetting`.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_ConvertDiskAction", convertDiskHandler);
 * ```
 */
export const convertDiskHandler = defineHandler(async (ctx) => {
  const index = integer(ctx.settings, "DiskIndex", -1, 10_000);
  const disks = capability(ctx, "disks");
  const disk = (await disks.listDisks()).find((d) => d.index === index);
  if (index < 0 || disk === undefined) throw new TaskSeqError("InvalidSetting", `Disk ${index < 0 ? "(none)" : index} does not exist.`);
  if (disk.dynamic) ctx.log.info(`Disk ${index} is already dynamic.`);
  else await disks.convertToDynamic(index);
  return { exitCode: 0 };
});
