import { SECRET_MASK } from "./types.js";

/** Replaces known secret values in text (logging.md §9.2). */
export interface Redactor {
  /** Adds a value to the filter; it stays for the lifetime of the redactor. Returns true when it was new. */
  add(value: string): boolean;
  /** True when no value was ever added. */
  readonly empty: boolean;
  /** Every occurrence of every added value (exact, case-sensitive, longest first) becomes `********`. */
  redact(text: string): string;
  /** The added values, longest first (for persistence through a secret store). */
  values(): readonly string[];
}

/**
 * Creates the redaction filter of logging.md §9.2: every value that has been secret during the
 * run is replaced by `********`, longest values first, also inside longer text.
 *
 * @example
 * ```ts
 * const r = createRedactor();
 * r.add("p@ss");
 * r.redact("user=x pw=p@ss"); // "user=x pw=********"
 * ```
 */
export function createRedactor(): Redactor {
  return new ValueRedactor();
}

/** A class, not an object literal: a literal with the `empty` getter would be a dictionary-mode object, slow to call on every log line. */
class ValueRedactor implements Redactor {
  readonly #known = new Set<string>();
  #ordered: string[] | undefined = [];

  add(value: string): boolean {
    if (value.length === 0 || this.#known.has(value)) return false;
    this.#known.add(value);
    this.#ordered = undefined;
    return true;
  }

  get empty(): boolean {
    return this.#known.size === 0;
  }

  redact(text: string): string {
    if (this.#known.size === 0 || text.length === 0) return text;
    let out = text;
    for (const value of this.#sorted()) {
      if (out.includes(value)) out = out.split(value).join(SECRET_MASK);
    }
    return out;
  }

  values(): readonly string[] {
    return this.#sorted().slice();
  }

  #sorted(): string[] {
    return (this.#ordered ??= [...this.#known].sort((a, b) => b.length - a.length));
  }
}
