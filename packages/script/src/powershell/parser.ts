import type {
  PsCatch,
  PsCommand,
  PsCommandArg,
  PsExpr,
  PsParameter,
  PsPipelineElement,
  PsRedirections,
  PsScript,
  PsScriptBlock,
  PsStatement,
  PsStringPart,
  PsSwitchClause,
} from "./ast.js";
import { Lexer } from "./lexer.js";
import type { LexMode, Token } from "./lexer.js";
import { sourceError } from "./source-error.js";

const COMPARISON = new Set(
  ["eq", "ne", "gt", "ge", "lt", "le", "like", "notlike", "match", "notmatch", "contains", "notcontains", "in", "notin", "replace", "split"]
    .flatMap((op) => [`-${op}`, `-i${op}`, `-c${op}`])
    .concat(["-join", "-is", "-isnot", "-as"]),
);
const ASSIGN = new Set(["=", "+=", "-=", "*=", "/=", "%="]);
const UNSUPPORTED_KEYWORDS = new Set(["class", "enum", "using", "trap", "workflow", "configuration", "data", "parallel", "sequence", "inlinescript", "dynamicparam"]);
const LOOP_KEYWORDS = new Set(["foreach", "for", "while", "do", "switch"]);
/** Statements that end with their block: another statement may follow on the same line without a `;` (`if ($x) { 1 } "next"`). */
const BLOCK_STATEMENTS: ReadonlySet<PsStatement["kind"]> = new Set(["if", "switch", "foreach", "for", "while", "do", "try", "function"]);
const ATTRIBUTES = new Set([
  "cmdletbinding", "parameter", "validateset", "validatenotnullorempty", "validatenotnull", "validaterange", "validatepattern", "validatelength", "validatecount",
  "alias", "allownull", "allowemptystring", "allowemptycollection", "outputtype",
]);
/** The deepest nesting of blocks, parentheses and unary operators a script may use. */
const MAX_NESTING = 200;
const NO_REDIRECT: PsRedirections = { discardOutput: false, discardErrors: false, mergeErrors: false };

const ESCAPES: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r", "0": "\0", a: "\u0007", b: "\b", f: "\f", v: "\v", e: "\u001b" };

/** Parses PowerShell-style source into a {@link PsScript}; throws `ScriptError`/`ScriptUnsupported` with positions. */
export function parsePowerShell(source: string): PsScript {
  const parser = new Parser(source);
  const block = parser.parseScript();
  return { block, functions: parser.functions };
}

/** Parses a script's command-line arguments (a Run PowerShell Script step's `Parameters`). */
export function parseScriptArguments(text: string): PsCommandArg[] {
  return new Parser(text).parseArgumentText();
}

class Parser {
  private readonly lx: Lexer;
  /** The names of the functions defined so far (lower case). */
  readonly functions = new Set<string>();
  /** Inside method-call arguments, where commas separate arguments instead of building arrays. */
  private noComma = false;
  /** Current nesting of statements and expressions (bounded so that parsing never exhausts the host stack). */
  private depth = 0;

  constructor(private readonly src: string) {
    this.lx = new Lexer(src);
  }

  parseScript(): PsScriptBlock {
    const block = this.parseBlockBody("eof", 0);
    const t = this.lx.next("expr");
    if (t.kind !== "eof") throw this.unexpected(t);
    return block;
  }

  // ---- helpers -------------------------------------------------------------------------------

  private unexpected(t: Token): Error {
    if (t.kind === "eof") return this.lx.error(t.at, "Unexpected end of script");
    return this.lx.error(t.at, `Unexpected token '${this.src.slice(t.at, Math.max(t.end, t.at + 1)).split(/\r?\n/)[0] ?? ""}'`);
  }

  private unsupported(at: number, what: string): Error {
    return sourceError("ScriptUnsupported", this.src, at, `${what} is not supported by the PowerShell-style subset`);
  }

  private isOp(t: Token, text: string): boolean {
    return t.kind === "op" && t.text === text;
  }

  private expectOp(text: string, mode: LexMode = "expr"): Token {
    const t = this.lx.next(mode);
    if (!this.isOp(t, text)) {
      if (t.kind === "eof") throw this.lx.error(t.at, `Missing '${text}'`);
      throw this.lx.error(t.at, `Missing '${text}' before '${this.src.slice(t.at, t.at + 12).split(/\r?\n/)[0] ?? ""}'`);
    }
    return t;
  }

  private peekWord(): string | undefined {
    const t = this.lx.peek("expr");
    return t.kind === "word" ? t.text.toLowerCase() : undefined;
  }

  /** True when the next raw character (no whitespace skipped) is `text`. */
  private rawIs(text: string): boolean {
    return this.src.startsWith(text, this.lx.pos);
  }

  // ---- blocks and statements ------------------------------------------------------------------

  private atTerminator(close: "}" | ")" | "eof"): boolean {
    const t = this.lx.peek("expr");
    return t.kind === "eof" || (close !== "eof" && this.isOp(t, close)) || (close === "eof" && (this.isOp(t, "}") || this.isOp(t, ")")));
  }

