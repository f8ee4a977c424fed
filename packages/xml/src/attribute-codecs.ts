import type { RunIn } from "@taskseq/model";

/**
 * Decoders shared by the reader and the writer: the writer keeps a source attribute's raw text
 * whenever decoding it gives the value the model holds now (spec/xml-format.md §9).
 */

/** The success codes when `successCodeList` is absent. */
export const DEFAULT_SUCCESS_CODES: readonly number[] = Object.freeze([0, 3010]);

const INTEGER = /^[+-]?\d+$/;
const RUN_IN: readonly RunIn[] = ["WinPEandFullOS", "WinPE", "FullOS"];

/** `true` (any case, surrounding space ignored) is true; anything else, or absence, is false. */
export function decodeBoolean(raw: string | undefined): boolean {
  return raw !== undefined && raw.trim().toLowerCase() === "true";
}

/** An optional boolean: absent stays absent. */
export function decodeOptionalBoolean(raw: string | undefined): boolean | undefined {
  return raw === undefined ? undefined : decodeBoolean(raw);
}

/** Space-separated integers; tokens that are not integers are returned in `invalid`. */
export function decodeSuccessCodes(raw: string | undefined): { readonly codes: readonly number[]; readonly invalid: readonly string[] } {
  if (raw === undefined) return { codes: DEFAULT_SUCCESS_CODES, invalid: [] };
  const codes: number[] = [];
  const invalid: string[] = [];
  for (const token of raw.split(/\s+/)) {
    if (token === "") continue;
    if (INTEGER.test(token)) codes.push(Number(token));
    else invalid.push(token);
  }
  return { codes, invalid };
}

/** `runIn`, matched case-insensitively; absent or unknown is `WinPEandFullOS`. */
export function decodeRunIn(raw: string | undefined): { readonly value: RunIn; readonly invalid: boolean } {
  if (raw === undefined) return { value: "WinPEandFullOS", invalid: false };
  const found = RUN_IN.find((r) => r.toLowerCase() === raw.trim().toLowerCase());
  return found === undefined ? { value: "WinPEandFullOS", invalid: true } : { value: found, invalid: false };
}

/** A non-negative integer attribute; absent or invalid gives `undefined`. */
export function decodeInteger(raw: string | undefined): number | undefined {
  if (raw === undefined || !INTEGER.test(raw.trim())) return undefined;
  const n = Number(raw.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}

/** True when two number lists are equal element by element. */
export function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}
