/**
 * Install Application (`SMS_TaskSequence_InstallApplicationAction`, spec/steps.md §13).
 */
import type { StepHandlerContext } from "@taskseq/engine";
import type { ApplicationInstallResult } from "@taskseq/device";
import { TaskSeqError, isTaskSeqError } from "@taskseq/model";
import { capability, pause, refuseOnStandaloneMedia, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { flag, list, parseFlag, parseInteger, text } from "../internal/settings.js";

/** The applications to install and whether they came from a dynamic list. */
function applicationNames(ctx: StepHandlerContext): { readonly names: string[]; readonly dynamic: boolean } {
  const base = text(ctx.settings, "BaseVariableName");
  if (base === "") {
    const names = list(ctx.settings, "ApplicationName");
    if (names.length === 0) throw new TaskSeqError("InvalidSetting", "Install Application needs ApplicationName or BaseVariableName.");
    return { names, dynamic: false };
  }
  refuseOnStandaloneMedia(ctx, "Dynamic application lists are"); // §13.1
  return { names: ctx.env.readList(base, 2), dynamic: true };
}

/**
 * Installs the listed applications (or the `<BaseVariableName>01`… list) through the
 * `applications` capability: requirements and detection, dependencies, then the install. A
 * requirement not met is a skip (`Warning`); a failed install is retried `OSDAppInstallRetries`
 * times, `OSDAppInstallRetryTimeout` ms apart, when `ContinueOnInstallError` is off. Writes
 * `_TSAppInstallStatus` (`Error`/`Warning`/`Success`) and `_SMSTSAppInstallNeedsRetry`;
 * `TSErrorOnWarning=True` makes `Warning` fail the step. Dynamic lists are refused on stand-alone
 * media (`NotSupportedOnMedia`; PXE is allowed); a missing application fails with `ContentNotFound`
 * (-2147024894). A restart an application asks for happens after the last application.
 * Re-running after an unexpected restart detects the applications already installed and
 * continues with the interrupted one.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_InstallApplicationAction", installApplicationHandler);
 * ```
 */
export const installApplicationHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "FullOS", "Install Application");
  const { names, dynamic } = applicationNames(ctx);
  const apps = capability(ctx, "applications");
  const continueOnError = flag(ctx.settings, "ContinueOnInstallError", false);
  const retries = continueOnError ? 0 : parseInteger(ctx.env.get("OSDAppInstallRetries") ?? "", "OSDAppInstallRetries", 0, 100);
  const retryDelay = parseInteger(ctx.env.get("OSDAppInstallRetryTimeout") ?? "", "OSDAppInstallRetryTimeout", 30_000, 86_400_000);
  const errorOnWarning = parseFlag(ctx.env.get("TSErrorOnWarning") ?? "", "TSErrorOnWarning", false);
  if (names.length === 0) ctx.log.info("The dynamic application list is empty; nothing to install.");

  let warning = false;
  let restart = false;
  let lastFailure: { readonly exitCode: number; readonly error: TaskSeqError } | undefined;
  const finish = (): { exitCode: number; succeeded?: boolean; error?: TaskSeqError; restart?: { target: "HD"; then: "next" } } => {
    ctx.setReadOnly("_TSAppInstallStatus", lastFailure ? "Error" : warning ? "Warning" : "Success");
    const restartAfter = restart ? { restart: { target: "HD" as const, then: "next" as const } } : {};
    if (lastFailure) return { exitCode: lastFailure.exitCode, succeeded: false, error: lastFailure.error };
    if (warning && errorOnWarning) return { exitCode: 1, succeeded: false, error: new TaskSeqError("DeviceOperationFailed", "An application was skipped and TSErrorOnWarning is set.") };
    return { exitCode: 0, ...restartAfter };
  };

  for (const name of names) {
    if (dynamic && !(await apps.exists(name))) {
      ctx.log.warning(`"${name}" is not an application name; skipped.`);
      warning = true;
      continue;
    }
    let result: ApplicationInstallResult | undefined;
    let thrown: TaskSeqError | undefined;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        ctx.setReadOnly("_SMSTSAppInstallNeedsRetry", "true");
        ctx.log.info(`Retrying ${name} (retry ${attempt} of ${retries}).`);
        await pause(ctx, retryDelay);
      }
      thrown = undefined;
      try {
        result = await apps.install(name);
      } catch (e) {
        if (!isTaskSeqError(e) || ctx.signal.aborted) throw e;
        thrown = e;
        result = { name, outcome: "failed", exitCode: e.code === "ContentNotFound" ? -2147024894 : 1, restartRequired: false, reason: e.message, dependencies: [] };
      }
      if (result.outcome !== "failed") break;
    }
    ctx.setReadOnly("_SMSTSAppInstallNeedsRetry", "false");
    if (result === undefined) continue;
    restart ||= result.restartRequired || result.dependencies.some((d) => d.restartRequired);
    switch (result.outcome) {
      case "installed":
        ctx.log.info(`Installed ${name}.`);
        break;
      case "alreadyInstalled":
        ctx.log.info(`${name} is already installed (detected).`);
        break;
      case "skipped":
        ctx.log.warning(`Skipped ${name}: ${result.reason ?? "a requirement is not met"}.`);
        warning = true;
        break;
      case "failed":
        ctx.log.error(`Installing ${name} failed with exit code ${result.exitCode}${result.reason ? `: ${result.reason}` : ""}.`);
        // Missing content keeps its typed error (spec/steps.md §1.3: -2147024894 is ContentNotFound).
        lastFailure = {
          exitCode: result.exitCode === 0 ? 1 : result.exitCode,
          error: thrown?.code === "ContentNotFound"
            ? new TaskSeqError("ContentNotFound", `Application ${name} was not found.`, { details: { application: name, exitCode: result.exitCode } })
            : new TaskSeqError("DeviceOperationFailed", `Application ${name} failed to install.`, { details: { application: name, exitCode: result.exitCode } }),
        };
        if (!continueOnError) return finish();
        break;
    }
  }
  if (flag(ctx.settings, "ClearCache", false)) ctx.log.info("Application content is removed from the client cache.");
  return finish();
});
