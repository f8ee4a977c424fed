/**
 * Shared fixtures of the PowerShell-style tests: one sandbox runner with the PowerShell compiler,
 * and a helper that runs a script against an environment and a device.
 */
import { readFileSync } from "node:fs";
import { compileWql, createSimulatedDevice, registryValueFromProfile } from "@taskseq/device";
import type { DeviceProfile, FileStat, WmiRow } from "@taskseq/device";
import { compilePowerShellForRunner, createScriptRunner } from "@taskseq/script";
import type { ScriptDevice, ScriptLimits, ScriptRunResult } from "@taskseq/script";
import type { CreatedEnvironment } from "@taskseq/environment";
import type { TaskSeqError } from "@taskseq/model";

/** Options of {@link PsKit.run}. */
export interface PsRunOptions {
  readonly env?: CreatedEnvironment;
  readonly device?: ScriptDevice;
  readonly limits?: ScriptLimits;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly arguments?: string;
  readonly startTime?: number;
}

/** A runner for one test file. */
export interface PsKit extends Disposable {
  /** Runs a script; the result or the typed error. */
  run(source: string, options?: PsRunOptions): Promise<{ value?: ScriptRunResult; error?: TaskSeqError }>;
  /** Runs a script that must succeed; returns its result. */
  ok(source: string, options?: PsRunOptions): Promise<ScriptRunResult>;
  /** Runs a script that must succeed; returns its output lines. */
  lines(source: string, options?: PsRunOptions): Promise<string[]>;
}

