import { TaskSeqError } from "@taskseq/model";
import type { ProfilePartition } from "../profile/profile-types.js";
import { decodeFileText } from "../file-text.js";
import type {
  DiskInfo,
  DisksCapability,
  FileAccessOptions,
  FilesCapability,
  FilesSyncView,
  PartitionInfo,
  RegistryCapability,
  RegistrySyncView,
  RegistryValue,
  RegistryView,
  VolumeInfo,
} from "../types.js";
import { osFacts } from "./sim-facts.js";
import {
  allPartitions,
  cleanPath,
  ensureFolder,
  failed,
  freeBytes,
  installedOs,
  normPath,
  putFile,
  record,
  rootExists,
  rootOf,
  wipeRoot,
  type FileNode,
  type Mutable,
  type SimState,
} from "./sim-state.js";

const alignmentBytes = 1_048_576;

function disk(state: SimState, index: number) {
  const d = state.profile.disks.find((x) => x.index === index);
  if (d === undefined) throw new TaskSeqError("InvalidSetting", `Disk ${index} does not exist.`, { details: { diskIndex: index } });
  return d;
}

function unallocated(d: { sizeBytes: number; partitions?: { sizeBytes: number }[] }): number {
  const used = (d.partitions ?? []).reduce((sum, p) => sum + p.sizeBytes, 0);
  return Math.max(0, d.sizeBytes - used - (used === 0 && d.sizeBytes > alignmentBytes ? alignmentBytes : 0));
}

function partitionInfo(diskIndex: number, number: number, p: Mutable<ProfilePartition>): PartitionInfo {
  return {
    diskIndex,
    number,
    type: p.type,
    sizeBytes: p.sizeBytes,
    active: p.active ?? false,
    ...(p.fileSystem === undefined ? {} : { fileSystem: p.fileSystem }),
    ...(p.label === undefined ? {} : { label: p.label }),
    ...(p.driveLetter === undefined ? {} : { driveLetter: p.driveLetter.toUpperCase() }),
  };
}

function volumeInfo(state: SimState, diskIndex: number, number: number, p: Mutable<ProfilePartition>): VolumeInfo {
  const letter = p.driveLetter?.toUpperCase();
  return {
    ...(letter === undefined ? {} : { driveLetter: letter }),
    diskIndex,
    partitionNumber: number,
    fileSystem: p.fileSystem ?? "NTFS",
    label: p.label ?? "",
    sizeBytes: p.sizeBytes,
    freeBytes: letter === undefined ? p.sizeBytes - (p.usedBytes ?? 0) : freeBytes(state, letter),
    bitLocker: p.bitLocker ?? "FullyDecrypted",
    osInstalled: letter !== undefined && installedOs(state)?.drive.toUpperCase() === letter,
    partitionType: p.type,
  };
}

function usedLetters(state: SimState): Set<string> {
  const used = new Set(allPartitions(state).flatMap((r) => (r.partition.driveLetter === undefined ? [] : [r.partition.driveLetter.toUpperCase()])));
  if (state.profile.os.running === "WinPE") used.add("X:");
  for (const letter of state.mappedDrives.keys()) used.add(letter);
  return used;
}

/** The next free drive letter from C: (as Windows PE assigns them). */
export function nextFreeLetter(state: SimState): string {
  const used = usedLetters(state);
  for (let c = 67; c <= 90; c++) {
    const letter = `${String.fromCharCode(c)}:`;
    if (!used.has(letter)) return letter;
  }
  throw failed("No drive letter is free.");
}

