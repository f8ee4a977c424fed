/**
 * Public interface of the task sequence environment (spec/variables.md, spec/com-api.md §1).
 * The engine, the script host and the step handlers code against these types.
 */

/** Where a variable's current value came from (spec/variables.md §7). Ordered lowest to highest. */
export type VariableLayer =
  | "step"
  | "builtin-default"
  | "sequence"
  | "collection"
  | "device"
  | "media"
  | "runtime"
  | "engine";

/** The mask every display form uses for a secret value (logging.md §9). */
export const SECRET_MASK = "********";

/** Options of a write. */
export interface SetOptions {
  /** Mark the value secret. A secret stays secret until the variable is deleted (§9.1). */
  readonly secret?: boolean;
}

/** One variable as shown to people: secret values are masked. */
export interface VariableInfo {
  /** Display name: the casing of the write that created it. */
  readonly name: string;
  /**
   * The value, or {@link SECRET_MASK} when secret. A value that holds secret text without being
   * secret itself (an expansion of a secret variable) has that text masked (spec §9.2).
   */
  readonly value: string;
  /** True when the value is secret. */
  readonly secret: boolean;
  /** True when the name starts with `_`. */
  readonly readOnly: boolean;
  /** The last writer. */
  readonly layer: VariableLayer;
  /** True for an action-variable default present only while its step runs. */
  readonly local: boolean;
}

/**
 * One change of the environment. Secret values appear as {@link SECRET_MASK}. The value of a
 * variable that is not secret is recorded as written, even when it holds secret text (an expansion
 * of a secret variable): the engine persists it from here (sealed) and must restore it exactly.
 * It is not a display form: pass `oldValue` and `newValue` through
 * {@link TaskSequenceEnvironment.redact} before showing or logging them.
 */
export interface ChangeRecord {
  /** Monotonic sequence number, starting at 1. */
  readonly seq: number;
  /** Display name. */
  readonly name: string;
  /** The value before (masked when secret); `undefined` when the variable did not exist. */
  readonly oldValue: string | undefined;
  /** The value after (masked when secret); `undefined` when the change deleted the variable. */
  readonly newValue: string | undefined;
  /** The layer that wrote. */
  readonly layer: VariableLayer;
  /** The step running when the change happened, when the engine told the environment. */
  readonly step?: string;
  /** True when the variable was secret (before or after). */
  readonly secret: boolean;
}

/** A journal position returned by {@link TaskSequenceEnvironment.mark}. */
export type JournalMark = number;

/** One contribution in {@link VariableExplanation.overridden}. */
export interface LayerValue {
  /** The layer. */
  readonly layer: VariableLayer;
  /** The collection ID for a `collection` contribution. */
  readonly source?: string;
  /** The value, masked when secret; secret text in it masked too. */
  readonly value: string;
}

/** Result of {@link TaskSequenceEnvironment.explain}. */
export interface VariableExplanation {
  /** Display name. */
  readonly name: string;
  /** True when the variable exists (visible to the running step). */
  readonly exists: boolean;
  /** The current value (masked when secret; secret text in it masked too); `undefined` when absent. */
  readonly value: string | undefined;
  /** The layer that gave the current value. */
  readonly layer: VariableLayer | undefined;
  /** Lower-priority values the current value replaced, highest first. */
  readonly overridden: readonly LayerValue[];
  /** True when secret. */
  readonly secret: boolean;
  /** True when the name is read-only. */
  readonly readOnly: boolean;
  /** True when the value is a local action default of the running step. */
  readonly local: boolean;
}

/** A span `[start, end)` of a string that holds a secret value. */
export type SecretSpan = readonly [start: number, end: number];

/** Result of {@link TaskSequenceEnvironment.expandDetailed}. */
export interface ExpandedText {
  /** The expanded text (contains real secret values: use it, never display it). */
  readonly text: string;
  /** Where secret values were inserted. */
  readonly secretSpans: readonly SecretSpan[];
  /** The text with every secret span (and every known secret value) replaced by {@link SECRET_MASK}. */
  readonly display: string;
}

/** Looks up a name in the device's process environment (`%windir%`), used when no variable matches. */
export type ProcessEnvironmentLookup = (name: string) => string | undefined;

/** Options of {@link TaskSequenceEnvironment.expand}. */
export interface ExpandOptions {
  /** Fallback for undefined names (§11 rule 4); defaults to the environment's option. */
  readonly processEnvironment?: ProcessEnvironmentLookup;
}

/** The digit count of a one-based suffix list (§10.2): `AA01` (2) or `AA001` (3). */
export type ListSuffixDigits = 2 | 3;

/** One element of a zero-based property array (§10.1), keyed by property name. */
export type ArrayElement = Readonly<Record<string, string>>;

