/**
 * Install Software Updates (`SMS_TaskSequence_InstallUpdateAction`, spec/steps.md §21.14).
 */
import { capability, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { oneOf } from "../internal/settings.js";

/**
 * Scans for `Mandatory` (default) or `All` updates through the `updates` capability and installs
 * them; a restart the install needs happens after the step (`HD`, then the next step). An install
 * exit code other than 0/3010 is the step's return code. Full OS only.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_InstallUpdateAction", installSoftwareUpdatesHandler);
 * ```
 */
export const installSoftwareUpdatesHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "FullOS", "Install Software Updates");
  const target = oneOf(ctx.settings, "Target", ["Mandatory", "All"], "Mandatory");
  const updates = capability(ctx, "updates");
  const found = await updates.scan(target);
  ctx.log.info(`Found ${found.length} applicable ${target === "All" ? "" : "mandatory "}update(s).`);
  if (found.length === 0) return { exitCode: 0 };
  const result = await updates.install(found.map((u) => u.id));
  ctx.log.info(`Update installation finished with exit code ${result.exitCode}.`);
  if (result.exitCode !== 0 && result.exitCode !== 3010) return { exitCode: result.exitCode };
  return result.restartRequired || result.exitCode === 3010 ? { exitCode: 0, restart: { target: "HD", then: "next" } } : { exitCode: 0 };
});
