import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isTaskSeqError } from "@taskseq/model";
import { createSimulatedDevice, deviceProfileSchema, parseDeviceProfile, validateDeviceProfile } from "@taskseq/device";

const examples = new URL("../../../examples/devices/", import.meta.url);
const files = readdirSync(fileURLToPath(examples)).filter((f) => f.endsWith(".json"));
const load = (file: string): string => readFileSync(new URL(file, examples), "utf8");

/** Classes real scripts read, as namespace + class. */
const classes: [string, string][] = [
  ["root\\cimv2", "Win32_ComputerSystem"],
  ["root\\cimv2", "Win32_ComputerSystemProduct"],
  ["root\\cimv2", "Win32_BIOS"],
  ["root\\cimv2", "Win32_SystemEnclosure"],
  ["root\\cimv2", "Win32_OperatingSystem"],
  ["root\\cimv2", "Win32_Processor"],
  ["root\\cimv2", "Win32_PhysicalMemory"],
  ["root\\cimv2", "Win32_DiskDrive"],
  ["root\\cimv2", "Win32_NetworkAdapterConfiguration"],
  ["root\\cimv2\\Security\\MicrosoftTpm", "Win32_Tpm"],
  ["root\\wmi", "MS_SystemInformation"],
  ["root\\Microsoft\\Windows\\Storage", "MSFT_Disk"],
];

describe("example device profiles", () => {
  it("has at least six", () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  it.each(files)("%s is valid and answers the WMI classes scripts read", async (file) => {
    expect(validateDeviceProfile(JSON.parse(load(file)))).toEqual([]);
    const device = createSimulatedDevice(load(file));
    for (const [ns, cls] of classes) expect((await device.wmi.query(ns, `SELECT * FROM ${cls}`)).length, cls).toBeGreaterThan(0);
    const facts = await device.hardware.facts();
    const battery = await device.wmi.query("root\\cimv2", "SELECT * FROM Win32_Battery");
    const [cs] = await device.wmi.query("root\\cimv2", "SELECT PCSystemType FROM Win32_ComputerSystem");
    const mobile = facts.chassisTypes.some((c) => [8, 9, 10, 14, 30, 31, 32].includes(c));
    expect(cs?.PCSystemType).toBe(mobile ? 2 : 1);
    expect(battery.length > 0).toBe(mobile);
    const os = await device.os.facts();
    const volumes = await device.wmi.query("root\\cimv2\\Security\\MicrosoftVolumeEncryption", "SELECT * FROM Win32_EncryptableVolume");
    const logical = await device.wmi.query("root\\cimv2", "SELECT * FROM Win32_LogicalDisk WHERE DriveType = 3");
    expect(logical.length).toBeGreaterThan(0);
    if (os.environment === "FullOS") expect(volumes.length).toBeGreaterThan(0);
  });

  it("covers UEFI laptops from Dell, HP and Lenovo, a BIOS desktop, a Hyper-V VM and an NVMe tablet", () => {
    const profiles = files.map((f) => parseDeviceProfile(load(f)));
    const laptop = (make: string) => profiles.some((p) => p.hardware.manufacturer.toUpperCase().startsWith(make) && p.firmware.type === "UEFI" && p.hardware.chassisTypes.includes(10) && p.power?.battery === true);
    expect(["DELL", "HP", "LENOVO"].every(laptop)).toBe(true);
    expect(profiles.some((p) => p.firmware.type === "BIOS" && p.hardware.chassisTypes.includes(3))).toBe(true);
    expect(profiles.some((p) => p.hardware.isVirtualMachine === true && p.hardware.model === "Virtual Machine")).toBe(true);
    expect(profiles.some((p) => p.hardware.chassisTypes.includes(9) && p.disks.some((d) => d.busType === "NVMe") && p.power?.battery === true)).toBe(true);
  });

  it("publishes the schema file that matches the TypeScript constant", () => {
    const file = JSON.parse(readFileSync(new URL("../profile-schema.json", import.meta.url), "utf8")) as unknown;
    expect(file).toEqual(JSON.parse(JSON.stringify(deviceProfileSchema)));
  });
});

describe("profile validation", () => {
  const base = JSON.parse(load("hyperv-gen2-vm.json")) as Record<string, unknown>;
  const issuesOf = (patch: Record<string, unknown>) => validateDeviceProfile({ ...base, ...patch });

  it.each([
    [{ disks: [{ index: 0, sizeBytes: 10, busType: "SATA", partitionStyle: "XYZ" }] }, "$.disks[0].partitionStyle"],
    [{ disks: [{ index: 0, sizeBytes: 0, busType: "SATA", partitionStyle: "RAW" }] }, "$.disks[0].sizeBytes"],
    [{ disks: [{ index: 0, busType: "SATA", partitionStyle: "RAW" }] }, "$.disks[0].sizeBytes"],
    [{ disks: [{ index: 0, sizeBytes: 10, busType: "SATA", partitionStyle: "GPT", partitions: [{ type: "Primary", sizeBytes: 20 }] }] }, "$.disks[0].partitions"],
    [{ disks: [{ index: 0, sizeBytes: 100, busType: "SATA", partitionStyle: "MBR", partitions: [{ type: "EFI", sizeBytes: 20 }] }] }, "$.disks[0].partitions[0].type"],
    [{ bogus: 1 }, "$.bogus"],
    [{ commands: [{ match: "(" }] }, "$.commands[0].match"],
    [{ files: { "relative\\x.txt": {} } }, '$.files["relative\\\\x.txt"]'],
    [{ registry: { "HKXX\\Software": {} } }, '$.registry["HKXX\\\\Software"]'],
    [{ os: { running: "FullOS" } }, "$.os.installed"],
    [{ hardware: { ...(base.hardware as object), uuid: "nope" } }, "$.hardware.uuid"],
    [{ content: { applications: [{ name: "a", dependencies: ["b"] }] } }, "$.content.applications[0].dependencies[0]"],
    [{ content: { applications: [{ name: "a", requirements: [{ query: "SELECT FROM" }] }] } }, "$.content.applications[0].requirements[0].query"],
    [{ faults: { powerLoss: [{ path: "a.b" }] } }, "$.faults.powerLoss[0].path"],
    [{ stateStores: { "\\\\SMP01\\S$\\1": { type: "move" } } }, '$.stateStores["\\\\\\\\SMP01\\\\S$\\\\1"].type'],
    [{ stateStores: { "\\\\SMP01\\S$\\1": { captured: true } } }, '$.stateStores["\\\\\\\\SMP01\\\\S$\\\\1"].type'],
    [{ stateStores: { "\\\\SMP01\\S$\\1": { type: "capture", released: "yes" } } }, '$.stateStores["\\\\\\\\SMP01\\\\S$\\\\1"].released'],
    [{ stateStores: { "\\\\SMP01\\S$\\1": { type: "capture", owner: "x" } } }, '$.stateStores["\\\\\\\\SMP01\\\\S$\\\\1"].owner'],
    [{ stateStores: { "\\\\SMP01\\S$\\1": { type: "restore" } } }, '$.stateStores["\\\\\\\\SMP01\\\\S$\\\\1"].captured'],
    [{ stateStores: { "UserState": { type: "capture" } } }, '$.stateStores.UserState'],
    [{ stateStores: [] }, "$.stateStores"],
  ])("reports %j at %s", (patch, path) => {
    expect(issuesOf(patch).map((i) => i.path)).toContain(path);
  });

  it("reports every missing section, not only the first", () => {
    expect(validateDeviceProfile({}).map((i) => i.path)).toEqual(["$.hardware", "$.firmware", "$.os", "$.disks"]);
    expect(validateDeviceProfile(42)).toEqual([{ path: "$", message: "Expected object, found integer" }]);
  });

  it("throws ProfileInvalid for malformed JSON text", () => {
    expect(() => parseDeviceProfile("{")).toThrow(expect.objectContaining({ code: "ProfileInvalid", position: { path: "$" } }));
  });
});

describe("hostile profiles", () => {
  const dell = JSON.parse(load("dell-latitude-5440.json")) as Record<string, unknown>;

  /** Every JSON path (as key lists) of a value. */
  function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
    if (value === null || typeof value !== "object") return [prefix];
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
  }
  const all = paths(dell).filter((p) => p.length > 0);

  function setAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
    const copy = structuredClone(root) as Record<string | number, unknown>;
    let node = copy;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    node[path.at(-1) as string | number] = value;
    return copy;
  }

  it("either load or fail with ProfileInvalid, and then answer queries with typed errors only", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...all), fc.jsonValue({ maxDepth: 2 }), async (path, value) => {
        const profile = setAt(dell, path, value);
        let device;
        try {
          device = createSimulatedDevice(profile as never);
        } catch (e) {
          expect(isTaskSeqError(e, "ProfileInvalid")).toBe(true);
          return;
        }
        await device.os.facts();
        await device.wmi.query("root\\cimv2", "SELECT * FROM Win32_LogicalDisk");
        await device.files.exists("C:\\Windows\\System32\\notepad.exe");
        device.snapshot();
      }),
      { numRuns: 300 },
    );
  });
});

