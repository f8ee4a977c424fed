/**
 * The typed event stream for hosts with their own UI. Every text is redacted.
 */
import type { LogEntry } from "./log-sink.js";
import type { StepOutcome } from "./run-result.js";

/** Every event the engine emits. */
export type EngineEvent =
  | {
      /** Discriminator. */
      readonly type: "run-started";
      /** Run ID. */
      readonly runId: string;
      /** Task sequence name. */
      readonly name: string;
      /** Top-level package ID. */
      readonly packageId: string;
      /** `_SMSTSInstructionTableSize`. */
      readonly instructionCount: number;
      /** True when this continues a persisted run. */
      readonly resumed: boolean;
    }
  | {
      /** Discriminator. */
      readonly type: "run-finished";
      /** Final status. */
      readonly status: "success" | "failed" | "restart-pending";
      /** 0 success, 1 failed, 3 restart pending. */
      readonly exitCode: number;
    }
  | {
      /** Discriminator. */
      readonly type: "step-started";
      /** Instruction index. */
      readonly index: number;
      /** Index path. */
      readonly path: string;
      /** Step name. */
      readonly name: string;
      /** Step class. */
      readonly stepType: string;
    }
  | {
      /** Discriminator. */
      readonly type: "step-finished";
      /** Instruction index. */
      readonly index: number;
      /** Index path. */
      readonly path: string;
      /** Step name. */
      readonly name: string;
      /** `success`, `failed` or `failed-continued`. */
      readonly outcome: StepOutcome;
      /** Return code (signed 32-bit). */
      readonly exitCode: number;
      /** Failure reason, if any. */
      readonly reason?: string;
    }
  | {
      /** Discriminator. */
      readonly type: "step-skipped";
      /** Instruction index. */
      readonly index: number;
      /** Index path. */
      readonly path: string;
      /** Item name. */
      readonly name: string;
      /** Group or step. */
      readonly item: "group" | "step";
      /** Why. */
      readonly outcome: "skipped-condition" | "skipped-disabled";
      /** Human-readable reason. */
      readonly reason: string;
    }
  | {
      /** Discriminator. */
      readonly type: "variable-changed";
      /** Variable name. */
      readonly name: string;
      /** New value (`********` when secret; `undefined` when deleted). */
      readonly value: string | undefined;
      /** True when secret. */
      readonly secret: boolean;
    }
  | {
      /** Discriminator. */
      readonly type: "progress";
      /** `_SMSTSNextInstructionPointer`. */
      readonly current: number;
      /** `_SMSTSInstructionTableSize`. */
      readonly total: number;
      /** Whole percent of `current + 1` over `total` (the count the text shows: "2 of 10" is 20%). */
      readonly percent: number;
      /** Text per `TSProgressInfoLevel` ("2 of 10", "2 of 10 (20% complete)", "(20% complete)"). */
      readonly text: string;
    }
  | {
      /** Discriminator. */
      readonly type: "log";
      /** The log entry (redacted). */
      readonly entry: LogEntry;
    }
  | {
      /** Discriminator. */
      readonly type: "child-begin" | "child-end";
      /** Index path of the Run Task Sequence step. */
      readonly path: string;
      /** Child package ID. */
      readonly packageId: string;
      /** Child name. */
      readonly name: string;
    }
  | {
      /** Discriminator. */
      readonly type: "restart";
      /** Target. */
      readonly target: "HD" | "WinPE";
      /** Continue with the next instruction or re-run the step. */
      readonly then: "next" | "rerun";
      /** The instruction that resumes after the restart. */
      readonly resumeAt: number;
      /** True when the host must restart and call `resume()`. */
      readonly pending: boolean;
    };

/** Receives engine events. Must not throw (errors are swallowed). */
export type EngineEventListener = (event: EngineEvent) => void;