  private parseBlockBody(close: "}" | ")" | "eof", at: number): PsScriptBlock {
    this.lx.skipNewlines();
    let params: PsParameter[] = [];
    let hasParamBlock = false;
    let paramEnd: number | undefined;
    const save = this.lx.pos;
    while (this.rawIs("[")) {
      const attr = this.tryAttribute();
      if (attr === undefined) {
        this.lx.pos = save;
        break;
      }
      this.lx.skipNewlines();
    }
    if (this.peekWord() === "param") {
      const kw = this.lx.next("expr");
      this.lx.skipSpace();
      if (this.rawIs("(")) {
        this.lx.next("expr");
        params = this.parseParamList();
        hasParamBlock = true;
        paramEnd = this.lx.pos;
      } else this.lx.pos = kw.at;
    } else if (this.lx.pos !== save && !hasParamBlock) {
      this.lx.pos = save;
    }
    this.lx.skipNewlines();
    const named = this.peekWord();
    if ((named === "begin" || named === "process" || named === "end") && this.isNamedBlock()) {
      const blocks: Partial<Record<"begin" | "process" | "end", PsStatement[]>> = {};
      for (;;) {
        this.lx.skipNewlines();
        const w = this.peekWord();
        if (w !== "begin" && w !== "process" && w !== "end") break;
        this.lx.next("expr");
        blocks[w] = this.parseBraceBlock();
      }
      return { at, params, hasParamBlock, paramEnd, body: [], begin: blocks.begin ?? [], ...(blocks.process === undefined ? {} : { process: blocks.process }), end: blocks.end ?? [] };
    }
    return { at, params, hasParamBlock, paramEnd, body: this.parseStatements(close) };
  }

  private isNamedBlock(): boolean {
    const save = this.lx.pos;
    this.lx.next("expr");
    this.lx.skipNewlines();
    const result = this.rawIs("{");
    this.lx.pos = save;
    return result;
  }

  private parseStatements(close: "}" | ")" | "eof"): PsStatement[] {
    const out: PsStatement[] = [];
    for (;;) {
      for (;;) {
        this.lx.skipNewlines();
        if (this.rawIs(";")) this.lx.pos++;
        else break;
      }
      if (this.atTerminator(close)) return out;
      const statement = this.parseStatement();
      out.push(statement);
      const t = this.lx.peek("expr");
      if (t.kind === "newline" || this.isOp(t, ";") || BLOCK_STATEMENTS.has(statement.kind)) continue;
      if (this.atTerminator(close)) return out;
      throw this.unexpected(t);
    }
  }

  private parseBraceBlock(): PsStatement[] {
    this.lx.skipNewlines();
    this.expectOp("{");
    const body = this.parseStatements("}");
    this.expectOp("}");
    return body;
  }

  private parseCondition(): PsStatement {
    this.lx.skipNewlines();
    this.expectOp("(");
    this.lx.skipNewlines();
    const s = this.parsePipelineOrAssign();
    this.lx.skipNewlines();
    this.expectOp(")");
    return s;
  }

