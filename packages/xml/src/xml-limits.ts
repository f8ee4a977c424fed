/**
 * Resource limits that bound the time and memory of every XML and archive read (DESIGN.md §5).
 */

/** Limits for reading one XML document. Every field is optional; defaults are {@link DEFAULT_XML_LIMITS}. */
export interface XmlLimits {
  /** Largest accepted input, in bytes (or UTF-16 code units for string input). */
  readonly maxInputBytes?: number;
  /** Deepest accepted element nesting. */
  readonly maxDepth?: number;
  /** Longest accepted attribute value, in characters. */
  readonly maxAttributeLength?: number;
  /** Longest accepted run of character data inside one element, in characters. */
  readonly maxTextLength?: number;
  /** Most elements accepted in one document. */
  readonly maxElements?: number;
}

/** The limits applied when a caller gives none: generous for real task sequences (the largest seen is 120 KB, depth 12). */
export const DEFAULT_XML_LIMITS: Required<XmlLimits> = Object.freeze({
  maxInputBytes: 32 * 1024 * 1024,
  maxDepth: 256,
  maxAttributeLength: 1024 * 1024,
  maxTextLength: 8 * 1024 * 1024,
  maxElements: 1_000_000,
});

/** Fills the unset fields of `limits` from {@link DEFAULT_XML_LIMITS}. */
export function resolveXmlLimits(limits: XmlLimits | undefined): Required<XmlLimits> {
  return { ...DEFAULT_XML_LIMITS, ...stripUndefined(limits) };
}

function stripUndefined<T extends object>(value: T | undefined): Partial<T> {
  if (value === undefined) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
