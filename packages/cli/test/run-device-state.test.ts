import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createNodeIo, runCli } from "@taskseq/cli";
import { defaultDeviceProfile } from "@taskseq/device";
import { createGroup, createSequence, createStep, toCanonicalJson, type Item, type TaskSequence } from "@taskseq/model";

const work = mkdtempSync(join(tmpdir(), "taskseq-cli-device-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(args, createNodeIo({ cwd, stdout: (t) => void (out += t), stderr: (t) => void (err += t) }));
  return { code, out, err };
}

/** A folder holding `ts.json` (the items in a package with a boot image, so Windows PE restarts work). */
function folderWith(items: readonly Item[]): string {
  const dir = mkdtempSync(join(work, "run-"));
  const sequence: TaskSequence = { ...createSequence([createGroup("Main", items)]), package: { packageId: "TST00001", bootImageId: "TST00002", properties: {} } };
  writeFileSync(join(dir, "ts.json"), toCanonicalJson(sequence));
  return dir;
}

/**
 * On the default device (Windows PE, one blank disk): partition the disk, restart, then
 * pre-provision BitLocker on C:, which needs the volume the partition step created.
 */
const partitionThenRestart = [
  createStep("SMS_TaskSequence_PartitionDiskAction", { PartitionList: [{ Type: "Primary", FileSystem: "NTFS", Bootable: true, QuickFormat: true, SizeUnits: "Percent", Size: 100 }] }, { name: "Partition" }),
  createStep("SMS_TaskSequence_RebootAction", { Target: "WinPE" }, { name: "Restart" }),
  createStep("SMS_TaskSequence_OfflineEnableBitLockerAction", { SkipWhenTPMInvalid: false }, { name: "Pre-provision BitLocker" }),
];

describe("taskseq run / resume keep the simulated device in --state-dir", () => {
  it("resume continues on the device the first part changed, and ends as an uninterrupted run", async () => {
    const dir = folderWith(partitionThenRestart);
    const whole = await cli(["run", "ts.json", "--json"], dir);
    expect(whole.code).toBe(0);
    const first = await cli(["run", "ts.json", "--state-dir", "state", "--stop-at-restart", "--json"], dir);
    expect(first.code).toBe(3);
    const saved = JSON.parse(readFileSync(join(dir, "state", "device.json"), "utf8")) as { pendingRestart?: string; profile: { disks: { partitions?: { driveLetter?: string }[] }[] } };
    expect(saved.pendingRestart).toBe("WinPE");
    expect(saved.profile.disks[0]?.partitions?.map((p) => p.driveLetter)).toEqual(["C:"]);
    const second = await cli(["resume", "--state-dir", "state", "--json"], dir);
    expect(second.err).toBe("");
    expect(second.code).toBe(0);
    expect(second.out).toBe(whole.out);
    expect(existsSync(join(dir, "state", "device.json"))).toBe(false);
    expect(existsSync(join(dir, "state", "device.json.tmp"))).toBe(false);
  });

  it("resume makes the restart the device still owes (Windows PE to the installed OS)", async () => {
    const peWithOs = {
      ...defaultDeviceProfile,
      os: { ...defaultDeviceProfile.os, installed: { caption: "Windows 11 Enterprise", version: "10.0.22631.3447", drive: "C:" } },
      disks: [{ index: 0, sizeBytes: 136_365_211_648, busType: "SCSI", partitionStyle: "GPT", partitions: [{ type: "Primary", sizeBytes: 136_000_000_000, fileSystem: "NTFS", driveLetter: "C:" }] }],
    };
    const dir = folderWith([
      createStep("SMS_TaskSequence_RebootAction", { Target: "HD" }, { name: "To the OS" }),
      // Full OS only: fails with WrongEnvironment on a device still in Windows PE.
      createStep("SMS_TaskSequence_EnableBitLockerAction", { BdeTargetDriveLetter: "C:" }, { name: "Enable BitLocker" }),
    ]);
    writeFileSync(join(dir, "pc.json"), JSON.stringify(peWithOs));
    const whole = await cli(["run", "ts.json", "--device", "pc.json", "--json"], dir);
    expect(JSON.parse(whole.out)).toMatchObject({ status: "success", variables: { _SMSTSInWinPE: "false" } });
    expect((await cli(["run", "ts.json", "--device", "pc.json", "--state-dir", "state", "--stop-at-restart", "--json"], dir)).code).toBe(3);
    expect(JSON.parse(readFileSync(join(dir, "state", "device.json"), "utf8"))).toMatchObject({ pendingRestart: "HD", profile: { os: { running: "WinPE" } } });
    const second = await cli(["resume", "--state-dir", "state", "--json"], dir);
    expect(second.code).toBe(0);
    expect(second.out).toBe(whole.out);
  });

  it("resume --device continues on the given profile instead of the saved device", async () => {
    const dir = folderWith(partitionThenRestart);
    writeFileSync(join(dir, "blank.json"), JSON.stringify(defaultDeviceProfile));
    expect((await cli(["run", "ts.json", "--state-dir", "state", "--stop-at-restart"], dir)).code).toBe(3);
    const second = await cli(["resume", "--state-dir", "state", "--device", "blank.json", "--json"], dir);
    expect(second.code).toBe(1);
    const json = JSON.parse(second.out) as { steps: { name: string; outcome: string }[] };
    // The blank disk of the given profile has no C: to pre-provision.
    expect(json.steps.at(-1)).toMatchObject({ name: "Pre-provision BitLocker", outcome: "failed" });
    expect(existsSync(join(dir, "state", "device.json"))).toBe(false);
  });

  it("a corrupt or missing device.json is StateCorrupt (exit 2) unless --device is given", async () => {
    const dir = folderWith(partitionThenRestart);
    expect((await cli(["run", "ts.json", "--state-dir", "state", "--stop-at-restart"], dir)).code).toBe(3);
    const path = join(dir, "state", "device.json");
    const good = readFileSync(path, "utf8");
    for (const bad of ["{", "{}", '{"profile":{"name":1}}', JSON.stringify({ ...(JSON.parse(good) as object), pendingRestart: "BIOS" })]) {
      writeFileSync(path, bad);
      const r = await cli(["resume", "--state-dir", "state"], dir);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^taskseq: StateCorrupt: .*device\.json/);
      // Nothing was written over it.
      expect(readFileSync(path, "utf8")).toBe(bad);
    }
    rmSync(path);
    const missing = await cli(["resume", "--state-dir", "state"], dir);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/StateCorrupt/);
    writeFileSync(join(dir, "blank.json"), JSON.stringify(defaultDeviceProfile));
    expect((await cli(["resume", "--state-dir", "state", "--device", "blank.json"], dir)).code).toBe(1);
  });

  it("a run that is refused for another run's state leaves that run's device alone", async () => {
    const dir = folderWith(partitionThenRestart);
    expect((await cli(["run", "ts.json", "--state-dir", "state", "--stop-at-restart"], dir)).code).toBe(3);
    const before = readFileSync(join(dir, "state", "device.json"), "utf8");
    const again = await cli(["run", "ts.json", "--state-dir", "state", "--device", "nowhere.json"], dir);
    expect(again.code).toBe(2);
    const stale = await cli(["run", "ts.json", "--state-dir", "state"], dir);
    expect(stale.err).toMatch(/StaleState/);
    expect(readFileSync(join(dir, "state", "device.json"), "utf8")).toBe(before);
    expect((await cli(["resume", "--state-dir", "state"], dir)).code).toBe(0);
  });

  it("resume --help says that --device replaces the saved device", async () => {
    const help = await cli(["resume", "--help"], work);
    expect(help.out.replace(/\s+/g, " ")).toContain("--device <PROFILE> continue on this device profile (as it is after the restart) instead of the simulated device saved in --state-dir");
  });
});