/**
 * The COM face: `Microsoft.SMS.TSEnvironment` (spec/com-api.md §1). Failing writes throw a
 * `TaskSeqError` whose `details.hresult` holds the HRESULT the sandbox reports.
 */
export interface TsEnvironmentCom {
  /**
   * Reads a variable; an unknown or invalid name returns `""`. With two arguments, writes it
   * (`""` deletes) in the run-time layer.
   */
  Value(name: string, value?: string): string;
  /** Names of every variable present (secrets and local defaults included), ordinal case-insensitive order. */
  GetVariables(): string[];
}

/**
 * The task sequence environment: a case-insensitive store of string variables with layers,
 * secrets, `%VAR%` expansion and a change journal.
 *
 * @example
 * ```ts
 * const { env } = createEnvironment();
 * env.set("OSDComputerName", "PC01");
 * env.get("osdcomputername");           // "PC01"
 * env.expand("name=%OSDComputerName%"); // "name=PC01"
 * env.set("OSDJoinPassword", "s3cr3t"); // secret by name
 * env.redact("pw s3cr3t");              // "pw ********"
 * ```
 */
export interface TaskSequenceEnvironment extends TsEnvironmentCom {
  /** The value the running step sees, or `undefined` when absent. Real secret values are returned. */
  get(name: string): string | undefined;
  /** Writes in the run-time layer (`""` deletes). Throws `InvalidVariableName`, `ReadOnlyVariable`, `ValueTooLong`, `EnvironmentFull`. */
  set(name: string, value: string, options?: SetOptions): void;
  /** True when the variable exists. */
  has(name: string): boolean;
  /** Deletes a variable (same as setting `""`); returns whether it existed. */
  delete(name: string): boolean;
  /**
   * Every visible variable for display, ordinal case-insensitive name order: secret values masked,
   * and secret text inside other values masked (spec §9.2). Read real values with {@link TaskSequenceEnvironment.get}.
   */
  entries(): VariableInfo[];
  /** A frozen, display-safe copy of {@link entries} at this instant. */
  snapshot(): readonly VariableInfo[];
  /** Number of visible variables. */
  readonly count: number;
  /** Current size in bytes: Σ (name length + value length) × 2 over every variable (§3). */
  readonly size: number;
  /** Expands `%name%` references (spec §11). */
  expand(text: string, options?: ExpandOptions): string;
  /** Expands and reports where secret values were inserted. */
  expandDetailed(text: string, options?: ExpandOptions): ExpandedText;
  /** True when the variable exists and is secret. */
  isSecret(name: string): boolean;
  /** Replaces every value that has been secret during this run, also inside longer text, with `********`. */
  redact(text: string): string;
  /** The values that have been secret during this run and occur in `text`, longest first (what {@link redact} masks there): for adapters that mask what they record. */
  secretsIn(text: string): string[];
  /** The current journal position. */
  mark(): JournalMark;
  /**
   * Changes after `mark`, oldest first (secret values masked). Values of variables that are not
   * secret are as written, secret text included (see {@link ChangeRecord}): redact before display.
   */
  changesSince(mark: JournalMark): ChangeRecord[];
  /** Which layer gave a variable its value and what it overrode. */
  explain(name: string): VariableExplanation;
  /** Reads a one-based suffix list `Base01`, `Base02`, … up to the first gap (§10.2). */
  readList(base: string, digits: ListSuffixDigits): string[];
  /** Appends to a one-based suffix list and returns the name written. Throws `InvalidOperation` when full. */
  appendToList(base: string, value: string, digits: ListSuffixDigits, options?: SetOptions): string;
  /**
   * Reads a zero-based property array `Base<i><Property>` (§10.1). Without `count`, reads while any
   * property of the index exists.
   */
  readArray(base: string, properties: readonly string[], count?: number): ArrayElement[];
}

/** An action variable default of a step (spec §8). */
export interface StepDefault {
  /** The action variable name (may start with `_`: an engine write). */
  readonly name: string;
  /** The configured value. */
  readonly value: string;
  /** A fixed setting (§8): the local value wins over a global of the same name while the step runs. */
  readonly fixed?: boolean;
  /** A secret setting (passwords, keys). */
  readonly secret?: boolean;
  /** `hidden="true"` (§8): left out of {@link TaskSequenceEnvironment.entries}; not secret. */
  readonly hidden?: boolean;
}

/** A variable of an initial layer (collection, device, media, sequence default). */
export interface LayerVariable {
  /** Name. */
  readonly name: string;
  /** Value. */
  readonly value: string;
  /** "Do not display this value" (`IsMasked`): secret. */
  readonly secret?: boolean;
}

