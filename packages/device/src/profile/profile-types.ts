import type { ExecutionPolicy, FileSystem, FirmwareType, MessageBoxResult, PartitionStyle, PartitionType, RegistryValueType, RunningEnvironment, ServerLicensing, WindowsLocales, WmiRow } from "../types.js";

/** Hardware section of a device profile. */
export interface ProfileHardware {
  /** Make, e.g. `"Dell Inc."`. */
  readonly manufacturer: string;
  /** Model, e.g. `"Latitude 5440"`. */
  readonly model: string;
  /** Baseboard product / system SKU, e.g. `"0C1D6T"`. */
  readonly product?: string;
  /** Product version (Lenovo friendly name lives here), e.g. `"ThinkPad T14 Gen 4"`. */
  readonly version?: string;
  /** System family, e.g. `"Latitude"`. */
  readonly family?: string;
  /** BIOS serial number. */
  readonly serialNumber: string;
  /** SMBIOS asset tag. */
  readonly assetTag?: string;
  /** SMBIOS UUID. */
  readonly uuid: string;
  /** Physical memory in MB. */
  readonly memoryMB: number;
  /** Processor name. */
  readonly processorName?: string;
  /** Maximum clock in MHz. */
  readonly maxClockSpeedMHz: number;
  /** Logical processors. */
  readonly logicalProcessors?: number;
  /** Chassis types, e.g. `[10]`. */
  readonly chassisTypes: readonly number[];
  /** A virtual machine. */
  readonly isVirtualMachine?: boolean;
  /** PnP device IDs. */
  readonly pnpDeviceIds?: readonly string[];
}

/** TPM section. */
export interface ProfileTpm {
  /** Present. */
  readonly present: boolean;
  /** Spec version, e.g. `"2.0"`. */
  readonly version?: string;
  /** Enabled. */
  readonly enabled?: boolean;
  /** Activated. */
  readonly activated?: boolean;
  /** Ownership allowed. */
  readonly ownershipAllowed?: boolean;
  /** Manufacturer version string. */
  readonly manufacturerVersion?: string;
}

/** Firmware section. */
export interface ProfileFirmware {
  /** UEFI or BIOS. */
  readonly type: FirmwareType;
  /** Secure Boot on. */
  readonly secureBoot?: boolean;
  /** BIOS version (`SMBIOSBIOSVersion`). */
  readonly biosVersion?: string;
  /** BIOS vendor. */
  readonly biosManufacturer?: string;
  /** BIOS release date, DMTF (`20240115000000.000000+000`). */
  readonly biosReleaseDate?: string;
  /** TPM. */
  readonly tpm?: ProfileTpm;
}

/** Power section. */
export interface ProfilePower {
  /** Power source. */
  readonly source: "AC" | "Battery";
  /** A battery is present (laptops, tablets). */
  readonly battery?: boolean;
  /** Charge in percent. */
  readonly batteryPercent?: number;
}

/** Facts of an installed (or installable) Windows. */
export interface ProfileWindows {
  /** Caption. */
  readonly caption: string;
  /** Dotted version `major.minor.build[.revision]`, e.g. `"10.0.22631.3447"`. */
  readonly version: string;
  /** Edition ID. */
  readonly edition?: string;
  /** Product type. */
  readonly productType?: "CLIENT" | "SERVER";
  /** Architecture. */
  readonly architecture?: "32" | "64";
  /** LCID. */
  readonly language?: number;
  /** Service pack major version. */
  readonly servicePack?: number;
}

/** The installed OS (state of the hard disk). */
export interface ProfileInstalledOs extends ProfileWindows, WindowsLocales, ServerLicensing {
  /** Drive letter of the OS volume, e.g. `"C:"`. */
  readonly drive: string;
  /** Computer name. */
  readonly computerName?: string;
  /** Time zone. */
  readonly timeZone?: string;
  /** Domain, when joined. */
  readonly domain?: string;
  /** Workgroup, when not joined. */
  readonly workgroup?: string;
  /** ConfigMgr client version. */
  readonly clientVersion?: string;
  /** PowerShell execution policy. */
  readonly executionPolicy?: ExecutionPolicy;
  /** Active power plan GUID. */
  readonly powerPlan?: string;
  /** The built-in local Administrator is enabled (`Win32_UserAccount`; default `false`). */
  readonly administratorEnabled?: boolean;
}

