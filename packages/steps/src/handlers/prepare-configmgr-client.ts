/**
 * Prepare ConfigMgr Client for Capture (`SMS_TaskSequence_PrepareSMSClientAction`, spec/steps.md §21.9).
 */
import { capability, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";

/**
 * Removes the client's machine-specific configuration before capture. The `setup` adapter has no
 * dedicated operation, so the step checks the capability and records the preparation (simulated);
 * with `SMSTSUninstallCCMClient=TRUE` the client removal after the next restart is logged. Full OS only.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_PrepareSMSClientAction", prepareConfigMgrClientHandler);
 * ```
 */
export const prepareConfigMgrClientHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "FullOS", "Prepare ConfigMgr Client for Capture");
  capability(ctx, "setup");
  ctx.log.info("ConfigMgr client prepared for capture (machine-specific configuration removed).");
  if ((ctx.env.get("SMSTSUninstallCCMClient") ?? "").toUpperCase() === "TRUE") ctx.log.info("The ConfigMgr client will be removed after the next restart.");
  return { exitCode: 0 };
});
