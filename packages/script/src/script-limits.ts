/**
 * Per-run resource limits of the script sandbox (docs/sandbox-security.md).
 */
import { TaskSeqError } from "@taskseq/model";

/** Resource limits of one script run. Every field is optional; {@link DEFAULT_SCRIPT_LIMITS} fills the rest. */
export interface ScriptLimits {
  /** Wall-clock budget of the run in milliseconds, promise jobs included (default 10,000). */
  readonly timeMs?: number;
  /** Heap budget of the guest runtime in bytes (default 64 MiB). */
  readonly memoryBytes?: number;
  /** Guest stack budget in bytes (default and maximum 256 KiB: the WebAssembly code runs on the host's stack). */
  readonly stackBytes?: number;
  /** Characters of captured text: writes to every stream, log lines and UI event strings (default 1,000,000). */
  readonly outputChars?: number;
  /** Number of calls from the guest into the host (default 100,000). */
  readonly hostCalls?: number;
  /** Number of file writes the script may make (`__host.writeFile`/`appendFile`, `Set-Content`, ...; default 10,000). */
  readonly fileWrites?: number;
  /** Characters the script may write to files, paths included (default 1,000,000). */
  readonly fileWriteChars?: number;
  /** Bytes of file content the script may read (`__host.readFile`, `Get-Content`); each read counts the file's size (default 16 MiB). */
  readonly fileReadBytes?: number;
}

/** The largest guest stack: deeper QuickJS recursion would overflow the host's own stack first. */
const MAX_STACK_BYTES = 256 * 1024;

/** The limits applied when a run does not set them. */
export const DEFAULT_SCRIPT_LIMITS: Readonly<Required<ScriptLimits>> = Object.freeze({
  timeMs: 10_000,
  memoryBytes: 64 * 1024 * 1024,
  stackBytes: 256 * 1024,
  outputChars: 1_000_000,
  hostCalls: 100_000,
  fileWrites: 10_000,
  fileWriteChars: 1_000_000,
  fileReadBytes: 16 * 1024 * 1024,
});

/**
 * Merges `limits` over the defaults (the default memory is capped at `memoryCeiling`) and checks
 * every value is a positive integer, memory no larger than `memoryCeiling`.
 *
 * @param limits - the run's limits
 * @param memoryCeiling - the hard memory cap of the sandbox's WebAssembly modules, in bytes
 * @returns the complete limits
 * @throws TaskSeqError `InvalidArgument` for a non-positive, non-integer or too large value
 */
export function resolveScriptLimits(limits: ScriptLimits | undefined, memoryCeiling: number): Required<ScriptLimits> {
  const defaults = { ...DEFAULT_SCRIPT_LIMITS, memoryBytes: Math.min(DEFAULT_SCRIPT_LIMITS.memoryBytes, memoryCeiling) };
  const merged: Required<ScriptLimits> = { ...defaults, ...definedOnly(limits ?? {}) };
  for (const [key, value] of Object.entries(merged)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new TaskSeqError("InvalidArgument", `Script limit ${key} must be a positive integer.`, { details: { limit: key } });
    }
  }
  if (merged.stackBytes > MAX_STACK_BYTES) {
    throw new TaskSeqError("InvalidArgument", `Script limit stackBytes exceeds ${MAX_STACK_BYTES} bytes.`, { details: { limit: "stackBytes" } });
  }
  if (merged.memoryBytes > memoryCeiling) {
    throw new TaskSeqError("InvalidArgument", `Script limit memoryBytes exceeds the sandbox ceiling of ${memoryCeiling} bytes.`, {
      details: { limit: "memoryBytes", ceiling: memoryCeiling },
    });
  }
  return merged;
}

function definedOnly(limits: ScriptLimits): ScriptLimits {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
}
