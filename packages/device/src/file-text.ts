/**
 * How a `files` adapter turns file content into text (`readText`), and how text becomes file
 * content in the encodings Windows PowerShell 5.1 writes (`encodeFileText`).
 */

/**
 * A text encoding of file content. `utf-8` has no byte order mark (BOM); `utf-8-bom` and the
 * UTF-16 and UTF-32 encodings start a file with theirs. `windows-1252` is the "ANSI" code page and
 * `ibm437` the "OEM" one of an English (United States) system; `ascii`, `windows-1252` and `ibm437`
 * write `?` for a character they lack.
 */
export type FileTextEncoding = "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be" | "utf-32le" | "utf-32be" | "ascii" | "windows-1252" | "ibm437";

/** Every {@link FileTextEncoding}. */
export const FILE_TEXT_ENCODINGS: readonly FileTextEncoding[] = ["utf-8", "utf-8-bom", "utf-16le", "utf-16be", "utf-32le", "utf-32be", "ascii", "windows-1252", "ibm437"];

/** The BOMs, longest first where one starts another (a UTF-32LE BOM starts with the UTF-16LE one). */
const BOMS: readonly (readonly [FileTextEncoding, readonly number[]])[] = [
  ["utf-32le", [0xff, 0xfe, 0x00, 0x00]],
  ["utf-32be", [0x00, 0x00, 0xfe, 0xff]],
  ["utf-8-bom", [0xef, 0xbb, 0xbf]],
  ["utf-16le", [0xff, 0xfe]],
  ["utf-16be", [0xfe, 0xff]],
];

/** The characters of bytes 0x80–0xFF of the single-byte code pages (Windows-1252's five unassigned bytes read as the C1 controls, as Windows does). */
const HIGH_CHARACTERS = {
  "windows-1252": "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ" + String.fromCharCode(...Array.from({ length: 96 }, (_, i) => 0xa0 + i)),
  ibm437: "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0",
} as const;
/** Per single-byte code page, the byte of each character above 0x7F (made at first use). */
const HIGH_BYTES: { -readonly [K in keyof typeof HIGH_CHARACTERS]?: ReadonlyMap<number, number> } = {};

function highByte(encoding: keyof typeof HIGH_CHARACTERS, cp: number): number | undefined {
  const table = (HIGH_BYTES[encoding] ??= new Map([...HIGH_CHARACTERS[encoding]].map((c, i) => [c.charCodeAt(0), 0x80 + i])));
  return table.get(cp);
}

/** The encoding a file's content starts with the BOM of, or `undefined` when it has none. */
export function fileTextEncodingOf(data: Uint8Array): FileTextEncoding | undefined {
  return BOMS.find(([, bom]) => data.length >= bom.length && bom.every((b, i) => data[i] === b))?.[0];
}

/**
 * Encodes text as a file (or the end of one) in `encoding`. Lone surrogates are written as U+FFFD;
 * a character that `ascii`, `windows-1252` or `ibm437` lacks as `?`.
 *
 * @param text - the text
 * @param encoding - the encoding
 * @param bom - whether the bytes start the file: then they begin with the encoding's BOM, if it has one
 * @example
 * ```ts
 * encodeFileText("A", "utf-16le", true); // FF FE 41 00
 * encodeFileText("é", "windows-1252", false); // E9
 * ```
 */
export function encodeFileText(text: string, encoding: FileTextEncoding, bom: boolean): Uint8Array {
  const prefix = bom ? (BOMS.find(([e]) => e === encoding)?.[1] ?? []) : [];
  if (encoding === "utf-8" || encoding === "utf-8-bom") {
    const body = new TextEncoder().encode(text);
    const out = new Uint8Array(prefix.length + body.length);
    out.set(prefix);
    out.set(body, prefix.length);
    return out;
  }
  const out: number[] = [...prefix];
  for (const c of text) {
    const surrogate = c.length === 1 && c.charCodeAt(0) >= 0xd800 && c.charCodeAt(0) < 0xe000;
    const cp = surrogate ? 0xfffd : (c.codePointAt(0) ?? 0);
    switch (encoding) {
      case "utf-16le":
      case "utf-16be":
        for (const unit of cp > 0xffff ? [0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff)] : [cp]) {
          out.push(...(encoding === "utf-16le" ? [unit & 0xff, unit >> 8] : [unit >> 8, unit & 0xff]));
        }
        break;
      case "utf-32le":
      case "utf-32be": {
        const bytes = [cp & 0xff, (cp >> 8) & 0xff, (cp >> 16) & 0xff, 0];
        out.push(...(encoding === "utf-32le" ? bytes : bytes.reverse()));
        break;
      }
      default:
        out.push(cp < 0x80 ? cp : encoding === "ascii" ? 0x3f : (highByte(encoding, cp) ?? 0x3f));
    }
  }
  return Uint8Array.from(out);
}

/**
 * Decodes file content as `FilesCapability.readText` does: after a BOM, in its encoding (UTF-8,
 * UTF-16LE/BE, UTF-32LE/BE, the BOM dropped); without one as UTF-8, or as Windows-1252 (the "ANSI"
 * code page that Windows PowerShell's `Set-Content` writes) when the content is not valid UTF-8.
 * Invalid sequences after a BOM become U+FFFD.
 *
 * @example
 * ```ts
 * decodeFileText(new Uint8Array([0xff, 0xfe, 0x41, 0x00])); // "A"
 * decodeFileText(new Uint8Array([0x63, 0x61, 0x66, 0xe9])); // "café"
 * ```
 */
export function decodeFileText(data: Uint8Array): string {
  const encoding = fileTextEncodingOf(data);
  switch (encoding) {
    case "utf-16le":
      return new TextDecoder("utf-16le").decode(data.subarray(2));
    case "utf-16be": {
      const swapped = data.slice(2);
      for (let i = 0; i + 1 < swapped.length; i += 2) swapped.set([swapped[i + 1] ?? 0, swapped[i] ?? 0], i);
      return new TextDecoder("utf-16le").decode(swapped);
    }
    case "utf-32le":
    case "utf-32be": {
      const view = new DataView(data.buffer, data.byteOffset + 4, data.length - 4);
      let text = "";
      for (let i = 0; i + 3 < view.byteLength; i += 4) {
        const cp = view.getUint32(i, encoding === "utf-32le");
        text += String.fromCodePoint(cp <= 0x10ffff && (cp < 0xd800 || cp >= 0xe000) ? cp : 0xfffd);
      }
      return text;
    }
    case "utf-8-bom":
      return new TextDecoder().decode(data.subarray(3));
    default:
      try {
        return new TextDecoder("utf-8", { fatal: true }).decode(data);
      } catch {
        return Array.from(data, (b) => (b < 0x80 ? String.fromCharCode(b) : HIGH_CHARACTERS["windows-1252"].charAt(b - 0x80))).join("");
      }
  }
}
