/**
 * A {@link StateStore} on disk: a snapshot file plus an append-only journal per snapshot
 * generation (DESIGN.md §4, variables.md §12).
 *
 * Layout of the state folder:
 * - `state.json`: first line `taskseq-state <generation>`, then the snapshot document;
 *   replaced atomically (write `state.json.tmp`, rename). Journals of older generations are
 *   deleted after a new snapshot is in place, so a crash at any point leaves either the old
 *   snapshot with its journal or the new snapshot with an empty journal.
 * - `journal-<generation>.log`: one record per line; each `append` is a single write.
 * - Durability (power loss, not only a killed process) is what the engine asks for at restart
 *   points: a durable `append` fsyncs the journal, and the snapshot and folder when they have not
 *   been fsync'd yet. A snapshot that replaces state which may be durable (a compaction after a
 *   restart point, a resume) is fsync'd before the rename and the folder after it, so the durable
 *   state is never lost on the way. The first snapshot of a run replaces nothing durable: it is
 *   fsync'd with the first durable append (a run start costs no fsync of the whole sequence).
 * A final journal line without its line break (torn by a crash) is ignored.
 */
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { TaskSeqError } from "@taskseq/model";
import type { StateStore, StoredState } from "@taskseq/engine";
import { ensureFolder } from "./ensure-folder.js";

const HEADER = "taskseq-state ";
const SNAPSHOT = "state.json";
const JOURNAL = /^journal-(\d+)\.log$/;

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new TaskSeqError("StateCorrupt", `Cannot read ${path}.`, { cause: e });
  }
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Options of {@link createFileStateStore}. */
export interface FileStateStoreOptions {
  /** Called after each fsync with the path made durable (a file or the state folder): diagnostics and tests. */
  readonly onSync?: (path: string) => void;
}

/**
 * Creates a state store in `dir` (created when missing).
 *
 * @example
 * ```ts
 * const engine = createEngine({ state: createFileStateStore("C:/_SMSTaskSequence/state") });
 * ```
 */
export function createFileStateStore(dir: string, options: FileStateStoreOptions = {}): StateStore {
  let generation: number | undefined;
  let fd: number | undefined;
  /** The snapshot in place was written without fsync (it replaced nothing durable). */
  let snapshotUnsynced = false;
  /** The folder has entries (a renamed snapshot, a new journal) not fsync'd yet. */
  let folderUnsynced = false;

  const synced = (path: string): void => options.onSync?.(path);
  const syncFolder = (): void => {
    fsyncDir(dir);
    folderUnsynced = false;
    synced(dir);
  };

  const journalPath = (g: number): string => join(dir, `journal-${g}.log`);

  function closeJournal(): void {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  }

  function readGeneration(text: string): { generation: number; snapshot: string } {
    const nl = text.indexOf("\n");
    const header = nl < 0 ? text : text.slice(0, nl);
    const g = Number(header.slice(HEADER.length));
    if (!header.startsWith(HEADER) || !Number.isSafeInteger(g) || g < 0 || nl < 0) {
      throw new TaskSeqError("StateCorrupt", `${join(dir, SNAPSHOT)} is not a taskseq state file.`);
    }
    return { generation: g, snapshot: text.slice(nl + 1) };
  }

  function currentGeneration(): number {
    if (generation === undefined) {
      const text = readIfExists(join(dir, SNAPSHOT));
      generation = text === undefined ? 0 : readGeneration(text).generation;
    }
    return generation;
  }

  function removeJournals(keep: number | undefined): void {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const m = JOURNAL.exec(name);
      if (m !== null && Number(m[1]) !== keep) rmSync(join(dir, name), { force: true });
    }
  }

  /** Appends a record with a single `write`, so a crash leaves it whole or torn (a torn last line is dropped). */
  function write(record: string, durable: boolean): void {
    if (record.includes("\n") || record.includes("\r")) throw new TaskSeqError("InvalidArgument", "A state record must be one line.");
    if (fd === undefined) {
      fd = openSync(journalPath(currentGeneration()), "a");
      folderUnsynced = true;
    }
    writeSync(fd, `${record}\n`);
    if (!durable) return;
    if (snapshotUnsynced) {
      const snapshotFd = openSync(join(dir, SNAPSHOT), "r");
      try {
        fsyncSync(snapshotFd);
      } finally {
        closeSync(snapshotFd);
      }
      snapshotUnsynced = false;
      synced(join(dir, SNAPSHOT));
    }
    fsyncSync(fd);
    synced(journalPath(currentGeneration()));
    if (folderUnsynced) syncFolder();
  }

  return {
    async load(): Promise<StoredState | undefined> {
      const text = readIfExists(join(dir, SNAPSHOT));
      if (text === undefined) return undefined;
      const { generation: g, snapshot } = readGeneration(text);
      generation = g;
      const journal = readIfExists(journalPath(g)) ?? "";
      const lines = journal.split("\n");
      lines.pop(); // the text after the last line break: "" or a torn record
      return { snapshot, records: lines };
    },

    async replace(snapshot: string): Promise<void> {
      ensureFolder(dir, "the state folder");
      // State that may be durable (written by an earlier process, or made durable by an append) is replaced durably.
      const durable = currentGeneration() > 0 && !snapshotUnsynced;
      const next = currentGeneration() + 1;
      const tmp = join(dir, `${SNAPSHOT}.tmp`);
      const out = openSync(tmp, "w");
      try {
        writeSync(out, `${HEADER}${next}\n`);
        writeSync(out, snapshot);
        if (durable) {
          fsyncSync(out);
          synced(tmp);
        }
      } finally {
        closeSync(out);
      }
      closeJournal();
      renameSync(tmp, join(dir, SNAPSHOT));
      if (durable) syncFolder();
      else folderUnsynced = true;
      snapshotUnsynced = !durable;
      generation = next;
      removeJournals(next);
    },

    append(record: string, durable: boolean): void {
      write(record, durable);
    },

    async clear(): Promise<void> {
      closeJournal();
      rmSync(join(dir, SNAPSHOT), { force: true });
      rmSync(join(dir, `${SNAPSHOT}.tmp`), { force: true });
      removeJournals(undefined);
      generation = undefined;
      snapshotUnsynced = false;
      folderUnsynced = false;
    },
  };
}
