/**
 * Setup Windows and ConfigMgr (`SMS_TaskSequence_SetupWindowsAndSMSAction`, spec/steps.md §21.11).
 */
import type { StepHandlerContext } from "@taskseq/engine";
import { TaskSeqError } from "@taskseq/model";
import { answerSetting, isValidComputerName, readAnswerFile, substituteAnswerValue } from "../internal/answer-file.js";
import { capability, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { required, text } from "../internal/settings.js";

/**
 * Finishes Windows Setup of the applied OS with the answer file (the user's `Unattend.xml` from
 * Apply Operating System Image overlaid with the fragments of the settings steps, `%VAR%`
 * references substituted except in numeric-only fields; the computer name goes to the `setup`
 * capability) and installs the client package `ClientPackageID` with `ClientInstallProperties`,
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
  const computerName = await answerComputerName(ctx);
  const exitCode = await setup.setupWindowsAndClient({
    clientPackageId,
    ...(clientProperties === "" ? {} : { clientProperties }),
    ...(computerName === undefined ? {} : { computerName }),
  });
  if (exitCode !== 0) return { exitCode, succeeded: false, error: new TaskSeqError("DeviceOperationFailed", `Windows Setup failed with exit code ${exitCode}.`) };
  ctx.log.info("Windows and the ConfigMgr client are set up; restarting into the new operating system.");
  return { exitCode: 0, restart: { target: "HD", then: "next" } };
});

/**
 * The computer name of the answer file with its references substituted; `undefined` (the applied
 * image's name is kept) when the answer file has none, `*`, or a reference that is still unresolved.
 * An invalid name fails like Windows Setup would, before Setup runs; the message never holds the value.
 */
async function answerComputerName(ctx: StepHandlerContext): Promise<string | undefined> {
  const file = await readAnswerFile(ctx);
  const sources = [...file.fragments, ...(file.unattend === undefined ? [] : ["the custom answer file"])];
  ctx.log.info(sources.length === 0 ? "Running Windows Setup with the default answer file." : `Running Windows Setup with the answer file from ${sources.join(", ")}.`);
  const raw = answerSetting(file, "ComputerName");
  if (raw === undefined || raw.trim() === "" || raw.trim() === "*") return undefined;
  const name = substituteAnswerValue(ctx, "ComputerName", raw).trim();
  if (/%[A-Za-z0-9_-]+%/.test(name)) {
    ctx.log.warning(`The answer file's computer name ${raw.trim()} holds an unresolved variable reference; Windows Setup keeps the image's name.`);
    return undefined;
  }
  if (!isValidComputerName(name)) throw new TaskSeqError("InvalidSetting", "The answer file's computer name must be at most 15 characters without spaces or special characters.");
  ctx.log.info(`Computer name: ${name}.`);
  return name;
}
