/**
 * The step type catalogue (spec/steps.md §3–§22): the single source of step facts for every
 * package (steps, lint, docs, cmdlets). Property → action variable maps follow ConfigMgr 3.10
 * exports; `mdtNames` are the names MDT 3.00 files use.
 */
import type { RunIn } from "./types.js";
import type { SettingInfo, SettingListInfo } from "./setting-info.js";
import { booleanSetting as bool, enumSetting as oneOf, integerSetting as int, secretSetting as secret, textSetting as text } from "./setting-info.js";

/** Everything the SDK knows about one step type. */
export interface StepTypeInfo {
  /** Class name (`SMS_TaskSequence_RunCommandLineAction`); `""` for the untyped MDT command step. */
  readonly type: string;
  /** Console name (`Run Command Line`). */
  readonly consoleName: string;
  /** XML element. */
  readonly element: "step" | "subtasksequence";
  /** Default `runIn` of new steps. */
  readonly runIn: RunIn;
  /** Default success codes of new steps. */
  readonly successCodes: readonly number[];
  /** Default retry count after an unexpected restart. */
  readonly retryCount: number;
  /** Settings in the order ConfigMgr documents them. */
  readonly settings: readonly SettingInfo[];
  /** Numbered setting families. */
  readonly lists?: readonly SettingListInfo[];
  /** `configmgr` for `SMS_TaskSequence_*`, `mdt` for `BDD_*` and the untyped step. */
  readonly origin: "configmgr" | "mdt";
}

const BOTH = "WinPEandFullOS";
const PE = "WinPE";
const OS = "FullOS";
const CODES_PROCESS = [0, 3010] as const;
const CODES_BUILTIN = [0] as const;

function cm<const T extends string, const S extends readonly SettingInfo[], const L extends readonly SettingListInfo[] = readonly []>(
  type: T,
  consoleName: string,
  runIn: RunIn,
  settings: S,
  extra: { readonly successCodes?: readonly number[]; readonly retryCount?: number; readonly element?: "step" | "subtasksequence"; readonly lists?: L } = {},
) {
  return {
    type,
    consoleName,
    element: extra.element ?? "step",
    runIn,
    successCodes: extra.successCodes ?? CODES_BUILTIN,
    retryCount: extra.retryCount ?? 0,
    settings,
    lists: extra.lists ?? ([] as unknown as L),
    origin: "configmgr" as const,
  };
}

function mdt<const T extends string, const S extends readonly SettingInfo[]>(type: T, consoleName: string, runIn: RunIn, settings: S) {
  return { type, consoleName, element: "step" as const, runIn, successCodes: CODES_PROCESS, retryCount: 0, settings, lists: [] as const, origin: "mdt" as const };
}

const PARTITION_FIELDS = [
  oneOf("Type", "Type", ["Primary", "Extended", "Logical", "Hidden", "EFI", "MSR", "Recovery"], { required: true }),
  oneOf("FileSystem", "FileSystem", ["FAT32", "NTFS"]),
  bool("Bootable", "Bootable", { required: true }),
  bool("QuickFormat", "QuickFormat", { required: true }),
  text("VolumeName"),
  int("Size"),
  oneOf("SizeUnits", "SizeUnits", ["MB", "GB", "Percent"], { default: "MB", aliases: { "%": "Percent" } }),
  bool("AssignVolumeLetter", "AssignVolumeLetter", { default: "true" }),
  text("VolumeLetterVariable"),
] as const;

const PACKAGE_INFO_FIELDS = [text("PackageId"), text("Name"), text("PkgType"), text("Size")] as const;

