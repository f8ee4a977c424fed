import type { TaskSeqErrorCode, VariableNameCheck } from "@taskseq/model";
import { checkVariableName, isSecretVariableKey, quoteVariableName, TaskSeqError, variableNameKey } from "@taskseq/model";
import { builtinDefaults } from "./builtin-variables.js";
import { createChangeJournal } from "./change-journal.js";
import { expandReferences } from "./expand.js";
import { createRedactor } from "./redactor.js";
import { createMemorySecretStore } from "./secret-store.js";
import type { StateVariable } from "./state-document.js";
import { readChangesDocument, readStateDocument, writeChangesDocument, writeStateDocument } from "./state-document.js";
import { SECRET_MASK } from "./types.js";
import type {
  ArrayElement,
  CreatedEnvironment,
  EngineEnvironment,
  EnvironmentOptions,
  ExpandedText,
  ExpandOptions,
  InitialLayers,
  LayerValue,
  LayerVariable,
  ListSuffixDigits,
  SecretSpan,
  SetOptions,
  StepDefault,
  TaskSequenceEnvironment,
  VariableExplanation,
  VariableInfo,
  VariableLayer,
} from "./types.js";

/** Longest accepted value, in UTF-16 code units (spec/variables.md §3); engine-layer writes are exempt (see `EngineEnvironment.set`). */
export const MAX_VARIABLE_VALUE_LENGTH = 4000;
/** Default environment size limit in bytes (spec §3). */
export const DEFAULT_MAX_ENVIRONMENT_SIZE = 32 * 1024 * 1024;
/** Default size above which the engine warns once (spec §3). */
export const DEFAULT_WARN_ENVIRONMENT_SIZE = 8 * 1024;

/** The HRESULT a COM caller sees for each environment error (spec/com-api.md §1.2). */
const HRESULTS: Partial<Record<TaskSeqErrorCode, number>> = {
  ReadOnlyVariable: 0x80070005,
  InvalidVariableName: 0x80070057,
  ValueTooLong: 0x80070057,
  InvalidArgument: 0x80070057,
  EnvironmentFull: 0x8007000e,
};


/** A variable as stored. Mutated in place on update (allocation-light hot path). */
interface Entry {
  readonly display: string;
  value: string;
  secret: boolean;
  layer: VariableLayer;
}

/** A local action default (spec §8). */
interface LocalEntry extends Entry {
  readonly fixed: boolean;
  readonly hidden: boolean;
  /** Its key in `locals`. */
  readonly key: string;
  /** The entry it replaced in `locals`, put back when its step frame is popped. */
  previous: LocalEntry | undefined;
}

/** What the environment knows of one spelling of a variable name (see `spellingOf`). */
interface Spelling {
  /** The spelling itself. */
  readonly name: string;
  /** The name check with the engine's rules (`_` names allowed), made at the first write: reads need only the key. */
  check: VariableNameCheck | undefined;
  readonly key: string;
  /** Whether the name makes a variable secret (`isSecretVariableKey`), found at its first write. */
  secretKey: boolean | undefined;
  /** The global entry of `key` when `version` is the environment's current one. */
  global: Entry | undefined;
  version: number;
}

/**
 * The prototype of every environment object, holding its two computed properties (`count`,
 * `size`). Getters in the object literal would make each environment a dictionary-mode object,
 * every method read a hash lookup; on a shared prototype, environments have one fast shape.
 */
class LiveCounts {
  readonly #count: () => number;
  readonly #size: () => number;

  constructor(count: () => number, size: () => number) {
    this.#count = count;
    this.#size = size;
  }

  get count(): number {
    return this.#count();
  }

  get size(): number {
    return this.#size();
  }
}

interface Contribution extends StateVariable {
  readonly key: string;
}

