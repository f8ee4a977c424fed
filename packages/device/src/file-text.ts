/**
 * How a `files` adapter turns file content into text (`readText`).
 */

/**
 * Decodes file content as `FilesCapability.readText` does: UTF-16LE after its BOM (`FF FE`),
 * otherwise UTF-8 (a UTF-8 BOM is dropped; invalid sequences become U+FFFD).
 *
 * @example
 * ```ts
 * decodeFileText(new Uint8Array([0xff, 0xfe, 0x41, 0x00])); // "A"
 * ```
 */
export function decodeFileText(data: Uint8Array): string {
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder("utf-16le").decode(data.subarray(2));
  return new TextDecoder().decode(data);
}
