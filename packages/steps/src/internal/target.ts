/**
 * The applied operating system's drive (`OSDTargetSystemDrive`, written by Apply Operating
 * System Image) that driver and BitLocker steps act on.
 */
import type { StepHandlerContext } from "@taskseq/engine";
import { TaskSeqError } from "@taskseq/model";

/** `OSDTargetSystemDrive`, or `InvalidSetting` when no operating system was applied. */
export function targetSystemDrive(ctx: StepHandlerContext, what: string): string {
  const drive = (ctx.env.get("OSDTargetSystemDrive") ?? "").trim();
  if (drive === "") throw new TaskSeqError("InvalidSetting", `${what} needs an applied operating system (OSDTargetSystemDrive is not set).`);
  return drive.toUpperCase();
}
