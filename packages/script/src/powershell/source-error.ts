import { TaskSeqError } from "@taskseq/model";
import type { TaskSeqErrorCode } from "@taskseq/model";

/** Maps offsets of one source to lines in O(log n) per lookup (the compiler asks once per statement). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(source: string) {
    for (let i = source.indexOf("\n"); i >= 0; i = source.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  /** 1-based line of a 0-based offset. */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

/** 1-based line and column of a 0-based offset in `source`. */
export function lineColumnAt(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** A TaskSeqError located at `offset` of `source`, with "(line L, column C)" in the message. */
export function sourceError(code: TaskSeqErrorCode, source: string, offset: number, message: string): TaskSeqError {
  const { line, column } = lineColumnAt(source, offset);
  return new TaskSeqError(code, `${message} (line ${line}, column ${column})`, { position: { line, column, offset } });
}
