/**
 * Typed reading of a step's resolved settings (`ctx.settings`, by property). Every malformed value
 * is an `InvalidSetting` error (spec/steps.md §1.3, return code 87).
 */
import { TaskSeqError } from "@taskseq/model";

/** Read-only settings by property name. */
export type Settings = Readonly<Record<string, string>>;

/** The trimmed setting, or `""` when absent. */
export function text(settings: Settings, property: string): string {
  return (settings[property] ?? "").trim();
}

/** The setting, which must be present and non-empty. */
export function required(settings: Settings, property: string): string {
  const value = text(settings, property);
  if (value === "") throw new TaskSeqError("InvalidSetting", `Setting ${property} is required.`, { details: { property } });
  return value;
}

/** A boolean setting (`true`/`false`, any case; empty = `fallback`). */
export function flag(settings: Settings, property: string, fallback: boolean): boolean {
  return parseFlag(text(settings, property), property, fallback);
}

/** Parses a boolean text (`true`/`false`/`1`/`0`/`yes`/`no`, any case; empty = `fallback`). */
export function parseFlag(value: string, what: string, fallback: boolean): boolean {
  const v = value.trim().toLowerCase();
  if (v === "") return fallback;
  if (v === "true" || v === "1" || v === "yes") return true;
  if (v === "false" || v === "0" || v === "no") return false;
  throw new TaskSeqError("InvalidSetting", `${what} must be true or false.`, { details: { setting: what } });
}

/** A non-negative integer setting (empty = `fallback`), at most `max`. */
export function integer(settings: Settings, property: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  return parseInteger(text(settings, property), property, fallback, max);
}

/** Parses a decimal integer (empty = `fallback`) from `min` (default 0) to `max`. */
export function parseInteger(value: string, what: string, fallback: number, max = Number.MAX_SAFE_INTEGER, min = 0): number {
  const v = value.trim();
  if (v === "") return fallback;
  if (!/^\d{1,16}$/.test(v) || Number(v) > max || Number(v) < min) {
    throw new TaskSeqError("InvalidSetting", `${what} must be a whole number between ${min} and ${max}.`, { details: { setting: what } });
  }
  return Number(v);
}

/** A setting that must be one of `allowed` (matched case-insensitively); returns the allowed spelling. */
export function oneOf<T extends string>(settings: Settings, property: string, allowed: readonly T[], fallback: T): T {
  return parseOneOf(text(settings, property), property, allowed, fallback);
}

/** Parses a text that must be one of `allowed` (matched case-insensitively, empty = `fallback`); returns the allowed spelling. */
export function parseOneOf<T extends string>(value: string, what: string, allowed: readonly T[], fallback: T): T {
  const v = value.trim();
  if (v === "") return fallback;
  const found = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
  if (found === undefined) throw new TaskSeqError("InvalidSetting", `${what} must be one of ${allowed.join(", ")}.`, { details: { property: what } });
  return found;
}

/** A comma-separated list setting, trimmed, empty entries dropped. */
export function list(settings: Settings, property: string): string[] {
  return text(settings, property)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}
