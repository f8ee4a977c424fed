/**
 * A debug session (execution.md §11): a run with a debugger attached.
 * It pauses before instructions (start, Step, step over, breakpoints, run to), holds failures instead
 * of failing the run, moves the pointer (Set Current), edits variables, and travels back to earlier
 * points of the run. Its mode, breakpoints and history are persisted with the run.
 */
import type { VariableInfo } from "@taskseq/environment";
import { TaskSeqError } from "@taskseq/model";
import type { EngineEvent } from "../events.js";
import type { Instruction } from "../instruction-table.js";
import type { LogEntry } from "../log-sink.js";
import type { RunResult } from "../run-result.js";
import { checkBreakpointSpec, describeBreakpoint, persistedOf, resolveStep, resolveTarget, specOf, type Breakpoint, type BreakpointSpec } from "./breakpoints.js";
import type { DebugControl, DebugHook, DebugVerdict } from "./debug-hook.js";
import { isUnreachable } from "./reachability.js";

/** Why the debugger paused. */
export type PauseReason =
  /** A debug-mode run starts paused before its first instruction. */
  | "start"
  /** The run continues after a restart (or a crash) in debug mode. */
  | "resumed"
  /** Step finished: a step instruction was processed (or skipped). */
  | "step"
  /** Step over finished: the group (or step) was left. */
  | "step-over"
  /** An instruction breakpoint. */
  | "breakpoint"
  /** The target of run to was reached. */
  | "run-to"
  /** A failure that would propagate is held; the pointer is on the failed step. */
  | "failure"
  /** A step failed (a `step-failed` breakpoint, or an ignored failure with `breakOnIgnoredErrors`). */
  | "step-failed"
  /** A variable breakpoint. */
  | "variable-changed"
  /** Time travel moved the run back. */
  | "time-travel"
  /** Set Current moved the pointer. */
  | "set-current";

/** A typed warning of a debugger control. */
export interface DebugWarning {
  /** `SetCurrentUnsafe` (steps in between are skipped, prerequisites may be missing), `SetCurrentDisabled` (the new current item will be skipped), `BreakpointUnreachable`, `DeviceNotRewound` (time travel restores variables, not the device). */
  readonly code: "SetCurrentUnsafe" | "SetCurrentDisabled" | "BreakpointUnreachable" | "DeviceNotRewound";
  /** Human-readable text. */
  readonly message: string;
}

/** Where the run is paused. */
export interface DebugLocation {
  /** The instruction about to run. */
  readonly index: number;
  /** Its index path. */
  readonly path: string;
  /** Its item name. */
  readonly name: string;
  /** Its kind. */
  readonly kind: Instruction["kind"];
  /** Names of the enclosing groups (and Run Task Sequence steps), outermost first. */
  readonly groups: readonly string[];
}

/** One pause: where, why, and the variables view (secrets masked, hidden entries left out). */
export interface DebugPause {
  /** Where. */
  readonly location: DebugLocation;
  /** Why. */
  readonly reason: PauseReason;
  /** Human-readable detail (redacted). */
  readonly detail: string;
  /** Breakpoints that caused the pause. */
  readonly breakpoints: readonly number[];
  /** The held failure (reason `failure`). */
  readonly failure?: { readonly name: string; readonly exitCode: number };
  /** The variables view (execution.md §11.5). */
  readonly variables: readonly VariableInfo[];
  /** Warnings of the control that led here. */
  readonly warnings: readonly DebugWarning[];
}

/** What a resuming control ends with: the next pause, or the end of the run. */
export type DebugStop = { readonly kind: "paused"; readonly pause: DebugPause } | { readonly kind: "finished"; readonly result: RunResult };

/** A point of the run time travel can go back to. */
export interface DebugHistoryEntry {
  /** Position in the history (argument of {@link DebugSession.back}). */
  readonly position: number;
  /** The instruction that was about to run. */
  readonly index: number;
  /** Its path. */
  readonly path: string;
  /** Its item name. */
  readonly name: string;
}

