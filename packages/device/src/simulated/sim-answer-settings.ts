import { TaskSeqError } from "@taskseq/model";
import type { ProfileInstalledOs } from "../profile/profile-types.js";
import type { SetupWindowsOptions } from "../types.js";
import { record, type Mutable, type SimState } from "./sim-state.js";
import { setRegistryValue } from "./sim-storage.js";

/** Where Windows keeps the registered owner and organisation (what Capture Windows Settings reads). */
export const CURRENT_VERSION_KEY = "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";

/** The options that become installed-OS facts, by the profile field they set. */
const OS_FIELDS = [
  "computerName",
  "timeZone",
  "inputLocale",
  "systemLocale",
  "uiLanguage",
  "uiLanguageFallback",
  "userLocale",
  "administratorEnabled",
  "serverLicenseMode",
  "serverLicenseConnectionLimit",
] as const;

/** The options Windows Setup writes to the registry, by value name under {@link CURRENT_VERSION_KEY}. */
const REGISTRY_FIELDS = [
  ["registeredOwner", "RegisteredOwner"],
  ["registeredOrganization", "RegisteredOrganization"],
] as const;

/**
 * Applies the answer-file settings of Setup Windows and ConfigMgr to the installed OS: computer
 * name, time zone, locales, the local Administrator and the server licensing to its facts,
 * registration to the registry. The product key and the Administrator password are used, never
 * stored or recorded. An enabled Administrator without a password is `InvalidSetting`, before
 * anything changes.
 */
export function applyAnswerSettings(state: SimState, os: Mutable<ProfileInstalledOs>, options: SetupWindowsOptions): void {
  if (options.administratorEnabled === true && (options.administratorPassword ?? "") === "") {
    throw new TaskSeqError("InvalidSetting", "An enabled local Administrator needs a password.");
  }
  const applied: string[] = [];
  for (const field of OS_FIELDS) {
    const value = options[field];
    if (value === undefined || value === "") continue;
    Object.assign(os, { [field]: value });
    applied.push(field);
  }
  for (const [field, name] of REGISTRY_FIELDS) {
    const value = options[field];
    if (value === undefined || value === "") continue;
    setRegistryValue(state, CURRENT_VERSION_KEY, name, { type: "REG_SZ", data: value });
    applied.push(field);
  }
  if ((options.productKey ?? "") !== "") applied.push("productKey");
  if (applied.length > 0) record(state, "setup", `answer file: ${applied.join(", ")}`);
}
