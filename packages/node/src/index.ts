// File state store
export { createFileStateStore } from "./file-state-store.js";
export type { FileStateStoreOptions } from "./file-state-store.js";

// Secrets at rest
export { createFileSecretStore } from "./file-secret-store.js";

// File log sink
export { createFileLogSink } from "./file-log-sink.js";
export type { FileLogSink, FileLogSinkOptions } from "./file-log-sink.js";

// Local machine device
export { createLocalDevice, splitCommandLine } from "./local-device.js";
export type { LocalDeviceOptions } from "./local-device.js";

// Fleet runs on worker threads
export { createWorkerFleetExecutor } from "./fleet-workers.js";
export type { WorkerFleetExecutor, WorkerFleetExecutorOptions } from "./fleet-workers.js";

// Script runs on a worker thread with a hard deadline
export { createWorkerScriptRunner } from "./worker-script-runner.js";
export type { WorkerScriptRunner, WorkerScriptRunnerOptions } from "./worker-script-runner.js";
