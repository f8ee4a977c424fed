// Adapter interfaces (steps.md §2)
export type {
  FirmwareType,
  RunningEnvironment,
  RestartTarget,
  WmiValue,
  WmiRow,
  TpmInfo,
  NetworkAdapterInfo,
  HardwareFacts,
  PowerState,
  HardwareCapability,
  OsVersion,
  ExecutionPolicy,
  OsFacts,
  InstalledProduct,
  OsCapability,
  WmiCapability,
  PartitionStyle,
  PartitionType,
  FileSystem,
  BitLockerStatus,
  PartitionInfo,
  DiskInfo,
  VolumeInfo,
  CreatePartitionRequest,
  FormatRequest,
  DisksCapability,
  FileAccessOptions,
  FileStat,
  FilesSyncView,
  FilesCapability,
  RegistryValueType,
  RegistryValue,
  RegistryView,
  RegistryKeyListing,
  RegistrySyncView,
  RegistryCapability,
  RunAsAccount,
  CommandRequest,
  CommandResult,
  CommandsCapability,
  ContentKind,
  ContentInfo,
  ContentLocation,
  ContentDestination,
  DownloadRequest,
  DownloadResult,
  ContentCapability,
  ApplicationInstallResult,
  RequirementResult,
  ApplicationsCapability,
  ProgramResult,
  PackagesCapability,
  ApplyImageRequest,
  CaptureImageRequest,
  ImageCapability,
  DriverInfo,
  DriverMatchRequest,
  DriversCapability,
  UpgradeRequest,
  UpgradeResult,
  SetupWindowsOptions,
  WindowsLocales,
  ServerLicenseMode,
  ServerLicensing,
  SetupCapability,
  UpdateInfo,
  UpdatesCapability,
  NetworkCapability,
  KeyProtector,
  EnableBitLockerRequest,
  BitLockerCapability,
  StateStoreCapability,
  UsmtRequest,
  UsmtCapability,
  RebootCapability,
  ProgressUpdate,
  MessageBoxResult,
  UiCapability,
  ClockCapability,
  StepFault,
  FaultHooks,
  DeviceCapabilities,
  DeviceCapabilityName,
  Device,
} from "./types.js";

// Capabilities
export { deviceCapabilityNames, requireCapability, hasCapability, listCapabilities } from "./capabilities.js";
export { firstMessageButton, MESSAGE_BOX_RESULTS } from "./message-box.js";
export { decodeFileText, encodeFileText, fileTextEncodingOf, FILE_TEXT_ENCODINGS } from "./file-text.js";
export type { FileTextEncoding } from "./file-text.js";

// WQL (conditions.md §7)
export { parseWql, maxWqlLength } from "./wql/wql-parser.js";
export type { WqlQuery, WqlExpression, WqlLiteral, WqlComparisonOperator } from "./wql/wql-parser.js";
export { compileWql, readWmiProperty } from "./wql/wql-compile.js";
export type { CompiledWqlQuery } from "./wql/wql-compile.js";
export { compileLikePattern } from "./wql/like-pattern.js";

// Device profiles
export type {
  DeviceProfile,
  ProfileHardware,
  ProfileTpm,
  ProfileFirmware,
  ProfilePower,
  ProfileWindows,
  ProfileInstalledOs,
  ProfileWinPe,
  ProfileOs,
  ProfilePartition,
  ProfileDisk,
  ProfileFile,
  ProfileRegistryValue,
  ProfileSoftware,
  ProfileNetworkAdapter,
  ProfileCommandRule,
  ProfileProgram,
  ProfilePackage,
  ProfileRequirement,
  ProfileApplication,
  ProfileImageIndex,
  ProfileImage,
  ProfileDriver,
  ProfileDriverPackage,
  ProfileUpgradePackage,
  ProfileContent,
  ProfileUpdate,
  ProfileStateStore,
  ProfileFaults,
  ProfileMessageAnswers,
  ProfileUi,
} from "./profile/profile-types.js";
export { deviceProfileSchema } from "./profile/profile-schema.js";
export type { JsonSchema } from "./profile/profile-schema.js";
export { validateDeviceProfile, parseDeviceProfile } from "./profile/validate-profile.js";
export type { ProfileIssue } from "./profile/validate-profile.js";
export { defaultDeviceProfile } from "./profile/default-profile.js";
export { registryValueFromProfile } from "./profile/registry-value.js";

// Simulated device
export { createSimulatedDevice } from "./simulated/simulated-device.js";
export type { SimulatedDevice, SimulatedDeviceOptions, SimulatedFaults } from "./simulated/simulated-device.js";
export type { SimulatedUi } from "./simulated/sim-services.js";
export type { DeviceEvent } from "./simulated/sim-state.js";
export { compatScanSuccess } from "./simulated/sim-software.js";
export { toInt32 } from "./simulated/sim-commands.js";

// Windows time zones (`_SMSTSTimezone`)
export { windowsTimeZoneInformation, formatTimeZoneInformation, windowsZoneToIana, ianaToWindowsZone } from "./windows-time-zones.js";
export type { WindowsTimeZoneInformation, WindowsSystemTime } from "./windows-time-zones.js";
