/**
 * Apply Operating System Image (`SMS_TaskSequence_ApplyOperatingSystemAction`, spec/steps.md §10).
 */
import type { StepHandlerContext } from "@taskseq/engine";
import { TaskSeqError } from "@taskseq/model";
import { destinationFromSettings, resolveDestination, type DestinationSpec } from "../disks/destination.js";
import { answerFileFolder, UNATTEND_FILE } from "../internal/answer-file.js";
import { capability, downloadContent, optionalCapability, requireEnvironment } from "../internal/device.js";
import { joinPath } from "../internal/paths.js";
import { defineHandler } from "../internal/outcome.js";
import { flag, integer, text } from "../internal/settings.js";

/**
 * Applies `ImageIndex` of `ImagePackageID` (or of the OS upgrade package `InstallPackageID` with
 * `InstallEditionIndex`; property names from the SDK class) to the destination volume, keeping the
 * `_SMSTSUserStatePath` folder, builds the answer file (the user's `ConfigFileName` /
 * `OSDConfigFileName`, `<package ID>,<path in the package>`, copied unchanged to
 * `<_SMSTSMDataPath>\AnswerFile\Unattend.xml`: Setup Windows and ConfigMgr substitutes its `%VAR%`
 * references; without one the default answer file is used), writes boot files and sets
 * `OSDTargetSystemDrive`. A missing answer-file package or file is `ContentNotFound`. Windows PE only.
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
  const config = configFile(ctx);
  if (config !== undefined && (await capability(ctx, "content").resolve(config.packageId)) === undefined) {
    throw new TaskSeqError("ContentNotFound", `Answer file package ${config.packageId} was not found.`, { details: { id: config.packageId } });
  }
  const result = await applyImageTo(ctx, imageId, index, flag(ctx.settings, "RunFromNet", ctx.step.runFromNet), destinationFromSettings(ctx));
  await buildAnswerFile(ctx, config);
  return result;
});

/** The user's answer file: a package and a relative path in it. */
interface ConfigFile {
  readonly packageId: string;
  readonly path: string;
}

/** Parses `ConfigFileName` (`<package ID>,<path in the package>`); `undefined` when absent. */
function configFile(ctx: StepHandlerContext): ConfigFile | undefined {
  const value = text(ctx.settings, "ConfigFileName");
  if (value === "") return undefined;
  const comma = value.indexOf(",");
  const packageId = comma < 0 ? "" : value.slice(0, comma).trim();
  const path = comma < 0 ? "" : value.slice(comma + 1).trim().replace(/^[\\/]+/, "");
  if (packageId === "" || path === "" || /^[A-Za-z]:/.test(path) || path.split(/[\\/]/).includes("..")) {
    throw new TaskSeqError("InvalidSetting", "ConfigFileName must be <package ID>,<path of the answer file in the package>.", { details: { property: "ConfigFileName" } });
  }
  return { packageId, path };
}

/**
 * §10 behaviour 4: places the user's answer file, unchanged, as the base of the answer file Setup
 * Windows and ConfigMgr uses (a stale one from an earlier apply is removed when there is none).
 * The package is downloaded after the image is applied, which wipes the volume.
 */
async function buildAnswerFile(ctx: StepHandlerContext, config: ConfigFile | undefined): Promise<void> {
  const target = joinPath(answerFileFolder(ctx), UNATTEND_FILE);
  if (config === undefined) {
    const files = optionalCapability(ctx, "files");
    if (files !== undefined && (await files.exists(target))) await files.delete(target);
    return;
  }
  const files = capability(ctx, "files");
  const folder = (await downloadContent(ctx, { id: config.packageId })).path;
  const source = joinPath(folder, config.path);
  if (!(await files.exists(source))) {
    throw new TaskSeqError("ContentNotFound", `Answer file ${config.path} was not found in package ${config.packageId}.`, { details: { id: config.packageId } });
  }
  await files.write(target, await files.readText(source));
  ctx.log.info(`Answer file ${config.path} from package ${config.packageId} copied to ${target}; Setup Windows and ConfigMgr merges it and substitutes its variables.`);
}

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
