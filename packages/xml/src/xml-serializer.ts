import type { XmlElementNode, XmlNode } from "@taskseq/model";

/**
 * Escapes character data (spec/xml-format.md §6): `&`, `<`, `>`, plus a carriage return, which a
 * parser would otherwise normalise away.
 */
export function escapeText(text: string): string {
  return /[&<>\r]/.test(text) ? text.replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c] ?? c) : text;
}

/**
 * Escapes an attribute value (spec/xml-format.md §6): `&`, `<`, `"`, plus tab, line feed and
 * carriage return, which attribute-value normalisation would otherwise turn into spaces.
 */
export function escapeAttribute(value: string): string {
  return /[&<"\t\n\r]/.test(value) ? value.replace(/[&<"\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c] ?? c) : value;
}

const TEXT_ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;" };
const ATTRIBUTE_ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;" };

/**
 * Serialises an element tree. One line with no white space between elements, or pretty-printed
 * with two-space indentation; an element holding text is written on one line either way, so text
 * is never changed. Never emits CDATA.
 */
export function serializeElement(element: XmlElementNode, pretty: boolean): string {
  const out: string[] = [];
  write(element, pretty ? "\n" : "", out);
  return out.join("");
}

function write(element: XmlElementNode, newline: string, out: string[]): void {
  out.push("<", element.name);
  for (const [name, value] of element.attributes) out.push(" ", name, '="', escapeAttribute(value), '"');
  const children = element.children;
  if (children.length === 0) {
    out.push(newline === "" ? "/>" : " />");
    return;
  }
  out.push(">");
  if (children.some(isText)) {
    for (const child of children) writeInline(child, out);
  } else {
    const inner = newline === "" ? "" : `${newline}  `;
    for (const child of children) {
      out.push(inner);
      write(child as XmlElementNode, inner, out);
    }
    out.push(newline);
  }
  out.push("</", element.name, ">");
}

function isText(node: XmlNode): boolean {
  return node.kind === "text";
}

function writeInline(node: XmlNode, out: string[]): void {
  if (node.kind === "text") out.push(escapeText(node.text));
  else write(node, "", out);
}
