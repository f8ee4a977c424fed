/**
 * The attachment point between the runner and a debugger (execution.md §11): the run session awaits
 * {@link DebugHook.beforeInstruction} before each instruction and asks {@link DebugHook.holdFailure}
 * before a failure propagates. Without a hook the run path is unchanged.
 */
import type { TaskSequenceEnvironment } from "@taskseq/environment";
import type { Instruction } from "../instruction-table.js";
import type { StepReport } from "../run-result.js";

/** What the session does after {@link DebugHook.beforeInstruction}. */
export type DebugVerdict =
  /** Process the instruction at the (possibly moved) pointer; a held failure is retried. */
  | "continue"
  /** Process a held failure with the normal rules of execution.md §5 (Quit). */
  | "propagate"
  /** Fail the run with `DebuggerCancelled` (Cancel). */
  | "cancel";

/** A step failure held by the debugger instead of propagating (execution.md §11.3). */
export interface HeldFailure {
  /** Instruction index of the failed step (the pointer stays on it). */
  readonly index: number;
  /** Its return code. */
  readonly exitCode: number;
}

/** A breakpoint as persisted with the run. */
export interface PersistedBreakpoint {
  /** Breakpoint ID, unique in the run. */
  readonly id: number;
  /** `instruction`: a path or item name; `variable`: a variable change (any, or `name`); `step-failed`: any step failure. */
  readonly kind: "instruction" | "variable" | "step-failed";
  /** Path or name (`instruction`), variable name (`variable`, optional). */
  readonly target?: string;
}

/** A point of the run the debugger can travel back to. */
export interface DebugCheckpoint {
  /** The instruction about to run. */
  readonly index: number;
  /** The environment document (`EngineEnvironment.serialize()`: secrets sealed). */
  readonly env: string;
  /** Step reports changed since the previous checkpoint (folding the history up to a checkpoint gives the reports at that point). */
  readonly outcomes: readonly (readonly [number, StepReport])[];
  /** Engine-managed restarts done before that point. */
  readonly restarts: number;
}

/** Debugger settings persisted with the run (variables.md §12: debug mode and breakpoints). */
export interface PersistedDebugSettings {
  /** `active`: debug mode on; `inactive`: not (yet) in debug mode; `detached`: Quit ended debug mode for this run. */
  readonly mode: "active" | "inactive" | "detached";
  /** The breakpoints. */
  readonly breakpoints: readonly PersistedBreakpoint[];
  /** Next breakpoint ID. */
  readonly nextId: number;
}

/** Everything the debugger persists with the run: its settings and its time-travel history. */
export interface PersistedDebugState extends PersistedDebugSettings {
  /** Checkpoints, oldest first (appended in place). */
  readonly history: DebugCheckpoint[];
}

/** What the run session lets a debugger do while it is paused (valid until the hook returns). */
export interface DebugControl {
  /** The instruction table. */
  readonly table: readonly Instruction[];
  /** The instruction about to run. */
  readonly pointer: number;
  /** The failure being held, if any. */
  readonly failure: HeldFailure | undefined;
  /** The run's environment (read; writes go through {@link DebugControl.setVariable}). */
  readonly env: TaskSequenceEnvironment;
  /** True on the first call of a session that continues a persisted run. */
  readonly resumed: boolean;
  /** Debugger state persisted with the run, if any. */
  readonly persisted: PersistedDebugState | undefined;
  /** Moves the pointer (Set Current); clears a held failure; logs and persists the move. */
  movePointer(index: number, message: string): Promise<void>;
  /** Sets a run-time variable and persists it. */
  setVariable(name: string, value: string, secret: boolean): Promise<void>;
  /** Persists the debugger settings. */
  saveSettings(settings: PersistedDebugSettings): Promise<void>;
  /** Records a checkpoint at the pointer (persisted). */
  checkpoint(): Promise<void>;
  /** Restores checkpoint `position` of the history (dropping it and every later one); re-reads the device's environment built-ins. */
  travelTo(position: number): Promise<void>;
  /** Writes a log line (type 1 information, 2 warning). */
  log(type: 1 | 2, message: string): void;
}

/** A debugger attached to a run (see `createDebugger`). */
export interface DebugHook {
  /** Awaited before every instruction. */
  beforeInstruction(control: DebugControl): Promise<DebugVerdict>;
  /** Whether a failure that would propagate is held (the debugger then pauses on the failed step). */
  holdFailure(reachesRoot: boolean, env: TaskSequenceEnvironment): boolean;
}
