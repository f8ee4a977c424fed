/**
 * Install Package (`SMS_TaskSequence_InstallSoftwareAction`, spec/steps.md §14).
 */
import { isRestartCode, isSuccessCode, type StepHandlerContext, type StepHandlerResult } from "@taskseq/engine";
import { TaskSeqError, isTaskSeqError } from "@taskseq/model";
import { capability, requireEnvironment } from "../internal/device.js";
import { defineHandler, failed } from "../internal/outcome.js";
import { flag, text } from "../internal/settings.js";

interface PackageProgram {
  readonly packageId: string;
  readonly program: string;
}

const ENTRY = /^([A-Z0-9]{8}):(.+)$/;

/** A list entry that is not `PACKAGEID:Program`, with the variable that holds it. */
interface InvalidEntry {
  readonly invalid: string;
  readonly variable: string;
}

/** The packages to install: the single package, or the `<base>001`… list. */
function programs(ctx: StepHandlerContext): (PackageProgram | InvalidEntry)[] {
  const base = text(ctx.settings, "BaseVariableName");
  if (base === "") {
    const packageId = text(ctx.settings, "PackageID");
    const program = text(ctx.settings, "ProgramName");
    if (packageId === "" || program === "") throw new TaskSeqError("InvalidSetting", "Install Package needs PackageID and ProgramName, or BaseVariableName.");
    return [{ packageId, program }];
  }
  return ctx.env.readList(base, 3).map((value, i) => {
    const m = ENTRY.exec(value);
    return m?.[1] !== undefined && m[2] !== undefined ? { packageId: m[1], program: m[2] } : { invalid: value, variable: `${base}${String(i + 1).padStart(3, "0")}` };
  });
}

/**
 * An adapter failure with the program name left out of its message (`OSDDoNotLogCommand=TRUE`,
 * spec/steps.md §14 rule 4, variables.md §9.2): the same code, the name replaced, no details or
 * cause (either may hold the name). Other errors are returned unchanged.
 */
function withoutProgramName(e: TaskSeqError, program: string): TaskSeqError {
  const message = e.message.replace(new RegExp(program.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi"), "(hidden by OSDDoNotLogCommand)");
  return message === e.message && e.details === undefined ? e : new TaskSeqError(e.code, message);
}

/**
 * Runs `ProgramName` of `PackageID`, or every `PACKAGEID:Program` entry of the `<BaseVariableName>001`…
 * list (no `001` = nothing to install). A malformed entry or a package ID with lowercase letters
 * fails that install. A program succeeds when its exit code is in the step's success codes
 * (`0 3010` by default). `ContinueOnInstallError` continues with the rest and fails at the end.
 * `OSDDoNotLogCommand=TRUE` keeps the program name out of the log and out of the step's error.
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
  let restartCode: number | undefined;
  let lastCode = 0;
  for (const entry of entries) {
    let result: StepHandlerResult;
    if ("invalid" in entry) {
      // The entry may hold the program name: with OSDDoNotLogCommand only its variable is named.
      result = failed(new TaskSeqError("InvalidSetting", `${hide ? entry.variable : `"${entry.invalid}"`} is not PACKAGEID:Program (upper-case package ID).`));
    } else {
      ctx.log.info(`Installing ${entry.packageId}${hide ? "" : `:${entry.program}`}.`);
      try {
        const r = await packages.runProgram(entry.packageId, entry.program);
        // The engine's rule (spec/steps.md §1.3): success is the step's success codes, 3010 a restart.
        if (isRestartCode(r.exitCode, ctx.step.successCodes)) restartCode ??= r.exitCode;
        result = isSuccessCode(r.exitCode, ctx.step.successCodes) ? { exitCode: r.exitCode } : { exitCode: r.exitCode, succeeded: false };
      } catch (e) {
        if (!isTaskSeqError(e) || ctx.signal.aborted) throw e;
        result = failed(hide ? withoutProgramName(e, entry.program) : e);
      }
    }
    if (result.succeeded === false) {
      ctx.log.warning(`Install of ${"invalid" in entry ? (hide ? entry.variable : entry.invalid) : entry.packageId} failed with exit code ${result.exitCode}.`);
      last = result;
      if (!continueOnError) return result;
    } else {
      lastCode = result.exitCode;
    }
  }
  // Success: the restart code when a program asked for one (the engine restarts), else the last exit code.
  return last ?? { exitCode: restartCode ?? lastCode };
});
