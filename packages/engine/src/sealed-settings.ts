/**
 * Secret step settings in the persisted run (DESIGN.md §5: no secret value in the state files).
 *
 * A snapshot holds the run's sequences so that `resume()` needs nothing else. Before they are
 * written, every setting whose value must not be stored in clear ({@link isSecretStepSetting}), the
 * `Rules` of a Set Dynamic Variables step (its rules may hold secret values) and every sequence
 * variable with a secret name is replaced by its name and property only; the whole original entry
 * (value and trivia, which may hold the source value) is sealed by the secret store and listed in
 * `PersistedRun.sealed`. Resume unseals the entries and puts them back.
 */
import type { SecretStore } from "@taskseq/environment";
import { TaskSeqError, isSecretStepSetting, isSecretVariableName, type ActionVariable, type Item, type Step, type TaskSequence } from "@taskseq/model";
import type { PersistedRun, SealedSetting } from "./state-format.js";

const SET_DYNAMIC_VARIABLES = "SMS_TaskSequence_SetDynamicVariablesAction";

/** Where the sequence variables are, in a {@link SealedSetting}'s path. */
const GLOBALS = "globals";

/** Whether a step setting is sealed (see the module comment). */
function isSealedSetting(step: Step, v: ActionVariable): boolean {
  return v.value !== "" && (isSecretStepSetting(step, v) || (v.property === "Rules" && step.type === SET_DYNAMIC_VARIABLES));
}

/** An entry to seal or unseal: its place and the entry. */
interface Slot {
  readonly sequence: number;
  readonly path: string;
  readonly index: number;
  readonly entry: ActionVariable;
}

const pathOf = (prefix: string, i: number): string => (prefix === "" ? String(i) : `${prefix}.${i}`);

/** Pushes the sealed settings of `items` (paths are built only for them: most runs have none). */
function collectItems(items: readonly Item[], sequence: number, prefix: string, out: Slot[]): void {
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as Item;
    if (item.kind === "group") {
      collectItems(item.children, sequence, pathOf(prefix, i), out);
      continue;
    }
    const variables = item.variables;
    for (let index = 0; index < variables.length; index++) {
      const entry = variables[index] as ActionVariable;
      if (isSealedSetting(item, entry)) out.push({ sequence, path: pathOf(prefix, i), index, entry });
    }
  }
}

/** The entries of a sequence to seal. */
function sealedSlots(seq: TaskSequence, sequence: number): Slot[] {
  const out: Slot[] = [];
  seq.globalVariables.forEach((g, index) => void (g.value !== "" && isSecretVariableName(g.name) && out.push({ sequence, path: GLOBALS, index, entry: g })));
  collectItems(seq.items, sequence, "", out);
  return out;
}

/** The entry as written in place of a sealed one: its name and property, and `hidden` when set. */
function placeholder(entry: ActionVariable): ActionVariable {
  return entry.hidden === undefined ? { name: entry.name, property: entry.property, value: "" } : { name: entry.name, property: entry.property, value: "", hidden: entry.hidden };
}

/** `variables` with the entries of `replaced` (by index) swapped in. */
function replaceEntries(variables: readonly ActionVariable[], replaced: ReadonlyMap<number, ActionVariable> | undefined): readonly ActionVariable[] {
  return replaced === undefined ? variables : variables.map((v, i) => replaced.get(i) ?? v);
}

/** `items` with the entries of `byPath` swapped in; unchanged items (and lists) stay the same objects. */
function replaceInItems(items: readonly Item[], byPath: ReadonlyMap<string, ReadonlyMap<number, ActionVariable>>, prefix: string): readonly Item[] {
  let changed = false;
  const out = items.map((item, i) => {
    const path = pathOf(prefix, i);
    let next: Item = item;
    if (item.kind === "group") {
      const children = replaceInItems(item.children, byPath, path);
      if (children !== item.children) next = { ...item, children };
    } else if (byPath.has(path)) {
      next = { ...item, variables: replaceEntries(item.variables, byPath.get(path)) };
    }
    changed ||= next !== item;
    return next;
  });
  return changed ? out : items;
}

