import { describe, expect, it } from "vitest";
import { planPartitions } from "../src/disks/partition-plan.js";

const uefi = {
  PartitionStyle: "GPT",
  GPTBootDisk: "true",
  Partitions: "3",
  Partitions0Type: "EFI",
  Partitions0FileSystem: "FAT32",
  Partitions0Size: "984",
  Partitions0SizeUnits: "MB",
  Partitions1Type: "MSR",
  Partitions1Size: "128",
  Partitions1SizeUnits: "MB",
  Partitions2Type: "PRIMARY",
  Partitions2FileSystem: "NTFS",
  Partitions2Size: "100",
  Partitions2SizeUnits: "PERCENT",
  Partitions2VolumeLetterVariable: "OSDisk",
};

describe("planPartitions", () => {
  it("plans EFI, MSR and a percent-of-remaining OS partition", () => {
    const plan = planPartitions(uefi, 60_000);
    expect(plan.style).toBe("GPT");
    expect(plan.partitions.map((p) => [p.kind, p.sizeMb])).toEqual([["EFI", 984], ["MSR", 128], ["Primary", 60_000 - 984 - 128]]);
    expect(plan.partitions[2]?.letterVariable).toBe("OSDisk");
  });

  it("adds a 500 MB EFI partition when a GPT boot disk has none", () => {
    const plan = planPartitions({ PartitionStyle: "gpt", GPTBootDisk: "True", Partitions0Type: "Primary", Partitions0FileSystem: "NTFS" }, 10_000);
    expect(plan.partitions.map((p) => [p.kind, p.sizeMb, p.fileSystem])).toEqual([["EFI", 500, "FAT32"], ["Primary", 9_500, "NTFS"]]);
  });

  it("percent is of the space left at that point; GB is absolute", () => {
    const plan = planPartitions({ Partitions0Type: "Primary", Partitions0Size: "1", Partitions0SizeUnits: "GB", Partitions1Type: "Primary", Partitions1Size: "50", Partitions1SizeUnits: "%" }, 3_048);
    expect(plan.partitions.map((p) => p.sizeMb)).toEqual([1024, 1012]);
  });

  it("never formats MSR or Extended partitions (MDT files give MSR a file system)", () => {
    const plan = planPartitions({ PartitionStyle: "GPT", Partitions0Type: "MSR", Partitions0FileSystem: "NTFS", Partitions0Size: "128", Partitions1Type: "Primary", Partitions1FileSystem: "NTFS" }, 10_000);
    expect(plan.partitions.map((p) => p.fileSystem)).toEqual(["", "NTFS"]);
  });

  it("fails with InvalidSetting on a too-small disk", () => {
    expect(() => planPartitions({ Partitions0Type: "Primary", Partitions0Size: "500", Partitions0SizeUnits: "MB", Partitions1Type: "Primary", Partitions1Size: "600" }, 1_000)).toThrow(
      expect.objectContaining({ code: "InvalidSetting" }),
    );
  });

  it("rejects unknown types, file systems, units and EFI on MBR", () => {
    const bad: Record<string, string>[] = [
      { Partitions0Type: "Weird" },
      { Partitions0Type: "Primary", Partitions0FileSystem: "exFAT" },
      { Partitions0Type: "Primary", Partitions0Size: "5", Partitions0SizeUnits: "TB" },
      { PartitionStyle: "MBR", Partitions0Type: "EFI" },
      { PartitionStyle: "APM", Partitions0Type: "Primary" },
      { Partitions0Type: "Primary", Partitions0Bootable: "maybe" },
    ];
    for (const settings of bad) expect(() => planPartitions(settings, 10_000)).toThrow(expect.objectContaining({ code: "InvalidSetting" }));
  });
});
