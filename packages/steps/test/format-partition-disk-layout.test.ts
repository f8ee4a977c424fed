/**
 * Format and Partition Disk: impossible layouts are rejected, and GPT layouts lose their Extended
 * and Logical partitions, before the disk is touched (spec/steps.md §9 behaviour 2, "Fails when").
 */
import { describe, expect, it } from "vitest";
import { planPartitions } from "../src/disks/partition-plan.js";
import { formatPartitionDiskHandler } from "../src/index.js";
import { device, run } from "./helpers.js";

/** The Dell laptop (GPT disk holding Windows) booted into Windows PE. */
const dellInPe = () => device("dell-latitude-5440", (p) => ({ ...p, os: { ...p.os, running: "WinPE" } }));

/** `Partitions<i>…` settings from a list of partitions. */
function layout(style: string, parts: readonly Readonly<Record<string, string>>[]): Record<string, string> {
  const out: Record<string, string> = { PartitionStyle: style, Partitions: String(parts.length) };
  parts.forEach((p, i) => {
    for (const [k, v] of Object.entries(p)) out[`Partitions${i}${k}`] = v;
  });
  return out;
}

const primary = (size = "1000", extra: Readonly<Record<string, string>> = {}) => ({ Type: "Primary", FileSystem: "NTFS", Size: size, SizeUnits: "MB", ...extra });

const impossibleMbr: [string, Record<string, string>][] = [
  ["five primary partitions", layout("MBR", [primary(), primary(), primary(), primary(), primary()])],
  ["four primary partitions and an Extended one", layout("MBR", [primary(), primary(), primary(), primary(), { Type: "Extended", Size: "2000" }])],
  ["three primary, a Hidden and a Recovery partition", layout("MBR", [primary(), primary(), primary(), { Type: "Hidden", Size: "500" }, { Type: "Recovery", FileSystem: "NTFS", Size: "500" }])],
  ["a Logical partition with no Extended one", layout("MBR", [primary(), { Type: "Logical", FileSystem: "NTFS", Size: "1000" }])],
  ["a Logical partition before the Extended one", layout("MBR", [{ Type: "Logical", FileSystem: "NTFS", Size: "1000" }, { Type: "Extended", Size: "2000" }])],
  ["two Extended partitions", layout("MBR", [{ Type: "Extended", Size: "2000" }, { Type: "Extended", Size: "2000" }])],
  ["two active partitions", layout("MBR", [primary("1000", { Bootable: "true" }), primary("1000", { Bootable: "True" })])],
  ["an active Logical partition", layout("MBR", [primary(), { Type: "Extended", Size: "2000" }, { Type: "Logical", FileSystem: "NTFS", Size: "1000", Bootable: "true" }])],
  ["an EFI partition", layout("MBR", [{ Type: "EFI", Size: "500" }, primary()])],
];

describe("planPartitions: MBR partition table rules", () => {
  for (const [name, settings] of impossibleMbr) {
    it(`rejects ${name} with InvalidSetting`, () => {
      expect(() => planPartitions(settings, 100_000)).toThrow(expect.objectContaining({ code: "InvalidSetting", message: expect.stringMatching(/impossible on an MBR disk/) }));
    });
  }

  it("accepts four primary partitions, or three and an Extended one holding Logical ones, with one active", () => {
    expect(planPartitions(layout("MBR", [primary("1000", { Bootable: "true" }), primary(), { Type: "Hidden", Size: "500" }, { Type: "Recovery", FileSystem: "NTFS" }]), 10_000).partitions).toHaveLength(4);
    const plan = planPartitions(layout("MBR", [primary("1000", { Bootable: "true" }), { Type: "Extended", Size: "3000" }, { Type: "Logical", FileSystem: "NTFS", Size: "1000" }, { Type: "Logical", FileSystem: "NTFS", Size: "1000" }, primary("1000")]), 10_000);
    expect(plan.partitions.map((p) => p.kind)).toEqual(["Primary", "Extended", "Logical", "Logical", "Primary"]);
    expect(plan.removed).toEqual([]);
  });

  it("leaves the bootable flag alone on GPT (it only means active on MBR)", () => {
    expect(planPartitions(layout("GPT", [primary("1000", { Bootable: "true" }), primary("1000", { Bootable: "true" })]), 10_000).partitions).toHaveLength(2);
  });

  it("rejects a FAT32 volume over 2 TB before anything is formatted", () => {
    expect(() => planPartitions(layout("GPT", [{ Type: "Primary", FileSystem: "FAT32" }]), 3 * 1024 * 1024)).toThrow(expect.objectContaining({ code: "InvalidSetting" }));
    expect(planPartitions(layout("GPT", [{ Type: "Primary", FileSystem: "FAT32" }]), 2 * 1024 * 1024).partitions[0]?.sizeMb).toBe(2 * 1024 * 1024);
  });
});

describe("planPartitions: Extended and Logical partitions in a GPT layout", () => {
  it("removes them from the layout; the partitions after them get their space", () => {
    const settings = layout("GPT", [
      primary("1000"),
      { Type: "Extended", Size: "4000" },
      { Type: "logical", FileSystem: "NTFS", Size: "2000", Bootable: "true" },
      { Type: "Primary", FileSystem: "NTFS", Size: "50", SizeUnits: "Percent" },
    ]);
    const plan = planPartitions({ ...settings, GPTBootDisk: "true" }, 10_000);
    expect(plan.partitions.map((p) => [p.kind, p.sizeMb])).toEqual([["EFI", 500], ["Primary", 1000], ["Primary", 4250]]);
    expect(plan.removed).toEqual([{ index: 1, kind: "Extended" }, { index: 2, kind: "Logical" }]);
  });
});

describe("Format and Partition Disk leaves the disk alone when the layout is impossible", () => {
  for (const [name, settings] of impossibleMbr) {
    it(`fails with 87 on ${name} and the Windows disk is unchanged`, async () => {
      const d = dellInPe();
      const before = await d.disks.listDisks();
      const r = await run(formatPartitionDiskHandler, { device: d, settings });
      expect(r.result.exitCode).toBe(87);
      expect(r.result.error?.code).toBe("InvalidSetting");
      expect(await d.disks.listDisks()).toEqual(before);
      expect(before[0]?.partitions.map((p) => p.type)).toEqual(["EFI", "MSR", "Primary", "Recovery"]);
    });
  }
});

describe("Format and Partition Disk with a GPT layout holding an Extended partition", () => {
  it("creates the layout without the Extended and Logical partitions and warns", async () => {
    const d = dellInPe();
    const settings = layout("GPT", [primary("1000", { VolumeLetterVariable: "OSDisk" }), { Type: "Extended" }, { Type: "Logical", FileSystem: "NTFS", Size: "500" }]);
    const r = await run(formatPartitionDiskHandler, { device: d, settings });
    expect(r.result.exitCode).toBe(0);
    expect(r.get("OSDisk")).toMatch(/^[C-W]:$/);
    const disk = (await d.disks.listDisks())[0];
    expect(disk?.partitionStyle).toBe("GPT");
    expect(disk?.partitions.map((p) => [p.type, p.sizeBytes])).toEqual([["Primary", 1000 * 1024 * 1024]]);
    expect(r.logs.filter((l) => l.startsWith("W "))).toEqual([
      "W Partitions1Type Extended is removed from the layout: Extended partitions need the MBR partition style.",
      "W Partitions2Type Logical is removed from the layout: Logical partitions need the MBR partition style.",
    ]);
  });
});
