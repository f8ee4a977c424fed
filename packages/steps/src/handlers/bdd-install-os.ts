/**
 * MDT Install Operating System (`BDD_InstallOS`, spec/steps.md §22.3).
 */
import { TaskSeqError } from "@taskseq/model";
import type { DestinationSpec } from "../disks/destination.js";
import { capability, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { parseInteger, text } from "../internal/settings.js";
import { applyImageTo } from "./apply-operating-system.js";

/**
 * Applies the MDT operating system `OSGUID` (resolved through the content adapter's catalogue)
 * like Apply Operating System Image, to the destination chosen by `DestinationOSInstallType`:
 * `ByVariable` (the drive in the variable named by `DestinationOSVariable`, e.g. `OSDisk`),
 * `NextPartition`, `ByDiskPartition` (`DestinationDisk`, `DestinationPartition`) or `DriveLetter`
 * (`DestinationOSDriveLetter`). Writes `OSDTargetSystemDrive`. Windows PE only.
 *
 * @example
 * ```ts
 * registry.register("BDD_InstallOS", installOsHandler);
 * ```
 */
export const installOsHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "WinPE", "Install Operating System");
  const osGuid = text(ctx.settings, "OSGUID") || (ctx.env.get("OSGUID") ?? "");
  if (osGuid === "") throw new TaskSeqError("InvalidSetting", "OSGUID is required.");
  if ((await capability(ctx, "content").resolve(osGuid)) === undefined) throw new TaskSeqError("ContentNotFound", `Operating system ${osGuid} is not in the catalogue.`);
  const type = text(ctx.settings, "DestinationOSInstallType").toUpperCase();
  let destination: DestinationSpec;
  if (type === "BYVARIABLE") destination = { kind: "LogicalDriveLetterStoredInVariable", variable: text(ctx.settings, "DestinationOSVariable") || "OSDisk" };
  else if (type === "BYDISKPARTITION") {
    destination = {
      kind: "SpecificDiskAndPartition",
      disk: parseInteger(text(ctx.settings, "DestinationDisk"), "DestinationDisk", 0, 10_000),
      partition: parseInteger(text(ctx.settings, "DestinationPartition"), "DestinationPartition", 1, 128),
    };
  } else if (type === "DRIVELETTER") destination = { kind: "SpecificLogicalDriveLetter", driveLetter: text(ctx.settings, "DestinationOSDriveLetter") };
  else if (type === "" || type === "NEXTPARTITION") destination = { kind: "NextAvailablePartition" };
  else throw new TaskSeqError("InvalidSetting", "DestinationOSInstallType must be ByVariable, NextPartition, ByDiskPartition or DriveLetter.");
  return applyImageTo(ctx, osGuid, 1, false, destination);
});
