import type { LayerVariable } from "./types.js";

/** One entry of the built-in variable catalogue (spec/builtin-variables.md). */
export interface BuiltinVariable {
  /** The name, in its documented casing. */
  readonly name: string;
  /** True for `_` names: only the engine writes them. */
  readonly readOnly: boolean;
  /** Who writes it and when ("engine, start", "Set Dynamic Variables", "users; read by …"). */
  readonly setBy: string;
  /** What it means. */
  readonly meaning: string;
  /** The value when nobody has set it; absent means "unset". */
  readonly defaultValue?: string;
  /** The value is secret (passwords). */
  readonly secret?: boolean;
  /** Documented as deprecated: accepted, kept, and the validator warns. */
  readonly deprecated?: boolean;
}

/**
 * The built-in variable catalogue of spec/builtin-variables.md §1–§3 and §5: engine state,
 * step-written read-only variables, Check Readiness results, underscore action variables,
 * engine control variables and deprecated names. Data for the engine (defaults) and the linter.
 *
 * @example
 * ```ts
 * builtinVariables.find((v) => v.name === "SMSTSDownloadRetryCount")?.defaultValue; // "2"
 * ```
 */
export const builtinVariables: readonly BuiltinVariable[] = Object.freeze([
  { name: "_SMSTSAdvertID", readOnly: true, setBy: "engine, start", meaning: "Deployment ID, e.g. ABC20001." },
  { name: "_SMSTSPackageID", readOnly: true, setBy: "engine, start", meaning: "ID of the running task sequence, e.g. HJT00001 (export property PackageID). stays the top-level task sequence's ID while child task sequences run." },
  { name: "_SMSTSPackageName", readOnly: true, setBy: "engine, start", meaning: "Task sequence name (export property Name)." },
  { name: "_SMSTSBootImageID", readOnly: true, setBy: "engine, start", meaning: "Boot image package ID if the task sequence references one (export property BootImageID)." },
  { name: "_SMSTSType", readOnly: true, setBy: "engine, start", meaning: "1 = generic, 2 = operating system deployment (export property Type)." },
  { name: "_SMSTSCurrentActionName", readOnly: true, setBy: "engine, before each step (also for a step that is then skipped)", meaning: "Name of the step about to run, e.g. run command line." },
  { name: "_SMSTSLastActionName", readOnly: true, setBy: "engine, after each step that ran", meaning: "Name of the last step that ran. Pairs with _SMSTSLastActionRetCode." },
  { name: "_SMSTSLastActionRetCode", readOnly: true, setBy: "engine, after each step that ran", meaning: "Return code of the last step that ran, e.g. 0; usable in conditions. written as a signed 32-bit decimal (an HRESULT failure such as 0x80070002 reads -2147024894, as in smsts.log)." },
  { name: "_SMSTSLastActionSucceeded", readOnly: true, setBy: "engine, after each step that ran", meaning: "true or false. Not reset when a step is skipped (disabled or condition false); it keeps the previous value. Reflects the step's own result even when the step has continue-on-error (execution.md)." },
  { name: "_SMSTSInWinPE", readOnly: true, setBy: "engine, start and restart", meaning: "true while running in Windows PE, else false." },
  { name: "_SMSTSBootUEFI", readOnly: true, setBy: "engine, start and restart", meaning: "Set when the computer runs in UEFI mode. Typical use: _SMSTSBootUEFI notEquals true means BIOS. true in UEFI mode, false otherwise." },
  { name: "_TSSecureBoot", readOnly: true, setBy: "engine, start and restart", meaning: "NA (the registry value is absent: no Secure Boot support), Enabled or Disabled." },
  { name: "_SMSTSLaunchMode", readOnly: true, setBy: "engine, start", meaning: "SMS (client / Software Center), UFD, UFD+FORMAT, CD, DVD, PXE, HD (prestaged media)." },
  { name: "_SMSTSMediaType", readOnly: true, setBy: "engine, start", meaning: "BootMedia, FullMedia, PXE, OEMMedia." },
  { name: "_SMSTSUserStarted", readOnly: true, setBy: "engine, start", meaning: "Only when _SMSTSLaunchMode=SMS: true = a user started it from Software Center, false = the scheduler did." },
  { name: "_SMSTSLogPath", readOnly: true, setBy: "engine, start, restart and phase changes", meaning: "Full path of the current log folder; changes by phase (logging.md)." },
  { name: "_SMSTSMachineName", readOnly: true, setBy: "engine, start", meaning: "Computer name used for status messages. Use OSDComputerName to name the new OS." },
  { name: "_SMSTSClientGUID", readOnly: true, setBy: "engine, start", meaning: "ConfigMgr client GUID." },
  { name: "_SMSTSSiteCode", readOnly: true, setBy: "engine, start", meaning: "Site code, e.g. ABC." },
  { name: "_SMSTSMP", readOnly: true, setBy: "engine, start", meaning: "Management point URL or IP." },
  { name: "_SMSTSMPPort", readOnly: true, setBy: "engine, start", meaning: "Management point port." },
  { name: "_SMSTSUseSSL", readOnly: true, setBy: "engine, start", meaning: "true when the management point uses HTTPS." },
  { name: "_SMSTSUseCRL", readOnly: true, setBy: "engine, start", meaning: "Whether the CRL is checked with HTTPS." },
  { name: "_SMSTSOrgName", readOnly: true, setBy: "engine, start", meaning: "Branding title shown in the progress UI." },
  { name: "_SMSTSTimezone", readOnly: true, setBy: "engine, start", meaning: "Bias,StandardBias,DaylightBias,StandardDate(8 fields),DaylightDate(8 fields),StandardName,DaylightName, e.g. 300,0,-60,0,11,0,1,2,0,0,0,0,3,0,2,2,0,0,0,Eastern Standard Time,Eastern Daylight Time." },
  { name: "_SMSTSDownloadOnDemand", readOnly: true, setBy: "engine, start", meaning: "true in download-on-demand mode." },
  { name: "_SMSTSRunFromDP", readOnly: true, setBy: "engine, start", meaning: "true in run-from-distribution-point mode." },
  { name: "_SMSTSClientCache", readOnly: true, setBy: "engine, start", meaning: "Path of the local content cache." },
  { name: "_SMSTSMDataPath", readOnly: true, setBy: "engine, start", meaning: "Temporary and cache path, derived from SMSTSLocalDataDrive." },
  { name: "_SMSTSLastContentDownloadLocation", readOnly: true, setBy: "engine, after each content download", meaning: "Last location content was downloaded (or attempted) from." },
  { name: "_SMSTSWTG", readOnly: true, setBy: "engine, start", meaning: "Whether running as Windows To Go." },
  { name: "_SMSTSSetupRollback", readOnly: true, setBy: "Upgrade Operating System", meaning: "true or false: Windows Setup rolled back during an in-place upgrade." },
  { name: "_OSDDetectedWinDir", readOnly: true, setBy: "engine, when Windows PE starts", meaning: "Windows folder of a previously installed OS found on the disks." },
  { name: "_OSDDetectedWinDrive", readOnly: true, setBy: "engine, when Windows PE starts", meaning: "Drive of that installation." },
  { name: "_SMSTSUserStatePath", readOnly: true, setBy: "state capture steps", meaning: "Folder that Apply Operating System Image leaves in place when it wipes the volume." },
  { name: "_SMSTSInstructionTableSize", readOnly: true, setBy: "engine, start (child task sequences are merged before the start)", meaning: "Total number of instructions, used as uMaxStep by the progress UI (COM page iprogressui--showactionprogress-method.md). Counts group entries and exits (execution.md)." },
  { name: "_SMSTSNextInstructionPointer", readOnly: true, setBy: "engine, before each instruction", meaning: "Current instruction index, used as uStep. The COM page spells it SMSTSNextInstructionPointer without the underscore; scripts read _SMSTSNextInstructionPointer. the engine maintains only the underscore form." },
  { name: "_SMSTSCustomProgressDialogMessage", readOnly: true, setBy: "engine, start", meaning: "Custom progress title passed as pszCustomTitle. taken from the task sequence package's CustomProgressMsg property when non-empty, otherwise unset." },
  { name: "_SMSTSTaskSequence", readOnly: true, setBy: "engine, start", meaning: "Observed in public scripts: the full task sequence XML, readable by scripts. the running (merged) sequence serialized as version 3.10 XML with every secret value written empty." },
  { name: "_SMSTSOSUpgradeActionReturnCode", readOnly: true, setBy: "Upgrade Operating System", meaning: "Windows Setup exit code, as an unsigned decimal. With the compatibility scan (/Compat ScanOnly) a clean result is 3247440400 (= 0xC1900210, MOSETUP_E_COMPAT_SCANONLY). See steps.md." },
  { name: "_SMSTSAppInstallNeedsRetry", readOnly: true, setBy: "Install Application (2211 hotfix rollup and later)", meaning: "true if the previous application failed and must be retried, else false." },
  { name: "_TSAppInstallStatus", readOnly: true, setBy: "Install Application", meaning: "Undefined (not run), Error (at least one application failed), Warning (no errors, but an application or dependency was skipped because a requirement wasn't met), Success.", defaultValue: "Undefined" },
  { name: "_SMSTSMake", readOnly: true, setBy: "Set Dynamic Variables", meaning: "Computer manufacturer." },
  { name: "_SMSTSModel", readOnly: true, setBy: "Set Dynamic Variables", meaning: "Computer model." },
  { name: "_SMSTSSerialNumber", readOnly: true, setBy: "Set Dynamic Variables", meaning: "Serial number." },
  { name: "_SMSTSAssetTag", readOnly: true, setBy: "Set Dynamic Variables", meaning: "Asset tag." },
  { name: "_SMSTSUUID", readOnly: true, setBy: "Set Dynamic Variables", meaning: "SMBIOS UUID." },
  { name: "_SMSTSMacAddresses", readOnly: true, setBy: "Set Dynamic Variables", meaning: "MAC addresses of the network adapters. comma-separated, in adapter enumeration order, format 00:11:22:33:44:55." },
  { name: "_SMSTSIPAddresses", readOnly: true, setBy: "Set Dynamic Variables", meaning: "IP addresses. comma-separated." },
  { name: "_SMSTSDefaultGateways", readOnly: true, setBy: "Set Dynamic Variables", meaning: "Default gateways. comma-separated." },
  { name: "_TS_CRMEMORY", readOnly: true, setBy: "Check Readiness", meaning: "Minimum memory: 1 = passed, 0 = failed, unset = not enabled." },
  { name: "_TS_CRSPEED", readOnly: true, setBy: "Check Readiness", meaning: "Minimum processor speed (MHz): 1 = passed, 0 = failed, unset = not enabled." },
  { name: "_TS_CRDISK", readOnly: true, setBy: "Check Readiness", meaning: "Minimum free disk space: 1 = passed, 0 = failed, unset = not enabled." },
  { name: "_TS_CROSTYPE", readOnly: true, setBy: "Check Readiness", meaning: "OS type (client or server): 1 = passed, 0 = failed, unset = not enabled." },
  { name: "_TS_CRARCH", readOnly: true, setBy: "Check Readiness", meaning: "Architecture: 1 = passed, 0 = failed, unset = not enabled." },
  { name: "_TS_CRMINOSVER", readOnly: true, setBy: "Check Readiness", meaning: "Minimum OS version: 1 = passed, 0 = failed, unset = not enabled." },
  { name: "_TS_CRMAXOSVER", readOnly: true, setBy: "Check Readiness", meaning: "Maximum OS version: 1 = passed, 0 = failed, unset = not enabled." },
  { name: "_TS_CRCLIENTMINVER", readOnly: true, setBy: "Check Readiness", meaning: "Minimum ConfigMgr client version: 1 = passed, 0 = failed, unset = not enabled." },
  { name: "_TS_CROSLANGUAGE", readOnly: true, setBy: "Check Readiness", meaning: "OS language: 1 = passed, 0 = failed, unset = not enabled." },
  { name: "_TS_CRACPOWER", readOnly: true, setBy: "Check Readiness", meaning: "On AC power: 1 = passed, 0 = failed, unset = not enabled." },
  { name: "_TS_CRNETWORK", readOnly: true, setBy: "Check Readiness", meaning: "A network adapter is connected: 1 = passed, 0 = failed, unset = not enabled." },
  { name: "_TS_CRWIRED", readOnly: true, setBy: "Check Readiness", meaning: "The connected adapter is not wireless: 1 = passed, 0 = failed, unset = not enabled." },
  { name: "_TS_CRUEFI", readOnly: true, setBy: "Check Readiness", meaning: "1 = UEFI, 0 = BIOS: 1 = passed, 0 = failed, unset = not enabled." },
  { name: "_TS_CRTPMENABLED", readOnly: true, setBy: "Check Readiness", meaning: "TPM 2.0 or later is enabled (2111+): 1 = passed, 0 = failed, unset = not enabled." },
  { name: "_TS_CRTPMACTIVATED", readOnly: true, setBy: "Check Readiness", meaning: "TPM 2.0 or later is activated (2111+): 1 = passed, 0 = failed, unset = not enabled." },
  { name: "_SMSTSRunCommandLineAsUser", readOnly: true, setBy: "engine, as Run Command Line step default (RunAsUser (older MDT files use the name RunAsUser))", meaning: "Action variable of Run Command Line." },
  { name: "_SMSTSRunPowerShellAsUser", readOnly: true, setBy: "engine, as Run PowerShell Script step default (RunAsUser)", meaning: "Action variable of Run PowerShell Script." },
  { name: "_OSDMigrateUsmtPackageID", readOnly: true, setBy: "engine, as Capture User State step default (UsmtPackageID (required))", meaning: "Action variable of Capture User State." },
  { name: "_OSDMigrateUsmtRestorePackageID", readOnly: true, setBy: "engine, as Restore User State step default (UsmtRestorePackageID (required))", meaning: "Action variable of Restore User State." },
  { name: "_OSDMigrateUseHardlinks", readOnly: true, setBy: "engine, as Capture User State step default (UseHardlinks)", meaning: "Action variable of Capture User State." },
  { name: "_OSDMigrateOfflineUserState", readOnly: true, setBy: "engine, as Capture User State step default (OfflineUserState)", meaning: "Action variable of Capture User State." },
  { name: "_SMSSWDProgramName", readOnly: true, setBy: "engine, as Install Package step default (ProgramName)", meaning: "Action variable of Install Package." },
  { name: "_SMSClientPackageID", readOnly: true, setBy: "engine, as Setup Windows and ConfigMgr step default (ClientPackageID)", meaning: "Action variable of Setup Windows and ConfigMgr." },
  { name: "SMSTSDownloadRetryCount", readOnly: false, setBy: "users; read by engine, content download", meaning: "Number of retries when downloading content from a distribution point.", defaultValue: "2" },
  { name: "SMSTSDownloadRetryDelay", readOnly: false, setBy: "users; read by engine, content download", meaning: "Seconds between download retries.", defaultValue: "15" },
  { name: "SMSTSDownloadProgram", readOnly: false, setBy: "users; read by engine, content download", meaning: "Alternate content provider executable the engine runs to download content." },
  { name: "SMSTSDownloadAbortCode", readOnly: false, setBy: "users; read by engine, content download", meaning: "If the alternate content provider returns this code, the download fails and no other method is tried." },
  { name: "SMSTSAllowTokenAuthURLForACP", readOnly: false, setBy: "users; read by engine, content download (2203+)", meaning: "Allow token-authentication sources for the alternate content provider.", defaultValue: "false" },
  { name: "SMSTSAssignmentsDownloadInterval", readOnly: false, setBy: "users; read by engine, policy download", meaning: "Seconds to wait before downloading policy again after an empty result. Can be set from a prestart command.", defaultValue: "0" },
  { name: "SMSTSAssignmentsDownloadRetry", readOnly: false, setBy: "users; read by engine, policy download", meaning: "Policy download retries after an empty result.", defaultValue: "0" },
  { name: "SMSTSPreferredAdvertID", readOnly: false, setBy: "users; read by engine, start", meaning: "Force a specific deployment to run (set from a prestart command or PXE). Overrides required deployments." },
  { name: "SMSTSErrorDialogTimeout", readOnly: false, setBy: "users; read by engine, final failure", meaning: "Seconds before the failure dialog closes by itself.", defaultValue: "900" },
  { name: "SMSTSRebootDelay", readOnly: false, setBy: "users; read by engine, engine-initiated restart", meaning: "Seconds before an engine restart; 0 = no notification dialog." },
  { name: "SMSTSRebootDelayNext", readOnly: false, setBy: "users; read by engine, engine-initiated restart", meaning: "Timeout for every restart after the first (e.g. 3600 for the first, then 60)." },
  { name: "SMSTSRebootMessage", readOnly: false, setBy: "users; read by engine, engine-initiated restart", meaning: "Message in the engine's restart dialog." },
  { name: "SMSTSRebootRequested", readOnly: false, setBy: "users; read by engine, after each step", meaning: "Set during a step to restart after that step: HD = restart into the installed OS, WinPE = restart into the boot image. Execution resumes at the next step." },
  { name: "SMSTSRetryRequested", readOnly: false, setBy: "users; read by engine, after each step", meaning: "Set together with SMSTSRebootRequested: after the restart the same step runs again." },
  { name: "SMSTSPostAction", readOnly: false, setBy: "users; read by engine, exit", meaning: "Command TSManager spawns just before it exits. No wait, no status (e.g. shutdown.exe /r /t 30 /f)." },
  { name: "SMSTSDisableStatusRetry", readOnly: false, setBy: "users; read by engine, status messages", meaning: "true: after the first failed status send (which itself includes retries), stop sending status. Persists across restarts; after a restart one send is attempted again. Failed messages are not queued.", defaultValue: "false" },
  { name: "SMSTSDisableWow64Redirection", readOnly: false, setBy: "users; read by Run Command Line; file, folder and registry conditions", meaning: "Use native 64-bit paths.", defaultValue: "false" },
  { name: "SMSTSLocalDataDrive", readOnly: false, setBy: "users; read by engine, start", meaning: "Where temporary and cache files go. Must be set before the task sequence starts (e.g. collection variable). Drives _SMSTSMDataPath." },
  { name: "SMSTSPersistContent", readOnly: false, setBy: "users; read by engine", meaning: "Keep content in the task sequence cache for the duration of the run." },
  { name: "SMSTSPreserveContent", readOnly: false, setBy: "users; read by engine", meaning: "true: keep content in the client cache after the run." },
  { name: "SMSTSPeerDownload", readOnly: false, setBy: "users; read by engine", meaning: "true: enable Windows PE peer cache." },
  { name: "SMSTSPeerRequestPort", readOnly: false, setBy: "users; read by engine", meaning: "Peer cache broadcast port.", defaultValue: "8004" },
  { name: "SMSTSMP", readOnly: false, setBy: "users; read by engine", meaning: "Management point URL or IP override." },
  { name: "SMSTSMPListRequestTimeoutEnabled", readOnly: false, setBy: "users; read by Install Application, Install Software Updates", meaning: "Allow repeated MP list refresh.", defaultValue: "True" },
  { name: "SMSTSMPListRequestTimeout", readOnly: false, setBy: "users; read by Install Application, Install Software Updates", meaning: "Milliseconds to wait before retrying an MP list fetch; up to 3 retries.", defaultValue: "60000" },
  { name: "SMSTSLanguageFolder", readOnly: false, setBy: "users; read by engine, progress UI", meaning: "Display language of a language-neutral boot image." },
  { name: "SMSTSAssignUsersMode", readOnly: false, setBy: "users; read by engine", meaning: "User device affinity: Auto, Pending or Disabled." },
  { name: "SMSTSUDAUsers", readOnly: false, setBy: "users; read by engine", meaning: "Primary users, DOMAIN\\user[, …]." },
  { name: "SMSTSWaitCcmexecOperationalTimeout", readOnly: false, setBy: "users; read by engine, after Setup Windows and ConfigMgr", meaning: "Seconds to wait for the client service to be fully started.", defaultValue: "1800" },
  { name: "SMSTSUninstallCCMClient", readOnly: false, setBy: "users; read by Prepare ConfigMgr Client for Capture", meaning: "TRUE: remove the client after the next restart (OS deployment task sequences only)." },
  { name: "TSDebugMode", readOnly: false, setBy: "users; read by engine, start", meaning: "TRUE on a collection or device: every task sequence deployed to it runs in debug mode." },
  { name: "TSDebugOnError", readOnly: false, setBy: "users; read by engine, failure", meaning: "TRUE: start the debugger automatically when the task sequence returns an error." },
  { name: "TSDisableProgressUI", readOnly: false, setBy: "users; read by engine, progress UI", meaning: "true hides progress, false shows it; can be toggled repeatedly." },
  { name: "TSProgressInfoLevel", readOnly: false, setBy: "users; read by engine, progress UI", meaning: "1 = \"2 of 10\"; 2 = \"2 of 10 (20% complete)\"; 3 = \"(20% complete)\"." },
  { name: "TSErrorOnWarning", readOnly: false, setBy: "users; read by Install Application", meaning: "True: _TSAppInstallStatus=Warning becomes a step error.", defaultValue: "False" },
  { name: "TSUEFIDrive", readOnly: false, setBy: "users; read by Format and Partition Disk, Restart Computer", meaning: "A FAT32 partition whose \"variable\" is TSUEFIDrive is prepared by the next restart for the BIOS to UEFI switch (steps.md)." },
  { name: "SetupCompletePause", readOnly: false, setBy: "users; read by Upgrade Operating System", meaning: "Seconds setupcomplete waits before the task sequence resumes." },
  { name: "OSDDoNotLogCommand", readOnly: false, setBy: "users; read by Run Command Line, Install Package", meaning: "TRUE: mask the command line (Run Command Line) and the program name (Install Package) in the log." },
  { name: "OSDLogPowerShellParameters", readOnly: false, setBy: "users; read by Run PowerShell Script", meaning: "TRUE: log the script parameters (secret spans still masked).", defaultValue: "false" },
  { name: "SMSTSRunCommandLineAsUser", readOnly: false, setBy: "users; read by Run Command Line", meaning: "true: later Run Command Line steps run as SMSTSRunCommandLineUserName; false: the step setting applies." },
  { name: "SMSTSRunCommandLineUserName", readOnly: false, setBy: "users; read by Run Command Line", meaning: "user or domain\\user." },
  { name: "SMSTSRunCommandLineUserPassword", readOnly: false, setBy: "users; read by Run Command Line", meaning: "Password for the run-as account.", secret: true },
  { name: "SMSTSRunPowerShellAsUser", readOnly: false, setBy: "users; read by Run PowerShell Script", meaning: "As above for PowerShell; the step's \"Run as\" option must also be enabled (any placeholder account will do)." },
  { name: "SMSTSRunPowerShellUserName", readOnly: false, setBy: "users; read by Run PowerShell Script", meaning: "Account name." },
  { name: "SMSTSRunPowerShellUserPassword", readOnly: false, setBy: "users; read by Run PowerShell Script", meaning: "Password.", secret: true },
  { name: "OSDAllowUnsignedDriver", readOnly: false, setBy: "users (deprecated)", meaning: "Deprecated: accepted and kept; the validator warns.", deprecated: true },
  { name: "OSDBuildStorageDriverList", readOnly: false, setBy: "users (deprecated)", meaning: "Deprecated: accepted and kept; the validator warns.", deprecated: true },
  { name: "OSDDiskpartBiosCompatibilityMode", readOnly: false, setBy: "users (deprecated)", meaning: "Deprecated: accepted and kept; the validator warns.", deprecated: true },
  { name: "OSDInstallEditionIndex", readOnly: false, setBy: "users (deprecated)", meaning: "Deprecated: accepted and kept; the validator warns.", deprecated: true },
  { name: "OSDPreserveDriveLetter", readOnly: false, setBy: "users (deprecated)", meaning: "Deprecated: accepted and kept; the validator warns.", deprecated: true },
]);

const byKey: ReadonlyMap<string, BuiltinVariable> = new Map(builtinVariables.map((v) => [v.name.toUpperCase(), v]));

/**
 * Looks a name up in {@link builtinVariables}, case-insensitively.
 *
 * @example
 * ```ts
 * findBuiltinVariable("_smstsinwinpe")?.readOnly; // true
 * ```
 */
export function findBuiltinVariable(name: string): BuiltinVariable | undefined {
  return byKey.get(name.trim().toUpperCase());
}

/**
 * The built-in default layer (spec/variables.md §7, lowest priority): every catalogue variable
 * with a documented default. That includes read-only variables whose default is a value rather
 * than "unset" (`_TSAppInstallStatus=Undefined`, spec/builtin-variables.md §2): they exist from
 * the run start, and only the engine (or the step that owns them) writes them afterwards.
 */
export const builtinDefaults: readonly LayerVariable[] = Object.freeze(
  builtinVariables
    .filter((v) => v.defaultValue !== undefined)
    .map((v) => Object.freeze({ name: v.name, value: v.defaultValue ?? "" })),
);
