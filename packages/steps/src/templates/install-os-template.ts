/**
 * The "Install an existing image package" wizard template and the "Build and capture a reference
 * operating system image" template.
 */
import { createCondition, createGroup, createSequence, createStep, variableCondition, type Step, type TaskSequence } from "@taskseq/model";

/** Options of {@link createInstallOsTemplate}. */
export interface InstallOsTemplateOptions {
  /** Task sequence name. */
  readonly name?: string;
  /** OS image package ID. */
  readonly imagePackageId: string;
  /** Image index (default 1). */
  readonly imageIndex?: number;
  /** ConfigMgr client package ID. */
  readonly clientPackageId: string;
  /** Client installation properties. */
  readonly clientInstallProperties?: string;
  /** Join this domain (with `joinAccount`); otherwise the workgroup `WORKGROUP`. */
  readonly domain?: string;
  /** Domain join account. */
  readonly joinAccount?: string;
  /** Applications to install after setup, in order. */
  readonly applications?: readonly string[];
  /** Capture and restore user state through a state migration point (refresh scenario). */
  readonly userState?: {
    /** The USMT package ID. */
    readonly usmtPackageId: string;
  };
}

/** Partition steps for UEFI (GPT: EFI, MSR, Windows, Recovery) and BIOS (MBR: System, Windows). */
function partitionSteps(): Step[] {
  return [
    createStep(
      "SMS_TaskSequence_PartitionDiskAction",
      {
        DiskIndex: 0,
        PartitionStyle: "GPT",
        GPTBootDisk: true,
        Partitions: 4,
        PartitionList: [
          { Type: "EFI", FileSystem: "FAT32", Size: 500, SizeUnits: "MB", Bootable: false, QuickFormat: true },
          { Type: "MSR", Size: 128, SizeUnits: "MB", Bootable: false, QuickFormat: true },
          { Type: "Primary", FileSystem: "NTFS", Size: 99, SizeUnits: "Percent", Bootable: true, QuickFormat: true, VolumeName: "Windows", VolumeLetterVariable: "OSDisk" },
          { Type: "Recovery", FileSystem: "NTFS", Size: 100, SizeUnits: "Percent", Bootable: false, QuickFormat: true, VolumeName: "Recovery", AssignVolumeLetter: false },
        ],
      },
      { name: "Partition Disk 0 - UEFI", condition: createCondition(variableCondition("_SMSTSBootUEFI", "equals", "true")) },
    ),
    createStep(
      "SMS_TaskSequence_PartitionDiskAction",
      {
        DiskIndex: 0,
        PartitionStyle: "MBR",
        Partitions: 2,
        PartitionList: [
          { Type: "Primary", FileSystem: "NTFS", Size: 350, SizeUnits: "MB", Bootable: true, QuickFormat: true, VolumeName: "System Reserved", AssignVolumeLetter: false },
          { Type: "Primary", FileSystem: "NTFS", Size: 100, SizeUnits: "Percent", Bootable: false, QuickFormat: true, VolumeName: "Windows", VolumeLetterVariable: "OSDisk" },
        ],
      },
      { name: "Partition Disk 0 - BIOS", condition: createCondition(variableCondition("_SMSTSBootUEFI", "notEquals", "true")) },
    ),
  ];
}

/**
 * Builds the install-an-OS task sequence: restart into Windows PE when started from the full OS,
 * (optional) capture user state, partition (UEFI or BIOS), apply the image to `OSDisk`, Windows
 * and network settings, drivers, Setup Windows and ConfigMgr, (optional) restore user state, and
 * the applications.
 *
 * @param options - image, client package, domain, applications, user state
 * @example
 * ```ts
 * const seq = createInstallOsTemplate({ imagePackageId: "CM100012", clientPackageId: "CM100020" });
 * ```
 */
