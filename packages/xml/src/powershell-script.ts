import { TaskSeqError } from "@taskseq/model";

/**
 * Decodes an inline Run PowerShell Script source (`OSDRunPowerShellScriptSourceScript`), Base64 of
 * the script bytes (spec/xml-format.md §8): `FF FE` → UTF-16LE; `EF BB BF` → UTF-8; no BOM →
 * UTF-16LE when the byte count is even, else UTF-8. Invalid Base64 throws `InvalidArgument`.
 *
 * @example
 * ```ts
 * decodePowerShellScript("//5zAA=="); // "s"
 * ```
 */
export function decodePowerShellScript(base64: string): string {
  const bytes = fromBase64(base64);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder("utf-8").decode(bytes.subarray(3));
  return new TextDecoder(bytes.length % 2 === 0 ? "utf-16le" : "utf-8").decode(bytes);
}

/**
 * Encodes a script the way ConfigMgr stores it: UTF-16LE with a BOM, standard Base64 without line
 * breaks (spec/xml-format.md §8).
 *
 * @example
 * ```ts
 * encodePowerShellScript("s"); // "//5zAA=="
 * ```
 */
export function encodePowerShellScript(source: string): string {
  const bytes = new Uint8Array(2 + source.length * 2);
  bytes[0] = 0xff;
  bytes[1] = 0xfe;
  for (let i = 0; i < source.length; i++) {
    const code = source.charCodeAt(i);
    bytes[2 + i * 2] = code & 0xff;
    bytes[3 + i * 2] = code >>> 8;
  }
  return toBase64(bytes);
}

function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) {
    throw new TaskSeqError("InvalidArgument", "The script source is not valid Base64.");
  }
  const binary = atob(clean);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
