/**
 * MDT Lite Touch sequences test `PHASE`, which MDT's `LiteTouch.wsf` sets before the first step
 * (docs/step-compatibility.md "Lite Touch start"): run without that start, every phase group is
 * skipped and the run still succeeds.
 */
import { formatItemPath, variableNameKey, type Item, type ItemPath, type TaskSequence } from "@taskseq/model";
import { conditionReads, variableUsage } from "./variable-usage.js";

const PHASE = variableNameKey("PHASE");

/**
 * The first item whose condition tests `PHASE` when neither a step nor a sequence variable sets it
 * (the Lite Touch start must); `undefined` when no condition tests it or something in the sequence
 * sets it. A disabled step's write counts too: enabling it is an authoring choice.
 *
 * @example
 * ```ts
 * unsetLiteTouchPhase(clientTemplate); // "0" — the Initialization group tests PHASE
 * ```
 */
export function unsetLiteTouchPhase(seq: TaskSequence): string | undefined {
  if (seq.globalVariables.some((v) => variableNameKey(v.name) === PHASE)) return undefined;
  let first: ItemPath | undefined;
  let written = false;
  const visit = (items: readonly Item[], prefix: ItemPath): void => {
    items.forEach((item, i) => {
      const path = [...prefix, i];
      if (first === undefined && conditionReads(item.condition).some((r) => variableNameKey(r.name) === PHASE)) first = path;
      if (item.kind === "group") visit(item.children, path);
      else if (variableUsage(item).writes.some((w) => variableNameKey(w.name) === PHASE)) written = true;
    });
  };
  visit(seq.items, []);
  return first === undefined || written ? undefined : formatItemPath(first);
}
