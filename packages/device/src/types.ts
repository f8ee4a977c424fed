/**
 * Device adapter interfaces: the contract between steps and the machine they act on
 * (steps.md §2). Every capability is optional on a {@link Device}: an integrator implements any
 * subset, and a step whose capability is missing fails with `AdapterMissing`.
 *
 * Methods that would touch real hardware are async. Failures are `TaskSeqError`s
 * (`DeviceOperationFailed`, `ContentNotFound`, `InvalidSetting`, ...).
 */

// ---------------------------------------------------------------------------------------------
// Shared facts
// ---------------------------------------------------------------------------------------------

/** Firmware interface of the machine. */
export type FirmwareType = "UEFI" | "BIOS";

/** Where the machine is running: the Windows PE boot image or the installed full OS. */
export type RunningEnvironment = "WinPE" | "FullOS";

/** A restart target: `HD` is the installed operating system, `WinPE` the boot image. */
export type RestartTarget = "HD" | "WinPE";

/** A value in a WMI row: scalars, arrays (e.g. `ChassisTypes`, `IPAddress`) or `null`. */
export type WmiValue = string | number | boolean | null | readonly (string | number | boolean)[];

/** One WMI instance: property name to value (property names keep their WMI spelling). */
export type WmiRow = Readonly<Record<string, WmiValue>>;

// ---------------------------------------------------------------------------------------------
// hardware
// ---------------------------------------------------------------------------------------------

/** Trusted Platform Module state. */
export interface TpmInfo {
  /** A TPM is present. */
  readonly present: boolean;
  /** Specification version, e.g. `"2.0"`; empty when absent. */
  readonly version: string;
  /** Enabled in firmware. */
  readonly enabled: boolean;
  /** Activated. */
  readonly activated: boolean;
  /** Taking ownership is allowed. */
  readonly ownershipAllowed: boolean;
}

/** A network adapter, in Windows enumeration order. */
export interface NetworkAdapterInfo {
  /** Windows adapter index. */
  readonly index: number;
  /** Adapter description, e.g. `"Intel(R) Ethernet Connection I219-LM"`. */
  readonly description: string;
  /** MAC address as `AA:BB:CC:DD:EE:FF`. */
  readonly macAddress: string;
  /** The adapter has a link. */
  readonly connected: boolean;
  /** Wi-Fi rather than wired. */
  readonly wireless: boolean;
  /** IPv4 and IPv6 addresses. */
  readonly ipAddresses: readonly string[];
  /** Default gateways. */
  readonly defaultGateways: readonly string[];
  /** Addresses come from DHCP. */
  readonly dhcpEnabled: boolean;
}

/** Static hardware facts (steps.md §2, `hardware`). */
export interface HardwareFacts {
  /** Make (`Win32_ComputerSystem.Manufacturer`). */
  readonly manufacturer: string;
  /** Model (`Win32_ComputerSystem.Model`). */
  readonly model: string;
  /** Product (`Win32_BaseBoard.Product`). */
  readonly product: string;
  /** Serial number (`Win32_BIOS.SerialNumber`). */
  readonly serialNumber: string;
  /** Asset tag (`Win32_SystemEnclosure.SMBIOSAssetTag`). */
  readonly assetTag: string;
  /** SMBIOS UUID (`Win32_ComputerSystemProduct.UUID`). */
  readonly uuid: string;
  /** Total physical memory in MB. */
  readonly memoryMB: number;
  /** Maximum CPU clock in MHz. */
  readonly maxClockSpeedMHz: number;
  /** Number of logical processors. */
  readonly logicalProcessors: number;
  /** Firmware type. */
  readonly firmware: FirmwareType;
  /** Secure Boot is on. */
  readonly secureBoot: boolean;
  /** TPM state. */
  readonly tpm: TpmInfo;
  /** Chassis types (`Win32_SystemEnclosure.ChassisTypes`, e.g. `[10]` for a notebook). */
  readonly chassisTypes: readonly number[];
  /** A virtual machine. */
  readonly isVirtualMachine: boolean;
  /** Plug-and-play device IDs (for driver matching). */
  readonly pnpDeviceIds: readonly string[];
}

/** Power state of the machine. */
export interface PowerState {
  /** On mains power (`AC`) or battery. */
  readonly source: "AC" | "Battery";
  /** Battery charge in percent, when a battery is present. */
  readonly batteryPercent?: number;
}

/** The `hardware` capability. */
export interface HardwareCapability {
  /** Static facts about the machine. */
  facts(): Promise<HardwareFacts>;
  /** Current power source. */
  power(): Promise<PowerState>;
  /** Network adapters in Windows enumeration order. */
  networkAdapters(): Promise<readonly NetworkAdapterInfo[]>;
}

// ---------------------------------------------------------------------------------------------
// os
// ---------------------------------------------------------------------------------------------

/** A Windows version. */
export interface OsVersion {
  /** Major, e.g. `10`. */
  readonly major: number;
  /** Minor, e.g. `0`. */
  readonly minor: number;
  /** Build, e.g. `19045`. */
  readonly build: number;
  /** Service pack major version. */
  readonly servicePack: number;
  /** Update build revision. */
  readonly revision: number;
}

/** PowerShell execution policy values. */
export type ExecutionPolicy = "Restricted" | "AllSigned" | "RemoteSigned" | "Unrestricted" | "Bypass" | "Undefined";

