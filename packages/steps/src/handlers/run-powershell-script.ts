/**
 * Run PowerShell Script (`SMS_TaskSequence_RunPowerShellScriptAction`, spec/steps.md §5).
 */
import type { StepHandler, StepHandlerContext, StepHandlerResult } from "@taskseq/engine";
import type { ExecutionPolicy, RunAsAccount } from "@taskseq/device";
import { TaskSeqError, isTaskSeqError } from "@taskseq/model";
import { compilePowerShell } from "@taskseq/script";
import { decodePowerShellScript } from "@taskseq/xml";
import { runCommand } from "../internal/command.js";
import { capability, optionalCapability, packageFolder, runningEnvironment } from "../internal/device.js";
import { joinPath } from "../internal/paths.js";
import { defineHandler } from "../internal/outcome.js";
import { runSandboxScript } from "../internal/script-host.js";
import type { BuiltinHandlerOptions } from "../internal/script-options.js";
import { flag, oneOf, parseFlag, text } from "../internal/settings.js";

const POLICIES: readonly ExecutionPolicy[] = ["Restricted", "AllSigned", "RemoteSigned", "Unrestricted", "Bypass", "Undefined"];
const SIGNATURE = /#\s*SIG\s*#\s*Begin signature block/i;

/** A PowerShell script ready to run. */
export interface PowerShellJob {
  /** The script text. */
  readonly source: string;
  /** File name used when the script is staged for the command runner. */
  readonly fileName: string;
  /** Argument text. */
  readonly parameters: string;
  /** Execution policy of this invocation. */
  readonly policy: ExecutionPolicy;
  /** Variable that receives the last 1000 characters of output. */
  readonly outputVariable: string;
  /** Run as another account. */
  readonly runAs?: RunAsAccount;
  /** Working directory. */
  readonly workingDirectory: string;
}

/** The script text: the inline Base64 source or `ScriptName` from `PackageID` (exactly one). */
async function scriptSource(ctx: StepHandlerContext): Promise<{ source: string; fileName: string; folder: string }> {
  const inline = text(ctx.settings, "SourceScript");
  const packageId = text(ctx.settings, "PackageID");
  const name = text(ctx.settings, "ScriptName");
  if ((inline !== "") === (packageId !== "" || name !== "")) throw new TaskSeqError("InvalidSetting", "Set exactly one of SourceScript, or PackageID with ScriptName.");
  if (inline !== "") {
    try {
      return { source: decodePowerShellScript(inline), fileName: `${ctx.step.name.replace(/[^A-Za-z0-9_-]+/g, "_") || "script"}.ps1`, folder: "" };
    } catch (e) {
      throw new TaskSeqError("InvalidSetting", "SourceScript is not valid Base64 script text.", { cause: e });
    }
  }
  if (packageId === "" || name === "") throw new TaskSeqError("InvalidSetting", "A package script needs both PackageID and ScriptName.");
  const folder = await packageFolder(ctx, packageId);
  const path = joinPath(folder, name);
  const files = capability(ctx, "files");
  if (!(await files.exists(path))) throw new TaskSeqError("ContentNotFound", `Script ${name} is not in package ${packageId}.`);
  return { source: await files.readText(path), fileName: name, folder };
}

/** Applies the execution policy decision of spec/steps.md §5 behaviour 4. */
async function checkPolicy(ctx: StepHandlerContext, policy: ExecutionPolicy, source: string, options: BuiltinHandlerOptions): Promise<void> {
  const effective = policy === "Undefined" ? ((await optionalCapability(ctx, "os")?.facts())?.executionPolicy ?? "RemoteSigned") : policy;
  if (effective === "Restricted") {
    ctx.log.error("Script execution is restricted.");
    throw new TaskSeqError("InvalidSetting", "Script execution is restricted (execution policy Restricted).");
  }
  if (effective === "AllSigned") {
    if (!SIGNATURE.test(source)) throw new TaskSeqError("InvalidSetting", "The execution policy is AllSigned and the script has no signature block.");
    if (options.signatureVerifier === undefined) ctx.log.warning("AllSigned: the signature cannot be verified here; the script runs.");
    else if (!(await options.signatureVerifier(source))) throw new TaskSeqError("InvalidSetting", "The script's signature is not valid (AllSigned).");
  }
}