/** The variables of one collection. */
export interface CollectionVariables {
  /** Collection ID (ties between equal priorities: the ID sorting last wins). */
  readonly id: string;
  /** Variable priority 1 (lowest) to 9 (highest). */
  readonly priority: number;
  /** The variables. */
  readonly variables: readonly LayerVariable[];
}

/** The initial layers the engine builds the global environment from at run start (spec §7). */
export interface InitialLayers {
  /** Built-in defaults; defaults to {@link builtinDefaults}. May name read-only (`_`) variables. */
  readonly builtinDefaults?: readonly LayerVariable[];
  /** The sequence's `globalVarList`. */
  readonly sequence?: readonly LayerVariable[];
  /** Collection variables. Ignored when `media` is given. */
  readonly collections?: readonly CollectionVariables[];
  /** Device variables. Ignored when `media` is given. */
  readonly device?: readonly LayerVariable[];
  /** Media variables: replace collection and device variables. */
  readonly media?: readonly LayerVariable[];
}

/** Seals secret values for persistence. */
export interface SecretStore {
  /** Returns an opaque token for `value` (never the value itself). */
  seal(value: string): Promise<string>;
  /** Returns the value of a token; throws `SecretStoreUnavailable` when it cannot. */
  unseal(token: string): Promise<string>;
}

/**
 * The engine-privileged handle: writes read-only variables, builds layers, pushes step defaults.
 * Only {@link createEnvironment} hands it out.
 */
export interface EngineEnvironment {
  /** The environment it controls. */
  readonly env: TaskSequenceEnvironment;
  /**
   * Engine write: may write `_` names. `layer` defaults to `engine`. A write in the `engine` layer is
   * not bound by the 4,000-character value limit (the engine's `_SMSTSTaskSequence` holds a whole
   * document) but counts toward the size limit like any other (`EnvironmentFull`); other layers
   * throw `ValueTooLong` above 4,000 characters.
   */
  set(name: string, value: string, options?: SetOptions & { readonly layer?: VariableLayer }): void;
  /** Builds the global environment from initial layers (spec §7). Replaces existing layer values. */
  applyLayers(layers: InitialLayers): void;
  /**
   * Adds a step's action variable defaults (spec §8); the frame is removed by {@link popStepDefaults}.
   * Returns the names added as local defaults, in order (a name a global overrides is not added).
   * Throws, adding nothing, for an invalid name (`InvalidVariableName`) and when the defaults would
   * take the environment past its size limit (`EnvironmentFull`).
   */
  pushStepDefaults(step: string, defaults: readonly StepDefault[]): readonly string[];
  /** Removes the local defaults the last {@link pushStepDefaults} added. */
  popStepDefaults(): void;
  /** Names the running step for journal records (`undefined` between steps). */
  setCurrentStep(step: string | undefined): void;
  /** Drops journal records up to and including `mark` (after the engine persisted them). */
  compactJournal(mark: JournalMark): void;
  /**
   * Serializes only the globals changed after `mark` (their current state, or their deletion), with
   * secrets sealed: an append-only journal entry for the state store. Throws `InvalidOperation`
   * when the journal was compacted past `mark`.
   */
  serializeChanges(mark: JournalMark): Promise<string>;
  /**
   * Applies a document of {@link serializeChanges} on top of the state it follows (after
   * {@link restore}). Throws `StateCorrupt` when it does not follow the current journal position.
   */
  applyChanges(serialized: string): Promise<void>;
  /** Serializes every global variable (secrets sealed by the secret store) as a JSON document. */
  serialize(): Promise<string>;
  /** Replaces the state with a serialized document. Throws `StateCorrupt` for unknown versions or bad input. */
  restore(serialized: string): Promise<void>;
  /** Deletes every variable (engine-internal `Clear()`). */
  clear(): void;
}

/** Options of {@link createEnvironment}. */
export interface EnvironmentOptions {
  /** Maximum environment size in bytes (spec §3); default 32 MB. */
  readonly maxSize?: number;
  /** Size above which {@link onSizeWarning} fires once; default 8 KB. */
  readonly warnSize?: number;
  /** Called once when the size first grows above `warnSize` (the engine logs a type-2 line). */
  readonly onSizeWarning?: (size: number) => void;
  /** Fallback for undefined names during expansion. */
  readonly processEnvironment?: ProcessEnvironmentLookup;
  /** Seals secrets in {@link EngineEnvironment.serialize}; default: an in-memory store. */
  readonly secretStore?: SecretStore;
}

/** What {@link createEnvironment} returns. */
export interface CreatedEnvironment {
  /** The environment for steps, scripts and hosts. */
  readonly env: TaskSequenceEnvironment;
  /** The privileged handle: keep it in the engine. */
  readonly engine: EngineEnvironment;
}
