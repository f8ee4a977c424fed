/**
 * Immutable edits (immer): each operation takes a sequence and returns a new, deeply frozen one.
 *
 * Trivia rule (docs/model.md): trivia is never authoritative. Writers use a raw source value only
 * while it still decodes to the modelled value, so edits change the model and leave attribute
 * trivia alone; a container whose children changed gets exactly one `item:<n>` token per child,
 * unknown elements staying where they were.
 */
import { castDraft, produce } from "immer";
import type { Draft } from "immer";
import { TaskSeqError } from "./errors.js";
import { assertItemPath, childrenAt, findByPath, formatItemPath } from "./item-paths.js";
import { findSetting, getStepTypeInfo } from "./step-catalog.js";
import { decodeSetting } from "./step-settings.js";
import type { Condition, Item, ItemPath, TaskSequence, XmlTrivia } from "./types.js";

type DraftItem = Draft<Item>;
type Container = { trivia?: Draft<XmlTrivia> | undefined; items?: DraftItem[]; children?: DraftItem[] };

function containerOf(draft: Draft<TaskSequence>, containerPath: ItemPath): { list: DraftItem[]; node: Container } {
  childrenAt(draft as TaskSequence, containerPath);
  if (containerPath.length === 0) return { list: draft.items, node: draft as Container };
  let node: DraftItem | undefined;
  let list = draft.items;
  for (const index of containerPath) {
    node = list[index];
    if (node?.kind !== "group") throw new TaskSeqError("InvalidOperation", "Not a group.");
    list = node.children;
  }
  return { list, node: node as Container };
}

/**
 * Keeps one `item:<n>` token per child: surplus tokens are dropped from the end, new ones follow
 * the last item token (or end the list); every other token keeps its place.
 */
function reindex(node: Container, count: number): void {
  const trivia = node.trivia;
  if (trivia === undefined) return;
  const out: string[] = [];
  let n = 0;
  let after = -1;
  for (const token of trivia.order) {
    if (!token.startsWith("item:")) out.push(token);
    else if (n < count) after = out.push(`item:${n++}`);
  }
  const missing = Array.from({ length: count - n }, (_, i) => `item:${n + i}`);
  out.splice(after < 0 ? out.length : after, 0, ...missing);
  trivia.order = out;
}

function checkItem(item: Item): void {
  if (typeof item !== "object" || item === null || (item.kind !== "step" && item.kind !== "group")) {
    throw new TaskSeqError("InvalidArgument", "Expected a step or a group.");
  }
}

/**
 * Inserts `item` so that it ends at `path` (the last index may equal the number of siblings).
 *
 * @example
 * ```ts
 * const next = insertItem(seq, [0, 0], createStep("SMS_TaskSequence_RebootAction", { Target: "HD" }));
 * ```
 */
export function insertItem(seq: TaskSequence, path: ItemPath, item: Item): TaskSequence {
  assertItemPath(path);
  checkItem(item);
  return produce(seq, (draft) => {
    const { list, node } = containerOf(draft, path.slice(0, -1));
    const index = path[path.length - 1] ?? 0;
    if (index > list.length) throw new TaskSeqError("NotFound", `Position ${formatItemPath(path)} is past the end.`, { position: { path: formatItemPath(path) } });
    list.splice(index, 0, castDraft(item));
    reindex(node, list.length);
  });
}

/**
 * Appends `item` to the group at `parentPath` (default: the top level).
 *
 * @example
 * ```ts
 * const next = addItem(seq, createGroup("Install"), []);
 * ```
 */
export function addItem(seq: TaskSequence, item: Item, parentPath: ItemPath = []): TaskSequence {
  return insertItem(seq, [...parentPath, childrenAt(seq, parentPath).length], item);
}

/**
 * Removes the item at `path`.
 *
 * @example
 * ```ts
 * const next = removeItem(seq, [2]);
 * ```
 */
export function removeItem(seq: TaskSequence, path: ItemPath): TaskSequence {
  findByPath(seq, path);
  return produce(seq, (draft) => {
    const { list, node } = containerOf(draft, path.slice(0, -1));
    list.splice(path[path.length - 1] ?? 0, 1);
    reindex(node, list.length);
  });
}

/**
 * Moves the item at `from` so that it ends at `to` (a path in the tree after removal). Moving a
 * group into itself → `InvalidOperation`.
 *
 * @example
 * ```ts
 * const next = moveItem(seq, [3], [0, 0]);
 * ```
 */
export function moveItem(seq: TaskSequence, from: ItemPath, to: ItemPath): TaskSequence {
  const item = findByPath(seq, from);
  assertItemPath(to);
  if (to.length >= from.length && from.every((n, i) => to[i] === n)) {
    if (to.length > from.length) throw new TaskSeqError("InvalidOperation", "A group cannot be moved into itself.", { position: { path: formatItemPath(to) } });
    return seq;
  }
  return insertItem(removeItem(seq, from), to, item);
}

