/**
 * The environment and device views the engine hands to step handlers. They are the
 * `@taskseq/environment` and `@taskseq/device` types; these aliases keep the handler contract
 * stable while those packages evolve.
 */

/** Options of a variable write. */
export interface VariableWriteOptions {
  /** Marks the value secret (masked in logs, events, exports and state files). */
  readonly secret?: boolean;
}

/** The non-privileged environment handle: `_` variables are read-only through it. */
export interface StepEnvironment {
  /** The value of a variable (case-insensitive name), or `undefined` when unset. */
  get(name: string): string | undefined;
  /** Sets a variable; `""` deletes it. Throws `ReadOnlyVariable` for `_` names. */
  set(name: string, value: string, options?: VariableWriteOptions): void;
  /** Deletes a variable. */
  delete(name: string): void;
  /** Every variable name currently defined. */
  names(): string[];
  /** True when the variable's value is secret. */
  isSecret(name: string): boolean;
}

/** The device a step acts on (the `@taskseq/device` capability set). */
export type StepDevice = object;
