import { sourceError } from "./source-error.js";

/** How the next token is read: expressions, or command arguments (barewords are strings). */
export type LexMode = "expr" | "arg";

/** A token of the PowerShell-style subset. */
export interface Token {
  readonly kind: "eof" | "newline" | "op" | "var" | "splat" | "number" | "string" | "dq" | "hdq" | "word" | "param";
  /** Operator text (lower case), variable or parameter name, word text or verbatim string value. */
  readonly text: string;
  /** Numeric value of a number token. */
  readonly num?: number;
  /** `$script:x` / `$env:x` / `$tsenv:x` scope of a variable token. */
  readonly scope?: "local" | "script" | "env" | "tsenv";
  /** `-Name:` (a parameter whose value follows the colon). */
  readonly colon?: boolean;
  /** Offset of the first character. */
  readonly at: number;
  /** Offset after the last character. */
  readonly end: number;
}

const DASH_OPERATORS = new Set(
  [
    "eq", "ne", "gt", "ge", "lt", "le", "like", "notlike", "match", "notmatch", "contains", "notcontains", "in", "notin", "replace", "split",
  ].flatMap((op) => [op, `i${op}`, `c${op}`]).concat(["join", "f", "and", "or", "xor", "not", "is", "isnot", "as", "band", "bor", "bxor", "bnot", "shl", "shr"]),
);

