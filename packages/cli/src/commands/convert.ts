import type { Command } from "commander";
import { TaskSeqError, toCanonicalJson } from "@taskseq/model";
import type { TaskSequence } from "@taskseq/model";
import { convertSequence, createExportArchive, writeExportArchive, writeSequenceXml } from "@taskseq/xml";
import type { ConversionChange } from "@taskseq/xml";
import type { CommandIo } from "../cli-io.js";
import { formatOf, loadSequences } from "../load-sequences.js";
import type { LoadedFile } from "../load-sequences.js";

/**
 * Registers `taskseq convert IN OUT [--version 3.00|3.10] [--package ID]`: converts between
 * `.xml`, `.json` (canonical JSON) and `.zip` (ConfigMgr export), optionally changing the version.
 *
 * @example
 * ```sh
 * taskseq convert ts.xml ts.json
 * taskseq convert export.zip ts.xml --version 3.00
 * ```
 */
export function registerConvertCommand(program: Command, io: CommandIo): void {
  program
    .command("convert")
    .description("convert a task sequence between .xml, .json (canonical JSON) and .zip (ConfigMgr export)")
    .argument("<IN>", "input file (.xml, .json or .zip)")
    .argument("<OUT>", "output file (.xml, .json or .zip)")
    .option("--version <version>", "target sequence version: 3.00 (MDT) or 3.10 (ConfigMgr)")
    .option("--package <id>", "package to take from an export holding several")
    .action(async (input: string, output: string, options: { version?: string; package?: string }) => {
      const version = options.version;
      if (version !== undefined && version !== "3.00" && version !== "3.10") {
        throw new TaskSeqError("UsageError", `--version must be 3.00 or 3.10, not ${JSON.stringify(version)}.`);
      }
      const format = formatOf(output);
      if (format === undefined) throw new TaskSeqError("UsageError", `Unsupported output type: ${output} (expected .xml, .json or .zip).`);
      const loaded = await loadSequences(io, input);
      const changes: Pick<ConversionChange, "path" | "message">[] = [];
      let data: string | Uint8Array;
      if (format === "zip" && loaded.archive !== undefined && version === undefined) {
        data = writeExportArchive(loaded.archive);
      } else {
        const source = pick(loaded, options.package);
        // An export archive always holds ConfigMgr (3.10) sequences.
        const target = version ?? (format === "zip" ? "3.10" : undefined);
        const converted = target === undefined ? { sequence: source, changes: [] } : convertSequence(source, target);
        changes.push(...converted.changes);
        const dropped = format === "xml" ? droppedPackage(source) : undefined;
        if (dropped !== undefined) changes.push({ path: "", message: dropped });
        data = write(converted.sequence, format);
      }
      await io.writeFile(io.resolve(output), typeof data === "string" ? new TextEncoder().encode(data) : data);
      for (const change of changes) io.stderr(`${change.path === "" ? "sequence" : change.path}: ${change.message}\n`);
      io.stdout(`wrote ${output}${changes.length === 0 ? "" : ` (${changes.length} conversion change(s))`}\n`);
    });
}

function pick(loaded: LoadedFile, packageId: string | undefined): TaskSequence {
  const candidates = packageId === undefined ? loaded.sequences : loaded.sequences.filter((s) => s.sequence.package?.packageId === packageId);
  const [first, second] = candidates;
  if (first === undefined) throw new TaskSeqError("UsageError", `No task sequence ${packageId === undefined ? "" : `with package ID ${packageId} `}in the input.`);
  if (second !== undefined) {
    const ids = loaded.sequences.map((s) => s.sequence.package?.packageId ?? "?").join(", ");
    throw new TaskSeqError("UsageError", `The input holds several task sequences (${ids}): choose one with --package.`);
  }
  return first.sequence;
}

/**
 * The note for package metadata a `<sequence>` document cannot hold (an `object.xml` or export
 * read into `.xml`): the output has only the sequence, so the loss is said, not silent.
 */
function droppedPackage(sequence: TaskSequence): string | undefined {
  const info = sequence.package;
  if (info === undefined) return undefined;
  const named = [info.packageId === undefined ? "" : `PackageID ${info.packageId}`, info.name === undefined ? "" : `Name ${JSON.stringify(info.name)}`].filter((t) => t !== "").join(", ");
  return `the package properties${named === "" ? "" : ` (${named}, ...)`} are not part of a <sequence> document and are not written: convert to .json or .zip to keep them`;
}

function write(sequence: TaskSequence, format: "xml" | "json" | "zip"): string | Uint8Array {
  switch (format) {
    case "xml":
      return writeSequenceXml(sequence);
    case "json":
      return toCanonicalJson(sequence);
    case "zip": {
      const info = sequence.package ?? { properties: {} };
      return createExportArchive([{ sequence, info: { ...info, packageId: info.packageId ?? "TS000001" } }]);
    }
  }
}
