// File state store
export { createFileStateStore } from "./file-state-store.js";

// Secrets at rest
export { createFileSecretStore } from "./file-secret-store.js";

// File log sink
export { createFileLogSink } from "./file-log-sink.js";
export type { FileLogSink, FileLogSinkOptions } from "./file-log-sink.js";

// Local machine device
export { createLocalDevice, splitCommandLine } from "./local-device.js";
export type { LocalDeviceOptions } from "./local-device.js";