/** Creates the runner of a test file (dispose it in `afterAll`). */
export function createPsKit(memoryCeilingBytes = 64 * 1024 * 1024): PsKit {
  const runner = createScriptRunner({ compilePowerShell: compilePowerShellForRunner, memoryCeilingBytes });
  const run: PsKit["run"] = (source, options = {}) =>
    runner.run({
      language: "powershell",
      source,
      ...(options.env === undefined ? {} : { environment: options.env.env }),
      ...(options.device === undefined ? {} : { device: options.device }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(options.parameters === undefined ? {} : { parameters: options.parameters }),
      ...(options.arguments === undefined ? {} : { arguments: options.arguments }),
      startTime: options.startTime ?? Date.UTC(2026, 10, 21, 9, 30, 0),
    });
  const ok: PsKit["ok"] = async (source, options) => {
    const r = await run(source, options);
    if (r.error !== undefined) throw new Error(`${r.error.code}: ${r.error.message}\n${JSON.stringify(r.error.details?.["output"] ?? [])}`);
    if (r.value === undefined) throw new Error("no result");
    return r.value;
  };
  return {
    run,
    ok,
    async lines(source, options) {
      const r = await ok(source, options);
      const errors = r.records.filter((x) => x.stream === "error");
      if (errors.length > 0) throw new Error(`error stream: ${errors.map((e) => e.text).join(" | ")}`);
      return r.records.filter((x) => x.stream === "output").map((x) => x.text);
    },
    [Symbol.dispose]() {
      runner[Symbol.dispose]();
    },
  };
}

/** The WMI classes preloaded from a simulated device (namespace, class). */
const PRELOADED_CLASSES: readonly (readonly [string, string])[] = [
  ...["Win32_ComputerSystem", "Win32_ComputerSystemProduct", "Win32_BaseBoard", "Win32_BIOS", "Win32_SystemEnclosure", "Win32_OperatingSystem", "Win32_Processor",
    "Win32_PhysicalMemory", "Win32_DiskDrive", "Win32_LogicalDisk", "Win32_NetworkAdapterConfiguration", "Win32_NetworkAdapter", "Win32_Battery", "Win32_Product"].map((c) => ["root\\cimv2", c] as const),
  ["root\\wmi", "MS_SystemInformation"],
  ["root\\Microsoft\\Windows\\Storage", "MSFT_Disk"],
  ["root\\cimv2\\Security\\MicrosoftTpm", "Win32_Tpm"],
  ["root\\cimv2\\Security\\MicrosoftVolumeEncryption", "Win32_EncryptableVolume"],
];


const normKey = (key: string): string => key.toUpperCase().replace(/^HKLM\\/, "HKEY_LOCAL_MACHINE\\").replace(/\\+$/, "");

/**
 * A synchronous script view of a simulated device built from a device profile (the way an
 * embedder preloads a snapshot, script-device.ts): WMI rows of the common classes are read once
 * through the device's own WQL, registry and files come from its snapshot.
 */
export async function scriptDeviceOf(profile: DeviceProfile): Promise<ScriptDevice> {
  const device = createSimulatedDevice(profile);
  const rows = new Map<string, readonly WmiRow[]>();
  for (const [ns, cls] of PRELOADED_CLASSES) rows.set(`${ns}:${cls}`.toUpperCase(), await device.wmi.query(ns, `SELECT * FROM ${cls}`));
  const snap = device.snapshot();
  const registry = new Map(Object.entries(snap.registry ?? {}).map(([k, values]) => [normKey(k), { path: k, values }]));
  const files = new Map<string, { path: string; stat: FileStat }>();
  const addFolder = (path: string): void => {
    const key = path.toUpperCase();
    if (files.has(key) || /^[A-Z]:$/i.test(path)) return;
    files.set(key, { path, stat: { kind: "folder", sizeBytes: 0, modifiedUtc: 0, createdUtc: 0 } });
  };
  for (const [path, f] of Object.entries(snap.files ?? {})) {
    const parts = path.split("\\");
    for (let i = 2; i < parts.length; i++) addFolder(parts.slice(0, i).join("\\"));
    const modifiedUtc = f.modified === undefined ? 0 : Date.parse(f.modified);
    const stat: FileStat = f.folder === true
      ? { kind: "folder", sizeBytes: 0, modifiedUtc, createdUtc: 0 }
      : { kind: "file", sizeBytes: f.sizeBytes ?? f.content?.length ?? 0, modifiedUtc, createdUtc: 0, ...(f.version === undefined ? {} : { version: f.version }) };
    files.set(path.toUpperCase(), { path, stat });
  }
  return {
    wmi: {
      query(namespace, wql) {
        const compiled = compileWql(wql);
        const key = `${namespace.replace(/\//g, "\\")}:${compiled.query.className}`.toUpperCase();
        return compiled.run(rows.get(key) ?? []);
      },
    },
    registry: {
      keyExists: (keyPath) => registry.has(normKey(keyPath)) || [...registry.keys()].some((k) => k.startsWith(`${normKey(keyPath)}\\`)),
      readValue(keyPath, name) {
        const key = registry.get(normKey(keyPath));
        const entry = key === undefined ? undefined : Object.entries(key.values).find(([n]) => n.toUpperCase() === name.toUpperCase());
        return entry === undefined ? undefined : registryValueFromProfile(entry[1]);
      },
      listKey(keyPath) {
        const k = normKey(keyPath);
        const key = registry.get(k);
        const prefix = `${k}\\`;
        const subkeys = new Set<string>();
        for (const [other, entry] of registry) if (other.startsWith(prefix)) subkeys.add(entry.path.split("\\")[k.split("\\").length] ?? "");
        if (key === undefined && subkeys.size === 0) return undefined;
        return { subkeys: [...subkeys], values: Object.keys(key?.values ?? {}) };
      },
    },
    files: {
      exists: (path) => files.has(path.toUpperCase().replace(/\\$/, "")),
      stat: (path) => files.get(path.toUpperCase().replace(/\\$/, ""))?.stat,
      list(path) {
        const prefix = `${path.toUpperCase().replace(/\\$/, "")}\\`;
        return [...files.values()].filter((f) => f.path.toUpperCase().startsWith(prefix) && !f.path.slice(prefix.length).includes("\\")).map((f) => f.path.slice(prefix.length));
      },
    },
  };
}

/** The example device profiles (examples/devices). */
export const devicesFolder = new URL("../../../examples/devices/", import.meta.url);

/** Reads one example device profile by file name (without `.json`). */
export function exampleDevice(name: string): DeviceProfile {
  return JSON.parse(readFileSync(new URL(`${name}.json`, devicesFolder), "utf8")) as DeviceProfile;
}
