/**
 * The environment one handler run sees: the run's environment while the step runs, read-only once
 * the step has ended. A handler the engine stopped (step timeout, maximum run time, host abort)
 * may go on running, since JavaScript cannot kill it; in ConfigMgr the stopped process is gone.
 * Its late writes must not reach the steps that run after it, so each is refused with `Aborted`.
 */
import { TaskSeqError, type Step } from "@taskseq/model";
import type {
  ArrayElement,
  ChangeRecord,
  ExpandedText,
  ExpandOptions,
  JournalMark,
  ListSuffixDigits,
  SetOptions,
  TaskSequenceEnvironment,
  VariableExplanation,
  VariableInfo,
} from "@taskseq/environment";
import type { RunLogger } from "./run-logger.js";

/**
 * A step's view of the run's environment, closed by {@link StepScopedEnvironment.end} when the step
 * ends. One is made per handler run, so it holds no closures of its own (the engine's per-step cost).
 */
export class StepScopedEnvironment implements TaskSequenceEnvironment {
  #ended = false;
  #warned = false;

  /**
   * @param env - the run's environment
   * @param step - the step, named in the refusal
   * @param log - where the first refused write is logged, as a warning of the step's instruction `index`
   * @param index - the step's instruction index
   */
  constructor(
    private readonly env: TaskSequenceEnvironment,
    private readonly step: Step,
    private readonly log: RunLogger,
    private readonly index: number,
  ) {}

  /** Ends the step: from now on every write throws `Aborted`. */
  end(): void {
    this.#ended = true;
  }

  /** Throws `Aborted` when the step has ended (and logs the first such write). */
  checkOpen(name: string): void {
    if (!this.#ended) return;
    if (!this.#warned) {
      this.#warned = true;
      this.log.write(2, "TSManager", "late-write", `The action (${this.step.name}) has ended: its handler's write of ${name} was refused (later refused writes are not logged)`, this.index);
    }
    throw new TaskSeqError("Aborted", `The step (${this.step.name}) has ended: its handler can no longer change the variable ${name}.`, { details: { variable: name } });
  }

  Value(name: string, value?: string): string {
    if (value === undefined) return this.env.Value(name);
    this.checkOpen(name);
    return this.env.Value(name, value);
  }
  GetVariables(): string[] {
    return this.env.GetVariables();
  }
  get(name: string): string | undefined {
    return this.env.get(name);
  }
  set(name: string, value: string, options?: SetOptions): void {
    this.checkOpen(name);
    this.env.set(name, value, options);
  }
  has(name: string): boolean {
    return this.env.has(name);
  }
  delete(name: string): boolean {
    this.checkOpen(name);
    return this.env.delete(name);
  }
  entries(): VariableInfo[] {
    return this.env.entries();
  }
  snapshot(): readonly VariableInfo[] {
    return this.env.snapshot();
  }
  get count(): number {
    return this.env.count;
  }
  get size(): number {
    return this.env.size;
  }
  expand(text: string, options?: ExpandOptions): string {
    return this.env.expand(text, options);
  }
  expandDetailed(text: string, options?: ExpandOptions): ExpandedText {
    return this.env.expandDetailed(text, options);
  }
  isSecret(name: string): boolean {
    return this.env.isSecret(name);
  }
  redact(text: string): string {
    return this.env.redact(text);
  }
  secretsIn(text: string): string[] {
    return this.env.secretsIn(text);
  }
  mark(): JournalMark {
    return this.env.mark();
  }
  changesSince(mark: JournalMark): ChangeRecord[] {
    return this.env.changesSince(mark);
  }
  explain(name: string): VariableExplanation {
    return this.env.explain(name);
  }
  readList(base: string, digits: ListSuffixDigits): string[] {
    return this.env.readList(base, digits);
  }
  appendToList(base: string, value: string, digits: ListSuffixDigits, options?: SetOptions): string {
    this.checkOpen(base);
    return this.env.appendToList(base, value, digits, options);
  }
  readArray(base: string, properties: readonly string[], count?: number): ArrayElement[] {
    return this.env.readArray(base, properties, count);
  }
}
