import { parseDeviceProfile } from "@taskseq/device";
import type { DeviceProfile } from "@taskseq/device";
import { TaskSeqError } from "@taskseq/model";
import type { SiteDevice } from "./collections.js";
import { profileArchitecture } from "./media.js";

/** A simulated device of a fleet: its site record and its profile. */
export interface FleetDevice {
  /** The site's record. */
  readonly device: SiteDevice;
  /** The profile the simulated device runs on (own serial number, MAC, UUID and name). */
  readonly profile: DeviceProfile;
}

/** Options of {@link createFleetDevices}. */
export interface FleetDeviceOptions {
  /** Computer name prefix (default `PC`); names are prefix + a zero-padded number. */
  readonly namePrefix?: string;
  /** First number (default 1). */
  readonly firstNumber?: number;
}

/**
 * The platform a profile's installed Windows reports, as written in platform restrictions:
 * `Windows 10 x64`, `Windows 11 arm64`, `Windows Server x64`; `undefined` without an installed OS
 * (Windows PE: platform restrictions don't apply).
 */
export function profilePlatform(profile: DeviceProfile): string | undefined {
  const os = profile.os.installed;
  if (os === undefined) return undefined;
  const build = Number(os.version.split(".")[2] ?? 0);
  const name = os.productType === "SERVER" ? "Windows Server" : build >= 22000 ? "Windows 11" : "Windows 10";
  return `${name} ${profileArchitecture(profile)}`;
}

/** The largest fleet {@link createFleetDevices} builds. */
export const MAX_FLEET_SIZE = 1_000_000;

/**
 * Draws `count` devices from profiles (validated: `ProfileInvalid`) in turn, each with its own serial number, MAC address,
 * SMBIOS UUID and computer name, derived deterministically from its number.
 *
 * @example
 * ```ts
 * const fleet = createFleetDevices([dellProfile, hpProfile], 100, { namePrefix: "LAB" });
 * fleet[0].device.name; // "LAB0001"
 * ```
 */
export function createFleetDevices(profiles: readonly DeviceProfile[], count: number, options: FleetDeviceOptions = {}): FleetDevice[] {
  if (profiles.length === 0) throw new TaskSeqError("InvalidArgument", "A fleet needs at least one device profile.");
  if (!Number.isInteger(count) || count < 1 || count > MAX_FLEET_SIZE) throw new TaskSeqError("InvalidArgument", `A fleet has 1 to ${MAX_FLEET_SIZE} devices, got ${count}.`);
  const prefix = options.namePrefix ?? "PC";
  const first = options.firstNumber ?? 1;
  if (!Number.isInteger(first) || first < 0) throw new TaskSeqError("InvalidArgument", `The first number must be a whole number of at least 0, got ${first}.`);
  if (!/^[A-Za-z][A-Za-z0-9-]{0,9}$/.test(prefix)) throw new TaskSeqError("InvalidArgument", `Name prefix "${prefix}" must be 1-10 letters, digits or hyphens starting with a letter.`);
  const validated = profiles.map((p) => parseDeviceProfile(p));
  const width = Math.max(4, String(first + count - 1).length);
  if (prefix.length + width > 15) throw new TaskSeqError("InvalidArgument", `Computer names have at most 15 characters: prefix "${prefix}" leaves too few for ${count} numbers.`);
  const out: FleetDevice[] = [];
  for (let i = 0; i < count; i++) {
    const n = first + i;
    const base = validated[i % validated.length] as DeviceProfile;
    const name = `${prefix}${String(n).padStart(width, "0")}`;
    const hex = n.toString(16).toUpperCase().padStart(12, "0");
    const mac = (hex.match(/../g) ?? []).map((p, j) => (j === 0 ? "02" : p)).join(":");
    const serial = `SIM${hex}`;
    const uuid = `00000000-0000-4000-8000-${hex}`;
    const adapters = (base.networkAdapters ?? []).map((a, j) => (j === 0 ? { ...a, macAddress: mac } : a));
    const os = {
      ...base.os,
      ...(base.os.installed === undefined ? {} : { installed: { ...base.os.installed, computerName: name } }),
      ...(base.os.winpe === undefined ? {} : { winpe: { ...base.os.winpe, computerName: `MININT-${hex.slice(-7)}` } }),
    };
    const profile: DeviceProfile = { ...base, name, hardware: { ...base.hardware, serialNumber: serial, uuid }, os, networkAdapters: adapters };
    out.push({ device: { id: name, name, macAddress: mac, serialNumber: serial, architecture: profileArchitecture(base), server: base.os.installed?.productType === "SERVER" }, profile });
  }
  return out;
}
