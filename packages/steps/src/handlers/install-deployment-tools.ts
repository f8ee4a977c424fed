/**
 * Install Deployment Tools (`SMS_TaskSequence_InstallDeployToolsAction`, spec/steps.md §21.19).
 */
import { downloadContent } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { required } from "../internal/settings.js";

/**
 * Makes the sysprep and deployment tools package `SysprepPackageID` available through the
 * content adapter; a missing package is `ContentNotFound`.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_InstallDeployToolsAction", installDeploymentToolsHandler);
 * ```
 */
export const installDeploymentToolsHandler = defineHandler(async (ctx) => {
  const packageId = required(ctx.settings, "SysprepPackageID");
  const result = await downloadContent(ctx, { id: packageId });
  ctx.log.info(`Deployment tools ${packageId} available in ${result.path}.`);
  return { exitCode: 0 };
});
