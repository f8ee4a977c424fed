import { setSetting, TaskSeqError, walk } from "@taskseq/model";
import type { ItemPath, TaskSequence } from "@taskseq/model";
import { childPackageId, RUN_TASK_SEQUENCE_TYPE } from "@taskseq/engine";
import { createExportArchive, readExportArchive } from "@taskseq/xml";
import type { ContentObject } from "./content-catalog.js";
import type { LibraryEntry } from "./library.js";
import type { Site } from "./site.js";

/** Options of {@link exportTaskSequences}. */
export interface ExportOptions {
  /** Also export every dependency: child task sequences into the archive, and the list of referenced content. */
  readonly includeDependencies?: boolean;
  /** Also export the content of the sequences (and dependencies) into the `<name>_files` folder. */
  readonly includeContent?: boolean;
  /** Archive name (default: the first sequence's name), used for the `<name>_files` folder. */
  readonly name?: string;
}

/** What {@link exportTaskSequences} produces. */
export interface ExportResult {
  /** The export zip (`<name>.zip`). */
  readonly zip: Uint8Array;
  /** Package IDs of the task sequences in the zip. */
  readonly taskSequences: readonly string[];
  /** Referenced content objects (with `includeDependencies`). */
  readonly dependencies: readonly ContentObject[];
  /** Files of the `<name>_files` folder by relative path (with `includeContent`). */
  readonly files: ReadonlyMap<string, Uint8Array>;
}

/** What to do when an imported package ID is already in the library. */
export type ImportAction = "create-new" | "ignore-duplicate" | "overwrite";

/** One imported (or skipped) sequence. */
export interface ImportedSequence {
  /** Package ID in the archive. */
  readonly sourceId: string;
  /** Package ID in the library. */
  readonly packageId: string;
  /** What happened. */
  readonly outcome: "created" | "overwritten" | "ignored";
}

/** Options of {@link importTaskSequences}. */
export interface ImportOptions {
  /** Action for each duplicate, by source package ID; `default` for the others (default `create-new`). */
  readonly actions?: Readonly<Record<string, ImportAction>> & { readonly default?: ImportAction };
  /** Library folder for new sequences (default `/`). */
  readonly folder?: string;
}

/**
 * Writes the ConfigMgr export archive of task sequences (through `@taskseq/xml`). Secret values
 * are exported empty; several sequences share one archive; with `includeDependencies` the child
 * task sequences join the archive and the referenced content is listed; with `includeContent`
 * the `<name>_files` folder describes each content object.
 *
 * @example
 * ```ts
 * const { zip, files } = exportTaskSequences(site, ["PS100001"], { includeDependencies: true, includeContent: true });
 * ```
 */
export function exportTaskSequences(site: Site, packageIds: readonly string[], options: ExportOptions = {}): ExportResult {
  if (packageIds.length === 0) throw new TaskSeqError("InvalidArgument", "Export needs at least one task sequence.");
  const entries = new Map<string, LibraryEntry>();
  const add = (id: string): void => {
    const entry = site.library.get(id);
    if (entries.has(entry.packageId)) return;
    entries.set(entry.packageId, entry);
    if (options.includeDependencies === true) walk(entry.sequence, (item) => void (item.kind === "step" && item.type === RUN_TASK_SEQUENCE_TYPE && childPackageId(item) !== "" && add(childPackageId(item))));
  };
  packageIds.forEach(add);
  const list = [...entries.values()];
  const zip = createExportArchive(
    list.map((e) => ({
      sequence: e.sequence,
      info: {
        ...e.sequence.package,
        packageId: e.packageId,
        name: e.name,
        ...(e.properties.bootImageId === undefined ? {} : { bootImageId: e.properties.bootImageId }),
        properties: { ...e.sequence.package?.properties, TsEnabled: e.enabled ? "true" : "false", Duration: String(e.properties.maxRunTimeMinutes) },
      },
    })),
  );
  const dependencies = options.includeDependencies === true || options.includeContent === true ? uniqueContent(list.flatMap((e) => site.contentFor(e.packageId))) : [];
  const files = new Map<string, Uint8Array>();
  if (options.includeContent === true) {
    const folder = `${safeName(options.name ?? list[0]?.name ?? "export")}_files`;
    const encoder = new TextEncoder();
    for (const o of dependencies) files.set(`${folder}/${o.id}/content.json`, encoder.encode(JSON.stringify(o, null, 2)));
  }
  return { zip, taskSequences: list.map((e) => e.packageId), dependencies: options.includeDependencies === true ? dependencies : [], files };
}