/** The log of a debug session (Log File control). */
export interface DebugLog {
  /** The current log folder, `_SMSTSLogPath` (the host's `logPath`, or the device's folder of the phase), when set. */
  readonly path: string | undefined;
  /** The most recent log entries (redacted), oldest first. */
  readonly entries: readonly LogEntry[];
}

/** Options of a debug session. */
export interface DebugOptions {
  /** `paused` (default): debug mode from the start. `variables`: debug mode only with `TSDebugMode=TRUE`, or from a failure with `TSDebugOnError=TRUE`. */
  readonly start?: "paused" | "variables";
  /** Pause after failures ignored by continue-on-error (execution.md §11.3). Default `false`. */
  readonly breakOnIgnoredErrors?: boolean;
  /** Breakpoints to set before the run starts. */
  readonly breakpoints?: readonly BreakpointSpec[];
}

/** A run under the debugger. Controls that need a pause fail with `InvalidOperation` while it runs. */
export interface DebugSession {
  /** `running`, `paused` or `finished`. */
  readonly state: "running" | "paused" | "finished";
  /** The current pause. */
  readonly pause: DebugPause | undefined;
  /** The run's result (rejects only for errors `run()` / `resume()` throw, such as `StaleState`). */
  readonly result: Promise<RunResult>;
  /** The current pause, or the next pause or end. */
  stopped(): Promise<DebugStop>;
  /** Step: processes instructions up to and including the next step, then pauses. A held failure is retried. */
  step(): Promise<DebugStop>;
  /** Step over: at a group entry, runs the whole group; elsewhere like {@link DebugSession.step}. */
  stepOver(): Promise<DebugStop>;
  /** Run: until a breakpoint, a failure or the end. */
  run(): Promise<DebugStop>;
  /** Runs until the instruction named by `target` (path or name), a breakpoint, a failure or the end. */
  runTo(target: string): Promise<DebugStop>;
  /** Set Current: makes a step current (with the `SetCurrentUnsafe` warning). */
  setCurrent(target: string): Promise<DebugPause>;
  /** Sets a variable while paused (`""` deletes; `_` names are read-only). */
  setVariable(name: string, value: string, options?: { readonly secret?: boolean }): Promise<DebugPause>;
  /** Re-runs the held failed step, or else the last step that ran, with the current variables. */
  rerun(): Promise<DebugStop>;
  /** Time travel to history `position` (default: before the last step that ran); variables and step results are restored, the device is not. */
  back(position?: number): Promise<DebugPause>;
  /** The points time travel can go back to. */
  history(): readonly DebugHistoryEntry[];
  /** Adds a breakpoint (instruction targets must exist: `NotFound`; a malformed spec is `InvalidArgument`). */
  addBreakpoint(spec: BreakpointSpec): Breakpoint;
  /** Removes a breakpoint; false when unknown. */
  removeBreakpoint(id: number): boolean;
  /** Clear All Breaks. */
  clearBreakpoints(): void;
  /** The breakpoints. */
  breakpoints(): readonly Breakpoint[];
  /** The variables view. */
  variables(): readonly VariableInfo[];
  /** Log File: the log location and recent entries. */
  log(): DebugLog;
  /** Cancel: fails the run with `DebuggerCancelled`. */
  cancel(): Promise<RunResult>;
  /** Quit: detaches; the run continues normally and a held failure propagates. */
  quit(): Promise<RunResult>;
}

const TRUE = /^true$/i;
const LOG_KEEP = 500;

interface Entry {
  readonly id: number;
  readonly spec: BreakpointSpec;
}

type Mode = { readonly kind: "run" } | { readonly kind: "step" } | { readonly kind: "over"; readonly start: number; readonly end: number } | { readonly kind: "to"; readonly indexes: ReadonlySet<number> };

class Session implements DebugSession, DebugHook {
  state: "running" | "paused" | "finished" = "running";
  pause: DebugPause | undefined;
  readonly result: Promise<RunResult>;

