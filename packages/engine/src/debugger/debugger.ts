/**
 * The task sequence debugger's entry point (execution.md §11): an engine whose runs start under
 * the debugger. `createEngine(options).debug(sequence)` is the same.
 */
import type { TaskSequence } from "@taskseq/model";
import { createEngine, type Engine, type EngineOptions, type ResumeOptions, type RunOptions } from "../engine.js";
import type { DebugOptions, DebugSession } from "./debug-session.js";

/** A debugger: an engine whose runs can be debugged. */
export interface Debugger {
  /** The engine (for `persistedRun()`, `discardState()` and runs without the debugger). */
  readonly engine: Engine;
  /** Starts a run under the debugger (same as `engine.debug()`). */
  start(sequence: TaskSequence, options?: Omit<RunOptions, "debug"> & DebugOptions): DebugSession;
  /** Continues the persisted run under the debugger with its persisted mode and breakpoints (same as `engine.resumeDebug()`). */
  resume(options?: Omit<ResumeOptions, "debug"> & DebugOptions): DebugSession;
}

/**
 * Creates a debugger over an engine with `options`. Runs started with it are in debug mode from
 * their first instruction (or per `TSDebugMode` / `TSDebugOnError` with `start: "variables"`).
 *
 * @example
 * ```ts
 * const dbg = createDebugger({ handlers: createBuiltinHandlers(), device: createSimulatedDevice() });
 * const session = dbg.start(sequence);
 * await session.stopped();                            // paused before the first instruction
 * session.addBreakpoint({ kind: "instruction", target: "Apply Operating System" });
 * let stop = await session.run();                     // paused at the breakpoint
 * if (stop.kind === "paused") console.log(stop.pause.location.path, stop.pause.variables);
 * stop = await session.step();
 * await session.back();                               // time travel: before the step
 * const result = await session.quit();                // finish without the debugger
 * ```
 */
export function createDebugger(options: EngineOptions = {}): Debugger {
  const engine = createEngine(options);
  return { engine, start: (sequence, o) => engine.debug(sequence, o), resume: (o) => engine.resumeDebug(o) };
}
