import { TaskSeqError } from "@taskseq/model";
import type { DeviceProfile, ProfileDisk, ProfileInstalledOs, ProfilePartition } from "../profile/profile-types.js";
import type { RegistryValue } from "../types.js";

/** Deeply writable copy of a readonly profile type (internal). */
export type Mutable<T> = T extends readonly (infer U)[]
  ? Mutable<U>[]
  : T extends Uint8Array
    ? T
    : T extends object
      ? { -readonly [K in keyof T]: Mutable<T[K]> }
      : T;

/** Something that happened on a simulated device (for tests and traces; never secret values). */
export interface DeviceEvent {
  /** Simulated time, UTC milliseconds. */
  readonly time: number;
  /** Kind, e.g. `command`, `restart`, `download`, `install`, `powerLoss`. */
  readonly kind: string;
  /** A short description. */
  readonly detail: string;
}

/** A file or folder node (internal). */
export interface FileNode {
  path: string;
  folder: boolean;
  sizeBytes: number;
  version?: string;
  modifiedUtc: number;
  createdUtc: number;
  data?: Uint8Array;
}

/** A registry value with its original name (internal). */
export interface RegistryEntry {
  name: string;
  value: RegistryValue;
}

/** A registry key with its original path (internal). */
export interface RegistryKey {
  path: string;
  values: Map<string, RegistryEntry>;
}

/** A requested state store (internal). */
export interface SimStateStore {
  type: "capture" | "restore";
  captured: boolean;
  released: boolean;
}

/** Mutable simulated state (internal). */
export interface SimState {
  profile: Mutable<DeviceProfile>;
  files: Map<string, FileNode>;
  registry: Map<string, RegistryKey>;
  clockStart: number;
  elapsedMs: number;
  history: DeviceEvent[];
  downloadFailures: Map<string, number>;
  missingContent: Set<string>;
  powerLoss: { path: string; duringStep: boolean }[];
  stateStoreFailures: number;
  ruleUses: Map<number, number>;
  stateStores: Map<string, SimStateStore>;
  mappedDrives: Map<string, string>;
  appliedDrivers: string[];
}

/** The current time of the simulated clock. */
export function now(state: SimState): number {
  return state.clockStart + state.elapsedMs;
}

/** Record an event. */
export function record(state: SimState, kind: string, detail: string): void {
  state.history.push({ time: now(state), kind, detail });
}

/** A `DeviceOperationFailed` error. */
export function failed(message: string, details?: Record<string, unknown>): TaskSeqError {
  return new TaskSeqError("DeviceOperationFailed", message, details === undefined ? {} : { details });
}

