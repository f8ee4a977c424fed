import { fromCanonicalJson, TaskSeqError } from "@taskseq/model";
import type { TaskSequence } from "@taskseq/model";
import { parsePackageObject, parseSequenceXml, readExportArchive } from "@taskseq/xml";
import type { ExportArchive, ImportDiagnostic } from "@taskseq/xml";
import type { CommandIo } from "./cli-io.js";

/** The file formats the CLI reads and writes, chosen by extension. */
export type FileFormat = "xml" | "json" | "zip";

/** One task sequence found in an input file. */
export interface LoadedSequence {
  /** Where it came from: the file, or `file!PKGID` inside an archive. */
  readonly source: string;
  /** The sequence. */
  readonly sequence: TaskSequence;
  /** Import diagnostics (empty for canonical JSON). */
  readonly diagnostics: readonly ImportDiagnostic[];
}

/** Everything read from one input file. */
export interface LoadedFile {
  /** The format. */
  readonly format: FileFormat;
  /** The sequences, in file order. */
  readonly sequences: readonly LoadedSequence[];
  /** The archive, when the input was a zip (kept for lossless re-export). */
  readonly archive?: ExportArchive;
}

/** The format of a path by its extension; `undefined` for an unsupported one. */
export function formatOf(path: string): FileFormat | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  return ext === "xml" || ext === "json" || ext === "zip" ? ext : undefined;
}

/**
 * Reads a task sequence file: `.xml` (a `<sequence>` document or an `object.xml`), `.json`
 * (canonical JSON) or `.zip` (a ConfigMgr export). Unreadable input throws a TaskSeqError.
 */
export async function loadSequences(io: CommandIo, path: string): Promise<LoadedFile> {
  const format = formatOf(path);
  if (format === undefined) throw new TaskSeqError("UsageError", `Unsupported file type: ${path} (expected .xml, .json or .zip).`);
  const bytes = await readInput(io, path);
  if (format === "zip") {
    const archive = readExportArchive(bytes);
    const sequences = archive.packages.map((p) => ({ source: `${path}!${p.packageId}`, sequence: p.sequence, diagnostics: p.object.diagnostics }));
    return { format, sequences, archive };
  }
  if (format === "json") {
    const sequence = fromCanonicalJson(new TextDecoder().decode(bytes));
    return { format, sequences: [{ source: path, sequence, diagnostics: [] }] };
  }
  if (looksLikePackageObject(bytes)) {
    const object = parsePackageObject(bytes);
    return { format, sequences: [{ source: path, sequence: object.sequence, diagnostics: object.diagnostics }] };
  }
  const parsed = parseSequenceXml(bytes);
  return { format, sequences: [{ source: path, sequence: parsed.sequence, diagnostics: parsed.diagnostics }] };
}

async function readInput(io: CommandIo, path: string): Promise<Uint8Array> {
  try {
    return await io.readFile(io.resolve(path));
  } catch (cause) {
    throw new TaskSeqError("NotFound", `Cannot read ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause, position: { path } });
  }
}

/** True when the document's root element is a CIM `<INSTANCE` (an export's object.xml). */
function looksLikePackageObject(bytes: Uint8Array): boolean {
  const head = new TextDecoder("utf-8", { fatal: false }).decode(bytes.subarray(0, 512));
  return /^(\uFEFF)?\s*(<\?xml[^>]*\?>\s*)?<INSTANCE[\s>]/.test(head);
}
