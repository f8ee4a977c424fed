import { TaskSeqError } from "@taskseq/model";

/** Kinds of WQL tokens. */
export type WqlTokenKind = "word" | "string" | "number" | "operator" | "comma" | "star" | "lparen" | "rparen" | "end";

/** One WQL token with its 0-based offset in the query text. */
export interface WqlToken {
  /** Kind. */
  readonly kind: WqlTokenKind;
  /** Text: identifier/keyword as written, string content unescaped, operator symbol, number text. */
  readonly text: string;
  /** 0-based offset in the query. */
  readonly offset: number;
}

/** Raise `WqlSyntax` at an offset of the query (queries are one line: column = offset + 1). */
export function wqlSyntaxError(message: string, offset: number): TaskSeqError {
  return new TaskSeqError("WqlSyntax", `${message} (at column ${offset + 1})`, { position: { line: 1, column: offset + 1, offset } });
}

const wordStart = /[A-Za-z_]/;
const wordPart = /[A-Za-z0-9_]/;
const digit = /[0-9]/;

/** Split a WQL query into tokens. Strings take `\` escapes, as in WQL. */
export function tokenizeWql(text: string): WqlToken[] {
  const tokens: WqlToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      i++;
    } else if (wordStart.test(c)) {
      const start = i;
      while (i < text.length && wordPart.test(text[i] as string)) i++;
      tokens.push({ kind: "word", text: text.slice(start, i), offset: start });
    } else if (digit.test(c) || ((c === "-" || c === "+" || c === ".") && digit.test(text[i + 1] ?? ""))) {
      const start = i;
      i++;
      while (i < text.length && /[0-9.]/.test(text[i] as string)) i++;
      const raw = text.slice(start, i);
      if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(raw)) throw wqlSyntaxError(`Invalid number '${raw}'`, start);
      tokens.push({ kind: "number", text: raw, offset: start });
    } else if (c === "'" || c === '"') {
      const start = i;
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length) throw wqlSyntaxError("Unterminated string", start);
        const d = text[i] as string;
        if (d === "\\" && i + 1 < text.length) {
          value += text[i + 1];
          i += 2;
        } else if (d === c) {
          i++;
          break;
        } else {
          value += d;
          i++;
        }
      }
      tokens.push({ kind: "string", text: value, offset: start });
    } else if (c === "<" || c === ">" || c === "=" || c === "!") {
      const two = text.slice(i, i + 2);
      const op = two === "<=" || two === ">=" || two === "<>" || two === "!=" ? two : c;
      if (op === "!") throw wqlSyntaxError("Unexpected '!'", i);
      tokens.push({ kind: "operator", text: op, offset: i });
      i += op.length;
    } else if (c === ",") {
      tokens.push({ kind: "comma", text: c, offset: i++ });
    } else if (c === "*") {
      tokens.push({ kind: "star", text: c, offset: i++ });
    } else if (c === "(") {
      tokens.push({ kind: "lparen", text: c, offset: i++ });
    } else if (c === ")") {
      tokens.push({ kind: "rparen", text: c, offset: i++ });
    } else {
      throw wqlSyntaxError(`Unexpected character '${c}'`, i);
    }
  }
  tokens.push({ kind: "end", text: "", offset: text.length });
  return tokens;
}
