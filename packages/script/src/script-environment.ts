/**
 * The task sequence environment as the sandbox sees it: the part of `@taskseq/environment`'s
 * `TaskSequenceEnvironment` a script host uses, so the engine's step environment can be passed as
 * it is. Secret masking is the environment's own redaction filter (spec/logging.md §9.2).
 */
import type { TaskSequenceEnvironment } from "@taskseq/environment";

/**
 * The environment a script reads and writes through `TSEnvironment`: `get`, `set` (script-writer
 * rules: `_` names refused), `isSecret`, `redact` and `GetVariables` (names in COM order).
 */
export type ScriptEnvironment = Pick<TaskSequenceEnvironment, "get" | "set" | "isSecret" | "redact" | "GetVariables">;