  private control: DebugControl | undefined;
  private started = false;
  /** Whether the attach line was written (at the first instruction, or when `TSDebugOnError` turned debug mode on). */
  private attached = false;
  private debugMode: "active" | "inactive" | "detached";
  private entries: Entry[] = [];
  private nextId = 1;
  private dirty = true;
  private mode: Mode = { kind: "run" };
  private prev: number | undefined;
  private lastStep: number | undefined;
  private event: { reason: PauseReason; detail: string; ids: number[] } | undefined;
  private cancelRequested = false;
  private currentCheckpoint: number | undefined;
  private release: ((v: DebugVerdict) => void) | undefined;
  /** The async control in progress while paused (Set Current, set variable, rerun, back); see {@link Session.exclusive}. */
  private busy: Promise<unknown> | undefined;
  private waiters: { resolve: (s: DebugStop) => void; reject: (e: unknown) => void }[] = [];
  private readonly logEntries: LogEntry[] = [];
  /** Instruction indexes each instruction breakpoint names (the table never changes during a run). */
  private readonly targets = new WeakMap<Entry, ReadonlySet<number>>();

  constructor(
    private readonly options: DebugOptions,
    launch: (hook: DebugHook) => Promise<RunResult>,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.debugMode = options.start === "variables" ? "inactive" : "active";
    for (const spec of options.breakpoints ?? []) {
      checkBreakpointSpec(spec);
      this.entries.push({ id: this.nextId++, spec });
    }
    this.result = launch(this).then(
      (result) => {
        this.state = "finished";
        this.pause = undefined;
        for (const w of this.waiters.splice(0)) w.resolve({ kind: "finished", result });
        return result;
      },
      (error: unknown) => {
        this.state = "finished";
        for (const w of this.waiters.splice(0)) w.reject(error);
        throw error;
      },
    );
    this.result.catch(() => undefined);
  }

  // ----------------------------------------------------------------------------------------------
  // Hook (called by the run session)
  // ----------------------------------------------------------------------------------------------

  holdFailure(reachesRoot: boolean, env: { get(name: string): string | undefined }): boolean {
    if (this.debugMode === "active") return true;
    if (this.debugMode === "inactive" && reachesRoot && TRUE.test(env.get("TSDebugOnError") ?? "")) {
      this.debugMode = "active";
      this.dirty = true;
      return true;
    }
    return false;
  }

  async beforeInstruction(c: DebugControl): Promise<DebugVerdict> {
    this.control = c;
    const first = !this.started;
    if (first) this.init(c);
    if (this.cancelRequested) return "cancel";
    if (this.debugMode === "inactive" && first && this.options.start === "variables" && TRUE.test(c.env.get("TSDebugMode") ?? "")) {
      this.debugMode = "active";
      this.dirty = true;
    }
    if (this.dirty) await this.save();
    if (this.debugMode === "active" && !this.attached) {
      this.attached = true;
      this.note(`The debugger is attached, with ${this.entries.length} breakpoint(s)`);
    }
    if (this.debugMode !== "active") return c.failure !== undefined ? "propagate" : "continue";
    const ins = c.table[c.pointer];
    if (ins === undefined) return "continue";
    const why = this.reasonAt(c, ins, first);
    this.currentCheckpoint = undefined;
    if (ins.kind === "step" && c.failure === undefined) await this.checkpoint();
    this.event = undefined;
    if (why === undefined) return this.proceed("continue");
    return this.pauseHere(why.reason, why.detail, why.ids, []);
  }

