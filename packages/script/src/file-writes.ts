/**
 * A script's file writes and folder creations. The sandbox runs guest code synchronously and a
 * device's `files` adapter is asynchronous, so a run records what the script writes
 * ({@link FileWriteJournal}, bounded by the run's limits) and the embedder applies it afterwards
 * ({@link applyScriptFileWrite}).
 */
import { encodeFileText, fileTextEncodingOf } from "@taskseq/device";
import type { FileAccessOptions, FilesCapability, FileTextEncoding } from "@taskseq/device";
import { TaskSeqError } from "@taskseq/model";

/** Text a script writes and how it becomes bytes. */
export interface ScriptFileText {
  /** What the script wrote, secret-masked. */
  readonly text: string;
  /** The encoding of the bytes (`@taskseq/device` `FileTextEncoding`); its BOM, if it has one, starts a file the text starts. */
  readonly encoding: FileTextEncoding;
  /**
   * Appends only: when the file already starts with a BOM, the text is written in that BOM's
   * encoding instead (`Add-Content`, `__host.appendFile`). Absent: in `encoding` whatever the file
   * holds (`Out-File -Append`, `>>`).
   */
  readonly keepFileEncoding?: true;
}

/** Text a script wrote to a file, as its run returns it. */
export interface ScriptFileTextWrite extends ScriptFileText {
  /** The absolute path, `\`-separated with `.` and `..` resolved, spelled as the script first wrote it. */
  readonly path: string;
  /** `true`: `text` goes after the file's current content (a missing file is created); `false`: the file is created or replaced with `text`. */
  readonly append: boolean;
}

/** A folder a script created (`New-Item -ItemType Directory`, `__host.createFolder`), with its parents. */
export interface ScriptFolderCreation {
  /** The absolute path, `\`-separated with `.` and `..` resolved, spelled as the script wrote it. */
  readonly path: string;
  /** Marks a folder creation. */
  readonly folder: true;
}

/**
 * One entry of a run's `fileWrites`: one per file, in the order the script first wrote each file
 * (several in a row when it wrote the file in several encodings, each appending to the one before),
 * and one per folder it created, in the same order. Tell them apart with `"folder" in write`.
 */
export type ScriptFileWrite = ScriptFileTextWrite | ScriptFolderCreation;

/** A file in the journal. */
export interface PendingFile {
  /** A file. */
  readonly kind: "file";
  /** The file name as first written. */
  readonly name: string;
  /** The path as first written (see {@link ScriptFileTextWrite.path}). */
  readonly path: string;
  /** Whether the texts go after the file's content from before the run. */
  append: boolean;
  /** The texts written so far, in order, one per run of writes in the same encoding. */
  texts: ScriptFileText[];
  /** The length of {@link PendingFile.texts} in bytes (a text kept in the file's encoding counted in its own). */
  bytes: number;
  /** Simulated time of the last write, epoch ms. */
  modified: number;
}

/** The text of a file of the journal: its texts, whatever their encodings. */
export function pendingText(file: PendingFile): string {
  return file.texts.map((t) => t.text).join("");
}

/** A folder of the journal: one the script created, or one that holds files it wrote (parents are created with what they hold). */
export interface PendingFolder {
  /** A folder. */
  readonly kind: "folder";
  /** The folder name as first written (the root: `C:` or `\\server\share`). */
  readonly name: string;
  /** Simulated time of the last write under it, epoch ms. */
  modified: number;
  /** Entries by upper-cased name. */
  readonly children: Map<string, PendingFile | PendingFolder>;
}

/** The limits a journal enforces (`ScriptLimits`). */
export interface FileWriteLimits {
  /** Number of writes. */
  readonly fileWrites: number;
  /** Characters written, paths included. */
  readonly fileWriteChars: number;
}

