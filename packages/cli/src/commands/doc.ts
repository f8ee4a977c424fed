import type { Command } from "commander";
import { documentSequence } from "@taskseq/inspect";
import { TaskSeqError } from "@taskseq/model";
import type { CommandIo } from "../cli-io.js";
import { loadSequences } from "../load-sequences.js";

interface DocCliOptions {
  readonly md?: boolean;
  readonly html?: boolean;
  readonly out?: string;
}

/**
 * Registers `taskseq doc FILE --md|--html [--out F]`: documents every group and step (settings,
 * readable conditions, flags) as Markdown or one self-contained HTML page. Every sequence of an
 * export .zip is documented, one after the other.
 *
 * @example
 * ```sh
 * taskseq doc ts.xml --html --out ts.html
 * ```
 */
export function registerDocCommand(program: Command, io: CommandIo): void {
  program
    .command("doc")
    .description("document a task sequence as Markdown or self-contained HTML")
    .argument("<FILE>", "task sequence file (.xml, .json or export .zip)")
    .option("--md", "Markdown")
    .option("--html", "one self-contained HTML page")
    .option("--out <F>", "write to this file instead of standard output")
    .action(async (file: string, o: DocCliOptions) => {
      if (o.md === o.html) throw new TaskSeqError("UsageError", "Choose exactly one of --md and --html.");
      const loaded = await loadSequences(io, file);
      const format = o.html === true ? "html" : "md";
      const text = loaded.sequences.map((s) => documentSequence(s.sequence, { format })).join(format === "md" ? "\n" : "");
      if (o.out === undefined) io.stdout(text);
      else await io.writeFile(io.resolve(o.out), new TextEncoder().encode(text));
    });
}
