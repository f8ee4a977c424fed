/**
 * MDT Install Application (`BDD_InstallApplication`, spec/steps.md §22.3).
 */
import type { StepHandlerResult } from "@taskseq/engine";
import { TaskSeqError, isTaskSeqError } from "@taskseq/model";
import { capability } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { text } from "../internal/settings.js";

/**
 * Installs `ApplicationGUID`, or, when it is empty, every application of the
 * `MandatoryApplications001…` then `Applications001…` lists, through the `applications`
 * capability. Each exit code is checked against `ApplicationSuccessCodes` (default `0 3010`); the
 * step returns the last failing exit code (or `0`). A 3010 asks for a restart after the step.
 *
 * @example
 * ```ts
 * registry.register("BDD_InstallApplication", mdtInstallApplicationHandler);
 * ```
 */
export const mdtInstallApplicationHandler = defineHandler(async (ctx) => {
  const codesText = text(ctx.settings, "ApplicationSuccessCodes") || "0 3010";
  if (!/^-?\d+(\s+-?\d+)*$/.test(codesText)) throw new TaskSeqError("InvalidSetting", "ApplicationSuccessCodes must be space-separated integers.");
  const codes = codesText.split(/\s+/).map(Number);
  const single = text(ctx.settings, "ApplicationGUID");
  const names = single !== "" ? [single] : [...new Set([...ctx.env.readList("MandatoryApplications", 3), ...ctx.env.readList("Applications", 3)])];
  if (names.length === 0) ctx.log.info("No applications to install.");
  const apps = capability(ctx, "applications");
  let result: StepHandlerResult = { exitCode: 0 };
  let restart = false;
  for (const name of names) {
    try {
      const r = await apps.install(name);
      const exitCode = r.outcome === "failed" && r.exitCode === 0 ? 1 : r.exitCode;
      restart ||= r.restartRequired || exitCode === 3010;
      if (r.outcome === "skipped") ctx.log.warning(`Skipped ${name}: ${r.reason ?? "a requirement is not met"}.`);
      else if (codes.includes(exitCode)) ctx.log.info(`Installed ${name} (exit code ${exitCode}).`);
      else {
        ctx.log.error(`Application ${name} returned ${exitCode}.`);
        result = { exitCode, succeeded: false, error: new TaskSeqError("DeviceOperationFailed", `Application ${name} returned ${exitCode}.`) };
      }
    } catch (e) {
      if (!isTaskSeqError(e) || ctx.signal.aborted) throw e;
      ctx.log.error(`Application ${name}: ${e.message}`);
      result = { exitCode: e.code === "ContentNotFound" ? -2147024894 : 1, succeeded: false, error: e };
    }
  }
  return result.succeeded === false || !restart ? result : { exitCode: 0, restart: { target: "HD", then: "next" } };
});
