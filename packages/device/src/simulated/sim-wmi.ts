import { TaskSeqError } from "@taskseq/model";
import type { WmiCapability, WmiRow, WmiValue } from "../types.js";
import { compileWql } from "../wql/wql-compile.js";
import { CURRENT_VERSION_KEY } from "./sim-answer-settings.js";
import { hardwareFacts, networkAdapters, osFacts } from "./sim-facts.js";
import { allPartitions, freeBytes, installedOs, winPeVolumeBytes, type SimState } from "./sim-state.js";
import { registryValue } from "./sim-storage.js";

const cimv2 = "ROOT\\CIMV2";

/** A class derived from the modelled state. */
interface DerivedClass {
  readonly namespace: string;
  readonly name: string;
  /** Key property for merging profile rows; undefined = singleton (merge with the first row). */
  readonly key?: string;
  /** `true`: derived properties win over the profile (they change as steps act). */
  readonly stateBound: boolean;
  derive(state: SimState): WmiRow[];
}

const busTypes: Record<string, number> = { SCSI: 1, ATAPI: 2, ATA: 3, "1394": 4, SSA: 5, FIBRECHANNEL: 6, USB: 7, RAID: 8, ISCSI: 9, SAS: 10, SATA: 11, SD: 12, MMC: 13, VIRTUAL: 14, FILEBACKEDVIRTUAL: 15, SPACES: 16, NVME: 17, SCM: 18, UFS: 19 };
const mobileChassis = new Set([8, 9, 10, 11, 12, 14, 18, 21, 30, 31, 32]);
const conversion: Record<string, number> = { FullyDecrypted: 0, FullyEncrypted: 1, EncryptionInProgress: 2, Suspended: 1 };

function dmtf(ms: number): string {
  return `${new Date(ms).toISOString().replace(/[-:T]/g, "").replace(/\.(\d{3})Z$/, ".$1000")}+000`;
}

/** The installed OS while it runs (`undefined` in Windows PE). */
function runningInstalledOs(s: SimState) {
  return s.profile.os.running === "FullOS" ? installedOs(s) : undefined;
}

/**
 * `Win32_OperatingSystem` properties Windows Setup decides, in the full OS and when known:
 * registration (from the registry) and the UI language.
 */
function fullOsSettings(s: SimState): WmiRow {
  const os = runningInstalledOs(s);
  if (os === undefined) return {};
  const row: Record<string, WmiValue> = {};
  for (const [property, name] of [["RegisteredUser", "RegisteredOwner"], ["Organization", "RegisteredOrganization"]] as const) {
    const value = registryValue(s, CURRENT_VERSION_KEY, name);
    if (value?.type === "REG_SZ") row[property] = value.data;
  }
  if (os.uiLanguage !== undefined) row["MUILanguages"] = [os.uiLanguage];
  return row;
}

