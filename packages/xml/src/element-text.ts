/**
 * Reading one value out of an XML document that is not a task sequence (an answer file).
 */
import { isElement, parseXmlDocument, textOf, type SourceElement } from "./xml-tree.js";
import type { XmlLimits } from "./xml-limits.js";

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
  const wanted = localName.toLowerCase();
  const pending: SourceElement[] = [parseXmlDocument(input, limits).root];
  while (pending.length > 0) {
    const element = pending.shift() as SourceElement;
    const colon = element.name.indexOf(":");
    if (element.name.slice(colon + 1).toLowerCase() === wanted) return textOf(element).trim();
    pending.unshift(...element.children.filter(isElement));
  }
  return undefined;
}
