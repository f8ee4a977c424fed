import { TaskSeqError } from "@taskseq/model";
import { tokenizeWql, wqlSyntaxError, type WqlToken } from "./wql-lexer.js";

/** A WQL literal: string, number, `TRUE`/`FALSE` or `NULL`. */
export type WqlLiteral = string | number | boolean | null;

/** Comparison operators (`!=` is read as `<>`). */
export type WqlComparisonOperator = "=" | "<>" | "<" | ">" | "<=" | ">=";

/** A WHERE clause expression tree. */
export type WqlExpression =
  | { readonly kind: "and" | "or"; readonly left: WqlExpression; readonly right: WqlExpression }
  | { readonly kind: "not"; readonly operand: WqlExpression }
  | { readonly kind: "compare"; readonly property: string; readonly operator: WqlComparisonOperator; readonly value: WqlLiteral }
  | { readonly kind: "like"; readonly property: string; readonly pattern: string; readonly patternOffset: number }
  | { readonly kind: "isNull"; readonly property: string; readonly negated: boolean };

/** A parsed `SELECT` query. */
export interface WqlQuery {
  /** Class name as written. */
  readonly className: string;
  /** Selected property names as written, or `"*"`. */
  readonly properties: readonly string[] | "*";
  /** The WHERE clause, when present. */
  readonly where?: WqlExpression;
}

