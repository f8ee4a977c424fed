import { SaxesParser } from "saxes";

/**
 * Canonical form of an XML document for comparisons (spec/xml-format.md §9): attributes sorted by
 * name, white-space-only text between elements dropped, entity and character references decoded
 * (so `&amp;` and `&#38;` are equal), CDATA sections read as text, `<x/>` equal to `<x></x>`,
 * no declaration, comments or processing instructions.
 */
export function canonicalXml(text: string): string {
  interface Frame {
    readonly out: string[];
    hasElement: boolean;
    pending: string;
  }
  const parser = new SaxesParser();
  const root: Frame = { out: [], hasElement: false, pending: "" };
  const stack: Frame[] = [root];
  const top = (): Frame => stack[stack.length - 1] as Frame;
  parser.on("error", (e) => {
    throw e;
  });
  const onText = (t: string): void => {
    top().pending += t;
  };
  parser.on("text", onText);
  parser.on("cdata", onText);
  parser.on("opentag", (tag) => {
    const parent = top();
    flush(parent, true);
    parent.hasElement = true;
    const attrs = Object.entries(tag.attributes as Record<string, string>)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => ` ${k}=${JSON.stringify(v)}`)
      .join("");
    parent.out.push(`<${tag.name}${attrs}>`);
    stack.push({ out: [], hasElement: false, pending: "" });
  });
  parser.on("closetag", (tag) => {
    const frame = stack.pop() as Frame;
    flush(frame, frame.hasElement);
    top().out.push(...frame.out, `</${tag.name}>`);
  });
  parser.write(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).close();
  return root.out.join("");

  function flush(frame: Frame, dropWhitespace: boolean): void {
    if (frame.pending !== "" && !(dropWhitespace && /^[ \t\r\n]*$/.test(frame.pending))) frame.out.push(JSON.stringify(frame.pending));
    frame.pending = "";
  }
}
