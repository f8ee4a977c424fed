/**
 * MDT Inject Drivers (`BDD_InjectDrivers`, spec/steps.md §22.3).
 */
import { TaskSeqError } from "@taskseq/model";
import { capability } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { oneOf, text } from "../internal/settings.js";

/**
 * Injects drivers into the applied OS (`OSDTargetSystemDrive`, else the `OSDisk` variable):
 * `DriverSelectionProfile` `Nothing` injects none, `All Drivers` (or empty) uses every category,
 * another profile name is used as the driver category; `DriverInjectionMode` `AUTO` takes the
 * best match per device, `ALL` every compatible driver of the profile.
 *
 * @example
 * ```ts
 * registry.register("BDD_InjectDrivers", injectDriversHandler);
 * ```
 */
export const injectDriversHandler = defineHandler(async (ctx) => {
  const profile = text(ctx.settings, "DriverSelectionProfile");
  if (profile.toLowerCase() === "nothing") {
    ctx.log.info("Driver selection profile Nothing: no drivers injected.");
    return { exitCode: 0 };
  }
  const mode = oneOf(ctx.settings, "DriverInjectionMode", ["AUTO", "ALL"], "AUTO");
  const target = (ctx.env.get("OSDTargetSystemDrive") || ctx.env.get("OSDisk") || "").toUpperCase();
  if (target === "") throw new TaskSeqError("InvalidSetting", "Inject Drivers needs an applied operating system (OSDTargetSystemDrive or OSDisk).");
  const drivers = capability(ctx, "drivers");
  const pnpIds = (await capability(ctx, "hardware").facts()).pnpDeviceIds;
  const categories = profile === "" || profile.toLowerCase() === "all drivers" ? [] : [profile];
  const matches = await drivers.match({ pnpIds, categories, bestMatch: mode === "AUTO", allowUnsigned: true });
  const count = matches.length === 0 ? 0 : await drivers.applyDrivers(matches.map((d) => d.id), target);
  ctx.log.info(`Injected ${count} driver(s) (${mode}, profile ${profile || "All Drivers"}) into ${target}.`);
  return { exitCode: 0 };
});
