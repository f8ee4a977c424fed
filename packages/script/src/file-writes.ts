/**
 * A script's file writes. The sandbox runs guest code synchronously and a device's `files` adapter
 * is asynchronous, so a run records what the script writes ({@link FileWriteJournal}, bounded by
 * the run's limits) and the embedder applies it afterwards ({@link applyScriptFileWrite}).
 */
import type { FilesCapability } from "@taskseq/device";
import { TaskSeqError } from "@taskseq/model";

/** A file a script wrote, as its run returns it (`fileWrites`, in the order the script first wrote each file). */
export interface ScriptFileWrite {
  /** The absolute path, `\`-separated with `.` and `..` resolved, spelled as the script first wrote it. */
  readonly path: string;
  /** `true`: `text` goes after the file's current content (a missing file is created); `false`: the file is created or replaced with `text`. */
  readonly append: boolean;
  /** What the script wrote, secret-masked. */
  readonly text: string;
}

/** A file in the journal. */
export interface PendingFile {
  /** A file. */
  readonly kind: "file";
  /** The file name as first written. */
  readonly name: string;
  /** The path as first written (see {@link ScriptFileWrite.path}). */
  readonly path: string;
  /** Whether the text goes after the file's content from before the run. */
  append: boolean;
  /** The text written so far. */
  text: string;
  /** The UTF-8 length of {@link PendingFile.text}. */
  bytes: number;
  /** Simulated time of the last write, epoch ms. */
  modified: number;
}

/** A folder that holds files of the journal (its parents are created with them). */
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

/** The UTF-8 length of `text` (a lone surrogate counts as U+FFFD, as an encoder writes it). */
function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function invalid(message: string): TaskSeqError {
  return new TaskSeqError("InvalidArgument", message);
}

/** The writes of one run: per file, the text written since the run began, in a tree of folders. */
export class FileWriteJournal {
  private readonly root: PendingFolder = { kind: "folder", name: "", modified: 0, children: new Map() };
  private readonly files: PendingFile[] = [];
  private writes = 0;
  private chars = 0;

  constructor(private readonly limits: FileWriteLimits) {}

  /**
   * Records a write: `append` adds `text` to the file, otherwise it replaces what the file held.
   * It counts one write toward `limits.fileWrites`, plus one for each folder below the root that
   * no earlier write went into (writes create a file's parent folders; counting them bounds the
   * journal's size).
   *
   * @throws TaskSeqError `InvalidArgument` when `path` is not an absolute file path, holds a
   * character not valid in a file name, or crosses a file or folder the run wrote;
   * `ScriptFileWriteLimit` when the write would exceed the limits (nothing is recorded then)
   */
  record(path: string, text: string, append: boolean, time: number): void {
    const names = /[\\/]$/.test(path) ? undefined : pathSegments(path);
    const shown = `'${path.slice(0, 260)}'`;
    if (names === undefined || names.length < 2) throw invalid(`A file path must be absolute (C:\\… or \\\\server\\share\\…) and name a file: ${shown}.`);
    if (names.some((name, i) => i > 0 && BAD_NAME.test(name))) throw invalid(`A file path holds a character that is not valid in a file name: ${shown}.`);
    const leaf = names.length - 1;
    const name = names[leaf] ?? "";
    // The folders the journal holds already: a conflict can only be met among them.
    const folders = [this.root];
    let folder = this.root;
    for (const segment of names.slice(0, leaf)) {
      const child = folder.children.get(segment.toUpperCase());
      if (child === undefined) break;
      if (child.kind === "file") throw invalid(`A file path goes through a file the script wrote: ${shown}.`);
      folders.push((folder = child));
    }
    const existing = folders.length > leaf ? folder.children.get(name.toUpperCase()) : undefined;
    if (existing?.kind === "folder") throw invalid(`A file path names a folder the script wrote into: ${shown}.`);
    // Each folder the write adds counts, but a root (a drive or a share is not created).
    const added = leaf + 1 - folders.length;
    const writes = this.writes + 1 + added - (folders.length === 1 ? 1 : 0);
    if (writes > this.limits.fileWrites) throw new TaskSeqError("ScriptFileWriteLimit", `The script made more than ${this.limits.fileWrites} file writes (each new folder counts as one).`);
    const chars = this.chars + path.length + text.length;
    if (chars > this.limits.fileWriteChars) throw new TaskSeqError("ScriptFileWriteLimit", `The script wrote more than ${this.limits.fileWriteChars} characters to files.`);
    this.writes = writes;
    this.chars = chars;
    for (const segment of names.slice(folders.length - 1, leaf)) {
      const child: PendingFolder = { kind: "folder", name: segment, modified: time, children: new Map() };
      folder.children.set(segment.toUpperCase(), child);
      folders.push((folder = child));
    }
    for (const f of folders) f.modified = time;
    if (existing === undefined) {
      const file: PendingFile = { kind: "file", name, path: names.join("\\"), append, text, bytes: utf8Length(text), modified: time };
      folder.children.set(name.toUpperCase(), file);
      this.files.push(file);
      return;
    }
    existing.modified = time;
    if (append) {
      existing.text += text;
      existing.bytes += utf8Length(text);
    } else {
      existing.append = false;
      existing.text = text;
      existing.bytes = utf8Length(text);
    }
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

  /** The recorded writes, one per file, in the order the files were first written. */
  recorded(): ScriptFileWrite[] {
    return this.files.map((f) => ({ path: f.path, append: f.append, text: f.text }));
  }
}

/**
 * Applies one of a run's file writes through a device's `files` adapter: replaces the file with
 * the text, or for an append writes the file's current text (read with `readText`, which honours
 * a UTF-16 BOM) followed by it. The adapter writes strings as UTF-8 and creates parent folders.
 *
 * @param files - the device's `files` adapter
 * @param write - one entry of a run's `fileWrites`; apply them in order
 * @throws the adapter's error (for example `DeviceOperationFailed` when the volume is full)
 * @example
 * ```ts
 * const r = await runScript({ language: "powershell", source, environment, device: { writableFiles: true } });
 * for (const write of r.value?.fileWrites ?? []) await applyScriptFileWrite(device.files, write);
 * ```
 */
export async function applyScriptFileWrite(files: Pick<FilesCapability, "stat" | "readText" | "write">, write: ScriptFileWrite): Promise<void> {
  const before = write.append && (await files.stat(write.path))?.kind === "file" ? await files.readText(write.path) : "";
  await files.write(write.path, before + write.text);
}
