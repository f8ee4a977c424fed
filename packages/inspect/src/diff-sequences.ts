/**
 * `diffSequences`: a semantic diff of two task sequences. Formatting, whitespace at the ends of
 * values, line-ending style and attribute order do not count; only the modelled content does.
 *
 * Matching (documented in docs/plan-lint-doc.md):
 * 1. Items are keyed by kind + step type + name (case-insensitive, trimmed). Each item of B takes
 *    the unmatched item of A with its key, preferring one under the matching parent group, then
 *    the nearest position in document order.
 * 2. Items still unmatched are paired when they sit at the same index under matching parents
 *    and differ in their name only (a rename). A rename plus another edit is a removal and an
 *    addition.
 * 3. A matched item is "moved" when its parent changed, or when it is not part of the longest
 *    run of siblings that kept their relative order.
 */
import { SECRET_MASK } from "@taskseq/environment";
import { describeCondition, type Item, type TaskSequence, isSecretVariableName } from "@taskseq/model";
import { isSecretStepSetting } from "@taskseq/model";
import { maskSecretsIn, shownSettingValue } from "./secret-values.js";

/** One field that differs. */
export interface FieldChange {
  /** The field: `name`, `condition`, `continueOnError`, `setting:CommandLine`, `variable:OSDTimeZone`, ... */
  readonly field: string;
  /** The value in A (absent when the field is new). Secret values are `********`. */
  readonly before?: string;
  /** The value in B (absent when the field was removed). Secret values are `********`. */
  readonly after?: string;
}

/** What happened to an item. */
export type ItemChangeKind = "added" | "removed" | "moved" | "changed";

/** One item that differs. */
export interface ItemDiff {
  /** Added, removed, moved (possibly also changed) or changed in place. */
  readonly change: ItemChangeKind;
  /** Group or step. */
  readonly kind: "group" | "step";
  /** Name (in B, or in A when removed). */
  readonly name: string;
  /** Step class. */
  readonly type?: string;
  /** Index path in A. */
  readonly pathA?: string;
  /** Index path in B. */
  readonly pathB?: string;
  /** Fields that differ (for `changed`, and for `moved` items that also changed). */
  readonly fields: readonly FieldChange[];
}

/** The whole diff. */
export interface SequenceDiff {
  /** True when the sequences are semantically the same. */
  readonly same: boolean;
  /** Sequence-level differences (name, description, version, sequence variables). */
  readonly sequence: readonly FieldChange[];
  /** Item differences, removals first (in A order), then the rest in B order. */
  readonly items: readonly ItemDiff[];
}

interface Node {
  readonly item: Item;
  readonly path: string;
  readonly order: number;
  readonly index: number;
  readonly parent: Node | undefined;
  readonly key: string;
}

const norm = (s: string): string => s.replace(/\r\n?/g, "\n").trim();

function flatten(items: readonly Item[], parent: Node | undefined, out: Node[]): Node[] {
  items.forEach((item, index) => {
    const node: Node = {
      item,
      path: parent === undefined ? String(index) : `${parent.path}.${index}`,
      order: out.length,
      index,
      parent,
      key: `${item.kind}|${item.kind === "step" ? item.type : ""}|${norm(item.name).toUpperCase()}`,
    };
    out.push(node);
    if (item.kind === "group") flatten(item.children, node, out);
  });
  return out;
}

function mask(name: string, value: string): string {
  return value !== "" && isSecretVariableName(name) ? SECRET_MASK : value;
}

/**
 * Adds a change when `a` and `b` differ (an empty value and an absent one are the same); `show`
 * gives the text the change holds (a secret compares in clear and shows masked).
 */
function field(out: FieldChange[], name: string, a: string | undefined, b: string | undefined, show: (value: string) => string = (value) => value): void {
  if (norm(a ?? "") === norm(b ?? "")) return;
  out.push({ field: name, ...(a === undefined ? {} : { before: show(a) }), ...(b === undefined ? {} : { after: show(b) }) });
}

interface SettingValue {
  readonly name: string;
  readonly value: string;
  readonly shown: string;
  readonly secret: boolean;
}

function settingsMap(item: Item): Map<string, SettingValue> {
  const map = new Map<string, SettingValue>();
  if (item.kind !== "step") return map;
  for (const v of item.variables) map.set(v.property.toLowerCase(), { name: v.property, value: v.value, shown: shownSettingValue(item, v), secret: isSecretStepSetting(item, v) });
  return map;
}

