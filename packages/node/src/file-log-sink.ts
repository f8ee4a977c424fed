/**
 * smsts.log on disk with rollover (logging.md §2, §8).
 *
 * - Each file starts with a UTF-8 BOM; records are CMTrace lines.
 * - When a record would take `smsts.log` past `maxSize` (the option, or what the run sets through
 *   `configure`), the file is renamed
 *   `smsts-<yyyyMMdd-HHmmss>.log` (local time of the engine clock; `-1`, `-2`, … on collision)
 *   and a new `smsts.log` starts. Rollover happens only between records; a record larger
 *   than `maxSize` is written whole.
 * - **First lines are never lost:** the file that holds the run's first line is pinned. Its
 *   name is kept in `smsts.pin` (so the pin survives restarts); pruning never deletes it and
 *   it does not count towards `maxHistory`, which bounds the other history files.
 * - The sink owns its folder: it lists the history files once, at its first rollover, and keeps
 *   that list up to date itself (no folder listing or existence check per rollover). Pruned files
 *   are deleted in the background (the next line does not wait for the file system); their names
 *   stay taken until they are gone, and `flush()` resolves once they are.
 * - Lines are buffered (up to 32 K UTF-16 units) and written by `flush()`, which the engine calls at
 *   restart points and at the end of the run, or at the next event-loop turn. A hard kill can
 *   lose the buffered lines, never run state.
 */
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, renameSync, unlink, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { formatCmtraceLine, type LogSink } from "@taskseq/engine";
import { ensureFolder } from "./ensure-folder.js";

/** Options of {@link createFileLogSink}. */
export interface FileLogSinkOptions {
  /** Bytes before rollover; default 1,048,576, minimum 10,000 (`SMSTSLogMaxSize` semantics). */
  readonly maxSize?: number;
  /** History files kept besides the pinned first segment; default 1 (`0` = none). */
  readonly maxHistory?: number;
  /** `true` (default): this sink's first line starts a run and pins its file. `false` when resuming. */
  readonly newRun?: boolean;
  /** Clock for history file names (ms). Default `Date.now`. */
  readonly now?: () => number;
}

/** A file sink with its location. */
export interface FileLogSink extends LogSink {
  /** The folder holding smsts.log. */
  readonly dir: string;
  /** Writes buffered lines now. */
  flushSync(): void;
  /** Flushes and closes the file. */
  close(): void;
}

const BOM = "\uFEFF";
const BOM_BYTES = 3;
/**
 * Buffered UTF-16 units before a write. The write flattens the buffered lines into one string, and
 * V8 stores it with two bytes per unit as soon as one part is not one-byte (a character beyond
 * Latin-1, or a part V8 holds as two-byte for its own reasons). Over 128 KB it lands in V8's
 * large-object space, where every allocation maps fresh pages: at 64 K units every write took a
 * page fault per 4 KB of the string. 32 K units stay under that size in either form.
 */
const BUFFER_LIMIT = 32 * 1024;
const HISTORY = /^smsts-(\d{8}-\d{6})(?:-(\d+))?\.log$/;

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

function stamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

function historyKey(name: string): string {
  const m = HISTORY.exec(name);
  return m === null ? name : `${m[1]}-${pad(Number(m[2] ?? "0"), 6)}`;
}

/**
 * Creates a sink writing `smsts.log` in `dir`.
 *
 * @example
 * ```ts
 * const log = createFileLogSink("C:/Windows/CCM/Logs", { maxSize: 500_000, maxHistory: 2 });
 * await createEngine({ log }).run(sequence);
 * ```
 */
