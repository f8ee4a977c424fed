/**
 * Apply Windows Settings (`SMS_TaskSequence_ApplyWindowsSettingsAction`, spec/steps.md §21.5).
 */
import { TaskSeqError } from "@taskseq/model";
import { isValidComputerName, parseServerLicensing, sealAnswerValue, writeAnswerSection, type AnswerEntry } from "../internal/answer-file.js";
import { requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { flag, text } from "../internal/settings.js";

/** The computer name when `ComputerName` is absent (the catalogue default). */
const DEFAULT_COMPUTER_NAME = "%_SMSTSMachineName%";

const FIELDS: readonly (readonly [property: string, key: string])[] = [
  ["RegisteredUserName", "RegisteredOwner"],
  ["RegisteredOrgName", "RegisteredOrganization"],
  ["TimeZone", "TimeZone"],
  ["InputLocale", "InputLocale"],
  ["SystemLocale", "SystemLocale"],
  ["UILanguage", "UILanguage"],
  ["UILanguageFallback", "UILanguageFallback"],
  ["UserLocale", "UserLocale"],
];

/**
 * Records computer name (≤15 characters; absent = `%_SMSTSMachineName%`; a still unresolved
 * `%VAR%` is left for Setup Windows and ConfigMgr to substitute), registration, time zone, locales,
 * server licensing, product key and the local administrator (random and disabled, or enabled with
 * `OSDLocalAdminPassword`) in the answer file; the product key and the password are written sealed
 * in the run's secret store (`sealAnswerValue`), never in clear. Server licensing takes Windows
 * Setup's `[LicenseFilePrintData]` names: `ServerLicenseMode` (`OSDServerLicenseMode`, `PerSeat` or
 * `PerServer`) as `AutoMode`, `ServerLicenseConnectionLimit` (`OSDServerLicenseConnectionLimit`,
 * 5–9999, required in `PerServer` mode and kept only there) as `AutoUsers`; another mode or limit
 * is `InvalidSetting`. Windows PE only.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_ApplyWindowsSettingsAction", applyWindowsSettingsHandler);
 * ```
 */
export const applyWindowsSettingsHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "WinPE", "Apply Windows Settings");
  const name = text(ctx.settings, "ComputerName") || DEFAULT_COMPUTER_NAME;
  if (/%[A-Za-z0-9_-]+%/.test(name)) {
    if (name !== DEFAULT_COMPUTER_NAME) ctx.log.warning(`ComputerName ${name} still holds a variable reference; Setup Windows and ConfigMgr substitutes it.`);
  } else if (!isValidComputerName(name)) {
    throw new TaskSeqError("InvalidSetting", "ComputerName must be at most 15 characters without spaces or special characters.");
  }
  const random = flag(ctx.settings, "RandomAdminPassword", true);
  if (!random && (ctx.settings["AdminPassword"] ?? "") === "") throw new TaskSeqError("InvalidSetting", "AdminPassword is required when RandomAdminPassword is false.");
  const licensing = parseServerLicensing(text(ctx.settings, "ServerLicenseMode"), text(ctx.settings, "ServerLicenseConnectionLimit"), ["ServerLicenseMode", "ServerLicenseConnectionLimit"]);
  const entries: AnswerEntry[] = [["ComputerName", name], ...FIELDS.filter(([p]) => text(ctx.settings, p) !== "").map(([p, key]): AnswerEntry => [key, text(ctx.settings, p)])];
  if (licensing.serverLicenseMode !== undefined) entries.push(["AutoMode", licensing.serverLicenseMode]);
  if (licensing.serverLicenseConnectionLimit !== undefined) entries.push(["AutoUsers", String(licensing.serverLicenseConnectionLimit)]);
  const productKey = text(ctx.settings, "ProductKey");
  if (productKey !== "") entries.push(["ProductKey", await sealAnswerValue(ctx, productKey)]);
  entries.push(["AdministratorAccount", random ? "RandomDisabled" : "Enabled"]);
  if (!random) entries.push(["AdministratorPassword", await sealAnswerValue(ctx, ctx.settings["AdminPassword"] ?? "")]);
  const path = await writeAnswerSection(ctx, "WindowsSettings", entries);
  ctx.log.info(`Windows settings recorded${path === undefined ? "" : ` in ${path}`} for Setup Windows and ConfigMgr.`);
  return { exitCode: 0 };
});
