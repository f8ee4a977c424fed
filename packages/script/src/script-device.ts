/**
 * The device capabilities a script may reach through `__host`: WMI, registry and files read
 * synchronously, the process environment, and (with `writableFiles`) file writes and folder
 * creations that the run records for the embedder to apply.
 *
 * They mirror the `@taskseq/device` capabilities (same method names and value types) but answer
 * synchronously: the sandbox runs guest code synchronously (the release-sync QuickJS build), so a
 * host call must return at once. An embedder passes views that match these shapes: a device's
 * synchronous views (`FilesCapability.syncView`, `RegistryCapability.syncView`, with the access
 * options bound), in-memory data, or a preloaded snapshot.
 */
import type { FileStat, RegistryKeyListing, RegistryValue, WmiRow } from "@taskseq/device";
import { TaskSeqError } from "@taskseq/model";

/** WMI queries over a namespace such as `root\cimv2` (`@taskseq/device` `WmiCapability`, synchronous). */
export interface ScriptWmiAdapter {
  /** Runs a WQL query; throws a TaskSeqError (`WqlSyntax`, `WqlUnsupported`, ...) when it cannot. */
  query(namespace: string, wql: string): readonly WmiRow[];
}

/** Read access to the registry (`@taskseq/device` `RegistrySyncView` in one view). */
export interface ScriptRegistryAdapter {
  /** True when the key exists. */
  keyExists(keyPath: string): boolean;
  /** A value (empty name = the default value), or `undefined`. */
  readValue(keyPath: string, name: string): RegistryValue | undefined;
  /** Optional: the names of a key's subkeys and values, or `undefined` when the key does not exist. */
  listKey?(keyPath: string): RegistryKeyListing | undefined;
}

/** Read access to files and folders (`@taskseq/device` `FilesSyncView` with its access options bound). */
export interface ScriptFileAdapter {
  /** True if a file or folder exists. */
  exists(path: string): boolean;
  /** Metadata, or `undefined` when absent. */
  stat(path: string): FileStat | undefined;
  /** Names of the entries directly in a folder. */
  list(path: string): readonly string[];
  /**
   * Optional: a file's content as text (`__host.readFile`, `Get-Content`). The run reads only files
   * whose `stat` size fits its `limits.fileReadBytes`; without it reads fail with `AdapterMissing`.
   */
  readText?(path: string): string;
}

/**
 * The process environment of the device (`@taskseq/device` `OsCapability.environmentVariables`,
 * synchronous: the embedder reads it once before the run). Scripts read it as `$env:NAME`.
 */
export interface ScriptOsAdapter {
  /** The device's process environment variables (names case-insensitive, e.g. `windir`). */
  environmentVariables(): Readonly<Record<string, string>>;
}

/** Everything a script may reach on the device. A missing adapter makes its calls fail with `AdapterMissing`. */
export interface ScriptDevice {
  /** WMI. */
  readonly wmi?: ScriptWmiAdapter;
  /** Registry. */
  readonly registry?: ScriptRegistryAdapter;
  /** Files and folders (reads; they also see the script's own pending writes). */
  readonly files?: ScriptFileAdapter;
  /**
   * Optional: the script may write files and create folders (`__host.writeFile`/`appendFile`/
   * `createFolder`, `Set-Content`, `Add-Content`, `Out-File`, `>`/`>>`, `New-Item`). A device
   * adapter is asynchronous and the sandbox is not, so the run only records them (within
   * `limits.fileWrites` and `limits.fileWriteChars`) and returns them, in order, as `fileWrites` of
   * its result (or of its error's details); the embedder applies them with `applyScriptFileWrite`
   * through the device's `files` adapter. Set it only when you do. Without it a write fails with
   * `AdapterMissing`.
   */
  readonly writableFiles?: boolean;
  /** Optional: process environment variables (`$env:windir`); without it `$env:` reads are empty. */
  readonly os?: ScriptOsAdapter;
}

/** The `AdapterMissing` error of a device view the run lacks (`name`: `wmi`, `registry`, `files`, ...). */
export function adapterMissing(name: string): TaskSeqError {
  return new TaskSeqError("AdapterMissing", `The device has no ${name} adapter.`, { details: { adapter: name } });
}

/** `adapter`, or the {@link adapterMissing} error when the run lacks it. */
export function needAdapter<T>(adapter: T | undefined, name: string): T {
  if (adapter === undefined) throw adapterMissing(name);
  return adapter;
}
