/**
 * The registry of every built-in handler (`createBuiltinHandlers`), with the command path for
 * untyped MDT steps, `BDD_*` types without an emulation handler and unknown types
 * (spec/steps.md §22.1, §22.3 rule 2, §23).
 */
import type { StepHandler, StepHandlerRegistry } from "@taskseq/engine";
import { applyDataImageHandler } from "./handlers/apply-data-image.js";
import { applyDriverPackageHandler } from "./handlers/apply-driver-package.js";
import { applyNetworkSettingsHandler } from "./handlers/apply-network-settings.js";
import { applyOperatingSystemHandler } from "./handlers/apply-operating-system.js";
import { applyWindowsSettingsHandler } from "./handlers/apply-windows-settings.js";
import { autoApplyDriversHandler } from "./handlers/auto-apply-drivers.js";
import { createGatherHandler } from "./handlers/bdd-gather.js";
import { injectDriversHandler } from "./handlers/bdd-inject-drivers.js";
import { mdtInstallApplicationHandler } from "./handlers/bdd-install-application.js";
import { installOsHandler } from "./handlers/bdd-install-os.js";
import { createMdtPowerShellHandler } from "./handlers/bdd-run-powershell.js";
import { validateHandler } from "./handlers/bdd-validate.js";
import { captureNetworkSettingsHandler } from "./handlers/capture-network-settings.js";
import { captureSystemImageHandler } from "./handlers/capture-system-image.js";
import { captureUserStateHandler } from "./handlers/capture-user-state.js";
import { captureWindowsSettingsHandler } from "./handlers/capture-windows-settings.js";
import { checkReadinessHandler } from "./handlers/check-readiness.js";
import { connectNetworkFolderHandler } from "./handlers/connect-network-folder.js";
import { convertDiskHandler } from "./handlers/convert-disk.js";
import { disableBitLockerHandler } from "./handlers/disable-bitlocker.js";
import { downloadPackageContentHandler } from "./handlers/download-package-content.js";
import { enableBitLockerHandler } from "./handlers/enable-bitlocker.js";
import { formatPartitionDiskHandler } from "./handlers/format-partition-disk.js";
import { installApplicationHandler } from "./handlers/install-application.js";
import { installDeploymentToolsHandler } from "./handlers/install-deployment-tools.js";
import { installPackageHandler } from "./handlers/install-package.js";
import { installSoftwareUpdatesHandler } from "./handlers/install-software-updates.js";
import { joinDomainWorkgroupHandler } from "./handlers/join-domain-workgroup.js";
import { prepareConfigMgrClientHandler } from "./handlers/prepare-configmgr-client.js";
import { prepareWindowsHandler } from "./handlers/prepare-windows.js";
import { preProvisionBitLockerHandler } from "./handlers/preprovision-bitlocker.js";
import { releaseStateStoreHandler } from "./handlers/release-state-store.js";
import { requestStateStoreHandler } from "./handlers/request-state-store.js";
import { restartComputerHandler } from "./handlers/restart-computer.js";
import { restoreUserStateHandler } from "./handlers/restore-user-state.js";
import { actionCommandHandler, commandPathHandler, runCommandLineHandler } from "./handlers/run-command-line.js";
import { createRunPowerShellScriptHandler } from "./handlers/run-powershell-script.js";
import { RUN_SCRIPT_STEP_TYPE, createRunScriptHandler } from "./handlers/run-script.js";
import { setDynamicVariablesHandler } from "./handlers/set-dynamic-variables.js";
import { setVariableHandler } from "./handlers/set-variable.js";
import { setupWindowsConfigMgrHandler } from "./handlers/setup-windows-configmgr.js";
import { upgradeOperatingSystemHandler } from "./handlers/upgrade-operating-system.js";
import type { BuiltinHandlerOptions } from "./internal/script-options.js";

const P = "SMS_TaskSequence_";