  /** Engine events: log lines, variable and failure breakpoints. */
  observe(e: EngineEvent): void {
    if (e.type === "log") {
      this.logEntries.push(e.entry);
      if (this.logEntries.length >= 2 * LOG_KEEP) this.logEntries.splice(0, this.logEntries.length - LOG_KEEP);
      return;
    }
    if (this.debugMode !== "active" || this.state !== "running") return;
    if (e.type === "variable-changed") {
      const key = e.name.toUpperCase();
      const ids = this.entries.filter((b) => b.spec.kind === "variable" && (b.spec.name === undefined ? !key.startsWith("_") : b.spec.name.toUpperCase() === key)).map((b) => b.id);
      if (ids.length > 0) this.noteEvent("variable-changed", `${e.name} = ${e.value ?? "(deleted)"}`, ids);
    } else if (e.type === "step-finished" && e.outcome.startsWith("failed")) {
      const ids = this.entries.filter((b) => b.spec.kind === "step-failed").map((b) => b.id);
      if (ids.length > 0 || (e.outcome === "failed-continued" && this.options.breakOnIgnoredErrors === true)) {
        this.noteEvent("step-failed", `The step (${e.name}) failed with ${e.exitCode}${e.reason === undefined ? "" : `: ${e.reason}`}`, ids);
      }
    }
  }

  private noteEvent(reason: PauseReason, detail: string, ids: number[]): void {
    if (this.event === undefined) this.event = { reason, detail, ids };
    else this.event = { ...this.event, ids: [...new Set([...this.event.ids, ...ids])] };
  }

  private init(c: DebugControl): void {
    this.started = true;
    const saved = c.persisted;
    if (saved === undefined) return;
    const added = this.entries.map((b) => b.spec);
    this.debugMode = saved.mode === "inactive" ? this.debugMode : saved.mode;
    this.entries = saved.breakpoints.map((b) => ({ id: b.id, spec: specOf(b) }));
    this.nextId = saved.nextId;
    for (const spec of added) this.entries.push({ id: this.nextId++, spec });
  }

  private async save(): Promise<void> {
    this.dirty = false;
    await this.control?.saveSettings({ mode: this.debugMode, breakpoints: this.entries.map((b) => persistedOf(b.id, b.spec)), nextId: this.nextId });
  }

  private async checkpoint(): Promise<void> {
    const c = this.need();
    await c.checkpoint();
    this.currentCheckpoint = (c.persisted?.history.length ?? 1) - 1;
  }

  private reasonAt(c: DebugControl, ins: Instruction, first: boolean): { reason: PauseReason; detail: string; ids: number[] } | undefined {
    if (c.failure !== undefined) {
      return { reason: "failure", detail: `The step (${ins.item.name}) failed with ${c.failure.exitCode}; the debugger holds the failure`, ids: [] };
    }
    if (first && c.resumed) return { reason: "resumed", detail: `The run continues at instruction ${ins.index} in debug mode`, ids: [] };
    if (first) return { reason: "start", detail: "The run starts in debug mode", ids: [] };
    if (this.event !== undefined) return this.event;
    const ids = this.entries.filter((b) => this.targetsOf(b, c).has(ins.index)).map((b) => b.id);
    if (ids.length > 0 && !isUnreachable(c.table, ins.index)) return { reason: "breakpoint", detail: `Breakpoint before (${ins.item.name})`, ids };
    const m = this.mode;
    const prev = this.prev === undefined ? undefined : c.table[this.prev];
    if (m.kind === "step" && prev?.kind === "step") return { reason: "step", detail: `After the step (${prev.item.name})`, ids: [] };
    if (m.kind === "over" && (ins.index < m.start || ins.index > m.end)) return { reason: "step-over", detail: "Stepped over", ids: [] };
    if (m.kind === "to" && m.indexes.has(ins.index)) return { reason: "run-to", detail: `Reached (${ins.item.name})`, ids: [] };
    return undefined;
  }

  private targetsOf(b: Entry, c: DebugControl): ReadonlySet<number> {
    let found = this.targets.get(b);
    if (found === undefined) {
      found = new Set(b.spec.kind === "instruction" ? resolveTarget(c.table, b.spec.target).map((i) => i.index) : []);
      this.targets.set(b, found);
    }
    return found;
  }

  private proceed(verdict: DebugVerdict): DebugVerdict {
    const c = this.need();
    this.prev = c.pointer;
    if (c.table[c.pointer]?.kind === "step") this.lastStep = c.pointer;
    return verdict;
  }

