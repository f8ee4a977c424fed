/**
 * Format and Partition Disk layout planning (spec/steps.md §9): reads the `Partitions<i>…`
 * settings and computes every partition's size against the disk, before anything is touched.
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
}

const KINDS: readonly PartitionKind[] = ["Primary", "Extended", "Logical", "Hidden", "EFI", "MSR", "Recovery"];
/** ConfigMgr's default EFI partition size (spec/steps.md §9 behaviour 3). */
export const DEFAULT_EFI_SIZE_MB = 500;

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
 * @throws TaskSeqError `InvalidSetting` for a malformed setting or a layout that does not fit the disk
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
  if (style === "GPT" && parseFlag(text(settings, "GPTBootDisk"), "GPTBootDisk", false) && !kinds.includes("EFI")) {
    partitions.push({ kind: "EFI", sizeMb: take(DEFAULT_EFI_SIZE_MB, "EFI partition"), fileSystem: "FAT32", quickFormat: true, label: "", bootable: true, assignLetter: false, letterVariable: "" });
  }
  kinds.forEach((kind, i) => {
    const p = `Partitions${i}`;
    if (style === "MBR" && (kind === "EFI" || kind === "MSR")) throw new TaskSeqError("InvalidSetting", `${p}Type ${kind} needs the GPT partition style.`);
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
    const fileSystem = kind === "MSR" || kind === "Extended" ? "" : written;
    partitions.push({
      kind,
      sizeMb: take(size, `${p}Size`),
      fileSystem: kind === "EFI" && fileSystem === "" ? "FAT32" : fileSystem,
      quickFormat: parseFlag(text(settings, `${p}QuickFormat`), `${p}QuickFormat`, true),
      label: text(settings, `${p}VolumeName`),
      bootable: parseFlag(text(settings, `${p}Bootable`), `${p}Bootable`, false),
      assignLetter: parseFlag(text(settings, `${p}AssignVolumeLetter`), `${p}AssignVolumeLetter`, true),
      letterVariable: text(settings, `${p}VolumeLetterVariable`),
    });
  });
  return { style, partitions };
}

function countIndexed(settings: Readonly<Record<string, string>>): number {
  let n = 0;
  while (text(settings, `Partitions${n}Type`) !== "") n++;
  return n;
}
