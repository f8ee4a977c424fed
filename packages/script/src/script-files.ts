/**
 * The files a script reaches through `__host`: reads go to the device's read view merged with the
 * script's own pending writes (content reads within `limits.fileReadBytes`); writes and folder
 * creations are recorded in a {@link FileWriteJournal} (file-writes.ts) for the embedder to apply
 * after the run.
 */
import type { FileStat } from "@taskseq/device";
import { TaskSeqError } from "@taskseq/model";
import { FileWriteJournal, parentFolder, pendingText, shownPath } from "./file-writes.js";
import type { FileWriteLimits, ScriptFileText, ScriptFileWrite } from "./file-writes.js";
import { adapterMissing, needAdapter } from "./script-device.js";
import type { ScriptFileAdapter } from "./script-device.js";

/** What `__host.fileStat` returns to the guest. */
export interface GuestFileStat {
  /** Size in bytes (0 for folders). */
  readonly size: number;
  /** File version resource, when present. */
  readonly version?: string;
  /** Last modification, epoch ms. */
  readonly modified: number;
  /** Whether it is a folder. */
  readonly isFolder: boolean;
}

/** An entry of what `__host.listDirectory` returns to the guest. */
export interface GuestDirectoryEntry {
  /** The entry's name. */
  readonly name: string;
  /** Whether it is a folder. */
  readonly isFolder: boolean;
}

/** What {@link ScriptFiles} works with. */
export interface ScriptFilesOptions extends FileWriteLimits {
  /** Bytes of file content the run may read. */
  readonly fileReadBytes: number;
  /** The device's read view, if the run has one. */
  readonly view: ScriptFileAdapter | undefined;
  /** Whether the script may write (`ScriptDevice.writableFiles`). */
  readonly writable: boolean;
  /** Masks every value that has been secret during the run. */
  readonly redact: (text: string) => string;
  /** Receives each write and folder creation once recorded (`ScriptRunRequest.onFileWrite`). */
  readonly onWrite?: ((write: ScriptFileWrite) => void) | undefined;
}

function guestStat(stat: FileStat): GuestFileStat {
  return { size: stat.sizeBytes, ...(stat.version === undefined ? {} : { version: stat.version }), modified: stat.modifiedUtc, isFolder: stat.kind === "folder" };
}

/** A folder's entries in the read view, or `null` when the view has no such folder. */
function listView(view: ScriptFileAdapter, path: string): GuestDirectoryEntry[] | null {
  if (view.stat(path)?.kind !== "folder") return null;
  const base = path.replace(/\\+$/, "");
  return view.list(path).map((name) => ({ name, isFolder: view.stat(`${base}\\${name}`)?.kind === "folder" }));
}

/**
 * The file surface of one run. A path the script wrote answers from its writes (a written file
 * exists, with the size of its texts in their encodings, plus the size it had before for an
 * append; its folders exist and list it); any other read goes to the read view, and fails with
 * `AdapterMissing` without one.
 */
export class ScriptFiles {
  /** Made at the first write: a run that writes nothing pays nothing. */
  private journal: FileWriteJournal | undefined;
  /** Bytes of file content read so far. */
  private bytesRead = 0;

  constructor(private readonly options: ScriptFilesOptions) {}

  /** Whether a file exists. */
  fileExists(path: string): boolean {
    const pending = this.journal?.find(path);
    return pending === undefined ? this.view().stat(path)?.kind === "file" : pending.kind === "file";
  }

  /** Whether a folder exists. */
  folderExists(path: string): boolean {
    const pending = this.journal?.find(path);
    return pending === undefined ? this.view().stat(path)?.kind === "folder" : pending.kind === "folder";
  }

  /** A file's or folder's metadata, or `null` when absent. */
  stat(path: string): GuestFileStat | null {
    const pending = this.journal?.find(path);
    if (pending === undefined) {
      const stat = this.view().stat(path);
      return stat === undefined ? null : guestStat(stat);
    }
    if (pending.kind === "folder") return { size: 0, modified: pending.modified, isFolder: true };
    const before = pending.append ? this.options.view?.stat(path) : undefined;
    return { size: (before?.kind === "file" ? before.sizeBytes : 0) + pending.bytes, modified: pending.modified, isFolder: false };
  }