describe("corpus WMI conditions on the example devices", () => {
  const corpus = new URL("../../../../shared/corpus/", import.meta.url);
  const queries = readdirSync(fileURLToPath(corpus)).flatMap((file) =>
    [...readFileSync(new URL(file, corpus), "utf8").matchAll(/<variable name="Query">([^<]*)<\/variable>/g)].map((m) => (m[1] as string).replace(/&quot;/g, '"')),
  );
  const matching: Record<string, string[]> = {
    "%Virtual Machine%": files.filter((f) => !f.startsWith("hyperv")),
    "%Microsoft%": ["hyperv-gen2-vm.json", "microsoft-surface-pro-9.json"],
    "%Hewlett-Packard%": [],
    "%HP%": ["hp-elitebook-840-g10.json"],
    "%DELL%": ["dell-latitude-5440.json", "dell-optiplex-7010-bios.json"],
    "%S45%": [],
  };

  it.each(queries)("%s", async (query) => {
    const key = Object.keys(matching).find((k) => query.includes(`"${k}"`)) as string;
    const selected: string[] = [];
    for (const file of files) {
      const rows = await createSimulatedDevice(load(file)).wmi.query("root\\cimv2", query);
      if (rows.length > 0) selected.push(file);
    }
    expect(selected.sort()).toEqual([...(matching[key] ?? ["?"])].sort());
  });
});
