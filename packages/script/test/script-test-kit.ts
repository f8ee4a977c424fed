/**
 * Shared fixtures of the script tests: one runner per test file, environments from
 * `@taskseq/environment`, an in-memory synchronous device, and the real corpus.
 */
import { readFileSync } from "node:fs";
import { compileWql } from "@taskseq/device";
import type { FileStat, RegistryValue, WmiRow } from "@taskseq/device";
import { createEnvironment } from "@taskseq/environment";
import type { CreatedEnvironment } from "@taskseq/environment";
import type { ScriptDevice } from "@taskseq/script";

/** The shared corpus folder. */
export const corpus = new URL("../../../../shared/corpus/", import.meta.url);

/** Reads a corpus file as text. */
export function readCorpus(name: string): string {
  return readFileSync(new URL(name, corpus), "utf8");
}

/** Every `<variable name="N" ...>value</variable>` of a corpus file, as written. */
export function corpusVariables(name: string): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const m of readCorpus(name).matchAll(/<variable name="([^"]+)"[^>]*>([^<]*)<\/variable>/g)) {
    out.push({ name: m[1] ?? "", value: m[2] ?? "" });
  }
  return out;
}

/** An environment with the usual engine-owned variables. */
export function testEnvironment(): CreatedEnvironment {
  const created = createEnvironment();
  created.engine.set("_SMSTSLogPath", "C:\\Windows\\CCM\\Logs\\SMSTSLog");
  created.engine.set("_SMSTSPackageName", "Windows 11 Deploy");
  created.engine.set("_SMSTSOrgName", "Contoso IT");
  return created;
}

/** What {@link testDevice} simulates. */
export interface TestDeviceData {
  /** Rows per `namespace:Class` (namespace lower-case) or per class of `root\cimv2`. */
  readonly wmi?: Readonly<Record<string, readonly WmiRow[]>>;
  /** Values per key path (upper-cased lookup) and value name. */
  readonly registry?: Readonly<Record<string, Readonly<Record<string, RegistryValue>>>>;
  /** Files (path → size) and folders (paths ending in `\`). */
  readonly files?: Readonly<Record<string, number>>;
}

/** A synchronous in-memory device over `data` (WQL evaluated with `@taskseq/device`). */
export function testDevice(data: TestDeviceData): ScriptDevice {
  const classRows = (namespace: string, className: string): readonly WmiRow[] => {
    const ns = namespace.toLowerCase();
    const key = Object.keys(data.wmi ?? {}).find((k) => {
      const [n, c] = k.includes(":") ? k.split(":") : ["root\\cimv2", k];
      return n?.toLowerCase() === ns && c?.toLowerCase() === className.toLowerCase();
    });
    return key === undefined ? [] : (data.wmi?.[key] ?? []);
  };
  const registry = new Map(Object.entries(data.registry ?? {}).map(([k, v]) => [k.toUpperCase(), v]));
  const files = new Map(Object.entries(data.files ?? {}).map(([k, v]) => [k.toUpperCase().replace(/\\$/, ""), { folder: k.endsWith("\\"), size: v }]));
  const stat = (path: string): FileStat | undefined => {
    const entry = files.get(path.toUpperCase());
    if (entry === undefined) return undefined;
    return { kind: entry.folder ? "folder" : "file", sizeBytes: entry.size, modifiedUtc: 1_700_000_000_000, createdUtc: 1_600_000_000_000, ...(entry.folder ? {} : { version: "10.0.1.0" }) };
  };
  return {
    wmi: {
      query(namespace, wql) {
        const compiled = compileWql(wql);
        return compiled.run(classRows(namespace, compiled.query.className));
      },
    },
    registry: {
      keyExists: (keyPath) => registry.has(keyPath.toUpperCase()),
      readValue: (keyPath, name) => registry.get(keyPath.toUpperCase())?.[name],
      listKey(keyPath) {
        const values = registry.get(keyPath.toUpperCase());
        if (values === undefined) return undefined;
        const prefix = `${keyPath.toUpperCase()}\\`;
        const subkeys = [...registry.keys()].filter((k) => k.startsWith(prefix) && !k.slice(prefix.length).includes("\\")).map((k) => k.slice(prefix.length));
        return { subkeys, values: Object.keys(values) };
      },
    },
    files: {
      exists: (path) => stat(path) !== undefined,
      stat,
      list(path) {
        const prefix = `${path.toUpperCase().replace(/\\$/, "")}\\`;
        return Object.keys(data.files ?? {})
          .map((k) => k.replace(/\\$/, ""))
          .filter((k) => k.toUpperCase().startsWith(prefix) && !k.slice(prefix.length).includes("\\"))
          .map((k) => k.slice(prefix.length));
      },
    },
  };
}
