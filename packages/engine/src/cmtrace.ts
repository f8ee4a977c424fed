/**
 * The CMTrace line writer (logging.md §2–§4).
 */

/** CMTrace `type`: 1 information, 2 warning, 3 error. */
export type LogType = 1 | 2 | 3;

/** One log record before formatting. */
export interface LogRecord {
  /** The message (already redacted). */
  readonly message: string;
  /** Time of the record (records of the same millisecond may share one `Date`: treat it as read-only). */
  readonly time: Date;
  /** Component (`TSManager`, `InstallSoftware`, ...). */
  readonly component: string;
  /** Type code. */
  readonly type: LogType;
  /** Thread ID (the simulated engine uses `1`). */
  readonly thread: number;
  /** Source module (`engine.ts`). */
  readonly file: string;
  /** Context (empty for engine lines). */
  readonly context?: string;
  /**
   * Windows time-zone bias in minutes (UTC = local + bias) in effect at {@link LogRecord.time};
   * default: the host's, `time.getTimezoneOffset()`.
   */
  readonly bias?: number;
  /**
   * `true` when the message is known to hold none of the text a CMTrace line escapes (NUL, CR,
   * LF, `]LOG]!>`; see {@link isPlainLogText}): it is written as it is, without a scan. The engine
   * sets it for lines it builds from checked parts. Set it only for text `isPlainLogText` accepts
   * (or built from such parts): a marked message is not escaped, so a line break in it would
   * break the line.
   */
  readonly plain?: boolean;
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/** Formats a bias: `+000` for zero, otherwise the sign and the minutes without padding (`-60`, `+300`). */
export function formatBias(bias: number): string {
  if (bias === 0) return "+000";
  return bias > 0 ? `+${bias}` : `-${-bias}`;
}

const ATTRIBUTE_SPECIAL = /["\r\n]/;
const MESSAGE_SPECIAL = /[\0\r\n]|\]LOG\]!>/;

function attribute(value: string): string {
  if (!ATTRIBUTE_SPECIAL.test(value)) return value;
  return value.replace(/"/g, "'").replace(/\r\n|\r|\n/g, " ");
}

/**
 * Whether `text` holds none of the text a CMTrace line escapes (NUL, CR, LF, `]LOG]!>`): a message
 * built from plain parts is plain, and so is the message after redaction (a secret becomes
 * asterisks).
 *
 * @example
 * ```ts
 * isPlainLogText("Install Office"); // true
 * isPlainLogText("line\r\nbreak"); // false
 * ```
 */
export function isPlainLogText(text: string): boolean {
  return !MESSAGE_SPECIAL.test(text);
}

function messageText(message: string): string {
  if (isPlainLogText(message)) return message;
  return message
    .replace(/\0/g, "")
    .replace(/\]LOG\]!>/g, "]LOG]!&gt;")
    .replace(/\r\n|\r|\n/g, "\r\n");
}

/** The last `time="…" date="…"` attributes: the lines of one millisecond share them (no Date work per line). */
let lastStamp = { ms: Number.NaN, bias: undefined as number | undefined, text: "" };

function timeAttributes(ms: number, explicitBias: number | undefined): string {
  if (ms === lastStamp.ms && explicitBias === lastStamp.bias) return lastStamp.text;
  const bias = explicitBias ?? new Date(ms).getTimezoneOffset();
  const local = new Date(ms - bias * 60_000);
  const time = `${pad(local.getUTCHours(), 2)}:${pad(local.getUTCMinutes(), 2)}:${pad(local.getUTCSeconds(), 2)}.${pad(local.getUTCMilliseconds(), 3)}${formatBias(bias)}`;
  const date = `${pad(local.getUTCMonth() + 1, 2)}-${pad(local.getUTCDate(), 2)}-${pad(local.getUTCFullYear(), 4)}`;
  lastStamp = { ms, bias: explicitBias, text: `time="${time}" date="${date}"` };
  return lastStamp.text;
}

/**
 * Formats one CMTrace record, terminated by CR LF.
 *
 * @example
 * ```ts
 * formatCmtraceLine({ message: "Hello", time: new Date(), component: "TSManager", type: 1, thread: 1, file: "engine.ts", bias: -60 });
 * // <![LOG[Hello]LOG]!><time="14:30:00.123-60" date="03-23-2026" component="TSManager" context="" type="1" thread="1" file="engine.ts">\r\n
 * ```
 */
export function formatCmtraceLine(record: LogRecord): string {
  const message = record.plain === true ? record.message : messageText(record.message);
  return `<![LOG[${message}]LOG]!><${timeAttributes(record.time.getTime(), record.bias)}${tailAttributes(record)}`;
}

/** The last attributes after `date` and the line's end: consecutive lines of one component share them (no escaping or joining per line). */
let lastTail = { component: "", context: "", type: 0, thread: Number.NaN, file: "", text: "" };

function tailAttributes(record: LogRecord): string {
  const context = record.context ?? "";
  const last = lastTail;
  if (record.thread === last.thread && record.type === last.type && record.component === last.component && record.file === last.file && context === last.context) return last.text;
  const text = ` component="${attribute(record.component)}" context="${attribute(context)}" type="${record.type}" thread="${Math.trunc(Math.abs(record.thread))}" file="${attribute(record.file)}">\r\n`;
  lastTail = { component: record.component, context, type: record.type, thread: record.thread, file: record.file, text };
  return text;
}
