/**
 * Apply Operating System Image (`SMS_TaskSequence_ApplyOperatingSystemAction`, spec/steps.md §10).
 */
import type { StepHandlerContext } from "@taskseq/engine";
import { TaskSeqError } from "@taskseq/model";
import { destinationFromSettings, resolveDestination, type DestinationSpec } from "../disks/destination.js";
import { capability, downloadContent, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { flag, integer, text } from "../internal/settings.js";

/**
 * Applies `ImageIndex` of `ImagePackageID` (or of the OS upgrade package `InstallPackageID` with
 * `InstallEditionIndex`; property names from the SDK class) to the destination volume, keeping the
 * `_SMSTSUserStatePath` folder, writes boot files and sets `OSDTargetSystemDrive`.
 * Windows PE only.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_ApplyOperatingSystemAction", applyOperatingSystemHandler);
 * ```
 */
export const applyOperatingSystemHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "WinPE", "Apply Operating System Image");
  const image = text(ctx.settings, "ImagePackageID");
  const upgrade = text(ctx.settings, "InstallPackageID");
  if ((image === "") === (upgrade === "")) throw new TaskSeqError("InvalidSetting", "Apply Operating System Image needs exactly one of ImagePackageID or InstallPackageID.");
  const imageId = image || upgrade;
  const index = image ? integer(ctx.settings, "ImageIndex", 1, 1000) : integer(ctx.settings, "InstallEditionIndex", 1, 1000);
  return applyImageTo(ctx, imageId, index, flag(ctx.settings, "RunFromNet", ctx.step.runFromNet), destinationFromSettings(ctx));
});

/** Shared with `BDD_InstallOS`: download, apply, boot files, `OSDTargetSystemDrive`. */
export async function applyImageTo(ctx: StepHandlerContext, imageId: string, index: number, runFromNet: boolean, destination: DestinationSpec): Promise<{ exitCode: number }> {
  if (index < 1) throw new TaskSeqError("InvalidSetting", "The image index must be 1 or more.");
  const imageCap = capability(ctx, "image");
  if ((await capability(ctx, "content").resolve(imageId)) === undefined) throw new TaskSeqError("ContentNotFound", `Image ${imageId} was not found.`);
  const target = await resolveDestination(ctx, destination);
  if (!runFromNet) await downloadContent(ctx, { id: imageId });
  const keep = (ctx.env.get("_SMSTSUserStatePath") ?? "").trim();
  ctx.log.info(`Applying image ${imageId} index ${index} to ${target}${runFromNet ? " from the distribution point" : ""}.`);
  await imageCap.applyImage({ imageId, index, targetVolume: target, wipe: true, ...(keep === "" ? {} : { excludeFolder: keep }) });
  await imageCap.writeBootFiles(target);
  ctx.env.set("OSDTargetSystemDrive", target);
  return { exitCode: 0 };
}
