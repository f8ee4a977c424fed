/**
 * Class names the importer recognises (spec/xml-format.md §3.5, spec/steps.md, spec/conditions.md §3
 * and §5). Anything else is preserved and reported.
 */

const STEP_TYPES = [
  ...[
    "RunCommandLine", "Reboot", "PartitionDisk", "SetVariable", "EnableBitLocker", "RunPowerShellScript", "SetDynamicVariables",
    "ApplyNetworkSettings", "DownloadPackageContent", "InstallSoftware", "DisableBitLocker", "JoinDomainWorkgroup", "InstallApplication",
    "SetupWindowsAndSMS", "UpgradeOperatingSystem", "CaptureNetworkSettings", "ApplyWindowsSettings", "ConnectNetworkFolder", "PrestartCheck",
    "InstallUpdate", "ConvertDisk", "OfflineEnableBitLocker", "RequestStateStore", "CaptureUserState", "RestoreUserState", "ReleaseStateStore",
    "ApplyOperatingSystem", "ApplyDataImage", "InstallDeployTools", "PrepareSMSClient", "PrepareOS", "CaptureSystemImage", "AutoApply",
    "ApplyDriverPackage", "CaptureWindowsSettings",
  ].map((n) => `SMS_TaskSequence_${n}Action`),
  "SMS_TaskSequence_SubTasksequence",
  ...[
    "Gather", "Validate", "InstallOS", "InstallApplication", "InjectDrivers", "InstallRoles", "UninstallRoles", "RunPowerShellAction",
    "InstallUpdatesOffline", "InstallLanguagePacksOffline", "InstallLanguagePacksOnline", "RecoverDomainJoin", "UsePackage", "ExecuteRunbook",
    "ConfigureADDS", "ConfigureDNS", "ConfigureDHCP",
  ].map((n) => `BDD_${n}`),
];

const EXPRESSION_TYPES = ["Variable", "WMI", "File", "Folder", "Registry", "Software", "OS", "Computer", "MakeModel"].map(
  (n) => `SMS_TaskSequence_${n}ConditionExpression`,
);

const KNOWN_STEP_TYPES: ReadonlySet<string> = new Set(STEP_TYPES);
const KNOWN_EXPRESSION_TYPES: ReadonlySet<string> = new Set(EXPRESSION_TYPES);
const KNOWN_OPERATORS: ReadonlySet<string> = new Set(["and", "or", "not"]);
const KNOWN_COMPARISONS: ReadonlySet<string> = new Set(
  ["exists", "notExists", "nonExists", "equals", "notEquals", "less", "lessEqual", "greater", "greaterEqual", "like", "notLike", "AnyVersion", "ThisVersion"].map((s) =>
    s.toLowerCase(),
  ),
);

/** True for a step class the SDK knows (the empty string is the untyped MDT command step). */
export function isKnownStepType(type: string): boolean {
  return type === "" || KNOWN_STEP_TYPES.has(type);
}

/** True for a known condition expression class. */
export function isKnownExpressionType(type: string): boolean {
  return KNOWN_EXPRESSION_TYPES.has(type);
}

/** True for `and`, `or`, `not` in any letter case. */
export function isKnownOperator(type: string): boolean {
  return KNOWN_OPERATORS.has(type.toLowerCase());
}

/** True for a comparison operator name or alias (conditions.md §4.1), any letter case. */
export function isKnownComparison(value: string): boolean {
  return KNOWN_COMPARISONS.has(value.toLowerCase());
}