  /** Runs `parse` one nesting level deeper; refuses scripts nested deeper than MAX_NESTING. */
  private nested<T>(parse: () => T): T {
    this.deepen();
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  /**
   * Runs `parse`, which reads a left-deep chain (`a + b + c`, `$a.b[0].c`) and calls
   * {@link deepen} for each link: the tree it builds is one level deeper per link, so the links
   * count toward MAX_NESTING until the chain ends.
   */
  private chain<T>(parse: () => T): T {
    const depth = this.depth;
    try {
      return parse();
    } finally {
      this.depth = depth;
    }
  }

  /** One nesting level deeper; refuses scripts nested deeper than MAX_NESTING. */
  private deepen(): void {
    if (++this.depth > MAX_NESTING) {
      this.depth = 0;
      throw this.lx.error(this.lx.pos, `The script is nested more than ${MAX_NESTING} levels deep`);
    }
  }

  private parseStatement(): PsStatement {
    return this.nested(() => this.parseStatementInner());
  }

  private parseStatementInner(): PsStatement {
    const t = this.lx.peek("expr");
    let label: string | undefined;
    if (this.isOp(t, ":") && /[A-Za-z_]/.test(this.src.charAt(t.end))) {
      this.lx.next("expr");
      label = this.lx.next("expr").text.toLowerCase();
      this.lx.skipSpace();
      const kw = this.peekWord();
      if (kw === undefined || !LOOP_KEYWORDS.has(kw)) throw this.lx.error(t.at, "A label must precede a loop or switch");
    }
    const word = this.peekWord();
    if (word !== undefined) {
      const kw = this.parseKeywordStatement(word, label);
      if (kw !== undefined) return kw;
    }
    return this.parsePipelineOrAssign();
  }

  private parseKeywordStatement(word: string, label: string | undefined): PsStatement | undefined {
    const start = this.lx.pos;
    const t = this.lx.next("expr");
    const at = t.at;
    if (UNSUPPORTED_KEYWORDS.has(word)) throw this.unsupported(at, `The '${t.text}' keyword`);
    switch (word) {
      case "if": {
        const clauses: [PsStatement, PsStatement[]][] = [[this.parseCondition(), this.parseBraceBlock()]];
        let otherwise: PsStatement[] | undefined;
        for (;;) {
          const save = this.lx.pos;
          this.lx.skipNewlines();
          const w = this.peekWord();
          if (w === "elseif") {
            this.lx.next("expr");
            clauses.push([this.parseCondition(), this.parseBraceBlock()]);
          } else if (w === "else") {
            this.lx.next("expr");
            otherwise = this.parseBraceBlock();
            break;
          } else {
            this.lx.pos = save;
            break;
          }
        }
        return otherwise === undefined ? { kind: "if", at, clauses } : { kind: "if", at, clauses, otherwise };
      }
      case "switch":
        return this.parseSwitch(at, label);
      case "foreach": {
        this.lx.skipSpace();
        if (!this.rawIs("(")) break;
        this.expectOp("(");
        this.lx.skipNewlines();
        const v = this.lx.next("expr");
        if (v.kind !== "var") throw this.unexpected(v);
        const inWord = this.lx.next("expr");
        if (inWord.kind !== "word" || inWord.text.toLowerCase() !== "in") throw this.lx.error(inWord.at, "Missing 'in' in foreach");
        this.lx.skipNewlines();
        const source = this.parsePipelineOrAssign();
        this.lx.skipNewlines();
        this.expectOp(")");
        return { kind: "foreach", at, ...(label === undefined ? {} : { label }), variable: v.text.toLowerCase(), source, body: this.parseBraceBlock() };
      }
      case "for": {
        this.expectOp("(");
        const part = (end: string): PsStatement | undefined => {
          this.lx.skipNewlines();
          if (this.rawIs(end)) {
            this.lx.pos++;
            return undefined;
          }
          const s = this.parsePipelineOrAssign();
          this.lx.skipNewlines();
          this.expectOp(end);
          return s;
        };
        const init = part(";");
        const test = part(";");
        const step = part(")");
        return { kind: "for", at, ...(label === undefined ? {} : { label }), ...(init && { init }), ...(test && { test }), ...(step && { step }), body: this.parseBraceBlock() };
      }
      case "while":
        return { kind: "while", at, ...(label === undefined ? {} : { label }), test: this.parseCondition(), body: this.parseBraceBlock() };
      case "do": {
        const body = this.parseBraceBlock();
        this.lx.skipNewlines();
        const w = this.lx.next("expr");
        const kind = w.kind === "word" ? w.text.toLowerCase() : "";
        if (kind !== "while" && kind !== "until") throw this.lx.error(w.at, "Missing 'while' or 'until' after a do block");
        return { kind: "do", at, ...(label === undefined ? {} : { label }), until: kind === "until", test: this.parseCondition(), body };
      }
      case "break":
      case "continue": {
        this.lx.skipSpace();
        const next = this.lx.peek("arg");
        const target = next.kind === "word" ? (this.lx.next("arg"), next.text.toLowerCase()) : undefined;
        return { kind: "flow", at, flow: word, ...(target === undefined ? {} : { label: target }) };
      }
      case "return":
      case "exit":
      case "throw": {
        const next = this.lx.peek("expr");
        if (next.kind === "newline" || next.kind === "eof" || this.isOp(next, ";") || this.isOp(next, "}") || this.isOp(next, ")")) return { kind: word, at };
        return { kind: word, at, value: this.parsePipelineOrAssign() };
      }
      case "try": {
        const body = this.parseBraceBlock();
        const catches: PsCatch[] = [];
        let final: PsStatement[] | undefined;
        for (;;) {
          const save = this.lx.pos;
          this.lx.skipNewlines();
          const w = this.peekWord();
          if (w === "catch") {
            const c = this.lx.next("expr");
            const types: string[] = [];
            for (;;) {
              this.lx.skipSpace();
              if (!this.rawIs("[")) break;
              types.push(this.readTypeName());
              this.lx.skipSpace();
              if (this.rawIs(",")) this.lx.pos++;
            }
            catches.push({ at: c.at, types, body: this.parseBraceBlock() });
          } else if (w === "finally") {
            this.lx.next("expr");
            final = this.parseBraceBlock();
            break;
          } else {
            this.lx.pos = save;
            break;
          }
        }
        if (catches.length === 0 && final === undefined) throw this.lx.error(at, "A try block needs a catch or finally block");
        return { kind: "try", at, body, catches, ...(final === undefined ? {} : { final }) };
      }
      case "function":
      case "filter": {
        const name = this.lx.next("arg");
        if (name.kind !== "word") throw this.lx.error(name.at, "Missing function name");
        this.lx.skipSpace();
        let params: PsParameter[] = [];
        if (this.rawIs("(")) {
          this.lx.next("expr");
          params = this.parseParamList();
        }
        this.lx.skipNewlines();
        const open = this.expectOp("{");
        const block = this.parseBlockBody("}", open.at);
        this.expectOp("}");
        const merged: PsScriptBlock = params.length > 0 ? { ...block, params, hasParamBlock: true } : block;
        const final: PsScriptBlock = word === "filter" ? { ...merged, body: [], process: merged.body, begin: [], end: [] } : merged;
        this.functions.add(name.text.toLowerCase());
        return { kind: "function", at, name: name.text, block: final };
      }
      default:
        break;
    }
    this.lx.pos = start;
    return undefined;
  }

  private parseSwitch(at: number, label: string | undefined): PsStatement {
    let mode: "exact" | "wildcard" | "regex" = "exact";
    let caseSensitive = false;
    for (;;) {
      this.lx.skipSpace();
      if (!this.rawIs("-")) break;
      const p = this.lx.next("arg");
      const name = p.text.toLowerCase();
      if (name === "regex" || name === "wildcard" || name === "exact") mode = name;
      else if (name === "casesensitive") caseSensitive = true;
      else throw this.unsupported(p.at, `The switch option '-${p.text}'`);
    }
    const subject = this.parseCondition();
    this.lx.skipNewlines();
    this.expectOp("{");
    const clauses: PsSwitchClause[] = [];
    for (;;) {
      this.lx.skipNewlines();
      if (this.rawIs(";")) {
        this.lx.pos++;
        continue;
      }
      if (this.rawIs("}")) break;
      const start = this.lx.pos;
      const w = this.lx.peek("arg");
      let test: PsExpr | undefined;
      if (w.kind === "word" && w.text.toLowerCase() === "default") this.lx.next("arg");
      else test = this.parseArgPrimary();
      clauses.push({ at: start, ...(test === undefined ? {} : { test }), body: this.parseBraceBlock() });
    }
    this.expectOp("}");
    return { kind: "switch", at, ...(label === undefined ? {} : { label }), mode, caseSensitive, subject, clauses };
  }

  // ---- param blocks and attributes ------------------------------------------------------------

  /** Reads `[...]` as raw type text (balanced brackets). */
  private readTypeName(): string {
    const start = this.lx.pos;
    let depth = 0;
    let i = start;
    for (; i < this.src.length; i++) {
      const c = this.src.charAt(i);
      if (c === "[") depth++;
      else if (c === "]") {
        depth--;
        if (depth === 0) break;
      } else if (c === "\n" || c === "(") throw this.lx.error(start, "Missing ']' in a type name");
    }
    if (i >= this.src.length) throw this.lx.error(start, "Missing ']' in a type name");
    this.lx.pos = i + 1;
    return this.src.slice(start + 1, i).trim();
  }

  /** Parses `[Name(args)]` when the bracket holds an attribute; returns undefined (position unchanged) when it is a type. */
  private tryAttribute(): { name: string; named: Map<string, PsExpr | undefined>; positional: PsExpr[] } | undefined {
    const start = this.lx.pos;
    const m = /^\[\s*([A-Za-z_][\w.]*)\s*\(/.exec(this.src.slice(start, start + 200));
    if (m === null) return undefined;
    const name = (m[1] ?? "").toLowerCase().replace(/attribute$/, "").replace(/^system\.management\.automation\./, "");
    if (!ATTRIBUTES.has(name)) throw this.unsupported(start, `The attribute [${m[1] ?? ""}()]`);
    this.lx.pos = start + m[0].length;
    const named = new Map<string, PsExpr | undefined>();
    const positional: PsExpr[] = [];
    for (;;) {
      this.lx.skipNewlines();
      if (this.rawIs(")")) break;
      const w = this.lx.peek("expr");
      if (w.kind === "word") {
        this.lx.next("expr");
        this.lx.skipSpace();
        if (this.rawIs("=")) {
          this.lx.pos++;
          this.lx.skipNewlines();
          named.set(w.text.toLowerCase(), this.parseUnary());
        } else named.set(w.text.toLowerCase(), undefined);
      } else positional.push(this.parseUnary());
      this.lx.skipNewlines();
      if (this.rawIs(",")) this.lx.pos++;
      else break;
    }
    this.lx.skipNewlines();
    this.expectOp(")");
    this.lx.skipSpace();
    this.expectOp("]");
    return { name, named, positional };
  }

  private parseParamList(): PsParameter[] {
    const params: PsParameter[] = [];
    for (;;) {
      this.lx.skipNewlines();
      if (this.rawIs(")")) break;
      let type: string | undefined;
      let mandatory = false;
      let position: number | undefined;
      let fromPipeline = false;
      let fromPipelineByPropertyName = false;
      let aliases: PsExpr[] | undefined;
      let validateSet: PsExpr[] | undefined;
      for (;;) {
        this.lx.skipNewlines();
        if (!this.rawIs("[")) break;
        const attr = this.tryAttribute();
        if (attr === undefined) {
          type = this.readTypeName();
          continue;
        }
        if (attr.name === "parameter") {
          const flag = (key: string): boolean => {
            if (!attr.named.has(key)) return false;
            const v = attr.named.get(key);
            return v === undefined || !(v.kind === "const" && v.value === false);
          };
          mandatory = flag("mandatory");
          fromPipeline = flag("valuefrompipeline");
          fromPipelineByPropertyName = flag("valuefrompipelinebypropertyname");
          const p = attr.named.get("position");
          if (p?.kind === "const" && typeof p.value === "number") position = p.value;
        } else if (attr.name === "validateset") validateSet = attr.positional;
        else if (attr.name === "alias") aliases = [...(aliases ?? []), ...attr.positional];
      }
      this.lx.skipNewlines();
      const v = this.lx.next("expr");
      if (v.kind !== "var") throw this.unexpected(v);
      this.lx.skipSpace();
      let defaultValue: PsExpr | undefined;
      if (this.rawIs("=")) {
        this.lx.pos++;
        this.lx.skipNewlines();
        defaultValue = this.parseNoComma();
      }
      params.push({
        at: v.at,
        name: v.text,
        ...(type === undefined ? {} : { type }),
        ...(defaultValue === undefined ? {} : { defaultValue }),
        mandatory,
        ...(position === undefined ? {} : { position }),
        fromPipeline,
        ...(fromPipelineByPropertyName ? { fromPipelineByPropertyName } : {}),
        ...(aliases === undefined || aliases.length === 0 ? {} : { aliases }),
        ...(validateSet === undefined ? {} : { validateSet }),
      });
      this.lx.skipNewlines();
      if (this.rawIs(",")) this.lx.pos++;
      else break;
    }
    this.lx.skipNewlines();
    this.expectOp(")");
    return params;
  }

  // ---- pipelines and commands -----------------------------------------------------------------

  private parsePipelineOrAssign(): PsStatement {
    const first = this.lx.peek("expr");
    const at = first.at;
    if (first.kind === "word") {
      const kw = this.parseKeywordStatement(first.text.toLowerCase(), undefined);
      if (kw !== undefined) return kw;
    }
    const elements: PsPipelineElement[] = [];
    if (this.startsCommand(first)) elements.push(this.parseCommand());
    else {
      const expr = this.parseExpr();
      const op = this.lx.peek("expr");
      if (op.kind === "op" && ASSIGN.has(op.text)) {
        this.lx.next("expr");
        this.lx.skipNewlines();
        const isNull = expr.kind === "const" && expr.value === null;
        if (expr.kind === "array") throw this.unsupported(expr.at, "Assigning to several variables at once");
        if (!isNull && !["var", "member", "index", "invoke", "cast"].includes(expr.kind)) throw this.lx.error(op.at, "The assignment target is not a variable, property or element");
        return { kind: "assign", at, op: op.text, target: expr, value: this.parseStatement() };
      }
      elements.push({ kind: "expr", at, expr });
    }
    let redirect = this.parseRedirections();
    for (;;) {
      const t = this.lx.peek("expr");
      if (!this.isOp(t, "|")) break;
      if (redirect.toFile !== undefined) throw this.unsupported(t.at, "A pipe after a redirection to a file");
      this.lx.next("expr");
      this.lx.skipNewlines();
      const next = this.lx.peek("expr");
      if (!this.startsCommand(next)) throw this.lx.error(next.at, "Expressions are only allowed as the first element of a pipeline");
      elements.push(this.parseCommand());
      redirect = this.mergeRedirect(redirect, this.parseRedirections());
    }
    return { kind: "pipeline", at, elements, redirect };
  }

  /** The redirections of two elements of one pipeline (a file redirection is never followed by another element). */
  private mergeRedirect(a: PsRedirections, b: PsRedirections): PsRedirections {
    return {
      discardOutput: a.discardOutput || b.discardOutput,
      discardErrors: a.discardErrors || b.discardErrors,
      mergeErrors: a.mergeErrors || b.mergeErrors,
      ...(b.toFile === undefined ? {} : { toFile: b.toFile }),
    };
  }

  private parseRedirections(): PsRedirections {
    let r = NO_REDIRECT;
    for (;;) {
      const t = this.lx.peek("arg");
      if (t.kind !== "op" || !["2>&1", ">", ">>", "2>", "2>>", "*>"].includes(t.text)) return r;
      this.lx.next("arg");
      if (t.text === "2>&1") {
        r = { ...r, mergeErrors: true };
        continue;
      }
      const errors = t.text.startsWith("2");
      const target = this.lx.peek("arg");
      const toNull = target.kind === "var" && target.text.toLowerCase() === "null";
      if (!toNull && t.text !== ">" && t.text !== ">>") throw this.unsupported(t.at, "Redirecting errors or every stream to a file");
      // As in PowerShell, output that goes to a file cannot be redirected again (`> a.log > $null`).
      if (!errors && (r.toFile !== undefined || (!toNull && r.discardOutput))) throw this.lx.error(t.at, "The output stream is already redirected");
      if (toNull) {
        this.lx.next("arg");
        r = { ...r, discardOutput: r.discardOutput || !errors, discardErrors: r.discardErrors || errors || t.text === "*>" };
      } else r = { ...r, toFile: { path: this.parseArgPrimary(), append: t.text === ">>" } };
    }
  }

  private startsCommand(t: Token): boolean {
    if (t.kind === "word") return true;
    if (t.kind === "op" && (t.text === "&" || t.text === ".")) {
      const c = this.src.charAt(t.end);
      return t.text === "&" || c === " " || c === "\t";
    }
    if (t.kind === "op" && (t.text === "%" || t.text === "?")) return true;
    return false;
  }

  private parseCommand(): PsCommand {
    const t = this.lx.peek("expr");
    const at = t.at;
    let name: string | undefined;
    let callee: PsExpr | undefined;
    if (t.kind === "op" && (t.text === "&" || t.text === ".")) {
      this.lx.next("expr");
      callee = this.parseArgPrimary();
      if (callee.kind === "const" && typeof callee.value === "string") {
        name = callee.value;
        callee = undefined;
      }
    } else {
      const w = this.lx.next("arg");
      name = w.text;
    }
    const args = this.parseArgs();
    return { kind: "command", at, ...(name === undefined ? {} : { name }), ...(callee === undefined ? {} : { callee }), args };
  }

  /** The arguments of a command (or of a whole script), up to the end of the command. */
  parseArgs(): PsCommandArg[] {
    const args: PsCommandArg[] = [];
    for (;;) {
      const a = this.lx.peek("arg");
      if (a.kind === "eof" || a.kind === "newline") break;
      if (a.kind === "op" && [";", "|", ")", "}", "2>&1", ">", ">>", "2>", "2>>", "*>"].includes(a.text)) break;
      if (a.kind === "param") {
        this.lx.next("arg");
        if (a.colon) {
          this.lx.skipSpace();
          args.push({ at: a.at, param: a.text, value: this.parseArgValue() });
        } else args.push({ at: a.at, param: a.text });
      } else if (a.kind === "splat") {
        this.lx.next("arg");
        args.push({ at: a.at, splat: a.text.toLowerCase() });
      } else args.push({ at: a.at, value: this.parseArgValue() });
    }
    return args;
  }

  /** Parses a whole text as command arguments. */
  parseArgumentText(): PsCommandArg[] {
    const args = this.parseArgs();
    const t = this.lx.next("arg");
    if (t.kind !== "eof") throw this.unexpected(t);
    return args;
  }

  private parseArgValue(): PsExpr {
    const first = this.parseArgPrimary();
    const items = [first];
    for (;;) {
      this.lx.skipSpace();
      if (!this.rawIs(",")) break;
      this.lx.pos++;
      this.lx.skipNewlines();
      items.push(this.parseArgPrimary());
    }
    return items.length === 1 ? first : { kind: "array", at: first.at, items };
  }

  private parseArgPrimary(): PsExpr {
    const t = this.lx.peek("arg");
    if (t.kind === "word") {
      this.lx.next("arg");
      if (t.text.includes("$")) return this.parseExpandable(t.at, "bare", t.end);
      return { kind: "const", at: t.at, value: t.text.replace(/`(.)/g, "$1") };
    }
    if (t.kind === "number") {
      this.lx.next("arg");
      return { kind: "const", at: t.at, value: t.num ?? 0 };
    }
    if (t.kind === "param") {
      this.lx.next("arg");
      return { kind: "const", at: t.at, value: this.src.slice(t.at, t.end) };
    }
    // `$logPath\MyScript.log`: a variable followed by a path is one expandable word, as in PowerShell.
    if (t.kind === "var" && this.src.charAt(t.end) === "\\") return this.parseExpandable(t.at, "bare", this.lx.wordEnd(t.end));
    return this.parsePostfix(this.parsePrimary());
  }

  // ---- expressions ----------------------------------------------------------------------------

  private parseExpr(): PsExpr {
    return this.chain(() => {
      let left = this.parseComparison();
      for (;;) {
        const t = this.lx.peek("expr");
        if (t.kind !== "op" || (t.text !== "-and" && t.text !== "-or" && t.text !== "-xor")) return left;
        this.lx.next("expr");
        this.deepen();
        this.lx.skipNewlines();
        left = { kind: "binary", at: t.at, op: t.text, left, right: this.parseComparison() };
      }
    });
  }

  private parseComparison(): PsExpr {
    return this.chain(() => {
      let left = this.parseBinary(["-band", "-bor", "-bxor", "-shl", "-shr"], () => this.parseAdditive());
      for (;;) {
        const t = this.lx.peek("expr");
        if (t.kind !== "op" || !COMPARISON.has(t.text)) return left;
        this.lx.next("expr");
        this.deepen();
        this.lx.skipNewlines();
        const right = t.text === "-is" || t.text === "-isnot" || t.text === "-as" ? this.parseTypeOperand() : this.parseBinary(["-band", "-bor", "-bxor", "-shl", "-shr"], () => this.parseAdditive());
        left = { kind: "binary", at: t.at, op: t.text, left, right };
      }
    });
  }

  private parseTypeOperand(): PsExpr {
    this.lx.skipSpace();
    if (this.rawIs("[")) {
      const at = this.lx.pos;
      return { kind: "type", at, name: this.readTypeName() };
    }
    return this.parseAdditive();
  }

  private parseBinary(ops: readonly string[], next: () => PsExpr): PsExpr {
    return this.chain(() => {
      let left = next();
      for (;;) {
        const t = this.lx.peek("expr");
        if (t.kind !== "op" || !ops.includes(t.text)) return left;
        this.lx.next("expr");
        this.deepen();
        this.lx.skipNewlines();
        left = { kind: "binary", at: t.at, op: t.text, left, right: next() };
      }
    });
  }

  private parseAdditive(): PsExpr {
    return this.parseBinary(["+", "-"], () => this.parseBinary(["*", "/", "%"], () => this.parseBinary(["-f"], () => this.parseBinary([".."], () => this.parseComma()))));
  }

  private parseComma(): PsExpr {
    const first = this.parseUnary();
    if (this.noComma || !this.isOp(this.lx.peek("expr"), ",")) return first;
    const items = [first];
    while (this.isOp(this.lx.peek("expr"), ",")) {
      this.lx.next("expr");
      this.lx.skipNewlines();
      items.push(this.parseUnary());
    }
    return { kind: "array", at: first.at, items };
  }

  /** An expression without a top-level comma (parameter defaults). */
  private parseNoComma(): PsExpr {
    return this.parseUnary();
  }

  private parseUnary(): PsExpr {
    return this.nested(() => this.parseUnaryInner());
  }

  private parseUnaryInner(): PsExpr {
    const t = this.lx.peek("expr");
    if (t.kind === "op") {
      if (t.text === ",") throw this.unsupported(t.at, "The unary comma operator");
      if (["-not", "!", "-", "+", "-bnot", "-split", "-join", "\u2013"].includes(t.text)) {
        this.lx.next("expr");
        this.lx.skipNewlines();
        return { kind: "unary", at: t.at, op: t.text === "\u2013" ? "-" : t.text, operand: this.parseUnary() };
      }
      if (t.text === "++" || t.text === "--") {
        this.lx.next("expr");
        const target = this.parseUnary();
        return { kind: "incdec", at: t.at, op: t.text, prefix: true, target };
      }
      if (t.text === "[") {
        this.lx.skipSpace();
        const at = this.lx.pos;
        const name = this.readTypeName();
        if (this.rawIs("::")) return this.parsePostfix({ kind: "type", at, name });
        const after = this.lx.peek("expr");
        const startsOperand =
          after.kind === "var" || after.kind === "number" || after.kind === "string" || after.kind === "dq" || after.kind === "hdq" ||
          (after.kind === "op" && ["(", "$(", "@(", "@{", "[", "-", "!", "-not", "{"].includes(after.text));
        if (!startsOperand) return this.parsePostfix({ kind: "type", at, name });
        return { kind: "cast", at, type: name, operand: this.parseUnary() };
      }
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePrimary(): PsExpr {
    const saved = this.noComma;
    this.noComma = false;
    try {
      return this.nested(() => this.parsePrimaryInner());
    } finally {
      this.noComma = saved;
    }
  }

  private parsePrimaryInner(): PsExpr {
    const t = this.lx.next("expr");
    const at = t.at;
    switch (t.kind) {
      case "number":
        return { kind: "const", at, value: t.num ?? 0 };
      case "string":
        return { kind: "const", at, value: t.text };
      case "dq":
      case "hdq":
        return this.parseExpandable(at, t.kind === "dq" ? "dq" : "hdq");
      case "var":
        return this.variable(t);
      case "op":
        break;
      default:
        throw this.unexpected(t);
    }
    switch (t.text) {
      case "(": {
        this.lx.skipNewlines();
        const body = this.parsePipelineOrAssign();
        this.lx.skipNewlines();
        this.expectOp(")");
        return { kind: "paren", at, body };
      }
      case "$(":
      case "@(": {
        const body = this.parseStatements(")");
        this.expectOp(")");
        return { kind: "subexpr", at, body, array: t.text === "@(" };
      }
      case "@{":
        return this.parseHash(at);
      case "{": {
        const block = this.parseBlockBody("}", at);
        this.expectOp("}");
        return { kind: "scriptblock", at, block };
      }
      default:
        throw this.unexpected(t);
    }
  }

  private variable(t: Token): PsExpr {
    const lower = t.text.toLowerCase();
    if (t.scope === "local" || t.scope === "script") {
      if (lower === "true") return { kind: "const", at: t.at, value: true };
      if (lower === "false") return { kind: "const", at: t.at, value: false };
      if (lower === "null") return { kind: "const", at: t.at, value: null };
    }
    const drive = t.scope === "env" || t.scope === "tsenv";
    return { kind: "var", at: t.at, name: drive ? t.text : lower === "psitem" ? "_" : lower, scope: t.scope ?? "local" };
  }

  private parseHash(at: number): PsExpr {
    const entries: [PsExpr, PsStatement][] = [];
    for (;;) {
      this.lx.skipNewlines();
      if (this.rawIs(";")) {
        this.lx.pos++;
        continue;
      }
      if (this.rawIs("}")) break;
      const k = this.lx.peek("expr");
      let key: PsExpr;
      if (k.kind === "word") {
        this.lx.next("expr");
        key = { kind: "const", at: k.at, value: k.text };
      } else key = this.parseUnary();
      this.lx.skipSpace();
      this.expectOp("=");
      this.lx.skipNewlines();
      entries.push([key, this.parseStatement()]);
    }
    this.expectOp("}");
    return { kind: "hash", at, entries };
  }

  private parsePostfix(primary: PsExpr): PsExpr {
    return this.chain(() => this.parsePostfixChain(primary));
  }

  private parsePostfixChain(primary: PsExpr): PsExpr {
    let e = primary;
    for (;; this.deepen()) {
      const at = this.lx.pos;
      const s = this.src;
      if (s.startsWith("::", at) || (s.charAt(at) === "." && s.charAt(at + 1) !== ".")) {
        const isStatic = s.charAt(at) === ":";
        const nameAt = at + (isStatic ? 2 : 1);
        const c = s.charAt(nameAt);
        if (!/[A-Za-z_$'"]/.test(c)) return e;
        this.lx.pos = nameAt;
        let name: PsExpr;
        if (/[A-Za-z_]/.test(c)) {
          let end = nameAt;
          while (end < s.length && /\w/.test(s.charAt(end))) end++;
          this.lx.pos = end;
          name = { kind: "const", at: nameAt, value: s.slice(nameAt, end) };
        } else name = this.parsePrimary();
        if (this.rawIs("(")) {
          this.lx.pos++;
          this.lx.skipNewlines();
          const args: PsExpr[] = [];
          const saved = this.noComma;
          this.noComma = true;
          try {
            while (!this.rawIs(")")) {
              args.push(this.parseExpr());
              this.lx.skipNewlines();
              if (!this.rawIs(",")) break;
              this.lx.pos++;
              this.lx.skipNewlines();
            }
          } finally {
            this.noComma = saved;
          }
          this.lx.skipNewlines();
          this.expectOp(")");
          e = { kind: "invoke", at, target: e, name, isStatic, args };
        } else e = { kind: "member", at, target: e, name, isStatic };
      } else if (s.charAt(at) === "[" && e.kind !== "type") {
        this.lx.pos++;
        this.lx.skipNewlines();
        const savedComma = this.noComma;
        this.noComma = false;
        const index = this.parseExpr();
        this.noComma = savedComma;
        this.lx.skipNewlines();
        this.expectOp("]");
        e = { kind: "index", at, target: e, index };
      } else if ((s.startsWith("++", at) || s.startsWith("--", at)) && (e.kind === "var" || e.kind === "member" || e.kind === "index")) {
        this.lx.pos += 2;
        e = { kind: "incdec", at, op: s.startsWith("++", at) ? "++" : "--", prefix: false, target: e };
      } else return e;
    }
  }

  // ---- expandable strings ---------------------------------------------------------------------

  /** Parses the body of `"..."`, `@"..."@` or a bareword with `$` (from `at` to `end`). */
  private parseExpandable(at: number, kind: "dq" | "hdq" | "bare", end?: number): PsExpr {
    const s = this.src;
    const parts: PsStringPart[] = [];
    let text = "";
    let i = kind === "bare" ? at : this.lx.pos;
    const flush = (): void => {
      if (text !== "") parts.push({ text });
      text = "";
    };
    for (;;) {
      if (kind === "bare" && i >= (end ?? 0)) break;
      if (i >= s.length) throw this.lx.error(at, kind === "hdq" ? "Unterminated here-string" : "Unterminated string");
      const c = s.charAt(i);
      if (kind === "dq" && (c === '"' || c === "\u201c" || c === "\u201d")) {
        if (s.charAt(i + 1) === '"') {
          text += '"';
          i += 2;
          continue;
        }
        i++;
        break;
      }
      if (kind === "hdq" && (c === "\n" || c === "\r")) {
        const m = /^\r?\n"@/.exec(s.slice(i, i + 4));
        if (m !== null) {
          i += m[0].length;
          break;
        }
      }
      if (c === "`" && kind !== "hdq") {
        const e = s.charAt(i + 1);
        if (e === "u" && s.charAt(i + 2) === "{") {
          const close = s.indexOf("}", i);
          text += String.fromCodePoint(parseInt(s.slice(i + 3, close), 16));
          i = close + 1;
        } else {
          text += ESCAPES[e] ?? e;
          i += 2;
        }
        continue;
      }
      if (c === "`" && kind === "hdq") {
        const e = s.charAt(i + 1);
        text += ESCAPES[e] ?? e;
        i += 2;
        continue;
      }
      if (c === "$" && /[A-Za-z_{(?$^:]/.test(s.charAt(i + 1))) {
        flush();
        this.lx.pos = i;
        const t = this.lx.next("expr");
        if (t.kind === "var") parts.push({ expr: this.variable(t) });
        else {
          const body = this.parseStatements(")");
          this.expectOp(")");
          parts.push({ expr: { kind: "subexpr", at: t.at, body, array: false } });
        }
        i = this.lx.pos;
        continue;
      }
      text += c;
      i++;
    }
    flush();
    this.lx.pos = i;
    return { kind: "xstring", at, parts };
  }
}