  private async pauseHere(reason: PauseReason, detail: string, ids: readonly number[], warnings: readonly DebugWarning[]): Promise<DebugVerdict> {
    this.pause = this.describe(reason, detail, ids, warnings);
    const at = this.pause.location;
    this.note(`The debugger paused before instruction ${at.index} (${at.name}): ${reason}. ${detail}`);
    this.state = "paused";
    for (const w of this.waiters.splice(0)) w.resolve({ kind: "paused", pause: this.pause });
    // A host abort ends the pause; the run session then fails the run with `Aborted`.
    const onAbort = (): void => this.release?.("continue");
    const verdict = await new Promise<DebugVerdict>((resolve) => {
      this.release = resolve;
      if (this.signal?.aborted === true) onAbort();
      else this.signal?.addEventListener("abort", onAbort);
    });
    this.signal?.removeEventListener("abort", onAbort);
    this.release = undefined;
    this.state = "running";
    this.pause = undefined;
    if (verdict === "cancel") return verdict;
    // A step that runs again (a held failure retried, rerun) gets its checkpoint now, with the variables edited while paused.
    const c = this.need();
    if (verdict === "continue" && this.signal?.aborted !== true && this.currentCheckpoint === undefined && c.table[c.pointer]?.kind === "step") await this.checkpoint();
    return this.proceed(verdict);
  }

  private describe(reason: PauseReason, detail: string, ids: readonly number[], warnings: readonly DebugWarning[]): DebugPause {
    const c = this.need();
    const ins = c.table[c.pointer];
    if (ins === undefined) throw new TaskSeqError("InvalidOperation", "The run is at its end.");
    const groups: string[] = [];
    for (let s = c.table[ins.scope]; s !== undefined; s = c.table[s.scope]) groups.unshift(s.item.name);
    const f = c.failure;
    return {
      location: { index: ins.index, path: ins.path, name: ins.item.name, kind: ins.kind, groups },
      reason,
      detail: c.env.redact(detail),
      breakpoints: ids,
      ...(f === undefined ? {} : { failure: { name: c.table[f.index]?.item.name ?? "", exitCode: f.exitCode } }),
      variables: c.env.entries(),
      warnings,
    };
  }

  /** A debugger line in smsts.log (logging.md §6), once the run has reached its first instruction and until it has ended. */
  private note(message: string): void {
    if (this.state !== "finished") this.control?.log(1, message);
  }

  private need(): DebugControl {
    if (this.control === undefined) throw new TaskSeqError("InvalidOperation", "The run has not reached its first instruction yet.");
    return this.control;
  }

  private paused(): { control: DebugControl; pause: DebugPause } {
    if (this.state !== "paused" || this.pause === undefined || this.control === undefined) {
      throw new TaskSeqError("InvalidOperation", this.state === "finished" ? "The run has finished." : "The debugger is not paused.");
    }
    if (this.busy !== undefined) throw new TaskSeqError("InvalidOperation", "Another debugger control is still in progress.");
    return { control: this.control, pause: this.pause };
  }

  /** Runs an async control while paused: until it ends, other controls fail with `InvalidOperation` and Cancel and Quit wait. */
  private async exclusive<T>(work: (control: DebugControl, pause: DebugPause) => Promise<T>): Promise<T> {
    const { control, pause } = this.paused();
    const done = work(control, pause);
    this.busy = done;
    try {
      return await done;
    } finally {
      this.busy = undefined;
    }
  }

  /** Runs `action` now, or once the async control in progress has ended. */
  private whenIdle(action: () => void): void {
    if (this.busy === undefined) action();
    else void this.busy.then(action, action);
  }

  private resumeWith(mode: Mode, verdict: DebugVerdict = "continue"): Promise<DebugStop> {
    this.paused();
    this.mode = mode;
    this.note(`The debugger continues: ${MODE_NAMES[mode.kind]}`);
    const next = new Promise<DebugStop>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.leavePause(verdict);
    return next;
  }