const NUMBER = /(?:0x[0-9a-f]+|(?:\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?)(?:l|d)?(?:kb|mb|gb|tb|pb)?/iy;
const MULTIPLIERS: Readonly<Record<string, number>> = { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4, pb: 1024 ** 5 };
const ARG_DELIMITERS = " \t\r\n;|)},&{(";

function isIdentStart(c: string): boolean {
  return /[A-Za-z_]/.test(c);
}
function isIdentChar(c: string): boolean {
  return /[A-Za-z0-9_]/.test(c);
}

/** Numeric value of a number literal matched by NUMBER. */
function numberValue(text: string): number {
  const lower = text.toLowerCase();
  const unit = /(kb|mb|gb|tb|pb)$/.exec(lower)?.[1];
  let body = unit === undefined ? lower : lower.slice(0, -2);
  if (/^0x/.test(body)) {
    // PowerShell 5.1: a hex literal that fits in 32 bits is an Int32 (0x80070005 is -2147024891); the `l` suffix makes it an Int64.
    const long = body.endsWith("l");
    let n = parseInt(long ? body.slice(0, -1) : body, 16);
    if (!long && n <= 0xffffffff) n |= 0;
    return n * (unit === undefined ? 1 : (MULTIPLIERS[unit] ?? 1));
  }
  body = body.replace(/[ld]$/, "");
  return Number(body) * (unit === undefined ? 1 : (MULTIPLIERS[unit] ?? 1));
}

/**
 * A character cursor over the source that reads one token at a time in the mode the parser asks
 * for (PowerShell tokenises differently in expression and argument mode).
 */
export class Lexer {
  /** Current offset. */
  pos = 0;

  constructor(readonly src: string) {}

  /** A ScriptError at `offset`. */
  error(offset: number, message: string): Error {
    return sourceError("ScriptError", this.src, offset, message);
  }

  /** Skips spaces, tabs, comments and line continuations (not newlines). */
  skipSpace(): void {
    const s = this.src;
    for (;;) {
      const c = s.charAt(this.pos);
      if (c === " " || c === "\t" || c === "\f" || c === "\u00a0" || c === "\ufeff") this.pos++;
      else if (c === "`" && (s.charAt(this.pos + 1) === "\n" || (s.charAt(this.pos + 1) === "\r" && s.charAt(this.pos + 2) === "\n"))) {
        this.pos += s.charAt(this.pos + 1) === "\r" ? 3 : 2;
      } else if (c === "\r" && s.charAt(this.pos + 1) === "\n") return;
      else if (c === "#") {
        while (this.pos < s.length && s.charAt(this.pos) !== "\n" && s.charAt(this.pos) !== "\r") this.pos++;
      } else if (c === "<" && s.charAt(this.pos + 1) === "#") {
        const close = s.indexOf("#>", this.pos + 2);
        if (close < 0) throw this.error(this.pos, "Unterminated block comment");
        this.pos = close + 2;
      } else return;
    }
  }

  /** Skips whitespace including newlines. */
  skipNewlines(): void {
    for (;;) {
      this.skipSpace();
      const c = this.src.charAt(this.pos);
      if (c === "\n" || c === "\r") this.pos++;
      else return;
    }
  }

  /** Reads the next token without consuming it. */
  peek(mode: LexMode): Token {
    const save = this.pos;
    const t = this.next(mode);
    this.pos = save;
    return t;
  }

  /** The last token read, so a `next` after a `peek` at the same place does not read it again (the lexer's only state is `pos`). */
  private last: { readonly pos: number; readonly mode: LexMode; readonly token: Token; readonly after: number } | undefined;

  /** Reads and consumes the next token. */
  next(mode: LexMode): Token {
    const last = this.last;
    if (last !== undefined && last.pos === this.pos && last.mode === mode) {
      this.pos = last.after;
      return last.token;
    }
    const pos = this.pos;
    const token = this.read(mode);
    this.last = { pos, mode, token, after: this.pos };
    return token;
  }

  private read(mode: LexMode): Token {
    this.skipSpace();
    const s = this.src;
    const at = this.pos;
    if (at >= s.length) return { kind: "eof", text: "", at, end: at };
    const c = s.charAt(at);
    const c1 = s.charAt(at + 1);
    if (c === "\n" || c === "\r") {
      this.pos += c === "\r" && c1 === "\n" ? 2 : 1;
      return { kind: "newline", text: "\n", at, end: this.pos };
    }
    if (c === "$") return this.readVariable(at);
    if (c === "'") return this.readVerbatim(at);
    if (c === '"' || c === "\u201c" || c === "\u201d") {
      this.pos++;
      return { kind: "dq", text: c, at, end: this.pos };
    }
    if (c === "@") {
      if (c1 === '"' && /^@"[ \t]*\r?\n/.test(s.slice(at, at + 40))) {
        this.pos = s.indexOf("\n", at) + 1;
        return { kind: "hdq", text: '@"', at, end: this.pos };
      }
      if (c1 === "'" && /^@'[ \t]*\r?\n/.test(s.slice(at, at + 40))) return this.readHereVerbatim(at);
      if (c1 === "(" || c1 === "{") return this.op(at, 2);
      if (isIdentStart(c1)) {
        this.pos++;
        const name = this.readIdent();
        return { kind: "splat", text: name, at, end: this.pos };
      }
    }
    if (mode === "arg") return this.readArgToken(at, c, c1);
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(c1))) {
      const n = this.readNumber(at);
      if (n !== undefined && !isIdentChar(s.charAt(this.pos))) return n;
      throw this.error(at, `Unexpected token '${s.slice(at).split(/[\s;)]/)[0] ?? ""}'`);
    }
    if (c === "-" || c === "\u2013" || c === "\u2014") {
      if (isIdentStart(c1)) {
        let end = at + 1;
        while (end < s.length && /[A-Za-z]/.test(s.charAt(end))) end++;
        const name = s.slice(at + 1, end).toLowerCase();
        if (DASH_OPERATORS.has(name) && !isIdentChar(s.charAt(end))) {
          this.pos = end;
          return { kind: "op", text: `-${name}`, at, end };
        }
      }
      if (c1 === "-" || c1 === "=") return this.op(at, 2);
      return this.op(at, 1);
    }
    if (isIdentStart(c)) {
      this.pos++;
      while (this.pos < s.length && /[A-Za-z0-9_-]/.test(s.charAt(this.pos))) this.pos++;
      return { kind: "word", text: s.slice(at, this.pos), at, end: this.pos };
    }
    return this.readPunct(at, c, c1);
  }

  private op(at: number, length: number): Token {
    this.pos = at + length;
    return { kind: "op", text: this.src.slice(at, at + length), at, end: this.pos };
  }

  private readPunct(at: number, c: string, c1: string): Token {
    const s = this.src;
    if (c === ":" && c1 === ":") return this.op(at, 2);
    if (c === "." && c1 === ".") return this.op(at, 2);
    if ((c === "+" && (c1 === "+" || c1 === "=")) || ((c === "*" || c === "/" || c === "%") && c1 === "=")) return this.op(at, 2);
    if (c === "2" && c1 === ">") {
      if (s.slice(at, at + 4) === "2>&1") return this.op(at, 4);
      return this.op(at, s.charAt(at + 2) === ">" ? 3 : 2);
    }
    if (c === "*" && c1 === ">") return this.op(at, 2);
    if (c === ">") return this.op(at, c1 === ">" ? 2 : 1);
    if (c === "&" && c1 === "&") throw this.error(at, "The '&&' operator is not supported; use 'if'");
    if (c === "|" && c1 === "|") throw this.error(at, "The '||' operator is not supported; use 'if'");
    if ("(){}[],;|.=+-*/%!&:?".includes(c)) return this.op(at, 1);
    throw this.error(at, `Unexpected character '${c}'`);
  }

  private readArgToken(at: number, c: string, c1: string): Token {
    const s = this.src;
    if ("(){},;|&".includes(c)) return this.readPunct(at, c, c1);
    if (c === "2" && c1 === ">") return this.readPunct(at, c, c1);
    if ((c === "*" && c1 === ">") || c === ">") return this.readPunct(at, c, c1);
    if ((c === "-" || c === "\u2013") && isIdentStart(c1)) {
      let end = at + 1;
      while (end < s.length && /[A-Za-z0-9_]/.test(s.charAt(end))) end++;
      const name = s.slice(at + 1, end);
      const colon = s.charAt(end) === ":";
      this.pos = colon ? end + 1 : end;
      return { kind: "param", text: name, colon, at, end: this.pos };
    }
    if (/[0-9.-]/.test(c)) {
      const neg = c === "-";
      const n = this.readNumber(neg ? at + 1 : at);
      if (n?.num !== undefined && (this.pos >= s.length || ARG_DELIMITERS.includes(s.charAt(this.pos)))) {
        return { ...n, num: neg ? -n.num : n.num, at };
      }
    }
    const end = this.wordEnd(at);
    this.pos = end;
    return { kind: "word", text: s.slice(at, end), at, end };
  }

  /** The end of a bareword argument that starts at `at`: the next argument delimiter (a backtick escapes one character). */
  wordEnd(at: number): number {
    const s = this.src;
    let end = at;
    while (end < s.length && !ARG_DELIMITERS.includes(s.charAt(end))) {
      if (s.charAt(end) === "`") end++;
      end++;
    }
    return end;
  }

  private readNumber(at: number): Token | undefined {
    NUMBER.lastIndex = at;
    const m = NUMBER.exec(this.src);
    if (m === null) return undefined;
    this.pos = at + m[0].length;
    return { kind: "number", text: m[0], num: numberValue(m[0]), at, end: this.pos };
  }

  private readIdent(): string {
    const start = this.pos;
    while (this.pos < this.src.length && isIdentChar(this.src.charAt(this.pos))) this.pos++;
    return this.src.slice(start, this.pos);
  }

  private readVariable(at: number): Token {
    const s = this.src;
    this.pos = at + 1;
    const c = s.charAt(this.pos);
    if (c === "(") return this.op(at, 2);
    if (c === "{") {
      const close = s.indexOf("}", this.pos);
      if (close < 0) throw this.error(at, "Unterminated variable name");
      const name = s.slice(this.pos + 1, close);
      this.pos = close + 1;
      return this.variableToken(name, at);
    }
    if (c === "_" || c === "?" || c === "$" || c === "^") {
      if (c !== "_" || !isIdentChar(s.charAt(this.pos + 1))) {
        this.pos++;
        return { kind: "var", text: c, scope: "local", at, end: this.pos };
      }
    }
    if (!isIdentStart(c)) return { kind: "word", text: "$", at, end: this.pos };
    let name = this.readIdent();
    if (s.charAt(this.pos) === ":" && s.charAt(this.pos + 1) !== ":" && isIdentStart(s.charAt(this.pos + 1))) {
      this.pos++;
      name = `${name}:${this.readIdent()}`;
    }
    return this.variableToken(name, at);
  }

  private variableToken(raw: string, at: number): Token {
    const colon = raw.indexOf(":");
    const prefix = colon < 0 ? "" : raw.slice(0, colon).toLowerCase();
    const name = colon < 0 ? raw : raw.slice(colon + 1);
    if (prefix === "env" || prefix === "tsenv") return { kind: "var", text: name, scope: prefix, at, end: this.pos };
    if (prefix === "script" || prefix === "global") return { kind: "var", text: name, scope: "script", at, end: this.pos };
    if (prefix === "" || prefix === "local" || prefix === "private") return { kind: "var", text: name, scope: "local", at, end: this.pos };
    throw sourceError("ScriptUnsupported", this.src, at, `The variable drive '${prefix}:' is not supported`);
  }

  private readVerbatim(at: number): Token {
    const s = this.src;
    let value = "";
    let i = at + 1;
    for (;;) {
      if (i >= s.length) throw this.error(at, "Unterminated string");
      const c = s.charAt(i);
      if (c === "'" || c === "\u2018" || c === "\u2019") {
        if (s.charAt(i + 1) === "'") {
          value += "'";
          i += 2;
          continue;
        }
        break;
      }
      value += c;
      i++;
    }
    this.pos = i + 1;
    return { kind: "string", text: value, at, end: this.pos };
  }

  private readHereVerbatim(at: number): Token {
    const s = this.src;
    const start = s.indexOf("\n", at) + 1;
    const close = /\r?\n'@/g;
    close.lastIndex = start - 1;
    const m = close.exec(s);
    if (m === null) throw this.error(at, "Unterminated here-string");
    this.pos = m.index + m[0].length;
    return { kind: "string", text: m.index < start ? "" : s.slice(start, m.index), at, end: this.pos };
  }
}
