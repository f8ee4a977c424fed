import { TaskSeqError } from "@taskseq/model";
import type { Device, DeviceCapabilities, DeviceCapabilityName } from "./types.js";

/** Every capability name, in steps.md §2 order. */
export const deviceCapabilityNames: readonly DeviceCapabilityName[] = [
  "hardware",
  "os",
  "wmi",
  "disks",
  "files",
  "registry",
  "commands",
  "content",
  "applications",
  "packages",
  "image",
  "drivers",
  "setup",
  "updates",
  "network",
  "bitlocker",
  "stateStore",
  "usmt",
  "reboot",
  "ui",
  "clock",
];

/**
 * The capability, or a `TaskSeqError` with code `AdapterMissing` naming it.
 *
 * @example
 * ```ts
 * const disks = requireCapability(device, "disks");
 * const list = await disks.listDisks();
 * ```
 */
export function requireCapability<K extends DeviceCapabilityName>(device: Device, name: K): DeviceCapabilities[K] {
  const capability = device[name];
  if (capability === undefined) {
    throw new TaskSeqError("AdapterMissing", `The device has no '${name}' capability.`, { details: { capability: name } });
  }
  return capability as DeviceCapabilities[K];
}

/** True if the device offers the capability. */
export function hasCapability(device: Device, name: DeviceCapabilityName): boolean {
  return device[name] !== undefined;
}

/** The names of the capabilities the device offers, in steps.md §2 order. */
export function listCapabilities(device: Device): DeviceCapabilityName[] {
  return deviceCapabilityNames.filter((name) => device[name] !== undefined);
}
