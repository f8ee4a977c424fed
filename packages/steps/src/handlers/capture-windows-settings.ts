/**
 * Capture Windows Settings (`SMS_TaskSequence_CaptureWindowsSettingsAction`, spec/steps.md §21.7).
 */
import { capability, optionalCapability } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { flag } from "../internal/settings.js";

const CURRENT_VERSION = "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";

/**
 * Writes `OSDComputerName` (`MigrateComputerName`), `OSDRegisteredOrgName`
 * (`MigrateRegistrationInfo`, from the registry when the device has one) and `OSDTimeZone`
 * (`MigrateTimeZone`) from the running OS.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_CaptureWindowsSettingsAction", captureWindowsSettingsHandler);
 * ```
 */
export const captureWindowsSettingsHandler = defineHandler(async (ctx) => {
  const os = await capability(ctx, "os").facts();
  if (flag(ctx.settings, "MigrateComputerName", true)) ctx.env.set("OSDComputerName", os.computerName);
  if (flag(ctx.settings, "MigrateTimeZone", true)) ctx.env.set("OSDTimeZone", os.timeZone);
  if (flag(ctx.settings, "MigrateRegistrationInfo", true)) {
    const org = await optionalCapability(ctx, "registry")?.readValue(CURRENT_VERSION, "RegisteredOrganization", "64");
    if (org?.type === "REG_SZ" && org.data !== "") ctx.env.set("OSDRegisteredOrgName", org.data);
  }
  ctx.log.info("Captured the Windows settings.");
  return { exitCode: 0 };
});
