import { MAX_VARIABLE_NAME_LENGTH } from "@taskseq/model";
import type { ProcessEnvironmentLookup, SecretSpan } from "./types.js";

/** A resolved reference: its value and whether it is secret. */
export interface ResolvedValue {
  /** The value. */
  readonly value: string;
  /** True when secret. */
  readonly secret: boolean;
}

/** Result of {@link expandReferences}. */
export interface Expansion {
  /** The expanded text. */
  readonly text: string;
  /** Where secret values were inserted. */
  readonly secretSpans: readonly SecretSpan[];
}

const isNameChar = (c: number): boolean =>
  (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d;

/** True when `text[start, end)` is a name of allowed characters and length (spec §11 rule 1). */
function isReferenceName(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < 1 || length > MAX_VARIABLE_NAME_LENGTH) return false;
  for (let i = start; i < end; i++) if (!isNameChar(text.charCodeAt(i))) return false;
  return true;
}

const NO_SPANS: readonly SecretSpan[] = Object.freeze([]);

/**
 * Expands `%name%` references in one left-to-right pass (spec/variables.md §11):
 * - a reference is `%` + 1–256 name characters + `%`; anything else between two `%` is literal,
 *   and scanning resumes at the second `%` (so `50% of %X%` still expands `%X%`);
 * - substituted text is never scanned again; `%%` stays `%%`;
 * - an undefined name asks `processEnvironment`, then stays literal (`%name%` unchanged).
 *
 * @param text - the text to expand
 * @param resolve - looks a name up (case-insensitively) in the task sequence environment
 * @param processEnvironment - optional fallback for names the environment does not define
 * @example
 * ```ts
 * expandReferences("%A%-%B%", (n) => (n === "A" ? { value: "1", secret: false } : undefined)).text; // "1-%B%"
 * ```
 */
export function expandReferences(
  text: string,
  resolve: (name: string) => ResolvedValue | undefined,
  processEnvironment?: ProcessEnvironmentLookup,
): Expansion {
  let open = text.indexOf("%");
  if (open < 0) return { text, secretSpans: NO_SPANS };
  let out = "";
  let copied = 0;
  let spans: SecretSpan[] | undefined;
  while (open >= 0) {
    const close = text.indexOf("%", open + 1);
    if (close < 0) break;
    if (!isReferenceName(text, open + 1, close)) {
      open = close;
      continue;
    }
    const name = text.slice(open + 1, close);
    const found = resolve(name);
    const value = found?.value ?? processEnvironment?.(name);
    if (value === undefined) {
      open = text.indexOf("%", close + 1);
      continue;
    }
    out += text.slice(copied, open);
    if (found?.secret === true) (spans ??= []).push([out.length, out.length + value.length]);
    out += value;
    copied = close + 1;
    open = text.indexOf("%", copied);
  }
  if (copied === 0) return { text, secretSpans: NO_SPANS };
  out += text.slice(copied);
  return { text: out, secretSpans: spans ?? NO_SPANS };
}