/** The fields that differ between two versions of one item. */
export function diffItemFields(a: Item, b: Item): FieldChange[] {
  const out: FieldChange[] = [];
  field(out, "name", a.name, b.name);
  field(out, "description", a.description, b.description);
  field(out, "disabled", String(a.disabled), String(b.disabled));
  field(out, "continueOnError", String(a.continueOnError), String(b.continueOnError));
  field(out, "condition", a.condition === undefined ? undefined : describeCondition(a.condition), b.condition === undefined ? undefined : describeCondition(b.condition));
  if (a.kind !== "step" || b.kind !== "step") return out;
  field(out, "type", a.type, b.type);
  field(out, "runIn", a.runIn, b.runIn);
  field(out, "successCodes", a.successCodes.join(" "), b.successCodes.join(" "));
  field(out, "timeout", a.timeout === undefined ? undefined : String(a.timeout), b.timeout === undefined ? undefined : String(b.timeout));
  field(out, "retryCount", String(a.retryCount), String(b.retryCount));
  field(out, "runFromNet", String(a.runFromNet), String(b.runFromNet));
  field(out, "action", a.action, b.action, (action) => maskSecretsIn(action, a, b));
  field(out, "startIn", a.startIn, b.startIn);
  const sa = settingsMap(a);
  const sb = settingsMap(b);
  for (const key of new Set([...sa.keys(), ...sb.keys()])) {
    const x = sa.get(key);
    const y = sb.get(key);
    const secret = x?.secret === true || y?.secret === true;
    if (x !== undefined && y !== undefined && norm(x.value) === norm(y.value)) continue;
    if (x === undefined && y === undefined) continue;
    const show = (v: SettingValue | undefined): string => (v === undefined ? "" : secret && v.value !== "" ? SECRET_MASK : v.shown);
    out.push({ field: `setting:${(y ?? x)?.name ?? key}`, ...(x === undefined ? {} : { before: show(x) }), ...(y === undefined ? {} : { after: show(y) }) });
  }
  return out;
}

function sequenceFields(a: TaskSequence, b: TaskSequence): FieldChange[] {
  const out: FieldChange[] = [];
  field(out, "name", a.package?.name ?? a.name, b.package?.name ?? b.name);
  field(out, "description", a.package?.description ?? a.description, b.package?.description ?? b.description);
  field(out, "version", a.version, b.version);
  const ga = new Map(a.globalVariables.map((v) => [v.name.toUpperCase(), v]));
  const gb = new Map(b.globalVariables.map((v) => [v.name.toUpperCase(), v]));
  for (const key of new Set([...ga.keys(), ...gb.keys()])) {
    const x = ga.get(key);
    const y = gb.get(key);
    const name = (y ?? x)?.name ?? key;
    field(out, `variable:${name}`, x?.value, y?.value, (value) => mask(name, value));
  }
  return out;
}

/** Indices (into `values`) of one longest strictly increasing subsequence. */
function longestIncreasing(values: readonly number[]): Set<number> {
  const tails: number[] = [];
  const prev: number[] = [];
  values.forEach((v, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((values[tails[mid] ?? 0] ?? 0) < v) lo = mid + 1;
      else hi = mid;
    }
    prev[i] = lo > 0 ? (tails[lo - 1] ?? -1) : -1;
    tails[lo] = i;
  });
  const keep = new Set<number>();
  for (let i = tails[tails.length - 1] ?? -1; i >= 0; i = prev[i] ?? -1) keep.add(i);
  return keep;
}

/** True when two items differ in their name only (same kind and type, every other field equal). */
function onlyRenamed(a: Item, b: Item): boolean {
  if (a.kind !== b.kind || (a.kind === "step" && b.kind === "step" && a.type !== b.type)) return false;
  return diffItemFields(a, b).every((f) => f.field === "name");
}

function match(na: readonly Node[], nb: readonly Node[]): Map<Node, Node> {
  const bToA = new Map<Node, Node>();
  const taken = new Set<Node>();
  const byKey = new Map<string, Node[]>();
  for (const n of na) byKey.set(n.key, [...(byKey.get(n.key) ?? []), n]);
  const parentMatches = (a: Node, b: Node): boolean => (a.parent === undefined && b.parent === undefined) || (b.parent !== undefined && bToA.get(b.parent) === a.parent);
  for (const b of nb) {
    const candidates = (byKey.get(b.key) ?? []).filter((a) => !taken.has(a));
    const best = candidates.sort((x, y) => Number(parentMatches(y, b)) - Number(parentMatches(x, b)) || Math.abs(x.order - b.order) - Math.abs(y.order - b.order))[0];
    if (best !== undefined) {
      bToA.set(b, best);
      taken.add(best);
    }
  }
  for (const b of nb) {
    if (bToA.has(b)) continue;
    const a = na.find((x) => !taken.has(x) && x.index === b.index && parentMatches(x, b) && onlyRenamed(x.item, b.item));
    if (a !== undefined) {
      bToA.set(b, a);
      taken.add(a);
    }
  }
  return bToA;
}

