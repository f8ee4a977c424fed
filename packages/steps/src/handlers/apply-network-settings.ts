/**
 * Apply Network Settings (`SMS_TaskSequence_ApplyNetworkSettingsAction`, spec/steps.md §21.4).
 */
import { TaskSeqError } from "@taskseq/model";
import { capability, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { integer, required, text } from "../internal/settings.js";

/**
 * Hands the membership (`NetworkJoinType` `0` domain / `1` workgroup, names, OU, account) and the
 * `OSDAdapter<n>…` settings (only when `OSDAdapterCount` is set) to the `network` capability for
 * the answer file; nothing is applied at once. The join password (`DomainPassword`) is passed to
 * the adapter, which writes it into the answer file; it is never logged. Windows PE only.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_ApplyNetworkSettingsAction", applyNetworkSettingsHandler);
 * ```
 */
export const applyNetworkSettingsHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "WinPE", "Apply Network Settings");
  const joinType = text(ctx.settings, "NetworkJoinType") || "1";
  const out: Record<string, string> = { OSDNetworkJoinType: joinType };
  if (joinType === "0") {
    out["OSDDomainName"] = required(ctx.settings, "DomainName");
    out["OSDDomainOUName"] = text(ctx.settings, "DomainOUName");
    out["OSDJoinAccount"] = text(ctx.settings, "DomainUsername");
    out["OSDJoinPassword"] = ctx.settings["DomainPassword"] ?? "";
  } else if (joinType === "1") {
    const workgroup = text(ctx.settings, "WorkgroupName") || "WORKGROUP";
    if (workgroup.length > 32) throw new TaskSeqError("InvalidSetting", "WorkgroupName is longer than 32 characters.");
    out["OSDWorkgroupName"] = workgroup;
  } else throw new TaskSeqError("InvalidSetting", "NetworkJoinType must be 0 (domain) or 1 (workgroup).");
  const count = integer(ctx.settings, "NumAdapters", 0, 64);
  if (ctx.env.get("OSDAdapterCount") !== undefined || count > 0) {
    out["OSDAdapterCount"] = String(count);
    for (const { name } of ctx.env.entries()) if (/^OSDAdapter\d+/i.test(name)) out[name] = ctx.env.get(name) ?? "";
  }
  await capability(ctx, "network").applySettings(out);
  ctx.log.info(`Network settings recorded (${joinType === "0" ? "domain" : "workgroup"}, ${count} adapter(s)).`);
  return { exitCode: 0 };
});