/**
 * Swaps the item with its previous sibling; `InvalidOperation` when it is already first.
 *
 * @example
 * ```ts
 * const next = moveUp(seq, [0, 2]); // now at [0, 1]
 * ```
 */
export function moveUp(seq: TaskSequence, path: ItemPath): TaskSequence {
  findByPath(seq, path);
  const index = path[path.length - 1] ?? 0;
  if (index === 0) throw new TaskSeqError("InvalidOperation", `Item ${formatItemPath(path)} is already first.`, { position: { path: formatItemPath(path) } });
  return moveItem(seq, path, [...path.slice(0, -1), index - 1]);
}

/**
 * Swaps the item with its next sibling; `InvalidOperation` when it is already last.
 *
 * @example
 * ```ts
 * const next = moveDown(seq, [0, 1]); // now at [0, 2]
 * ```
 */
export function moveDown(seq: TaskSequence, path: ItemPath): TaskSequence {
  findByPath(seq, path);
  const index = path[path.length - 1] ?? 0;
  if (index + 1 >= childrenAt(seq, path.slice(0, -1)).length) {
    throw new TaskSeqError("InvalidOperation", `Item ${formatItemPath(path)} is already last.`, { position: { path: formatItemPath(path) } });
  }
  return moveItem(seq, path, [...path.slice(0, -1), index + 1]);
}

/**
 * Moves the item into the group at `groupPath`, at `index` (default: last). The group path is read
 * before the move.
 *
 * @example
 * ```ts
 * const next = moveIntoGroup(seq, [3], [1]);
 * ```
 */
export function moveIntoGroup(seq: TaskSequence, path: ItemPath, groupPath: ItemPath, index?: number): TaskSequence {
  const group = findByPath(seq, groupPath);
  if (group.kind !== "group") throw new TaskSeqError("InvalidOperation", `Item ${formatItemPath(groupPath)} is not a group.`, { position: { path: formatItemPath(groupPath) } });
  findByPath(seq, path);
  if (groupPath.length >= path.length && path.every((n, i) => groupPath[i] === n)) {
    throw new TaskSeqError("InvalidOperation", "A group cannot be moved into itself.", { position: { path: formatItemPath(groupPath) } });
  }
  // Removing `path` shifts later siblings on the way to the group.
  const depth = path.length - 1;
  const shifted = [...groupPath];
  if (groupPath.length > depth && path.slice(0, depth).every((n, i) => groupPath[i] === n) && (groupPath[depth] ?? 0) > (path[depth] ?? 0)) {
    shifted[depth] = (shifted[depth] ?? 0) - 1;
  }
  const removed = removeItem(seq, path);
  const position = index ?? group.children.length;
  if (position < 0 || position > group.children.length) throw new TaskSeqError("InvalidArgument", `Index ${position} is outside the group.`);
  return insertItem(removed, [...shifted, position], findByPath(seq, path));
}

/**
 * Moves the item out of its group, to just after that group; `InvalidOperation` at the top level.
 *
 * @example
 * ```ts
 * const next = moveOutOfGroup(seq, [1, 0]); // now at [2]
 * ```
 */
export function moveOutOfGroup(seq: TaskSequence, path: ItemPath): TaskSequence {
  findByPath(seq, path);
  if (path.length < 2) throw new TaskSeqError("InvalidOperation", "A top-level item is not in a group.", { position: { path: formatItemPath(path) } });
  const parent = path.slice(0, -1);
  return moveItem(seq, path, [...parent.slice(0, -1), (parent[parent.length - 1] ?? 0) + 1]);
}

function updateItem(seq: TaskSequence, path: ItemPath, change: (item: DraftItem) => void): TaskSequence {
  findByPath(seq, path);
  return produce(seq, (draft) => {
    const { list } = containerOf(draft, path.slice(0, -1));
    const item = list[path[path.length - 1] ?? 0];
    if (item !== undefined) change(item);
  });
}

/** A flag from JavaScript that is not `true` or `false` would reach the model (and the XML) as it is: `InvalidArgument`. */
function requireBoolean(value: unknown, what: string): void {
  if (typeof value !== "boolean") throw new TaskSeqError("InvalidArgument", `The ${what} flag must be true or false, got ${JSON.stringify(value) ?? String(value)}.`);
}

/**
 * Enables or disables an item (`disable` attribute; `InvalidArgument` for a value that is not a boolean).
 *
 * @example
 * ```ts
 * const next = setEnabled(seq, [0, 1], false);
 * ```
 */
export function setEnabled(seq: TaskSequence, path: ItemPath, enabled: boolean): TaskSequence {
  requireBoolean(enabled, "enabled");
  return updateItem(seq, path, (item) => {
    item.disabled = !enabled;
  });
}