/** The Windows PE boot image facts. */
export interface ProfileWinPe {
  /** Version, e.g. `"10.0.22621.1"`. */
  readonly version: string;
  /** Architecture. */
  readonly architecture?: "32" | "64";
  /** LCID. */
  readonly language?: number;
  /** WinPE-PowerShell component present. */
  readonly powerShell?: boolean;
  /** Computer name in Windows PE. */
  readonly computerName?: string;
  /** A boot image is available to restart into (default `true`). */
  readonly bootable?: boolean;
}

/** OS section. */
export interface ProfileOs {
  /** Where the machine runs now. */
  readonly running: RunningEnvironment;
  /** Windows PE facts. */
  readonly winpe?: ProfileWinPe;
  /** The installed OS, if any. */
  readonly installed?: ProfileInstalledOs;
  /** Extra process environment variables. */
  readonly environment?: Readonly<Record<string, string>>;
}

/** A partition in a profile. */
export interface ProfilePartition {
  /** Kind. */
  readonly type: PartitionType;
  /** Size in bytes. */
  readonly sizeBytes: number;
  /** Active (MBR). */
  readonly active?: boolean;
  /** File system. */
  readonly fileSystem?: FileSystem;
  /** Label. */
  readonly label?: string;
  /** Drive letter with colon. */
  readonly driveLetter?: string;
  /** Bytes used by content not listed under `files`. */
  readonly usedBytes?: number;
  /** BitLocker status. */
  readonly bitLocker?: "FullyDecrypted" | "EncryptionInProgress" | "FullyEncrypted" | "Suspended";
  /** Restarts left while suspended (0 = until resumed). */
  readonly bitLockerSuspendCount?: number;
}

/** A disk in a profile. */
export interface ProfileDisk {
  /** Disk number. */
  readonly index: number;
  /** Model. */
  readonly model?: string;
  /** Size in bytes. */
  readonly sizeBytes: number;
  /** Bus type. */
  readonly busType: string;
  /** Partition style. */
  readonly partitionStyle: PartitionStyle;
  /** Dynamic disk. */
  readonly dynamic?: boolean;
  /** Partitions in order. */
  readonly partitions?: readonly ProfilePartition[];
}

/** A file or folder in a profile (key: full Windows path). */
export interface ProfileFile {
  /** `true` for a folder. */
  readonly folder?: boolean;
  /** Size in bytes (default: content length). */
  readonly sizeBytes?: number;
  /** File version. */
  readonly version?: string;
  /** Modified time, ISO 8601 UTC. */
  readonly modified?: string;
  /** Created time, ISO 8601 UTC. */
  readonly created?: string;
  /** Text content. */
  readonly content?: string;
  /** Binary content, base64. */
  readonly base64?: string;
}

/** A registry value in a profile (`REG_QWORD` data as a decimal string, `REG_BINARY` as hex). */
export interface ProfileRegistryValue {
  /** Type. */
  readonly type: RegistryValueType;
  /** Data. */
  readonly data: string | number | readonly string[];
}

/** An installed MSI product. */
export interface ProfileSoftware {
  /** Product code. */
  readonly productCode: string;
  /** Upgrade code. */
  readonly upgradeCode?: string;
  /** Name. */
  readonly name: string;
  /** Version. */
  readonly version: string;
}

/** A network adapter. */
export interface ProfileNetworkAdapter {
  /** Description. */
  readonly description: string;
  /** MAC address. */
  readonly macAddress: string;
  /** Link up. */
  readonly connected?: boolean;
  /** Wireless. */
  readonly wireless?: boolean;
  /** IP addresses. */
  readonly ipAddresses?: readonly string[];
  /** Default gateways. */
  readonly defaultGateways?: readonly string[];
  /** DHCP. */
  readonly dhcpEnabled?: boolean;
}

/** A command rule: the first rule whose regex matches the expanded command line decides. */
export interface ProfileCommandRule {
  /** Regular expression (case-insensitive) over the command line. */
  readonly match: string;
  /** Exit code (default 0). */
  readonly exitCode?: number;
  /** Standard output. */
  readonly stdout?: string;
  /** Standard error. */
  readonly stderr?: string;
  /** The program restarts the machine by itself: `run` rejects with `UnexpectedRestart`. */
  readonly reboot?: boolean;
  /** Simulated run time in seconds (checked against the timeout). */
  readonly durationSeconds?: number;
  /** Apply to the first N matches only. */
  readonly times?: number;
  /** Files the command creates. */
  readonly createsFiles?: readonly string[];
}

