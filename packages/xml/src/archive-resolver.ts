import type { ResolvedChildSequence, TaskSequenceResolver } from "@taskseq/model";
import type { ExportArchive } from "./export-archive.js";

/**
 * A child-sequence resolver over the packages of an export archive (spec/xml-format.md §11: when
 * a zip holds a parent and its children, children resolve among them first), falling back to
 * `fallback` for packages the archive does not hold. Package IDs match case-insensitively; a
 * package whose `TsEnabled` property is `FALSE` resolves as disabled.
 *
 * @example
 * ```ts
 * const archive = readExportArchive(bytes);
 * const issues = await validateSequence(archive.packages[0].sequence, { resolver: createArchiveResolver(archive) });
 * ```
 */
export function createArchiveResolver(archive: ExportArchive, fallback?: TaskSequenceResolver): TaskSequenceResolver {
  const byId = new Map(archive.packages.map((p) => [p.packageId.toUpperCase(), p]));
  return {
    resolve(packageId) {
      const found = byId.get(packageId.toUpperCase());
      if (found === undefined) return fallback?.resolve(packageId);
      const enabled = (found.object.info.properties.TsEnabled ?? "TRUE").trim().toUpperCase() !== "FALSE";
      const resolved: ResolvedChildSequence = { sequence: found.sequence, enabled };
      return resolved;
    },
  };
}