/** Facts about the running operating system (in Windows PE: the Windows PE facts). */
export interface OsFacts {
  /** Windows PE or the full OS. */
  readonly environment: RunningEnvironment;
  /** Product type. */
  readonly productType: "CLIENT" | "SERVER";
  /** Architecture in bits. */
  readonly architecture: "32" | "64";
  /** Version. */
  readonly version: OsVersion;
  /** Caption, e.g. `"Microsoft Windows 11 Enterprise"`. */
  readonly caption: string;
  /** Edition ID, e.g. `"Enterprise"`. */
  readonly edition: string;
  /** Language LCID, e.g. `1033`. */
  readonly language: number;
  /** ConfigMgr client version, e.g. `"5.00.9122.1000"`; absent when no client. */
  readonly clientVersion?: string;
  /** Computer name. */
  readonly computerName: string;
  /** Windows time zone name, e.g. `"Pacific Standard Time"`. */
  readonly timeZone: string;
  /** Joined domain, when domain-joined. */
  readonly domain?: string;
  /** Workgroup, when not domain-joined. */
  readonly workgroup?: string;
  /** System drive, e.g. `"C:"` (`"X:"` in Windows PE). */
  readonly systemDrive: string;
  /** PowerShell is available (always in the full OS; WinPE-PowerShell in Windows PE). */
  readonly powerShellAvailable: boolean;
  /** Effective PowerShell execution policy. */
  readonly executionPolicy: ExecutionPolicy;
}

/** An installed Windows Installer product. */
export interface InstalledProduct {
  /** Product code GUID in braces, e.g. `"{23170F69-40C1-2702-1900-000001000000}"`. */
  readonly productCode: string;
  /** Upgrade code GUID in braces, when known. */
  readonly upgradeCode?: string;
  /** Display name. */
  readonly name: string;
  /** Version string. */
  readonly version: string;
}

