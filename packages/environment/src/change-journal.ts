import type { ChangeRecord, JournalMark } from "./types.js";

/** Journal length at which records of the same variable are merged (bounded memory). */
export const JOURNAL_COALESCE_AT = 65_536;

/** The change journal of an environment (internal). */
export interface ChangeJournal {
  /** Appends a record (its `seq` is above every earlier one). */
  append(record: ChangeRecord): void;
  /** Records with `seq > mark`, oldest first. */
  since(mark: JournalMark): ChangeRecord[];
  /** Drops records with `seq <= mark`. */
  compact(mark: JournalMark): void;
  /** True when every change after `mark` is still held. */
  holds(mark: JournalMark): boolean;
  /** Empties the journal; it then holds everything after `mark`. */
  reset(mark: JournalMark): void;
}

/** Merges records of the same variable: the latest value with the earliest old value, at the latest `seq`. */
function coalesce(records: readonly ChangeRecord[]): ChangeRecord[] {
  const latest = new Map<string, ChangeRecord>();
  for (const r of records) {
    const key = r.name.toUpperCase();
    const earlier = latest.get(key);
    latest.delete(key); // re-insert so the map stays ordered by latest change
    latest.set(key, earlier === undefined ? r : { ...r, oldValue: earlier.oldValue, secret: r.secret || earlier.secret });
  }
  return [...latest.values()];
}

/**
 * Creates the journal. When it grows past {@link JOURNAL_COALESCE_AT} records (a script writing in a
 * loop, a step the engine has not committed yet), records of the same variable are merged, so memory
 * stays bounded by the number of distinct variables while `since(mark)` still names every variable
 * changed after `mark` with its latest value.
 */
export function createChangeJournal(): ChangeJournal {
  let records: ChangeRecord[] = [];
  let compactedThrough = 0;
  let coalesceAt = JOURNAL_COALESCE_AT;
  /** Index of the first record with `seq > mark` (records are sorted by `seq`). */
  const firstAfter = (mark: JournalMark): number => {
    let lo = 0;
    let hi = records.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((records[mid]?.seq ?? Infinity) <= mark) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    append(record) {
      records.push(record);
      if (records.length >= coalesceAt) {
        records = coalesce(records);
        coalesceAt = Math.max(JOURNAL_COALESCE_AT, records.length * 2);
      }
    },
    since: (mark) => records.slice(firstAfter(mark)),
    compact(mark) {
      const last = records[records.length - 1];
      if (last !== undefined && last.seq <= mark) records = [];
      else if (records.length > 0) records = records.slice(firstAfter(mark));
      compactedThrough = Math.max(compactedThrough, mark);
    },
    holds: (mark) => mark >= compactedThrough,
    reset(mark) {
      records = [];
      compactedThrough = mark;
    },
  };
}