  /** A folder's entries (the read view's and the files and folders the script wrote into it), or `null` when it is not a folder. */
  list(path: string): GuestDirectoryEntry[] | null {
    const pending = this.journal?.find(path);
    if (pending === undefined) return listView(this.view(), path);
    if (pending.kind === "file") return null;
    const view = this.options.view;
    const entries = (view === undefined ? null : listView(view, path)) ?? [];
    const seen = new Set(entries.map((e) => e.name.toUpperCase()));
    for (const [key, child] of pending.children) if (!seen.has(key)) entries.push({ name: child.name, isFolder: child.kind === "folder" });
    return entries;
  }

  /**
   * A file's text: what the device holds, followed by what the script appended, or what it wrote
   * in its place; `null` when there is no such file. The file's size counts toward the run's
   * `fileReadBytes` before anything is read.
   *
   * @throws TaskSeqError `AdapterMissing` without a read view that reads content (unless the script
   * wrote the whole file); `ScriptFileReadLimit` when the file does not fit what is left of the limit
   */
  readText(path: string): string | null {
    const stat = this.stat(path);
    if (stat === null || stat.isFolder) return null;
    const total = this.bytesRead + stat.size;
    if (total > this.options.fileReadBytes) throw new TaskSeqError("ScriptFileReadLimit", `The script read more than ${this.options.fileReadBytes} bytes from files.`);
    const pending = this.journal?.find(path);
    const written = pending?.kind === "file" ? pending : undefined;
    const own = written === undefined ? "" : pendingText(written);
    const text = written !== undefined && !written.append ? own : this.deviceText(path) + own;
    this.bytesRead = total;
    return text;
  }

  /**
   * Records a write of `written.text` (secret-masked here) to `path`, replacing the file or appending to it.
   *
   * @throws TaskSeqError `AdapterMissing` when the script may not write; `NotFound` ("Could not
   * find a part of the path") when the run has a read view and the folder below the root that
   * `path` goes into is neither on the device nor one the script created or wrote into;
   * `InvalidArgument` for a bad path or one that holds a secret value; `ScriptFileWriteLimit` past
   * the run's limits
   */
  write(path: string, written: ScriptFileText, append: boolean, time: number): void {
    const journal = this.writableJournal(path);
    const folder = parentFolder(path);
    if (folder !== undefined && this.options.view !== undefined && !this.folderExists(folder)) {
      throw new TaskSeqError("NotFound", `Could not find a part of the path ${shownPath(path)}.`, { details: { path } });
    }
    const recorded = journal.record(path, { ...written, text: this.options.redact(written.text) }, append, time);
    this.options.onWrite?.(recorded);
  }

  /**
   * Records the creation of a folder and its parents; nothing when the folder exists already.
   *
   * @throws TaskSeqError `AdapterMissing` when the script may not write; `InvalidArgument` for a
   * bad path, one that holds a secret value or names a file; `ScriptFileWriteLimit` past the run's limits
   */
  createFolder(path: string, time: number): void {
    const journal = this.writableJournal(path);
    const onDevice = this.options.view?.stat(path)?.kind;
    if (onDevice === "file") throw new TaskSeqError("InvalidArgument", `A folder path names a file: ${shownPath(path)}.`);
    const created = onDevice === "folder" ? undefined : journal.recordFolder(path, time);
    if (created !== undefined) this.options.onWrite?.(created);
  }

  /** The writes so far, one per file and per folder created, in the order the files were first written and the folders created. */
  writes(): ScriptFileWrite[] {
    return this.journal?.recorded() ?? [];
  }

  /** The journal, once the script may write to `path`. */
  private writableJournal(path: string): FileWriteJournal {
    if (!this.options.writable) throw adapterMissing("files");
    if (this.options.redact(path) !== path) throw new TaskSeqError("InvalidArgument", "A file path must not hold a secret value.");
    return (this.journal ??= new FileWriteJournal(this.options));
  }

  private view(): ScriptFileAdapter {
    return needAdapter(this.options.view, "files");
  }

  /** The text of a file on the device, `""` when the device has no such file (the script created it). */
  private deviceText(path: string): string {
    const view = this.options.view;
    if (view?.stat(path)?.kind !== "file") return "";
    if (view.readText === undefined) throw adapterMissing("file reading");
    return view.readText(path);
  }
}
