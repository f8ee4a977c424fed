/**
 * Durable run state (variables.md §12, execution.md §7–§8): a snapshot plus an append-only
 * journal of progress records. A {@link StateStore} only stores text; the engine owns the format
 * (`state-format.ts`).
 */
import { TaskSeqError } from "@taskseq/model";

/** What a store holds: the last snapshot and the journal records written after it. */
export interface StoredState {
  /** The snapshot document. */
  readonly snapshot: string;
  /** Complete journal records after the snapshot, oldest first (a torn final record is dropped). */
  readonly records: readonly string[];
}

/**
 * Persists run state. Implementations: {@link createMemoryStateStore} (default) and
 * `createFileStateStore(dir)` in `@taskseq/node`.
 */
export interface StateStore {
  /** The stored state, or `undefined` when there is none. */
  load(): Promise<StoredState | undefined>;
  /** Atomically replaces everything with a new snapshot and an empty journal (durable). */
  replace(snapshot: string): Promise<void>;
  /**
   * Appends one record (a single line, no line breaks); `durable` forces it to stable storage.
   * A store that writes before returning returns nothing: the engine then starts the next step
   * without waiting for an event-loop turn. A store that writes later returns a promise, and the
   * engine waits for it before the next handler starts.
   */
  append(record: string, durable: boolean): Promise<void> | void;
  /** Deletes the state (end of run). */
  clear(): Promise<void>;
}

/** The in-memory store, with a view of what it holds for tests and debugging. */
export interface MemoryStateStore extends StateStore {
  /** Bytes (UTF-16 code units) appended to the journal since the last snapshot. */
  journalSize(): number;
}

/**
 * Creates a store that keeps state in memory (survives `resume()` in the same process).
 *
 * @example
 * ```ts
 * const state = createMemoryStateStore();
 * const engine = createEngine({ state });
 * const first = await engine.run(sequence, { stopAtRestart: true });
 * if (first.status === "restart-pending") await engine.resume();
 * ```
 */
export function createMemoryStateStore(): MemoryStateStore {
  let snapshot: string | undefined;
  let records: string[] = [];
  return {
    load: () => Promise.resolve(snapshot === undefined ? undefined : { snapshot, records: [...records] }),
    replace(next) {
      snapshot = next;
      records = [];
      return Promise.resolve();
    },
    append(record) {
      if (snapshot === undefined) throw new TaskSeqError("InvalidOperation", "No snapshot to append to.");
      if (/[\r\n]/.test(record)) throw new TaskSeqError("InvalidArgument", "A state record must be one line.");
      records.push(record);
    },
    clear() {
      snapshot = undefined;
      records = [];
      return Promise.resolve();
    },
    journalSize: () => records.reduce((n, r) => n + r.length + 1, 0),
  };
}
