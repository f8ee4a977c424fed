/**
 * MDT Gather (`BDD_Gather`, spec/steps.md §22.3).
 */
import type { StepHandler, StepHandlerContext } from "@taskseq/engine";
import { TaskSeqError } from "@taskseq/model";
import { processCustomSettings, type GatherValue } from "../mdt/custom-settings.js";
import { gatherLocalProperties } from "../mdt/gather-local.js";
import { optionalCapability } from "../internal/device.js";
import { joinPath } from "../internal/paths.js";
import { defineHandler } from "../internal/outcome.js";
import type { BuiltinHandlerOptions } from "../internal/script-options.js";
import { flag, text } from "../internal/settings.js";

/** `_` properties rules files commonly set that a step may write (MDT writes them through TSEnv). */
const WRITABLE_UNDERSCORE = new Set(["_SMSTSORGNAME", "_SMSTSPACKAGENAME", "_SMSTSCUSTOMPROGRESSDIALOGMESSAGE"]);

async function rulesText(ctx: StepHandlerContext, options: BuiltinHandlerOptions): Promise<string> {
  const files = optionalCapability(ctx, "files");
  const named = text(ctx.settings, "RulesFile");
  const deployRoot = ctx.env.get("DeployRoot") ?? "";
  const candidates = named !== "" ? [/^[A-Za-z]:|^\\\\/.test(named) ? named : joinPath(deployRoot || "X:\\Deploy", "Control", named)] : deployRoot !== "" ? [joinPath(deployRoot, "Control", "CustomSettings.ini")] : [];
  for (const path of candidates) if (files !== undefined && (await files.exists(path))) return files.readText(path);
  if (named === "" && options.customSettings !== undefined) return options.customSettings;
  throw new TaskSeqError("ContentNotFound", named === "" ? "No CustomSettings.ini was found (set DeployRoot, the step's RulesFile or the customSettings option)." : `Rules file ${named} was not found.`);
}

function write(ctx: StepHandlerContext, name: string, value: GatherValue): void {
  if (typeof value === "string") {
    if (name.startsWith("_")) {
      if (WRITABLE_UNDERSCORE.has(name.toUpperCase())) ctx.setReadOnly(name, value);
      else ctx.log.warning(`Gather does not overwrite the read-only variable ${name}.`);
    } else ctx.env.set(name, value);
    return;
  }
  value.forEach((v, i) => ctx.env.set(`${name}${String(i + 1).padStart(3, "0")}`, v));
}

/**
 * Creates the `BDD_Gather` handler: writes the MDT local properties (see `gatherLocalProperties`)
 * and, unless `GatherLocalOnly=true`, processes the rules file (`RulesFile`, else
 * `%DeployRoot%\Control\CustomSettings.ini`, else `options.customSettings`) with
 * `processCustomSettings`; every value and where it came from is logged. List properties are
 * written `Name001`, `Name002`, …. `#…#` code fails with `ScriptUnsupported` (50).
 *
 * @param options - the fallback `customSettings` text
 * @example
 * ```ts
 * registry.register("BDD_Gather", createGatherHandler({ customSettings: "[Settings]\nPriority=Default\n[Default]\nOSInstall=Y" }));
 * ```
 */
export function createGatherHandler(options: BuiltinHandlerOptions = {}): StepHandler {
  return defineHandler(async (ctx) => {
    const local = await gatherLocalProperties(ctx.device);
    for (const [name, value] of Object.entries(local)) write(ctx, name, value);
    ctx.log.info(`Gathered ${Object.keys(local).length} local properties.`);
    if (flag(ctx.settings, "GatherLocalOnly", false)) return { exitCode: 0 };
    const result = processCustomSettings(await rulesText(ctx, options), { properties: local, lookup: (n) => ctx.env.get(n) });
    for (const w of result.warnings) ctx.log.warning(`Rules ${w}`);
    for (const t of result.trace) ctx.log.verbose(`Property ${t.property} ${t.outcome} from [${t.section}] (priority ${t.via}).`);
    for (const [name, value] of Object.entries(result.values)) if (JSON.stringify(local[name]) !== JSON.stringify(value)) write(ctx, name, value);
    ctx.log.info(`Processed rules sections: ${result.sections.join(", ") || "(none)"}.`);
    return { exitCode: 0 };
  });
}
