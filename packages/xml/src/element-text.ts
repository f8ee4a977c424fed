/**
 * Reading values out of an XML document that is not a task sequence (an answer file).
 */
import { isElement, parseXmlDocument, textOf, type SourceElement } from "./xml-tree.js";
import type { XmlLimits } from "./xml-limits.js";

/** An element that encloses an {@link ElementMatch}. */
export interface ElementAncestor {
  /** The local name as written, without a namespace prefix. */
  readonly name: string;
  /** Attribute values by lower-case local name (without a namespace prefix). */
  readonly attributes: ReadonlyMap<string, string>;
}

/** An element {@link findElements} found. */
export interface ElementMatch {
  /** The element's own character data (text and CDATA children, not its descendants'), trimmed. */
  readonly text: string;
  /** The trimmed own text of each child element by lower-case local name; the first child of a name wins. */
  readonly children: ReadonlyMap<string, string>;
  /** The enclosing elements, the document element first. */
  readonly ancestors: readonly ElementAncestor[];
}

/** An element or attribute name without its namespace prefix. */
function withoutPrefix(name: string): string {
  return name.slice(name.indexOf(":") + 1);
}

/** The lower-case local name of an element or attribute name. */
function key(name: string): string {
  return withoutPrefix(name).toLowerCase();
}

/**
 * Every element, in document order, at the end of the path of local names `path` (compared
 * without namespace prefixes, case-insensitively): the element is named `path[path.length - 1]`,
 * its parent `path[path.length - 2]`, and so on; what encloses the path does not matter. The
 * document is parsed strictly: malformed XML is `XmlMalformed`, a DOCTYPE `XmlForbiddenDeclaration`.
 *
 * @example
 * ```ts
 * const [match] = findElements(
 *   '<unattend><settings pass="windowsPE"><component name="Microsoft-Windows-Setup"><UserData><ProductKey><Key>K</Key></ProductKey></UserData></component></settings></unattend>',
 *   ["UserData", "ProductKey"],
 * );
 * match?.children.get("key"); // "K"
 * match?.ancestors[1]?.attributes.get("pass"); // "windowsPE"
 * ```
 */
export function findElements(input: string | Uint8Array, path: readonly string[], limits?: XmlLimits): ElementMatch[] {
  const wanted = path.map((name) => name.toLowerCase());
  const matches: ElementMatch[] = [];
  const pending: { element: SourceElement; ancestors: readonly SourceElement[] }[] = [{ element: parseXmlDocument(input, limits).root, ancestors: [] }];
  while (pending.length > 0) {
    const { element, ancestors } = pending.pop() as (typeof pending)[number];
    const chain = [...ancestors, element].slice(-wanted.length);
    if (wanted.length > 0 && chain.length === wanted.length && chain.every((e, i) => key(e.name) === wanted[i])) matches.push(toMatch(element, ancestors));
    const children = element.children.filter(isElement);
    for (let i = children.length - 1; i >= 0; i--) pending.push({ element: children[i] as SourceElement, ancestors: [...ancestors, element] });
  }
  return matches;
}

function toMatch(element: SourceElement, ancestors: readonly SourceElement[]): ElementMatch {
  const children = new Map<string, string>();
  for (const child of element.children.filter(isElement)) if (!children.has(key(child.name))) children.set(key(child.name), textOf(child).trim());
  return {
    text: textOf(element).trim(),
    children,
    ancestors: ancestors.map((a) => ({ name: withoutPrefix(a.name), attributes: new Map(a.attributes.map(([k, v]) => [key(k), v])) })),
  };
}

/**
 * The text of the first element, in document order, whose local name (without a namespace
 * prefix) equals `localName` case-insensitively, trimmed; `undefined` when there is none. The
 * document is parsed strictly: malformed XML is `XmlMalformed`, a DOCTYPE `XmlForbiddenDeclaration`.
 *
 * @example
 * ```ts
 * firstElementText('<unattend><settings><component><ComputerName>PC01</ComputerName></component></settings></unattend>', "computername"); // "PC01"
 * ```
 */
export function firstElementText(input: string | Uint8Array, localName: string, limits?: XmlLimits): string | undefined {
  return findElements(input, [localName], limits)[0]?.text;
}
