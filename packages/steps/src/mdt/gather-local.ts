/**
 * MDT `ZTIGather` local facts (spec/steps.md §22.3 `BDD_Gather`): the properties MDT derives from
 * the machine, computed from the device's `hardware` and `os` capabilities.
 */
import type { Device } from "@taskseq/device";
import { requireCapability } from "@taskseq/device";
import type { GatherValue } from "./custom-settings.js";

const LAPTOP = new Set([8, 9, 10, 11, 12, 14, 18, 21, 30, 31, 32]);
const DESKTOP = new Set([3, 4, 5, 6, 7, 13, 15, 16, 35, 36]);
const SERVER = new Set([17, 23, 28]);

const bool = (value: boolean): string => (value ? "True" : "False");

/** Distinct values in first-seen order (ZTIGather collects each list in a dictionary). */
const distinct = (values: readonly string[]): string[] => [...new Set(values)];

/**
 * Gathers the MDT local properties: `Make`, `Model`, `Product`, `SerialNumber`, `AssetTag`,
 * `UUID`, `Memory` (MB), `ProcessorSpeed` (MHz), `Architecture` (`X86`/`X64`),
 * `CapableArchitecture`, `IsLaptop`, `IsDesktop`, `IsServer` (from the chassis types), `IsVM`,
 * `IsOnBattery`, `IsUEFI`, the OS facts (`OSCurrentVersion`,
 * `OSCurrentBuild`, `OSVersion`, `IsServerOS`, `OSSKU`, `HostName`, `OSInstalled`) and the
 * lists `MacAddress`, `IPAddress`, `DefaultGateway` (written `Name001`, `Name002`, …) from the
 * IP-enabled adapters only (connected, with an address: `Win32_NetworkAdapterConfiguration`
 * `IPEnabled = 1`), without `0.0.0.0` and `169.254.*` addresses and without duplicates.
 * True/false values are `True`/`False`, as MDT writes them.
 *
 * @param device - a device with the `hardware` and `os` capabilities
 * @returns the properties by name (lists as arrays)
 * @throws TaskSeqError `AdapterMissing` without `hardware` or `os`
 * @example
 * ```ts
 * const props = await gatherLocalProperties(createSimulatedDevice());
 * props["IsLaptop"]; // "True" or "False"
 * ```
 */
export async function gatherLocalProperties(device: Device): Promise<Record<string, GatherValue>> {
  const hardware = requireCapability(device, "hardware");
  const os = requireCapability(device, "os");
  const [facts, power, adapters, osFacts] = await Promise.all([hardware.facts(), hardware.power(), hardware.networkAdapters(), os.facts()]);
  const chassis = facts.chassisTypes;
  const inPe = osFacts.environment === "WinPE";
  const v = osFacts.version;
  const ipEnabled = adapters.filter((a) => a.connected && a.ipAddresses.length > 0);
  return {
    Make: facts.manufacturer,
    Model: facts.model,
    Product: facts.product,
    SerialNumber: facts.serialNumber,
    AssetTag: facts.assetTag,
    UUID: facts.uuid,
    Memory: String(Math.round(facts.memoryMB)),
    ProcessorSpeed: String(Math.round(facts.maxClockSpeedMHz)),
    Architecture: osFacts.architecture === "64" ? "X64" : "X86",
    CapableArchitecture: osFacts.architecture === "64" ? "AMD64 X64 X86" : "X86",
    IsLaptop: bool(chassis.some((c) => LAPTOP.has(c))),
    IsDesktop: bool(chassis.some((c) => DESKTOP.has(c))),
    IsServer: bool(chassis.some((c) => SERVER.has(c))),
    IsVM: bool(facts.isVirtualMachine),
    IsOnBattery: bool(power.source === "Battery"),
    IsUEFI: bool(facts.firmware === "UEFI"),
    OSCurrentVersion: `${v.major}.${v.minor}.${v.build}`,
    OSCurrentBuild: String(v.build),
    OSVersion: inPe ? "WinPE" : osFacts.productType === "SERVER" ? "Server" : `Win${v.major}`,
    IsServerOS: bool(osFacts.productType === "SERVER"),
    OSSKU: osFacts.edition,
    HostName: osFacts.computerName,
    OSInstalled: bool(!inPe),
    MacAddress: distinct(ipEnabled.map((a) => a.macAddress.toUpperCase())),
    IPAddress: distinct(ipEnabled.flatMap((a) => a.ipAddresses).filter((ip) => ip !== "" && ip !== "0.0.0.0" && !ip.startsWith("169.254"))),
    DefaultGateway: distinct(ipEnabled.flatMap((a) => a.defaultGateways).filter((g) => g !== "")),
  };
}