/** A sequence with the given entries swapped in. */
function replaceInSequence(seq: TaskSequence, entries: readonly { readonly path: string; readonly index: number; readonly entry: ActionVariable }[]): TaskSequence {
  if (entries.length === 0) return seq;
  const byPath = new Map<string, Map<number, ActionVariable>>();
  for (const e of entries) {
    let at = byPath.get(e.path);
    if (at === undefined) byPath.set(e.path, (at = new Map()));
    at.set(e.index, e.entry);
  }
  const globals = byPath.get(GLOBALS);
  return { ...seq, globalVariables: replaceEntries(seq.globalVariables, globals), items: replaceInItems(seq.items, byPath, "") } as TaskSequence;
}

/**
 * The run as a snapshot stores it: secret settings and secret sequence variables of its sequences
 * sealed (see the module comment). The run itself when there are none.
 */
export async function sealSettings(run: PersistedRun, store: SecretStore): Promise<PersistedRun> {
  const sequences = [run.sequence, ...run.children.map((c) => c.sequence)];
  const slots = sequences.flatMap((seq, i) => sealedSlots(seq, i));
  if (slots.length === 0) return run;
  const tokens = await Promise.all(slots.map((s) => store.seal(JSON.stringify(s.entry))));
  const blanked = sequences.map((seq, i) => replaceInSequence(seq, slots.filter((s) => s.sequence === i).map((s) => ({ ...s, entry: placeholder(s.entry) }))));
  return {
    ...run,
    sequence: blanked[0] ?? run.sequence,
    children: run.children.map((c, i) => ({ ...c, sequence: blanked[i + 1] ?? c.sequence })),
    sealed: slots.map((s, i): SealedSetting => [s.sequence, s.path, s.index, tokens[i] ?? ""]),
  };
}

function corrupt(what: string, cause?: unknown): TaskSeqError {
  return new TaskSeqError("StateCorrupt", `The state snapshot has a malformed sealed setting: ${what}.`, { cause });
}

/** A sealed entry, unsealed and checked. */
async function unsealEntry(token: string, store: SecretStore): Promise<ActionVariable> {
  const text = await store.unseal(token); // SecretStoreUnavailable stays what it is
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch (cause) {
    throw corrupt("not JSON", cause);
  }
  const e = entry as Record<string, unknown> | null;
  if (typeof e !== "object" || e === null || typeof e["name"] !== "string" || typeof e["property"] !== "string" || typeof e["value"] !== "string") throw corrupt("not a setting");
  return entry as ActionVariable;
}

/** The step at an index path (`0.2.1`), if there is one. */
function stepAt(items: readonly Item[], path: string): Step | undefined {
  let list = items;
  let item: Item | undefined;
  for (const part of path.split(".")) {
    if (item !== undefined) {
      if (item.kind !== "group") return undefined;
      list = item.children;
    }
    item = /^\d+$/.test(part) ? list[Number(part)] : undefined;
    if (item === undefined) return undefined;
  }
  return item?.kind === "step" ? item : undefined;
}

/** The run with its sealed entries unsealed and put back (the inverse of {@link sealSettings}). */
export async function unsealSettings(run: PersistedRun, store: SecretStore): Promise<PersistedRun> {
  const sealed = run.sealed;
  if (sealed === undefined) return run;
  const entries = await Promise.all(sealed.map(async ([sequence, path, index, token]) => ({ sequence, path, index, entry: await unsealEntry(token, store) })));
  const sequences = [run.sequence, ...run.children.map((c) => c.sequence)];
  for (const e of entries) {
    const seq = sequences[e.sequence];
    const at = seq === undefined ? undefined : e.path === GLOBALS ? seq.globalVariables[e.index] : stepAt(seq.items, e.path)?.variables[e.index];
    if (at === undefined || at.name !== e.entry.name || at.property !== e.entry.property) throw corrupt(`nothing to put back at ${e.sequence}:${e.path}:${e.index}`);
  }
  const restored = sequences.map((seq, i) => replaceInSequence(seq, entries.filter((e) => e.sequence === i)));
  const { sealed: _, ...rest } = run;
  return { ...rest, sequence: restored[0] ?? run.sequence, children: run.children.map((c, i) => ({ ...c, sequence: restored[i + 1] ?? c.sequence })) };
}