/** The `disks` capability. */
export function createSimDisks(state: SimState): DisksCapability {
  const partitionOf = (diskIndex: number, number: number) => {
    const p = disk(state, diskIndex).partitions?.[number - 1];
    if (p === undefined) throw new TaskSeqError("InvalidSetting", `Disk ${diskIndex} has no partition ${number}.`);
    return p;
  };
  return {
    listDisks: async () =>
      [...state.profile.disks]
        .sort((a, b) => a.index - b.index)
        .map(
          (d): DiskInfo => ({
            index: d.index,
            model: d.model ?? "",
            sizeBytes: d.sizeBytes,
            busType: d.busType,
            partitionStyle: d.partitionStyle,
            dynamic: d.dynamic ?? false,
            unallocatedBytes: unallocated(d),
            partitions: (d.partitions ?? []).map((p, i) => partitionInfo(d.index, i + 1, p)),
          }),
        ),
    clean: async (diskIndex) => {
      const d = disk(state, diskIndex);
      for (const p of d.partitions ?? []) if (p.driveLetter !== undefined) wipeRoot(state, p.driveLetter.toUpperCase());
      d.partitions = [];
      d.partitionStyle = "RAW";
      d.dynamic = false;
      record(state, "disk", `clean disk ${diskIndex}`);
    },
    setPartitionStyle: async (diskIndex, style) => {
      const d = disk(state, diskIndex);
      if ((d.partitions ?? []).length > 0) throw failed(`Disk ${diskIndex} must be clean before its partition style changes.`);
      d.partitionStyle = style;
      record(state, "disk", `disk ${diskIndex} style ${style}`);
    },
    createPartition: async (diskIndex, request) => {
      const d = disk(state, diskIndex);
      if (d.partitionStyle === "RAW") throw failed(`Disk ${diskIndex} is not initialised (set a partition style first).`);
      if (d.partitionStyle === "MBR" && (request.type === "EFI" || request.type === "MSR")) throw new TaskSeqError("InvalidSetting", `${request.type} partitions need a GPT disk.`);
      if (d.partitionStyle === "GPT" && (request.type === "Extended" || request.type === "Logical")) throw new TaskSeqError("InvalidSetting", `${request.type} partitions need an MBR disk.`);
      const free = unallocated(d);
      const size = request.sizeBytes ?? free;
      if (size <= 0 || size > free) {
        throw new TaskSeqError("InvalidSetting", `Disk ${diskIndex} has ${free} bytes free; the partition needs ${size}.`, { details: { diskIndex, freeBytes: free, requestedBytes: size } });
      }
      const p: Mutable<ProfilePartition> = { type: request.type, sizeBytes: size, ...(request.active === true ? { active: true } : {}) };
      d.partitions = [...(d.partitions ?? []), p];
      record(state, "disk", `create ${request.type} partition of ${size} bytes on disk ${diskIndex}`);
      return partitionInfo(diskIndex, d.partitions.length, p);
    },
    format: async (diskIndex, number, request) => {
      const p = partitionOf(diskIndex, number);
      if (p.type === "MSR" || p.type === "Extended") throw new TaskSeqError("InvalidSetting", `A ${p.type} partition cannot be formatted.`);
      if (request.fileSystem === "FAT32" && p.sizeBytes > 2_199_023_255_552) throw new TaskSeqError("InvalidSetting", "FAT32 volumes are limited to 2 TB.");
      if (p.driveLetter !== undefined) wipeRoot(state, p.driveLetter.toUpperCase());
      p.fileSystem = request.fileSystem;
      p.label = request.label ?? "";
      p.usedBytes = 0;
      p.bitLocker = "FullyDecrypted";
      record(state, "disk", `format disk ${diskIndex} partition ${number} ${request.fileSystem}`);
      // Formatting takes simulated time: quick formats are near-instant, full ones scale with size.
      state.elapsedMs += request.quick === false ? Math.ceil(p.sizeBytes / 200_000) : 2_000;
      return volumeInfo(state, diskIndex, number, p);
    },
    assignDriveLetter: async (diskIndex, number, letter) => {
      const p = partitionOf(diskIndex, number);
      const chosen = letter === undefined ? nextFreeLetter(state) : `${letter.replace(/:$/, "").toUpperCase()}:`;
      if (!/^[A-Z]:$/.test(chosen)) throw new TaskSeqError("InvalidSetting", `'${letter ?? ""}' is not a drive letter.`);
      if (p.driveLetter?.toUpperCase() !== chosen && usedLetters(state).has(chosen)) throw failed(`Drive letter ${chosen} is in use.`);
      p.driveLetter = chosen;
      record(state, "disk", `assign ${chosen} to disk ${diskIndex} partition ${number}`);
      return chosen;
    },
    listVolumes: async () =>
      allPartitions(state)
        .filter((r) => r.partition.fileSystem !== undefined)
        .map((r) => volumeInfo(state, r.disk.index, r.number, r.partition)),
    convertToDynamic: async (diskIndex) => {
      disk(state, diskIndex).dynamic = true;
      record(state, "disk", `convert disk ${diskIndex} to dynamic`);
    },
  };
}