/** The catalogue data, as literal types (the source of {@link StepSettingsByType}). */
export const STEP_CATALOG = [
  cm("SMS_TaskSequence_RunCommandLineAction", "Run Command Line", BOTH, [
    text("CommandLine", "CommandLine", { fixed: true, hidden: true, required: true }),
    text("PackageID", "PackageID", { fixed: true, hidden: true }),
    text("WorkingDirectory"),
    bool("DisableWow64Redirection", "SMSTSDisableWow64Redirection", { default: "false" }),
    text("OutputVariableName", "SMSTSRunCommandLineOutputVariableName"),
    bool("RunAsUser", "_SMSTSRunCommandLineAsUser", { mdtNames: ["RunAsUser"], default: "false" }),
    text("UserName", "SMSTSRunCommandLineUserName"),
    secret("UserPassword", "SMSTSRunCommandLineUserPassword"),
    bool("LoadProfile", "LoadProfile"),
    text("SuccessCodes", "SuccessCodes", { fixed: true, hidden: true }),
  ], { successCodes: CODES_PROCESS }),
  cm("SMS_TaskSequence_RunPowerShellScriptAction", "Run PowerShell Script", BOTH, [
    text("PackageID", "OSDRunPowerShellScriptPackageID"),
    text("ScriptName", "OSDRunPowerShellScriptScriptName"),
    text("SourceScript", "OSDRunPowerShellScriptSourceScript"),
    text("Parameters", "OSDRunPowerShellScriptParameters"),
    oneOf("ExecutionPolicy", "OSDRunPowerShellScriptExecutionPolicy", ["Restricted", "AllSigned", "RemoteSigned", "Unrestricted", "Bypass", "Undefined"], { default: "Restricted" }),
    text("OutputVariableName", "OSDRunPowerShellScriptOutputVariableName"),
    text("WorkingDirectory", "SMSTSRunPowerShellWorkingDirectory"),
    bool("RunAsUser", "_SMSTSRunPowerShellAsUser", { default: "false" }),
    text("UserName", "SMSTSRunPowerShellUserName"),
    secret("UserPassword", "SMSTSRunPowerShellUserPassword"),
    text("SuccessCodes", "OSDRunPowerShellScriptSuccessCodes", { fixed: true, hidden: true }),
  ], { successCodes: CODES_PROCESS }),
  cm("SMS_TaskSequence_SubTasksequence", "Run Task Sequence", BOTH, [
    text("TsPackageID", "OSDSubTasksequencePackageID", { fixed: true, required: true }),
    text("TsName", "OSDSubTasksequenceTsName"),
    text("TsReferencePackages", "OSDSubTasksequenceTsReferencePackages"),
    text("TsReferenceApplications", "OSDSubTasksequenceTsReferenceApplications"),
  ], { element: "subtasksequence" }),
  cm("SMS_TaskSequence_SetVariableAction", "Set Task Sequence Variable", BOTH, [
    text("VariableName", "VariableName", { fixed: true, hidden: true, required: true }),
    text("VariableValue", "VariableValue", { fixed: true, hidden: true }),
    bool("DoNotShowVariableValue", "DoNotShowVariableValue", { fixed: true, hidden: true, default: "false" }),
  ]),
  cm("SMS_TaskSequence_SetDynamicVariablesAction", "Set Dynamic Variables", BOTH, [
    text("Rules", "OSDSetDynamicVariablesRules", { fixed: true, required: true }),
  ]),
  cm("SMS_TaskSequence_RebootAction", "Restart Computer", BOTH, [
    oneOf("Target", "SMSRebootTarget", ["HD", "WinPE"], { hidden: true, mdtNames: ["Target"] }),
    text("Message", "SMSRebootMessage", { mdtNames: ["Message"] }),
    int("MessageTimeout", "SMSRebootTimeout", { mdtNames: ["MessageTimeout"], default: "60" }),
  ]),
  cm("SMS_TaskSequence_PrestartCheckAction", "Check Readiness", OS, [
    bool("CheckMemory", "OSDCheckMemory"),
    int("Memory", "OSDMemory", { default: "512" }),
    bool("CheckProcessorSpeed", "OSDCheckProcessorSpeed"),
    int("ProcessorSpeed", "OSDProcessorSpeed", { default: "800" }),
    bool("CheckFreeDiskSpace", "OSDCheckFreeDiskSpace"),
    int("FreeDiskSpace", "OSDFreeDiskSpace", { default: "25000" }),
    bool("CheckOSType", "OSDCheckOSType"),
    oneOf("OSType", "OSDOSType", ["CLIENT", "SERVER"], { default: "CLIENT" }),
    bool("CheckOSArchitecture", "OSDCheckOSArchitecture"),
    oneOf("OSArchitecture", "OSDOSArchitecture", ["32", "64"], { default: "64" }),
    bool("CheckMinOSVersion", "OSDCheckMinOSVersion"),
    text("MinOSVersion", "OSDMinOSVersion"),
    bool("CheckMaxOSVersion", "OSDCheckMaxOsVersion"),
    text("MaxOSVersion", "OSDMaxOSVersion"),
    bool("CheckCMClientMinVersion", "OSDCheckCMClientMinVersion"),
    text("CMClientMinVersion", "OSDCMClientMinVersion"),
    bool("CheckOSLanguageID", "OSDCheckOSLanguageID"),
    int("OSLanguageID", "OSDOSLanguageID"),
    bool("CheckPowerState", "OSDCheckPowerState"),
    bool("CheckNetworkConnected", "OSDCheckNetworkConnected"),
    bool("CheckNetworkWired", "OSDCheckNetworkWired"),
    bool("CheckDeviceUEFI", "OSDCheckDeviceUEFI"),
  ]),
  cm("SMS_TaskSequence_ConnectNetworkFolderAction", "Connect To Network Folder", BOTH, [
    text("Path", "SMSConnectNetworkFolderPath", { required: true }),
    text("DriveLetter", "SMSConnectNetworkFolderDriveLetter", { required: true }),
    text("Username", "SMSConnectNetworkFolderAccount"),
    secret("Password", "SMSConnectNetworkFolderPassword"),
  ]),
  cm("SMS_TaskSequence_JoinDomainWorkgroupAction", "Join Domain or Workgroup", OS, [
    int("Type", "OSDJoinType", { required: true }),
    text("WorkgroupName", "OSDJoinWorkgroupName"),
    text("DomainName", "OSDJoinDomainName"),
    text("DomainOUName", "OSDJoinDomainOUName"),
    text("DomainUsername", "OSDJoinAccount"),
    secret("DomainPassword", "OSDJoinPassword"),
    bool("SkipReboot", "OSDJoinSkipReboot", { default: "false" }),
  ]),
  cm("SMS_TaskSequence_InstallApplicationAction", "Install Application", OS, [
    text("ApplicationName", "ApplicationName", { fixed: true, hidden: true }),
    int("NumApps", "OSDAppCount"),
    text("BaseVariableName", "BaseVariableName", { fixed: true, hidden: true }),
    bool("ContinueOnInstallError", "ContinueOnInstallError", { fixed: true, hidden: true, default: "false" }),
    bool("ClearCache", "OSDAppClearCache", { default: "false" }),
    int("RetryCount", "RetryCount", { fixed: true, hidden: true, default: "2" }),
  ], { retryCount: 2 }),
  cm("SMS_TaskSequence_InstallSoftwareAction", "Install Package", OS, [
    text("PackageID", "PackageID", { fixed: true, hidden: true }),
    text("ProgramName", "_SMSSWDProgramName"),
    text("BaseVariableName", "BaseVariableName", { fixed: true, hidden: true }),
    bool("ContinueOnInstallError", "ContinueOnInstallError", { fixed: true, hidden: true, default: "false" }),
    int("RetryCount", "OSDPackageDownloadRetries"),
  ], { successCodes: CODES_PROCESS }),
  cm("SMS_TaskSequence_InstallUpdateAction", "Install Software Updates", OS, [
    oneOf("Target", "SMSInstallUpdateTarget", ["Mandatory", "All"], { default: "Mandatory" }),
    bool("UseCache", "SMSTSSoftwareUpdateScanUseCache", { default: "true" }),
    int("RetryCount", "RetryCount", { fixed: true, hidden: true, default: "2" }),
  ], { retryCount: 2 }),
  cm("SMS_TaskSequence_DownloadPackageContentAction", "Download Package Content", BOTH, [
    text("DownloadPackages", "OSDDownloadDownloadPackages", { required: true }),
    oneOf("DestinationLocationType", "OSDDownloadDestinationLocationType", ["TSCache", "CCMCache", "Custom"], { default: "TSCache" }),
    text("DestinationCustomPath", "OSDDownloadDestinationPath"),
    text("DestinationVariable", "OSDDownloadDestinationVariable"),
    bool("ContinueDownloadOnError", "OSDDownloadContinueDownloadOnError", { default: "true" }),
    int("NumPackages", "OSDPackageCount"),
    int("PackageInfo", "OSDPackage", { hidden: true }),
  ], { lists: [{ name: "PackageInfoList", propertyPrefix: "PackageInfo", variablePrefix: "OSDPackage", base: 0, fields: PACKAGE_INFO_FIELDS }] }),
  cm("SMS_TaskSequence_PartitionDiskAction", "Format and Partition Disk", PE, [
    int("DiskIndex", "OSDDiskIndex", { default: "0" }),
    text("DiskIndexVariable", "OSDDiskIndexVariable"),
    text("DiskType", "OSDDiskType"),
    oneOf("PartitionStyle", "OSDPartitionStyle", ["MBR", "GPT"]),
    bool("GPTBootDisk", "OSDGPTBootDisk", { default: "false" }),
    bool("DiskpartBiosCompatibilityMode", "OSDDiskpartBiosCompatibilityMode", { default: "false" }),
    int("Partitions", "OSDPartitions", { hidden: true }),
  ], { lists: [{ name: "PartitionList", propertyPrefix: "Partitions", variablePrefix: "OSDPartitions", base: 0, fields: PARTITION_FIELDS }] }),
  cm("SMS_TaskSequence_ConvertDiskAction", "Convert Disk to Dynamic", BOTH, [int("DiskIndex", "OSDConvertDiskIndex", { required: true })]),
  cm("SMS_TaskSequence_EnableBitLockerAction", "Enable BitLocker", OS, [
    text("Mode", "OSDBitLockerMode", { hidden: true }),
    text("CreateRecoveryPassword", "OSDBitLockerCreateRecoveryPassword", { hidden: true }),
    bool("EncryptFullDisk", "OSDBitLockerEncryptFullDisk", { hidden: true, default: "false" }),
    bool("WaitForEncryption", "OSDBitLockerWaitForEncryption", { hidden: true }),
    int("EncryptMethod", "OSDBitLockerEncryptMethod", { hidden: true }),
    bool("SkipWhenNoValidTPM", "OSDBitLockerSkipWhenNoValidTPM", { hidden: true, default: "false" }),
    text("BdeTargetDriveLetter", "OSDBitLockerTargetDrive"),
    text("BdeKeyLocation", "OSDBitLockerStartupKeyDrive"),
    secret("BdePin", "OSDBitLockerPIN"),
  ]),
  cm("SMS_TaskSequence_OfflineEnableBitLockerAction", "Pre-provision BitLocker", PE, [
    bool("EncryptFullDisk", "OSDBitLockerEncryptFullDisk", { hidden: true, default: "false" }),
    bool("SkipWhenTPMInvalid", "OSDBitLockerSkipWhenTPMInvalid", { hidden: true, default: "true" }),
  ]),
  cm("SMS_TaskSequence_DisableBitLockerAction", "Disable BitLocker", OS, [int("RebootCount", "OSDBitLockerRebootCount", { default: "1" })]),
  cm("SMS_TaskSequence_ApplyOperatingSystemAction", "Apply Operating System Image", PE, [
    text("ImagePackageID", "ImagePackageID", { fixed: true, hidden: true }),
    int("ImageIndex", "OSDImageIndex"),
    bool("RunFromNet", "RunFromNet", { hidden: true, default: "false" }),
    text("ConfigFileName", "OSDConfigFileName"),
    int("LayeredDriver", "OsdLayeredDriver"),
  ]),
  cm("SMS_TaskSequence_ApplyDataImageAction", "Apply Data Image", PE, [
    text("ImagePackageID", "ImagePackageID", { fixed: true, hidden: true, required: true }),
    int("ImageIndex", "OSDDataImageIndex"),
    bool("WipeDestinationPartition", "OSDWipeDestinationPartition", { default: "true" }),
  ]),
  cm("SMS_TaskSequence_ApplyDriverPackageAction", "Apply Driver Package", PE, [
    text("DriverPackageID", "OSDApplyDriverDriverPackageID", { hidden: true, required: true }),
    bool("Recurse", "OSDRecurse", { default: "false" }),
    bool("UnsignedDriver", "OSDAllowUnsignedDriver", { default: "false" }),
  ]),
  cm("SMS_TaskSequence_AutoApplyAction", "Auto Apply Drivers", PE, [
    bool("BestMatch", "OSDAutoApplyDriverBestMatch", { default: "true" }),
    bool("UnsignedDriver", "OSDAllowUnsignedDriver", { default: "false" }),
  ]),
  cm("SMS_TaskSequence_ApplyNetworkSettingsAction", "Apply Network Settings", PE, [
    int("NetworkJoinType", "OSDNetworkJoinType"),
    text("WorkgroupName", "OSDWorkgroupName"),
    text("DomainName", "OSDDomainName"),
    text("DomainOUName", "OSDDomainOUName"),
    text("DomainUsername", "OSDJoinAccount"),
    secret("DomainPassword", "OSDJoinPassword"),
    bool("EnableTCPIPFiltering", "OSDEnableTCPIPFiltering", { hidden: true, default: "false" }),
    int("NumAdapters", "OSDAdapterCount", { hidden: true, default: "0" }),
  ]),
  cm("SMS_TaskSequence_ApplyWindowsSettingsAction", "Apply Windows Settings", PE, [
    text("ComputerName", "OSDComputerName", { default: "%_SMSTSMachineName%" }),
    text("RegisteredUserName", "OSDRegisteredUserName"),
    text("RegisteredOrgName", "OSDRegisteredOrgName"),
    secret("ProductKey", "OSDProductKey"),
    bool("RandomAdminPassword", "OSDRandomAdminPassword", { default: "true" }),
    secret("AdminPassword", "OSDLocalAdminPassword"),
    text("TimeZone", "OSDTimeZone"),
    int("ServerLicenseConnectionLimit", "OSDServerLicenseConnectionLimit"),
    oneOf("ServerLicenseMode", "OSDServerLicenseMode", ["PerSeat", "PerServer"]),
    text("InputLocale", "OSDWindowsSettingsInputLocale"),
    text("SystemLocale", "OSDWindowsSettingsSystemLocale"),
    text("UILanguage", "OSDWindowsSettingsUILanguage"),
    text("UILanguageFallback", "OSDWindowsSettingsUILanguageFallback"),
    text("UserLocale", "OSDWindowsSettingsUserLocale"),
  ]),
  cm("SMS_TaskSequence_CaptureNetworkSettingsAction", "Capture Network Settings", OS, [
    bool("MigrateNetworkMembership", "OSDMigrateNetworkMembership", { default: "true" }),
    bool("MigrateAdapterSettings", "OSDMigrateAdapterSettings", { default: "true" }),
  ]),
  cm("SMS_TaskSequence_CaptureWindowsSettingsAction", "Capture Windows Settings", BOTH, [
    bool("MigrateComputerName", "OSDMigrateComputerName", { default: "true" }),
    bool("MigrateRegistrationInfo", "OSDMigrateRegistrationInfo", { default: "true" }),
    bool("MigrateTimeZone", "OSDMigrateTimeZone", { default: "true" }),
  ]),
  cm("SMS_TaskSequence_CaptureUserStateAction", "Capture User State", BOTH, [
    text("UsmtPackageID", "_OSDMigrateUsmtPackageID", { required: true }),
    oneOf("Mode", "OSDMigrateMode", ["Simple", "Advanced"], { default: "Simple" }),
    text("ConfigFiles", "OSDMigrateConfigFiles"),
    bool("ContinueOnLockedFiles", "OSDMigrateContinueOnLockedFiles", { default: "true" }),
    bool("EnableVerboseLogging", "OSDMigrateEnableVerboseLogging", { default: "false" }),
    bool("SkipEncryptedFiles", "OSDMigrateSkipEncryptedFiles", { default: "false" }),
    bool("UseHardlinks", "_OSDMigrateUseHardlinks", { default: "false" }),
    bool("OfflineUserState", "_OSDMigrateOfflineUserState", { default: "false" }),
    text("FileAccess", "OSDMigrateFileAccess"),
    text("AdditionalCaptureOptions", "OSDMigrateAdditionalCaptureOptions"),
  ]),
  cm("SMS_TaskSequence_RestoreUserStateAction", "Restore User State", OS, [
    text("UsmtRestorePackageID", "_OSDMigrateUsmtRestorePackageID", { required: true }),
    oneOf("Mode", "OSDMigrateMode", ["Simple", "Advanced"], { default: "Simple" }),
    text("ConfigFiles", "OSDMigrateConfigFiles"),
    bool("ContinueOnRestore", "OSDMigrateContinueOnRestore", { default: "true" }),
    bool("LocalAccounts", "OSDMigrateLocalAccounts", { default: "false" }),
    secret("LocalAccountPassword", "OSDMigrateLocalAccountPassword"),
    bool("EnableVerboseLogging", "OSDMigrateEnableVerboseLogging", { default: "false" }),
    text("AdditionalRestoreOptions", "OSDMigrateAdditionalRestoreOptions"),
  ]),
  cm("SMS_TaskSequence_RequestStateStoreAction", "Request State Store", BOTH, [
    oneOf("RequestType", "OSDStateRequestType", ["capture", "restore"], { hidden: true, required: true }),
    int("SMPRetryCount", "OSDStateSMPRetryCount", { hidden: true, default: "3" }),
    int("SMPRetryTime", "OSDStateSMPRetryTime", { hidden: true, default: "10" }),
    bool("FallbackToNAA", "OSDStateFallbackToNAA", { default: "false" }),
  ]),
  cm("SMS_TaskSequence_ReleaseStateStoreAction", "Release State Store", BOTH, []),
  cm("SMS_TaskSequence_CaptureSystemImageAction", "Capture Operating System Image", PE, [
    text("CaptureDestination", "OSDCaptureDestination", { required: true }),
    text("CaptureUsername", "OSDCaptureAccount"),
    secret("CapturePassword", "OSDCaptureAccountPassword"),
    text("ImageCreator", "OSDImageCreator"),
    text("ImageDescription", "OSDImageDescription"),
    text("ImageVersion", "OSDImageVersion"),
  ]),
  cm("SMS_TaskSequence_PrepareSMSClientAction", "Prepare ConfigMgr Client for Capture", OS, []),
  cm("SMS_TaskSequence_PrepareOSAction", "Prepare Windows for Capture", OS, [
    bool("BuildStorageDriverList", "OSDBuildStorageDriverList", { default: "false" }),
    bool("KeepActivation", "OSDKeepActivation", { default: "false" }),
    bool("ShutdownPreparedOs", "OSDShutdownPreparedOs", { default: "false" }),
  ]),
  cm("SMS_TaskSequence_SetupWindowsAndSMSAction", "Setup Windows and ConfigMgr", PE, [
    text("ClientPackageID", "_SMSClientPackageID", { required: true }),
    text("ClientInstallProperties", "SMSClientInstallProperties"),
  ]),
  cm("SMS_TaskSequence_UpgradeOperatingSystemAction", "Upgrade Operating System", OS, [
    text("InstallPackageID", "OSDUpgradeInstallPackageID"),
    text("InstallPath", "OSDUpgradeInstallPath"),
    text("FeatureUpdateAssignmentId", "OSDFeatureUpdateAssignmentID"),
    text("FeatureUpdateName", "OSDUpgradeFeatureUpdateName"),
    int("InstallEditionIndex", "OSDUpgradeInstallEditionIndex", { default: "1" }),
    secret("OsProductKey", "OSDUpgradeOsProductKey"),
    text("PreserveSettings", "OSDUpgradePreserveSettings"),
    bool("ScanOnly", "OSDUpgradeScanOnly", { default: "false" }),
    bool("IgnoreMessages", "OSDUpgradeIgnoreMessages", { default: "false" }),
    text("DynamicUpdateSettings", "OSDUpgradeDynamicUpdateSettings"),
    text("StagedContent", "OSDUpgradeStagedContent"),
  ]),
  cm("SMS_TaskSequence_InstallDeployToolsAction", "Install Deployment Tools", OS, [
    text("SysprepPackageID", "SysprepPackageID", { hidden: true, required: true }),
  ]),
  mdt("", "Run Command Line (MDT)", BOTH, [
    bool("RunAsUser", "RunAsUser"),
    text("SMSTSRunCommandLineUserName"),
    secret("SMSTSRunCommandLineUserPassword"),
    bool("LoadProfile"),
  ]),
  mdt("BDD_Gather", "Gather", BOTH, [bool("GatherLocalOnly", "GatherLocalOnly", { default: "false" }), text("RulesFile"), text("PackageID", "PackageID", { hidden: true })]),
  mdt("BDD_Validate", "Validate", BOTH, [int("ImageSize", "ImageSize", { default: "0" }), int("ImageProcessorSpeed"), int("ImageMemory"), oneOf("VerifyOS", "VerifyOS", ["CLIENT", "SERVER"])]),
  mdt("BDD_InstallOS", "Install Operating System", BOTH, [
    text("OSGUID", "OSGUID", { required: true }),
    text("DestinationDisk"),
    text("DestinationPartition"),
    text("DestinationOSVariable"),
    text("DestinationOSRefresh"),
    text("DestinationOSDriveLetter"),
    oneOf("DestinationOSInstallType", "DestinationOSInstallType", ["ByVariable", "NextPartition", "ByDiskPartition", "DriveLetter"]),
  ]),
  mdt("BDD_InstallApplication", "Install Application (MDT)", BOTH, [text("ApplicationGUID"), text("ApplicationSuccessCodes", "ApplicationSuccessCodes", { default: "0 3010" })]),
  mdt("BDD_InjectDrivers", "Inject Drivers", BOTH, [text("DriverSelectionProfile"), oneOf("DriverInjectionMode", "DriverInjectionMode", ["AUTO", "ALL"], { default: "AUTO" })]),
  mdt("BDD_InstallRoles", "Install Roles and Features", BOTH, [text("OSRoles"), text("OSRoleServices"), text("OSFeatures"), text("OSRoleIndex")]),
  mdt("BDD_UninstallRoles", "Uninstall Roles and Features", BOTH, [
    text("UninstallOSRoles"),
    text("UninstallOSRoleServices"),
    text("UninstallOSFeatures"),
    bool("CompletelyRemove", "CompletelyRemove", { default: "false" }),
    text("OSRoleIndex"),
  ]),
  mdt("BDD_RunPowerShellAction", "Run PowerShell Script (MDT)", BOTH, [text("ScriptName", "ScriptName", { required: true }), text("Parameters"), text("PackageID")]),
  mdt("BDD_InstallUpdatesOffline", "Install Updates Offline", PE, [text("PackageSelectionProfile"), text("PackageID", "PackageID", { hidden: true })]),
  mdt("BDD_InstallLanguagePacksOffline", "Install Language Packs Offline", PE, [text("PackageID", "PackageID", { hidden: true })]),
  mdt("BDD_InstallLanguagePacksOnline", "Install Language Packs Online", OS, [text("PackageID", "PackageID", { hidden: true })]),
  mdt("BDD_RecoverDomainJoin", "Recover From Domain", OS, [text("DomainErrorRecovery")]),
  mdt("BDD_UsePackage", "Use Toolkit Package", BOTH, [text("PackageID", "BDDPackageID", { hidden: true, required: true })]),
  mdt("BDD_ExecuteRunbook", "Execute Runbook", BOTH, [
    text("OrchestratorServer", "OrchestratorServer", { required: true }),
    text("RunbookName"),
    text("RunbookID"),
    text("RunbookParameterMode", "RunbookParameterMode", { default: "AUTO" }),
    text("RunbookParameters", "RunbookParameters", { hidden: true }),
    bool("WaitUntilComplete", "WaitUntilComplete", { default: "true" }),
  ]),
  mdt("BDD_ConfigureADDS", "Configure ADDS", OS, [
    text("ReplicaOrNewDomain"),
    text("NewDomain"),
    text("NewDomainDNSName"),
    text("DomainNetBiosName"),
    text("ForestLevel"),
    text("DomainLevel"),
    text("ParentDomainDNSName"),
    text("ChildName"),
    text("ReplicaDomainDNSName"),
    text("ReplicationSourceDC"),
    text("SiteName"),
    text("DatabasePath"),
    text("ADDSLogPath"),
    text("SysVolPath"),
    text("AutoConfigDNS"),
    text("ConfirmGC"),
    text("CriticalReplicationOnly"),
    secret("ADDSPassword"),
    secret("SafeModeAdminPassword"),
  ]),
  mdt("BDD_ConfigureDNS", "Configure DNS", OS, [
    bool("DNSServerOptionBINDSecondaries"),
    bool("DNSServerOptionDisableRecursion"),
    bool("DNSServerOptionEnableNetmaskOrdering"),
    bool("DNSServerOptionEnableRoundRobin"),
    bool("DNSServerOptionEnableSecureCache"),
    bool("DNSServerOptionFailOnLoad"),
    int("DNSServerOptionNameCheckFlag"),
  ]),
  mdt("BDD_ConfigureDHCP", "Configure DHCP", OS, [
    text("DHCPServerOptionDNSDomainName"),
    text("DHCPServerOptionDNSServer"),
    text("DHCPServerOptionNBTNodeType"),
    text("DHCPServerOptionPXEClient"),
    text("DHCPServerOptionRouter"),
    text("DHCPServerOptionWINSServer"),
  ]),
] as const;

