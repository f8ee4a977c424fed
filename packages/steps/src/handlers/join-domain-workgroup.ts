/**
 * Join Domain or Workgroup (`SMS_TaskSequence_JoinDomainWorkgroupAction`, spec/steps.md §21.12).
 */
import { TaskSeqError } from "@taskseq/model";
import { capability, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { flag, required, text } from "../internal/settings.js";

/**
 * `Type` `0` joins `DomainName` (optionally into `DomainOUName`) with `DomainUsername` and the
 * secret `DomainPassword` (blank when absent); `1` joins `WorkgroupName` (1–32 characters).
 * Restarts into the OS afterwards unless `SkipReboot`. Full OS only.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_JoinDomainWorkgroupAction", joinDomainWorkgroupHandler);
 * ```
 */
export const joinDomainWorkgroupHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "FullOS", "Join Domain or Workgroup");
  const type = required(ctx.settings, "Type");
  const network = capability(ctx, "network");
  if (type === "1") {
    const workgroup = required(ctx.settings, "WorkgroupName");
    if (workgroup.length > 32) throw new TaskSeqError("InvalidSetting", "WorkgroupName is longer than 32 characters.");
    await network.joinWorkgroup(workgroup);
    ctx.log.info(`Joined workgroup ${workgroup}.`);
  } else if (type === "0") {
    const domain = required(ctx.settings, "DomainName");
    const ou = text(ctx.settings, "DomainOUName");
    await network.joinDomain(domain, { userName: text(ctx.settings, "DomainUsername"), password: ctx.settings["DomainPassword"] ?? "" }, ou === "" ? undefined : ou);
    ctx.log.info(`Joined domain ${domain}${ou === "" ? "" : ` in ${ou}`}.`);
  } else throw new TaskSeqError("InvalidSetting", "Type must be 0 (domain) or 1 (workgroup).");
  return flag(ctx.settings, "SkipReboot", false) ? { exitCode: 0 } : { exitCode: 0, restart: { target: "HD", then: "next" } };
});