const ROOT = /^(?:[A-Za-z]:|\\\\[^\\]+\\[^\\]+)(?=\\|$)/;
// eslint-disable-next-line no-control-regex -- control characters are not valid in file names
const BAD_NAME = /[<>:"|?*\u0000-\u001f]/;

/**
 * The root of an absolute path (`C:` or `\\server\share`) followed by its names, `/` read as `\`,
 * empty names and `.` dropped and `..` resolved; `undefined` when the path is not absolute.
 */
function pathSegments(path: string): string[] | undefined {
  const p = path.replace(/\//g, "\\");
  const root = ROOT.exec(p)?.[0];
  if (root === undefined) return undefined;
  const names = [root];
  for (const name of p.slice(root.length).split("\\")) {
    if (name === ".." && names.length > 1) names.pop();
    else if (name !== "" && name !== "." && name !== "..") names.push(name);
  }
  return names;
}

function invalid(message: string): TaskSeqError {
  return new TaskSeqError("InvalidArgument", message);
}

/** The writes of one run: per file, the text written since the run began, and the folders created, in a tree of folders. */
export class FileWriteJournal {
  private readonly root: PendingFolder = { kind: "folder", name: "", modified: 0, children: new Map() };
  /** The files written and the folders created, in order. */
  private readonly entries: (PendingFile | ScriptFolderCreation)[] = [];
  private writes = 0;
  private chars = 0;

  constructor(private readonly limits: FileWriteLimits) {}

  /**
   * Records a write: `append` adds the text to the file, otherwise it replaces what the file held.
   * An appended text joins the file's last one when it has the same encoding and
   * `keepFileEncoding`, and follows it otherwise.
   * It counts one write toward `limits.fileWrites`, plus one for each folder below the root that
   * no earlier write or folder creation went into (writes create a file's parent folders; counting
   * them bounds the journal's size).
   *
   * @returns the write as recorded (the path with `.` and `..` resolved)
   * @throws TaskSeqError `InvalidArgument` when `path` is not an absolute file path, holds a
   * character not valid in a file name, or crosses a file or folder the run wrote;
   * `ScriptFileWriteLimit` when the write would exceed the limits (nothing is recorded then)
   */
  record(path: string, written: ScriptFileText, append: boolean, time: number): ScriptFileTextWrite {
    const shown = shownPath(path);
    const names = /[\\/]$/.test(path) ? undefined : pathSegments(path);
    if (names === undefined || names.length < 2) throw invalid(`A file path must be absolute (C:\\… or \\\\server\\share\\…) and name a file: ${shown}.`);
    checkNames(names, shown);
    const leaf = names.length - 1;
    const name = names[leaf] ?? "";
    // The folders the journal holds already: a conflict can only be met among them.
    const folders = this.reach(names.slice(0, leaf), shown);
    const existing = folders.length > leaf ? folders[leaf]?.children.get(name.toUpperCase()) : undefined;
    if (existing?.kind === "folder") throw invalid(`A file path names a folder the script wrote into: ${shown}.`);
    this.count(1 + newFolders(leaf, folders), path.length + written.text.length);
    const folder = this.addFolders(names.slice(0, leaf), folders, time);
    const asked: ScriptFileText = { text: written.text, encoding: written.encoding, ...(append && written.keepFileEncoding === true ? { keepFileEncoding: true } : {}) };
    const piece = existing !== undefined && !existing.append ? keptIn(existing.texts[0], asked) : asked;
    // The BOM of an append depends on the file on the device: it is not counted.
    const bytes = encodeFileText(piece.text, piece.encoding, !append).length;
    const recorded = { path: names.join("\\"), append, ...piece };
    if (existing === undefined) {
      const file: PendingFile = { kind: "file", name, path: recorded.path, append, texts: [piece], bytes, modified: time };
      folder.children.set(name.toUpperCase(), file);
      this.entries.push(file);
    } else if (!append) {
      Object.assign(existing, { append: false, texts: [piece], bytes, modified: time });
    } else {
      existing.modified = time;
      existing.bytes += bytes;
      const last = existing.texts.at(-1);
      if (last !== undefined && last.encoding === piece.encoding && last.keepFileEncoding === piece.keepFileEncoding) existing.texts[existing.texts.length - 1] = { ...last, text: last.text + piece.text };
      else existing.texts.push(piece);
    }
    return recorded;
  }

  /**
   * Records the creation of a folder and its parents. Each folder below the root that no earlier
   * write or folder creation went into counts one toward `limits.fileWrites`, and the path counts
   * toward `limits.fileWriteChars`; a folder the journal holds already is not recorded again.
   *
   * @returns the creation as recorded, `undefined` when the journal held the folder already
   * @throws TaskSeqError `InvalidArgument` when `path` is not an absolute path below a root, holds a
   * character not valid in a file name, or crosses or names a file the run wrote;
   * `ScriptFileWriteLimit` when the creation would exceed the limits (nothing is recorded then)
   */
  recordFolder(path: string, time: number): ScriptFolderCreation | undefined {
    const shown = shownPath(path);
    const names = pathSegments(path);
    if (names === undefined || names.length < 2) throw invalid(`A folder path must be absolute (C:\\… or \\\\server\\share\\…) and name a folder below its root: ${shown}.`);
    checkNames(names, shown);
    const folders = this.reach(names, shown);
    if (folders.length > names.length) return undefined;
    this.count(newFolders(names.length, folders), path.length);
    this.addFolders(names, folders, time);
    const created: ScriptFolderCreation = { path: names.join("\\"), folder: true };
    this.entries.push(created);
    return created;
  }

  /** The file or folder of the journal at `path` (any absolute spelling, case-insensitive), or `undefined`. */
  find(path: string): PendingFile | PendingFolder | undefined {
    const names = pathSegments(path);
    if (names === undefined) return undefined;
    let entry: PendingFile | PendingFolder | undefined = this.root;
    for (const name of names) {
      if (entry?.kind !== "folder") return undefined;
      entry = entry.children.get(name.toUpperCase());
    }
    return entry;
  }

  /** The recorded writes and folder creations, one entry per file (one per text of it) or folder, in order. */
  recorded(): ScriptFileWrite[] {
    return this.entries.flatMap((e): ScriptFileWrite[] => ("folder" in e ? [e] : e.texts.map((t, i) => ({ path: e.path, append: e.append || i > 0, ...t }))));
  }

  /** The journal's folders along `names`, the tree's root first, as far as they go; `InvalidArgument` when one of `names` is a file of the journal. */
  private reach(names: readonly string[], shown: string): PendingFolder[] {
    const folders = [this.root];
    let folder = this.root;
    for (const segment of names) {
      const child = folder.children.get(segment.toUpperCase());
      if (child === undefined) break;
      if (child.kind === "file") throw invalid(`A path goes through or names a file the script wrote: ${shown}.`);
      folders.push((folder = child));
    }
    return folders;
  }

  /** Counts writes and characters, or throws `ScriptFileWriteLimit` (counting nothing) when they pass the limits. */
  private count(writes: number, chars: number): void {
    if (this.writes + writes > this.limits.fileWrites) throw new TaskSeqError("ScriptFileWriteLimit", `The script made more than ${this.limits.fileWrites} file writes (each new folder counts as one).`);
    if (this.chars + chars > this.limits.fileWriteChars) throw new TaskSeqError("ScriptFileWriteLimit", `The script wrote more than ${this.limits.fileWriteChars} characters to files.`);
    this.writes += writes;
    this.chars += chars;
  }

  /** Adds the folders of `names` that `reached` (from {@link FileWriteJournal.reach}) lacks, marks them all modified, and returns the last. */
  private addFolders(names: readonly string[], reached: PendingFolder[], time: number): PendingFolder {
    const folders = [...reached];
    let folder = folders[folders.length - 1] ?? this.root;
    for (const segment of names.slice(folders.length - 1)) {
      const child: PendingFolder = { kind: "folder", name: segment, modified: time, children: new Map() };
      folder.children.set(segment.toUpperCase(), child);
      folders.push((folder = child));
    }
    for (const f of folders) f.modified = time;
    return folder;
  }
}

/** How many folders below a root a path of `depth` names (root first) adds to the journal's `reached` ones: a drive or share is not created. */
function newFolders(depth: number, reached: readonly PendingFolder[]): number {
  return depth + 1 - reached.length - (reached.length === 1 ? 1 : 0);
}

/**
 * A text appended to a file the journal created, whose first text is `first`: a text kept in the
 * file's encoding takes the encoding of the BOM the first text wrote, or its own when it wrote
 * none. Unchanged when the first text wrote no bytes (the file's start is not known yet).
 */
function keptIn(first: ScriptFileText | undefined, piece: ScriptFileText): ScriptFileText {
  if (piece.keepFileEncoding !== true || first === undefined) return piece;
  const start = encodeFileText(first.text.slice(0, 2), first.encoding, true);
  return start.length === 0 ? piece : { text: piece.text, encoding: fileTextEncodingOf(start) ?? piece.encoding };
}

/** The folder an absolute file path goes into, when it is below a root (`C:\\a\\b.log` → `C:\\a`); else `undefined`. */
export function parentFolder(path: string): string | undefined {
  const names = pathSegments(path);
  return names !== undefined && names.length > 2 ? names.slice(0, -1).join("\\") : undefined;
}

/** A path as error messages show it. */
export function shownPath(path: string): string {
  return `'${path.slice(0, 260)}'`;
}

/** `InvalidArgument` when a name below the root holds a character not valid in a file name. */
function checkNames(names: readonly string[], shown: string): void {
  if (names.some((name, i) => i > 0 && BAD_NAME.test(name))) throw invalid(`A path holds a character that is not valid in a file name: ${shown}.`);
}

/**
 * Applies one of a run's file writes through a device's `files` adapter: creates a folder (and
 * its parents); replaces a file with the text's bytes in its encoding (its BOM first); or for an
 * append writes the file's current bytes followed by the text's (with the BOM only when the file
 * was missing or empty; in the encoding of the file's own BOM when `keepFileEncoding`). The
 * adapter creates parent folders.
 *
 * @param files - the device's `files` adapter
 * @param write - one entry of a run's `fileWrites`; apply them in order
 * @param options - how the adapter resolves the paths (the built-in script steps pass
 *   `disableWow64Redirection: true`: their scripts see the native view of a 64-bit OS)
 * @throws the adapter's error (for example `DeviceOperationFailed` when the volume is full)
 * @example
 * ```ts
 * const r = await runScript({ language: "powershell", source, environment, device: { writableFiles: true } });
 * for (const write of r.value?.fileWrites ?? []) await applyScriptFileWrite(device.files, write);
 * ```
 */
export async function applyScriptFileWrite(
  files: Pick<FilesCapability, "stat" | "read" | "write" | "createFolder">,
  write: ScriptFileWrite,
  options?: FileAccessOptions,
): Promise<void> {
  if ("folder" in write) return files.createFolder(write.path, options);
  const before = write.append && (await files.stat(write.path, options))?.kind === "file" ? await files.read(write.path, options) : new Uint8Array(0);
  const encoding = (write.keepFileEncoding === true ? fileTextEncodingOf(before) : undefined) ?? write.encoding;
  const text = encodeFileText(write.text, encoding, before.length === 0);
  const data = new Uint8Array(before.length + text.length);
  data.set(before);
  data.set(text, before.length);
  await files.write(write.path, data, options);
}

/**
 * The writes a host received one by one (`ScriptRunRequest.onFileWrite`) in the form a run returns
 * them (`fileWrites`: one entry per file, texts in the same encoding joined, each folder once).
 * Applying either, in order, writes the same files.
 *
 * @param writes - the writes and folder creations, in the order the script made them
 * @example
 * ```ts
 * const seen: ScriptFileWrite[] = [];
 * await runScript({ ...request, onFileWrite: (w) => seen.push(w) });
 * mergeScriptFileWrites(seen); // the run's fileWrites
 * ```
 */
export function mergeScriptFileWrites(writes: readonly ScriptFileWrite[]): ScriptFileWrite[] {
  const journal = new FileWriteJournal({ fileWrites: Infinity, fileWriteChars: Infinity });
  for (const write of writes) {
    if ("folder" in write) journal.recordFolder(write.path, 0);
    else journal.record(write.path, write, write.append, 0);
  }
  return journal.recorded();
}
