/**
 * The running sequence with its child task sequences merged in, as `_SMSTSTaskSequence` shows it
 * (builtin-variables.md §1.1, execution.md §10).
 */
import type { Group, Item, TaskSequence } from "@taskseq/model";
import { itemPath, RUN_TASK_SEQUENCE_TYPE, type Instruction } from "./instruction-table.js";

/**
 * The sequence with every resolved child merged in: each enabled Run Task Sequence step whose child
 * the instruction table holds becomes a group of the step's name, description, condition,
 * continue-on-error and disabled flag, holding the child's items (recursively merged). Disabled Run
 * Task Sequence steps stay as they are (their child is never resolved). The sequence itself when no
 * child is merged.
 *
 * @example
 * ```ts
 * const table = await buildInstructionTable(sequence, resolver);
 * mergedSequence(sequence, table).items; // the Run Task Sequence step is now a group with the child's steps
 * ```
 */
export function mergedSequence(sequence: TaskSequence, table: readonly Instruction[]): TaskSequence {
  const children = new Map<string, readonly Item[]>();
  for (const ins of table) if (ins.kind === "enter-child" && ins.child !== undefined) children.set(ins.path, ins.child.sequence.items);
  if (children.size === 0) return sequence;

  function merge(items: readonly Item[], prefix: string): Item[] {
    return items.map((item, i) => {
      const path = itemPath(prefix, i);
      if (item.kind === "group") return { ...item, children: merge(item.children, path) };
      const childItems = item.type === RUN_TASK_SEQUENCE_TYPE || item.element === "subtasksequence" ? children.get(path) : undefined;
      if (childItems === undefined) return item;
      const group: Group = {
        kind: "group",
        name: item.name,
        description: item.description,
        disabled: item.disabled,
        continueOnError: item.continueOnError,
        ...(item.condition === undefined ? {} : { condition: item.condition }),
        children: merge(childItems, `${path}/`),
      };
      return group;
    });
  }

  return { ...sequence, items: merge(sequence.items, "") };
}
