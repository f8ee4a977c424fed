/** Limits for reading an export archive (zip). Every field is optional; defaults are {@link DEFAULT_ARCHIVE_LIMITS}. */
export interface ArchiveLimits {
  /** Largest accepted zip file, in bytes. */
  readonly maxArchiveBytes?: number;
  /** Most entries accepted. */
  readonly maxEntries?: number;
  /** Largest uncompressed entry, in bytes (declared or actual). */
  readonly maxEntryBytes?: number;
  /** Largest uncompressed total, in bytes. */
  readonly maxTotalBytes?: number;
  /** Highest compression ratio accepted for an entry larger than 1 MiB uncompressed. */
  readonly maxCompressionRatio?: number;
}

/** The archive limits applied when a caller gives none. */
export const DEFAULT_ARCHIVE_LIMITS: Required<ArchiveLimits> = Object.freeze({
  maxArchiveBytes: 256 * 1024 * 1024,
  maxEntries: 10_000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  maxCompressionRatio: 200,
});