/** The built-in handlers by step type (without the command-path fallback). */
function handlerTable(options: BuiltinHandlerOptions): Record<string, StepHandler> {
  return {
    [`${P}RunCommandLineAction`]: runCommandLineHandler,
    [`${P}RunPowerShellScriptAction`]: createRunPowerShellScriptHandler(options),
    [`${P}SetVariableAction`]: setVariableHandler,
    [`${P}SetDynamicVariablesAction`]: setDynamicVariablesHandler,
    [`${P}RebootAction`]: restartComputerHandler,
    [`${P}PrestartCheckAction`]: checkReadinessHandler,
    [`${P}ConnectNetworkFolderAction`]: connectNetworkFolderHandler,
    [`${P}JoinDomainWorkgroupAction`]: joinDomainWorkgroupHandler,
    [`${P}InstallApplicationAction`]: installApplicationHandler,
    [`${P}InstallSoftwareAction`]: installPackageHandler,
    [`${P}InstallUpdateAction`]: installSoftwareUpdatesHandler,
    [`${P}DownloadPackageContentAction`]: downloadPackageContentHandler,
    [`${P}PartitionDiskAction`]: formatPartitionDiskHandler,
    [`${P}ConvertDiskAction`]: convertDiskHandler,
    [`${P}EnableBitLockerAction`]: enableBitLockerHandler,
    [`${P}OfflineEnableBitLockerAction`]: preProvisionBitLockerHandler,
    [`${P}DisableBitLockerAction`]: disableBitLockerHandler,
    [`${P}ApplyOperatingSystemAction`]: applyOperatingSystemHandler,
    [`${P}ApplyDataImageAction`]: applyDataImageHandler,
    [`${P}ApplyDriverPackageAction`]: applyDriverPackageHandler,
    [`${P}AutoApplyAction`]: autoApplyDriversHandler,
    [`${P}ApplyNetworkSettingsAction`]: applyNetworkSettingsHandler,
    [`${P}ApplyWindowsSettingsAction`]: applyWindowsSettingsHandler,
    [`${P}CaptureNetworkSettingsAction`]: captureNetworkSettingsHandler,
    [`${P}CaptureWindowsSettingsAction`]: captureWindowsSettingsHandler,
    [`${P}CaptureUserStateAction`]: captureUserStateHandler,
    [`${P}RestoreUserStateAction`]: restoreUserStateHandler,
    [`${P}RequestStateStoreAction`]: requestStateStoreHandler,
    [`${P}ReleaseStateStoreAction`]: releaseStateStoreHandler,
    [`${P}CaptureSystemImageAction`]: captureSystemImageHandler,
    [`${P}PrepareSMSClientAction`]: prepareConfigMgrClientHandler,
    [`${P}PrepareOSAction`]: prepareWindowsHandler,
    [`${P}SetupWindowsAndSMSAction`]: setupWindowsConfigMgrHandler,
    [`${P}UpgradeOperatingSystemAction`]: upgradeOperatingSystemHandler,
    [`${P}InstallDeployToolsAction`]: installDeploymentToolsHandler,
    [RUN_SCRIPT_STEP_TYPE]: createRunScriptHandler(options),
    "": actionCommandHandler,
    BDD_Gather: createGatherHandler(options),
    BDD_Validate: validateHandler,
    BDD_InstallOS: installOsHandler,
    BDD_InstallApplication: mdtInstallApplicationHandler,
    BDD_InjectDrivers: injectDriversHandler,
    BDD_RunPowerShellAction: createMdtPowerShellHandler(options),
  };
}

/**
 * Creates a handler registry (the engine's `StepHandlerRegistry`) holding every built-in handler.
 * Types without a registered handler (the `BDD_*` command-path types such as `BDD_InstallRoles`,
 * and third-party custom actions) run their `<action>` command line through the device's command
 * runner, which must know the command (a simulated device needs a command rule for it); a step
 * without an action, or whose command the device cannot run, fails with `UnsupportedStep` (50,
 * spec/steps.md §22.3 rule 3). Handlers registered later replace
 * the built-ins of their type.
 *
 * @param options - script host, script runner, signature verifier and the fallback `CustomSettings.ini`
 * @example
 * ```ts
 * const engine = createEngine({ handlers: createBuiltinHandlers(), device: createSimulatedDevice() });
 * const result = await engine.run(sequence);
 * ```
 */
export function createBuiltinHandlers(options: BuiltinHandlerOptions = {}): StepHandlerRegistry {
  const table = handlerTable(options);
  const map = new Map<string, StepHandler>(Object.entries(table).map(([type, handler]) => [type.toLowerCase(), handler]));
  const names = new Map<string, string>(Object.keys(table).map((type) => [type.toLowerCase(), type]));
  return {
    register(type: string, handler: StepHandler): void {
      map.set(type.toLowerCase(), handler);
      names.set(type.toLowerCase(), type);
    },
    get(type: string): StepHandler | undefined {
      return map.get(type.toLowerCase()) ?? commandPathHandler;
    },
    types(): string[] {
      return [...names.values()].sort();
    },
  };
}
