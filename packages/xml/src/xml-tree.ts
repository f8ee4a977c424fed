import { SaxesParser } from "saxes";
import { TaskSeqError } from "@taskseq/model";
import type { XmlElementNode, XmlNode } from "@taskseq/model";
import { decodeXmlBytes } from "./decode-xml-bytes.js";
import { resolveXmlLimits } from "./xml-limits.js";
import type { XmlLimits } from "./xml-limits.js";

/** An element as read, with its position: internal to the readers of this package. */
export interface SourceElement {
  readonly kind: "element";
  readonly name: string;
  readonly attributes: readonly (readonly [string, string])[];
  /** Child nodes: plain text is a string, one object fewer per text for the garbage collector. */
  readonly children: readonly SourceNode[];
  /** 1-based line of the `<`. */
  readonly line: number;
  /** 1-based column of the `<`. */
  readonly column: number;
  /** Offset (UTF-16 index) of the first character after the start tag. */
  contentStart: number;
  /** Offset of the `<` of the end tag (or of the end of an empty-element tag). */
  contentEnd: number;
}

/** A CDATA section as read (plain text children are strings). */
export interface SourceCData {
  readonly kind: "cdata";
  readonly text: string;
}

/** Character data as read: plain text (adjacent texts merged) or a CDATA section. */
export type SourceText = string | SourceCData;

/** A node as read. */
export type SourceNode = SourceElement | SourceText;

/** Shared by every element without children until its first child (then replaced by a new array). */
const NO_CHILDREN: readonly SourceNode[] = Object.freeze([]);
/** Shared by every element without attributes (it becomes the trivia's attribute list, read-only data). */
const NO_ATTRIBUTES: readonly (readonly [string, string])[] = Object.freeze([]);

/** The XML declaration as written. */
export interface XmlDeclaration {
  readonly version?: string;
  readonly encoding?: string;
  readonly standalone?: string;
}

/** A parsed document. */
export interface SourceDocument {
  readonly root: SourceElement;
  readonly declaration?: XmlDeclaration;
  /** The decoded text the offsets refer to. */
  readonly text: string;
}

/**
 * Parses a whole XML document into a light tree with saxes (strict, non-recursive) while enforcing
 * {@link XmlLimits}. DOCTYPE declarations are refused (no entity expansion, no external entities);
 * comments and processing instructions are dropped.
 */
