/**
 * Test helpers: a handler context over a real environment and a simulated device.
 */
import { readFileSync } from "node:fs";
import { createMapResolver, type StepHandler, type StepHandlerContext, type StepHandlerResult } from "@taskseq/engine";
import { createEnvironment, createMemorySecretStore, type SecretStore } from "@taskseq/environment";
import { createSimulatedDevice, type Device, type DeviceProfile, type SimulatedDevice } from "@taskseq/device";
import type { Step } from "@taskseq/model";

/** Reads an example device profile (examples/devices/<name>.json). */
export function profile(name: string): DeviceProfile {
  const text = readFileSync(new URL(`../../../examples/devices/${name}.json`, import.meta.url), "utf8");
  const parsed: DeviceProfile = JSON.parse(text);
  return parsed;
}

/** A simulated device from an example profile, optionally edited. */
export function device(name: string, edit: (p: DeviceProfile) => DeviceProfile = (p) => p): SimulatedDevice {
  return createSimulatedDevice(edit(profile(name)));
}

/** The secret store every {@link run} shares, as the steps of one engine run share the engine's. */
const secrets = createMemorySecretStore();

/** Options of {@link run}. */
export interface RunStepOptions {
  readonly device?: Device;
  readonly type?: string;
  readonly settings?: Readonly<Record<string, string>>;
  readonly vars?: Readonly<Record<string, string>>;
  readonly step?: Partial<Step>;
  readonly fromMedia?: boolean;
  /** The engine option `conditionCaseSensitive`. */
  readonly conditionCaseSensitive?: boolean;
  /** The step's abort signal (default: never aborted). */
  readonly signal?: AbortSignal;
  /** The run's secret store (default: one every run shares). */
  readonly secrets?: SecretStore;
}

/** What a handler run produced. */
export interface StepRun {
  readonly result: StepHandlerResult;
  readonly ctx: StepHandlerContext;
  readonly logs: string[];
  readonly get: (name: string) => string | undefined;
}

/** Runs one handler against a context built from the options. */
export async function run(handler: StepHandler, options: RunStepOptions = {}): Promise<StepRun> {
  const { env, engine } = createEnvironment();
  for (const [k, v] of Object.entries(options.vars ?? {})) engine.set(k, v);
  const logs: string[] = [];
  const step: Step = {
    kind: "step",
    element: "step",
    type: options.type ?? "Test_Step",
    name: "Test step",
    description: "",
    disabled: false,
    continueOnError: false,
    successCodes: [0, 3010],
    runIn: "WinPEandFullOS",
    retryCount: 0,
    runFromNet: false,
    variables: [],
    ...options.step,
  };
  const ctx: StepHandlerContext = {
    step,
    path: "0",
    settings: options.settings ?? {},
    env,
    setReadOnly: (name, value) => engine.set(name, value),
    device: options.device ?? {},
    log: {
      info: (m) => logs.push(`I ${env.redact(m)}`),
      warning: (m) => logs.push(`W ${env.redact(m)}`),
      error: (m) => logs.push(`E ${env.redact(m)}`),
      verbose: (m) => logs.push(`V ${env.redact(m)}`),
    },
    signal: options.signal ?? new AbortController().signal,
    run: {
      runId: "test",
      launchMode: options.fromMedia ? "UFD" : "SMS",
      fromMedia: options.fromMedia ?? false,
      packageId: "TST00001",
      deploymentId: undefined,
      resolver: createMapResolver(),
      engineVersion: "test",
      conditionCaseSensitive: options.conditionCaseSensitive ?? false,
    },
    secrets: options.secrets ?? secrets,
  };
  const result = await handler(ctx);
  return { result, ctx, logs, get: (n) => env.get(n) };
}

/** A UEFI layout for Format and Partition Disk: EFI, MSR and an NTFS Windows volume filling the disk, its letter in `OSDisk`. */
export const uefiLayout = {
  DiskIndex: "0",
  PartitionStyle: "GPT",
  GPTBootDisk: "true",
  Partitions: "3",
  Partitions0Type: "EFI",
  Partitions0FileSystem: "FAT32",
  Partitions0Size: "500",
  Partitions0SizeUnits: "MB",
  Partitions1Type: "MSR",
  Partitions1Size: "128",
  Partitions2Type: "Primary",
  Partitions2FileSystem: "NTFS",
  Partitions2Size: "100",
  Partitions2SizeUnits: "Percent",
  Partitions2VolumeLetterVariable: "OSDisk",
  Partitions2VolumeName: "Windows",
};
