/**
 * The contract between the engine and the code that performs one step (spec/steps.md §1.3).
 * Built-in handlers live in `@taskseq/steps`; embedders may register their own.
 */
import type { Step, TaskSeqError } from "@taskseq/model";
import type { StepDevice, StepEnvironment, StepSecrets } from "./engine-ports.js";
import type { TaskSequenceResolver } from "./child-resolver.js";

/** Lines a handler writes into smsts.log. Every line is redacted before it is written. */
export interface StepLogger {
  /** An information line (type 1). */
  info(message: string): void;
  /** A warning line (type 2). */
  warning(message: string): void;
  /** An error line (type 3). */
  error(message: string): void;
  /** A verbose line (written with type 1, only at `logLevel` 0). */
  verbose(message: string): void;
}

/** How the task sequence was started (`_SMSTSLaunchMode`). */
export type LaunchMode = "SMS" | "UFD" | "UFD+FORMAT" | "CD" | "DVD" | "PXE" | "HD";

/** Read-only facts about the run a handler may need. */
export interface RunInfo {
  /** The run's unique ID (persisted across restarts). */
  readonly runId: string;
  /** Launch mode (`_SMSTSLaunchMode`). */
  readonly launchMode: LaunchMode;
  /** True when started from media (collection and device variables are not used). */
  readonly fromMedia: boolean;
  /** The top-level task sequence package ID (`_SMSTSPackageID`). */
  readonly packageId: string;
  /** The deployment ID, when known (`_SMSTSAdvertID`). */
  readonly deploymentId: string | undefined;
  /** Resolves child task sequences (Run Task Sequence) and other sequences a handler may inspect. */
  readonly resolver: TaskSequenceResolver;
  /** The engine's version string. */
  readonly engineVersion: string;
  /** The engine option `conditionCaseSensitive`, for handlers that evaluate conditions of their own (Set Dynamic Variables rules). */
  readonly conditionCaseSensitive: boolean;
}

/** Everything a step handler receives. */
export interface StepHandlerContext {
  /** The model step. */
  readonly step: Step;
  /** Zero-based index path from the root, `"0.2.1"` (DESIGN.md §2). */
  readonly path: string;
  /**
   * The step's settings by `property`, after action-variable resolution (a global of the same
   * name overrides the configured value, except for fixed settings) and `%VAR%` expansion.
   */
  readonly settings: Readonly<Record<string, string>>;
  /**
   * The task sequence environment (non-privileged: `_` variables are read-only). Once the step has
   * ended (also by a timeout or an abort the handler ignored), writes throw `Aborted`.
   */
  readonly env: StepEnvironment;
  /** Writes an engine-owned read-only output such as `_SMSTSOSUpgradeActionReturnCode` (refused once the step has ended). */
  readonly setReadOnly: (name: string, value: string) => void;
  /** The device the step acts on. */
  readonly device: StepDevice;
  /** smsts.log lines under the step's component (logging.md §5). */
  readonly log: StepLogger;
  /** Aborted on step timeout, maximum run time or embedder abort; handlers must stop promptly. */
  readonly signal: AbortSignal;
  /** Read-only facts about the run. */
  readonly run: RunInfo;
  /**
   * The run's secret store, for a secret one step hands to a later step through the device (Apply
   * Windows Settings to Setup Windows and ConfigMgr, through the answer file): write the token
   * `seal` returns, never the value, and `unseal` it in the later step (also after a resume when
   * the engine's `secretStore` is durable; `SecretStoreUnavailable` when the store lost it). An
   * unsealed value is secret: never log it.
   */
  readonly secrets: StepSecrets;
}

/** A restart a step asks for (execution.md §7). */
export interface StepRestartRequest {
  /** `HD` = the installed OS, `WinPE` = the boot image. */
  readonly target: "HD" | "WinPE";
  /** Continue with the next instruction, or run this step again after the restart. */
  readonly then: "next" | "rerun";
  /** Message for the restart notification. */
  readonly message?: string;
  /**
   * The step's own notification, in seconds (`0` = none), as Restart Computer's `MessageTimeout`:
   * when set, it decides the notification instead of `SMSTSRebootDelay` / `SMSTSRebootDelayNext`,
   * which apply to engine-initiated restarts (execution.md §7.2).
   */
  readonly timeoutSeconds?: number;
}

/** What a handler returns (spec/steps.md §1.3). */
export interface StepHandlerResult {
  /** The 32-bit return code (process exit code, or the step's own code). */
  readonly exitCode: number;
  /** Overrides the success-code test for steps that define success differently (Check Readiness, ...). */
  readonly succeeded?: boolean;
  /** A restart the step requests. */
  readonly restart?: StepRestartRequest;
  /** The typed reason of a failure (logged and reported). */
  readonly error?: TaskSeqError;
}

/**
 * Performs one step.
 *
 * @example
 * ```ts
 * const hello: StepHandler = async (ctx) => {
 *   ctx.log.info(`Hello from ${ctx.step.name}`);
 *   ctx.env.set("Greeting", ctx.settings["Text"] ?? "");
 *   return { exitCode: 0 };
 * };
 * ```
 */
export type StepHandler = (ctx: StepHandlerContext) => Promise<StepHandlerResult>;

/** Step handlers by step type (the class name; `""` is an untyped MDT command step). */
export interface StepHandlerRegistry {
  /** Registers (or replaces) the handler of a step type. */
  register(type: string, handler: StepHandler): void;
  /** The handler of a step type, if any. */
  get(type: string): StepHandler | undefined;
  /** Every registered step type, sorted. */
  types(): string[];
}

/**
 * Creates an empty (or pre-filled) handler registry.
 *
 * @example
 * ```ts
 * const handlers = createStepHandlerRegistry({ SMS_TaskSequence_SetVariableAction: setVariable });
 * handlers.register("My_CustomAction", async () => ({ exitCode: 0 }));
 * ```
 */
export function createStepHandlerRegistry(initial: Readonly<Record<string, StepHandler>> = {}): StepHandlerRegistry {
  const map = new Map<string, StepHandler>(Object.entries(initial));
  return {
    register(type, handler) {
      map.set(type, handler);
    },
    get(type) {
      return map.get(type);
    },
    types() {
      return [...map.keys()].sort();
    },
  };
}
