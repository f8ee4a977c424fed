/**
 * A cheap structural check of the sequences a run is given (the root and each resolved child):
 * a sequence built in JavaScript or read from JSON without the model's readers may lack a field the
 * engine reads, which would otherwise surface as a `TypeError` deep in the run.
 */
import { TaskSeqError, type Item } from "@taskseq/model";

const RUN_IN: ReadonlySet<unknown> = new Set(["WinPE", "FullOS", "WinPEandFullOS"]);

function malformed(where: string, what: string): never {
  throw new TaskSeqError("InvalidArgument", `The task sequence is malformed at ${where}: ${what}.`, { position: { path: where } });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** The sequence's own fields (`where` names it in errors: `sequence` or a child's package ID); its items are checked as the table is built. */
export function checkSequenceShape(sequence: unknown, where: string): void {
  if (!isObject(sequence) || sequence["kind"] !== "sequence") malformed(where, "not a task sequence (kind \"sequence\")");
  if (!Array.isArray(sequence["items"])) malformed(where, "items is not a list");
  const globals = sequence["globalVariables"];
  if (!Array.isArray(globals)) malformed(where, "globalVariables is not a list");
  globals.forEach((g, i) => {
    if (!isObject(g) || typeof g["name"] !== "string" || typeof g["value"] !== "string") malformed(`${where} globalVariables.${i}`, "a variable needs a name and a value that are strings");
  });
}

/** One item's fields the engine reads (`path` is its index path); a group's children are checked when they are walked. */
export function checkItemShape(item: unknown, path: string): asserts item is Item {
  if (!isObject(item)) malformed(path, "an item is not an object");
  if (typeof item["name"] !== "string") malformed(path, "the item has no name");
  if (item["kind"] === "group") {
    if (!Array.isArray(item["children"])) malformed(path, "the group's children are not a list");
    return;
  }
  if (item["kind"] !== "step") malformed(path, `kind ${JSON.stringify(item["kind"])} is neither "step" nor "group"`);
  if (typeof item["type"] !== "string") malformed(path, "the step has no type");
  if (!RUN_IN.has(item["runIn"])) malformed(path, `runIn ${JSON.stringify(item["runIn"])} is not WinPE, FullOS or WinPEandFullOS`);
  const codes = item["successCodes"];
  if (!Array.isArray(codes) || !codes.every((c) => Number.isInteger(c))) malformed(path, "successCodes is not a list of whole numbers");
  const variables = item["variables"];
  if (!Array.isArray(variables)) malformed(path, "the step's variables are not a list");
  variables.forEach((v, i) => {
    if (!isObject(v) || typeof v["name"] !== "string" || typeof v["property"] !== "string" || typeof v["value"] !== "string") {
      malformed(`${path} variables.${i}`, "a setting needs a name, a property and a value that are strings");
    }
  });
  if (item["condition"] !== undefined && !isObject(item["condition"])) malformed(path, "the condition is not an object");
}