export function createFileLogSink(dir: string, options: FileLogSinkOptions = {}): FileLogSink {
  // The run may replace both (`configure`: the engine options, or smsts.ini in Windows PE).
  let maxSize = Math.max(10_000, options.maxSize ?? 1_048_576);
  let maxHistory = Math.max(0, options.maxHistory ?? 1);
  const now = options.now ?? Date.now;
  const current = join(dir, "smsts.log");
  const pinFile = join(dir, "smsts.pin");
  ensureFolder(dir, "the log folder");

  let fd: number | undefined;
  /** Bytes of smsts.log on disk. */
  let size = 0;
  /** Lines not yet written: `counted`, whose UTF-8 bytes are `countedBytes`, then `fresh`, not counted yet. */
  let counted = "";
  let countedBytes = 0;
  /**
   * Lines held since the last count. A UTF-16 unit takes at most 3 UTF-8 bytes: `fresh` is counted
   * only when that bound says the next line might not fit, so near the rollover size the lines are
   * counted in a few batches, not one by one.
   */
  let fresh = "";
  let scheduled = false;
  let pinned = existsSync(pinFile) ? readFileSync(pinFile, "utf8").trim() : undefined;
  let needPin = options.newRun !== false;

  function open(): number {
    if (fd === undefined) {
      fd = openSync(current, "a");
      size = fstatSync(fd).size;
      if (size === 0) size = writeSync(fd, BOM);
    }
    return fd;
  }

  function setPin(name: string): void {
    pinned = name;
    writeFileSync(pinFile, name);
  }

  /** The history files in the folder: listed at the first rollover, then kept up to date by this sink (it owns the folder). */
  let history: Set<string> | undefined;
  /** History files being deleted: their names stay taken (no new file gets one) until the deletion ends. */
  const deleting = new Map<string, Promise<void>>();

  /**
   * Deletes the oldest unpinned history files beyond `maxHistory`, in the background: the next
   * line does not wait for the file system. A file that cannot be deleted stays listed and is
   * tried again at the next rollover.
   */
  function prune(names: Set<string>): void {
    const prunable = [...names].filter((n) => n !== pinned && !deleting.has(n)).sort((a, b) => (historyKey(a) < historyKey(b) ? -1 : 1));
    for (const name of prunable.slice(0, Math.max(0, prunable.length - maxHistory))) {
      const done = new Promise<void>((resolve) => {
        unlink(join(dir, name), (e) => {
          if (e === null || e.code === "ENOENT") names.delete(name);
          deleting.delete(name);
          resolve();
        });
      });
      deleting.set(name, done);
    }
  }

  function rollover(): void {
    flushSync();
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    const names = (history ??= new Set(readdirSync(dir).filter((n) => HISTORY.test(n))));
    const base = `smsts-${stamp(now())}`;
    let name = `${base}.log`;
    for (let i = 1; names.has(name); i++) name = `${base}-${i}.log`;
    renameSync(current, join(dir, name));
    names.add(name);
    if (pinned === "smsts.log") setPin(name);
    prune(names);
  }

  function flushSync(): void {
    const text = counted + fresh;
    if (text === "") return;
    counted = "";
    countedBytes = 0;
    fresh = "";
    size += writeSync(open(), text);
  }

  const sink: FileLogSink = {
    dir,
    write(entry) {
      const line = formatCmtraceLine(entry);
      open();
      if (size + countedBytes + (fresh.length + line.length) * 3 > maxSize) {
        countedBytes += Buffer.byteLength(fresh);
        counted += fresh;
        fresh = "";
        const bytes = size + countedBytes + line.length * 3 > maxSize ? Buffer.byteLength(line) : 0;
        if (size + countedBytes + bytes > maxSize && size + countedBytes > BOM_BYTES) {
          rollover();
          open();
        }
      }
      if (needPin) {
        needPin = false;
        setPin("smsts.log");
      }
      fresh += line;
      if (counted.length + fresh.length >= BUFFER_LIMIT) {
        flushSync();
      } else if (!scheduled) {
        scheduled = true;
        setTimeout(() => {
          scheduled = false;
          flushSync();
        }, 0);
      }
    },
    async flush() {
      flushSync();
      await Promise.all(deleting.values());
    },
    configure(limits) {
      if (limits.maxSize !== undefined) maxSize = Math.max(10_000, limits.maxSize);
      if (limits.maxHistory !== undefined) maxHistory = Math.max(0, limits.maxHistory);
    },
    flushSync,
    close() {
      flushSync();
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
  return sink;
}