const derivedClasses: readonly DerivedClass[] = [
  {
    namespace: cimv2,
    name: "Win32_ComputerSystem",
    stateBound: true,
    derive: (s) => {
      const h = hardwareFacts(s);
      const os = osFacts(s);
      return [
        {
          Name: os.computerName,
          Manufacturer: h.manufacturer,
          Model: h.model,
          SystemFamily: s.profile.hardware.family ?? null,
          SystemSKUNumber: h.product,
          TotalPhysicalMemory: h.memoryMB * 1_048_576,
          NumberOfLogicalProcessors: h.logicalProcessors,
          PCSystemType: h.chassisTypes.some((c) => mobileChassis.has(c)) ? 2 : 1,
          HypervisorPresent: h.isVirtualMachine,
          SystemType: os.architecture === "64" ? "x64-based PC" : "X86-based PC",
          Domain: os.domain ?? os.workgroup ?? "WORKGROUP",
          PartOfDomain: os.domain !== undefined,
          Workgroup: os.domain === undefined ? (os.workgroup ?? "WORKGROUP") : null,
        },
      ];
    },
  },
  {
    namespace: cimv2,
    name: "Win32_ComputerSystemProduct",
    stateBound: false,
    derive: (s) => {
      const h = s.profile.hardware;
      return [{ Name: h.model, Vendor: h.manufacturer, UUID: h.uuid, IdentifyingNumber: h.serialNumber, Version: h.version ?? "", SKUNumber: h.product ?? "" }];
    },
  },
  {
    namespace: cimv2,
    name: "Win32_BaseBoard",
    stateBound: false,
    derive: (s) => [{ Product: s.profile.hardware.product ?? "", Manufacturer: s.profile.hardware.manufacturer, SerialNumber: s.profile.hardware.serialNumber }],
  },
  {
    namespace: cimv2,
    name: "Win32_BIOS",
    stateBound: false,
    derive: (s) => {
      const f = s.profile.firmware;
      return [
        {
          SerialNumber: s.profile.hardware.serialNumber,
          SMBIOSBIOSVersion: f.biosVersion ?? "",
          Manufacturer: f.biosManufacturer ?? s.profile.hardware.manufacturer,
          ReleaseDate: f.biosReleaseDate ?? null,
        },
      ];
    },
  },
  {
    namespace: cimv2,
    name: "Win32_SystemEnclosure",
    stateBound: false,
    derive: (s) => [
      { ChassisTypes: [...s.profile.hardware.chassisTypes], SMBIOSAssetTag: s.profile.hardware.assetTag ?? "", SerialNumber: s.profile.hardware.serialNumber, Manufacturer: s.profile.hardware.manufacturer },
    ],
  },
  {
    namespace: cimv2,
    name: "Win32_OperatingSystem",
    stateBound: true,
    derive: (s) => {
      const os = osFacts(s);
      const v = os.version;
      return [
        {
          Caption: os.caption,
          Version: `${v.major}.${v.minor}.${v.build}`,
          BuildNumber: String(v.build),
          OSLanguage: os.language,
          ProductType: os.productType === "SERVER" ? 3 : 1,
          OSArchitecture: os.architecture === "64" ? "64-bit" : "32-bit",
          ServicePackMajorVersion: v.servicePack,
          SystemDrive: os.systemDrive,
          WindowsDirectory: `${os.systemDrive}\\Windows`,
          CSName: os.computerName,
          TotalVisibleMemorySize: s.profile.hardware.memoryMB * 1024,
          LocalDateTime: dmtf(s.clockStart + s.elapsedMs),
          ...fullOsSettings(s),
        },
      ];
    },
  },
  {
    namespace: cimv2,
    name: "Win32_UserAccount",
    key: "Name",
    stateBound: true,
    derive: (s) => {
      const os = runningInstalledOs(s);
      if (os === undefined) return [];
      return [{ Name: "Administrator", Domain: os.computerName ?? "", LocalAccount: true, Disabled: os.administratorEnabled !== true, SIDType: 1 }];
    },
  },
  {
    namespace: cimv2,
    name: "Win32_Processor",
    stateBound: false,
    derive: (s) => {
      const h = s.profile.hardware;
      const os = osFacts(s);
      return [
        {
          DeviceID: "CPU0",
          Name: h.processorName ?? "",
          MaxClockSpeed: h.maxClockSpeedMHz,
          AddressWidth: os.architecture === "64" ? 64 : 32,
          Architecture: 9,
          NumberOfLogicalProcessors: h.logicalProcessors ?? 1,
        },
      ];
    },
  },
  {
    namespace: cimv2,
    name: "Win32_PhysicalMemory",
    stateBound: false,
    derive: (s) => [{ Tag: "Physical Memory 0", Capacity: s.profile.hardware.memoryMB * 1_048_576 }],
  },
  {
    namespace: cimv2,
    name: "Win32_DiskDrive",
    key: "Index",
    stateBound: true,
    derive: (s) =>
      s.profile.disks.map((d) => ({
        Index: d.index,
        DeviceID: `\\\\.\\PHYSICALDRIVE${d.index}`,
        Model: d.model ?? "",
        Size: d.sizeBytes,
        InterfaceType: d.busType.toUpperCase() === "USB" ? "USB" : d.busType.toUpperCase() === "NVME" || d.busType.toUpperCase() === "SATA" ? "SCSI" : d.busType,
        MediaType: d.busType.toUpperCase() === "USB" ? "Removable Media" : "Fixed hard disk media",
        Partitions: (d.partitions ?? []).length,
      })),
  },
  {
    namespace: cimv2,
    name: "Win32_LogicalDisk",
    key: "DeviceID",
    stateBound: true,
    derive: (s) => {
      const rows: WmiRow[] = allPartitions(s)
        .filter((r) => r.partition.driveLetter !== undefined && r.partition.fileSystem !== undefined)
        .map((r) => {
          const letter = (r.partition.driveLetter as string).toUpperCase();
          return {
            DeviceID: letter,
            DriveType: r.disk.busType.toUpperCase() === "USB" ? 2 : 3,
            FileSystem: r.partition.fileSystem ?? null,
            Size: r.partition.sizeBytes,
            FreeSpace: freeBytes(s, letter),
            VolumeName: r.partition.label ?? "",
          };
        });
      if (s.profile.os.running === "WinPE") rows.push({ DeviceID: "X:", DriveType: 3, FileSystem: "NTFS", Size: winPeVolumeBytes, FreeSpace: freeBytes(s, "X:"), VolumeName: "Boot" });
      return rows.sort((a, b) => String(a.DeviceID).localeCompare(String(b.DeviceID)));
    },
  },
  {
    namespace: cimv2,
    name: "Win32_NetworkAdapterConfiguration",
    key: "Index",
    stateBound: false,
    derive: (s) =>
      networkAdapters(s).map((a) => ({
        Index: a.index,
        Description: a.description,
        MACAddress: a.macAddress,
        IPEnabled: a.connected && a.ipAddresses.length > 0,
        IPAddress: a.connected && a.ipAddresses.length > 0 ? [...a.ipAddresses] : null,
        DefaultIPGateway: a.connected && a.defaultGateways.length > 0 ? [...a.defaultGateways] : null,
        DHCPEnabled: a.dhcpEnabled,
      })),
  },
  {
    namespace: cimv2,
    name: "Win32_NetworkAdapter",
    key: "Index",
    stateBound: false,
    derive: (s) =>
      networkAdapters(s).map((a) => ({
        Index: a.index,
        Name: a.description,
        MACAddress: a.macAddress,
        NetConnectionStatus: a.connected ? 2 : 7,
        PhysicalAdapter: true,
        AdapterType: "Ethernet 802.3",
      })),
  },
  {
    namespace: cimv2,
    name: "Win32_Battery",
    stateBound: true,
    derive: (s) => {
      const p = s.profile.power;
      if (p?.battery !== true) return [];
      return [{ DeviceID: "1", BatteryStatus: p.source === "AC" ? 2 : 1, EstimatedChargeRemaining: p.batteryPercent ?? 100, Availability: 2 }];
    },
  },
  {
    namespace: cimv2,
    name: "Win32_Product",
    key: "IdentifyingNumber",
    stateBound: true,
    derive: (s) =>
      installedOs(s) === undefined || s.profile.os.running === "WinPE"
        ? []
        : (s.profile.software ?? []).map((p) => ({ IdentifyingNumber: p.productCode, Name: p.name, Version: p.version })),
  },
  {
    namespace: cimv2,
    name: "Win32_QuickFixEngineering",
    key: "HotFixID",
    stateBound: true,
    derive: (s) =>
      installedOs(s) === undefined || s.profile.os.running === "WinPE"
        ? []
        : (s.profile.updates ?? []).filter((u) => u.installed === true).map((u) => ({ HotFixID: u.id, Description: u.title, CSName: osFacts(s).computerName })),
  },
  {
    namespace: "ROOT\\CIMV2\\SECURITY\\MICROSOFTTPM",
    name: "Win32_Tpm",
    stateBound: false,
    derive: (s) => {
      const t = hardwareFacts(s).tpm;
      if (!t.present) return [];
      return [
        {
          IsActivated_InitialValue: t.activated,
          IsEnabled_InitialValue: t.enabled,
          IsOwned_InitialValue: t.activated,
          SpecVersion: t.version === "2.0" ? "2.0, 0, 1.38" : "1.2, 2, 3",
          ManufacturerVersion: s.profile.firmware.tpm?.manufacturerVersion ?? "",
        },
      ];
    },
  },
  {
    namespace: "ROOT\\WMI",
    name: "MS_SystemInformation",
    stateBound: false,
    derive: (s) => {
      const h = s.profile.hardware;
      return [
        {
          SystemManufacturer: h.manufacturer,
          SystemProductName: h.model,
          SystemFamily: h.family ?? "",
          SystemSKU: h.product ?? "",
          SystemVersion: h.version ?? "",
          BaseBoardProduct: h.product ?? "",
          BaseBoardManufacturer: h.manufacturer,
          BIOSVersion: s.profile.firmware.biosVersion ?? "",
          BIOSVendor: s.profile.firmware.biosManufacturer ?? h.manufacturer,
        },
      ];
    },
  },
  {
    namespace: "ROOT\\MICROSOFT\\WINDOWS\\STORAGE",
    name: "MSFT_Disk",
    key: "Number",
    stateBound: true,
    derive: (s) => {
      const os = installedOs(s);
      return s.profile.disks.map((d) => ({
        Number: d.index,
        FriendlyName: d.model ?? "",
        Size: d.sizeBytes,
        AllocatedSize: (d.partitions ?? []).reduce((sum, p) => sum + p.sizeBytes, 0),
        BusType: busTypes[d.busType.toUpperCase()] ?? 0,
        PartitionStyle: d.partitionStyle === "MBR" ? 1 : d.partitionStyle === "GPT" ? 2 : 0,
        NumberOfPartitions: (d.partitions ?? []).length,
        IsBoot: os !== undefined && (d.partitions ?? []).some((p) => p.driveLetter?.toUpperCase() === os.drive.toUpperCase()),
        IsSystem: (d.partitions ?? []).some((p) => p.type === "EFI" || p.active === true),
      }));
    },
  },
  {
    namespace: "ROOT\\CIMV2\\SECURITY\\MICROSOFTVOLUMEENCRYPTION",
    name: "Win32_EncryptableVolume",
    key: "DriveLetter",
    stateBound: true,
    derive: (s) =>
      allPartitions(s)
        .filter((r) => r.partition.driveLetter !== undefined && r.partition.fileSystem !== undefined)
        .map((r) => {
          const status = r.partition.bitLocker ?? "FullyDecrypted";
          return {
            DriveLetter: (r.partition.driveLetter as string).toUpperCase(),
            ProtectionStatus: status === "FullyEncrypted" || status === "EncryptionInProgress" ? 1 : 0,
            ConversionStatus: conversion[status] ?? 0,
            EncryptionMethod: status === "FullyDecrypted" ? 0 : 7,
            VolumeType: installedOs(s)?.drive.toUpperCase() === (r.partition.driveLetter as string).toUpperCase() ? 0 : 1,
          };
        }),
  },
];

