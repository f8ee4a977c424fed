/**
 * The environment and device views the engine hands to step handlers: aliases of the
 * `@taskseq/environment` and `@taskseq/device` types, so the handler contract reads the same
 * whatever those packages rename.
 */
import type { Device } from "@taskseq/device";
import type { SecretStore, TaskSequenceEnvironment } from "@taskseq/environment";

/** The non-privileged environment handle: `_` variables are read-only through it. */
export type StepEnvironment = TaskSequenceEnvironment;

/** The device a step acts on (any subset of the `@taskseq/device` capabilities). */
export type StepDevice = Device;

/** The run's secret store as step handlers see it: seal a secret into an opaque token, unseal it later. */
export type StepSecrets = SecretStore;