export function createInstallOsTemplate(options: InstallOsTemplateOptions): TaskSequence {
  const inFullOs = createCondition(variableCondition("_SMSTSInWinPE", "equals", "false"));
  const capture = options.userState === undefined ? [] : [createGroup("Capture Files and Settings", [
    createStep("SMS_TaskSequence_RequestStateStoreAction", { RequestType: "capture", SMPRetryCount: 3, SMPRetryTime: 60 }, { name: "Request State Store" }),
    createStep("SMS_TaskSequence_CaptureUserStateAction", { UsmtPackageID: options.userState.usmtPackageId }, { name: "Capture User Files and Settings", continueOnError: true }),
    createStep("SMS_TaskSequence_ReleaseStateStoreAction", {}, { name: "Release State Store" }),
  ], { condition: inFullOs })];
  const restore = options.userState === undefined ? [] : [createGroup("Restore User Files and Settings", [
    createStep("SMS_TaskSequence_RequestStateStoreAction", { RequestType: "restore", SMPRetryCount: 3, SMPRetryTime: 60 }, { name: "Request State Store" }),
    createStep("SMS_TaskSequence_RestoreUserStateAction", { UsmtRestorePackageID: options.userState.usmtPackageId }, { name: "Restore User Files and Settings", continueOnError: true }),
    createStep("SMS_TaskSequence_ReleaseStateStoreAction", {}, { name: "Release State Store" }),
  ])];
  const network = options.domain === undefined
    ? createStep("SMS_TaskSequence_ApplyNetworkSettingsAction", { NetworkJoinType: 1, WorkgroupName: "WORKGROUP" }, { name: "Apply Network Settings" })
    : createStep("SMS_TaskSequence_ApplyNetworkSettingsAction", { NetworkJoinType: 0, DomainName: options.domain, DomainUsername: options.joinAccount ?? "" }, { name: "Apply Network Settings" });
  const apps = (options.applications ?? []).length === 0 ? [] : [createStep("SMS_TaskSequence_InstallApplicationAction", { ApplicationName: (options.applications ?? []).join(","), NumApps: (options.applications ?? []).length }, { name: "Install Applications" })];
  return createSequence(
    [
      ...capture,
      createStep("SMS_TaskSequence_RebootAction", { Target: "WinPE", MessageTimeout: 60 }, { name: "Restart in Windows PE", condition: inFullOs }),
      ...partitionSteps(),
      createStep("SMS_TaskSequence_ApplyOperatingSystemAction", { ImagePackageID: options.imagePackageId, ImageIndex: options.imageIndex ?? 1 }, { name: "Apply Operating System" }),
      createStep("SMS_TaskSequence_ApplyWindowsSettingsAction", { RandomAdminPassword: true }, { name: "Apply Windows Settings" }),
      network,
      createStep("SMS_TaskSequence_AutoApplyAction", { BestMatch: true }, { name: "Apply Device Drivers" }),
      createStep("SMS_TaskSequence_SetupWindowsAndSMSAction", { ClientPackageID: options.clientPackageId, ClientInstallProperties: options.clientInstallProperties ?? "" }, { name: "Setup Windows and ConfigMgr" }),
      ...restore,
      ...apps,
    ],
    { name: options.name ?? "Install Windows" },
  );
}

/** Options of {@link createBuildAndCaptureTemplate}. */
export interface BuildAndCaptureTemplateOptions extends Omit<InstallOsTemplateOptions, "domain" | "joinAccount" | "userState"> {
  /** Where the captured `.wim` goes (`\\server\share\image.wim`). */
  readonly captureDestination: string;
  /** Account that writes the capture (its password is entered in the console / a secret variable). */
  readonly captureAccount?: string;
}

/**
 * Builds the build-and-capture task sequence: install the OS in a workgroup, install updates
 * and applications, prepare the client and Windows for capture (sysprep, restart into Windows
 * PE) and capture the image.
 *
 * @param options - image, client, applications, capture destination
 * @example
 * ```ts
 * const seq = createBuildAndCaptureTemplate({ imagePackageId: "CM100012", clientPackageId: "CM100020", captureDestination: "\\\\srv\\captures\\ref.wim" });
 * ```
 */
export function createBuildAndCaptureTemplate(options: BuildAndCaptureTemplateOptions): TaskSequence {
  const install = createInstallOsTemplate({ ...options, name: options.name ?? "Build and Capture" });
  return createSequence(
    [
      ...install.items,
      createStep("SMS_TaskSequence_InstallUpdateAction", { Target: "All" }, { name: "Install Updates" }),
      createGroup("Capture the Reference Machine", [
        createStep("SMS_TaskSequence_PrepareSMSClientAction", {}, { name: "Prepare ConfigMgr Client" }),
        createStep("SMS_TaskSequence_PrepareOSAction", { KeepActivation: false }, { name: "Prepare Operating System" }),
        createStep("SMS_TaskSequence_CaptureSystemImageAction", { CaptureDestination: options.captureDestination, CaptureUsername: options.captureAccount ?? "" }, { name: "Capture the Reference Machine" }),
      ]),
    ],
    { name: options.name ?? "Build and Capture" },
  );
}