/**
 * True when the running OS has a WOW64 subsystem: a 64-bit full OS. Windows PE x64 ships without
 * WOW64 (no `SysWOW64`, no `WOW6432Node`; the x64 boot image runs a 64-bit engine), so there, as
 * on a 32-bit OS, the 32- and 64-bit views are the same (conditions.md §4.6.4). Files, folders and
 * the registry all use this one rule.
 */
function hasWow64(state: SimState): boolean {
  const os = osFacts(state);
  return os.environment === "FullOS" && os.architecture === "64";
}

/** Resolve WOW64 redirection for a path on the running OS. */
function redirect(state: SimState, original: string, options?: FileAccessOptions): string {
  const path = cleanPath(original);
  if (!hasWow64(state) || options?.disableWow64Redirection === true) return path;
  const windows = `${osFacts(state).systemDrive}\\Windows\\`.toUpperCase();
  const upper = normPath(path);
  if (upper.startsWith(`${windows}SYSTEM32`) && (upper.length === windows.length + 8 || upper[windows.length + 8] === "\\")) {
    return `${path.slice(0, windows.length)}SysWOW64${path.slice(windows.length + 8)}`;
  }
  if (upper.startsWith(`${windows}SYSNATIVE`)) return `${path.slice(0, windows.length)}System32${path.slice(windows.length + 9)}`;
  return path;
}

function requireRoot(state: SimState, path: string): string {
  const root = rootOf(path);
  if (root === undefined) throw new TaskSeqError("InvalidArgument", `'${path}' is not a full path.`);
  if (!rootExists(state, root)) throw failed(`The volume of '${path}' does not exist.`, { path });
  return root;
}

const encoder = new TextEncoder();

/** The file or folder at a path (WOW64 redirection applied), a volume root as a folder, or `undefined`. */
function lookup(state: SimState, path: string, options?: FileAccessOptions): FileNode | undefined {
  const real = redirect(state, path, options);
  const root = rootOf(real);
  if (root === undefined || !rootExists(state, root)) return undefined;
  const key = normPath(real);
  if (key === `${root}\\`) return { path: real, folder: true, sizeBytes: 0, modifiedUtc: state.clockStart, createdUtc: state.clockStart };
  return state.files.get(key);
}

/** The entries of the simulated file system under a normalised prefix (`C:\\DATA\\`). */
function childrenOf(state: SimState, prefix: string): [string, FileNode][] {
  return [...state.files.entries()].filter(([k]) => k.startsWith(prefix));
}

/** A file's content, or `NotFound` when the path is absent or a folder. */
function fileData(state: SimState, path: string, options?: FileAccessOptions): Uint8Array {
  const node = lookup(state, path, options);
  if (node === undefined || node.folder) throw new TaskSeqError("NotFound", `File '${path}' does not exist.`, { details: { path } });
  return node.data ?? new Uint8Array(0);
}

/**
 * The reads of the simulated volumes, synchronous: the `files` capability's reads and its
 * `syncView` both answer from here, so a script sees the device as it is at the moment of the call.
 */
