import type { Command } from "commander";
import { formatLintIssues, lintSequence } from "@taskseq/inspect";
import { createArchiveResolver } from "@taskseq/xml";
import { EXIT_CODES, type CommandIo } from "../cli-io.js";
import { loadSequences } from "../load-sequences.js";

/**
 * Registers `taskseq lint FILE [--json]`: validation plus authoring checks (variables read before
 * any write, steps that never run, constant conditions, secrets in command lines, ...). Exit 0
 * without errors, 1 with errors (warnings and info do not fail).
 *
 * @example
 * ```sh
 * taskseq lint ts.xml --json
 * ```
 */
export function registerLintCommand(program: Command, io: CommandIo): void {
  program
    .command("lint")
    .description("find authoring mistakes in a task sequence (.xml, .json or export .zip)")
    .argument("<FILE>", "task sequence file")
    .option("--json", "print one JSON object instead of text")
    .action(async (file: string, options: { json?: boolean }) => {
      const loaded = await loadSequences(io, file);
      const resolver = loaded.archive === undefined ? undefined : createArchiveResolver(loaded.archive);
      const sequences = [];
      for (const s of loaded.sequences) sequences.push({ source: s.source, issues: await lintSequence(s.sequence, resolver === undefined ? {} : { resolver }) });
      const all = sequences.flatMap((s) => s.issues);
      const errors = all.filter((i) => i.severity === "error").length;
      if (options.json === true) {
        io.stdout(`${JSON.stringify({ errors, warnings: all.filter((i) => i.severity === "warning").length, sequences }, null, 2)}\n`);
      } else {
        for (const s of sequences) io.stdout(`${s.source}\n${formatLintIssues(s.issues)}`);
      }
      io.setExitCode(errors === 0 ? EXIT_CODES.ok : EXIT_CODES.failed);
    });
}
