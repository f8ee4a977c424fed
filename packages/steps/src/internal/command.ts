/**
 * Running a command line through the `commands` capability with the Run Command Line rules
 * (spec/steps.md §4): package folder, working directory, run-as (refused in Windows PE), WOW64,
 * timeout, output variable and command-line logging.
 */
import type { StepHandlerContext, StepHandlerResult } from "@taskseq/engine";
import type { RunAsAccount } from "@taskseq/device";
import { TaskSeqError, checkVariableName, isSecretStepSetting } from "@taskseq/model";
import { capability, packageFolder, runningEnvironment } from "./device.js";
import { isAbsolutePath, joinPath } from "./paths.js";

/** Last characters of output a step writes to its output variable. */
export const OUTPUT_VARIABLE_LIMIT = 1000;

/** What to run. */
export interface CommandSpec {
  /** The expanded command line. */
  readonly commandLine: string;
  /** Package whose folder the command runs from. */
  readonly packageId?: string;
  /** Working directory, absolute or relative to the package folder. */
  readonly workingDirectory?: string;
  /** Run as this account instead of Local System. */
  readonly runAs?: RunAsAccount;
  /** Native 64-bit paths. */
  readonly disableWow64Redirection?: boolean;
  /** Variable that receives the last 1000 characters of output. */
  readonly outputVariable?: string;
  /** Mask the whole command line in the log (`OSDDoNotLogCommand=TRUE`). */
  readonly hideCommandLine?: boolean;
  /** Only a command the device knows (`CommandRequest.requireRule`: the command path of step types without a handler). */
  readonly requireRule?: boolean;
}

/** Validates an output variable name up front (`InvalidSetting`, or `AccessDenied` for `_` names). */
export function checkOutputVariable(name: string): void {
  const check = checkVariableName(name);
  if (!check.ok) throw new TaskSeqError(check.code === "ReadOnlyVariable" ? "AccessDenied" : "InvalidSetting", check.message, { details: { variable: name } });
}

/**
 * The secret values in a command line, longest first, for the adapter to mask in what it records
 * (`CommandRequest.redact`, spec/variables.md §9.2): the step's secret settings, the run-as
 * password and every value that has been secret during the run.
 */
function commandSecrets(ctx: StepHandlerContext, commandLine: string, runAs?: RunAsAccount): string[] {
  const found = new Set(ctx.env.secretsIn(commandLine));
  for (const v of ctx.step.variables) if (isSecretStepSetting(ctx.step, v)) found.add(ctx.settings[v.property] ?? "");
  found.add(runAs?.password ?? "");
  return [...found].filter((value) => value !== "" && commandLine.includes(value)).sort((a, b) => b.length - a.length);
}

/** Runs the command and returns its exit code as the step result. */
export async function runCommand(ctx: StepHandlerContext, spec: CommandSpec): Promise<StepHandlerResult> {
  if (spec.commandLine.trim() === "") throw new TaskSeqError("InvalidSetting", "The command line is empty.");
  if (spec.commandLine.length > 32_000) throw new TaskSeqError("InvalidSetting", "The command line is longer than 32,000 characters.");
  if (spec.outputVariable) checkOutputVariable(spec.outputVariable);
  if (spec.runAs !== undefined) {
    if ((await runningEnvironment(ctx)) === "WinPE") {
      ctx.log.error("Run as another account is not supported in Windows PE.");
      throw new TaskSeqError("AccessDenied", "A step cannot run as another account in Windows PE.");
    }
    if (spec.runAs.userName.trim() === "") throw new TaskSeqError("InvalidSetting", "Run as another account needs a user name.");
  }
  const commands = capability(ctx, "commands");
  let workingDirectory = spec.workingDirectory ?? "";
  if (spec.packageId) {
    const folder = await packageFolder(ctx, spec.packageId);
    workingDirectory = workingDirectory === "" ? folder : isAbsolutePath(workingDirectory) ? workingDirectory : joinPath(folder, workingDirectory);
  }
  ctx.log.info(spec.hideCommandLine ? "Command line: (hidden by OSDDoNotLogCommand)" : `Command line: ${spec.commandLine}`);
  if (spec.runAs !== undefined) ctx.log.info(`Running as ${spec.runAs.userName}.`);
  const timeout = ctx.step.timeout;
  const secrets = commandSecrets(ctx, spec.commandLine, spec.runAs);
  const result = await commands.run({
    commandLine: spec.commandLine,
    ...(workingDirectory === "" ? {} : { workingDirectory }),
    ...(spec.runAs === undefined ? {} : { runAs: spec.runAs }),
    ...(spec.disableWow64Redirection ? { disableWow64Redirection: true } : {}),
    ...(timeout === undefined ? {} : { timeoutSeconds: timeout }),
    ...(secrets.length === 0 ? {} : { redact: secrets }),
    ...(spec.requireRule === true ? { requireRule: true } : {}),
    signal: ctx.signal,
  });
  if (spec.outputVariable) ctx.env.set(spec.outputVariable, result.output.slice(-OUTPUT_VARIABLE_LIMIT));
  if (result.timedOut) {
    return { exitCode: 1460, succeeded: false, error: new TaskSeqError("StepTimeout", `The command did not finish within ${timeout ?? 0} seconds.`) };
  }
  ctx.log.info(`Process completed with exit code ${result.exitCode}.`);
  return { exitCode: result.exitCode };
}
