/**
 * Setup Windows and ConfigMgr (`SMS_TaskSequence_SetupWindowsAndSMSAction`, spec/steps.md §21.11).
 */
import { TaskSeqError } from "@taskseq/model";
import { readAnswerFile } from "../internal/answer-file.js";
import { answerSetupOptions } from "../internal/answer-settings.js";
import { capability, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { required, text } from "../internal/settings.js";

/**
 * Finishes Windows Setup of the applied OS with the answer file (the user's `Unattend.xml` from
 * Apply Operating System Image overlaid with the fragments of the settings steps, `%VAR%`
 * references substituted except in numeric-only fields): computer name, time zone, registration,
 * locales, product key, the local Administrator and the server licensing (`AutoMode`, `AutoUsers`)
 * go to the `setup` capability (secrets are never logged). It installs the client package `ClientPackageID` with `ClientInstallProperties`,
 * then asks for the restart from Windows PE into the new OS (next step). A non-zero Setup exit code
 * fails the step. Starts in Windows PE.
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
  const setup = capability(ctx, "setup");
  const file = await readAnswerFile(ctx);
  const sources = [...file.fragments, ...(file.unattend === undefined ? [] : ["the custom answer file"])];
  ctx.log.info(sources.length === 0 ? "Running Windows Setup with the default answer file." : `Running Windows Setup with the answer file from ${sources.join(", ")}.`);
  const exitCode = await setup.setupWindowsAndClient({
    clientPackageId,
    ...(clientProperties === "" ? {} : { clientProperties }),
    ...(await answerSetupOptions(ctx, file)),
  });
  if (exitCode !== 0) return { exitCode, succeeded: false, error: new TaskSeqError("DeviceOperationFailed", `Windows Setup failed with exit code ${exitCode}.`) };
  ctx.log.info("Windows and the ConfigMgr client are set up; restarting into the new operating system.");
  return { exitCode: 0, restart: { target: "HD", then: "next" } };
});
