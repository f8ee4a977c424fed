/**
 * The compact form of a task sequence inside a run-state snapshot (versions 6 and 7). A run's first
 * snapshot holds its whole sequence, so the form is built for writing speed: what steps of one kind
 * share is written once, in a table of shapes, and each step is a few members of one flat list —
 * few values for `JSON.stringify` to visit and no array per step to build.
 *
 * - Sequence: the sequence's own fields, `items` encoded, and `shapes`, the table.
 * - Shape: `[type, successCodes, flags, settings, extra]`. `flags` adds 1 `disabled`, 2
 *   `continueOnError`, 4 `runFromNet`, 8 element `subtasksequence`, 16 `runIn` `WinPE`, 32 `runIn`
 *   `FullOS`. `settings` has one member per step setting, in order: `[name, property]` for a setting
 *   holding only its name, property and value (the step holds the value), `null` for any other (the
 *   step holds the setting object). `extra` is 1 when each step of the shape ends with an object of
 *   its other fields, 0 otherwise.
 * - Items: one flat list. A number `n` starts a step of shape `n`: then its name, one member per
 *   setting of the shape and, when the shape says so, the object of every other field that differs
 *   from its default, as it is (`description`, `condition`, `timeout`, `retryCount`, `startIn`,
 *   `action`, `trivia`, and any field this module does not know). An object is a group, with its
 *   `children` encoded the same way (groups are few).
 *
 * {@link decodeSequence} restores every field, defaults included, and reports malformed input as
 * `StateCorrupt`. It also reads version 5, where a `w` table held repeated strings and success code
 * lists and each step was an array `[type, name, successCodes, flags, settings, extra?]` (`type`
 * and `successCodes` table indexes, `settings` flat: a plain setting as two table indexes and its
 * value, any other as its object).
 */
import { TaskSeqError, type ActionVariable, type Group, type Item, type RunIn, type Step, type TaskSequence } from "@taskseq/model";

const DISABLED = 1;
const CONTINUE_ON_ERROR = 2;
const RUN_FROM_NET = 4;
const SUBTASKSEQUENCE = 8;
const RUN_IN_WINPE = 16;
const RUN_IN_FULL_OS = 32;
const ALL_FLAGS = 63;

/** The fields every step has: a step with just these, holding the values a shape describes, needs no extra object. */
const STANDARD_FIELD_COUNT = 12;

/** What the steps of one shape share. */
interface Shape {
  readonly index: number;
  readonly type: string;
  readonly successCodes: readonly number[];
  readonly flags: number;
  /** Per setting: `[name, property]` of a plain setting, `null` for one written whole. */
  readonly settings: readonly (readonly [string, string] | null)[];
  readonly extra: boolean;
}

/** Whether a setting holds nothing but its name, property and value (any other is written whole). */
function isPlainSetting(v: ActionVariable): boolean {
  let fields = 0;
  for (const _ in v) fields++;
  return fields === 3 && v.hidden === undefined && v.trivia === undefined;
}