/** The `os` capability. */
export interface OsCapability {
  /** Facts about the running OS. */
  facts(): Promise<OsFacts>;
  /** Process environment variables (`windir`, `SystemDrive`, ...). */
  environmentVariables(): Promise<Readonly<Record<string, string>>>;
  /** Installed Windows Installer products. */
  installedProducts(): Promise<readonly InstalledProduct[]>;
  /** The active power plan GUID. */
  getPowerPlan(): Promise<string>;
  /** Activate a power plan by GUID. */
  setPowerPlan(guid: string): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// wmi
// ---------------------------------------------------------------------------------------------

/** The `wmi` capability. */
export interface WmiCapability {
  /**
   * Run a WQL query in a namespace (matched case-insensitively). Rejects with `WqlSyntax` or
   * `WqlUnsupported` when the query is outside what the adapter evaluates.
   */
  query(namespace: string, wql: string): Promise<readonly WmiRow[]>;
}

// ---------------------------------------------------------------------------------------------
// disks
// ---------------------------------------------------------------------------------------------

/** Disk partition style; `RAW` means not initialised. */
export type PartitionStyle = "MBR" | "GPT" | "RAW";

/** Partition kinds Format and Partition Disk creates (steps.md §9). */
export type PartitionType = "Primary" | "Extended" | "Logical" | "Hidden" | "EFI" | "MSR" | "Recovery";

/** File systems a volume can be formatted with. */
export type FileSystem = "NTFS" | "FAT32" | "exFAT" | "ReFS";

/** BitLocker protection status of a volume. */
export type BitLockerStatus = "FullyDecrypted" | "EncryptionInProgress" | "FullyEncrypted" | "Suspended";

/** A partition on a disk. */
export interface PartitionInfo {
  /** Disk index. */
  readonly diskIndex: number;
  /** 1-based partition number. */
  readonly number: number;
  /** Kind. */
  readonly type: PartitionType;
  /** Size in bytes. */
  readonly sizeBytes: number;
  /** Marked active (MBR boot). */
  readonly active: boolean;
  /** File system, when formatted. */
  readonly fileSystem?: FileSystem;
  /** Volume label. */
  readonly label?: string;
  /** Drive letter with colon, e.g. `"C:"`, when assigned. */
  readonly driveLetter?: string;
}

/** A physical disk. */
export interface DiskInfo {
  /** Windows disk number. */
  readonly index: number;
  /** Model string. */
  readonly model: string;
  /** Size in bytes. */
  readonly sizeBytes: number;
  /** Bus type, e.g. `"NVMe"`, `"SATA"`, `"USB"`, `"SAN"`, `"Virtual"`. */
  readonly busType: string;
  /** Partition style. */
  readonly partitionStyle: PartitionStyle;
  /** Dynamic disk. */
  readonly dynamic: boolean;
  /** Bytes not covered by a partition. */
  readonly unallocatedBytes: number;
  /** Partitions in order. */
  readonly partitions: readonly PartitionInfo[];
}

/** A formatted volume. */
export interface VolumeInfo {
  /** Drive letter with colon, when assigned. */
  readonly driveLetter?: string;
  /** Disk index. */
  readonly diskIndex: number;
  /** 1-based partition number. */
  readonly partitionNumber: number;
  /** File system. */
  readonly fileSystem: FileSystem;
  /** Label. */
  readonly label: string;
  /** Size in bytes. */
  readonly sizeBytes: number;
  /** Free bytes. */
  readonly freeBytes: number;
  /** BitLocker status. */
  readonly bitLocker: BitLockerStatus;
  /** An operating system is installed on it (`Windows` folder with a system hive). */
  readonly osInstalled: boolean;
  /** The type of the partition holding it, when the adapter knows it (the engine keeps its data off EFI, MSR, hidden and recovery partitions). */
  readonly partitionType?: PartitionType;
}

/** A partition to create. */
export interface CreatePartitionRequest {
  /** Kind. */
  readonly type: PartitionType;
  /** Size in bytes; absent = all remaining space. */
  readonly sizeBytes?: number;
  /** Mark active (MBR). */
  readonly active?: boolean;
}

/** How to format a partition. */
export interface FormatRequest {
  /** File system. */
  readonly fileSystem: FileSystem;
  /** Label. */
  readonly label?: string;
  /** Quick format (default `true`). */
  readonly quick?: boolean;
}

/** The `disks` capability. */
export interface DisksCapability {
  /** Disks in index order. */
  listDisks(): Promise<readonly DiskInfo[]>;
  /** Remove every partition (diskpart `clean`). */
  clean(diskIndex: number): Promise<void>;
  /** Initialise the disk with a partition style (the disk must be clean). */
  setPartitionStyle(diskIndex: number, style: "MBR" | "GPT"): Promise<void>;
  /** Create a partition at the end of the used space. Fails with `InvalidSetting` if it does not fit. */
  createPartition(diskIndex: number, request: CreatePartitionRequest): Promise<PartitionInfo>;
  /** Format a partition. */
  format(diskIndex: number, partitionNumber: number, request: FormatRequest): Promise<VolumeInfo>;
  /** Assign the given letter, or the next free one; returns it with a colon (`"C:"`). */
  assignDriveLetter(diskIndex: number, partitionNumber: number, letter?: string): Promise<string>;
  /** Formatted volumes. */
  listVolumes(): Promise<readonly VolumeInfo[]>;
  /** Convert a basic disk to dynamic. */
  convertToDynamic(diskIndex: number): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// files
// ---------------------------------------------------------------------------------------------

/** Options shared by file operations. */
export interface FileAccessOptions {
  /** Use native 64-bit paths (no `System32` → `SysWOW64` redirection, which only a 64-bit full OS does). Default `false`. */
  readonly disableWow64Redirection?: boolean;
}

/** File or folder metadata. */
export interface FileStat {
  /** File or folder. */
  readonly kind: "file" | "folder";
  /** Size in bytes (0 for folders). */
  readonly sizeBytes: number;
  /** File version resource (`major.minor.build.revision`), when present. */
  readonly version?: string;
  /** Last modification time, UTC milliseconds since the epoch. */
  readonly modifiedUtc: number;
  /** Creation time, UTC milliseconds since the epoch. */
  readonly createdUtc: number;
}

/**
 * The read-only part of the `files` capability, answered at once: {@link FilesCapability.syncView}.
 * Same paths, options, results and errors as the asynchronous methods of the same names.
 */
export interface FilesSyncView {
  /** True if a file or folder exists. */
  exists(path: string, options?: FileAccessOptions): boolean;
  /** Metadata, or `undefined` when absent. */
  stat(path: string, options?: FileAccessOptions): FileStat | undefined;
  /** Names of the entries directly in a folder; `NotFound` when it is not a folder. */
  list(path: string, options?: FileAccessOptions): readonly string[];
  /**
   * A file's content as text, decoded as `decodeFileText` does (after a BOM in its encoding, else
   * UTF-8, or Windows-1252 when that is not valid UTF-8); `NotFound` when it is not a file.
   * Callers bound what they read by the size `stat` reports; an adapter reads at most the size the
   * file has when it opens it, and refuses what is not a regular file (a device, a pipe).
   */
  readText(path: string, options?: FileAccessOptions): string;
}

/** The `files` capability. Paths are Windows paths (`C:\Windows\notepad.exe`), case-insensitive. */
export interface FilesCapability {
  /** True if a file or folder exists. */
  exists(path: string, options?: FileAccessOptions): Promise<boolean>;
  /** Metadata, or `undefined` when absent. */
  stat(path: string, options?: FileAccessOptions): Promise<FileStat | undefined>;
  /** File content as bytes. */
  read(path: string, options?: FileAccessOptions): Promise<Uint8Array>;
  /** File content as text, decoded as `decodeFileText` does (a BOM's encoding, else UTF-8, or Windows-1252 when that is not valid UTF-8). */
  readText(path: string, options?: FileAccessOptions): Promise<string>;
  /** Create or replace a file (parent folders are created); a string is written as UTF-8 (encode other encodings with `encodeFileText`). */
  write(path: string, data: string | Uint8Array, options?: FileAccessOptions): Promise<void>;
  /** Copy a file or folder tree. */
  copy(from: string, to: string, options?: FileAccessOptions): Promise<void>;
  /** Move a file or folder tree. */
  move(from: string, to: string, options?: FileAccessOptions): Promise<void>;
  /** Delete a file, or a folder with everything under it. */
  delete(path: string, options?: FileAccessOptions): Promise<void>;
  /** Create a folder and its parents. */
  createFolder(path: string, options?: FileAccessOptions): Promise<void>;
  /** Names of the entries directly in a folder. */
  list(path: string, options?: FileAccessOptions): Promise<readonly string[]>;
  /** Free bytes on the volume holding `path`. */
  freeSpace(path: string): Promise<number>;
  /**
   * Optional: the same files, read synchronously, for adapters that can answer at once (an
   * in-memory device, the local file system). A script sandbox, which cannot wait for a promise,
   * reads the device through it while the script runs; each call sees the files as they are then.
   * Leave it out when reads need I/O that cannot be done synchronously (a remote agent).
   */
  syncView?(): FilesSyncView;
}

// ---------------------------------------------------------------------------------------------
// registry
// ---------------------------------------------------------------------------------------------

/** Registry value types. */
export type RegistryValueType = "REG_SZ" | "REG_EXPAND_SZ" | "REG_MULTI_SZ" | "REG_DWORD" | "REG_QWORD" | "REG_BINARY" | "REG_NONE";

/** A registry value: `REG_DWORD` data is a number, `REG_QWORD` a bigint, `REG_BINARY`/`REG_NONE` bytes. */
export type RegistryValue =
  | { readonly type: "REG_SZ" | "REG_EXPAND_SZ"; readonly data: string }
  | { readonly type: "REG_MULTI_SZ"; readonly data: readonly string[] }
  | { readonly type: "REG_DWORD"; readonly data: number }
  | { readonly type: "REG_QWORD"; readonly data: bigint }
  | { readonly type: "REG_BINARY" | "REG_NONE"; readonly data: Uint8Array };

/** Registry view: `"64"` native, `"32"` the `WOW6432Node` view on a 64-bit full OS (Windows PE and 32-bit OSes have one view). */
export type RegistryView = "32" | "64";

/** The names directly under a registry key: {@link RegistrySyncView.listKey}. */
export interface RegistryKeyListing {
  /** Names of the subkeys. */
  readonly subkeys: readonly string[];
  /** Names of the values (`""` is the default value). */
  readonly values: readonly string[];
}

/**
 * The `registry` capability read synchronously: {@link RegistryCapability.syncView}. Same key
 * paths, views and results as the asynchronous methods, plus listing.
 */
export interface RegistrySyncView {
  /** True if the key exists. */
  keyExists(keyPath: string, view?: RegistryView): boolean;
  /** A value (empty name = the default value), or `undefined`. */
  readValue(keyPath: string, name: string, view?: RegistryView): RegistryValue | undefined;
  /** The subkey and value names of a key, or `undefined` when the key does not exist. */
  listKey(keyPath: string, view?: RegistryView): RegistryKeyListing | undefined;
}

/** The `registry` capability. Key paths start with a hive (`HKEY_LOCAL_MACHINE` or `HKLM`, ...). */
export interface RegistryCapability {
  /** True if the key exists. */
  keyExists(keyPath: string, view?: RegistryView): Promise<boolean>;
  /** A value (empty name = the default value), or `undefined`. */
  readValue(keyPath: string, name: string, view?: RegistryView): Promise<RegistryValue | undefined>;
  /** Optional: write a value (creating the key). */
  writeValue?(keyPath: string, name: string, value: RegistryValue, view?: RegistryView): Promise<void>;
  /**
   * Optional: the same registry, read synchronously, for adapters that can answer at once (an
   * in-memory device). A script sandbox reads the registry through it while the script runs.
   */
  syncView?(): RegistrySyncView;
}

// ---------------------------------------------------------------------------------------------
// commands
// ---------------------------------------------------------------------------------------------

/** Credentials for "run as". The password is a secret and never logged. */
export interface RunAsAccount {
  /** `user` or `domain\user`. */
  readonly userName: string;
  /** Password (secret). */
  readonly password: string;
  /** Load the user profile. */
  readonly loadProfile?: boolean;
}

/** A command to run. */
export interface CommandRequest {
  /** The expanded command line, run without a shell. */
  readonly commandLine: string;
  /** Working directory. */
  readonly workingDirectory?: string;
  /** Run as another account instead of Local System. */
  readonly runAs?: RunAsAccount;
  /** Native 64-bit paths. */
  readonly disableWow64Redirection?: boolean;
  /** Kill the process after this many seconds. */
  readonly timeoutSeconds?: number;
  /** Extra process environment variables. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Abort: the process is killed. */
  readonly signal?: AbortSignal;
  /** Secret values in the command line: the adapter masks them (`********`) in anything it records. */
  readonly redact?: readonly string[];
  /**
   * Run it only if the device knows how (the command path of step types without a handler,
   * steps.md §22.3 rule 3): a simulated device without a rule for the command fails with
   * `UnsupportedStep` instead of answering with its unmatched exit code. A real device runs it.
   */
  readonly requireRule?: boolean;
}

/** The outcome of a command. */
export interface CommandResult {
  /** Exit code as a signed 32-bit integer. */
  readonly exitCode: number;
  /** Captured standard output. */
  readonly stdout: string;
  /** Captured standard error. */
  readonly stderr: string;
  /** Standard output and error in arrival order. */
  readonly output: string;
  /** The process was killed because the timeout expired. */
  readonly timedOut: boolean;
}

/** The `commands` capability. */
export interface CommandsCapability {
  /** Run a command line and wait for it. */
  run(request: CommandRequest): Promise<CommandResult>;
}

// ---------------------------------------------------------------------------------------------
// content
// ---------------------------------------------------------------------------------------------

/** Kinds of content a site distributes. */
export type ContentKind = "package" | "application" | "image" | "driverPackage" | "upgradePackage" | "bootImage";

/**
 * A location the site offers content from (the management point's content location reply). The
 * URL may hold an access token: never log it.
 */
export interface ContentLocation {
  /** URL or UNC path, e.g. `"http://dp01.contoso.com/SMS_DP_SMSPKG$/CM100020"`. */
  readonly url: string;
  /**
   * The location needs Configuration Manager token authentication (a content-enabled cloud
   * management gateway). The alternate content provider is offered it only with
   * `SMSTSAllowTokenAuthURLForACP=true` (builtin-variables.md §3).
   */
  readonly tokenAuthentication?: boolean;
}

/** Metadata of one content item. */
export interface ContentInfo {
  /** Package ID (e.g. `"CM100012"`) or application name. */
  readonly id: string;
  /** Kind. */
  readonly kind: ContentKind;
  /** Display name. */
  readonly name: string;
  /** Version, when known. */
  readonly version?: string;
  /** Size in bytes. */
  readonly sizeBytes: number;
  /** Content hash (hex), when known. */
  readonly hash?: string;
  /** The locations the site offers it from; absent when the adapter does not know them. */
  readonly locations?: readonly ContentLocation[];
}

/** Where downloaded content goes (Download Package Content). */
export type ContentDestination = "TSCache" | "CCMCache" | "Custom";

/** A download request. */
export interface DownloadRequest {
  /** Content ID. */
  readonly id: string;
  /** Destination kind (default `TSCache`). */
  readonly destination?: ContentDestination;
  /** Folder for `Custom`; content lands in `<customPath>\<id>`. */
  readonly customPath?: string;
}

/** A completed download. */
export interface DownloadResult {
  /** Content ID. */
  readonly id: string;
  /** Folder holding the content. */
  readonly path: string;
  /** Bytes downloaded. */
  readonly sizeBytes: number;
}

/** The `content` capability. One `download` call is one attempt: the caller honours retries. */
export interface ContentCapability {
  /** Metadata, or `undefined` when the site does not have it. */
  resolve(id: string): Promise<ContentInfo | undefined>;
  /**
   * Download (or locate) the content. Rejects with `ContentNotFound` when it does not exist, or
   * `DeviceOperationFailed` (details `{ retryable: true }`) for a transient failure.
   */
  download(request: DownloadRequest): Promise<DownloadResult>;
}

// ---------------------------------------------------------------------------------------------
// applications
// ---------------------------------------------------------------------------------------------

/** Outcome of installing one application. */
export interface ApplicationInstallResult {
  /** Application name. */
  readonly name: string;
  /** `installed`, `alreadyInstalled` (detected), `skipped` (requirement not met) or `failed`. */
  readonly outcome: "installed" | "alreadyInstalled" | "skipped" | "failed";
  /** Installer exit code (0 when not run). */
  readonly exitCode: number;
  /** The installer asked for a restart (3010). */
  readonly restartRequired: boolean;
  /** Why it was skipped or failed. */
  readonly reason?: string;
  /** Dependencies installed first, in order. */
  readonly dependencies: readonly ApplicationInstallResult[];
}

/** Requirement evaluation result. */
export interface RequirementResult {
  /** All requirements are met. */
  readonly met: boolean;
  /** The first unmet requirement, when not met. */
  readonly reason?: string;
}

/** The `applications` capability. Names are application model names (case-sensitive). */
export interface ApplicationsCapability {
  /** True if the application is known. */
  exists(name: string): Promise<boolean>;
  /** Evaluate the requirement rules. */
  evaluateRequirements(name: string): Promise<RequirementResult>;
  /** Run the detection method. */
  detect(name: string): Promise<boolean>;
  /** Names of the dependencies, in install order. */
  dependencies(name: string): Promise<readonly string[]>;
  /** Evaluate requirements, detect, install dependencies, then install. Unknown name: `ContentNotFound`. */
  install(name: string): Promise<ApplicationInstallResult>;
}

// ---------------------------------------------------------------------------------------------
// packages
// ---------------------------------------------------------------------------------------------

/** The outcome of a package program. */
export interface ProgramResult {
  /** Exit code. */
  readonly exitCode: number;
  /** Captured output. */
  readonly output: string;
}

/** The `packages` capability. */
export interface PackagesCapability {
  /** Run a program of a package. Unknown package or program: `ContentNotFound`. */
  runProgram(packageId: string, programName: string): Promise<ProgramResult>;
}

// ---------------------------------------------------------------------------------------------
// image
// ---------------------------------------------------------------------------------------------

/** Apply a WIM index to a volume. */
export interface ApplyImageRequest {
  /** Image (or OS upgrade) package ID. */
  readonly imageId: string;
  /** 1-based image index. */
  readonly index: number;
  /** Target volume letter, e.g. `"C:"`. */
  readonly targetVolume: string;
  /** Folder kept when the volume is wiped (e.g. offline user state). */
  readonly excludeFolder?: string;
  /** Wipe the volume first (default `true` for OS images). */
  readonly wipe?: boolean;
}

/** Capture volumes into a WIM. */
export interface CaptureImageRequest {
  /** Volume letters to capture. */
  readonly volumes: readonly string[];
  /** Destination `.wim` path. */
  readonly destination: string;
  /** Image description. */
  readonly description?: string;
}

/** The `image` capability. */
export interface ImageCapability {
  /** Apply an OS image index. */
  applyImage(request: ApplyImageRequest): Promise<void>;
  /** Apply a data image index. */
  applyDataImage(request: ApplyImageRequest): Promise<void>;
  /** Capture volumes to a WIM; returns the number of images written. */
  captureImage(request: CaptureImageRequest): Promise<number>;
  /** Write boot files and the BCD for the OS on `osVolume`. */
  writeBootFiles(osVolume: string): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// drivers
// ---------------------------------------------------------------------------------------------

/** A driver in the catalogue. */
export interface DriverInfo {
  /** Driver ID. */
  readonly id: string;
  /** Display name. */
  readonly name: string;
  /** Driver package holding it. */
  readonly packageId: string;
  /** Hardware IDs it supports (`PCI\VEN_8086&DEV_15BE`). */
  readonly hardwareIds: readonly string[];
  /** Categories. */
  readonly categories: readonly string[];
  /** Signed. */
  readonly signed: boolean;
}

/** Driver matching options (Auto Apply Drivers). */
export interface DriverMatchRequest {
  /** Device PnP IDs. */
  readonly pnpIds: readonly string[];
  /** Only these categories (OR); empty or absent = all. */
  readonly categories?: readonly string[];
  /** Best match per device only. */
  readonly bestMatch?: boolean;
  /** Include unsigned drivers. */
  readonly allowUnsigned?: boolean;
}

/** The `drivers` capability. */
export interface DriversCapability {
  /** Drivers matching the PnP IDs. */
  match(request: DriverMatchRequest): Promise<readonly DriverInfo[]>;
  /** Inject drivers into the applied OS on `targetVolume`; returns how many were added. */
  applyDrivers(driverIds: readonly string[], targetVolume: string): Promise<number>;
  /** Inject a whole driver package; returns how many drivers were added. */
  applyPackage(packageId: string, targetVolume: string, options?: { readonly recurse?: boolean; readonly allowUnsigned?: boolean }): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// setup
// ---------------------------------------------------------------------------------------------

/** Windows Setup for an upgrade or a compatibility scan. */
export interface UpgradeRequest {
  /** OS upgrade package ID or source folder. */
  readonly source: string;
  /** Edition index (default 1). */
  readonly editionIndex?: number;
  /** `/Compat ScanOnly`. */
  readonly scanOnly?: boolean;
  /** Ignore dismissible compatibility messages. */
  readonly ignoreMessages?: boolean;
  /** Extra Setup options (`OSDSetupAdditionalUpgradeOptions`). */
  readonly additionalOptions?: string;
  /** Product key (secret). */
  readonly productKey?: string;
}

/** The outcome of Windows Setup. */
export interface UpgradeResult {
  /** Setup exit code as an unsigned 32-bit integer (e.g. `3247440400` for `0xC1900210`). */
  readonly exitCode: number;
  /** Setup rolled back to the previous OS. */
  readonly rolledBack: boolean;
}

/** The locales and UI language of a Windows installation (Apply Windows Settings, steps.md §21.5). */
export interface WindowsLocales {
  /** Input locale (`OSDWindowsSettingsInputLocale`), e.g. `"0407:00000407"` or `"de-DE"`. */
  readonly inputLocale?: string;
  /** System locale (`OSDWindowsSettingsSystemLocale`), e.g. `"de-DE"`. */
  readonly systemLocale?: string;
  /** UI language (`OSDWindowsSettingsUILanguage`), e.g. `"de-DE"` (`Win32_OperatingSystem.MUILanguages`). */
  readonly uiLanguage?: string;
  /** UI language fallback (`OSDWindowsSettingsUILanguageFallback`). */
  readonly uiLanguageFallback?: string;
  /** User locale (`OSDWindowsSettingsUserLocale`). */
  readonly userLocale?: string;
}

/** A Windows Server licensing mode (`OSDServerLicenseMode`; Windows Setup's `[LicenseFilePrintData]` `AutoMode`). */
export type ServerLicenseMode = "PerSeat" | "PerServer";

/**
 * The server licensing of a Windows installation (Apply Windows Settings, steps.md §21.5). Windows
 * Setup's `[LicenseFilePrintData]` settings, which only legacy Windows Server versions apply.
 */
export interface ServerLicensing {
  /** Licensing mode (`OSDServerLicenseMode`; `AutoMode`). */
  readonly serverLicenseMode?: ServerLicenseMode;
  /** Concurrent connections licensed in `PerServer` mode, 5–9999 (`OSDServerLicenseConnectionLimit`; `AutoUsers`). */
  readonly serverLicenseConnectionLimit?: number;
}

/**
 * Options for Setup Windows and ConfigMgr: the client to install and the settings of the answer
 * file (Apply Windows Settings, steps.md §21.5, or the user's `Unattend.xml`), references already
 * substituted. An absent setting keeps what the applied image has.
 */
export interface SetupWindowsOptions extends WindowsLocales, ServerLicensing {
  /** ConfigMgr client package ID. */
  readonly clientPackageId?: string;
  /** Client installation properties. */
  readonly clientProperties?: string;
  /** Computer name (`OSDComputerName`). */
  readonly computerName?: string;
  /** Windows time zone name (`OSDTimeZone`, the zone's `Std` registry name), e.g. `"Pacific Standard Time"`. */
  readonly timeZone?: string;
  /** Registered owner (`OSDRegisteredUserName`). */
  readonly registeredOwner?: string;
  /** Registered organisation (`OSDRegisteredOrgName`). */
  readonly registeredOrganization?: string;
  /** Product key (`OSDProductKey`); a secret: never log or record it. */
  readonly productKey?: string;
  /**
   * The built-in local Administrator: `true` = enabled with `administratorPassword`
   * (`OSDRandomAdminPassword=false`), `false` = a random password and disabled.
   */
  readonly administratorEnabled?: boolean;
  /** Password of the enabled local Administrator (`OSDLocalAdminPassword`); a secret: never log or record it. */
  readonly administratorPassword?: string;
}

/** The `setup` capability. */
export interface SetupCapability {
  /** Run Windows Setup (upgrade or scan). A successful full upgrade changes the OS facts. */
  upgrade(request: UpgradeRequest): Promise<UpgradeResult>;
  /** Setup Windows and ConfigMgr: finish setup of the applied OS and install the client; returns the exit code. */
  setupWindowsAndClient(options: SetupWindowsOptions): Promise<number>;
  /** Generalise the OS with sysprep; returns the exit code. */
  sysprep(options: { readonly keepActivation?: boolean }): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// updates
// ---------------------------------------------------------------------------------------------

/** A software update. */
export interface UpdateInfo {
  /** Update ID (e.g. a KB number). */
  readonly id: string;
  /** Title. */
  readonly title: string;
  /** Deployed as mandatory. */
  readonly mandatory: boolean;
}

/** The `updates` capability. */
export interface UpdatesCapability {
  /** Applicable updates not yet installed. */
  scan(target: "Mandatory" | "All"): Promise<readonly UpdateInfo[]>;
  /** Install updates. */
  install(ids: readonly string[]): Promise<{ readonly exitCode: number; readonly restartRequired: boolean }>;
}

// ---------------------------------------------------------------------------------------------
// network
// ---------------------------------------------------------------------------------------------

/** The `network` capability. Passwords are secrets. */
export interface NetworkCapability {
  /** Map `\\server\share` to a drive letter. */
  mapDrive(path: string, driveLetter: string, account?: RunAsAccount): Promise<void>;
  /** Join a domain (optionally into an OU). */
  joinDomain(domain: string, account: RunAsAccount, organizationalUnit?: string): Promise<void>;
  /** Join a workgroup. */
  joinWorkgroup(name: string): Promise<void>;
  /** Write network settings (OSDAdapter*, OSDNetworkJoin* values) to the answer file. */
  applySettings(settings: Readonly<Record<string, string>>): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// bitlocker
// ---------------------------------------------------------------------------------------------

/** BitLocker key protectors. */
export type KeyProtector = "TPM" | "StartupKey" | "TPMAndStartupKey" | "TPMAndPIN";

/** Enable BitLocker on a volume. */
export interface EnableBitLockerRequest {
  /** Volume letter. */
  readonly volume: string;
  /** Key protector. */
  readonly protector: KeyProtector;
  /** PIN for `TPMAndPIN` (secret). */
  readonly pin?: string;
  /** Encryption method, e.g. `"XTS_AES256"`. */
  readonly encryptionMethod?: string;
  /** Encrypt the full disk instead of used space only. */
  readonly fullDisk?: boolean;
  /** Where the recovery key goes. */
  readonly recoveryKeyEscrow?: "AD" | "ConfigMgr" | "None";
  /** Wait for encryption to finish. */
  readonly wait?: boolean;
}

/** The `bitlocker` capability. */
export interface BitLockerCapability {
  /** Status of a volume. */
  status(volume: string): Promise<BitLockerStatus>;
  /** Enable in the full OS. Fails with `DeviceOperationFailed` when the TPM is not usable. */
  enable(request: EnableBitLockerRequest): Promise<void>;
  /** Pre-provision in Windows PE. */
  preProvision(volume: string, options?: { readonly fullDisk?: boolean }): Promise<void>;
  /** Suspend protection for `rebootCount` restarts (`0` = until resumed). */
  suspend(volume: string, rebootCount: number): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// stateStore, usmt
// ---------------------------------------------------------------------------------------------

/** The `stateStore` capability (state migration point). */
export interface StateStoreCapability {
  /** Request a folder for capture or restore; rejects with `DeviceOperationFailed` (retryable) when none. */
  request(type: "capture" | "restore", options?: { readonly fallbackToNetworkAccessAccount?: boolean }): Promise<string>;
  /** Release the folder. */
  release(path: string): Promise<void>;
}

/** USMT options (steps.md §18, §19); the USMT switch each option stands for is given in brackets. */
export interface UsmtRequest {
  /** State store folder. */
  readonly storePath: string;
  /** USMT package ID. */
  readonly packageId: string;
  /** `Simple` or `Advanced`. */
  readonly mode?: "Simple" | "Advanced";
  /** Config XML files (Advanced). */
  readonly configFiles?: readonly string[];
  /** Continue on locked (capture) or failed (restore) files (`/c`). */
  readonly continueOnError?: boolean;
  /** Capture with hard links (`/hardlink`). */
  readonly hardLinks?: boolean;
  /** Verbose logging (`/v:13`). */
  readonly verboseLogging?: boolean;
  /** Capture: skip files encrypted with EFS instead of failing on them (`/efs:skip`). */
  readonly skipEncryptedFiles?: boolean;
  /** Capture offline from Windows PE, out of the Windows installed on the disks (`/offlinewindir`). */
  readonly offline?: boolean;
  /** Capture: read files through the volume shadow copy service (`/vsc`). */
  readonly volumeShadowCopy?: boolean;
  /** Restore: migrate local accounts, creating and enabling the missing ones (`/lac /lae`). */
  readonly localAccounts?: boolean;
  /** Restore: password of the local accounts created (`/lac:<password>`); a secret: never log or record it. */
  readonly localAccountPassword?: string;
  /** Extra command-line options. */
  readonly additionalOptions?: string;
}

/** The `usmt` capability; both return the USMT exit code. */
export interface UsmtCapability {
  /** ScanState. */
  capture(request: UsmtRequest): Promise<number>;
  /** LoadState. */
  restore(request: UsmtRequest): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// reboot, ui, clock
// ---------------------------------------------------------------------------------------------

/** The `reboot` capability. */
export interface RebootCapability {
  /** Targets that can boot now (`HD` needs an installed OS). */
  bootableTargets(): Promise<readonly RestartTarget[]>;
  /** Show the restart notification. */
  notify(message: string, timeoutSeconds: number): Promise<void>;
  /** Restart into the target; afterwards the `os` facts describe the new environment. */
  restart(target: RestartTarget): Promise<void>;
}

/** A progress update. */
export interface ProgressUpdate {
  /** Task sequence name. */
  readonly title: string;
  /** Current step name. */
  readonly step: string;
  /** 1-based position. */
  readonly current: number;
  /** Total steps. */
  readonly total: number;
}

/**
 * A Win32 `MessageBox` result (com-api.md §2.1 `ShowMessageEx`): `1` IDOK, `2` IDCANCEL, `3`
 * IDABORT, `4` IDRETRY, `5` IDIGNORE, `6` IDYES, `7` IDNO, `10` IDTRYAGAIN, `11` IDCONTINUE.
 */
export type MessageBoxResult = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 10 | 11;

/** The `ui` capability (progress and dialogs, com-api.md). */
export interface UiCapability {
  /** Update the progress display. */
  progress(update: ProgressUpdate): Promise<void>;
  /** Show a message; resolves when dismissed or after the timeout. Returns the button pressed. */
  message(title: string, text: string, timeoutSeconds: number): Promise<"ok" | "cancel" | "timeout">;
  /** Close the progress display. */
  close(): Promise<void>;
  /**
   * Optional: ask a script's `TsProgressUI.ShowMessageEx` question and return the button at once
   * (com-api.md §2.2: the `ui` adapter supplies the answer). `buttons` is `uType` as the script
   * passed it: its low 4 bits choose the buttons (`0` OK … `6` Cancel/Try Again/Continue), the
   * rest are icon and option flags. The texts are already secret-masked. It is called while the
   * script runs, so the `progress`/`close` calls for the script's earlier `TsProgressUI` calls may
   * reach the adapter only after it. Without it the script gets the first button of the type
   * (`firstMessageButton`) and the question is shown with {@link UiCapability.message} afterwards.
   */
  answerMessage?(title: string, text: string, buttons: number): MessageBoxResult;
}

/** The `clock` capability: wall-clock time and waiting. A simulated clock advances instantly. */
export interface ClockCapability {
  /** Current time, UTC milliseconds since the epoch. */
  now(): number;
  /** Wait; rejects with `Aborted` when the signal fires. */
  sleep(milliseconds: number, signal?: AbortSignal): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Faults and the aggregate
// ---------------------------------------------------------------------------------------------

/** A fault a device injects at a step boundary. */
export interface StepFault {
  /** `powerLoss`: the machine loses power; the engine must behave as if killed. */
  readonly kind: "powerLoss";
  /** `true` = power went while the step ran, `false` = just before it started (informational). */
  readonly duringStep: boolean;
}

/**
 * Fault hooks the engine calls. `beforeStep(path)` is called once for each step about to run,
 * after its in-progress marker is persisted (path is the zero-based index path, e.g. `"0.2.1"`);
 * a returned fault tells the engine to simulate it (docs/device-adapters.md).
 */
export interface FaultHooks {
  /** Called before each step; returns the fault to simulate, if any. */
  beforeStep(path: string): StepFault | undefined;
}

/** Every capability, by its steps.md §2 name. */
export interface DeviceCapabilities {
  /** Hardware facts. */
  readonly hardware: HardwareCapability;
  /** OS facts. */
  readonly os: OsCapability;
  /** WQL queries. */
  readonly wmi: WmiCapability;
  /** Disks and volumes. */
  readonly disks: DisksCapability;
  /** File system. */
  readonly files: FilesCapability;
  /** Registry. */
  readonly registry: RegistryCapability;
  /** Command lines. */
  readonly commands: CommandsCapability;
  /** Content download. */
  readonly content: ContentCapability;
  /** Applications. */
  readonly applications: ApplicationsCapability;
  /** Packages. */
  readonly packages: PackagesCapability;
  /** Images. */
  readonly image: ImageCapability;
  /** Drivers. */
  readonly drivers: DriversCapability;
  /** Windows Setup. */
  readonly setup: SetupCapability;
  /** Software updates. */
  readonly updates: UpdatesCapability;
  /** Network. */
  readonly network: NetworkCapability;
  /** BitLocker. */
  readonly bitlocker: BitLockerCapability;
  /** State migration point. */
  readonly stateStore: StateStoreCapability;
  /** USMT. */
  readonly usmt: UsmtCapability;
  /** Restarts. */
  readonly reboot: RebootCapability;
  /** Progress UI. */
  readonly ui: UiCapability;
  /** Clock. */
  readonly clock: ClockCapability;
}

/** A capability name (steps.md §2; `scripts` and `taskSequences` are provided by other layers). */
export type DeviceCapabilityName = keyof DeviceCapabilities;

/**
 * A device: any subset of the capabilities, plus optional fault hooks.
 *
 * @example
 * ```ts
 * const device: Device = { clock: { now: () => Date.now(), sleep: async () => {} } };
 * ```
 */
export interface Device extends Partial<DeviceCapabilities> {
  /** A display name for logs. */
  readonly name?: string;
  /** Fault injection hooks (simulated devices). */
  readonly faults?: FaultHooks;
}
