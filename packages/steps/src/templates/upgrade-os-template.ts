/**
 * The "Upgrade an operating system from an upgrade package" wizard template (memdocs upgrade TS):
 * Prepare for Upgrade, optional compatibility assessment, Upgrade, Post-Processing, Rollback and
 * Run Actions on Failure.
 */
import { createCondition, createGroup, createSequence, createStep, variableCondition, type TaskSequence } from "@taskseq/model";
import { COMPAT_SCAN_SUCCESS } from "../handlers/upgrade-operating-system.js";

/** Options of {@link createUpgradeOsTemplate}. */
export interface UpgradeOsTemplateOptions {
  /** Task sequence name. */
  readonly name?: string;
  /** The OS upgrade package ID. */
  readonly upgradePackageId: string;
  /** Edition index in the upgrade package (default 1). */
  readonly editionIndex?: number;
  /** Add the inline compatibility assessment (scan only + fail with Setup's code), default `true`. */
  readonly compatibilityAssessment?: boolean;
  /** Minimum free disk space in MB checked before the upgrade (default 20000). */
  readonly minFreeDiskSpaceMb?: number;
}

/**
 * Builds the in-place upgrade task sequence:
 *
 * - **Prepare for Upgrade**: *Battery checks* (Check Readiness: on AC power), *Network/wired
 *   connection checks* (connected, not wireless), *Remove incompatible applications*, *Remove
 *   incompatible drivers*, *Remove/suspend third-party security* (empty groups to fill in), and
 *   the optional **Upgrade assessment** (Upgrade Operating System with scan only and continue on
 *   error, then `cmd /c exit %_SMSTSOSUpgradeActionReturnCode%` when the code is not 3247440400).
 * - **Upgrade the Operating System** (continue on error, so the groups below decide what follows).
 * - **Post-Processing**: runs when Setup returned 0 (`_SMSTSOSUpgradeActionReturnCode equals 0`).
 * - **Rollback**: runs when `_SMSTSSetupRollback equals true` (records `UpgradeRolledBack=true`; add your own steps).
 * - **Run Actions on Failure**: when Setup returned anything else, ends the run with Setup's code.
 *
 * @param options - upgrade package, edition and assessment
 * @example
 * ```ts
 * const seq = createUpgradeOsTemplate({ upgradePackageId: "CM100030" });
 * await createEngine({ device, handlers: createBuiltinHandlers() }).run(seq);
 * ```
 */
export function createUpgradeOsTemplate(options: UpgradeOsTemplateOptions): TaskSequence {
  const upgrade = (scanOnly: boolean, name: string, continueOnError: boolean) =>
    createStep(
      "SMS_TaskSequence_UpgradeOperatingSystemAction",
      { InstallPackageID: options.upgradePackageId, InstallEditionIndex: options.editionIndex ?? 1, ScanOnly: scanOnly, IgnoreMessages: false, DynamicUpdateSettings: "Disable", PreserveSettings: "Upgrade" },
      { name, continueOnError },
    );
  const failWithSetupCode = (name: string) => createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "cmd /c exit %_SMSTSOSUpgradeActionReturnCode%" }, { name });
  const assessment =
    options.compatibilityAssessment === false
      ? []
      : [
          upgrade(true, "Upgrade assessment", true),
          createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "cmd /c exit %_SMSTSOSUpgradeActionReturnCode%" }, {
            name: "Fail if the assessment found issues",
            condition: createCondition(variableCondition("_SMSTSOSUpgradeActionReturnCode", "notEquals", String(COMPAT_SCAN_SUCCESS))),
          }),
        ];
  const prepare = createGroup("Prepare for Upgrade", [
    createGroup("Battery checks", [createStep("SMS_TaskSequence_PrestartCheckAction", { CheckPowerState: true }, { name: "Check for AC power" })]),
    createGroup("Network/wired connection checks", [createStep("SMS_TaskSequence_PrestartCheckAction", { CheckNetworkConnected: true, CheckNetworkWired: true }, { name: "Check for a wired network" })]),
    createGroup("Disk space checks", [createStep("SMS_TaskSequence_PrestartCheckAction", { CheckFreeDiskSpace: true, FreeDiskSpace: options.minFreeDiskSpaceMb ?? 20000 }, { name: "Check free disk space" })]),
    createGroup("Remove incompatible applications"),
    createGroup("Remove incompatible drivers"),
    createGroup("Remove/suspend third-party security"),
    ...assessment,
  ]);
  return createSequence(
    [
      prepare,
      createGroup("Upgrade the Operating System", [upgrade(false, "Upgrade Operating System", false)], { continueOnError: true }),
      createGroup("Post-Processing", [createGroup("Apply setup-based drivers"), createGroup("Set Operating System language")], {
        condition: createCondition(variableCondition("_SMSTSOSUpgradeActionReturnCode", "equals", "0")),
      }),
      createGroup("Rollback", [createStep("SMS_TaskSequence_SetVariableAction", { VariableName: "UpgradeRolledBack", VariableValue: "true" }, { name: "Record the rollback" })], { condition: createCondition(variableCondition("_SMSTSSetupRollback", "equals", "true")) }),
      createGroup("Run Actions on Failure", [failWithSetupCode("Fail with the Setup return code")], {
        condition: createCondition(variableCondition("_SMSTSOSUpgradeActionReturnCode", "notEquals", "0")),
      }),
    ],
    { name: options.name ?? "Upgrade Operating System" },
  );
}