/** Clean a Windows path, keeping its case: backslashes, single separators, no trailing separator. */
export function cleanPath(path: string): string {
  let p = path.replace(/\//g, "\\");
  const unc = p.startsWith("\\\\");
  p = p.replace(/\\{2,}/g, "\\");
  if (unc) p = `\\${p}`;
  if (p.length > 3 && p.endsWith("\\")) p = p.slice(0, -1);
  if (/^[A-Za-z]:$/.test(p)) p += "\\";
  return p;
}

/** Normalise a Windows path for lookups: {@link cleanPath}, upper case. */
export function normPath(path: string): string {
  return cleanPath(path).toUpperCase();
}

/** The root of a path: `C:` or `\\SERVER\SHARE` (upper case), or undefined for relative paths. */
export function rootOf(path: string): string | undefined {
  const p = normPath(path);
  const drive = /^([A-Z]:)\\/.exec(p);
  if (drive !== null) return drive[1];
  const unc = /^(\\\\[^\\]+\\[^\\]+)/.exec(p);
  return unc?.[1];
}

/** A partition with its disk. */
export interface PartitionRef {
  disk: Mutable<ProfileDisk>;
  partition: Mutable<ProfilePartition>;
  number: number;
}

/** Every partition in disk order. */
export function allPartitions(state: SimState): PartitionRef[] {
  const out: PartitionRef[] = [];
  for (const disk of state.profile.disks) (disk.partitions ?? []).forEach((partition, i) => out.push({ disk, partition, number: i + 1 }));
  return out;
}

/** The partition holding a drive letter (`"C:"`). */
export function partitionByLetter(state: SimState, letter: string): PartitionRef | undefined {
  const upper = letter.toUpperCase().replace(/\\$/, "");
  return allPartitions(state).find((r) => r.partition.driveLetter?.toUpperCase() === upper && r.partition.fileSystem !== undefined);
}

/** Size of the Windows PE RAM disk (X:). */
export const winPeVolumeBytes = 536_870_912;

/** True when the root is reachable now: a formatted lettered partition, X: in Windows PE, or a UNC share. */
export function rootExists(state: SimState, root: string): boolean {
  if (root.startsWith("\\\\")) return true;
  if (partitionByLetter(state, root) !== undefined) return true;
  return root === "X:" && state.profile.os.running === "WinPE";
}

/** Bytes used on a volume by files under its root plus its `usedBytes`. */
export function usedBytes(state: SimState, root: string): number {
  const prefix = `${root}\\`;
  let sum = partitionByLetter(state, root)?.partition.usedBytes ?? 0;
  for (const [key, node] of state.files) if (key.startsWith(prefix) && !node.folder) sum += node.sizeBytes;
  return sum;
}

/** Free bytes on the volume holding a root. */
export function freeBytes(state: SimState, root: string): number {
  if (root.startsWith("\\\\")) return 1_099_511_627_776;
  const ref = partitionByLetter(state, root);
  const size = ref?.partition.sizeBytes ?? (root === "X:" ? winPeVolumeBytes : 0);
  return Math.max(0, size - usedBytes(state, root));
}

/** Remove every file under a root (format, clean, wipe), keeping one folder if asked. */
export function wipeRoot(state: SimState, root: string, keepFolder?: string): void {
  const prefix = `${root.toUpperCase()}\\`;
  const keep = keepFolder === undefined ? undefined : normPath(keepFolder);
  for (const key of [...state.files.keys()]) {
    if (!key.startsWith(prefix)) continue;
    if (keep !== undefined && (key === keep || key.startsWith(`${keep}\\`))) continue;
    state.files.delete(key);
  }
}

/** Create a folder and its parents. */
export function ensureFolder(state: SimState, path: string): void {
  const key = normPath(path);
  const root = rootOf(key);
  if (root === undefined || key === `${root}\\` || key === root) return;
  const existing = state.files.get(key);
  if (existing !== undefined) {
    if (!existing.folder) throw failed(`'${path}' is a file, not a folder.`);
    return;
  }
  const parent = key.slice(0, key.lastIndexOf("\\"));
  if (parent.length > root.length) ensureFolder(state, path.replace(/[\\/]+[^\\/]*[\\/]*$/, ""));
  const t = now(state);
  state.files.set(key, { path: cleanPath(path), folder: true, sizeBytes: 0, modifiedUtc: t, createdUtc: t });
}

/** Create or replace a file node (parents created). */
export function putFile(state: SimState, path: string, node: Omit<FileNode, "path" | "folder" | "createdUtc" | "modifiedUtc"> & { modifiedUtc?: number; createdUtc?: number }): void {
  const clean = cleanPath(path);
  const parent = clean.slice(0, clean.lastIndexOf("\\"));
  ensureFolder(state, parent);
  const t = now(state);
  const old = state.files.get(normPath(clean));
  state.files.set(normPath(clean), { ...node, path: clean, folder: false, createdUtc: node.createdUtc ?? old?.createdUtc ?? t, modifiedUtc: node.modifiedUtc ?? t });
}

/** The installed OS when its volume still holds Windows. */
export function installedOs(state: SimState): Mutable<ProfileInstalledOs> | undefined {
  const os = state.profile.os.installed;
  if (os === undefined) return undefined;
  return partitionByLetter(state, os.drive) !== undefined && state.files.has(normPath(`${os.drive}\\Windows`)) ? os : undefined;
}

/** Parse a dotted version into its numeric parts (missing parts are 0). */
export function versionParts(version: string): [number, number, number, number] {
  const p = version.split(".").map((x) => Number.parseInt(x, 10) || 0);
  return [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0, p[3] ?? 0];
}
