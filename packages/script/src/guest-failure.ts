/**
 * Maps what a guest threw (as described by the prelude's describer) to a typed error: QuickJS's
 * own `InternalError`s for memory and stack become `ScriptOutOfMemory` / `ScriptStackOverflow`,
 * everything else is a `ScriptError` carrying the guest message and its line in the script.
 */
import { TaskSeqError } from "@taskseq/model";
import { SCRIPT_FILE_NAME } from "./guest-api.js";

/** A thrown guest value, as the describer reports it. */
export interface GuestThrown {
  /** `name` of an Error-like object, `""` otherwise. */
  readonly name: string;
  /** The message (or the string form of a non-Error value). */
  readonly message: string;
  /** The guest stack, `""` when unknown. */
  readonly stack: string;
  /** The `code` property (set by the bridges' errors), `""` when absent. */
  readonly code: string;
}

const MAX_MESSAGE = 1_000;
const positionPattern = new RegExp(`${SCRIPT_FILE_NAME.replace(".", "\\.")}:(\\d+)(?::(\\d+))?`);

/**
 * Parses the describer's JSON answer (`[1, name, message, stack, code]` or `[0, text]`).
 *
 * @param json - the describer's answer
 */
export function parseGuestThrown(json: string): GuestThrown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed) && parsed[0] === 1) {
    return { name: String(parsed[1]), message: String(parsed[2]), stack: String(parsed[3]), code: String(parsed[4]) };
  }
  return { name: "", message: Array.isArray(parsed) ? String(parsed[1]) : "(unprintable thrown value)", stack: "", code: "" };
}

/**
 * The typed error of a guest failure.
 *
 * @param thrown - what the guest threw
 * @param redact - masks secret values in the message
 */
export function guestFailure(thrown: GuestThrown, redact: (text: string) => string): TaskSeqError {
  if (thrown.name === "InternalError") {
    if (thrown.message === "out of memory" || thrown.message === "string too long") {
      return new TaskSeqError("ScriptOutOfMemory", "The script ran out of memory.");
    }
    if (thrown.message === "stack overflow") {
      return new TaskSeqError("ScriptStackOverflow", "The script exceeded its stack size (too deep recursion).");
    }
  }
  const match = positionPattern.exec(thrown.stack);
  const line = match?.[1] === undefined ? undefined : Number(match[1]);
  const column = match?.[2] === undefined ? undefined : Number(match[2]);
  const text = thrown.message.length > MAX_MESSAGE ? `${thrown.message.slice(0, MAX_MESSAGE)}...` : thrown.message;
  const label = thrown.name === "" ? "Script threw" : thrown.name;
  const where = line === undefined ? "" : ` (line ${line})`;
  return new TaskSeqError("ScriptError", redact(`${label}: ${text}${where}`), {
    ...(line === undefined ? {} : { position: { line, ...(column === undefined ? {} : { column }) } }),
    details: { guestName: thrown.name, guestMessage: redact(text), ...(thrown.code === "" ? {} : { guestCode: thrown.code.slice(0, 64) }) },
  });
}
