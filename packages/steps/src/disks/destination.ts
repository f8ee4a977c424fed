/**
 * Destination volumes of Apply Operating System Image, Apply Data Image and `BDD_InstallOS`
 * (spec/steps.md §10): next available partition, a specific disk and partition, a specific drive
 * letter, or a drive letter stored in a variable.
 */
import type { StepHandlerContext } from "@taskseq/engine";
import { TaskSeqError } from "@taskseq/model";
import { capability } from "../internal/device.js";
import { parseInteger, text } from "../internal/settings.js";

/** Read-only variable recording the volumes earlier apply steps targeted (comma-separated letters). */
export const APPLIED_VOLUMES_VARIABLE = "_TSAppliedVolumes";

/** How the destination is chosen (`DestinationType`, the `New-CMTSStepApplyOperatingSystem -Destination` values). */
export type DestinationKind = "NextAvailablePartition" | "SpecificDiskAndPartition" | "SpecificLogicalDriveLetter" | "LogicalDriveLetterStoredInVariable";

const KINDS: readonly DestinationKind[] = ["NextAvailablePartition", "SpecificDiskAndPartition", "SpecificLogicalDriveLetter", "LogicalDriveLetterStoredInVariable"];

const letterOf = (value: string): string => {
  const v = value.trim().toUpperCase();
  return v.length === 1 ? `${v}:` : v.slice(0, 2);
};

/** Where to apply an image. */
export interface DestinationSpec {
  /** How the destination is chosen. */
  readonly kind: DestinationKind;
  /** 0-based disk (`SpecificDiskAndPartition`). */
  readonly disk?: number;
  /** 1-based partition (`SpecificDiskAndPartition`). */
  readonly partition?: number;
  /** Drive letter (`SpecificLogicalDriveLetter`). */
  readonly driveLetter?: string;
  /** Variable holding the letter (`LogicalDriveLetterStoredInVariable`). */
  readonly variable?: string;
}

/**
 * The destination of a ConfigMgr apply step from `DestinationType`, `DestinationDisk`,
 * `DestinationPartition` (1-based), `DestinationDriveLetter` and `DestinationVariable` (the
 * property names of the SDK class; the default is the next available partition).
 */
export function destinationFromSettings(ctx: StepHandlerContext): DestinationSpec {
  const kindText = text(ctx.settings, "DestinationType");
  const kind = kindText === "" ? "NextAvailablePartition" : KINDS.find((k) => k.toLowerCase() === kindText.toLowerCase());
  if (kind === undefined) throw new TaskSeqError("InvalidSetting", `DestinationType must be one of ${KINDS.join(", ")}.`);
  return {
    kind,
    disk: parseInteger(text(ctx.settings, "DestinationDisk"), "DestinationDisk", 0, 10_000),
    partition: parseInteger(text(ctx.settings, "DestinationPartition"), "DestinationPartition", 1, 128),
    driveLetter: text(ctx.settings, "DestinationDriveLetter"),
    variable: text(ctx.settings, "DestinationVariable"),
  };
}

/**
 * Resolves the target volume letter and records it as targeted, so the next "next available
 * partition" skips it.
 *
 * @throws TaskSeqError `InvalidSetting` when no volume matches
 */
export async function resolveDestination(ctx: StepHandlerContext, spec: DestinationSpec): Promise<string> {
  const kind = spec.kind;
  const disks = capability(ctx, "disks");
  const volumes = (await disks.listVolumes()).filter((v) => v.driveLetter !== undefined && v.driveLetter.toUpperCase() !== "X:");
  const used = new Set((ctx.env.get(APPLIED_VOLUMES_VARIABLE) ?? "").split(",").filter((s) => s !== ""));
  let letter: string | undefined;
  if (kind === "SpecificDiskAndPartition") {
    letter = volumes.find((v) => v.diskIndex === (spec.disk ?? 0) && v.partitionNumber === (spec.partition ?? 1))?.driveLetter;
  } else if (kind === "SpecificLogicalDriveLetter" || kind === "LogicalDriveLetterStoredInVariable") {
    const raw = kind === "SpecificLogicalDriveLetter" ? (spec.driveLetter ?? "") : (ctx.env.get(spec.variable ?? "") ?? "");
    const wanted = letterOf(raw);
    letter = volumes.find((v) => v.driveLetter?.toUpperCase() === wanted)?.driveLetter;
  } else {
    const special = new Set<string>();
    for (const d of await disks.listDisks()) for (const p of d.partitions) if (p.type !== "Primary" && p.type !== "Logical") special.add(`${d.index}:${p.number}`);
    letter = volumes.find((v) => v.fileSystem === "NTFS" && !special.has(`${v.diskIndex}:${v.partitionNumber}`) && !used.has(v.driveLetter?.toUpperCase() ?? ""))?.driveLetter;
  }
  if (letter === undefined) throw new TaskSeqError("InvalidSetting", `No destination volume matches ${kind}.`, { details: { destination: kind } });
  const upper = letter.toUpperCase();
  if (!used.has(upper)) ctx.setReadOnly(APPLIED_VOLUMES_VARIABLE, [...used, upper].join(","));
  return upper;
}