  /** Ends the pause at once (a second control in the same tick sees `running`). */
  private leavePause(verdict: DebugVerdict): void {
    this.state = "running";
    this.pause = undefined;
    this.release?.(verdict);
  }

  // ----------------------------------------------------------------------------------------------
  // Controls
  // ----------------------------------------------------------------------------------------------

  stopped(): Promise<DebugStop> {
    if (this.state === "paused" && this.pause !== undefined) return Promise.resolve({ kind: "paused", pause: this.pause });
    if (this.state === "finished") return this.result.then((result) => ({ kind: "finished", result }));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  step(): Promise<DebugStop> {
    return this.resumeWith({ kind: "step" });
  }

  stepOver(): Promise<DebugStop> {
    const { control } = this.paused();
    const ins = control.table[control.pointer];
    if (ins !== undefined && (ins.kind === "enter-group" || ins.kind === "enter-child")) return this.resumeWith({ kind: "over", start: ins.index, end: ins.end });
    return this.step();
  }

  run(): Promise<DebugStop> {
    return this.resumeWith({ kind: "run" });
  }

  runTo(target: string): Promise<DebugStop> {
    const { control } = this.paused();
    const found = resolveTarget(control.table, target);
    if (found.length === 0) throw new TaskSeqError("NotFound", `No instruction is named or has the path "${target}".`);
    return this.resumeWith({ kind: "to", indexes: new Set(found.map((i) => i.index)) });
  }

  setCurrent(target: string): Promise<DebugPause> {
    return this.exclusive(async (control) => {
      const ins = resolveStep(control.table, target);
      const warnings: DebugWarning[] = [
        {
          code: "SetCurrentUnsafe",
          message: `Set Current moves to (${ins.item.name}) without running or undoing anything in between; prerequisites of later steps may be missing and the device can be damaged.`,
        },
      ];
      if (isUnreachable(control.table, ins.index)) warnings.push({ code: "SetCurrentDisabled", message: `(${ins.item.name}) is disabled or inside a disabled group: it will be skipped.` });
      await control.movePointer(ins.index, `The debugger set the current instruction to ${ins.index} (${ins.item.name}), from ${control.pointer}`);
      this.currentCheckpoint = undefined;
      if (ins.kind === "step") await this.checkpoint();
      this.pause = this.describe("set-current", `The current instruction is now (${ins.item.name})`, [], warnings);
      return this.pause;
    });
  }

  setVariable(name: string, value: string, options: { readonly secret?: boolean } = {}): Promise<DebugPause> {
    return this.exclusive(async (control, pause) => {
      await control.setVariable(name, value, options.secret === true);
      // A value made secret here is masked in the detail too (it may name the variable's value).
      this.pause = { ...pause, detail: control.env.redact(pause.detail), variables: control.env.entries() };
      return this.pause;
    });
  }

  async rerun(): Promise<DebugStop> {
    await this.exclusive(async (control) => {
      if (control.failure !== undefined) return;
      const last = this.lastStep;
      if (last === undefined) throw new TaskSeqError("InvalidOperation", "No step has run yet.");
      const ins = control.table[last];
      await control.movePointer(last, `The debugger re-runs the step (${ins?.item.name ?? ""})`);
      this.currentCheckpoint = undefined; // recorded when the step runs again, with the variables as they are then
    });
    return this.step();
  }

  back(position?: number): Promise<DebugPause> {
    return this.exclusive(async (control) => {
      const length = control.persisted?.history.length ?? 0;
      const target = position ?? (this.currentCheckpoint ?? length) - 1;
      if (!Number.isInteger(target) || target < 0 || target >= length) {
        throw new TaskSeqError(position === undefined ? "InvalidOperation" : "InvalidArgument", position === undefined ? "There is no earlier point to go back to." : `There is no history position ${position}.`);
      }
      await control.travelTo(target);
      this.mode = { kind: "run" };
      this.prev = undefined;
      await this.checkpoint();
      const ins = control.table[control.pointer];
      const warnings: DebugWarning[] = [{ code: "DeviceNotRewound", message: "Variables, the pointer and step results are restored; the device keeps its current state." }];
      this.pause = this.describe("time-travel", `Back at (${ins?.item.name ?? ""})`, [], warnings);
      return this.pause;
    });
  }

  history(): readonly DebugHistoryEntry[] {
    const c = this.control;
    return (c?.persisted?.history ?? []).map((h, position) => {
      const ins = c?.table[h.index];
      return { position, index: h.index, path: ins?.path ?? "", name: ins?.item.name ?? "" };
    });
  }

  addBreakpoint(spec: BreakpointSpec): Breakpoint {
    checkBreakpointSpec(spec);
    const table = this.control?.table;
    if (spec.kind === "instruction" && table !== undefined && resolveTarget(table, spec.target).length === 0) {
      throw new TaskSeqError("NotFound", `No instruction is named or has the path "${spec.target}".`);
    }
    const id = this.nextId++;
    this.entries.push({ id, spec });
    this.dirty = true;
    this.note(`The debugger added breakpoint ${id}: ${breakpointText(spec)}`);
    return describeBreakpoint(id, spec, table);
  }

  removeBreakpoint(id: number): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((b) => b.id !== id);
    const removed = this.entries.length !== before;
    this.dirty ||= removed;
    if (removed) this.note(`The debugger removed breakpoint ${id}`);
    return removed;
  }

