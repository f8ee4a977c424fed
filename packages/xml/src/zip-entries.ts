import { Unzip, UnzipInflate, UnzipPassThrough, zipSync } from "fflate";
import { TaskSeqError } from "@taskseq/model";
import { DEFAULT_ARCHIVE_LIMITS } from "./archive-limits.js";
import type { ArchiveLimits } from "./archive-limits.js";

const CHUNK = 16 * 1024;
const RATIO_FLOOR = 1024 * 1024;

/**
 * Reads every entry of a zip with fflate's streaming `Unzip`, so a bomb is stopped as soon as a
 * limit is crossed instead of after inflating it: unsafe names (`..`, absolute paths, drive
 * letters) → `ArchiveUnsafePath`; declared or actual sizes, entry count or compression ratio over
 * the limits → `ArchiveTooLarge`; anything fflate cannot read → `ArchiveInvalid`.
 */
export function readZipEntries(bytes: Uint8Array, limits: ArchiveLimits = {}): Map<string, Uint8Array> {
  const max = { ...DEFAULT_ARCHIVE_LIMITS, ...definedOnly(limits) };
  if (bytes.length > max.maxArchiveBytes) tooLarge(`The archive is ${bytes.length} bytes; the limit is ${max.maxArchiveBytes}.`);
  const entries = new Map<string, Uint8Array>();
  let total = 0;
  let count = 0;
  const unzip = new Unzip((file) => {
    count++;
    if (count > max.maxEntries) tooLarge(`The archive has more than ${max.maxEntries} entries.`);
    checkEntryName(file.name);
    if (file.originalSize !== undefined) {
      if (file.originalSize > max.maxEntryBytes) tooLarge(`Entry "${file.name}" declares ${file.originalSize} bytes; the limit is ${max.maxEntryBytes}.`);
      checkRatio(file.name, file.originalSize, file.size ?? 0, max.maxCompressionRatio);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    file.ondata = (error, data, final) => {
      // fflate reports an exception thrown by this handler back through it: keep our own errors.
      if (error instanceof TaskSeqError) throw error;
      if (error !== null) throw new TaskSeqError("ArchiveInvalid", `Entry "${file.name}" cannot be read: ${error.message}`, { cause: error });
      size += data.length;
      total += data.length;
      if (size > max.maxEntryBytes) tooLarge(`Entry "${file.name}" inflates beyond ${max.maxEntryBytes} bytes.`);
      if (total > max.maxTotalBytes) tooLarge(`The archive inflates beyond ${max.maxTotalBytes} bytes.`);
      if (file.size !== undefined) checkRatio(file.name, size, file.size, max.maxCompressionRatio);
      chunks.push(data);
      if (final) entries.set(file.name, concat(chunks, size));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  try {
    for (let at = 0; at < bytes.length; at += CHUNK) unzip.push(bytes.subarray(at, at + CHUNK), at + CHUNK >= bytes.length);
    if (bytes.length === 0) unzip.push(new Uint8Array(0), true);
  } catch (cause) {
    if (cause instanceof TaskSeqError) throw cause;
    throw new TaskSeqError("ArchiveInvalid", "The file is not a readable zip archive.", { cause });
  }
  if (count === 0) throw new TaskSeqError("ArchiveInvalid", "The file is not a zip archive or holds no entries.");
  return entries;
}

/** Writes entries (in the given order) as a deflate-compressed zip. */
export function writeZipEntries(entries: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 6; mtime: Date }]> = {};
  // A fixed time keeps the archive reproducible.
  const mtime = new Date(Date.UTC(2020, 0, 1));
  for (const [name, data] of entries) files[name] = [data, { level: 6, mtime }];
  return zipSync(files);
}

/** Refuses entry names that could escape the extraction folder. */
function checkEntryName(name: string): void {
  const unsafe = name === "" || /^[\\/]/.test(name) || /^[A-Za-z]:/.test(name) || name.split(/[\\/]/).some((segment) => segment === "..") || name.includes("\0");
  if (unsafe) throw new TaskSeqError("ArchiveUnsafePath", `Unsafe entry name ${JSON.stringify(name.slice(0, 200))} in the archive.`, { position: { path: name.slice(0, 200) } });
}

function checkRatio(name: string, inflated: number, compressed: number, maxRatio: number): void {
  if (inflated > RATIO_FLOOR && inflated > Math.max(compressed, 1) * maxRatio) {
    tooLarge(`Entry "${name}" has a compression ratio above ${maxRatio}: refused as a possible zip bomb.`);
  }
}

function tooLarge(message: string): never {
  throw new TaskSeqError("ArchiveTooLarge", message);
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function definedOnly(limits: ArchiveLimits): ArchiveLimits {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
}
