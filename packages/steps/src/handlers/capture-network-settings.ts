/**
 * Capture Network Settings (`SMS_TaskSequence_CaptureNetworkSettingsAction`, spec/steps.md §21.6).
 */
import { capability, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { flag } from "../internal/settings.js";

/**
 * Reads domain or workgroup membership (`MigrateNetworkMembership`) into `OSDNetworkJoinType`,
 * `OSDDomainName`/`OSDWorkgroupName`, and adapter configuration (`MigrateAdapterSettings`) into
 * `OSDAdapterCount` and `OSDAdapter<n>EnableDHCP`, `…IPAddressList`, `…Gateways`, `…MacAddress`,
 * the variables Apply Network Settings uses. Full OS only.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_CaptureNetworkSettingsAction", captureNetworkSettingsHandler);
 * ```
 */
export const captureNetworkSettingsHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "FullOS", "Capture Network Settings");
  if (flag(ctx.settings, "MigrateNetworkMembership", true)) {
    const os = await capability(ctx, "os").facts();
    if (os.domain) {
      ctx.env.set("OSDNetworkJoinType", "0");
      ctx.env.set("OSDDomainName", os.domain);
    } else {
      ctx.env.set("OSDNetworkJoinType", "1");
      ctx.env.set("OSDWorkgroupName", os.workgroup ?? "WORKGROUP");
    }
  }
  if (flag(ctx.settings, "MigrateAdapterSettings", true)) {
    const adapters = await capability(ctx, "hardware").networkAdapters();
    ctx.env.set("OSDAdapterCount", String(adapters.length));
    adapters.forEach((a, i) => {
      ctx.env.set(`OSDAdapter${i}EnableDHCP`, a.dhcpEnabled ? "true" : "false");
      ctx.env.set(`OSDAdapter${i}MacAddress`, a.macAddress);
      if (!a.dhcpEnabled) {
        ctx.env.set(`OSDAdapter${i}IPAddressList`, a.ipAddresses.join(","));
        ctx.env.set(`OSDAdapter${i}Gateways`, a.defaultGateways.join(","));
      }
    });
    ctx.log.info(`Captured the settings of ${adapters.length} adapter(s).`);
  }
  return { exitCode: 0 };
});