function createSimFileReads(state: SimState): FilesSyncView {
  return {
    exists: (path, options) => lookup(state, path, options) !== undefined,
    stat: (path, options) => {
      const n = lookup(state, path, options);
      if (n === undefined) return undefined;
      return { kind: n.folder ? "folder" : "file", sizeBytes: n.sizeBytes, modifiedUtc: n.modifiedUtc, createdUtc: n.createdUtc, ...(n.version === undefined ? {} : { version: n.version }) };
    },
    list: (path, options) => {
      const n = lookup(state, path, options);
      if (n === undefined || !n.folder) throw new TaskSeqError("NotFound", `Folder '${path}' does not exist.`, { details: { path } });
      const key = normPath(redirect(state, path, options)).replace(/\\$/, "");
      const depth = key.split("\\").length + 1;
      return childrenOf(state, `${key}\\`)
        .filter(([k]) => k.split("\\").length === depth)
        .map(([, node]) => node.path.slice(node.path.lastIndexOf("\\") + 1));
    },
    readText: (path, options) => decodeFileText(fileData(state, path, options)),
  };
}

/** The `files` capability over the simulated volumes, with their synchronous view (`syncView`). */
export function createSimFiles(state: SimState): FilesCapability & { syncView(): FilesSyncView } {
  const reads = createSimFileReads(state);
  const files: FilesCapability & { syncView(): FilesSyncView } = {
    exists: async (path, options) => reads.exists(path, options),
    stat: async (path, options) => reads.stat(path, options),
    read: async (path, options) => fileData(state, path, options),
    readText: async (path, options) => reads.readText(path, options),
    write: async (path, data, options) => {
      const real = redirect(state, path, options);
      const root = requireRoot(state, real);
      const bytes = typeof data === "string" ? encoder.encode(data) : data.slice();
      const old = state.files.get(normPath(real));
      if (old?.folder === true) throw failed(`'${path}' is a folder.`);
      if (bytes.length - (old?.sizeBytes ?? 0) > freeBytes(state, root)) throw failed(`Not enough space on ${root} for '${path}'.`, { path });
      putFile(state, real, { sizeBytes: bytes.length, data: bytes });
    },
    copy: async (from, to, options) => {
      const src = lookup(state, from, options);
      if (src === undefined) throw new TaskSeqError("NotFound", `'${from}' does not exist.`, { details: { path: from } });
      const dest = redirect(state, to, options);
      requireRoot(state, dest);
      const srcKey = normPath(redirect(state, from, options));
      if (!src.folder) {
        putFile(state, dest, { sizeBytes: src.sizeBytes, ...(src.data === undefined ? {} : { data: src.data }), ...(src.version === undefined ? {} : { version: src.version }) });
      } else {
        ensureFolder(state, dest);
        for (const [key, node] of childrenOf(state, `${srcKey}\\`)) {
          const target = `${dest}${node.path.slice(node.path.length - (key.length - srcKey.length))}`;
          if (node.folder) ensureFolder(state, target);
          else putFile(state, target, { sizeBytes: node.sizeBytes, ...(node.data === undefined ? {} : { data: node.data }), ...(node.version === undefined ? {} : { version: node.version }) });
        }
      }
    },
    move: async (from, to, options) => {
      await files.copy(from, to, options);
      await files.delete(from, options);
    },
    delete: async (path, options) => {
      const key = normPath(redirect(state, path, options));
      if (!state.files.has(key)) throw new TaskSeqError("NotFound", `'${path}' does not exist.`, { details: { path } });
      state.files.delete(key);
      for (const [k] of childrenOf(state, `${key}\\`)) state.files.delete(k);
    },
    createFolder: async (path, options) => {
      const real = redirect(state, path, options);
      requireRoot(state, real);
      ensureFolder(state, real);
    },
    list: async (path, options) => reads.list(path, options),
    freeSpace: async (path) => freeBytes(state, requireRoot(state, path)),
    syncView: () => reads,
  };
  return files;
}

const hiveNames: Record<string, string> = {
  HKLM: "HKEY_LOCAL_MACHINE",
  HKCU: "HKEY_CURRENT_USER",
  HKCR: "HKEY_CLASSES_ROOT",
  HKU: "HKEY_USERS",
  HKCC: "HKEY_CURRENT_CONFIG",
};

