/**
 * Set Task Sequence Variable (`SMS_TaskSequence_SetVariableAction`, spec/steps.md §6).
 */
import { TaskSeqError } from "@taskseq/model";
import { defineHandler } from "../internal/outcome.js";
import { flag, required } from "../internal/settings.js";

/** Longest value after expansion (variables.md §3). */
const MAX_VALUE_LENGTH = 4000;

/**
 * Writes `VariableName` = `VariableValue` (already `%VAR%`-expanded by the engine) as a global;
 * an empty value deletes the variable; `DoNotShowVariableValue=true` marks it secret. A `_` name
 * fails with `AccessDenied` (5), an invalid name or a value over 4,000 characters with
 * `InvalidSetting` (87).
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_SetVariableAction", setVariableHandler);
 * ```
 */
export const setVariableHandler = defineHandler(async (ctx) => {
  const name = required(ctx.settings, "VariableName");
  const value = ctx.settings["VariableValue"] ?? "";
  const secret = flag(ctx.settings, "DoNotShowVariableValue", false);
  if (value.length > MAX_VALUE_LENGTH) {
    throw new TaskSeqError("InvalidSetting", `The value for ${name} is longer than ${MAX_VALUE_LENGTH} characters.`, { details: { length: value.length } });
  }
  if (value === "") {
    if (secret) ctx.log.warning(`The hidden value of ${name} is empty (it must be re-entered after import); the variable is deleted.`);
    ctx.env.set(name, "");
    ctx.log.info(`Deleted variable ${name}.`);
  } else {
    ctx.env.set(name, value, secret ? { secret: true } : {});
    ctx.log.info(secret ? `Set variable ${name} (hidden value).` : `Set variable ${name}.`);
  }
  return { exitCode: 0 };
});
