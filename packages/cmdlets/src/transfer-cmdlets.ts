/**
 * `Export-CMTaskSequence` and `Import-CMTaskSequence` through `@taskseq/xml`: a `.zip` path is a
 * ConfigMgr export archive, anything else a `<sequence>` XML document. Files go through the
 * {@link CmdletContext}; portable callers can pass `-Content` instead of a path (a taskseq extension).
 */
import { TaskSeqError } from "@taskseq/model";
import type { TaskSequence } from "@taskseq/model";
import { createExportArchive, parseSequenceXml, readExportArchive, writeSequenceXml } from "@taskseq/xml";
import { defineCmdlet } from "./cmdlet-definition.js";
import type { CmdletCall } from "./cmdlet-definition.js";
import { valueParameter } from "./parameter-binding.js";
import { readSequence, readText, requireText } from "./parameter-values.js";

/** What `Export-CMTaskSequence` produced. */
export interface ExportedTaskSequence {
  /** The path written (or that would be written). */
  readonly path: string;
  /** `zip` for an export archive, `xml` for a sequence document. */
  readonly format: "zip" | "xml";
  /** The bytes. */
  readonly data: Uint8Array;
}

const isZipPath = (path: string): boolean => /\.zip$/i.test(path);

/** `Export-CMTaskSequence`: writes the sequence as XML or, for a `.zip` path, as an export archive. */
export const EXPORT_TASK_SEQUENCE = defineCmdlet(
  "Export-CMTaskSequence",
  ["ByValue"],
  [
    valueParameter("InputObject", { mandatory: true, aliases: ["TaskSequence", "TaskSequencePackage"] }),
    valueParameter("ExportFilePath", { mandatory: true, aliases: ["Path", "FileName"] }),
    valueParameter("PackageId", { aliases: ["TaskSequencePackageId"] }),
    valueParameter("Comment"),
  ],
  (c): ExportedTaskSequence => {
    const seq = readSequence(c, "InputObject");
    const path = requireText(c, "ExportFilePath");
    let result: ExportedTaskSequence;
    if (isZipPath(path)) {
      const packageId = readText(c, "PackageId") ?? seq.package?.packageId;
      if (packageId === undefined) {
        throw new TaskSeqError("InvalidArgument", `${c.cmdlet}: an export archive needs a package ID (-PackageId or the sequence's package).`, { details: { cmdlet: c.cmdlet, parameter: "PackageId" } });
      }
      const info = { ...(seq.package ?? { properties: {} }), packageId, ...(seq.name === undefined ? {} : { name: seq.package?.name ?? seq.name }) };
      result = { path, format: "zip", data: createExportArchive([{ sequence: seq, info }]) };
    } else {
      result = { path, format: "xml", data: new TextEncoder().encode(writeSequenceXml(seq)) };
    }
    c.context.writeFile?.(path, result.data);
    return result;
  },
);

function importBytes(c: CmdletCall, data: string | Uint8Array): readonly TaskSequence[] {
  if (typeof data !== "string" && data[0] === 0x50 && data[1] === 0x4b) return readExportArchive(data).packages.map((p) => p.sequence);
  return [parseSequenceXml(data).sequence];
}

/** `Import-CMTaskSequence`: the task sequences of an export archive or a `<sequence>` document. */
export const IMPORT_TASK_SEQUENCE = defineCmdlet(
  "Import-CMTaskSequence",
  ["ByPath", "ByContent"],
  [valueParameter("ImportFilePath", { sets: ["ByPath"], mandatory: true, aliases: ["Path", "FileName"] }), valueParameter("Content", { sets: ["ByContent"], mandatory: true })],
  (c): readonly TaskSequence[] => {
    if (c.parameterSet === "ByContent") {
      const content = c.values.Content;
      if (typeof content !== "string" && !(content instanceof Uint8Array)) {
        throw new TaskSeqError("InvalidArgument", `${c.cmdlet}: -Content must be text or bytes.`, { details: { cmdlet: c.cmdlet, parameter: "Content" } });
      }
      return importBytes(c, content);
    }
    const path = requireText(c, "ImportFilePath");
    if (c.context.readFile === undefined) throw new TaskSeqError("InvalidOperation", `${c.cmdlet}: no file access here; pass -Content instead.`, { details: { cmdlet: c.cmdlet } });
    return importBytes(c, c.context.readFile(path));
  },
);