/** Every class name in the catalogue (the discriminant of {@link KnownStepType}). */
export type KnownStepType = (typeof STEP_CATALOG)[number]["type"];

const BY_TYPE: ReadonlyMap<string, StepTypeInfo> = new Map(STEP_CATALOG.map((info) => [info.type.toLowerCase(), info as StepTypeInfo]));
/** The catalogue's own spelling, which sequences almost always use: found without lower-casing. */
const BY_EXACT_TYPE: ReadonlyMap<string, StepTypeInfo> = new Map(STEP_CATALOG.map((info) => [info.type, info as StepTypeInfo]));

/**
 * The catalogue entry of a step type (class names match case-insensitively), or `undefined`.
 *
 * @example
 * ```ts
 * getStepTypeInfo("SMS_TaskSequence_RebootAction")?.consoleName; // "Restart Computer"
 * ```
 */
export function getStepTypeInfo(type: string): StepTypeInfo | undefined {
  return BY_EXACT_TYPE.get(type) ?? BY_TYPE.get(type.toLowerCase());
}

/**
 * Every catalogued step type, in catalogue order.
 *
 * @example
 * ```ts
 * listStepTypes().filter((t) => t.origin === "mdt").map((t) => t.type);
 * ```
 */
export function listStepTypes(): readonly StepTypeInfo[] {
  return STEP_CATALOG;
}

