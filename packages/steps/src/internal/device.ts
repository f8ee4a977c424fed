/**
 * Device access shared by the handlers: capabilities (`AdapterMissing` when absent), the running
 * environment, content download (alternate content provider, then the content adapter with the
 * engine's retry variables).
 */
import type { StepHandlerContext } from "@taskseq/engine";
import {
  hasCapability,
  requireCapability,
  type ContentCapability,
  type Device,
  type DeviceCapabilities,
  type DeviceCapabilityName,
  type DownloadRequest,
  type DownloadResult,
  type RunningEnvironment,
} from "@taskseq/device";
import { TaskSeqError, isTaskSeqError } from "@taskseq/model";
import { alternateContentDownload } from "./alternate-content-provider.js";
import { parseInteger } from "./settings.js";

/** The device capability, or `AdapterMissing`. */
export function capability<K extends DeviceCapabilityName>(ctx: StepHandlerContext, name: K): DeviceCapabilities[K] {
  const device: Device = ctx.device;
  return requireCapability(device, name);
}

/** The capability when the device has it. */
export function optionalCapability<K extends DeviceCapabilityName>(ctx: StepHandlerContext, name: K): DeviceCapabilities[K] | undefined {
  const device: Device = ctx.device;
  return hasCapability(device, name) ? requireCapability(device, name) : undefined;
}

/** Where the step runs: `_SMSTSInWinPE` when the engine set it, else the `os` facts. */
export async function runningEnvironment(ctx: StepHandlerContext): Promise<RunningEnvironment> {
  const flag = ctx.env.get("_SMSTSInWinPE");
  if (flag !== undefined && flag !== "") return flag.toLowerCase() === "true" ? "WinPE" : "FullOS";
  const os = optionalCapability(ctx, "os");
  return os === undefined ? "FullOS" : (await os.facts()).environment;
}

/** Fails with `WrongEnvironment` unless the step runs in `required`. */
export async function requireEnvironment(ctx: StepHandlerContext, required: RunningEnvironment, what: string): Promise<void> {
  const current = await runningEnvironment(ctx);
  if (current !== required) {
    throw new TaskSeqError("WrongEnvironment", `${what} runs only in ${required === "WinPE" ? "Windows PE" : "the full operating system"}.`, {
      details: { required, current },
    });
  }
}

/**
 * Downloads content: first with the alternate content provider when `SMSTSDownloadProgram` names
 * one ({@link alternateContentDownload}; its abort code fails the download at once), else (or when
 * the provider falls back) with the content adapter, retrying transient failures
 * `SMSTSDownloadRetryCount` times (default 2), `SMSTSDownloadRetryDelay` seconds apart (default 15)
 * on the device clock. `ContentNotFound` is not retried. Records `_SMSTSLastContentDownloadLocation`.
 */
export async function downloadContent(ctx: StepHandlerContext, request: DownloadRequest): Promise<DownloadResult> {
  const content = capability(ctx, "content");
  const result = (await alternateContentDownload(ctx, content, request)) ?? (await downloadWithRetries(ctx, content, request));
  ctx.setReadOnly("_SMSTSLastContentDownloadLocation", result.path);
  return result;
}

/** One content adapter download, with the engine's retry variables. */
async function downloadWithRetries(ctx: StepHandlerContext, content: ContentCapability, request: DownloadRequest): Promise<DownloadResult> {
  const retries = parseInteger(ctx.env.get("SMSTSDownloadRetryCount") ?? "", "SMSTSDownloadRetryCount", 2, 100);
  const delay = parseInteger(ctx.env.get("SMSTSDownloadRetryDelay") ?? "", "SMSTSDownloadRetryDelay", 15, 86_400);
  const clock = optionalCapability(ctx, "clock");
  for (let attempt = 0; ; attempt++) {
    try {
      return await content.download(request);
    } catch (e) {
      if (isTaskSeqError(e, "ContentNotFound") || attempt >= retries || ctx.signal.aborted) throw e;
      ctx.log.warning(`Download of ${request.id} failed (attempt ${attempt + 1} of ${retries + 1}); retrying in ${delay} s.`);
      await clock?.sleep(delay * 1000, ctx.signal);
    }
  }
}

/** Makes a package's content available and returns its folder; a missing package is `ContentNotFound`. */
export async function packageFolder(ctx: StepHandlerContext, packageId: string): Promise<string> {
  return (await downloadContent(ctx, { id: packageId })).path;
}

/** Sleeps on the device clock when it has one (simulated clocks advance instantly). */
export async function pause(ctx: StepHandlerContext, milliseconds: number): Promise<void> {
  if (milliseconds > 0) await optionalCapability(ctx, "clock")?.sleep(milliseconds, ctx.signal);
}

/**
 * Refuses a feature stand-alone media do not support (steps.md §12, §13.1, Auto Apply Drivers):
 * `NotSupportedOnMedia` when the run started from media, PXE excepted (a PXE boot is not
 * stand-alone media).
 */
export function refuseOnStandaloneMedia(ctx: StepHandlerContext, what: string): void {
  if (ctx.run.fromMedia && ctx.run.launchMode !== "PXE") throw new TaskSeqError("NotSupportedOnMedia", `${what} not supported on stand-alone media.`);
}
