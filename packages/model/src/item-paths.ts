/**
 * Reading items by index path, by name, and walking the tree.
 */
import { TaskSeqError } from "./errors.js";
import type { Item, ItemPath, TaskSequence } from "./types.js";

/**
 * Text form of a path: `[0, 2, 1]` → `"0.2.1"` (DESIGN.md §2).
 *
 * @example
 * ```ts
 * formatItemPath([0, 2, 1]); // "0.2.1"
 * ```
 */
export function formatItemPath(path: ItemPath): string {
  return path.join(".");
}

/**
 * Parses `"0.2.1"` into `[0, 2, 1]`; anything else → `InvalidArgument`.
 *
 * @example
 * ```ts
 * parseItemPath("0.2.1"); // [0, 2, 1]
 * ```
 */
export function parseItemPath(text: string): ItemPath {
  if (!/^\d+(\.\d+)*$/.test(text)) throw new TaskSeqError("InvalidArgument", `"${text.slice(0, 40)}" is not an item path like 0.2.1.`);
  return text.split(".").map(Number);
}

/** Checks that `path` is a non-empty list of non-negative integers. */
export function assertItemPath(path: ItemPath): void {
  if (!Array.isArray(path) || path.length === 0 || !path.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new TaskSeqError("InvalidArgument", "An item path is a non-empty list of non-negative integers.", { details: { path } });
  }
}

/** The children list addressed by a container path (`[]` = top level); throws for a step or a bad path. */
export function childrenAt(seq: TaskSequence, containerPath: ItemPath): readonly Item[] {
  let list = seq.items;
  containerPath.forEach((index, depth) => {
    const item = list[index];
    const where = formatItemPath(containerPath.slice(0, depth + 1));
    if (item === undefined) throw new TaskSeqError("NotFound", `No item at ${where}.`, { position: { path: where } });
    if (item.kind !== "group") throw new TaskSeqError("InvalidOperation", `Item ${where} is a step, not a group.`, { position: { path: where } });
    list = item.children;
  });
  return list;
}

/**
 * The item at `path`; `NotFound` when there is none.
 *
 * @example
 * ```ts
 * findByPath(seq, [0, 1]).name;
 * ```
 */
export function findByPath(seq: TaskSequence, path: ItemPath): Item {
  assertItemPath(path);
  const list = childrenAt(seq, path.slice(0, -1));
  const item = list[path[path.length - 1] ?? -1];
  if (item === undefined) throw new TaskSeqError("NotFound", `No item at ${formatItemPath(path)}.`, { position: { path: formatItemPath(path) } });
  return item;
}

/** An item with its path. */
export interface ItemMatch {
  /** Index path from the root. */
  readonly path: ItemPath;
  /** The item. */
  readonly item: Item;
}

/** What a {@link walk} visitor returns: `false` skips the children of a group. */
export type WalkVisitor = (item: Item, path: ItemPath, parent: Item | undefined) => void | boolean;

/**
 * Visits every item depth-first in execution order.
 *
 * @example
 * ```ts
 * walk(seq, (item, path) => console.log(formatItemPath(path), item.name));
 * ```
 */
export function walk(seq: TaskSequence, visitor: WalkVisitor): void {
  const visit = (items: readonly Item[], prefix: ItemPath, parent: Item | undefined): void => {
    items.forEach((item, index) => {
      const path = [...prefix, index];
      if (visitor(item, path, parent) !== false && item.kind === "group") visit(item.children, path, item);
    });
  };
  visit(seq.items, [], undefined);
}

/** Options of {@link findByName}. */
export interface FindByNameOptions {
  /** Compare names case-insensitively. Default `false`. */
  readonly ignoreCase?: boolean;
}

/**
 * Every item with the given name, in execution order, with its path.
 *
 * @example
 * ```ts
 * findByName(seq, "Restart Computer").map((m) => formatItemPath(m.path));
 * ```
 */
export function findByName(seq: TaskSequence, name: string, options: FindByNameOptions = {}): ItemMatch[] {
  const wanted = options.ignoreCase === true ? name.toLowerCase() : name;
  const out: ItemMatch[] = [];
  walk(seq, (item, path) => {
    if ((options.ignoreCase === true ? item.name.toLowerCase() : item.name) === wanted) out.push({ path, item });
  });
  return out;
}
