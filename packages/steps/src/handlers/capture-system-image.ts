/**
 * Capture Operating System Image (`SMS_TaskSequence_CaptureSystemImageAction`, spec/steps.md §21.8).
 */
import { TaskSeqError } from "@taskseq/model";
import { capability, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { required, text } from "../internal/settings.js";

/**
 * Captures one image per NTFS or FAT32 volume (USB disks skipped) to `CaptureDestination` (a
 * `.wim` path, ≤255 characters) with `ImageDescription`. Needs `OSDTargetSystemRoot` (set by
 * Prepare Windows for Capture). Windows PE only.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_CaptureSystemImageAction", captureSystemImageHandler);
 * ```
 */
export const captureSystemImageHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "WinPE", "Capture Operating System Image");
  const destination = required(ctx.settings, "CaptureDestination");
  if (destination.length > 255) throw new TaskSeqError("InvalidSetting", "CaptureDestination is longer than 255 characters.");
  if (!/\.wim$/i.test(destination)) throw new TaskSeqError("InvalidSetting", "CaptureDestination must name a .wim file.");
  if ((ctx.env.get("OSDTargetSystemRoot") ?? "") === "") throw new TaskSeqError("InvalidSetting", "OSDTargetSystemRoot is not set; run Prepare Windows for Capture first.");
  const disks = capability(ctx, "disks");
  const usb = new Set((await disks.listDisks()).filter((d) => d.busType.toUpperCase() === "USB").map((d) => d.index));
  const volumes = (await disks.listVolumes()).filter((v) => (v.fileSystem === "NTFS" || v.fileSystem === "FAT32") && !usb.has(v.diskIndex) && v.driveLetter !== undefined && v.driveLetter.toUpperCase() !== "X:");
  if (volumes.length === 0) throw new TaskSeqError("InvalidSetting", "There is no NTFS or FAT32 volume to capture.");
  const description = text(ctx.settings, "ImageDescription");
  const count = await capability(ctx, "image").captureImage({ volumes: volumes.map((v) => v.driveLetter ?? ""), destination, ...(description === "" ? {} : { description }) });
  ctx.log.info(`Captured ${count} image(s) to ${destination}.`);
  return { exitCode: 0 };
});
