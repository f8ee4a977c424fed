/**
 * The run report, shaped for DESIGN.md §2's CLI JSON.
 */
import type { TaskSeqError } from "@taskseq/model";

/** What happened to a step. */
export type StepOutcome = "success" | "failed" | "failed-continued" | "skipped-condition" | "skipped-disabled" | "not-run";

/** One step of the report. */
export interface StepReport {
  /** Index path (`0.2.1`; inside a child `3/0.1`). */
  readonly path: string;
  /** Step name. */
  readonly name: string;
  /** Step class. */
  readonly type: string;
  /** Outcome. */
  readonly outcome: StepOutcome;
  /** Return code (signed 32-bit); `0` for steps that did not run. */
  readonly exitCode: number;
  /** Why it failed or was skipped. */
  readonly reason?: string;
}

/** The step failure that ended the run (execution.md §5.2 item 3). */
export interface FailureInfo {
  /** Step name. */
  readonly name: string;
  /** Instruction index. */
  readonly index: number;
  /** Index path. */
  readonly path: string;
  /** Return code. */
  readonly exitCode: number;
  /** Names of the enclosing groups, outermost first. */
  readonly groups: readonly string[];
}

/** Final status. */
export type RunStatus = "success" | "failed" | "restart-pending";

/** What `run()` and `resume()` return. */
export interface RunResult {
  /** Final status. */
  readonly status: RunStatus;
  /** 0 success, 1 failed, 3 restart pending (the CLI's exit codes). */
  readonly exitCode: number;
  /** Every step of the instruction table, in order. */
  readonly steps: readonly StepReport[];
  /** Final variables; secret values are `********`. */
  readonly variables: Readonly<Record<string, string>>;
  /** The run ID. */
  readonly runId: string;
  /** The failing step, when a step failure reached the root. */
  readonly failure?: FailureInfo;
  /**
   * A run-level error (deployment failure, restart prerequisite, run time, abort, ...); with status
   * `restart-pending`, `UnexpectedRestart` when the device lost power (the state is kept for `resume()`).
   */
  readonly error?: TaskSeqError;
  /** Failures ignored through continue-on-error (warnings). */
  readonly ignoredFailures: readonly StepReport[];
  /** Engine-managed restarts in this run (including earlier sessions). */
  readonly restarts: number;
  /** Wall-clock duration on the engine clock since the run started, restarts included. */
  readonly durationMs: number;
}

/** The DESIGN.md §2 CLI JSON object of a result. */
export interface RunResultJson {
  /** Status. */
  readonly status: RunStatus;
  /** Exit code. */
  readonly exitCode: number;
  /** Steps. */
  readonly steps: readonly StepReport[];
  /** Variables (secrets masked). */
  readonly variables: Readonly<Record<string, string>>;
}

/**
 * The exact DESIGN.md §2 JSON object for a result.
 *
 * @example
 * ```ts
 * console.log(JSON.stringify(toRunResultJson(await engine.run(sequence))));
 * ```
 */
export function toRunResultJson(result: RunResult): RunResultJson {
  return {
    status: result.status,
    exitCode: result.exitCode,
    steps: result.steps.map((s) => ({
      path: s.path,
      name: s.name,
      type: s.type,
      outcome: s.outcome,
      exitCode: s.exitCode,
      ...(s.reason === undefined ? {} : { reason: s.reason }),
    })),
    variables: result.variables,
  };
}