/** A program of a package. */
export interface ProfileProgram {
  /** Program name. */
  readonly name: string;
  /** Command line, run through the command rules. */
  readonly commandLine?: string;
  /** Fixed exit code (instead of running the command line). */
  readonly exitCode?: number;
}

/** A package. */
export interface ProfilePackage {
  /** Package ID. */
  readonly id: string;
  /** Name. */
  readonly name: string;
  /** Version. */
  readonly version?: string;
  /** Size. */
  readonly sizeBytes: number;
  /** Hash. */
  readonly hash?: string;
  /** Programs. */
  readonly programs?: readonly ProfileProgram[];
}

/** An application requirement: a WQL query that must return rows. */
export interface ProfileRequirement {
  /** Namespace (default `root\cimv2`). */
  readonly namespace?: string;
  /** Query. */
  readonly query: string;
  /** Text for the skip reason. */
  readonly description?: string;
}

/** An application. */
export interface ProfileApplication {
  /** Application name (case-sensitive). */
  readonly name: string;
  /** Content ID. */
  readonly id?: string;
  /** Version. */
  readonly version?: string;
  /** Content size. */
  readonly sizeBytes?: number;
  /** Requirements. */
  readonly requirements?: readonly ProfileRequirement[];
  /** Detection: an MSI product code and/or a file. */
  readonly detection?: { readonly productCode?: string; readonly file?: string };
  /** Dependencies by name. */
  readonly dependencies?: readonly string[];
  /** Installer exit code (default 0; 3010 = restart required). */
  readonly exitCode?: number;
  /** Upgrade code recorded for the installed product. */
  readonly upgradeCode?: string;
}

/** An image index. */
export interface ProfileImageIndex extends ProfileWindows {
  /** 1-based index. */
  readonly index: number;
  /** Bytes the applied image takes. */
  readonly sizeBytes?: number;
}

/** An OS image. */
export interface ProfileImage {
  /** Package ID. */
  readonly id: string;
  /** Name. */
  readonly name: string;
  /** WIM size. */
  readonly sizeBytes: number;
  /** Hash. */
  readonly hash?: string;
  /** Indexes. */
  readonly indexes: readonly ProfileImageIndex[];
}

/** A driver. */
export interface ProfileDriver {
  /** ID. */
  readonly id: string;
  /** Name. */
  readonly name: string;
  /** Hardware IDs. */
  readonly hardwareIds: readonly string[];
  /** Categories. */
  readonly categories?: readonly string[];
  /** Signed (default true). */
  readonly signed?: boolean;
}

/** A driver package. */
export interface ProfileDriverPackage {
  /** Package ID. */
  readonly id: string;
  /** Name. */
  readonly name: string;
  /** Size. */
  readonly sizeBytes: number;
  /** Hash. */
  readonly hash?: string;
  /** Drivers. */
  readonly drivers: readonly ProfileDriver[];
}

/** An OS upgrade package and the Setup outcome it simulates. */
export interface ProfileUpgradePackage {
  /** Package ID. */
  readonly id: string;
  /** Name. */
  readonly name: string;
  /** Size. */
  readonly sizeBytes: number;
  /** Hash. */
  readonly hash?: string;
  /** The OS after a successful upgrade. */
  readonly os: ProfileWindows;
  /** Exit code of a compatibility scan (default `3247440400` = 0xC1900210, no issues). */
  readonly scanExitCode?: number;
  /** Exit code of the full upgrade (default 0). */
  readonly upgradeExitCode?: number;
  /** Setup rolls back. */
  readonly rollback?: boolean;
}

/** Content available to the device. */
export interface ProfileContent {
  /** Packages. */
  readonly packages?: readonly ProfilePackage[];
  /** Applications. */
  readonly applications?: readonly ProfileApplication[];
  /** OS images. */
  readonly images?: readonly ProfileImage[];
  /** Driver packages. */
  readonly driverPackages?: readonly ProfileDriverPackage[];
  /** OS upgrade packages. */
  readonly upgradePackages?: readonly ProfileUpgradePackage[];
}

