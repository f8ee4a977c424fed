/**
 * Run Command Line (`SMS_TaskSequence_RunCommandLineAction`, spec/steps.md §4).
 */
import type { StepHandlerContext, StepHandlerResult } from "@taskseq/engine";
import type { RunAsAccount } from "@taskseq/device";
import { TaskSeqError } from "@taskseq/model";
import { runCommand, type CommandSpec } from "../internal/command.js";
import { defineHandler } from "../internal/outcome.js";
import { flag, parseFlag, required, text } from "../internal/settings.js";
import { mdtScriptEmulation } from "./mdt-scripts.js";

/** The run-as account of a Run Command Line step (step setting or global `SMSTSRunCommandLineAsUser`). */
function runAsAccount(ctx: StepHandlerContext): RunAsAccount | undefined {
  const global = parseFlag(ctx.env.get("SMSTSRunCommandLineAsUser") ?? "", "SMSTSRunCommandLineAsUser", false);
  if (!global && !flag(ctx.settings, "RunAsUser", false)) return undefined;
  const userName = global ? (ctx.env.get("SMSTSRunCommandLineUserName") ?? "") : text(ctx.settings, "UserName") || text(ctx.settings, "SMSTSRunCommandLineUserName");
  const password = global ? (ctx.env.get("SMSTSRunCommandLineUserPassword") ?? "") : ctx.settings["UserPassword"] || (ctx.settings["SMSTSRunCommandLineUserPassword"] ?? "");
  return { userName, password, loadProfile: flag(ctx.settings, "LoadProfile", false) };
}

/**
 * Runs a command step's command line: an MDT script the SDK emulates (`mdtScriptEmulation`, e.g.
 * `ZTINextPhase.wsf`) runs as its emulation on the task sequence environment, any other command
 * line through the `commands` capability.
 */
function runOrEmulate(ctx: StepHandlerContext, spec: CommandSpec): Promise<StepHandlerResult> {
  const emulation = mdtScriptEmulation(spec.commandLine);
  return emulation === undefined ? runCommand(ctx, spec) : emulation(ctx);
}

/**
 * Runs `CommandLine` through the `commands` capability: from `PackageID`'s folder when set,
 * in `WorkingDirectory`, as Local System or the run-as account (refused in Windows PE with
 * `AccessDenied`), with `DisableWow64Redirection`, the step timeout (`StepTimeout`, 1460) and
 * `OutputVariableName`. `OSDDoNotLogCommand=TRUE` hides the command line from the log. MDT files
 * keep the command in `<action>` without a `CommandLine` setting; it is used (expanded) then. A
 * command line that runs an MDT script the SDK emulates (`ZTINextPhase.wsf`) runs the emulation.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_RunCommandLineAction", runCommandLineHandler);
 * ```
 */
export const runCommandLineHandler = defineHandler(async (ctx) => {
  const workingDirectory = text(ctx.settings, "WorkingDirectory");
  if (workingDirectory.length > 255) throw new TaskSeqError("InvalidSetting", "WorkingDirectory is longer than 255 characters.");
  if (workingDirectory.length > 127) ctx.log.warning("WorkingDirectory is longer than the 127 characters the console editor allows.");
  const runAs = runAsAccount(ctx);
  return runOrEmulate(ctx, {
    commandLine: text(ctx.settings, "CommandLine") || (ctx.step.action === undefined ? required(ctx.settings, "CommandLine") : ctx.env.expand(ctx.step.action)),
    packageId: text(ctx.settings, "PackageID"),
    workingDirectory,
    ...(runAs === undefined ? {} : { runAs }),
    disableWow64Redirection: flag(ctx.settings, "DisableWow64Redirection", false),
    outputVariable: text(ctx.settings, "OutputVariableName"),
    hideCommandLine: (ctx.env.get("OSDDoNotLogCommand") ?? "").toUpperCase() === "TRUE",
  });
});

/** Runs the step's `<action>` with `startIn` as the working directory and the MDT run-as settings. */
function runAction(ctx: StepHandlerContext, commandPath: boolean): Promise<StepHandlerResult> {
  const runAs = runAsAccount(ctx);
  return runOrEmulate(ctx, {
    commandLine: ctx.env.expand(ctx.step.action ?? ""),
    workingDirectory: ctx.step.startIn ?? "",
    ...(runAs === undefined ? {} : { runAs }),
    hideCommandLine: (ctx.env.get("OSDDoNotLogCommand") ?? "").toUpperCase() === "TRUE",
    ...(commandPath ? { requireRule: true } : {}),
  });
}

/**
 * MDT's untyped command step (`type=""`, spec/steps.md §22.1): runs its `<action>` exactly like
 * Run Command Line (an empty one fails with `InvalidSetting`; `ZTINextPhase.wsf` is emulated).
 *
 * @example
 * ```ts
 * registry.register("", actionCommandHandler);
 * ```
 */
export const actionCommandHandler = defineHandler((ctx) => runAction(ctx, false));

/**
 * The command path of `BDD_*` and unknown step types without a registered handler (spec/steps.md
 * §22.3 rules 2–3, §23): runs the step's `<action>` through the device's command runner, which must
 * know the command; a step without an action, or a command the device cannot run (a simulated
 * device without a rule for it), fails with `UnsupportedStep` (50). It never reports success for
 * work it did not do. An action that runs an MDT script the SDK emulates (`ZTINextPhase.wsf`) runs
 * the emulation.
 *
 * @example
 * ```ts
 * const handler = registry.get("BDD_InstallRoles"); // commandPathHandler
 * ```
 */
export const commandPathHandler = defineHandler((ctx) => {
  if ((ctx.step.action ?? "").trim() === "") {
    throw new TaskSeqError("UnsupportedStep", `No handler is registered for step type "${ctx.step.type}", and the step has no action to run.`);
  }
  return runAction(ctx, true);
});
