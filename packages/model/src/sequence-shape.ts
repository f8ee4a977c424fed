/**
 * A cheap structural check of a task sequence value: one built in JavaScript or read from JSON
 * without the model's readers may lack a field the validator, the writers or the engine read,
 * which would otherwise surface as a `TypeError` deep inside them.
 */
import { TaskSeqError } from "./errors.js";
import { formatItemPath } from "./item-paths.js";
import type { Item, TaskSequence } from "./types.js";

function malformed(where: string, what: string): never {
  throw new TaskSeqError("InvalidArgument", `The task sequence is malformed at ${where}: ${what}.`, { position: { path: where } });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/**
 * The sequence's own fields, not its items (`where` names it in errors: `sequence` or a child's
 * package ID): for a reader that checks each item with {@link checkItemShape} as it walks them.
 * `InvalidArgument` naming the place.
 *
 * @example
 * ```ts
 * checkSequenceShape(JSON.parse(text), "sequence");
 * ```
 */
export function checkSequenceShape(sequence: unknown, where: string): void {
  if (!isObject(sequence) || sequence["kind"] !== "sequence") malformed(where, "not a task sequence (kind \"sequence\")");
  if (!Array.isArray(sequence["items"])) malformed(where, "items is not a list");
  const globals = sequence["globalVariables"];
  if (!Array.isArray(globals)) malformed(where, "globalVariables is not a list");
  globals.forEach((g, i) => {
    if (!isObject(g) || typeof g["name"] !== "string" || typeof g["value"] !== "string") malformed(`${where} globalVariables.${i}`, "a variable needs a name and a value that are strings");
  });
}

/**
 * One item's fields and their types (`path` is its index path), not a group's children: what
 * reading the item needs. Values of the right type but out of range (a fractional success code,
 * an unknown `runIn`) are the validator's issues. `InvalidArgument` naming the place.
 *
 * @example
 * ```ts
 * checkItemShape(item, "0.2");
 * ```
 */
export function checkItemShape(item: unknown, path: string): asserts item is Item {
  if (!isObject(item)) malformed(path, "an item is not an object");
  if (typeof item["name"] !== "string") malformed(path, "the item has no name");
  if (item["kind"] === "group") {
    if (!Array.isArray(item["children"])) malformed(path, "the group's children are not a list");
    return;
  }
  if (item["kind"] !== "step") malformed(path, `kind ${JSON.stringify(item["kind"])} is neither "step" nor "group"`);
  if (typeof item["type"] !== "string") malformed(path, "the step has no type");
  const codes = item["successCodes"];
  if (!Array.isArray(codes) || !codes.every((c) => typeof c === "number")) malformed(path, "successCodes is not a list of numbers");
  const variables = item["variables"];
  if (!Array.isArray(variables)) malformed(path, "the step's variables are not a list");
  variables.forEach((v, i) => {
    if (!isObject(v) || typeof v["name"] !== "string" || typeof v["property"] !== "string" || typeof v["value"] !== "string") {
      malformed(`${path} variables.${i}`, "a setting needs a name, a property and a value that are strings");
    }
  });
  if (item["condition"] !== undefined && !isObject(item["condition"])) malformed(path, "the condition is not an object");
}

/**
 * The whole sequence: its own fields and every item, groups' children included. `InvalidArgument`
 * naming the first malformed place (`sequence`, or an index path such as `0.2`).
 *
 * @example
 * ```ts
 * checkTaskSequenceShape(createSequence([])); // a model value passes
 * ```
 */
export function checkTaskSequenceShape(sequence: unknown): asserts sequence is TaskSequence {
  checkSequenceShape(sequence, "sequence");
  const visit = (items: readonly unknown[], prefix: readonly number[]): void => {
    items.forEach((item, i) => {
      const path = [...prefix, i];
      checkItemShape(item, formatItemPath(path));
      if (item.kind === "group") visit(item.children, path);
    });
  };
  visit((sequence as { items: readonly unknown[] }).items, []);
}
