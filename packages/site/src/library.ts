import { childPackageId, RUN_TASK_SEQUENCE_TYPE } from "@taskseq/engine";
import { TaskSeqError, walk } from "@taskseq/model";
import type { TaskSequence } from "@taskseq/model";
import {
  createBuildAndCaptureTemplate,
  createCustomTemplate,
  createInstallOsTemplate,
  createUpgradeOsTemplate,
  createUserStateTemplate,
} from "@taskseq/steps";
import type { BuildAndCaptureTemplateOptions, InstallOsTemplateOptions, UpgradeOsTemplateOptions, UserStateTemplateOptions } from "@taskseq/steps";
import { validateProperties, DEFAULT_PROPERTIES } from "./task-sequence-properties.js";
import type { TaskSequenceProperties } from "./task-sequence-properties.js";

/** What the Create Task Sequence Wizard builds. */
export type TaskSequenceWizard =
  | { readonly kind: "install-image"; readonly options: InstallOsTemplateOptions }
  | { readonly kind: "build-and-capture"; readonly options: BuildAndCaptureTemplateOptions }
  | { readonly kind: "upgrade"; readonly options: UpgradeOsTemplateOptions }
  | { readonly kind: "user-state"; readonly options: UserStateTemplateOptions }
  | { readonly kind: "custom"; readonly name?: string };

/** One task sequence of the library. */
export interface LibraryEntry {
  /** Package ID (site code + 5 hex digits). */
  readonly packageId: string;
  /** Name. */
  readonly name: string;
  /** The sequence. */
  readonly sequence: TaskSequence;
  /** Folder path (`/` is the root). */
  readonly folder: string;
  /** A disabled sequence can be deployed but does not run. */
  readonly enabled: boolean;
  /** Properties (General and Advanced tabs). */
  readonly properties: TaskSequenceProperties;
  /** Increments on every change. */
  readonly version: number;
}

/** Options of {@link createTaskSequenceLibrary}. */
export interface LibraryOptions {
  /** Three-character site code used in new package IDs. Default `PS1`. */
  readonly siteCode?: string;
}

/** The task sequence library (Software Library > Operating Systems > Task Sequences). */
export interface TaskSequenceLibrary {
  /** Creates a sequence with the wizard; returns its entry. */
  create(wizard: TaskSequenceWizard, folder?: string): LibraryEntry;
  /** Adds an existing (imported) sequence; a given package ID must be free. */
  add(sequence: TaskSequence, options?: { readonly packageId?: string; readonly folder?: string; readonly properties?: Partial<TaskSequenceProperties>; readonly enabled?: boolean }): LibraryEntry;
  /** The entry, or `NotFound`. */
  get(packageId: string): LibraryEntry;
  /** The entry, or `undefined`. */
  find(packageId: string): LibraryEntry | undefined;
  /** Every entry, optionally only those of one folder. */
  list(folder?: string): readonly LibraryEntry[];
  /** Replaces the sequence with `edit(sequence)` (use the `@taskseq/model` edit functions). */
  edit(packageId: string, edit: (sequence: TaskSequence) => TaskSequence): LibraryEntry;
  /** Copies a sequence under a new package ID, named `<name> - Copy` unless named. */
  copy(packageId: string, name?: string): LibraryEntry;
  /** Enables or disables a sequence. */
  setEnabled(packageId: string, enabled: boolean): LibraryEntry;
  /** Changes properties (validated: `InvalidArgument`). */
  setProperties(packageId: string, properties: Partial<TaskSequenceProperties>): LibraryEntry;
  /** Creates a folder (and its parents). */
  createFolder(path: string): void;
  /** Deletes an empty folder (`InvalidOperation` when it holds sequences or folders). */
  deleteFolder(path: string): void;
  /** Every folder path, sorted. */
  folders(): readonly string[];
  /** Moves a sequence to an existing folder. */
  move(packageId: string, folder: string): LibraryEntry;
  /** Deletes a sequence (`InvalidOperation` while another sequence runs it as a child). */
  delete(packageId: string): void;
}

/** Package IDs of the Run Task Sequence steps of a sequence. */
export function childPackageIds(sequence: TaskSequence): string[] {
  const ids: string[] = [];
  walk(sequence, (item) => {
    if (item.kind === "step" && item.type === RUN_TASK_SEQUENCE_TYPE) {
      const id = childPackageId(item);
      if (id !== "") ids.push(id);
    }
  });
  return ids;
}

/**
 * Creates an in-memory task sequence library: wizard templates, edits, copies, folders,
 * enable/disable and the properties that deployments rely on.
 *
 * @example
 * ```ts
 * const library = createTaskSequenceLibrary();
 * const entry = library.create({ kind: "custom", name: "Inventory" }, "/Scripts");
 * library.setProperties(entry.packageId, { maxRunTimeMinutes: 30 });
 * ```
 */
