/**
 * The compact form of a task sequence inside a run-state snapshot (version 5). A run's first
 * snapshot holds its whole sequence, so the form is built for writing speed: steps are arrays, and
 * the strings every step repeats (step types, setting names, success code lists) are written once
 * in a table and referred to by index — a third of the text the object form takes, built in half
 * the time.
 *
 * - Sequence: the sequence's own fields, `items` encoded, and `w`, the table.
 * - Step: `[type, name, successCodes, flags, settings]` plus, when any other field differs from
 *   its default, a sixth member holding those fields as they are (`description`, `condition`,
 *   `timeout`, `retryCount`, `startIn`, `action`, `trivia`, and any field this module does not
 *   know). `type` and `successCodes` are table indexes; `flags` adds 1 `disabled`, 2
 *   `continueOnError`, 4 `runFromNet`, 8 element `subtasksequence`, 16 `runIn` `WinPE`, 32 `runIn`
 *   `FullOS`.
 * - Settings: a flat array; a setting holding only `name`, `property` and `value` takes three
 *   members (two table indexes and the value), any other is one member, the setting object.
 * - Group: an object, the group's fields with `children` encoded (groups are few).
 *
 * {@link decodeSequence} restores every field, defaults included, and reports malformed input as
 * `StateCorrupt`.
 */
import { TaskSeqError, type ActionVariable, type Group, type Item, type RunIn, type Step, type TaskSequence } from "@taskseq/model";

const DISABLED = 1;
const CONTINUE_ON_ERROR = 2;
const RUN_FROM_NET = 4;
const SUBTASKSEQUENCE = 8;
const RUN_IN_WINPE = 16;
const RUN_IN_FULL_OS = 32;
const ALL_FLAGS = 63;

/** Table of the strings and success code lists steps repeat. */
class Words {
  readonly list: unknown[] = [];
  readonly #strings = new Map<string, number>();
  readonly #codes = new Map<string, number>();

  /** The index of a string. */
  string(text: string): number {
    return this.#add(this.#strings, text, text);
  }

  /** The index of a success code list. */
  codes(codes: readonly number[]): number {
    return this.#add(this.#codes, codes.join(","), codes);
  }

  #add(index: Map<string, number>, key: string, value: unknown): number {
    let i = index.get(key);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(value);
      index.set(key, i);
    }
    return i;
  }
}

/** Whether a setting holds nothing but its name, property and value (any other field is written with the setting object). */
function isPlainSetting(v: ActionVariable): boolean {
  let fields = 0;
  for (const _ in v) fields++;
  return fields === 3 && v.hidden === undefined && v.trivia === undefined;
}

function encodeSettings(variables: readonly ActionVariable[], words: Words): unknown[] {
  const out: unknown[] = [];
  for (const v of variables) {
    if (isPlainSetting(v)) out.push(words.string(v.name), words.string(v.property), v.value);
    else out.push(v);
  }
  return out;
}

function encodeStep(step: Step, words: Words): unknown[] {
  let flags = 0;
  let extra: Record<string, unknown> | undefined;
  // One pass over the step's own fields: a field this module does not know is kept in `extra`.
  for (const key in step) {
    switch (key) {
      case "kind":
      case "type":
      case "name":
      case "successCodes":
      case "variables":
        break;
      case "disabled":
        if (step.disabled) flags |= DISABLED;
        break;
      case "continueOnError":
        if (step.continueOnError) flags |= CONTINUE_ON_ERROR;
        break;
      case "runFromNet":
        if (step.runFromNet) flags |= RUN_FROM_NET;
        break;
      case "element":
        if (step.element === "subtasksequence") flags |= SUBTASKSEQUENCE;
        else if (step.element !== "step") (extra ??= {})[key] = step.element;
        break;
      case "runIn":
        if (step.runIn === "WinPE") flags |= RUN_IN_WINPE;
        else if (step.runIn === "FullOS") flags |= RUN_IN_FULL_OS;
        else if (step.runIn !== "WinPEandFullOS") (extra ??= {})[key] = step.runIn;
        break;
      case "description":
        if (step.description !== "") (extra ??= {})[key] = step.description;
        break;
      case "retryCount":
        if (step.retryCount !== 0) (extra ??= {})[key] = step.retryCount;
        break;
      default: {
        const value = (step as unknown as Record<string, unknown>)[key];
        if (value !== undefined) (extra ??= {})[key] = value;
      }
    }
  }
  const encoded: unknown[] = [words.string(step.type), step.name, words.codes(step.successCodes), flags, encodeSettings(step.variables, words)];
  if (extra !== undefined) encoded.push(extra);
  return encoded;
}

