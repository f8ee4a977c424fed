import { setSetting, TaskSeqError, walk } from "@taskseq/model";
import type { ItemPath, TaskSequence } from "@taskseq/model";
import { childPackageId, RUN_TASK_SEQUENCE_TYPE } from "@taskseq/engine";
import { createExportArchive, readExportArchive, writeExportArchive } from "@taskseq/xml";
import type { ArchivePackage, ExportArchive } from "@taskseq/xml";
import type { ContentObject } from "./content-catalog.js";
import type { LibraryEntry } from "./library.js";
import type { TaskSequenceProperties } from "./task-sequence-properties.js";
import type { Site } from "./site.js";

/** Options of {@link exportTaskSequences}. */
export interface ExportOptions {
  /** Also export every dependency: child task sequences into the archive, and the list of referenced content. */
  readonly includeDependencies?: boolean;
  /** Also export the content of the sequences (and dependencies) into the `<name>_files` folder. */
  readonly includeContent?: boolean;
  /** Archive name (default: the first sequence's name), used for the `<name>_files` folder. */
  readonly name?: string;
  /**
   * Write the maximum run time as the package's `Duration` also when the package has a `Duration` of
   * its own (imported) that differs. Default `false`: an imported `Duration` is kept as read, because
   * its meaning is open (xml-format.md §11); a package without one gets the maximum run time.
   */
  readonly durationAsMaxRunTime?: boolean;
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

const IMPORT_ACTIONS: readonly ImportAction[] = ["create-new", "ignore-duplicate", "overwrite"];

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
  /**
   * Action for each duplicate, by source package ID (any case); `default` for the others (default
   * `create-new`). A value that is not an {@link ImportAction} is `InvalidArgument`.
   */
  readonly actions?: Readonly<Record<string, ImportAction>> & { readonly default?: ImportAction };
  /** Library folder for new sequences (default `/`). */
  readonly folder?: string;
  /**
   * Take a package's `Duration` (a whole number) as the maximum allowed run time in minutes. Default
   * `false`: its meaning is open (xml-format.md §11), so it is only kept, and the maximum run time
   * is the default.
   */
  readonly durationAsMaxRunTime?: boolean;
}

/** The archive each package ID was last imported from (with its own ID), per site: exports write it back (xml-format.md §11). */
const importedArchives = new WeakMap<Site, Map<string, ExportArchive>>();

/** True unless a `TsEnabled` value says `FALSE` (any case). */
function enabledValue(text: string | undefined): boolean {
  return (text ?? "TRUE").trim().toUpperCase() !== "FALSE";
}

/** The package properties to export: as the library holds them, with `TsEnabled` and `Duration` rewritten only when the entry changed them (or has none). */
function exportedProperties(e: LibraryEntry, options: ExportOptions): Record<string, string> {
  const own = e.sequence.package?.properties ?? {};
  const out: Record<string, string> = { ...own };
  if (own["TsEnabled"] === undefined || enabledValue(own["TsEnabled"]) !== e.enabled) out["TsEnabled"] = e.enabled ? "TRUE" : "FALSE";
  const duration = own["Duration"];
  const maxRun = e.properties.maxRunTimeMinutes;
  if (duration === undefined || (options.durationAsMaxRunTime === true && (duration.trim() === "" || Number(duration) !== maxRun))) out["Duration"] = String(maxRun);
  return out;
}

/** True when the library entry still holds the package as the archive has it (identity and properties; the sequence may differ). */
function samePackage(e: LibraryEntry, pkg: ArchivePackage, options: ExportOptions): boolean {
  const info = pkg.object.info;
  const own = e.sequence.package?.properties ?? {};
  const keys = Object.keys(info.properties);
  return (
    e.name === (info.name ?? e.packageId) &&
    (e.sequence.package?.description ?? "") === (info.description ?? "") &&
    (e.properties.bootImageId ?? "") === (info.bootImageId ?? "") &&
    e.enabled === enabledValue(info.properties["TsEnabled"]) &&
    keys.length === Object.keys(own).length &&
    keys.every((k) => own[k] === info.properties[k]) &&
    (options.durationAsMaxRunTime !== true || exportedProperties(e, options)["Duration"] === info.properties["Duration"])
  );
}

/**
 * The archive the exported sequences were imported from, with the library's sequences, when the
 * export holds exactly its packages and each still has the archive's package properties: writing
 * it keeps every part of an unchanged package and rewrites only the sequence of a changed one.
 */
function importedArchive(site: Site, list: readonly LibraryEntry[], options: ExportOptions): ExportArchive | undefined {
  const archive = importedArchives.get(site)?.get(list[0]?.packageId ?? "");
  if (archive === undefined || archive.packages.length !== list.length) return undefined;
  const packages = archive.packages.map((pkg, i) => {
    const e = list[i] as LibraryEntry;
    return pkg.packageId.toUpperCase() === e.packageId && importedArchives.get(site)?.get(e.packageId) === archive && samePackage(e, pkg, options) ? { ...pkg, sequence: e.sequence } : undefined;
  });
  return packages.every((p) => p !== undefined) ? { ...archive, packages } : undefined;
}