function sameCodes(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function fits(shape: Shape, step: Step, flags: number, extra: boolean): boolean {
  if (shape.type !== step.type || shape.flags !== flags || shape.extra !== extra || !sameCodes(shape.successCodes, step.successCodes)) return false;
  const variables = step.variables;
  if (variables.length !== shape.settings.length) return false;
  for (let i = 0; i < variables.length; i++) {
    const v = variables[i] as ActionVariable;
    const s = shape.settings[i];
    if (s === null || s === undefined ? isPlainSetting(v) : s[0] !== v.name || s[1] !== v.property || !isPlainSetting(v)) return false;
  }
  return true;
}

/**
 * An empty list in V8's generic element kind. A list that starts empty starts in the kind for small
 * integers and changes kind at its first string or object; code optimized for a list of the other
 * kind (the list of the last run) is then thrown away at every run. Starting generic, it never is.
 */
function genericList<T>(): T[] {
  const list: T[] = [undefined as T];
  list.length = 0;
  return list;
}

/** The table of shapes; consecutive steps usually share one, found without a lookup. */
class Shapes {
  readonly list: Shape[] = genericList();
  readonly #byType = new Map<string, Shape[]>();
  #last: Shape | undefined;

  of(step: Step, flags: number, extra: boolean): Shape {
    const last = this.#last;
    if (last !== undefined && fits(last, step, flags, extra)) return last;
    let candidates = this.#byType.get(step.type);
    if (candidates === undefined) this.#byType.set(step.type, (candidates = genericList()));
    let shape = candidates.find((s) => fits(s, step, flags, extra));
    if (shape === undefined) {
      const settings = step.variables.map((v) => (isPlainSetting(v) ? ([v.name, v.property] as const) : null));
      shape = { index: this.list.length, type: step.type, successCodes: step.successCodes, flags, settings, extra };
      candidates.push(shape);
      this.list.push(shape);
    }
    this.#last = shape;
    return shape;
  }

  encoded(): unknown[] {
    return this.list.map((s) => [s.type, s.successCodes, s.flags, s.settings, s.extra ? 1 : 0]);
  }
}

/** The flags of a step (see the module comment). */
function flagsOf(step: Step): number {
  let flags = 0;
  if (step.disabled) flags |= DISABLED;
  if (step.continueOnError) flags |= CONTINUE_ON_ERROR;
  if (step.runFromNet) flags |= RUN_FROM_NET;
  if (step.element === "subtasksequence") flags |= SUBTASKSEQUENCE;
  if (step.runIn === "WinPE") flags |= RUN_IN_WINPE;
  else if (step.runIn === "FullOS") flags |= RUN_IN_FULL_OS;
  return flags;
}

/** Whether a step has only the standard fields, each holding a default or a value its flags carry (most steps). */
function isStandardStep(step: Step): boolean {
  let fields = 0;
  for (const _ in step) fields++;
  return (
    fields === STANDARD_FIELD_COUNT &&
    typeof step.type === "string" &&
    typeof step.name === "string" &&
    step.description === "" &&
    step.retryCount === 0 &&
    typeof step.disabled === "boolean" &&
    typeof step.continueOnError === "boolean" &&
    typeof step.runFromNet === "boolean" &&
    (step.element === "step" || step.element === "subtasksequence") &&
    (step.runIn === "WinPEandFullOS" || step.runIn === "WinPE" || step.runIn === "FullOS")
  );
}

/** The fields of a step that neither its shape nor its name and settings hold; `undefined` when there are none. */
function extraFields(step: Step): Record<string, unknown> | undefined {
  let extra: Record<string, unknown> | undefined;
  for (const key in step) {
    switch (key) {
      case "kind":
      case "type":
      case "name":
      case "successCodes":
      case "variables":
      case "disabled":
      case "continueOnError":
      case "runFromNet":
        break;
      case "element":
        if (step.element !== "step" && step.element !== "subtasksequence") (extra ??= {})[key] = step.element;
        break;
      case "runIn":
        if (step.runIn !== "WinPEandFullOS" && step.runIn !== "WinPE" && step.runIn !== "FullOS") (extra ??= {})[key] = step.runIn;
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
  return extra;
}

/** Appends a step: its shape's index, its name, its settings' members and its extra object, if any. */
function encodeStep(step: Step, shapes: Shapes, out: unknown[]): void {
  const extra = isStandardStep(step) ? undefined : extraFields(step);
  const shape = shapes.of(step, flagsOf(step), extra !== undefined);
  out.push(shape.index, step.name);
  const variables = step.variables;
  for (let i = 0; i < variables.length; i++) {
    const v = variables[i] as ActionVariable;
    out.push(shape.settings[i] === null ? v : v.value);
  }
  if (extra !== undefined) out.push(extra);
}

function encodeItems(items: readonly Item[], shapes: Shapes): unknown[] {
  const out: unknown[] = genericList();
  // `forEach`, not a loop: this runs once per run, and a loop over thousands of steps would be
  // compiled on stack replacement at every run; called per item, the encoding is compiled once.
  items.forEach((item) => {
    if (item.kind === "step") encodeStep(item, shapes, out);
    else out.push({ ...item, children: encodeItems(item.children, shapes) });
  });
  return out;
}

/** A sequence in the compact form (see the module comment). */
export function encodeSequence(sequence: TaskSequence): object {
  const shapes = new Shapes();
  const items = encodeItems(sequence.items, shapes);
  return { ...sequence, items, shapes: shapes.encoded() };
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

function corrupt(what: string): TaskSeqError {
  return new TaskSeqError("StateCorrupt", `The state snapshot has a malformed sequence: ${what}.`);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Step fields held by a shape or a step's own members: never in its extra object. */
const POSITIONAL_FIELDS = ["kind", "type", "name", "successCodes", "variables", "disabled", "continueOnError", "runFromNet"];

function runInOf(flags: number): RunIn {
  if ((flags & RUN_IN_WINPE) !== 0) return "WinPE";
  return (flags & RUN_IN_FULL_OS) !== 0 ? "FullOS" : "WinPEandFullOS";
}

function checkedFlags(flags: unknown): number {
  if (typeof flags !== "number" || !Number.isInteger(flags) || (flags & ~ALL_FLAGS) !== 0) throw corrupt("a step has bad flags");
  return flags;
}

function checkedCodes(codes: unknown): number[] {
  if (!Array.isArray(codes) || !codes.every(Number.isSafeInteger)) throw corrupt("a step has bad success codes");
  return codes as number[];
}

function checkedSetting(v: unknown): ActionVariable {
  if (!isRecord(v) || typeof v["name"] !== "string" || typeof v["property"] !== "string" || typeof v["value"] !== "string") throw corrupt("a step setting lacks its name, property or value");
  return v as unknown as ActionVariable;
}

function checkedExtra(extra: unknown): Record<string, unknown> {
  if (!isRecord(extra) || POSITIONAL_FIELDS.some((f) => f in extra)) throw corrupt("a step has unexpected members");
  return extra;
}

/** A step from its parts, every field restored (the extra fields last, as written). */
function stepOf(type: string, name: unknown, successCodes: number[], flags: number, variables: ActionVariable[], extra: Record<string, unknown> | undefined): Step {
  if (typeof name !== "string") throw corrupt("a step has no name");
  return {
    kind: "step",
    element: (flags & SUBTASKSEQUENCE) !== 0 ? "subtasksequence" : "step",
    type,
    name,
    description: "",
    disabled: (flags & DISABLED) !== 0,
    continueOnError: (flags & CONTINUE_ON_ERROR) !== 0,
    successCodes,
    runIn: runInOf(flags),
    retryCount: 0,
    runFromNet: (flags & RUN_FROM_NET) !== 0,
    variables,
    ...extra,
  };
}

function groupOf(item: unknown, children: (v: unknown) => Item[]): Group {
  if (!isRecord(item) || item["kind"] !== "group" || typeof item["name"] !== "string") throw corrupt("an item is neither a step nor a group");
  return { description: "", disabled: false, continueOnError: false, ...item, children: children(item["children"]) } as unknown as Group;
}

function decodeShapes(v: unknown): Shape[] {
  if (!Array.isArray(v)) throw corrupt("no shape table");
  return v.map((s: unknown, index): Shape => {
    if (!Array.isArray(s) || s.length !== 5) throw corrupt(`shape ${index} is not a five-member list`);
    const [type, codes, flags, settings, extra] = s as unknown[];
    if (typeof type !== "string") throw corrupt(`shape ${index} has no step type`);
    if (!Array.isArray(settings) || !settings.every((x) => x === null || (Array.isArray(x) && x.length === 2 && typeof x[0] === "string" && typeof x[1] === "string"))) {
      throw corrupt(`shape ${index} has bad settings`);
    }
    if (extra !== 0 && extra !== 1) throw corrupt(`shape ${index} has a bad extra mark`);
    return { index, type, successCodes: checkedCodes(codes), flags: checkedFlags(flags), settings: settings as Shape["settings"], extra: extra === 1 };
  });
}

function decodeItems(v: unknown, shapes: readonly Shape[]): Item[] {
  if (!Array.isArray(v)) throw corrupt("items are not a list");
  const out: Item[] = [];
  for (let i = 0; i < v.length; ) {
    const head: unknown = v[i];
    if (typeof head !== "number") {
      out.push(groupOf(head, (children) => decodeItems(children, shapes)));
      i += 1;
      continue;
    }
    const shape = Number.isInteger(head) ? shapes[head] : undefined;
    if (shape === undefined) throw corrupt(`no shape ${head}`);
    const end = i + 2 + shape.settings.length + (shape.extra ? 1 : 0);
    if (end > v.length) throw corrupt("a step is cut short");
    const variables = shape.settings.map((s, k): ActionVariable => {
      const member: unknown = v[i + 2 + k];
      if (s === null) return checkedSetting(member);
      if (typeof member !== "string") throw corrupt("a step setting has no value");
      return { name: s[0], property: s[1], value: member };
    });
    out.push(stepOf(shape.type, v[i + 1], shape.successCodes as number[], shape.flags, variables, shape.extra ? checkedExtra(v[end - 1]) : undefined));
    i = end;
  }
  return out;
}

// Version 5 --------------------------------------------------------------------------------------

function word(words: readonly unknown[], i: unknown): unknown {
  if (typeof i !== "number" || !Number.isInteger(i) || i < 0 || i >= words.length) throw corrupt(`no table entry ${String(i)}`);
  return words[i];
}

function wordString(words: readonly unknown[], i: unknown): string {
  const w = word(words, i);
  if (typeof w !== "string") throw corrupt(`table entry ${String(i)} is not a string`);
  return w;
}

function decodeSettingsV5(v: unknown, words: readonly unknown[]): ActionVariable[] {
  if (!Array.isArray(v)) throw corrupt("step settings are not a list");
  const out: ActionVariable[] = [];
  for (let i = 0; i < v.length; ) {
    const head: unknown = v[i];
    if (isRecord(head)) {
      out.push(checkedSetting(head));
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

function decodeItemsV5(v: unknown, words: readonly unknown[]): Item[] {
  if (!Array.isArray(v)) throw corrupt("items are not a list");
  return v.map((item: unknown): Item => {
    if (!Array.isArray(item)) return groupOf(item, (children) => decodeItemsV5(children, words));
    if (item.length < 5 || item.length > 6) throw corrupt("a step has unexpected members");
    const [type, name, codes, flags, settings, extra] = item as unknown[];
    return stepOf(wordString(words, type), name, checkedCodes(word(words, codes)), checkedFlags(flags), decodeSettingsV5(settings, words), item.length === 6 ? checkedExtra(extra) : undefined);
  });
}

/** The sequence {@link encodeSequence} wrote (`version` 6), or version 5's form; malformed input is `StateCorrupt`. */
export function decodeSequence(v: unknown, version: 5 | 6): TaskSequence {
  if (!isRecord(v)) throw corrupt("no sequence");
  if (version === 5) {
    if (!Array.isArray(v["w"])) throw corrupt("no string table");
    const { w: words, ...sequence } = v;
    return { ...sequence, items: decodeItemsV5(v["items"], words as unknown[]) } as unknown as TaskSequence;
  }
  const { shapes, ...sequence } = v;
  return { ...sequence, items: decodeItems(v["items"], decodeShapes(shapes)) } as unknown as TaskSequence;
}