function movedSet(nb: readonly Node[], bToA: ReadonlyMap<Node, Node>): Set<Node> {
  const moved = new Set<Node>();
  const siblings = new Map<Node | undefined, Node[]>();
  for (const b of nb) {
    const a = bToA.get(b);
    if (a === undefined) continue;
    const sameParent = (a.parent === undefined && b.parent === undefined) || (b.parent !== undefined && bToA.get(b.parent) === a.parent);
    if (!sameParent) moved.add(b);
    else siblings.set(b.parent, [...(siblings.get(b.parent) ?? []), b]);
  }
  for (const list of siblings.values()) {
    const keep = longestIncreasing(list.map((b) => bToA.get(b)?.index ?? 0));
    list.forEach((b, i) => {
      if (!keep.has(i)) moved.add(b);
    });
  }
  return moved;
}

function describe(change: ItemChangeKind, node: Node, other: Node | undefined, fields: readonly FieldChange[], inA: boolean): ItemDiff {
  const item = node.item;
  return {
    change,
    kind: item.kind,
    name: item.name,
    ...(item.kind === "step" ? { type: item.type } : {}),
    ...(inA ? { pathA: node.path } : { pathB: node.path }),
    ...(other === undefined ? {} : inA ? { pathB: other.path } : { pathA: other.path }),
    fields,
  };
}

/**
 * A semantic diff of two task sequences: items added, removed, moved and changed (which fields
 * and settings), matched by identity rather than position; see the module comment for the
 * matching rules. Secret setting values show as `********`.
 *
 * @example
 * ```ts
 * const d = diffSequences(before, after);
 * if (!d.same) for (const i of d.items) console.log(i.change, i.pathA ?? "", i.pathB ?? "", i.name);
 * ```
 */
export function diffSequences(a: TaskSequence, b: TaskSequence): SequenceDiff {
  const na = flatten(a.items, undefined, []);
  const nb = flatten(b.items, undefined, []);
  const bToA = match(na, nb);
  const matchedA = new Set(bToA.values());
  const moved = movedSet(nb, bToA);
  const items: ItemDiff[] = na.filter((n) => !matchedA.has(n)).map((n) => describe("removed", n, undefined, [], true));
  for (const n of nb) {
    const old = bToA.get(n);
    if (old === undefined) {
      items.push(describe("added", n, undefined, [], false));
      continue;
    }
    const fields = diffItemFields(old.item, n.item);
    if (moved.has(n)) items.push(describe("moved", n, old, fields, false));
    else if (fields.length > 0) items.push(describe("changed", n, old, fields, false));
  }
  const sequence = sequenceFields(a, b);
  return { same: items.length === 0 && sequence.length === 0, sequence, items };
}

/** Plain text of a diff (what `taskseq diff` prints). */
export function formatDiff(diff: SequenceDiff): string {
  if (diff.same) return "The task sequences are the same.\n";
  const lines: string[] = [];
  const fieldLines = (fields: readonly FieldChange[], indent: string): void => {
    for (const f of fields) lines.push(`${indent}${f.field}: ${f.before === undefined ? "(none)" : JSON.stringify(f.before)} → ${f.after === undefined ? "(none)" : JSON.stringify(f.after)}`);
  };
  if (diff.sequence.length > 0) {
    lines.push("sequence");
    fieldLines(diff.sequence, "  ");
  }
  const sign: Readonly<Record<ItemChangeKind, string>> = { added: "+", removed: "-", moved: ">", changed: "~" };
  for (const i of diff.items) {
    const where = i.change === "added" ? i.pathB : i.change === "removed" ? i.pathA : i.pathA === i.pathB ? i.pathB : `${i.pathA ?? ""} → ${i.pathB ?? ""}`;
    lines.push(`${sign[i.change]} ${i.change} ${i.kind} ${JSON.stringify(i.name)} at ${where ?? ""}`);
    fieldLines(i.fields, "    ");
  }
  const count = (c: ItemChangeKind): number => diff.items.filter((i) => i.change === c).length;
  lines.push(`${count("added")} added, ${count("removed")} removed, ${count("moved")} moved, ${count("changed")} changed`);
  return `${lines.join("\n")}\n`;
}
