import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isTaskSeqError } from "@taskseq/model";
import { createSimulatedDevice, defaultDeviceProfile, type SimulatedDevice } from "@taskseq/device";

const GB = 1_073_741_824;
const profile = {
  ...defaultDeviceProfile,
  content: {
    images: [{ id: "IMG", name: "Windows", sizeBytes: 4 * GB, indexes: [{ index: 1, caption: "Microsoft Windows 11 Pro", version: "10.0.22631.1" }] }],
    packages: [{ id: "PKG", name: "Tools", sizeBytes: 10 * GB, programs: [{ name: "Install", commandLine: "cmd /c exit 3" }] }],
  },
};

type Op = (d: SimulatedDevice) => Promise<unknown>;
const disk = fc.integer({ min: -1, max: 2 });
const part = fc.integer({ min: 0, max: 5 });
const letter = fc.constantFrom("C:", "D:", "X:", "Z:", "c", "");
const op: fc.Arbitrary<Op> = fc.oneof(
  disk.map((i) => (d: SimulatedDevice) => d.disks.clean(i)),
  fc.tuple(disk, fc.constantFrom("MBR" as const, "GPT" as const)).map(([i, s]) => (d: SimulatedDevice) => d.disks.setPartitionStyle(i, s)),
  fc
    .tuple(disk, fc.constantFrom("Primary" as const, "EFI" as const, "MSR" as const, "Extended" as const, "Recovery" as const), fc.option(fc.integer({ min: -5, max: 200 })))
    .map(([i, type, gb]) => (d: SimulatedDevice) => d.disks.createPartition(i, gb === null ? { type } : { type, sizeBytes: gb * GB })),
  fc.tuple(disk, part, fc.constantFrom("NTFS" as const, "FAT32" as const)).map(([i, n, fs]) => (d: SimulatedDevice) => d.disks.format(i, n, { fileSystem: fs })),
  fc.tuple(disk, part, fc.option(letter)).map(([i, n, l]) => (d: SimulatedDevice) => d.disks.assignDriveLetter(i, n, l ?? undefined)),
  fc.tuple(letter, fc.integer({ min: 0, max: 2 })).map(([l, index]) => (d: SimulatedDevice) => d.image.applyImage({ imageId: "IMG", index, targetVolume: l })),
  fc.constantFrom("HD" as const, "WinPE" as const).map((t) => (d: SimulatedDevice) => d.reboot.restart(t)),
  fc.constantFrom("PKG", "IMG", "NONE").map((id) => (d: SimulatedDevice) => d.content.download({ id })),
  letter.map((l) => (d: SimulatedDevice) => d.files.write(`${l}\\f\\x.txt`, "data")),
  letter.map((l) => (d: SimulatedDevice) => d.bitlocker.enable({ volume: l, protector: "TPM" })),
  fc.constant((d: SimulatedDevice) => d.setup.setupWindowsAndClient({})),
  fc.constant((d: SimulatedDevice) => d.packages.runProgram("PKG", "Install")),
);

describe("simulated device under random operation sequences", () => {
  it("only ever fails with typed errors and keeps queries and snapshots working", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        const device = createSimulatedDevice(profile);
        for (const run of ops) {
          try {
            await run(device);
          } catch (e) {
            expect(isTaskSeqError(e), String(e)).toBe(true);
          }
          const disks = await device.disks.listDisks();
          for (const d of disks) expect(d.partitions.reduce((s, p) => s + p.sizeBytes, 0)).toBeLessThanOrEqual(d.sizeBytes);
          await device.wmi.query("root\\cimv2", "SELECT * FROM Win32_LogicalDisk WHERE FreeSpace >= 0");
        }
        const again = createSimulatedDevice(device.snapshot());
        expect(await again.disks.listDisks()).toEqual(await device.disks.listDisks());
        expect(await again.os.facts()).toEqual(await device.os.facts());
      }),
      { numRuns: 150 },
    );
  });
});
