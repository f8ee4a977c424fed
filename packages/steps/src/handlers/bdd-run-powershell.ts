/**
 * MDT Run PowerShell Script (`BDD_RunPowerShellAction`, spec/steps.md §22.3).
 */
import type { StepHandler } from "@taskseq/engine";
import { TaskSeqError } from "@taskseq/model";
import { capability, packageFolder } from "../internal/device.js";
import { isAbsolutePath, joinPath } from "../internal/paths.js";
import { defineHandler } from "../internal/outcome.js";
import type { BuiltinHandlerOptions } from "../internal/script-options.js";
import { required, text } from "../internal/settings.js";
import { runPowerShell } from "./run-powershell-script.js";

/**
 * Creates the `BDD_RunPowerShellAction` handler: reads `ScriptName` from `PackageID`'s folder, an
 * absolute path, or `%ScriptRoot%` (else `%DeployRoot%\Scripts`) and runs it like Run PowerShell
 * Script with execution policy `Bypass` and `Parameters`. A missing script is `ContentNotFound`.
 *
 * @param options - script host options
 * @example
 * ```ts
 * registry.register("BDD_RunPowerShellAction", createMdtPowerShellHandler());
 * ```
 */
export function createMdtPowerShellHandler(options: BuiltinHandlerOptions = {}): StepHandler {
  return defineHandler(async (ctx) => {
    const name = required(ctx.settings, "ScriptName");
    const packageId = text(ctx.settings, "PackageID");
    const root = packageId !== "" ? await packageFolder(ctx, packageId) : ctx.env.get("ScriptRoot") || joinPath(ctx.env.get("DeployRoot") || "X:\\Deploy", "Scripts");
    const path = isAbsolutePath(name) ? name : joinPath(root, name);
    const files = capability(ctx, "files");
    if (!(await files.exists(path))) throw new TaskSeqError("ContentNotFound", `PowerShell script ${name} was not found.`, { details: { script: name } });
    return runPowerShell(ctx, { source: await files.readText(path), fileName: name.split("\\").pop() ?? name, parameters: text(ctx.settings, "Parameters"), policy: "Bypass", outputVariable: "", workingDirectory: root }, options);
  });
}
