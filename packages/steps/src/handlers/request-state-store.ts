/**
 * Request State Store (`SMS_TaskSequence_RequestStateStoreAction`, spec/steps.md §17).
 */
import { isTaskSeqError } from "@taskseq/model";
import { capability, pause } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { flag, integer, oneOf } from "../internal/settings.js";

/**
 * Asks the state migration point for a `capture` or `restore` folder, retrying `SMPRetryCount`
 * times (0–600, default 3) `SMPRetryTime` seconds apart (default 10), and writes it to
 * `OSDStateStorePath`. Fails when no folder is available after the retries.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_RequestStateStoreAction", requestStateStoreHandler);
 * ```
 */
export const requestStateStoreHandler = defineHandler(async (ctx) => {
  const type = oneOf(ctx.settings, "RequestType", ["capture", "restore"], "capture");
  const retries = integer(ctx.settings, "SMPRetryCount", 3, 600);
  const delay = integer(ctx.settings, "SMPRetryTime", 10, 86_400);
  const fallback = flag(ctx.settings, "FallbackToNAA", false);
  const store = capability(ctx, "stateStore");
  for (let attempt = 0; ; attempt++) {
    try {
      const path = await store.request(type, { fallbackToNetworkAccessAccount: fallback });
      ctx.env.set("OSDStateStorePath", path);
      ctx.log.info(`State store for ${type}: ${path}.`);
      return { exitCode: 0 };
    } catch (e) {
      if (!isTaskSeqError(e) || attempt >= retries || ctx.signal.aborted) throw e;
      ctx.log.warning(`No state migration point available (attempt ${attempt + 1} of ${retries + 1}); retrying in ${delay} s.`);
      await pause(ctx, delay * 1000);
    }
  }
});
