import { TaskSeqError } from "@taskseq/model";
import { defaultDeviceProfile } from "../profile/default-profile.js";
import type { DeviceProfile, ProfileFile, ProfileRegistryValue } from "../profile/profile-types.js";
import { registryValueFromProfile } from "../profile/registry-value.js";
import { parseDeviceProfile } from "../profile/validate-profile.js";
import type { DeviceCapabilities, FaultHooks, FilesCapability, FilesSyncView, RegistryCapability, RegistrySyncView, RegistryValue, StepFault } from "../types.js";
import { createSimCommands } from "./sim-commands.js";
import { createSimHardware, createSimOs } from "./sim-facts.js";
import {
  createSimBitLocker,
  createSimClock,
  createSimNetwork,
  createSimReboot,
  createSimStateStore,
  createSimUi,
  createSimUsmt,
  restartInto,
  type SimulatedUi,
} from "./sim-services.js";
import { createSimApplications, createSimContent, createSimDrivers, createSimImage, createSimPackages, createSimSetup, createSimUpdates } from "./sim-software.js";
import { ensureFolder, normPath, putFile, record, type DeviceEvent, type Mutable, type SimState } from "./sim-state.js";
import { createSimDisks, createSimFiles, createSimRegistry, normKey } from "./sim-storage.js";
import { createSimWmi } from "./sim-wmi.js";

/** Options for {@link createSimulatedDevice}. */
export interface SimulatedDeviceOptions {
  /** Validate the profile first (default `true`); turn off only for profiles validated already. */
  readonly validate?: boolean;
}

/**
 * Fault injection on a simulated device. The engine calls `beforeStep(path)` before every step;
 * tests arm faults with the other methods (or in the profile's `faults` section).
 */
export interface SimulatedFaults extends FaultHooks {
  /** Cut power before (or, with `duringStep`, while) the step at this index path runs; fires once. */
  cutPowerAt(path: string, options?: { readonly duringStep?: boolean }): void;
  /** Make the next `times` downloads of a content ID fail (transient, retryable). */
  failDownload(id: string, times: number): void;
  /** Make a content ID disappear from the site. */
  removeContent(id: string): void;
  /** Make command lines matching the regex exit with `exitCode` (the first `times` runs, or always). */
  failCommand(match: string, exitCode: number, times?: number): void;
  /** Make the next `times` state store requests fail. */
  failStateStore(times: number): void;
}

/**
 * A simulated device: every capability present (so it is a `Device`), with the synchronous views of
 * its files and registry, scripted answers to questions, fault injection, history and snapshots.
 */
export interface SimulatedDevice extends DeviceCapabilities {
  /** Display name from the profile. */
  readonly name: string;
  /** Files, with their synchronous view. */
  readonly files: FilesCapability & { syncView(): FilesSyncView };
  /** Registry, with its synchronous view. */
  readonly registry: RegistryCapability & { syncView(): RegistrySyncView };
  /** Progress and dialogs, with scripted answers to questions. */
  readonly ui: SimulatedUi;
  /** Fault injection. */
  readonly faults: SimulatedFaults;
  /** Events so far, oldest first. */
  readonly history: readonly DeviceEvent[];
  /** The current state as a profile: create a device from it to continue after a simulated kill. */
  snapshot(): DeviceProfile;
}

const defaultClockStart = "2026-01-01T08:00:00Z";

