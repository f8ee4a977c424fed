/**
 * Where smsts.log lines go (logging.md §1): a {@link LogSink} receives every redacted record.
 */
import { formatCmtraceLine, type LogRecord } from "./cmtrace.js";

/** A log record with its engine context. The message is already redacted. */
export interface LogEntry extends LogRecord {
  /** Stable message ID (`instruction-start`, `step-result`, ...); `step` for handler lines. */
  readonly messageId: string;
  /** The instruction being processed, when any. */
  readonly instruction?: number;
}

/** smsts.log rollover limits (logging.md §8); a field left out keeps the sink's own value. */
export interface LogLimits {
  /** Bytes before rollover (at least 10,000). */
  readonly maxSize?: number;
  /** History files kept besides the pinned first segment (`0` = none). */
  readonly maxHistory?: number;
}

/** Receives log entries. `write` must not throw; `flush` makes written lines durable. */
export interface LogSink {
  /** Writes one entry. */
  write(entry: LogEntry): void;
  /** Flushes buffered lines (called at restart points and at the end of a run). */
  flush?(): Promise<void>;
  /**
   * Rollover limits the run sets: the engine options `logMaxSize` / `logMaxHistory`, else the
   * device's `X:\Windows\smsts.ini` `[Logging]` values; called at the start, on resume and after a
   * restart, only when one of them gives a value. A sink without rollover leaves it out.
   */
  configure?(limits: LogLimits): void;
}

/** The default sink: keeps entries in memory. */
export interface MemoryLogSink extends LogSink {
  /** Every entry written, oldest first. */
  entries(): readonly LogEntry[];
  /** The entries as CMTrace text (what smsts.log would hold). */
  text(): string;
}

/**
 * Creates a sink that keeps every entry in memory.
 *
 * @example
 * ```ts
 * const log = createMemoryLogSink();
 * await createEngine({ log }).run(sequence);
 * console.log(log.text());
 * ```
 */
export function createMemoryLogSink(): MemoryLogSink {
  const list: LogEntry[] = [];
  return {
    write(entry) {
      list.push(entry);
    },
    entries: () => list,
    text: () => list.map(formatCmtraceLine).join(""),
  };
}

/**
 * Creates a sink that writes one JSON object per line through `write` (for log shippers):
 * `{"time":"…ISO…","type":1,"component":"TSManager","messageId":"…","instruction":3,"message":"…"}`.
 *
 * @example
 * ```ts
 * const log = createJsonLinesLogSink((line) => process.stdout.write(line));
 * ```
 */
export function createJsonLinesLogSink(write: (line: string) => void): LogSink {
  return {
    write(entry) {
      write(
        `${JSON.stringify({
          time: entry.time.toISOString(),
          type: entry.type,
          component: entry.component,
          messageId: entry.messageId,
          instruction: entry.instruction,
          message: entry.message,
        })}\n`,
      );
    },
  };
}
