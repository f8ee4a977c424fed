import type { Command } from "commander";
import { diffSequences, formatDiff } from "@taskseq/inspect";
import { EXIT_CODES, type CommandIo } from "../cli-io.js";
import { loadSequences } from "../load-sequences.js";

/**
 * Registers `taskseq diff A B [--json]`: a semantic diff (steps added, removed, moved, changed)
 * that ignores formatting, whitespace and attribute order. Export archives are compared package
 * by package in file order. Exit 0 when the sequences are the same, 1 when they differ.
 *
 * @example
 * ```sh
 * taskseq diff before.xml after.xml --json
 * ```
 */
export function registerDiffCommand(program: Command, io: CommandIo): void {
  program
    .command("diff")
    .description("compare two task sequences semantically (exit 0 same, 1 different)")
    .argument("<A>", "the first task sequence file")
    .argument("<B>", "the second task sequence file")
    .option("--json", "print one JSON object instead of text")
    .action(async (fileA: string, fileB: string, options: { json?: boolean }) => {
      const [a, b] = [await loadSequences(io, fileA), await loadSequences(io, fileB)];
      const count = Math.min(a.sequences.length, b.sequences.length);
      const diffs = Array.from({ length: count }, (_, i) => ({ a: a.sequences[i]?.source ?? "", b: b.sequences[i]?.source ?? "", diff: diffSequences(a.sequences[i]!.sequence, b.sequences[i]!.sequence) }));
      const same = a.sequences.length === b.sequences.length && diffs.every((d) => d.diff.same);
      if (options.json === true) {
        io.stdout(`${JSON.stringify({ same, sequences: diffs, ...(a.sequences.length === b.sequences.length ? {} : { countA: a.sequences.length, countB: b.sequences.length }) }, null, 2)}\n`);
      } else {
        for (const d of diffs) io.stdout(`${diffs.length > 1 ? `${d.a} ↔ ${d.b}\n` : ""}${formatDiff(d.diff)}`);
        if (a.sequences.length !== b.sequences.length) io.stdout(`${fileA} holds ${a.sequences.length} sequence(s), ${fileB} holds ${b.sequences.length}\n`);
      }
      io.setExitCode(same ? EXIT_CODES.ok : EXIT_CODES.failed);
    });
}