export function createTaskSequenceLibrary(options: LibraryOptions = {}): TaskSequenceLibrary {
  const siteCode = options.siteCode ?? "PS1";
  if (!/^[A-Z0-9]{3}$/.test(siteCode)) throw new TaskSeqError("InvalidArgument", `Site code "${siteCode}" must be three letters or digits.`);
  const entries = new Map<string, LibraryEntry>();
  const folderSet = new Set<string>(["/"]);
  let counter = 0;

  const nextId = (): string => {
    let id: string;
    do id = `${siteCode}${(++counter).toString(16).toUpperCase().padStart(5, "0")}`;
    while (entries.has(id));
    return id;
  };
  const get = (id: string): LibraryEntry => {
    const entry = entries.get(id.toUpperCase());
    if (entry === undefined) throw new TaskSeqError("NotFound", `Task sequence ${id} is not in the library.`);
    return entry;
  };
  const put = (entry: LibraryEntry): LibraryEntry => {
    entries.set(entry.packageId, entry);
    return entry;
  };
  const update = (id: string, change: Partial<LibraryEntry>): LibraryEntry => {
    const entry = get(id);
    return put({ ...entry, ...change, version: entry.version + 1 });
  };
  const requireFolder = (path: string): string => {
    const normal = normalizeFolder(path);
    if (!folderSet.has(normal)) throw new TaskSeqError("NotFound", `Folder ${normal} does not exist.`);
    return normal;
  };
  const add: TaskSequenceLibrary["add"] = (sequence, o = {}) => {
    const packageId = (o.packageId ?? nextId()).toUpperCase();
    if (!/^[A-Z0-9]{1,8}$/.test(packageId)) throw new TaskSeqError("InvalidArgument", `Package ID "${packageId}" must be 1-8 letters or digits.`);
    if (entries.has(packageId)) throw new TaskSeqError("InvalidOperation", `Package ID ${packageId} is already in the library.`);
    const name = sequence.package?.name ?? sequence.name ?? packageId;
    const properties = validateProperties({ ...DEFAULT_PROPERTIES, ...(sequence.package?.bootImageId === undefined ? {} : { bootImageId: sequence.package.bootImageId }), ...o.properties });
    const info = { ...sequence.package, packageId, name, properties: sequence.package?.properties ?? {} };
    return put({ packageId, name, sequence: { ...sequence, package: info }, folder: requireFolder(o.folder ?? "/"), enabled: o.enabled ?? true, properties, version: 1 });
  };

  return {
    create: (wizard, folder) => add(fromWizard(wizard), folder === undefined ? {} : { folder }),
    add,
    get,
    find: (id) => entries.get(id.toUpperCase()),
    list: (folder) => [...entries.values()].filter((e) => folder === undefined || e.folder === normalizeFolder(folder)),
    edit: (id, edit) => {
      const entry = get(id);
      const sequence = edit(entry.sequence);
      return update(id, { sequence, name: sequence.package?.name ?? sequence.name ?? entry.name });
    },
    copy: (id, name) => {
      const entry = get(id);
      const copyName = name ?? `${entry.name} - Copy`;
      const packageId = nextId();
      const sequence: TaskSequence = { ...entry.sequence, name: copyName, package: { ...entry.sequence.package, packageId, name: copyName, properties: entry.sequence.package?.properties ?? {} } };
      return put({ ...entry, packageId, name: copyName, sequence, version: 1 });
    },
    setEnabled: (id, enabled) => update(id, { enabled }),
    setProperties: (id, properties) => update(id, { properties: validateProperties({ ...get(id).properties, ...properties }) }),
    createFolder: (path) => {
      const parts = normalizeFolder(path).split("/").filter((p) => p !== "");
      for (let i = 1; i <= parts.length; i++) folderSet.add(`/${parts.slice(0, i).join("/")}`);
    },
    deleteFolder: (path) => {
      const normal = requireFolder(path);
      if (normal === "/") throw new TaskSeqError("InvalidOperation", "The root folder cannot be deleted.");
      const used = [...entries.values()].some((e) => e.folder === normal) || [...folderSet].some((f) => f.startsWith(`${normal}/`));
      if (used) throw new TaskSeqError("InvalidOperation", `Folder ${normal} is not empty.`);
      folderSet.delete(normal);
    },
    folders: () => [...folderSet].sort(),
    move: (id, folder) => update(id, { folder: requireFolder(folder) }),
    delete: (id) => {
      const entry = get(id);
      const parent = [...entries.values()].find((e) => e.packageId !== entry.packageId && childPackageIds(e.sequence).some((c) => c.toUpperCase() === entry.packageId));
      if (parent !== undefined) throw new TaskSeqError("InvalidOperation", `${entry.name} (${entry.packageId}) runs as a child of ${parent.name} (${parent.packageId}).`);
      entries.delete(entry.packageId);
    },
  };
}

function fromWizard(wizard: TaskSequenceWizard): TaskSequence {
  switch (wizard.kind) {
    case "install-image":
      return createInstallOsTemplate(wizard.options);
    case "build-and-capture":
      return createBuildAndCaptureTemplate(wizard.options);
    case "upgrade":
      return createUpgradeOsTemplate(wizard.options);
    case "user-state":
      return createUserStateTemplate(wizard.options);
    case "custom":
      return createCustomTemplate(wizard.name);
  }
}

function normalizeFolder(path: string): string {
  const parts = path.split(/[\\/]+/).filter((p) => p !== "");
  if (parts.some((p) => p === "." || p === "..")) throw new TaskSeqError("InvalidArgument", `Folder path "${path}" may not contain . or .. segments.`);
  return `/${parts.join("/")}`;
}
