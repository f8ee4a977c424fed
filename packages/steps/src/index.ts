// Registry of every built-in handler
export { createBuiltinHandlers } from "./builtin-handlers.js";
export type { BuiltinHandlerOptions, ScriptHostMode } from "./internal/script-options.js";

// General steps
export { runCommandLineHandler, actionCommandHandler, commandPathHandler } from "./handlers/run-command-line.js";
export { createRunPowerShellScriptHandler } from "./handlers/run-powershell-script.js";
export { createRunScriptHandler, runScriptHandler, RUN_SCRIPT_STEP_TYPE } from "./handlers/run-script.js";
export { setVariableHandler } from "./handlers/set-variable.js";
export { setDynamicVariablesHandler, matchFactExpression, normalizeIp, LOCATION_EXPRESSION_TYPE } from "./handlers/set-dynamic-variables.js";
export type { DynamicFacts } from "./handlers/set-dynamic-variables.js";
export { restartComputerHandler } from "./handlers/restart-computer.js";
export { checkReadinessHandler } from "./handlers/check-readiness.js";
export { downloadPackageContentHandler } from "./handlers/download-package-content.js";
export { installPackageHandler } from "./handlers/install-package.js";
export { installApplicationHandler } from "./handlers/install-application.js";
export { installSoftwareUpdatesHandler } from "./handlers/install-software-updates.js";
export { connectNetworkFolderHandler } from "./handlers/connect-network-folder.js";
export { joinDomainWorkgroupHandler } from "./handlers/join-domain-workgroup.js";

// Disks, images and operating system
export { formatPartitionDiskHandler } from "./handlers/format-partition-disk.js";
export { planPartitions, DEFAULT_EFI_SIZE_MB } from "./disks/partition-plan.js";
export type { PartitionPlan, PlannedPartition, PartitionKind } from "./disks/partition-plan.js";
export { applyOperatingSystemHandler } from "./handlers/apply-operating-system.js";
export { applyDataImageHandler } from "./handlers/apply-data-image.js";
export { applyDriverPackageHandler } from "./handlers/apply-driver-package.js";
export { autoApplyDriversHandler } from "./handlers/auto-apply-drivers.js";
export { applyWindowsSettingsHandler } from "./handlers/apply-windows-settings.js";
export { applyNetworkSettingsHandler } from "./handlers/apply-network-settings.js";
export { setupWindowsConfigMgrHandler } from "./handlers/setup-windows-configmgr.js";
export { upgradeOperatingSystemHandler, COMPAT_SCAN_SUCCESS } from "./handlers/upgrade-operating-system.js";
export { enableBitLockerHandler } from "./handlers/enable-bitlocker.js";
export { preProvisionBitLockerHandler } from "./handlers/preprovision-bitlocker.js";
export { disableBitLockerHandler } from "./handlers/disable-bitlocker.js";
export { convertDiskHandler } from "./handlers/convert-disk.js";
export { prepareConfigMgrClientHandler } from "./handlers/prepare-configmgr-client.js";
export { prepareWindowsHandler } from "./handlers/prepare-windows.js";
export { captureSystemImageHandler } from "./handlers/capture-system-image.js";
export { captureUserStateHandler } from "./handlers/capture-user-state.js";
export { restoreUserStateHandler } from "./handlers/restore-user-state.js";
export { requestStateStoreHandler } from "./handlers/request-state-store.js";
export { releaseStateStoreHandler } from "./handlers/release-state-store.js";
export { captureNetworkSettingsHandler } from "./handlers/capture-network-settings.js";
export { captureWindowsSettingsHandler } from "./handlers/capture-windows-settings.js";
export { installDeploymentToolsHandler } from "./handlers/install-deployment-tools.js";

// MDT
export { createGatherHandler } from "./handlers/bdd-gather.js";
export { validateHandler } from "./handlers/bdd-validate.js";
export { installOsHandler } from "./handlers/bdd-install-os.js";
export { mdtInstallApplicationHandler } from "./handlers/bdd-install-application.js";
export { injectDriversHandler } from "./handlers/bdd-inject-drivers.js";
export { createMdtPowerShellHandler } from "./handlers/bdd-run-powershell.js";
export { processCustomSettings, parseIni, DEFAULT_LIST_PROPERTIES, DEFAULT_OVERWRITE_PROPERTIES } from "./mdt/custom-settings.js";
export type { CustomSettingsOptions, CustomSettingsResult, GatherTraceEntry, GatherValue, IniSection } from "./mdt/custom-settings.js";
export { gatherLocalProperties } from "./mdt/gather-local.js";
export { nextPhaseHandler } from "./handlers/zti-next-phase.js";
export { nextPhase, LITE_TOUCH_PHASES } from "./mdt/next-phase.js";
export type { LiteTouchPhase } from "./mdt/next-phase.js";
export { liteTouchStart, LITE_TOUCH_DEPLOYMENT_TYPES, MEDIA_TAG_PATH } from "./mdt/lite-touch.js";
export type { LiteTouchStart } from "./mdt/lite-touch.js";
export { mdtScriptOf } from "./mdt/script-command.js";

// Templates (Create Task Sequence Wizard)
export { createInstallOsTemplate, createBuildAndCaptureTemplate } from "./templates/install-os-template.js";
export type { InstallOsTemplateOptions, BuildAndCaptureTemplateOptions } from "./templates/install-os-template.js";
export { createUpgradeOsTemplate } from "./templates/upgrade-os-template.js";
export type { UpgradeOsTemplateOptions } from "./templates/upgrade-os-template.js";
export { createUserStateTemplate } from "./templates/user-state-template.js";
export type { UserStateTemplateOptions } from "./templates/user-state-template.js";
export { createCustomTemplate } from "./templates/custom-template.js";