/** Single-quotes a value for a PowerShell command line. */
const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** Runs a PowerShell job with the configured host. */
export async function runPowerShell(ctx: StepHandlerContext, job: PowerShellJob, options: BuiltinHandlerOptions): Promise<StepHandlerResult> {
  const os = optionalCapability(ctx, "os");
  if ((await runningEnvironment(ctx)) === "WinPE" && os !== undefined && !(await os.facts()).powerShellAvailable) {
    throw new TaskSeqError("UnsupportedStep", "PowerShell is not available in this Windows PE (WinPE-PowerShell is missing).");
  }
  if (job.runAs !== undefined && (await runningEnvironment(ctx)) === "WinPE") throw new TaskSeqError("AccessDenied", "A step cannot run as another account in Windows PE.");
  await checkPolicy(ctx, job.policy, job.source, options);
  if ((ctx.env.get("OSDLogPowerShellParameters") ?? "").toUpperCase() === "TRUE" && job.parameters !== "") ctx.log.info(`Parameters: ${job.parameters}`);
  const mode = options.scriptHost ?? "sandbox";
  let sandbox = mode !== "commands";
  if (mode === "auto") {
    try {
      compilePowerShell(job.source, job.parameters === "" ? {} : { parameters: job.parameters });
    } catch (e) {
      if (!isTaskSeqError(e, "ScriptUnsupported")) throw e;
      ctx.log.info("The script uses constructs outside the sandbox subset; running it with the command runner.");
      sandbox = false;
    }
  }
  if (sandbox) {
    if (job.runAs !== undefined) ctx.log.info(`Run as ${job.runAs.userName} is recorded; the sandbox runs the script itself.`);
    return runSandboxScript(ctx, { language: "powershell", source: job.source, parameters: job.parameters, outputVariable: job.outputVariable }, options);
  }
  const staged = joinPath(ctx.env.expand("%windir%") === "%windir%" ? "C:\\Windows" : ctx.env.expand("%windir%"), "temp", "smstspowershellscripts", job.fileName);
  await capability(ctx, "files").write(staged, job.source);
  const policy = job.policy === "Undefined" ? "" : ` -ExecutionPolicy ${job.policy}`;
  return runCommand(ctx, {
    commandLine: `powershell.exe -NoLogo -NoProfile -NonInteractive${policy} -File ${quote(staged)}${job.parameters === "" ? "" : ` ${job.parameters}`}`,
    workingDirectory: job.workingDirectory,
    ...(job.runAs === undefined ? {} : { runAs: job.runAs }),
    outputVariable: job.outputVariable,
    hideCommandLine: true,
  });
}

/**
 * Creates the Run PowerShell Script handler: the inline Base64 UTF-16LE `SourceScript` or
 * `ScriptName` from `PackageID` (exactly one, else `InvalidSetting`), `Parameters` bound to the
 * script's `param()` block, `ExecutionPolicy` (`Restricted` fails; `AllSigned` needs a signature
 * block; `Undefined` uses the device policy), run-as (refused in Windows PE), `OutputVariableName`.
 * The script runs in the sandbox (default), the device's command runner or `auto`.
 * Parameters are logged only with `OSDLogPowerShellParameters=TRUE`; the script text never.
 *
 * @param options - script host and signature verifier
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_RunPowerShellScriptAction", createRunPowerShellScriptHandler({ scriptHost: "auto" }));
 * ```
 */
export function createRunPowerShellScriptHandler(options: BuiltinHandlerOptions = {}): StepHandler {
  return defineHandler(async (ctx) => {
    const { source, fileName, folder } = await scriptSource(ctx);
    const global = parseFlag(ctx.env.get("SMSTSRunPowerShellAsUser") ?? "", "SMSTSRunPowerShellAsUser", false);
    const runAsStep = flag(ctx.settings, "RunAsUser", false);
    const runAs: RunAsAccount | undefined = runAsStep
      ? {
          userName: global ? (ctx.env.get("SMSTSRunPowerShellUserName") ?? "") : text(ctx.settings, "UserName"),
          password: global ? (ctx.env.get("SMSTSRunPowerShellUserPassword") ?? "") : (ctx.settings["UserPassword"] ?? ""),
        }
      : undefined;
    const workingDirectory = text(ctx.settings, "WorkingDirectory");
    return runPowerShell(
      ctx,
      {
        source,
        fileName,
        parameters: text(ctx.settings, "Parameters"),
        policy: oneOf(ctx.settings, "ExecutionPolicy", POLICIES, "Restricted"),
        outputVariable: text(ctx.settings, "OutputVariableName"),
        ...(runAs === undefined ? {} : { runAs }),
        workingDirectory: folder !== "" && workingDirectory !== "" && !/^[A-Za-z]:|^\\\\/.test(workingDirectory) ? joinPath(folder, workingDirectory) : workingDirectory || folder,
      },
      options,
    );
  });
}
