// Task sequence library
export { createTaskSequenceLibrary, childPackageIds } from "./library.js";
export type { TaskSequenceLibrary, TaskSequenceWizard, LibraryEntry, LibraryOptions } from "./library.js";
export { DEFAULT_PROPERTIES, MAX_HIGH_IMPACT_TEXT, validateProperties } from "./task-sequence-properties.js";
export type { TaskSequenceProperties, HighImpactText, RunFirstProgram } from "./task-sequence-properties.js";

// Content and references
export { createContentCatalog, referencedContent } from "./content-catalog.js";
export type { ContentCatalog, ContentObject, ContentObjectInput, ContentObjectKind, Architecture, ResolvedReference } from "./content-catalog.js";

// Devices and collections
export { createDeviceDirectory, ALL_SYSTEMS, ALL_USERS, ALL_UNKNOWN_COMPUTERS, MAX_DEVICE_VARIABLES, MIN_TIME_ZONE_BIAS, MAX_TIME_ZONE_BIAS } from "./collections.js";
export type { DeviceDirectory, SiteDevice, Collection, VariableConflict } from "./collections.js";

// Schedules and maintenance windows
export { occurrences, toInstant, parseWallTime, validateRecurrence } from "./schedules.js";
export type { Recurrence, RecurringSchedule, ScheduleTime, Weekday } from "./schedules.js";
export { earliestStart, taskSequenceWindows, validateMaintenanceWindow } from "./maintenance-windows.js";
export type { MaintenanceWindow, MaintenanceWindowScope, TimeInterval, StartDecision } from "./maintenance-windows.js";

// Deployments
export { createSite } from "./site.js";
export type { Site, SiteOptions, Deployment, AuditMessage } from "./site.js";
export { offeredDeploymentOptions, mayRun, precacheContent, validateDeploymentSettings, MAX_DEBUG_COLLECTION_MEMBERS } from "./deployment-settings.js";
export type {
  DeploymentSettings,
  DeploymentFacts,
  DeploymentPurpose,
  MakeAvailableTo,
  AssignmentSchedule,
  RerunBehavior,
  DeploymentOption,
  UserExperience,
} from "./deployment-settings.js";
export { toTemplate } from "./deployment-templates.js";
export type { DeploymentTemplate } from "./deployment-templates.js";
export { verifyHighRisk, deploysOperatingSystem, validateHighRiskSettings, DEFAULT_HIGH_RISK_SETTINGS } from "./high-risk.js";
export type { HighRiskSettings, HighRiskInput, HighRiskCheck } from "./high-risk.js";

// Export and import
export { exportTaskSequences, importTaskSequences } from "./archive.js";
export type { ExportOptions, ExportResult, ImportAction, ImportOptions, ImportedSequence } from "./archive.js";

// Media
export { createMedia, profileArchitecture, bootImageStarts } from "./media.js";
export type { Media, MediaBoot, MediaOptions, MediaType } from "./media.js";

// Fleets
export { createFleetDevices, profilePlatform, MAX_FLEET_SIZE } from "./fleet-devices.js";
export type { FleetDevice, FleetDeviceOptions } from "./fleet-devices.js";
export { runFleet, runFleetJob, runFleetJobWithBuiltins, createInProcessExecutor, createClientHistory, quitDebugger } from "./fleet.js";
export type {
  FleetJob,
  FleetJobResult,
  FleetExecutor,
  DebugDriver,
  FleetOptions,
  FleetResult,
  FleetDeviceResult,
  ClientHistory,
  ClientHistoryRecord,
  InProcessExecutorOptions,
} from "./fleet.js";
export { fleetMatrix, renderFleetHtml } from "./fleet-report.js";
export type { FleetMatrix } from "./fleet-report.js";