/** Longest query accepted (conditions.md §3: 1–16,384 characters). */
export const maxWqlLength = 16_384;
const maxDepth = 64;
const unsupportedClauses = new Set(["ISA", "WITHIN", "GROUP", "HAVING", "BY", "ORDER", "JOIN"]);
const swapped: Record<WqlComparisonOperator, WqlComparisonOperator> = { "=": "=", "<>": "<>", "<": ">", ">": "<", "<=": ">=", ">=": "<=" };
const reserved = new Set(["SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "LIKE", "IS", "NULL", "TRUE", "FALSE"]);

function unsupported(word: string, offset: number): TaskSeqError {
  return new TaskSeqError("WqlUnsupported", `WQL '${word.toUpperCase()}' is not supported by this device (at column ${offset + 1})`, {
    position: { line: 1, column: offset + 1, offset },
  });
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: readonly WqlToken[]) {}

  private peek(): WqlToken {
    return this.tokens[this.index] as WqlToken;
  }

  private next(): WqlToken {
    const t = this.peek();
    if (t.kind !== "end") this.index++;
    return t;
  }

  private isWord(word: string): boolean {
    const t = this.peek();
    return t.kind === "word" && t.text.toUpperCase() === word;
  }

  private expectWord(word: string): void {
    const t = this.next();
    if (t.kind !== "word" || t.text.toUpperCase() !== word) throw wqlSyntaxError(`Expected ${word} but found ${describe(t)}`, t.offset);
  }

  private identifier(what: string): string {
    const t = this.next();
    if (t.kind !== "word" || reserved.has(t.text.toUpperCase())) throw wqlSyntaxError(`Expected ${what} but found ${describe(t)}`, t.offset);
    if (unsupportedClauses.has(t.text.toUpperCase())) throw unsupported(t.text, t.offset);
    return t.text;
  }

  query(): WqlQuery {
    this.expectWord("SELECT");
    let properties: string[] | "*";
    if (this.peek().kind === "star") {
      this.next();
      properties = "*";
    } else {
      properties = [this.identifier("a property name or *")];
      while (this.peek().kind === "comma") {
        this.next();
        properties.push(this.identifier("a property name"));
      }
    }
    this.expectWord("FROM");
    const className = this.identifier("a class name");
    let where: WqlExpression | undefined;
    if (this.isWord("WHERE")) {
      this.next();
      where = this.or(0);
    }
    const end = this.peek();
    if (end.kind === "word" && unsupportedClauses.has(end.text.toUpperCase())) throw unsupported(end.text, end.offset);
    if (end.kind !== "end") throw wqlSyntaxError(`Unexpected ${describe(end)}`, end.offset);
    return where === undefined ? { className, properties } : { className, properties, where };
  }

  private or(depth: number): WqlExpression {
    let left = this.and(depth);
    while (this.isWord("OR")) {
      this.next();
      left = { kind: "or", left, right: this.and(depth) };
    }
    return left;
  }

  private and(depth: number): WqlExpression {
    let left = this.not(depth);
    while (this.isWord("AND")) {
      this.next();
      left = { kind: "and", left, right: this.not(depth) };
    }
    return left;
  }

  private not(depth: number): WqlExpression {
    if (depth > maxDepth) throw wqlSyntaxError(`Expression nested deeper than ${maxDepth}`, this.peek().offset);
    if (this.isWord("NOT")) {
      this.next();
      return { kind: "not", operand: this.not(depth + 1) };
    }
    if (this.peek().kind === "lparen") {
      this.next();
      const inner = this.or(depth + 1);
      const close = this.next();
      if (close.kind !== "rparen") throw wqlSyntaxError(`Expected ')' but found ${describe(close)}`, close.offset);
      return inner;
    }
    return this.predicate();
  }

  private predicate(): WqlExpression {
    const t = this.peek();
    if (t.kind !== "word" || isLiteralWord(t)) {
      // `literal op property`
      const value = this.literal();
      const op = this.operator();
      const property = this.identifier("a property name");
      return { kind: "compare", property, operator: swapped[op], value };
    }
    const property = this.identifier("a property name");
    if (this.isWord("IS")) {
      this.next();
      const negated = this.isWord("NOT");
      if (negated) this.next();
      this.expectWord("NULL");
      return { kind: "isNull", property, negated };
    }
    if (this.isWord("NOT") || this.isWord("LIKE")) {
      const negated = this.isWord("NOT");
      if (negated) this.next();
      this.expectWord("LIKE");
      const p = this.next();
      if (p.kind !== "string") throw wqlSyntaxError(`LIKE needs a string pattern, found ${describe(p)}`, p.offset);
      const like: WqlExpression = { kind: "like", property, pattern: p.text, patternOffset: p.offset };
      return negated ? { kind: "not", operand: like } : like;
    }
    const op = this.operator();
    return { kind: "compare", property, operator: op, value: this.literal() };
  }

  private operator(): WqlComparisonOperator {
    const t = this.next();
    if (t.kind === "word" && unsupportedClauses.has(t.text.toUpperCase())) throw unsupported(t.text, t.offset);
    if (t.kind !== "operator") throw wqlSyntaxError(`Expected a comparison operator but found ${describe(t)}`, t.offset);
    return t.text === "!=" ? "<>" : (t.text as WqlComparisonOperator);
  }

  private literal(): WqlLiteral {
    const t = this.next();
    if (t.kind === "string") return t.text;
    if (t.kind === "number") return Number(t.text);
    if (t.kind === "word") {
      const w = t.text.toUpperCase();
      if (w === "TRUE") return true;
      if (w === "FALSE") return false;
      if (w === "NULL") return null;
    }
    throw wqlSyntaxError(`Expected a value but found ${describe(t)}`, t.offset);
  }
}

function isLiteralWord(t: WqlToken): boolean {
  const w = t.text.toUpperCase();
  return w === "TRUE" || w === "FALSE" || w === "NULL";
}

function describe(t: WqlToken): string {
  if (t.kind === "end") return "the end of the query";
  if (t.kind === "string") return "a string";
  return `'${t.text}'`;
}

/**
 * Parse a WQL `SELECT` query (conditions.md §7 subset). Throws `WqlSyntax` (with the position)
 * for malformed queries and `WqlUnsupported` for valid WQL outside the subset
 * (`ASSOCIATORS OF`, `REFERENCES OF`, `ISA`, event queries).
 *
 * @example
 * ```ts
 * const q = parseWql('SELECT * FROM Win32_ComputerSystem WHERE NOT Model LIKE "%Virtual%"');
 * q.className; // "Win32_ComputerSystem"
 * ```
 */
export function parseWql(text: string): WqlQuery {
  if (typeof text !== "string") throw new TaskSeqError("InvalidArgument", "A WQL query must be a string.");
  if (text.length > maxWqlLength) throw wqlSyntaxError(`Query longer than ${maxWqlLength} characters`, maxWqlLength);
  const schema = /^\s*(ASSOCIATORS|REFERENCES)\s+OF\b/i.exec(text);
  if (schema !== null) throw unsupported(`${schema[1] as string} OF`, text.length - text.trimStart().length);
  return new Parser(tokenizeWql(text)).query();
}
