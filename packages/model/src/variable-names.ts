/**
 * Task sequence variable naming rules (spec/variables.md §2 and §4), as pure functions shared by the
 * validator, the XML importer and the environment.
 */

/** Longest accepted variable name, in characters (SDK `AllowedLen("1-256")`). */
export const MAX_VARIABLE_NAME_LENGTH = 256;

/** Why a name was refused. */
export type VariableNameProblem = "empty" | "too-long" | "embedded-space" | "invalid-character" | "read-only";

/** A non-fatal remark about an accepted name (spec: a leading digit or hyphen is a validation warning). */
export type VariableNameWarning = "leading-digit" | "leading-hyphen";

/** Options for {@link checkVariableName}. */
export interface CheckVariableNameOptions {
  /** Accept names that start with `_` (engine writes and reads). Default `false` (user writes). */
  readonly allowReadOnly?: boolean;
}

/** An accepted name. */
export interface ValidVariableName {
  /** Always `true`. */
  readonly ok: true;
  /** The trimmed name, casing kept. */
  readonly name: string;
  /** True when the name starts with `_`. */
  readonly readOnly: boolean;
  /** Set when the name starts with a digit or hyphen: accepted at run time, a warning for the validator. */
  readonly warning?: VariableNameWarning;
}

/** A refused name. */
export interface InvalidVariableName {
  /** Always `false`. */
  readonly ok: false;
  /** The error code a writer reports: `ReadOnlyVariable` for a `_` name, `InvalidVariableName` otherwise. */
  readonly code: "InvalidVariableName" | "ReadOnlyVariable";
  /** The rule that was broken. */
  readonly problem: VariableNameProblem;
  /** A sentence for people (the name is quoted, shortened when long). */
  readonly message: string;
}

/** Result of {@link checkVariableName}. */
export type VariableNameCheck = ValidVariableName | InvalidVariableName;

const ALLOWED = /^[A-Za-z0-9_-]+$/;
const NON_ASCII = /[\u0080-\uffff]/;
const isSpace = (c: number): boolean => c === 0x20;

/** Trims only ASCII spaces, the characters the spec names. */
function trimSpaces(name: string): string {
  let start = 0;
  let end = name.length;
  while (start < end && isSpace(name.charCodeAt(start))) start++;
  while (end > start && isSpace(name.charCodeAt(end - 1))) end--;
  return start === 0 && end === name.length ? name : name.slice(start, end);
}

/** Quotes a name for a message, shortened so huge inputs never flood logs. */
export function quoteVariableName(name: string): string {
  return JSON.stringify(name.length > 64 ? `${name.slice(0, 61)}...` : name);
}

function refuse(problem: VariableNameProblem, name: string, why: string): InvalidVariableName {
  const code = problem === "read-only" ? "ReadOnlyVariable" : "InvalidVariableName";
  return { ok: false, code, problem, message: `Variable name ${quoteVariableName(name)} ${why}.` };
}

/**
 * Checks a variable name against spec/variables.md §2: 1–256 ASCII letters, digits, `_` or `-` after
 * trimming surrounding spaces; embedded spaces refused; a leading `_` marks a read-only name that only
 * the engine may write; a leading digit or hyphen is accepted with a warning.
 *
 * @param name - the name as written
 * @param options - `allowReadOnly` for engine writes
 * @returns the trimmed name, or the broken rule with its error code
 * @example
 * ```ts
 * checkVariableName("  OSDComputerName ");   // { ok: true, name: "OSDComputerName", readOnly: false }
 * checkVariableName("My Var").ok;             // false (embedded space)
 * checkVariableName("_SMSTSMachineName");     // { ok: false, code: "ReadOnlyVariable", ... }
 * checkVariableName("_SMSTSMachineName", { allowReadOnly: true }).ok; // true
 * ```
 */
export function checkVariableName(name: string, options: CheckVariableNameOptions = {}): VariableNameCheck {
  const trimmed = trimSpaces(name);
  if (trimmed.length === 0) return refuse("empty", name, "is empty");
  if (trimmed.length > MAX_VARIABLE_NAME_LENGTH) {
    return refuse("too-long", trimmed, `is longer than ${MAX_VARIABLE_NAME_LENGTH} characters`);
  }
  if (!ALLOWED.test(trimmed)) {
    return trimmed.includes(" ")
      ? refuse("embedded-space", trimmed, "contains a space")
      : refuse("invalid-character", trimmed, "may contain only ASCII letters, digits, '_' and '-'");
  }
  const first = trimmed.charCodeAt(0);
  if (first === 0x5f) {
    if (options.allowReadOnly !== true) return refuse("read-only", trimmed, "is read-only: only the engine may write names starting with '_'");
    return { ok: true, name: trimmed, readOnly: true };
  }
  if (first >= 0x30 && first <= 0x39) return { ok: true, name: trimmed, readOnly: false, warning: "leading-digit" };
  if (first === 0x2d) return { ok: true, name: trimmed, readOnly: false, warning: "leading-hyphen" };
  return { ok: true, name: trimmed, readOnly: false };
}

/**
 * True when the (trimmed) name starts with `_`, which makes the variable read-only (spec §5).
 *
 * @example
 * ```ts
 * isReadOnlyVariableName("_SMSTSLogPath"); // true
 * ```
 */
export function isReadOnlyVariableName(name: string): boolean {
  return trimSpaces(name).charCodeAt(0) === 0x5f;
}

/**
 * The case-insensitive lookup key of a name (spec §4): trimmed and ASCII upper-cased. A name with
 * non-ASCII characters is returned unchanged, so it can never collide with a valid (ASCII) name
 * through Unicode case mapping (for example `ſ` upper-cases to `S`).
 *
 * @example
 * ```ts
 * variableNameKey(" _SMSTSinWinPE") === variableNameKey("_SMSTSInWinPE"); // true
 * ```
 */
export function variableNameKey(name: string): string {
  const trimmed = trimSpaces(name);
  return NON_ASCII.test(trimmed) ? trimmed : trimmed.toUpperCase();
}
