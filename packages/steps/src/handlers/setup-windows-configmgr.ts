/**
 * Setup Windows and ConfigMgr (`SMS_TaskSequence_SetupWindowsAndSMSAction`, spec/steps.md §21.11).
 */
import { TaskSeqError } from "@taskseq/model";
import { capability, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { required, text } from "../internal/settings.js";

/**
 * Finishes Windows Setup of the applied OS with the answer file and installs the client package
 * `ClientPackageID` with `ClientInstallProperties`, then asks for the restart from Windows PE into
 * the new OS (next step). A non-zero Setup exit code fails the step. Starts in Windows PE.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_SetupWindowsAndSMSAction", setupWindowsConfigMgrHandler);
 * ```
 */
export const setupWindowsConfigMgrHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "WinPE", "Setup Windows and ConfigMgr");
  const clientPackageId = required(ctx.settings, "ClientPackageID");
  const clientProperties = text(ctx.settings, "ClientInstallProperties");
  const exitCode = await capability(ctx, "setup").setupWindowsAndClient({ clientPackageId, ...(clientProperties === "" ? {} : { clientProperties }) });
  if (exitCode !== 0) return { exitCode, succeeded: false, error: new TaskSeqError("DeviceOperationFailed", `Windows Setup failed with exit code ${exitCode}.`) };
  ctx.log.info("Windows and the ConfigMgr client are set up; restarting into the new operating system.");
  return { exitCode: 0, restart: { target: "HD", then: "next" } };
});
