/**
 * Prepare Windows for Capture (`SMS_TaskSequence_PrepareOSAction`, spec/steps.md §21.10).
 */
import { TaskSeqError } from "@taskseq/model";
import { capability, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { flag } from "../internal/settings.js";

/**
 * Runs sysprep (keeping activation with `KeepActivation`), sets `OSDTargetSystemRoot` and
 * restarts into the boot image (next step). Fails when the computer is domain-joined or sysprep
 * returns non-zero. `ShutdownPreparedOs` is logged (the device model has no shutdown). Full OS only.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_PrepareOSAction", prepareWindowsHandler);
 * ```
 */
export const prepareWindowsHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "FullOS", "Prepare Windows for Capture");
  const os = await capability(ctx, "os").facts();
  if (os.domain !== undefined && os.domain !== "") throw new TaskSeqError("InvalidOperation", `The computer is joined to ${os.domain}; Prepare Windows for Capture needs a workgroup computer.`);
  const exitCode = await capability(ctx, "setup").sysprep({ keepActivation: flag(ctx.settings, "KeepActivation", false) });
  if (exitCode !== 0) return { exitCode, succeeded: false, error: new TaskSeqError("DeviceOperationFailed", `Sysprep failed with exit code ${exitCode}.`) };
  ctx.env.set("OSDTargetSystemRoot", `${os.systemDrive}\\Windows`);
  if (flag(ctx.settings, "ShutdownPreparedOs", false)) ctx.log.info("The prepared OS is shut down instead of restarted (simulated as a restart into the boot image).");
  return { exitCode: 0, restart: { target: "WinPE", then: "next" } };
});