const INITIAL_LAYERS: ReadonlySet<VariableLayer> = new Set(["builtin-default", "sequence", "collection", "device", "media"]);
const KEY_CACHE_LIMIT = 4096;
/** Upper bound of {@link TaskSequenceEnvironment.readArray} (bounded time on any input). */
const MAX_ARRAY_ELEMENTS = 10_000;
const entrySize = (name: string, value: string): number => (name.length + value.length) * 2;
/** {@link entrySize} of a value over the value limit (only the engine and step settings hold one), else 0: not counted toward the size warning. */
const oversized = (name: string, value: string): number => (value.length > MAX_VARIABLE_VALUE_LENGTH ? entrySize(name, value) : 0);
const byKey = (a: readonly [string, ...unknown[]], b: readonly [string, ...unknown[]]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
const compareIds = (a: string, b: string): number => {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Creates a task sequence environment and its engine-privileged handle (spec/variables.md).
 * Hand `env` to steps, scripts and hosts; keep `engine` in the runner.
 *
 * @param options - size limits, process-environment fallback, secret store
 * @example
 * ```ts
 * const { env, engine } = createEnvironment();
 * engine.applyLayers({ collections: [{ id: "C1", priority: 1, variables: [{ name: "Site", value: "A" }] }] });
 * engine.set("_SMSTSInWinPE", "true");          // only the engine may write `_` names
 * env.set("OSDComputerName", "PC-%Site%".replace("%Site%", env.get("Site") ?? ""));
 * env.Value("osdcomputername");                  // "PC-A"
 * env.explain("Site").layer;                     // "collection"
 * ```
 */
export function createEnvironment(options: EnvironmentOptions = {}): CreatedEnvironment {
  const maxSize = options.maxSize ?? DEFAULT_MAX_ENVIRONMENT_SIZE;
  const warnSize = options.warnSize ?? DEFAULT_WARN_ENVIRONMENT_SIZE;
  const secretStore = options.secretStore ?? createMemorySecretStore();
  let globals = new Map<string, Entry>();
  /**
   * The local defaults by key. A popped default without an entry it replaced stays as `undefined`
   * (counted out of `localCount`): deleting it would shrink the map at every step and grow it at the
   * next. The keys are the distinct setting names of the steps that ran.
   */
  let locals = new Map<string, LocalEntry | undefined>();
  let localCount = 0;
  /** The entries of each pushed step frame (each knows the entry it replaced, put back on pop). */
  const frames: (readonly LocalEntry[])[] = [];
  let contributions = new Map<string, Contribution[]>();
  let redactor = createRedactor();
  let size = 0;
  /** Bytes of the values over {@link MAX_VARIABLE_VALUE_LENGTH} (in `size`, not counted toward the warning). */
  let oversize = 0;
  let warned = false;
  let seq = 0;
  const journal = createChangeJournal();
  let currentStep: string | undefined;
  /** When each value first became secret (journal position), for change documents. */
  let secretLog: Array<readonly [number, string]> = [];
  const rememberSecret = (value: string): void => {
    if (redactor.add(value)) secretLog.push([seq, value]);
  };

  /** A typed error whose message and details pass the redaction filter (a secret typed as a name stays hidden). */
  const fail = (code: TaskSeqErrorCode, message: string, name?: string): TaskSeqError =>
    new TaskSeqError(code, redactor.redact(message), {
      details: { hresult: HRESULTS[code], ...(name === undefined ? {} : { name: redactor.redact(name) }) },
    });

  /**
   * What is known of each spelling of a name, in one lookup: its key, its global entry and, once
   * it is written, its name check (engine rules). Entries are updated in place, so a held entry stays valid until the
   * set of global entries changes (a variable created or deleted, a restore), which bumps
   * `globalsVersion`; step defaults are looked up beside it, so pushing and popping them keeps it.
   */
  const spellings = new Map<string, Spelling>();
  let globalsVersion = 0;
  const spellingOf = (name: string): Spelling => {
    let s = spellings.get(name);
    if (s === undefined) {
      if (typeof name !== "string") throw fail("InvalidVariableName", "A variable name must be a string.");
      if (spellings.size >= KEY_CACHE_LIMIT) spellings.clear();
      s = { name, check: undefined, key: variableNameKey(name), secretKey: undefined, global: undefined, version: -1 };
      spellings.set(name, s);
    }
    return s;
  };
  const keyOf = (name: string): string => spellingOf(name).key;
  const isSecretName = (s: Spelling): boolean => (s.secretKey ??= isSecretVariableKey(s.key));
  const globalOf = (s: Spelling): Entry | undefined => {
    if (s.version !== globalsVersion) {
      s.global = globals.get(s.key);
      s.version = globalsVersion;
    }
    return s.global;
  };

  /** The entry the running step sees: fixed local > global > local default. */
  const pick = (key: string, global: Entry | undefined): Entry | undefined => {
    const local = locals.get(key);
    if (local === undefined) return global;
    return global === undefined || local.fixed ? local : global;
  };
  const resolveKey = (key: string): Entry | undefined => {
    const global = globals.get(key);
    return localCount === 0 ? global : pick(key, global);
  };
  const resolve = (name: string): Entry | undefined => {
    const s = spellingOf(name);
    const global = globalOf(s);
    return localCount === 0 ? global : pick(s.key, global);
  };

  /** `EnvironmentFull` for a write (`Writing variable "X"`) that would take the environment past the limit. */
  const tooLarge = (what: string, name?: string): TaskSeqError => fail("EnvironmentFull", `${what} would exceed the environment size limit of ${maxSize} bytes.`, name);
  const grow = (delta: number, name: string): void => {
    if (size + delta > maxSize) throw tooLarge(`Writing variable ${quoteVariableName(name)}`, name);
  };
  /**
   * `delta` bytes more in the environment, `exempt` of them in values over the value limit (the
   * engine's own documents, long step settings): those are not counted toward the size warning,
   * which the first time the rest passes `warnSize` gets that size.
   */
  const grew = (delta: number, exempt: number): void => {
    size += delta;
    oversize += exempt;
    if (!warned && size - oversize > warnSize) {
      warned = true;
      options.onSizeWarning?.(size - oversize);
    }
  };

  const record = (name: string, oldValue: string | undefined, newValue: string | undefined, layer: VariableLayer, secret: boolean): void => {
    seq++;
    const before = secret && oldValue !== undefined ? SECRET_MASK : oldValue;
    const after = secret && newValue !== undefined ? SECRET_MASK : newValue;
    journal.append(
      currentStep === undefined
        ? { seq, name, oldValue: before, newValue: after, layer, secret }
        : { seq, name, oldValue: before, newValue: after, layer, step: currentStep, secret },
    );
  };

  const checkString = (name: string, value: unknown): void => {
    if (typeof value !== "string") throw fail("InvalidArgument", `The value of variable ${quoteVariableName(name)} must be a string.`, name);
  };
  const checkValue = (name: string, value: unknown): void => {
    checkString(name, value);
    if (typeof value === "string" && value.length > MAX_VARIABLE_VALUE_LENGTH) {
      throw fail("ValueTooLong", `The value of variable ${quoteVariableName(name)} is ${value.length} characters long; the limit is ${MAX_VARIABLE_VALUE_LENGTH}.`, name);
    }
  };

  /** Writes a checked, trimmed name into the global store. */
  const commit = (spelling: Spelling, value: string, secretFlag: boolean, layer: VariableLayer): void => {
    const name = spelling.name;
    // The engine's own read-only values are not bound by the 4,000-character limit (`_SMSTSTaskSequence` holds a whole document); they still count toward the size limit.
    if (layer === "engine") checkString(name, value);
    else checkValue(name, value);
    const key = spelling.key;
    const existing = globalOf(spelling);
    if (value.length === 0) {
      if (existing === undefined) return;
      globals.delete(key);
      globalsVersion++;
      size -= entrySize(existing.display, existing.value);
      oversize -= oversized(existing.display, existing.value);
      record(existing.display, existing.value, undefined, layer, existing.secret);
      return;
    }
    // A stored entry whose name makes it secret is already marked secret (creation and restore mark it).
    const secret = secretFlag || (existing === undefined ? isSecretName(spelling) : existing.secret);
    if (existing === undefined) {
      const delta = entrySize(name, value);
      grow(delta, name);
      globals.set(key, { display: name, value, secret, layer });
      globalsVersion++;
      if (secret) rememberSecret(value);
      grew(delta, oversized(name, value));
      record(name, undefined, value, layer, secret);
      return;
    }
    const delta = (value.length - existing.value.length) * 2;
    grow(delta, name);
    const oldValue = existing.value;
    existing.value = value;
    existing.secret = secret;
    existing.layer = layer;
    if (secret) rememberSecret(value);
    grew(delta, oversized(existing.display, value) - oversized(existing.display, oldValue));
    record(existing.display, oldValue, value, layer, secret);
  };

  /** The spelling of the checked, trimmed name; a user write of a `_` name is refused. */
  const checked = (name: string, allowReadOnly: boolean): Spelling => {
    if (typeof name !== "string") throw fail("InvalidVariableName", "A variable name must be a string.");
    const spelling = spellingOf(name);
    let check: VariableNameCheck = (spelling.check ??= checkVariableName(name, { allowReadOnly: true }));
    if (check.ok && check.readOnly && !allowReadOnly) check = checkVariableName(name);
    if (!check.ok) throw fail(check.code, check.message, name.length > 256 ? undefined : name);
    return check.name === name ? spelling : spellingOf(check.name);
  };
  const checkedName = (name: string, allowReadOnly: boolean): string => checked(name, allowReadOnly).name;

  const userSet = (name: string, value: string, opts?: SetOptions): void => {
    commit(checked(name, false), value, opts?.secret === true, "runtime");
  };

  const visible = (): Array<readonly [string, Entry, boolean]> => {
    const out: Array<readonly [string, Entry, boolean]> = [];
    for (const [key, entry] of globals) {
      const local = locals.get(key);
      if (local === undefined || !local.fixed) out.push([key, entry, false]);
    }
    for (const [key, local] of locals) {
      if (local !== undefined && (local.fixed || !globals.has(key))) out.push([key, local, true]);
    }
    return out.sort(byKey);
  };

  /**
   * The display form of a value: a secret value is the mask; any other value has every secret it
   * holds (an expansion of a secret variable, spec §9.2) masked by the redactor.
   */
  const shown = (v: { readonly value: string; readonly secret: boolean }): string => (v.secret ? SECRET_MASK : redactor.redact(v.value));

  const info = (entry: Entry, local: boolean): VariableInfo => ({
    name: entry.display,
    value: shown(entry),
    secret: entry.secret,
    readOnly: entry.display.charCodeAt(0) === 0x5f,
    layer: entry.layer,
    local,
  });

  const entries = (): VariableInfo[] =>
    visible()
      .filter(([, entry, local]) => !(local && (entry as LocalEntry).hidden))
      .map(([, entry, local]) => info(entry, local));

  const expandDetailed = (text: string, expandOptions?: ExpandOptions): ExpandedText => {
    const { text: expanded, secretSpans } = expandReferences(text, resolve, expandOptions?.processEnvironment ?? options.processEnvironment);
    return { text: expanded, secretSpans, display: maskSpans(expanded, secretSpans) };
  };

  const maskSpans = (text: string, spans: readonly SecretSpan[]): string => {
    let out = "";
    let at = 0;
    for (const [start, end] of spans) {
      out += redactor.redact(text.slice(at, start)) + SECRET_MASK;
      at = end;
    }
    return out + redactor.redact(text.slice(at));
  };

  const listName = (base: string, index: number, digits: ListSuffixDigits): string => `${base}${String(index).padStart(digits, "0")}`;

  const readList = (base: string, digits: ListSuffixDigits): string[] => {
    const out: string[] = [];
    const max = digits === 2 ? 99 : 999;
    for (let i = 1; i <= max; i++) {
      const value = resolve(listName(base, i, digits))?.value;
      if (value === undefined) break;
      out.push(value);
    }
    return out;
  };

  const readArray = (base: string, properties: readonly string[], count?: number): ArrayElement[] => {
    const out: ArrayElement[] = [];
    if (count !== undefined && !(Number.isSafeInteger(count) && count >= 0 && count <= MAX_ARRAY_ELEMENTS)) {
      throw fail("InvalidArgument", `An array count must be an integer from 0 to ${MAX_ARRAY_ELEMENTS}.`);
    }
    const limit = count ?? MAX_ARRAY_ELEMENTS;
    for (let i = 0; i < limit; i++) {
      const element: Record<string, string> = {};
      let found = false;
      for (const property of properties) {
        const value = resolve(`${base}${i}${property}`)?.value;
        if (value !== undefined) {
          element[property] = value;
          found = true;
        }
      }
      if (!found && count === undefined) break;
      out.push(element);
    }
    return out;
  };

  const explain = (name: string): VariableExplanation => {
    const key = keyOf(name);
    const current = resolveKey(key);
    const global = globals.get(key);
    const local = locals.get(key);
    const overridden: LayerValue[] = [];
    if (local !== undefined && current !== local) overridden.push({ layer: "step", value: shown(local) });
    if (global !== undefined && current !== global) overridden.push({ layer: global.layer, value: shown(global) });
    const layered = contributions.get(key) ?? [];
    const fromLayers = global !== undefined && INITIAL_LAYERS.has(global.layer) && current === global ? layered.slice(0, -1) : layered;
    for (let i = fromLayers.length - 1; i >= 0; i--) {
      const c = fromLayers[i];
      if (c !== undefined) overridden.push(c.source === undefined ? { layer: c.layer, value: shown(c) } : { layer: c.layer, source: c.source, value: shown(c) });
    }
    return {
      name: current?.display ?? layered[0]?.name ?? name.trim(),
      exists: current !== undefined,
      value: current === undefined ? undefined : shown(current),
      layer: current?.layer,
      overridden,
      secret: current?.secret ?? false,
      readOnly: key.charCodeAt(0) === 0x5f,
      local: current !== undefined && current === local,
    };
  };

  const env: TaskSequenceEnvironment = Object.assign(new LiveCounts(() => visible().length, () => size), {
    Value(name: string, value?: string): string {
      if (value === undefined) return resolve(name)?.value ?? "";
      userSet(name, value);
      return value;
    },
    GetVariables: () => visible().map(([, entry]) => entry.display),
    get: (name) => resolve(name)?.value,
    set: userSet,
    has: (name) => resolve(name) !== undefined,
    delete(name) {
      const existed = globals.has(keyOf(name));
      userSet(name, "");
      return existed;
    },
    entries,
    snapshot: () => Object.freeze(entries().map((v) => Object.freeze(v))),
    expand: (text, expandOptions) => expandReferences(text, resolve, expandOptions?.processEnvironment ?? options.processEnvironment).text,
    expandDetailed,
    isSecret: (name) => resolve(name)?.secret === true,
    redact: (text) => redactor.redact(text),
    secretsIn: (text) => (redactor.empty ? [] : redactor.values().filter((v) => text.includes(v))),
    mark: () => seq,
    changesSince: (mark) => journal.since(mark),
    explain,
    readList,
    appendToList(base, value, digits, opts) {
      const next = readList(base, digits).length + 1;
      if (next > (digits === 2 ? 99 : 999)) {
        throw fail("InvalidOperation", `The list ${quoteVariableName(base)} already holds the maximum number of ${digits}-digit entries.`, base);
      }
      const name = listName(base.trim(), next, digits);
      userSet(name, value, opts);
      return name;
    },
    readArray,
  } satisfies Omit<TaskSequenceEnvironment, keyof LiveCounts>);

  const applyLayers = (layers: InitialLayers): void => {
    const merged = new Map<string, Contribution>();
    const all = new Map<string, Contribution[]>();
    const add = (layer: VariableLayer, vars: readonly LayerVariable[], source?: string): void => {
      if (!Array.isArray(vars)) throw new TaskSeqError("InvalidArgument", `The ${layer} variables${source === undefined ? "" : ` of ${source}`} are not a list of { name, value }.`);
      for (const v of vars) {
        if (typeof v !== "object" || v === null) throw new TaskSeqError("InvalidArgument", `A ${layer} variable is not a { name, value } object.`);
        // Built-in defaults may name read-only variables (`_TSAppInstallStatus=Undefined`): they are the engine's own.
        const name = checkedName(v.name, layer === "builtin-default");
        checkValue(name, v.value);
        if (v.value.length === 0) continue;
        const key = keyOf(name);
        const secret = v.secret === true || isSecretVariableKey(key) || merged.get(key)?.secret === true;
        const c: Contribution = { key, name, value: v.value, secret, layer, source };
        merged.set(key, c);
        const list = all.get(key);
        if (list === undefined) all.set(key, [c]);
        else list.push(c);
      }
    };
    add("builtin-default", layers.builtinDefaults ?? builtinDefaults);
    add("sequence", layers.sequence ?? []);
    if (layers.media !== undefined) add("media", layers.media);
    else {
      const given = layers.collections ?? [];
      if (!Array.isArray(given) || !given.every((c) => typeof c === "object" && c !== null)) throw new TaskSeqError("InvalidArgument", "The collection variables are not a list of { id, priority, variables }.");
      const ordered = [...given].sort((a, b) => a.priority - b.priority || compareIds(a.id, b.id));
      for (const c of ordered) add("collection", c.variables, c.id);
      add("device", layers.device ?? []);
    }
    let nextSize = size;
    for (const entry of globals.values()) if (INITIAL_LAYERS.has(entry.layer)) nextSize -= entrySize(entry.display, entry.value);
    for (const [key, c] of merged) {
      const held = globals.get(key);
      if (held === undefined || INITIAL_LAYERS.has(held.layer)) nextSize += entrySize(held?.display ?? all.get(key)?.[0]?.name ?? c.name, c.value);
    }
    if (nextSize > maxSize) throw fail("EnvironmentFull", `The initial layers exceed the environment size limit of ${maxSize} bytes.`);
    for (const [key, entry] of [...globals]) {
      if (INITIAL_LAYERS.has(entry.layer) && !merged.has(key)) commit(spellingOf(entry.display), "", false, entry.layer);
    }
    for (const [key, c] of merged) {
      const held = globals.get(key);
      const created = all.get(key)?.[0]?.name ?? c.name;
      if (held === undefined || INITIAL_LAYERS.has(held.layer)) commit(spellingOf(held?.display ?? created), c.value, c.secret, c.layer);
      else if (c.secret) rememberSecret(c.value);
    }
    contributions = all;
  };

  const pushStepDefaults = (step: string, defaults: readonly StepDefault[]): readonly string[] => {
    // Every default is checked before anything changes; one list, no intermediate ones (this runs for every step).
    const added: LocalEntry[] = [];
    for (const d of defaults) {
      const spelling = checked(d.name, true);
      const name = spelling.name;
      // Step settings come from the sequence, not from a variable write: the 4,000-character value
      // limit does not apply (embedded scripts are longer); they still count toward the size limit.
      checkString(name, d.value);
      const fixed = d.fixed === true;
      if (d.value.length === 0) continue;
      const key = spelling.key;
      if (!fixed && globalOf(spelling) !== undefined) continue;
      const local: LocalEntry = { display: name, value: d.value, secret: d.secret === true || isSecretName(spelling), layer: "step", fixed, hidden: d.hidden === true, key, previous: locals.get(key) };
      let at = 0; // a name listed twice: the last entry wins, in the first one's place
      while (at < added.length && (added[at] as LocalEntry).key !== key) at++;
      added[at] = local;
    }
    let delta = 0;
    let exempt = 0;
    for (const local of added) {
      const previous = local.previous;
      delta += entrySize(local.display, local.value) - (previous === undefined ? 0 : entrySize(previous.display, previous.value));
      exempt += oversized(local.display, local.value) - (previous === undefined ? 0 : oversized(previous.display, previous.value));
    }
    if (size + delta > maxSize) throw tooLarge(`Applying the local defaults of the step (${step})`);
    const names: string[] = [];
    for (const local of added) {
      locals.set(local.key, local);
      if (local.previous === undefined) localCount++;
      if (local.secret) rememberSecret(local.value);
      names.push(local.display);
    }
    grew(delta, exempt);
    frames.push(added);
    return names;
  };

  const popStepDefaults = (): void => {
    const added = frames.pop();
    if (added === undefined) throw new TaskSeqError("InvalidOperation", "No step defaults to remove.");
    // Frames are popped in the order they were pushed: each entry is still the one in `locals`.
    for (let i = added.length - 1; i >= 0; i--) {
      const local = added[i] as LocalEntry;
      size -= entrySize(local.display, local.value);
      oversize -= oversized(local.display, local.value);
      const previous = local.previous;
      locals.set(local.key, previous);
      if (previous === undefined) localCount--;
      else {
        size += entrySize(previous.display, previous.value);
        oversize += oversized(previous.display, previous.value);
      }
    }
  };

  const engine: EngineEnvironment = {
    env,
    set(name, value, opts) {
      commit(checked(name, true), value, opts?.secret === true, opts?.layer ?? "engine");
    },
    applyLayers,
    pushStepDefaults,
    popStepDefaults,
    setCurrentStep(step) {
      currentStep = step;
    },
    compactJournal(mark) {
      journal.compact(mark);
      if (secretLog.length > 0) secretLog = secretLog.filter(([at]) => at >= mark);
    },
    serializeChanges(mark) {
      if (!Number.isSafeInteger(mark) || mark > seq || !journal.holds(mark)) {
        return Promise.reject(new TaskSeqError("InvalidOperation", `The journal no longer holds the changes after mark ${mark}.`));
      }
      const changed = new Set<string>();
      for (const r of journal.since(mark)) changed.add(keyOf(r.name));
      const variables: StateVariable[] = [];
      const deleted: string[] = [];
      for (const key of changed) {
        const e = globals.get(key);
        if (e === undefined) deleted.push(key);
        else variables.push({ name: e.display, value: e.value, secret: e.secret, layer: e.layer });
      }
      const redaction = secretLog.filter(([at]) => at >= mark).map(([, value]) => value);
      return writeChangesDocument({ from: mark, seq, variables, deleted, redaction, knownSecrets: redactor.values() }, secretStore);
    },
    async applyChanges(serialized) {
      const changes = await readChangesDocument(serialized, secretStore);
      if (changes.from !== seq) {
        throw new TaskSeqError("StateCorrupt", `The change document follows position ${changes.from}, but the environment is at ${seq}.`);
      }
      const writes = changes.variables.map((v) => [checked(v.name, true), v] as const);
      const deleted = changes.deleted.map((name) => checked(name, true));
      for (const value of changes.redaction) rememberSecret(value);
      for (const spelling of deleted) commit(spelling, "", false, "engine");
      for (const [spelling, v] of writes) {
        const existing = globalOf(spelling);
        if (existing !== undefined && existing.secret && !v.secret) commit(spelling, "", false, v.layer);
        commit(spelling, v.value, v.secret, v.layer);
      }
      seq = changes.seq;
      journal.reset(seq);
      secretLog = [];
    },
    serialize() {
      const variables = [...globals.values()].map((e): StateVariable => ({ name: e.display, value: e.value, secret: e.secret, layer: e.layer }));
      const layered = [...contributions.values()].flat().map(({ key: _key, ...c }) => c);
      return writeStateDocument({ seq, variables, contributions: layered, redaction: redactor.values() }, secretStore);
    },
    async restore(serialized) {
      const content = await readStateDocument(serialized, secretStore);
      const nextGlobals = new Map<string, Entry>();
      let nextSize = 0;
      for (const v of content.variables) {
        const name = checkedName(v.name, true);
        if (v.layer === "engine") checkString(name, v.value);
        else checkValue(name, v.value);
        if (v.value.length === 0) continue;
        const key = keyOf(name);
        nextGlobals.set(key, { display: name, value: v.value, secret: v.secret || isSecretVariableKey(key), layer: v.layer });
        nextSize += entrySize(name, v.value);
      }
      if (nextSize > maxSize) throw fail("EnvironmentFull", `The restored environment exceeds the size limit of ${maxSize} bytes.`);
      const nextContributions = new Map<string, Contribution[]>();
      for (const c of content.contributions) {
        const key = keyOf(checkedName(c.name, true));
        const list = nextContributions.get(key) ?? [];
        list.push({ ...c, key });
        nextContributions.set(key, list);
      }
      const nextRedactor = createRedactor();
      for (const value of content.redaction) nextRedactor.add(value);
      for (const e of nextGlobals.values()) if (e.secret) nextRedactor.add(e.value);
      globals = nextGlobals;
      globalsVersion++;
      contributions = nextContributions;
      redactor = nextRedactor;
      secretLog = [];
      locals = new Map();
      localCount = 0;
      frames.length = 0;
      size = nextSize;
      oversize = 0;
      for (const e of nextGlobals.values()) oversize += oversized(e.display, e.value);
      // A restored environment above the threshold was warned about when it grew there (spec §3: the first time only).
      warned = size - oversize > warnSize;
      seq = content.seq;
      journal.reset(seq);
    },
    clear() {
      for (const entry of [...globals.values()]) commit(spellingOf(entry.display), "", false, "engine");
      contributions = new Map();
    },
  };

  return { env, engine };
}
