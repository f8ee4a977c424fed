/**
 * A {@link StateStore} on disk: a snapshot file plus an append-only journal per snapshot
 * generation (DESIGN.md §4, variables.md §12).
 *
 * Layout of the state folder:
 * - `state.json`: first line `taskseq-state <generation>`, then the snapshot document;
 *   replaced atomically (write `state.json.tmp`, fsync, rename, fsync the folder).
 * - `journal-<generation>.log`: one record per line; each `append` is a single write;
 *   fsync'd when the engine asks for durability (restart points). Journals of older
 *   generations are deleted after a new snapshot is in place, so a crash at any point leaves
 *   either the old snapshot with its journal or the new snapshot with an empty journal.
 * A final journal line without its line break (torn by a crash) is ignored.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { TaskSeqError } from "@taskseq/model";
import type { StateStore, StoredState } from "@taskseq/engine";

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

/**
 * Creates a state store in `dir` (created when missing).
 *
 * @example
 * ```ts
 * const engine = createEngine({ state: createFileStateStore("C:/_SMSTaskSequence/state") });
 * ```
 */
export function createFileStateStore(dir: string): StateStore {
  let generation: number | undefined;
  let fd: number | undefined;

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
    fd ??= openSync(journalPath(currentGeneration()), "a");
    writeSync(fd, `${record}\n`);
    if (durable) fsyncSync(fd);
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
      mkdirSync(dir, { recursive: true });
      const next = currentGeneration() + 1;
      const tmp = join(dir, `${SNAPSHOT}.tmp`);
      const out = openSync(tmp, "w");
      try {
        writeSync(out, `${HEADER}${next}\n`);
        writeSync(out, snapshot);
        fsyncSync(out);
      } finally {
        closeSync(out);
      }
      closeJournal();
      renameSync(tmp, join(dir, SNAPSHOT));
      fsyncDir(dir);
      generation = next;
      removeJournals(next);
    },

    async append(record: string, durable: boolean): Promise<void> {
      write(record, durable);
    },

    async clear(): Promise<void> {
      closeJournal();
      rmSync(join(dir, SNAPSHOT), { force: true });
      rmSync(join(dir, `${SNAPSHOT}.tmp`), { force: true });
      removeJournals(undefined);
      generation = undefined;
    },
  };
}
