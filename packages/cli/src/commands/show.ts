import type { Command } from "commander";
import { describeCondition, getStepTypeInfo } from "@taskseq/model";
import type { Item, TaskSequence } from "@taskseq/model";
import type { CommandIo } from "../cli-io.js";
import { loadSequences } from "../load-sequences.js";

/**
 * Registers `taskseq show FILE`: the task sequence as an indented tree with index paths, step
 * types, flags and readable conditions.
 *
 * @example
 * ```sh
 * taskseq show ts.xml
 * # Standard Client Task Sequence (version 3.00, 71 items)
 * #   0 group "Initialization"
 * #     0.0 step (Gather: BDD_Gather) "Gather local only"
 * ```
 */
export function registerShowCommand(program: Command, io: CommandIo): void {
  program
    .command("show")
    .description("print a task sequence as an indented tree with readable conditions")
    .argument("<FILE>", "task sequence file (.xml, .json or .zip)")
    .action(async (file: string) => {
      const loaded = await loadSequences(io, file);
      for (const { source, sequence } of loaded.sequences) io.stdout(renderTree(source, sequence));
    });
}

/** The tree text of one sequence. */
export function renderTree(source: string, sequence: TaskSequence): string {
  const title = sequence.name ?? sequence.package?.name ?? source;
  const lines = [`${title} (version ${sequence.version}, ${countItems(sequence.items)} items)`];
  const visit = (items: readonly Item[], prefix: string, depth: number): void => {
    items.forEach((item, index) => {
      const path = prefix === "" ? String(index) : `${prefix}.${index}`;
      const indent = "  ".repeat(depth + 1);
      const flags = [item.disabled ? "disabled" : "", item.continueOnError ? "continue on error" : ""].filter((f) => f !== "");
      const kind = item.kind === "group" ? "group" : `step (${describeType(item.type)})`;
      lines.push(`${indent}${path} ${kind} ${JSON.stringify(item.name)}${flags.length === 0 ? "" : ` [${flags.join(", ")}]`}`);
      if (item.condition !== undefined) lines.push(`${indent}    ${describeCondition(item.condition)}`);
      if (item.kind === "group") visit(item.children, path, depth + 1);
    });
  };
  visit(sequence.items, "", 0);
  return `${lines.join("\n")}\n`;
}

function describeType(type: string): string {
  if (type === "") return "MDT command";
  const name = getStepTypeInfo(type)?.consoleName;
  return name === undefined ? type : `${name}: ${type}`;
}

function countItems(items: readonly Item[]): number {
  return items.reduce((n, item) => n + 1 + (item.kind === "group" ? countItems(item.children) : 0), 0);
}