  clearBreakpoints(): void {
    this.entries = [];
    this.dirty = true;
    this.note("The debugger removed every breakpoint");
  }

  breakpoints(): readonly Breakpoint[] {
    return this.entries.map((b) => describeBreakpoint(b.id, b.spec, this.control?.table));
  }

  variables(): readonly VariableInfo[] {
    return this.control?.env.entries() ?? [];
  }

  log(): DebugLog {
    const env = this.control?.env;
    const entries = this.logEntries.slice(-LOG_KEEP);
    // Lines written before a value became secret are masked with the secrets known now.
    return { path: env?.get("_SMSTSLogPath"), entries: env === undefined ? entries : entries.map((e) => ({ ...e, message: env.redact(e.message) })) };
  }

  cancel(): Promise<RunResult> {
    this.note("The debugger cancels the task sequence");
    this.whenIdle(() => {
      if (this.state === "paused") this.leavePause("cancel");
      else this.cancelRequested = true;
    });
    return this.result;
  }

  quit(): Promise<RunResult> {
    if (this.debugMode === "active") this.note("The debugger was closed; the task sequence continues normally");
    if (this.debugMode !== "detached") {
      this.debugMode = "detached";
      this.dirty = true;
    }
    this.whenIdle(() => {
      if (this.state === "paused") this.leavePause(this.control?.failure !== undefined ? "propagate" : "continue");
    });
    return this.result;
  }
}

/** How a control resumes the run, as the log names it. */
const MODE_NAMES: Readonly<Record<Mode["kind"], string>> = { step: "Step", over: "Step Over", run: "Run", to: "Run To" };

/** A breakpoint as the log describes it. */
function breakpointText(spec: BreakpointSpec): string {
  if (spec.kind === "instruction") return `before (${spec.target})`;
  if (spec.kind === "variable") return spec.name === undefined ? "after any variable changes" : `after ${spec.name} changes`;
  return "after any step fails";
}

/**
 * Starts a debug session: `launch` starts the run with the session as its hook; the engine passes
 * its events to `observe`. Used by `Engine.debug()` and `Engine.resumeDebug()`.
 */
export function startDebugSession(
  options: DebugOptions,
  launch: (hook: DebugHook) => Promise<RunResult>,
  signal: AbortSignal | undefined,
): { readonly session: DebugSession; readonly observe: (e: EngineEvent) => void } {
  const session = new Session(options, launch, signal);
  return { session, observe: (e) => session.observe(e) };
}
