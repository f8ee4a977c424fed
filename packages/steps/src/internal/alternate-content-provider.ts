/**
 * The alternate content provider (builtin-variables.md §3, steps.md §2 `content` and §12): a
 * program named by `SMSTSDownloadProgram` that every content download runs first.
 *
 * **Decision (argument convention):** the program runs through the `commands` capability as
 * `"<program>" <PackageID> "<destination folder>"`: the package ID, then the absolute path of
 * the folder to download into, as Microsoft's update introducing the variable (KB 2744420) passes
 * them. The folder is where the content adapter would put it: `<_SMSTSMDataPath>\Packages\<ID>`
 * (task sequence cache), `<_SMSTSClientCache or %windir%\ccmcache>\<ID>` (client cache) or
 * `<custom path>\<ID>`. No location is passed on the command line: the KB names only these two
 * arguments.
 *
 * Exit code `0`: the content is in the folder. `SMSTSDownloadAbortCode`: the download fails and no
 * other method is tried. Any other code: the normal download from the distribution point follows.
 *
 * Token-authentication locations (`SMSTSAllowTokenAuthURLForACP`, 2203+): the provider is offered
 * the locations the content adapter lists for the content (`ContentInfo.locations`), without the
 * ones that need Configuration Manager token authentication (a content-enabled cloud management
 * gateway) unless the variable is `true`: "If you don't set this variable or set it to false, it
 * skips any token authentication sources" (TS variables). **Decision:** the Configuration Manager
 * client needs at least one location to give the provider (KB 2744420), so content whose every
 * location is skipped is not given to the provider: the normal download follows. Content whose
 * locations the adapter does not list is given to the provider as before.
 */
import type { StepHandlerContext } from "@taskseq/engine";
import { requireCapability, type ContentCapability, type ContentInfo, type Device, type DownloadRequest, type DownloadResult } from "@taskseq/device";
import { TaskSeqError } from "@taskseq/model";
import { dataPath, joinPath } from "./paths.js";
import { parseFlag } from "./settings.js";

/**
 * Runs the alternate content provider for one download when `SMSTSDownloadProgram` is set.
 * Returns the download (size from the content's metadata, `0` when unknown), or `undefined` when
 * there is no provider, no location is left for it, or it falls back. Its abort code is
 * `DeviceOperationFailed`; a malformed `SMSTSDownloadAbortCode` or `SMSTSAllowTokenAuthURLForACP`
 * is `InvalidSetting`; a device without `commands` is `AdapterMissing`.
 */
export async function alternateContentDownload(ctx: StepHandlerContext, content: ContentCapability, request: DownloadRequest): Promise<DownloadResult | undefined> {
  const program = (ctx.env.get("SMSTSDownloadProgram") ?? "").trim().replace(/^"(.*)"$/, "$1");
  if (program === "") return undefined;
  const abortCode = downloadAbortCode(ctx);
  const info = await content.resolve(request.id);
  if (!offersLocation(ctx, request.id, info?.locations)) return undefined;
  const device: Device = ctx.device;
  const folder = await destinationFolder(ctx, device, request);
  ctx.log.info(`Downloading ${request.id} to ${folder} with the alternate content provider ${program}.`);
  const { exitCode } = await requireCapability(device, "commands").run({ commandLine: `"${program}" ${request.id} "${folder}"`, signal: ctx.signal });
  if (exitCode === 0) return { id: request.id, path: folder, sizeBytes: info?.sizeBytes ?? 0 };
  if (exitCode === abortCode) {
    throw new TaskSeqError("DeviceOperationFailed", `The alternate content provider returned the abort code ${exitCode} for ${request.id}; no other download method is tried.`, {
      details: { id: request.id, exitCode },
    });
  }
  ctx.log.warning(`The alternate content provider returned ${exitCode} for ${request.id}; downloading it from the distribution point.`);
  return undefined;
}

/**
 * Whether a location of the content is left for the provider once the token-authentication ones
 * are skipped (unless `SMSTSAllowTokenAuthURLForACP` is true); always when the adapter lists none.
 * Logs what is skipped, never a location's URL (it may hold an access token).
 */
function offersLocation(ctx: StepHandlerContext, id: string, locations: ContentInfo["locations"]): boolean {
  const allowTokenAuth = parseFlag(ctx.env.get("SMSTSAllowTokenAuthURLForACP") ?? "", "SMSTSAllowTokenAuthURLForACP", false);
  if (locations === undefined) return true;
  const skipped = allowTokenAuth ? 0 : locations.filter((l) => l.tokenAuthentication === true).length;
  if (skipped > 0) ctx.log.info(`Skipping ${skipped} token-authentication location(s) of ${id} for the alternate content provider (SMSTSAllowTokenAuthURLForACP is not true).`);
  if (skipped < locations.length) return true;
  ctx.log.warning(`No location of ${id} is left for the alternate content provider; downloading it without the provider.`);
  return false;
}

/** `SMSTSDownloadAbortCode` as a signed 32-bit exit code (`4294967295` = `-1`), or `undefined` when unset. */
function downloadAbortCode(ctx: StepHandlerContext): number | undefined {
  const text = (ctx.env.get("SMSTSDownloadAbortCode") ?? "").trim();
  if (text === "") return undefined;
  const value = /^-?\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= -2_147_483_648 && value <= 4_294_967_295)) {
    throw new TaskSeqError("InvalidSetting", "SMSTSDownloadAbortCode must be a whole number (a 32-bit exit code).", { details: { setting: "SMSTSDownloadAbortCode" } });
  }
  return value | 0;
}

/** The folder the content adapter would download into (see the module comment). */
async function destinationFolder(ctx: StepHandlerContext, device: Device, request: DownloadRequest): Promise<string> {
  switch (request.destination ?? "TSCache") {
    case "Custom":
      if (request.customPath === undefined) throw new TaskSeqError("InvalidSetting", "A custom destination needs a path.");
      return joinPath(request.customPath, request.id);
    case "CCMCache": {
      const windir = (await device.os?.environmentVariables())?.["windir"] ?? "C:\\Windows";
      return joinPath(ctx.env.get("_SMSTSClientCache") || joinPath(windir, "ccmcache"), request.id);
    }
    case "TSCache":
      return joinPath(dataPath(ctx), "Packages", request.id);
  }
}