function profileRegistryValue(v: RegistryValue): ProfileRegistryValue {
  switch (v.type) {
    case "REG_QWORD":
      return { type: v.type, data: v.data.toString() };
    case "REG_BINARY":
    case "REG_NONE":
      return { type: v.type, data: Array.from(v.data, (b) => b.toString(16).padStart(2, "0").toUpperCase()).join("") };
    case "REG_MULTI_SZ":
      return { type: v.type, data: [...v.data] };
    default:
      return { type: v.type, data: v.data };
  }
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function loadState(profile: DeviceProfile): SimState {
  const { files = {}, registry = {}, stateStores = {}, faults, ...rest } = structuredClone(profile) as Mutable<DeviceProfile>;
  const clockStart = Date.parse(profile.clock?.start ?? defaultClockStart);
  const state: SimState = {
    profile: rest,
    files: new Map(),
    registry: new Map(),
    clockStart,
    elapsedMs: 0,
    history: [],
    downloadFailures: new Map(Object.entries(faults?.downloadFailures ?? {}).map(([id, n]) => [id.toUpperCase(), n])),
    missingContent: new Set((faults?.missingContent ?? []).map((id) => id.toUpperCase())),
    powerLoss: (faults?.powerLoss ?? []).map((p) => ({ path: p.path, duringStep: p.duringStep ?? false })),
    stateStoreFailures: faults?.stateStoreFailures ?? 0,
    ruleUses: new Map(),
    stateStores: new Map(Object.entries(stateStores).map(([path, s]) => [path, { type: s.type, captured: s.captured ?? false, released: s.released ?? false }])),
    mappedDrives: new Map(),
    appliedDrivers: [],
  };
  const installed = rest.os.installed;
  if (installed !== undefined) {
    for (const folder of ["Windows\\System32\\config", "Windows\\SysWOW64", "Program Files", "ProgramData", "Users"]) ensureFolder(state, `${installed.drive}\\${folder}`);
  }
  for (const [path, f] of Object.entries(files as Record<string, ProfileFile>)) {
    const times = {
      ...(f.modified === undefined ? {} : { modifiedUtc: Date.parse(f.modified) }),
      ...(f.created === undefined ? {} : { createdUtc: Date.parse(f.created) }),
    };
    if (f.folder === true) {
      ensureFolder(state, path);
      const node = state.files.get(normPath(path));
      if (node !== undefined) Object.assign(node, times);
      continue;
    }
    const data = f.base64 !== undefined ? fromBase64(f.base64) : f.content !== undefined ? new TextEncoder().encode(f.content) : undefined;
    putFile(state, path, { sizeBytes: f.sizeBytes ?? data?.length ?? 0, ...(data === undefined ? {} : { data }), ...(f.version === undefined ? {} : { version: f.version }), ...times });
  }
  for (const [key, values] of Object.entries(registry)) {
    const entry = { path: key, values: new Map(Object.entries(values).map(([name, v]) => [name.toUpperCase(), { name, value: registryValueFromProfile(v) }])) };
    state.registry.set(normKey(key), entry);
  }
  state.history.length = 0;
  return state;
}

function snapshotOf(state: SimState): DeviceProfile {
  const files: Record<string, ProfileFile> = {};
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for (const node of state.files.values()) {
    const times = { modified: new Date(node.modifiedUtc).toISOString(), created: new Date(node.createdUtc).toISOString() };
    if (node.folder) {
      files[node.path] = { folder: true, ...times };
      continue;
    }
    let text: { content: string } | { base64: string } | Record<string, never> = {};
    if (node.data !== undefined) {
      try {
        text = { content: decoder.decode(node.data) };
      } catch {
        text = { base64: toBase64(node.data) };
      }
    }
    files[node.path] = { sizeBytes: node.sizeBytes, ...(node.version === undefined ? {} : { version: node.version }), ...times, ...text };
  }
  const registry: Record<string, Record<string, ProfileRegistryValue>> = {};
  for (const key of state.registry.values()) {
    registry[key.path] = Object.fromEntries([...key.values.values()].map((e) => [e.name, profileRegistryValue(e.value)]));
  }
  const faults = {
    ...(state.powerLoss.length === 0 ? {} : { powerLoss: state.powerLoss.map((p) => ({ ...p })) }),
    ...(state.downloadFailures.size === 0 ? {} : { downloadFailures: Object.fromEntries(state.downloadFailures) }),
    ...(state.missingContent.size === 0 ? {} : { missingContent: [...state.missingContent] }),
    ...(state.stateStoreFailures === 0 ? {} : { stateStoreFailures: state.stateStoreFailures }),
  };
  // Command rules with a use count continue with the uses left; used-up rules match nothing, so they go.
  const commands = state.profile.commands?.flatMap((rule, i) => {
    const used = state.ruleUses.get(i) ?? 0;
    if (rule.times === undefined || used === 0) return [rule];
    return rule.times > used ? [{ ...rule, times: rule.times - used }] : [];
  });
  const stateStores = Object.fromEntries([...state.stateStores].map(([path, s]) => [path, { type: s.type, ...(s.captured ? { captured: true } : {}), ...(s.released ? { released: true } : {}) }]));
  // Answer rules continue with the answers left; used-up rules go.
  const { ui, ...profile } = structuredClone(state.profile);
  const messageAnswers = ui?.messageAnswers?.filter((rule) => rule.answers.length > 0) ?? [];
  return {
    ...profile,
    ...(messageAnswers.length === 0 ? {} : { ui: { ...ui, messageAnswers } }),
    ...(commands === undefined ? {} : { commands: structuredClone(commands) }),
    files,
    registry,
    ...(state.stateStores.size === 0 ? {} : { stateStores }),
    clock: { start: new Date(state.clockStart + state.elapsedMs).toISOString() },
    ...(Object.keys(faults).length === 0 ? {} : { faults }),
  };
}

function createFaults(state: SimState): SimulatedFaults {
  return {
    beforeStep: (path): StepFault | undefined => {
      const i = state.powerLoss.findIndex((p) => p.path === path);
      if (i < 0) return undefined;
      const [cut] = state.powerLoss.splice(i, 1);
      record(state, "powerLoss", `power cut ${cut?.duringStep === true ? "during" : "before"} step ${path}`);
      restartInto(state, state.profile.os.running === "FullOS" ? "HD" : "WinPE", "power restored");
      return { kind: "powerLoss", duringStep: cut?.duringStep ?? false };
    },
    cutPowerAt: (path, options) => {
      state.powerLoss.push({ path, duringStep: options?.duringStep ?? false });
    },
    failDownload: (id, times) => {
      state.downloadFailures.set(id.toUpperCase(), times);
    },
    removeContent: (id) => {
      state.missingContent.add(id.toUpperCase());
    },
    failCommand: (match, exitCode, times) => {
      try {
        new RegExp(match, "i");
      } catch (e) {
        throw new TaskSeqError("InvalidArgument", `'${match}' is not a valid regular expression.`, { cause: e });
      }
      state.profile.commands = [{ match, exitCode, ...(times === undefined ? {} : { times }) }, ...(state.profile.commands ?? [])];
      const shifted = new Map([...state.ruleUses].map(([k, v]) => [k + 1, v]));
      state.ruleUses = shifted;
    },
    failStateStore: (times) => {
      state.stateStoreFailures = times;
    },
  };
}

/**
 * A simulated device from a JSON profile (docs/device-profile.md), or the default generic UEFI
 * VM in Windows PE. Every capability is present; state changes as steps act (partitions appear,
 * images land, software installs, restarts switch between Windows PE and the full OS) and the WMI
 * classes follow. Deterministic: no randomness, no real time. Invalid profiles throw `ProfileInvalid`.
 *
 * @example
 * ```ts
 * const device = createSimulatedDevice();
 * const rows = await device.wmi.query("root\\cimv2", "SELECT * FROM Win32_ComputerSystem WHERE Model LIKE '%Virtual%'");
 * rows.length; // 1
 * ```
 */
export function createSimulatedDevice(profile: DeviceProfile | string = defaultDeviceProfile, options: SimulatedDeviceOptions = {}): SimulatedDevice {
  const checked = options.validate === false && typeof profile !== "string" ? profile : parseDeviceProfile(profile);
  const state = loadState(checked);
  const onUnexpectedRestart = () => restartInto(state, state.profile.os.running === "FullOS" ? "HD" : "WinPE", "program restarted the computer");
  return {
    name: checked.name ?? `${checked.hardware.manufacturer} ${checked.hardware.model}`,
    hardware: createSimHardware(state),
    os: createSimOs(state),
    wmi: createSimWmi(state),
    disks: createSimDisks(state),
    files: createSimFiles(state),
    registry: createSimRegistry(state),
    commands: createSimCommands(state, onUnexpectedRestart),
    content: createSimContent(state),
    applications: createSimApplications(state),
    packages: createSimPackages(state),
    image: createSimImage(state),
    drivers: createSimDrivers(state),
    setup: createSimSetup(state),
    updates: createSimUpdates(state),
    network: createSimNetwork(state),
    bitlocker: createSimBitLocker(state),
    stateStore: createSimStateStore(state),
    usmt: createSimUsmt(state),
    reboot: createSimReboot(state),
    ui: createSimUi(state),
    clock: createSimClock(state),
    faults: createFaults(state),
    // The live list (only ever changed in place). Not a getter: one would make the device a
    // dictionary-mode object, and the engine reads its adapters at every step.
    history: state.history,
    snapshot: () => snapshotOf(state),
  };
}