function encodeItems(items: readonly Item[], words: Words): unknown[] {
  return items.map((item) => (item.kind === "step" ? encodeStep(item, words) : { ...item, children: encodeItems(item.children, words) }));
}

/** A sequence in the compact form (see the module comment). */
export function encodeSequence(sequence: TaskSequence): object {
  const words = new Words();
  const items = encodeItems(sequence.items, words);
  return { ...sequence, items, w: words.list };
}

function corrupt(what: string): TaskSeqError {
  return new TaskSeqError("StateCorrupt", `The state snapshot has a malformed sequence: ${what}.`);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function word(words: readonly unknown[], i: unknown): unknown {
  if (typeof i !== "number" || !Number.isInteger(i) || i < 0 || i >= words.length) throw corrupt(`no table entry ${String(i)}`);
  return words[i];
}

function wordString(words: readonly unknown[], i: unknown): string {
  const w = word(words, i);
  if (typeof w !== "string") throw corrupt(`table entry ${String(i)} is not a string`);
  return w;
}

function decodeSettings(v: unknown, words: readonly unknown[]): ActionVariable[] {
  if (!Array.isArray(v)) throw corrupt("step settings are not a list");
  const out: ActionVariable[] = [];
  for (let i = 0; i < v.length; ) {
    const head: unknown = v[i];
    if (isRecord(head)) {
      if (typeof head["name"] !== "string" || typeof head["property"] !== "string" || typeof head["value"] !== "string") throw corrupt("a step setting lacks its name, property or value");
      out.push(head as unknown as ActionVariable);
      i += 1;
      continue;
    }
    const value: unknown = v[i + 2];
    if (typeof value !== "string") throw corrupt("a step setting has no value");
    out.push({ name: wordString(words, head), property: wordString(words, v[i + 1]), value });
    i += 3;
  }
  return out;
}

/** Step fields held by the array's positions and flags: never in its sixth member. */
const POSITIONAL_FIELDS = ["kind", "type", "name", "successCodes", "variables", "disabled", "continueOnError", "runFromNet"];

function runInOf(flags: number): RunIn {
  if ((flags & RUN_IN_WINPE) !== 0) return "WinPE";
  return (flags & RUN_IN_FULL_OS) !== 0 ? "FullOS" : "WinPEandFullOS";
}

function decodeStep(v: readonly unknown[], words: readonly unknown[]): Step {
  const [type, name, codes, flags, settings, extra] = v;
  const successCodes = word(words, codes);
  if (typeof name !== "string" || typeof flags !== "number" || !Number.isInteger(flags) || (flags & ~ALL_FLAGS) !== 0 || !Array.isArray(successCodes) || !successCodes.every(Number.isSafeInteger)) {
    throw corrupt("a step has a bad name, flags or success codes");
  }
  if (v.length > 6 || (v.length === 6 && (!isRecord(extra) || POSITIONAL_FIELDS.some((f) => f in extra)))) throw corrupt("a step has unexpected members");
  return {
    kind: "step",
    element: (flags & SUBTASKSEQUENCE) !== 0 ? "subtasksequence" : "step",
    type: wordString(words, type),
    name,
    description: "",
    disabled: (flags & DISABLED) !== 0,
    continueOnError: (flags & CONTINUE_ON_ERROR) !== 0,
    successCodes: successCodes as number[],
    runIn: runInOf(flags),
    retryCount: 0,
    runFromNet: (flags & RUN_FROM_NET) !== 0,
    variables: decodeSettings(settings, words),
    ...(extra as Record<string, unknown> | undefined),
  };
}

function decodeItems(v: unknown, words: readonly unknown[]): Item[] {
  if (!Array.isArray(v)) throw corrupt("items are not a list");
  return v.map((item: unknown): Item => {
    if (Array.isArray(item)) return decodeStep(item, words);
    if (!isRecord(item) || item["kind"] !== "group" || typeof item["name"] !== "string") throw corrupt("an item is neither a step nor a group");
    const group = { description: "", disabled: false, continueOnError: false, ...item, children: decodeItems(item["children"], words) };
    return group as unknown as Group;
  });
}

/** The sequence {@link encodeSequence} wrote; malformed input is `StateCorrupt`. */
export function decodeSequence(v: unknown): TaskSequence {
  if (!isRecord(v) || !Array.isArray(v["w"])) throw corrupt("no string table");
  const { w: words, ...sequence } = v;
  return { ...sequence, items: decodeItems(v["items"], words as unknown[]) } as unknown as TaskSequence;
}
