/**
 * Release State Store (`SMS_TaskSequence_ReleaseStateStoreAction`, spec/steps.md §20).
 */
import { TaskSeqError } from "@taskseq/model";
import { capability } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";

/**
 * Tells the state migration point that the capture or restore using `OSDStateStorePath` is
 * complete. Fails with `InvalidOperation` when there is nothing to release.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_ReleaseStateStoreAction", releaseStateStoreHandler);
 * ```
 */
export const releaseStateStoreHandler = defineHandler(async (ctx) => {
  const path = ctx.env.get("OSDStateStorePath") ?? "";
  if (path === "") throw new TaskSeqError("InvalidOperation", "There is no state store to release (OSDStateStorePath is not set).");
  await capability(ctx, "stateStore").release(path);
  ctx.log.info(`Released state store ${path}.`);
  return { exitCode: 0 };
});