/**
 * True when `type` is in the catalogue.
 *
 * @example
 * ```ts
 * if (!isKnownStepType(step.type)) console.warn("custom action");
 * ```
 */
export function isKnownStepType(type: string): type is KnownStepType {
  return BY_TYPE.has(type.toLowerCase());
}

/**
 * The setting of a step type for a `defaultVarList` property, case-insensitively: the setting with
 * that property, else the one whose action variable or MDT name equals it (MDT files write
 * `SMSTSRunCommandLineUserName` as the property of Run Command Line's `UserName`).
 *
 * @example
 * ```ts
 * findSetting(getStepTypeInfo("SMS_TaskSequence_RebootAction")!, "Target")?.variable; // "SMSRebootTarget"
 * findSetting(getStepTypeInfo("SMS_TaskSequence_RunCommandLineAction")!, "SMSTSRunCommandLineUserPassword")?.kind; // "secret"
 * ```
 */
export function findSetting(info: StepTypeInfo, property: string): SettingInfo | undefined {
  const key = property.toLowerCase();
  return (
    info.settings.find((s) => s.property.toLowerCase() === key) ??
    info.settings.find((s) => s.variable.toLowerCase() === key || (s.mdtNames ?? []).some((n) => n.toLowerCase() === key))
  );
}
