/**
 * Format and Partition Disk layout planning (spec/steps.md §9): reads the `Partitions<i>…`
 * settings, checks that the layout is possible for its partition style and computes every
 * partition's size against the disk, before anything is touched.
 */
import { TaskSeqError } from "@taskseq/model";
import { parseFlag, parseInteger, text } from "../internal/settings.js";

/** Partition kinds of Format and Partition Disk (matched case-insensitively). */
export type PartitionKind = "Primary" | "Extended" | "Logical" | "Hidden" | "EFI" | "MSR" | "Recovery";

/** One partition of a planned layout. */
export interface PlannedPartition {
  /** Partition kind. */
  readonly kind: PartitionKind;
  /** Size in MB. */
  readonly sizeMb: number;
  /** `NTFS`, `FAT32`, or `""` = not formatted (MSR and Extended partitions are never formatted). */
  readonly fileSystem: "NTFS" | "FAT32" | "";
  /** Quick (true) or full format. */
  readonly quickFormat: boolean;
  /** Volume label. */
  readonly label: string;
  /** Active (MBR) / boot partition. */
  readonly bootable: boolean;
  /** Assign the next free drive letter. */
  readonly assignLetter: boolean;
  /** Variable that receives the drive letter (`C:`), or `""`. */
  readonly letterVariable: string;
}

/** A planned layout. */
export interface PartitionPlan {
  /** `MBR` or `GPT`. */
  readonly style: "MBR" | "GPT";
  /** Partitions in creation order (an automatic EFI partition first when needed). */
  readonly partitions: readonly PlannedPartition[];
  /**
   * Extended and Logical partitions of a GPT layout, which are removed from the layout
   * (spec/steps.md §9 behaviour 2), by setting index (`Partitions<index>Type`).
   */
  readonly removed: readonly { readonly index: number; readonly kind: PartitionKind }[];
}

const KINDS: readonly PartitionKind[] = ["Primary", "Extended", "Logical", "Hidden", "EFI", "MSR", "Recovery"];
/** ConfigMgr's default EFI partition size (spec/steps.md §9 behaviour 3). */
export const DEFAULT_EFI_SIZE_MB = 500;
/** Largest FAT32 volume in MB (2 TB, the limit the `disks` adapter enforces when formatting). */
const FAT32_MAX_MB = 2 * 1024 * 1024;
/** MBR partitions that take one of the four primary slots of the partition table. */
const MBR_PRIMARY_SLOT: readonly PartitionKind[] = ["Primary", "Extended", "Hidden", "Recovery"];

function kindOf(value: string, where: string): PartitionKind {
  const found = KINDS.find((k) => k.toLowerCase() === value.trim().toLowerCase());
  if (found === undefined) throw new TaskSeqError("InvalidSetting", `${where} must be one of ${KINDS.join(", ")}.`, { details: { setting: where } });
  return found;
}

function fileSystemOf(value: string, where: string): PlannedPartition["fileSystem"] {
  const v = value.trim().toUpperCase();
  if (v === "" || v === "NTFS" || v === "FAT32") return v;
  throw new TaskSeqError("InvalidSetting", `${where} must be NTFS, FAT32 or empty.`, { details: { setting: where } });
}

/**
 * Plans the layout of one disk from the step's settings.
 *
 * @param settings - the resolved settings (`PartitionStyle`, `GPTBootDisk`, `Partitions`, `Partitions<i>…`)
 * @param diskSizeMb - the disk's size in MB
 * @returns the partition style and every partition with its size
 * @throws TaskSeqError `InvalidSetting` for a malformed setting or an impossible layout: one that does
 * not fit the disk, EFI/MSR on MBR, more than four primary partitions (an Extended one counts) or
 * more than one Extended on MBR, a Logical partition without an Extended one before it, more than
 * one bootable (active) partition on MBR or a bootable Extended/Logical one, a FAT32 volume over 2 TB.
 * Extended and Logical partitions of a GPT layout are not an error: they are left out and listed
 * in `removed`.
 * @example
 * ```ts
 * planPartitions({ PartitionStyle: "GPT", GPTBootDisk: "true", Partitions: "1", Partitions0Type: "Primary",
 *   Partitions0FileSystem: "NTFS", Partitions0Size: "100", Partitions0SizeUnits: "Percent" }, 61440);
 * ```
 */