/** Split a profile `wmi` key into namespace (upper case) and class. */
function splitKey(key: string): [string, string] {
  const i = key.lastIndexOf(":");
  return i < 0 ? [cimv2, key] : [key.slice(0, i).toUpperCase(), key.slice(i + 1)];
}

function sameKey(a: WmiValue | undefined, b: WmiValue | undefined): boolean {
  return a !== undefined && b !== undefined && String(a).toUpperCase() === String(b).toUpperCase();
}

function merge(def: DerivedClass, derived: WmiRow[], given: readonly WmiRow[]): WmiRow[] {
  if (def.stateBound) {
    return derived.map((row, i) => {
      const match = def.key === undefined ? (i === 0 ? given[0] : undefined) : given.find((g) => sameKey(g[def.key as string], row[def.key as string]));
      return match === undefined ? row : { ...match, ...row };
    });
  }
  if (given.length === 0) return derived;
  return given.map((row, i) => ({ ...(derived[i] ?? {}), ...row }));
}

/** Normalise a namespace: backslashes, no leading `\\.\` or `\\`, upper case. */
function normNamespace(ns: string): string {
  return ns.replace(/\//g, "\\").replace(/^\\\\[^\\]*\\/, "").replace(/^\\+/, "").toUpperCase();
}

/** All instances of a class: derived classes merged with profile rows, else profile rows as given. */
export function classInstances(state: SimState, namespace: string, className: string): readonly WmiRow[] {
  const ns = normNamespace(namespace);
  const cls = className.toUpperCase();
  const given: WmiRow[] = [];
  for (const [key, rows] of Object.entries(state.profile.wmi ?? {})) {
    const [kns, kcls] = splitKey(key);
    if (kns === ns && kcls.toUpperCase() === cls) given.push(...rows);
  }
  const def = derivedClasses.find((d) => d.namespace === ns && d.name.toUpperCase() === cls);
  return def === undefined ? given : merge(def, def.derive(state), given);
}

/** The `wmi` capability: WQL over derived and profile classes (unknown classes have no instances). */
export function createSimWmi(state: SimState): WmiCapability {
  return {
    query: async (namespace, wql) => {
      if (typeof namespace !== "string") throw new TaskSeqError("InvalidArgument", "A WMI namespace must be a string.");
      const compiled = compileWql(wql);
      return compiled.run(classInstances(state, namespace, compiled.query.className));
    },
  };
}
