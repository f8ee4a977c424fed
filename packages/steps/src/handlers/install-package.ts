/**
 * Install Package (`SMS_TaskSequence_InstallSoftwareAction`, spec/steps.md §14).
 */
import type { StepHandlerContext, StepHandlerResult } from "@taskseq/engine";
import { TaskSeqError, isTaskSeqError } from "@taskseq/model";
import { capability, requireEnvironment } from "../internal/device.js";
import { defineHandler, failed } from "../internal/outcome.js";
import { flag, text } from "../internal/settings.js";

interface PackageProgram {
  readonly packageId: string;
  readonly program: string;
}

const ENTRY = /^([A-Z0-9]{8}):(.+)$/;

/** The packages to install: the single package, or the `<base>001`… list. */
function programs(ctx: StepHandlerContext): (PackageProgram | { readonly invalid: string })[] {
  const base = text(ctx.settings, "BaseVariableName");
  if (base === "") {
    const packageId = text(ctx.settings, "PackageID");
    const program = text(ctx.settings, "ProgramName");
    if (packageId === "" || program === "") throw new TaskSeqError("InvalidSetting", "Install Package needs PackageID and ProgramName, or BaseVariableName.");
    return [{ packageId, program }];
  }
  return ctx.env.readList(base, 3).map((value) => {
    const m = ENTRY.exec(value);
    return m?.[1] !== undefined && m[2] !== undefined ? { packageId: m[1], program: m[2] } : { invalid: value };
  });
}

/**
 * Runs `ProgramName` of `PackageID`, or every `PACKAGEID:Program` entry of the `<BaseVariableName>001`…
 * list (no `001` = nothing to install). A malformed entry or a package ID with lowercase letters
 * fails that install. `ContinueOnInstallError` continues with the rest and fails at the end.
 * Return code: the program's exit code (the last failure in list mode). Full OS only.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_InstallSoftwareAction", installPackageHandler);
 * ```
 */
export const installPackageHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "FullOS", "Install Package");
  const continueOnError = flag(ctx.settings, "ContinueOnInstallError", false);
  const hide = (ctx.env.get("OSDDoNotLogCommand") ?? "").toUpperCase() === "TRUE";
  const packages = capability(ctx, "packages");
  const entries = programs(ctx);
  if (entries.length === 0) ctx.log.info("The dynamic package list is empty; nothing to install.");
  let last: StepHandlerResult | undefined;
  let restart = false;
  for (const entry of entries) {
    let result: StepHandlerResult;
    if ("invalid" in entry) {
      result = failed(new TaskSeqError("InvalidSetting", `"${entry.invalid}" is not PACKAGEID:Program (upper-case package ID).`));
    } else {
      ctx.log.info(`Installing ${entry.packageId}${hide ? "" : `:${entry.program}`}.`);
      try {
        const r = await packages.runProgram(entry.packageId, entry.program);
        restart ||= r.exitCode === 3010;
        result = { exitCode: r.exitCode, succeeded: r.exitCode === 0 || r.exitCode === 3010 };
      } catch (e) {
        if (!isTaskSeqError(e) || ctx.signal.aborted) throw e;
        result = failed(e);
      }
    }
    if (result.succeeded === false) {
      ctx.log.warning(`Install of ${"invalid" in entry ? entry.invalid : entry.packageId} failed with exit code ${result.exitCode}.`);
      last = result;
      if (!continueOnError) return result;
    }
  }
  return last ?? { exitCode: restart ? 3010 : 0 };
});