/**
 * Sets the continue-on-error flag (`InvalidArgument` for a value that is not a boolean).
 *
 * @example
 * ```ts
 * const next = setContinueOnError(seq, [0, 1], true);
 * ```
 */
export function setContinueOnError(seq: TaskSequence, path: ItemPath, value: boolean): TaskSequence {
  requireBoolean(value, "continue on error");
  return updateItem(seq, path, (item) => {
    item.continueOnError = value;
  });
}

/**
 * Renames an item (1–100 characters, else `InvalidArgument`).
 *
 * @example
 * ```ts
 * const next = renameItem(seq, [0], "Prepare disk");
 * ```
 */
export function renameItem(seq: TaskSequence, path: ItemPath, name: string): TaskSequence {
  if (typeof name !== "string" || name.length < 1 || name.length > 100) throw new TaskSeqError("InvalidArgument", "A name has 1 to 100 characters.");
  return updateItem(seq, path, (item) => {
    item.name = name;
  });
}

/**
 * Sets an item's description (0–256 characters, else `InvalidArgument`).
 *
 * @example
 * ```ts
 * const next = setDescription(seq, [0], "Wipes disk 0");
 * ```
 */
export function setDescription(seq: TaskSequence, path: ItemPath, description: string): TaskSequence {
  if (typeof description !== "string" || description.length > 256) throw new TaskSeqError("InvalidArgument", "A description has at most 256 characters.");
  return updateItem(seq, path, (item) => {
    item.description = description;
  });
}

/**
 * Replaces an item's condition.
 *
 * @example
 * ```ts
 * const next = setCondition(seq, [1], createCondition(variableCondition("_SMSTSInWinPE", "equals", "false")));
 * ```
 */
export function setCondition(seq: TaskSequence, path: ItemPath, condition: Condition): TaskSequence {
  if (typeof condition !== "object" || condition === null || !Array.isArray(condition.operands)) throw new TaskSeqError("InvalidArgument", "Expected a condition.");
  return updateItem(seq, path, (item) => {
    item.condition = castDraft(condition);
  });
}

/**
 * Removes an item's condition (the item then always runs).
 *
 * @example
 * ```ts
 * const next = clearCondition(seq, [1]);
 * ```
 */
export function clearCondition(seq: TaskSequence, path: ItemPath): TaskSequence {
  return updateItem(seq, path, (item) => {
    delete item.condition;
  });
}

/**
 * Sets (or, with `undefined`, removes) a step setting by property. For a catalogued type the value
 * is checked and encoded (booleans, integers, enums) and a new entry gets the catalogue's action
 * variable; for other types the value must be text and the variable name defaults to the property.
 *
 * @example
 * ```ts
 * const next = setSetting(seq, [0, 3], "MessageTimeout", 30);
 * ```
 */
export function setSetting(seq: TaskSequence, path: ItemPath, property: string, value: string | number | boolean | undefined, variableName?: string): TaskSequence {
  const target = findByPath(seq, path);
  if (target.kind !== "step") throw new TaskSeqError("InvalidOperation", `Item ${formatItemPath(path)} is a group.`, { position: { path: formatItemPath(path) } });
  const info = getStepTypeInfo(target.type);
  const setting = info === undefined ? undefined : findSetting(info, property);
  if (info !== undefined && setting === undefined && variableName === undefined) {
    throw new TaskSeqError("InvalidArgument", `Step type ${target.type || "(untyped)"} has no setting ${property}; pass a variable name to add a custom entry.`);
  }
  let text: string | undefined;
  if (value !== undefined) {
    if (setting === undefined && typeof value !== "string") throw new TaskSeqError("InvalidArgument", `Setting ${property} takes text.`);
    text = String(value);
    if (setting !== undefined) {
      const decoded = decodeSetting(setting, text);
      if (!decoded.ok) throw new TaskSeqError("InvalidArgument", `Setting ${property}: ${decoded.reason}.`, { position: { path: property } });
      if (decoded.value !== undefined) text = String(decoded.value);
    }
  }
  const key = property.toLowerCase();
  return updateItem(seq, path, (item) => {
    if (item.kind !== "step") return;
    const index = item.variables.findLastIndex((v) => v.property.toLowerCase() === key);
    if (text === undefined) {
      if (index >= 0) item.variables.splice(index, 1);
      return;
    }
    const existing = item.variables[index];
    if (existing !== undefined) {
      existing.value = text;
      return;
    }
    const hidden = setting?.hidden === true && seq.version !== "3.00";
    const name = variableName ?? (seq.version === "3.00" ? (setting?.mdtNames?.[0] ?? setting?.variable) : setting?.variable) ?? property;
    item.variables.push(hidden ? { name, property: setting?.property ?? property, value: text, hidden } : { name, property: setting?.property ?? property, value: text });
  });
}
