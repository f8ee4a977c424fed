/**
 * Connect To Network Folder (`SMS_TaskSequence_ConnectNetworkFolderAction`, spec/steps.md §21.13).
 */
import { TaskSeqError } from "@taskseq/model";
import { capability } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { required, text } from "../internal/settings.js";

/**
 * Maps `Path` (`\\server\share`) to `DriveLetter` (`D:`–`Z:`, never `X:`) with the optional
 * account (the password is secret and never logged).
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_ConnectNetworkFolderAction", connectNetworkFolderHandler);
 * ```
 */
export const connectNetworkFolderHandler = defineHandler(async (ctx) => {
  const path = required(ctx.settings, "Path");
  if (!/^\\\\[^\\]+\\[^\\]+/.test(path)) throw new TaskSeqError("InvalidSetting", "Path must be a UNC path such as \\\\server\\share.");
  const letter = required(ctx.settings, "DriveLetter").toUpperCase();
  const normalized = letter.endsWith(":") ? letter : `${letter}:`;
  if (!/^[D-Z]:$/.test(normalized) || normalized === "X:") throw new TaskSeqError("InvalidSetting", "DriveLetter must be D: to Z:, and not X:.");
  const userName = text(ctx.settings, "Username");
  await capability(ctx, "network").mapDrive(path, normalized, userName === "" ? undefined : { userName, password: ctx.settings["Password"] ?? "" });
  ctx.log.info(`Connected ${path} as ${normalized}.`);
  return { exitCode: 0 };
});