/**
 * Imports every task sequence of an export archive into the site's library. For a package ID the
 * library already holds, `create-new` adds a copy under a new ID (children that moved are
 * re-pointed), `ignore-duplicate` keeps the library's and `overwrite` replaces its sequence.
 * Imported secret values are empty: they must be entered again.
 *
 * @example
 * ```ts
 * const imported = importTaskSequences(site, zipBytes, { actions: { default: "overwrite" } });
 * ```
 */
export function importTaskSequences(site: Site, zip: Uint8Array, options: ImportOptions = {}): ImportedSequence[] {
  const archive = readExportArchive(zip);
  const results: ImportedSequence[] = [];
  const idMap = new Map<string, string>();
  for (const pkg of archive.packages) {
    const existing = site.library.find(pkg.packageId);
    const action = options.actions?.[pkg.packageId] ?? options.actions?.default ?? "create-new";
    const enabled = pkg.object.info.properties["TsEnabled"]?.toLowerCase() !== "false";
    const bootImageId = pkg.object.info.bootImageId;
    const properties = bootImageId === undefined || bootImageId === "" ? {} : { properties: { bootImageId } };
    if (existing === undefined) {
      const entry = site.library.add(pkg.sequence, { packageId: pkg.packageId, enabled, ...properties, ...(options.folder === undefined ? {} : { folder: options.folder }) });
      results.push({ sourceId: pkg.packageId, packageId: entry.packageId, outcome: "created" });
    } else if (action === "ignore-duplicate") {
      results.push({ sourceId: pkg.packageId, packageId: existing.packageId, outcome: "ignored" });
    } else if (action === "overwrite") {
      site.library.edit(existing.packageId, () => ({ ...pkg.sequence, package: { ...pkg.sequence.package, packageId: existing.packageId, properties: pkg.sequence.package?.properties ?? {} } }));
      results.push({ sourceId: pkg.packageId, packageId: existing.packageId, outcome: "overwritten" });
    } else {
      const { packageId: _old, ...info } = pkg.sequence.package ?? { properties: {} };
      const entry = site.library.add({ ...pkg.sequence, package: info }, { enabled, ...properties, ...(options.folder === undefined ? {} : { folder: options.folder }) });
      idMap.set(pkg.packageId.toUpperCase(), entry.packageId);
      results.push({ sourceId: pkg.packageId, packageId: entry.packageId, outcome: "created" });
    }
  }
  if (idMap.size > 0) {
    for (const r of results.filter((x) => x.outcome !== "ignored")) site.library.edit(r.packageId, (s) => repointChildren(s, idMap));
  }
  return results;
}

function repointChildren(sequence: TaskSequence, idMap: ReadonlyMap<string, string>): TaskSequence {
  const changes: { path: ItemPath; id: string }[] = [];
  walk(sequence, (item, path) => {
    if (item.kind !== "step" || item.type !== RUN_TASK_SEQUENCE_TYPE) return;
    const target = idMap.get(childPackageId(item).toUpperCase());
    if (target !== undefined) changes.push({ path, id: target });
  });
  return changes.reduce((s, c) => setSetting(s, c.path, "TsPackageID", c.id), sequence);
}

function uniqueContent(objects: readonly ContentObject[]): ContentObject[] {
  return [...new Map(objects.map((o) => [o.id.toUpperCase(), o])).values()];
}

function safeName(name: string): string {
  const cleaned = [...name].map((c) => (c.charCodeAt(0) < 32 || '<>:"/\\|?*'.includes(c) ? "_" : c)).join("");
  return cleaned.trim() || "export";
}
