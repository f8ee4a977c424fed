/**
 * Format and Partition Disk (`SMS_TaskSequence_PartitionDiskAction`, spec/steps.md §9).
 */
import { TaskSeqError } from "@taskseq/model";
import { planPartitions } from "../disks/partition-plan.js";
import { capability, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { parseInteger, text } from "../internal/settings.js";

const MB = 1024 * 1024;

/**
 * Wipes one disk (`DiskIndexVariable`'s value, else `DiskIndex`), sets the partition style and
 * creates the planned partitions in order (a 500 MB EFI partition first for a GPT boot disk
 * without one), formats them, marks the bootable one active on MBR and assigns the next free
 * letters, writing each `VolumeLetterVariable` as `C:`. The whole layout is checked before anything
 * is touched: `InvalidSetting` on a too-small disk or an impossible layout (EFI/MSR on MBR, more
 * than four primary partitions, a Logical partition without an Extended one, two active ones...).
 * Extended and Logical partitions of a GPT layout are removed from the layout with a warning
 * (spec/steps.md §9 behaviour 2). Windows PE only.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_PartitionDiskAction", formatPartitionDiskHandler);
 * ```
 */
export const formatPartitionDiskHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "WinPE", "Format and Partition Disk");
  const indexVariable = text(ctx.settings, "DiskIndexVariable");
  const index =
    indexVariable === ""
      ? parseInteger(text(ctx.settings, "DiskIndex"), "DiskIndex", 0, 10_000)
      : parseInteger(ctx.env.get(indexVariable) ?? "", `variable ${indexVariable}`, -1, 10_000);
  if (index < 0) throw new TaskSeqError("InvalidSetting", `Variable ${indexVariable} holds no disk number.`);
  const disks = capability(ctx, "disks");
  const disk = (await disks.listDisks()).find((d) => d.index === index);
  if (disk === undefined) throw new TaskSeqError("InvalidSetting", `Disk ${index} does not exist.`, { details: { diskIndex: index } });
  const plan = planPartitions(ctx.settings, Math.floor(disk.sizeBytes / MB));
  for (const r of plan.removed) ctx.log.warning(`Partitions${r.index}Type ${r.kind} is removed from the layout: ${r.kind} partitions need the MBR partition style.`);
  ctx.log.info(`Partitioning disk ${index} (${Math.floor(disk.sizeBytes / MB)} MB) as ${plan.style} with ${plan.partitions.length} partition(s).`);
  await disks.clean(index);
  await disks.setPartitionStyle(index, plan.style);
  for (const [i, p] of plan.partitions.entries()) {
    const last = i === plan.partitions.length - 1;
    const created = await disks.createPartition(index, {
      type: p.kind,
      ...(last && p.sizeMb === Math.floor(disk.sizeBytes / MB) - plan.partitions.slice(0, -1).reduce((s, q) => s + q.sizeMb, 0) ? {} : { sizeBytes: p.sizeMb * MB }),
      ...(plan.style === "MBR" && p.bootable ? { active: true } : {}),
    });
    if (p.fileSystem !== "") await disks.format(index, created.number, { fileSystem: p.fileSystem, label: p.label, quick: p.quickFormat });
    if (p.assignLetter && p.fileSystem !== "" && p.kind !== "EFI" && p.kind !== "MSR") {
      const letter = await disks.assignDriveLetter(index, created.number);
      if (p.letterVariable !== "") ctx.env.set(p.letterVariable, letter);
      ctx.log.info(`Partition ${created.number}: ${p.kind} ${p.sizeMb} MB ${p.fileSystem} as ${letter}.`);
    } else {
      ctx.log.info(`Partition ${created.number}: ${p.kind} ${p.sizeMb} MB ${p.fileSystem || "unformatted"}.`);
    }
  }
  return { exitCode: 0 };
});