/** What an import takes from a package besides its sequence: enabled state, boot image, and the `Duration` when asked. */
function importedProperties(pkg: ArchivePackage, options: ImportOptions): { enabled: boolean; properties: Partial<TaskSequenceProperties> } {
  const info = pkg.object.info;
  const bootImageId = info.bootImageId === undefined || info.bootImageId === "" ? undefined : info.bootImageId;
  const duration = info.properties["Duration"]?.trim() ?? "";
  const maxRun = options.durationAsMaxRunTime === true && /^\d{1,9}$/.test(duration) ? Number(duration) : undefined;
  return {
    enabled: enabledValue(info.properties["TsEnabled"]),
    properties: { ...(bootImageId === undefined ? {} : { bootImageId }), ...(maxRun === undefined ? {} : { maxRunTimeMinutes: maxRun }) },
  };
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
  const imported = importedArchive(site, list, options);
  const zip =
    imported !== undefined
      ? writeExportArchive(imported)
      : createExportArchive(
          list.map((e) => {
            const { bootImageId: _own, ...info } = e.sequence.package ?? { properties: {} };
            return {
              sequence: e.sequence,
              info: {
                ...info,
                packageId: e.packageId,
                name: e.name,
                ...(e.properties.bootImageId === undefined ? {} : { bootImageId: e.properties.bootImageId }),
                properties: exportedProperties(e, options),
              },
            };
          }),
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
 * re-pointed), `ignore-duplicate` keeps the library's and `overwrite` replaces its sequence, name,
 * enabled state (`TsEnabled`) and boot image with the archive's, like a new import. The other
 * package properties (`Duration`, flags, ...) are kept as read; exporting the sequences again
 * while none changed writes the archive back part for part. Imported secret values are empty:
 * they must be entered again.
 *
 * @example
 * ```ts
 * const imported = importTaskSequences(site, zipBytes, { actions: { default: "overwrite" } });
 * ```
 */
export function importTaskSequences(site: Site, zip: Uint8Array, options: ImportOptions = {}): ImportedSequence[] {
  const actionFor = importActions(options.actions);
  const archive = readExportArchive(zip);
  const results: ImportedSequence[] = [];
  const idMap = new Map<string, string>();
  for (const pkg of archive.packages) {
    const existing = site.library.find(pkg.packageId);
    const action = actionFor(pkg.packageId);
    const { enabled, properties } = importedProperties(pkg, options);
    if (existing === undefined) {
      const entry = site.library.add(pkg.sequence, { packageId: pkg.packageId, enabled, properties, ...(options.folder === undefined ? {} : { folder: options.folder }) });
      results.push({ sourceId: pkg.packageId, packageId: entry.packageId, outcome: "created" });
    } else if (action === "ignore-duplicate") {
      results.push({ sourceId: pkg.packageId, packageId: existing.packageId, outcome: "ignored" });
    } else if (action === "overwrite") {
      // The archive's package replaces the library's: its sequence and name, enabled state and boot image (none when it has none).
      site.library.edit(existing.packageId, () => ({ ...pkg.sequence, package: { ...pkg.sequence.package, packageId: existing.packageId, properties: pkg.sequence.package?.properties ?? {} } }));
      site.library.setEnabled(existing.packageId, enabled);
      site.library.setProperties(existing.packageId, { bootImageId: undefined, ...properties });
      results.push({ sourceId: pkg.packageId, packageId: existing.packageId, outcome: "overwritten" });
    } else {
      const { packageId: _old, ...info } = pkg.sequence.package ?? { properties: {} };
      const entry = site.library.add({ ...pkg.sequence, package: info }, { enabled, properties, ...(options.folder === undefined ? {} : { folder: options.folder }) });
      idMap.set(pkg.packageId.toUpperCase(), entry.packageId);
      results.push({ sourceId: pkg.packageId, packageId: entry.packageId, outcome: "created" });
    }
  }
  if (idMap.size > 0) {
    for (const r of results.filter((x) => x.outcome !== "ignored")) site.library.edit(r.packageId, (s) => repointChildren(s, idMap));
  }
  const byId = importedArchives.get(site) ?? new Map<string, ExportArchive>();
  importedArchives.set(site, byId);
  // When every package kept its ID, exporting them again writes this archive back (xml-format.md §11).
  const whole = idMap.size === 0 && results.every((r) => r.outcome !== "ignored");
  for (const r of results.filter((x) => x.outcome !== "ignored")) {
    if (whole) byId.set(r.packageId, archive);
    else byId.delete(r.packageId);
  }
  return results;
}

/** The action for a source package ID (any case); `InvalidArgument` for a value that is not an action, before anything is imported. */
function importActions(actions: ImportOptions["actions"] = {}): (packageId: string) => ImportAction {
  const byId = new Map<string, ImportAction>();
  for (const [key, value] of Object.entries(actions)) {
    if (!IMPORT_ACTIONS.includes(value)) throw new TaskSeqError("InvalidArgument", `Import action ${JSON.stringify(value)} for ${key} is not one of ${IMPORT_ACTIONS.join(", ")}.`);
    if (key !== "default") byId.set(key.toUpperCase(), value);
  }
  return (packageId) => byId.get(packageId.toUpperCase()) ?? actions.default ?? "create-new";
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