/** A software update. */
export interface ProfileUpdate {
  /** ID. */
  readonly id: string;
  /** Title. */
  readonly title: string;
  /** Mandatory. */
  readonly mandatory?: boolean;
  /** Already installed. */
  readonly installed?: boolean;
  /** Needs a restart. */
  readonly restartRequired?: boolean;
}

/** Faults to inject. */
export interface ProfileFaults {
  /** Cut power before (or during) the step at this index path. */
  readonly powerLoss?: readonly { readonly path: string; readonly duringStep?: boolean }[];
  /** Content IDs whose downloads fail this many times before succeeding. */
  readonly downloadFailures?: Readonly<Record<string, number>>;
  /** Content IDs the site does not have, although listed. */
  readonly missingContent?: readonly string[];
  /** State store requests that fail before one succeeds. */
  readonly stateStoreFailures?: number;
}

/**
 * Scripted answers to a script's `ShowMessageEx` questions: each question whose text the regex
 * finds takes the next answer of the first such rule that has one left.
 */
export interface ProfileMessageAnswers {
  /** Regular expression (case-insensitive) over the question's text. */
  readonly match: string;
  /** The answers, in order (Win32 `MessageBox` results: 1 OK, 2 Cancel, 6 Yes, 7 No, ...). */
  readonly answers: readonly MessageBoxResult[];
}

/** The user at the device (the `ui` capability). */
export interface ProfileUi {
  /** Answers to `ShowMessageEx` questions; a question no rule answers gets the first button of its type. */
  readonly messageAnswers?: readonly ProfileMessageAnswers[];
}

/**
 * A state migration point store the device has requested (Request State Store), or a local folder
 * USMT captured into, as the simulated device keeps it between steps and across a snapshot.
 */
export interface ProfileStateStore {
  /** What the store was last requested for. */
  readonly type: "capture" | "restore";
  /** USMT captured user state into it (a `restore` store always holds captured state). */
  readonly captured?: boolean;
  /** Release State Store released it; it is requested again before another release. */
  readonly released?: boolean;
}

/**
 * A device profile: the JSON document describing a simulated device (docs/device-profile.md).
 * Only `hardware`, `firmware`, `os` and `disks` are required.
 */
export interface DeviceProfile {
  /** JSON Schema reference (ignored). */
  readonly $schema?: string;
  /** Display name. */
  readonly name?: string;
  /** Hardware. */
  readonly hardware: ProfileHardware;
  /** Firmware. */
  readonly firmware: ProfileFirmware;
  /** Power. */
  readonly power?: ProfilePower;
  /** OS. */
  readonly os: ProfileOs;
  /** Disks. */
  readonly disks: readonly ProfileDisk[];
  /** Files and folders by full path. */
  readonly files?: Readonly<Record<string, ProfileFile>>;
  /** Registry: key path → value name (`""` = default) → value. */
  readonly registry?: Readonly<Record<string, Readonly<Record<string, ProfileRegistryValue>>>>;
  /** Installed MSI products. */
  readonly software?: readonly ProfileSoftware[];
  /** Network adapters in enumeration order. */
  readonly networkAdapters?: readonly ProfileNetworkAdapter[];
  /** WMI instances: `"Class"` (root\cimv2) or `"namespace:Class"`. */
  readonly wmi?: Readonly<Record<string, readonly WmiRow[]>>;
  /** Content. */
  readonly content?: ProfileContent;
  /** Command rules. */
  readonly commands?: readonly ProfileCommandRule[];
  /** Exit code of commands no rule matches (default 0). */
  readonly unmatchedCommandExitCode?: number;
  /** Software updates. */
  readonly updates?: readonly ProfileUpdate[];
  /** State stores by full path (a state migration point share or a local folder), in request order. */
  readonly stateStores?: Readonly<Record<string, ProfileStateStore>>;
  /** Faults. */
  readonly faults?: ProfileFaults;
  /** The user's answers to script questions. */
  readonly ui?: ProfileUi;
  /** Clock start, ISO 8601 UTC (default `2026-01-01T08:00:00Z`). */
  readonly clock?: { readonly start: string };
}
