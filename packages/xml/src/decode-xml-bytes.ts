import { TaskSeqError } from "@taskseq/model";

/**
 * Turns the bytes of an XML document into text (spec/xml-format.md §1): a UTF-8 BOM, a UTF-16
 * BOM (either byte order), or the encoding named by the XML declaration; UTF-8 otherwise. Decoding is
 * fatal: a byte sequence that is not valid in the chosen encoding is an `XmlInvalidEncoding` error.
 */
export function decodeXmlBytes(bytes: Uint8Array): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf) return decodeWith("utf-8", bytes.subarray(3));
  if (b0 === 0xff && b1 === 0xfe) return decodeWith("utf-16le", bytes.subarray(2));
  if (b0 === 0xfe && b1 === 0xff) return decodeWith("utf-16be", bytes.subarray(2));
  const declared = declaredEncoding(bytes);
  // A declaration read as single bytes proves the file is not UTF-16, whatever it claims
  // (.NET and PowerShell often save `encoding="utf-16"` documents as UTF-8).
  return decodeWith(declared === undefined || declared.startsWith("utf-16") || declared === "unicode" ? "utf-8" : declared, bytes);
}

/** Reads `encoding="..."` from an ASCII-compatible XML declaration at the very start, if any. */
function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = String.fromCharCode(...bytes.subarray(0, Math.min(bytes.length, 200)));
  if (!head.startsWith("<?xml")) return undefined;
  const end = head.indexOf("?>");
  const decl = end < 0 ? head : head.slice(0, end);
  const match = /encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(decl);
  return match?.[1]?.toLowerCase();
}

function decodeWith(encoding: string, bytes: Uint8Array): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  } catch (cause) {
    throw new TaskSeqError("XmlInvalidEncoding", `Unsupported XML encoding "${encoding}".`, { cause, details: { encoding } });
  }
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new TaskSeqError("XmlInvalidEncoding", `The document is not valid ${encoding}.`, {
      cause,
      position: { offset: firstInvalidOffset(encoding, bytes) },
      details: { encoding },
    });
  }
}

/** Byte offset of the first invalid UTF-8 sequence (0 for other encodings): tells the user where to look. */
function firstInvalidOffset(encoding: string, bytes: Uint8Array): number {
  if (encoding !== "utf-8" && encoding !== "utf8") return 0;
  let lo = 0;
  let hi = bytes.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  return lo;
}
