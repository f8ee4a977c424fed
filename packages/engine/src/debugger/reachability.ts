/**
 * Disabled items in the debugger (execution.md §11.4): a disabled item, and every item inside a
 * disabled group or a disabled Run Task Sequence step, is never run — not by Step, Run or Set Current.
 */
import type { Instruction } from "../instruction-table.js";

/**
 * True when the instruction at `index` can never run: its item is disabled or an enclosing group
 * (or Run Task Sequence step) is.
 *
 * @example
 * ```ts
 * const table = await buildInstructionTable(sequence, createMapResolver(), "TS000001");
 * const unreachable = table.filter((i) => isUnreachable(table, i.index)).map((i) => i.path);
 * ```
 */
export function isUnreachable(table: readonly Instruction[], index: number): boolean {
  for (let i: Instruction | undefined = table[index]; i !== undefined; i = table[i.scope]) {
    if (i.item.disabled) return true;
  }
  return false;
}