/** Normalise a registry key path: full hive name, no trailing separator, upper case. */
export function normKey(path: string): string {
  const [hive = "", ...rest] = path.replace(/\\+$/, "").split("\\");
  const full = hiveNames[hive.toUpperCase()] ?? hive.toUpperCase();
  return [full, ...rest].join("\\").toUpperCase();
}

/**
 * A key path in the 32-bit view (`SOFTWARE\WOW6432Node`) on a 64-bit full OS (see `hasWow64`), as
 * written otherwise; unchanged in the native view.
 */
function viewPath(state: SimState, keyPath: string, view: RegistryView | undefined): string {
  if (view !== "32" || !hasWow64(state)) return keyPath;
  const m = /^((?:HKEY_LOCAL_MACHINE|HKLM)\\SOFTWARE)(\\(?!WOW6432NODE(?:\\|$)).*)?$/i.exec(keyPath.replace(/\\+$/, ""));
  return m === null ? keyPath : `${m[1] as string}\\WOW6432Node${m[2] ?? ""}`;
}

/** The lookup key of a key path in a view ({@link normKey} of {@link viewPath}). */
function viewKey(state: SimState, keyPath: string, view: RegistryView | undefined): string {
  return normKey(viewPath(state, keyPath, view));
}

/** A registry value (native view unless `view` says otherwise), or `undefined`. */
export function registryValue(state: SimState, keyPath: string, name: string, view?: RegistryView): RegistryValue | undefined {
  return state.registry.get(viewKey(state, keyPath, view))?.values.get(name.toUpperCase())?.value;
}

/** Writes a registry value, creating the key, and records it (the data is never recorded). */
export function setRegistryValue(state: SimState, keyPath: string, name: string, value: RegistryValue, view?: RegistryView): void {
  const path = viewPath(state, keyPath, view);
  const key = normKey(path);
  let entry = state.registry.get(key);
  if (entry === undefined) {
    entry = { path, values: new Map() };
    state.registry.set(key, entry);
  }
  entry.values.set(name.toUpperCase(), { name, value });
  record(state, "registry", `set ${keyPath}\\${name}`);
}

/**
 * The simulated registry read synchronously: the `registry` capability's reads and its
 * `syncView` both answer from here. A key exists when it holds values or has a subkey.
 */
function createSimRegistryReads(state: SimState): RegistrySyncView {
  const subkeysOf = (key: string): string[] => {
    const prefix = `${key}\\`;
    const depth = key.split("\\").length;
    const names = new Map<string, string>();
    for (const [k, entry] of state.registry) {
      if (!k.startsWith(prefix)) continue;
      const name = entry.path.replace(/\\+$/, "").split("\\")[depth] ?? "";
      if (!names.has(name.toUpperCase())) names.set(name.toUpperCase(), name);
    }
    return [...names.values()];
  };
  return {
    keyExists: (keyPath, view) => {
      const key = viewKey(state, keyPath, view);
      if (state.registry.has(key)) return true;
      for (const k of state.registry.keys()) if (k.startsWith(`${key}\\`)) return true;
      return false;
    },
    readValue: (keyPath, name, view) => registryValue(state, keyPath, name, view),
    listKey: (keyPath, view) => {
      const key = viewKey(state, keyPath, view);
      const subkeys = subkeysOf(key);
      const entry = state.registry.get(key);
      if (entry === undefined && subkeys.length === 0) return undefined;
      return { subkeys, values: entry === undefined ? [] : [...entry.values.values()].map((e) => e.name) };
    },
  };
}

/** The `registry` capability, with its synchronous view (`syncView`). */
export function createSimRegistry(state: SimState): RegistryCapability & { syncView(): RegistrySyncView } {
  const reads = createSimRegistryReads(state);
  return {
    keyExists: async (keyPath, view) => reads.keyExists(keyPath, view),
    readValue: async (keyPath, name, view) => reads.readValue(keyPath, name, view),
    writeValue: async (keyPath, name, value, view) => setRegistryValue(state, keyPath, name, value, view),
    syncView: () => reads,
  };
}