export function planPartitions(settings: Readonly<Record<string, string>>, diskSizeMb: number): PartitionPlan {
  const styleText = text(settings, "PartitionStyle").toUpperCase();
  if (styleText !== "" && styleText !== "MBR" && styleText !== "GPT") throw new TaskSeqError("InvalidSetting", "PartitionStyle must be MBR or GPT.");
  const style = styleText === "GPT" ? "GPT" : "MBR";
  const count = parseInteger(text(settings, "Partitions"), "Partitions", countIndexed(settings), 128);
  let free = diskSizeMb;
  const partitions: PlannedPartition[] = [];
  const take = (size: number, where: string): number => {
    if (size > free) {
      throw new TaskSeqError("InvalidSetting", `${where}: ${size} MB does not fit in the ${Math.floor(free)} MB left on the disk.`, {
        details: { setting: where, requestedMb: size, freeMb: free },
      });
    }
    free -= size;
    return size;
  };

  const kinds = Array.from({ length: count }, (_, i) => kindOf(text(settings, `Partitions${i}Type`), `Partitions${i}Type`));
  const removed = style === "GPT" ? kinds.flatMap((kind, index) => (kind === "Extended" || kind === "Logical" ? [{ index, kind }] : [])) : [];
  if (style === "MBR") checkMbrLayout(settings, kinds);
  if (style === "GPT" && parseFlag(text(settings, "GPTBootDisk"), "GPTBootDisk", false) && !kinds.includes("EFI")) {
    partitions.push({ kind: "EFI", sizeMb: take(DEFAULT_EFI_SIZE_MB, "EFI partition"), fileSystem: "FAT32", quickFormat: true, label: "", bootable: true, assignLetter: false, letterVariable: "" });
  }
  kinds.forEach((kind, i) => {
    const p = `Partitions${i}`;
    if (removed.some((r) => r.index === i)) return;
    const sizeText = text(settings, `${p}Size`);
    const units = text(settings, `${p}SizeUnits`).toUpperCase();
    let size: number;
    if (sizeText === "") size = free;
    else {
      const n = parseInteger(sizeText, `${p}Size`, 0);
      if (units === "PERCENT" || units === "%") {
        if (n > 100) throw new TaskSeqError("InvalidSetting", `${p}Size must be at most 100 percent.`);
        size = Math.floor((free * n) / 100);
      } else if (units === "GB") size = n * 1024;
      else if (units === "" || units === "MB") size = n;
      else throw new TaskSeqError("InvalidSetting", `${p}SizeUnits must be MB, GB or Percent.`);
    }
    if (size <= 0) throw new TaskSeqError("InvalidSetting", `${p}: no space left on the disk.`, { details: { setting: `${p}Size` } });
    const written = fileSystemOf(text(settings, `${p}FileSystem`), `${p}FileSystem`);
    const fileSystem = kind === "MSR" || kind === "Extended" ? "" : kind === "EFI" && written === "" ? "FAT32" : written;
    if (fileSystem === "FAT32" && size > FAT32_MAX_MB) {
      throw new TaskSeqError("InvalidSetting", `${p}: a FAT32 volume of ${size} MB is over the 2 TB FAT32 limit.`, { details: { setting: `${p}FileSystem`, requestedMb: size } });
    }
    partitions.push({
      kind,
      sizeMb: take(size, `${p}Size`),
      fileSystem,
      quickFormat: parseFlag(text(settings, `${p}QuickFormat`), `${p}QuickFormat`, true),
      label: text(settings, `${p}VolumeName`),
      bootable: parseFlag(text(settings, `${p}Bootable`), `${p}Bootable`, false),
      assignLetter: parseFlag(text(settings, `${p}AssignVolumeLetter`), `${p}AssignVolumeLetter`, true),
      letterVariable: text(settings, `${p}VolumeLetterVariable`),
    });
  });
  return { style, partitions, removed };
}

/**
 * The MBR partition table (spec/steps.md §9, "Fails when: … layout impossible"): no EFI or MSR,
 * at most four primary slots (Primary, Hidden, Recovery and the one Extended partition each take
 * one), Logical partitions only after the Extended partition that holds them, and at most one
 * active partition, which must be a primary one.
 */
function checkMbrLayout(settings: Readonly<Record<string, string>>, kinds: readonly PartitionKind[]): void {
  const fail = (message: string, setting: string): never => {
    throw new TaskSeqError("InvalidSetting", `${message} The layout is impossible on an MBR disk.`, { details: { setting } });
  };
  let slots = 0;
  let extended = -1;
  let active = -1;
  kinds.forEach((kind, i) => {
    const p = `Partitions${i}`;
    if (kind === "EFI" || kind === "MSR") fail(`${p}Type ${kind} needs the GPT partition style.`, `${p}Type`);
    if (kind === "Extended" && extended >= 0) fail(`${p}Type: Partitions${extended} is already the Extended partition; a disk holds one.`, `${p}Type`);
    if (kind === "Extended") extended = i;
    if (kind === "Logical" && extended < 0) fail(`${p}Type: a Logical partition needs an Extended partition before it.`, `${p}Type`);
    if (MBR_PRIMARY_SLOT.includes(kind) && ++slots > 4) fail(`${p}Type: an MBR disk holds at most four primary partitions (or three and an Extended one).`, `${p}Type`);
    if (!parseFlag(text(settings, `${p}Bootable`), `${p}Bootable`, false)) return;
    if (kind === "Extended" || kind === "Logical") fail(`${p}Bootable: only a primary partition can be active, not ${kind === "Extended" ? "an" : "a"} ${kind} one.`, `${p}Bootable`);
    if (active >= 0) fail(`${p}Bootable: Partitions${active} is already the active partition; a disk has one.`, `${p}Bootable`);
    active = i;
  });
}

function countIndexed(settings: Readonly<Record<string, string>>): number {
  let n = 0;
  while (text(settings, `Partitions${n}Type`) !== "") n++;
  return n;
}
