/**
 * Restart Computer (`SMS_TaskSequence_RebootAction`, spec/steps.md §8).
 */
import type { RestartTarget } from "@taskseq/device";
import { TaskSeqError } from "@taskseq/model";
import { optionalCapability } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { integer, text } from "../internal/settings.js";

/**
 * Succeeds (return code 0) and asks the engine to restart into `Target` (`HD` or `WinPE`) and
 * continue with the next step, with `Message` shown for `MessageTimeout` seconds (`0` = no
 * notification). An empty `Target` (MDT templates) means `HD` when the device can boot its
 * installed OS, else `WinPE`. Bootability itself is the engine's restart prerequisite.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_RebootAction", restartComputerHandler);
 * ```
 */
export const restartComputerHandler = defineHandler(async (ctx) => {
  const raw = text(ctx.settings, "Target").toUpperCase();
  if (raw !== "" && raw !== "HD" && raw !== "WINPE") throw new TaskSeqError("InvalidSetting", "Target must be HD or WinPE.");
  const message = ctx.settings["Message"] ?? "";
  if (message.length > 512) throw new TaskSeqError("InvalidSetting", "Message is longer than 512 characters.");
  const timeoutSeconds = integer(ctx.settings, "MessageTimeout", 0, 4_294_967_295);
  let target: RestartTarget;
  if (raw === "HD") target = "HD";
  else if (raw === "WINPE") target = "WinPE";
  else {
    const bootable = (await optionalCapability(ctx, "reboot")?.bootableTargets()) ?? [];
    target = bootable.includes("HD") ? "HD" : "WinPE";
  }
  ctx.log.info(`Restart requested into ${target === "HD" ? "the installed operating system" : "the boot image"}.`);
  return { exitCode: 0, restart: { target, then: "next", message, timeoutSeconds } };
});