export function parseXmlDocument(input: string | Uint8Array, limits?: XmlLimits): SourceDocument {
  if (typeof input !== "string" && !(input instanceof Uint8Array)) {
    throw new TaskSeqError("InvalidArgument", "XML input must be a string or a Uint8Array.");
  }
  const max = resolveXmlLimits(limits);
  if (input.length > max.maxInputBytes) {
    throw new TaskSeqError("XmlTooLarge", `The document is ${input.length} bytes; the limit is ${max.maxInputBytes}.`, {
      details: { size: input.length, limit: max.maxInputBytes },
    });
  }
  let text = typeof input === "string" ? input : decodeXmlBytes(input);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  const parser = new SaxesParser({ position: true });
  const stack: SourceElement[] = [];
  let root: SourceElement | undefined;
  let elements = 0;
  let declaration: XmlDeclaration | undefined;
  let tagLine = 1;
  let tagColumn = 1;
  const fail = (code: "XmlMalformed" | "XmlTooDeep" | "XmlTooLarge" | "XmlForbiddenDeclaration", message: string): never => {
    throw new TaskSeqError(code, message, { position: { line: parser.line, column: parser.column + 1, offset: parser.position } });
  };
  const addText = (value: string, cdata: boolean): void => {
    const parent = stack[stack.length - 1];
    if (parent === undefined) return;
    if (value.length > max.maxTextLength) fail("XmlTooLarge", `A text of ${value.length} characters exceeds the limit of ${max.maxTextLength}.`);
    const children = parent.children as SourceNode[];
    const last = children.length - 1;
    const previous = children[last];
    if (!cdata && typeof previous === "string") {
      const merged = previous + value;
      if (merged.length > max.maxTextLength) fail("XmlTooLarge", `A text exceeds the limit of ${max.maxTextLength} characters.`);
      children[last] = merged;
      return;
    }
    addChild(parent, cdata ? { kind: "cdata", text: value } : value);
  };

  // saxes stores each handler as a new property of the parser: past seven, V8 turns the parser into a
  // slow dictionary object and the whole parse takes about a fifth longer. So there is no "error"
  // handler (saxes then throws its error, caught below) and no "xmldecl" one (the declaration is read
  // from `parser.xmlDecl` before close() resets it): seven handlers remain.
  parser.on("doctype", () => fail("XmlForbiddenDeclaration", "DOCTYPE and entity declarations are not allowed in task sequence documents."));
  let attributes: readonly (readonly [string, string])[] = NO_ATTRIBUTES;
  parser.on("opentagstart", () => {
    tagLine = parser.line;
    tagColumn = parser.column;
    attributes = NO_ATTRIBUTES;
  });
  parser.on("attribute", (attr) => {
    if (attr.value.length > max.maxAttributeLength) {
      fail("XmlTooLarge", `Attribute "${attr.name}" is ${attr.value.length} characters long; the limit is ${max.maxAttributeLength}.`);
    }
    if (attributes === NO_ATTRIBUTES) attributes = [[attr.name, attr.value]];
    else (attributes as (readonly [string, string])[]).push([attr.name, attr.value]);
  });
  parser.on("opentag", (tag) => {
    elements++;
    if (elements > max.maxElements) fail("XmlTooLarge", `The document has more than ${max.maxElements} elements.`);
    if (stack.length >= max.maxDepth) fail("XmlTooDeep", `Elements are nested deeper than ${max.maxDepth} levels.`);
    // saxes reports the position after "<name" at opentagstart: step back to the "<".
    const nameLength = tag.name.length + 1;
    const element: SourceElement = {
      kind: "element",
      name: tag.name,
      attributes,
      children: NO_CHILDREN,
      line: tagLine,
      column: Math.max(1, tagColumn - nameLength),
      contentStart: parser.position,
      contentEnd: parser.position,
    };
    const parent = stack[stack.length - 1];
    if (parent === undefined) root = element;
    else addChild(parent, element);
    if (!tag.isSelfClosing) stack.push(element);
  });
  parser.on("closetag", (tag) => {
    if (tag.isSelfClosing) return;
    const element = stack.pop();
    if (element !== undefined) element.contentEnd = parser.position - (tag.name.length + 3);
  });
  parser.on("text", (value) => addText(value, false));
  parser.on("cdata", (value) => addText(value, true));

  try {
    parser.write(text);
    // saxes sets `version` only while reading a declaration, and fails one that has none.
    const decl = parser.xmlDecl;
    if (decl.version !== undefined) declaration = stripUndefined({ version: decl.version, encoding: decl.encoding, standalone: decl.standalone });
    parser.close();
  } catch (err) {
    // Our handlers throw TaskSeqErrors and saxes reports a well-formedness error as a plain Error;
    // anything else (a TypeError, say) is a bug and stays what it is.
    if (!(err instanceof Error) || err.constructor !== Error) throw err;
    fail("XmlMalformed", `Not well-formed XML: ${err.message}`);
  }
  if (root === undefined) return fail("XmlMalformed", "The document has no root element.");
  return declaration === undefined ? { root, text } : { root, declaration, text };
}

/** Appends a child, replacing the shared empty list on the first one. */
function addChild(parent: SourceElement, child: SourceNode): void {
  if (parent.children === NO_CHILDREN) (parent as { children: readonly SourceNode[] }).children = [child];
  else (parent.children as SourceNode[]).push(child);
}

/** Copies a source element into the model's verbatim form (no positions). */
export function toVerbatim(element: SourceElement): XmlElementNode {
  return {
    kind: "element",
    name: element.name,
    attributes: element.attributes,
    children: element.children.map(
      (child): XmlNode => (typeof child === "string" ? { kind: "text", text: child } : child.kind === "element" ? toVerbatim(child) : { kind: "text", text: child.text, cdata: true }),
    ),
  };
}

/** True for an element child (not text or CDATA). */
export function isElement(node: SourceNode): node is SourceElement {
  return typeof node !== "string" && node.kind === "element";
}

/** The character data of a text or CDATA child. */
export function textValue(node: SourceText): string {
  return typeof node === "string" ? node : node.text;
}

/** The concatenated character data of an element (text and CDATA children). */
export function textOf(element: SourceElement): string {
  let out = "";
  for (const child of element.children) {
    if (typeof child === "string") out += child;
    else if (child.kind === "cdata") out += child.text;
  }
  return out;
}

/** True when the text is only XML white space. */
export function isWhitespace(text: string): boolean {
  return /^[ \t\r\n]*$/.test(text);
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
