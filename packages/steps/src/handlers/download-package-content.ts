/**
 * Download Package Content (`SMS_TaskSequence_DownloadPackageContentAction`, spec/steps.md §12).
 */
import { TaskSeqError, isTaskSeqError } from "@taskseq/model";
import { checkOutputVariable } from "../internal/command.js";
import { capability, downloadContent, refuseOnStandaloneMedia, runningEnvironment } from "../internal/device.js";
import { joinPath } from "../internal/paths.js";
import { defineHandler, failed } from "../internal/outcome.js";
import { flag, list, oneOf, text } from "../internal/settings.js";

/**
 * Downloads each package of `DownloadPackages` in order (with `SMSTSDownloadRetryCount` and
 * `SMSTSDownloadRetryDelay`) to the task sequence cache, the client cache (`CCMCache`; not in
 * Windows PE: `WrongEnvironment`) or `<DestinationCustomPath>\<PackageID>`, and writes
 * `<DestinationVariable>01`, `02`, … by list position. A failed package leaves its position
 * unset; with `ContinueDownloadOnError` (default on) the step still succeeds, else the first
 * failure fails it. Not supported on stand-alone media (`NotSupportedOnMedia`).
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_DownloadPackageContentAction", downloadPackageContentHandler);
 * ```
 */
export const downloadPackageContentHandler = defineHandler(async (ctx) => {
  refuseOnStandaloneMedia(ctx, "Download Package Content is");
  const packages = list(ctx.settings, "DownloadPackages");
  if (packages.length === 0) throw new TaskSeqError("InvalidSetting", "DownloadPackages lists no package.");
  const destination = oneOf(ctx.settings, "DestinationLocationType", ["TSCache", "CCMCache", "Custom"], "TSCache");
  const customPath = text(ctx.settings, "DestinationCustomPath");
  if (destination === "Custom" && customPath === "") throw new TaskSeqError("InvalidSetting", "DestinationCustomPath is required for a custom destination.");
  if (destination === "CCMCache" && (await runningEnvironment(ctx)) === "WinPE") throw new TaskSeqError("WrongEnvironment", "The client cache is not available in Windows PE.");
  const base = text(ctx.settings, "DestinationVariable");
  if (base !== "") checkOutputVariable(`${base}01`);
  const continueOnError = flag(ctx.settings, "ContinueDownloadOnError", true);
  capability(ctx, "content");
  for (const [i, id] of packages.entries()) {
    try {
      const result = await downloadContent(ctx, { id, destination, ...(destination === "Custom" ? { customPath } : {}) });
      const path = destination === "Custom" && !result.path.toUpperCase().endsWith(id.toUpperCase()) ? joinPath(customPath, id) : result.path;
      ctx.log.info(`Downloaded ${id} to ${path}.`);
      if (base !== "") ctx.env.set(`${base}${String(i + 1).padStart(2, "0")}`, path);
    } catch (e) {
      if (!isTaskSeqError(e) || ctx.signal.aborted) throw e;
      if (!continueOnError) return failed(e);
      ctx.log.warning(`Download of ${id} failed (${e.code}); continuing with the other packages.`);
    }
  }
  return { exitCode: 0 };
});
