import { MAX_VARIABLE_VALUE_LENGTH, type CollectionVariables, type LayerVariable } from "@taskseq/environment";
import { checkVariableName, TaskSeqError } from "@taskseq/model";
import type { Architecture } from "./content-catalog.js";
import { validateMaintenanceWindow } from "./maintenance-windows.js";
import type { MaintenanceWindow } from "./maintenance-windows.js";

/** ID of the built-in All Systems collection. */
export const ALL_SYSTEMS = "SMS00001";
/** ID of the built-in All Users collection (a user collection). */
export const ALL_USERS = "SMS00002";
/** ID of the built-in All Unknown Computers collection. */
export const ALL_UNKNOWN_COMPUTERS = "SMS000US";
/** Most variables one device may have. */
export const MAX_DEVICE_VARIABLES = 1000;
/** Smallest Windows time zone bias in minutes (UTC+14). */
export const MIN_TIME_ZONE_BIAS = -840;
/** Largest Windows time zone bias in minutes (UTC-12). */
export const MAX_TIME_ZONE_BIAS = 720;

/** A device record of the site. */
export interface SiteDevice {
  /** Resource ID or name key. */
  readonly id: string;
  /** Computer name. */
  readonly name: string;
  /** MAC address. */
  readonly macAddress?: string;
  /** BIOS serial number. */
  readonly serialNumber?: string;
  /** Architecture. */
  readonly architecture?: Architecture;
  /** Runs a server OS. */
  readonly server?: boolean;
  /** Hosts a site system role. */
  readonly siteSystem?: boolean;
  /** Not yet a ConfigMgr client (PXE / media boot of an unknown computer). */
  readonly unknown?: boolean;
  /** Local time = UTC − this many minutes (the Windows bias): whole minutes, -840 (UTC+14) to 720 (UTC-12). Default 0. */
  readonly timeZoneBias?: number;
}

/** A collection. */
export interface Collection {
  /** Collection ID. */
  readonly id: string;
  /** Name. */
  readonly name: string;
  /** Device or user collection (user collections can't be targeted by task sequences). */
  readonly type: "device" | "user";
  /** Built-in collections (All Systems, All Unknown Computers, ...). */
  readonly builtIn: boolean;
  /** Variable priority 1 (lowest) to 9 (highest). Default 1. */
  readonly variablePriority: number;
}

/**
 * Collections of the same variable priority that define the same variable for the same devices
 * (variables.md §7): the collection whose ID sorts last (ordinal, case-insensitive) wins.
 */
export interface VariableConflict {
  /** The variable name (as the winning collection spells it). */
  readonly name: string;
  /** The shared priority. */
  readonly priority: number;
  /** The collection IDs, in the order they apply (the winner last). */
  readonly collections: readonly string[];
  /** The collection whose value the devices get. */
  readonly winner: string;
  /** The devices concerned. */
  readonly devices: readonly string[];
}

/** Devices, collections, memberships, variables and maintenance windows. */
export interface DeviceDirectory {
  /**
   * Adds or replaces a device; unknown devices join All Unknown Computers, the others All Systems.
   * `InvalidArgument` without an ID and a name, or with a time zone bias that is not whole minutes
   * from {@link MIN_TIME_ZONE_BIAS} to {@link MAX_TIME_ZONE_BIAS}.
   */
  addDevice(device: SiteDevice): SiteDevice;
  /** The device, or `NotFound`. */
  device(id: string): SiteDevice;
  /** Every device. */
  devices(): readonly SiteDevice[];
  /** Creates a collection (`ID` unique). */
  addCollection(collection: Omit<Collection, "builtIn" | "variablePriority"> & { readonly variablePriority?: number }): Collection;
  /** The collection, or `NotFound`. */
  collection(id: string): Collection;
  /** Every collection. */
  collections(): readonly Collection[];
  /** Sets the variable priority (1-9). */
  setVariablePriority(id: string, priority: number): void;
  /** Adds devices to a collection. */
  addMembers(collectionId: string, deviceIds: readonly string[]): void;
  /** Removes devices from a collection. */
  removeMembers(collectionId: string, deviceIds: readonly string[]): void;
  /** Device IDs of a collection. */
  members(collectionId: string): readonly string[];
  /** Collections of a device. */
  collectionsOf(deviceId: string): readonly Collection[];
  /** Sets a collection variable (`secret` = "Do not display this value"). */
  setCollectionVariable(collectionId: string, name: string, value: string, options?: { readonly secret?: boolean }): void;
  /** Sets a device variable (at most {@link MAX_DEVICE_VARIABLES} per device). */
  setDeviceVariable(deviceId: string, name: string, value: string, options?: { readonly secret?: boolean }): void;
  /** Removes a collection or device variable. */
  removeVariable(scope: { readonly collection: string } | { readonly device: string }, name: string): void;
  /**
   * Ties of the collection layer (variables.md §7) for the given devices (default: every device):
   * a variable that several collections of a device define at the highest priority among those
   * that define it, so that the collection ID decides which value the device gets.
   */
  variableConflicts(deviceIds?: readonly string[]): readonly VariableConflict[];
  /** The collection and device layers the engine starts from (variables.md §7). */
  variablesFor(deviceId: string): { readonly collections: readonly CollectionVariables[]; readonly device: readonly LayerVariable[] };
  /** Adds a maintenance window to a device collection. */
  addMaintenanceWindow(collectionId: string, window: MaintenanceWindow): void;
  /** Windows of one collection. */
  maintenanceWindowsOf(collectionId: string): readonly MaintenanceWindow[];
  /** Every window that applies to a device (from all its collections). */
  maintenanceWindowsFor(deviceId: string): readonly MaintenanceWindow[];
}

/** Ordinal, case-insensitive order of collection IDs: the engine applies tied collections in this order (the last wins). */
function compareIds(a: string, b: string): number {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Creates the site's device directory with the built-in collections All Systems, All Users and
 * All Unknown Computers.
 *
 * @example
 * ```ts
 * const dir = createDeviceDirectory();
 * dir.addDevice({ id: "PC01", name: "PC01" });
 * dir.addCollection({ id: "PS100020", name: "Pilot", type: "device" });
 * dir.addMembers("PS100020", ["PC01"]);
 * dir.setCollectionVariable("PS100020", "OSDTimeZone", "UTC");
 * ```
 */
export function createDeviceDirectory(): DeviceDirectory {
  const devices = new Map<string, SiteDevice>();
  const collections = new Map<string, Collection>();
  const membership = new Map<string, Set<string>>();
  const collectionVars = new Map<string, Map<string, LayerVariable>>();
  const deviceVars = new Map<string, Map<string, LayerVariable>>();
  const windows = new Map<string, MaintenanceWindow[]>();
  const k = (id: string): string => id.toUpperCase();

  const getDevice = (id: string): SiteDevice => {
    const d = devices.get(k(id));
    if (d === undefined) throw new TaskSeqError("NotFound", `Device ${id} does not exist.`);
    return d;
  };
  const getCollection = (id: string): Collection => {
    const c = collections.get(k(id));
    if (c === undefined) throw new TaskSeqError("NotFound", `Collection ${id} does not exist.`);
    return c;
  };
  const putCollection = (c: Collection): Collection => {
    collections.set(k(c.id), c);
    if (!membership.has(k(c.id))) membership.set(k(c.id), new Set());
    return c;
  };
  const checkPriority = (p: number): number => {
    if (!Number.isInteger(p) || p < 1 || p > 9) throw new TaskSeqError("InvalidArgument", `Variable priority must be 1 (lowest) to 9 (highest), got ${p}.`);
    return p;
  };
  const variable = (name: string, value: string, secret: boolean | undefined): LayerVariable => {
    if (typeof name !== "string" || typeof value !== "string") throw new TaskSeqError("InvalidArgument", "A collection or device variable needs a name and a value that are strings.");
    const check = checkVariableName(name);
    if (!check.ok) throw new TaskSeqError(check.code, `"${name}" can't be a collection or device variable (${check.problem}).`);
    if (check.readOnly) throw new TaskSeqError("ReadOnlyVariable", `${name} is read-only: collection and device variables cannot set it.`);
    if (value.length > MAX_VARIABLE_VALUE_LENGTH) {
      throw new TaskSeqError("ValueTooLong", `The value of ${name} is ${value.length} characters long; a variable value holds at most ${MAX_VARIABLE_VALUE_LENGTH}.`);
    }
    return secret === true ? { name, value, secret } : { name, value };
  };
  const memberCollections = (deviceId: string): Collection[] => [...collections.values()].filter((c) => membership.get(k(c.id))?.has(k(deviceId)) === true);

  putCollection({ id: ALL_SYSTEMS, name: "All Systems", type: "device", builtIn: true, variablePriority: 1 });
  putCollection({ id: ALL_USERS, name: "All Users", type: "user", builtIn: true, variablePriority: 1 });
  putCollection({ id: ALL_UNKNOWN_COMPUTERS, name: "All Unknown Computers", type: "device", builtIn: true, variablePriority: 1 });

  return {
    addDevice: (device) => {
      if (typeof device.id !== "string" || typeof device.name !== "string" || device.id.trim() === "" || device.name.trim() === "") {
        throw new TaskSeqError("InvalidArgument", "A device needs an ID and a name.");
      }
      const bias = device.timeZoneBias ?? 0;
      if (!Number.isInteger(bias) || bias < MIN_TIME_ZONE_BIAS || bias > MAX_TIME_ZONE_BIAS) {
        throw new TaskSeqError("InvalidArgument", `Device ${device.id}: the time zone bias must be whole minutes from ${MIN_TIME_ZONE_BIAS} (UTC+14) to ${MAX_TIME_ZONE_BIAS} (UTC-12), got ${String(device.timeZoneBias)}.`);
      }
      devices.set(k(device.id), device);
      membership.get(ALL_SYSTEMS)?.[device.unknown === true ? "delete" : "add"](k(device.id));
      membership.get(ALL_UNKNOWN_COMPUTERS)?.[device.unknown === true ? "add" : "delete"](k(device.id));
      return device;
    },
    device: getDevice,
    devices: () => [...devices.values()],
    addCollection: (c) => {
      if (collections.has(k(c.id))) throw new TaskSeqError("InvalidOperation", `Collection ${c.id} already exists.`);
      return putCollection({ ...c, builtIn: false, variablePriority: checkPriority(c.variablePriority ?? 1) });
    },
    collection: getCollection,
    collections: () => [...collections.values()],
    setVariablePriority: (id, priority) => void putCollection({ ...getCollection(id), variablePriority: checkPriority(priority) }),
    addMembers: (id, ids) => {
      const c = getCollection(id);
      if (c.builtIn) throw new TaskSeqError("InvalidOperation", `The membership of the built-in collection ${c.name} is managed by the site.`);
      if (c.type === "user") throw new TaskSeqError("InvalidOperation", `${c.name} is a user collection; devices can't be members.`);
      ids.forEach(getDevice);
      ids.forEach((d) => membership.get(k(id))?.add(k(d)));
    },
    removeMembers: (id, ids) => {
      if (getCollection(id).builtIn) throw new TaskSeqError("InvalidOperation", `The membership of built-in collection ${id} is managed by the site.`);
      ids.forEach((d) => membership.get(k(id))?.delete(k(d)));
    },
    members: (id) => [...(membership.get(k(getCollection(id).id)) ?? [])].map((d) => getDevice(d).id),
    collectionsOf: (id) => memberCollections(getDevice(id).id),
    setCollectionVariable: (id, name, value, o = {}) => {
      const c = getCollection(id);
      if (c.type === "user") throw new TaskSeqError("InvalidOperation", `${c.name} is a user collection; only device collections have variables.`);
      const vars = collectionVars.get(k(id)) ?? new Map<string, LayerVariable>();
      vars.set(name.toUpperCase(), variable(name, value, o.secret));
      collectionVars.set(k(id), vars);
    },
    setDeviceVariable: (id, name, value, o = {}) => {
      getDevice(id);
      const entry = variable(name, value, o.secret);
      const vars = deviceVars.get(k(id)) ?? new Map<string, LayerVariable>();
      if (!vars.has(name.toUpperCase()) && vars.size >= MAX_DEVICE_VARIABLES) {
        throw new TaskSeqError("InvalidOperation", `Device ${id} already has ${MAX_DEVICE_VARIABLES} variables, the most a device can have.`);
      }
      vars.set(name.toUpperCase(), entry);
      deviceVars.set(k(id), vars);
    },
    removeVariable: (scope, name) => {
      const map = "collection" in scope ? collectionVars.get(k(scope.collection)) : deviceVars.get(k(scope.device));
      map?.delete(name.toUpperCase());
    },
    variableConflicts: (ids) => {
      const found = new Map<string, { name: string; priority: number; collections: string[]; devices: string[] }>();
      for (const device of (ids ?? [...devices.keys()]).map(getDevice)) {
        const byName = new Map<string, { collection: Collection; variable: LayerVariable }[]>();
        for (const c of memberCollections(device.id)) {
          for (const [key, variable] of collectionVars.get(k(c.id)) ?? []) byName.set(key, [...(byName.get(key) ?? []), { collection: c, variable }]);
        }
        for (const [key, defs] of byName) {
          const top = Math.max(...defs.map((d) => d.collection.variablePriority));
          const tied = defs.filter((d) => d.collection.variablePriority === top).sort((a, b) => compareIds(a.collection.id, b.collection.id));
          if (tied.length < 2) continue;
          const collections = tied.map((d) => d.collection.id);
          const id = `${key}|${collections.map(k).join("|")}`;
          const conflict = found.get(id) ?? { name: (tied[tied.length - 1] as (typeof tied)[number]).variable.name, priority: top, collections, devices: [] };
          conflict.devices.push(device.id);
          found.set(id, conflict);
        }
      }
      return [...found.values()].map((c) => ({ ...c, winner: c.collections[c.collections.length - 1] as string }));
    },
    variablesFor: (id) => {
      const device = getDevice(id);
      return {
        collections: memberCollections(device.id)
          .filter((c) => (collectionVars.get(k(c.id))?.size ?? 0) > 0)
          .map((c) => ({ id: c.id, priority: c.variablePriority, variables: [...(collectionVars.get(k(c.id))?.values() ?? [])] })),
        device: [...(deviceVars.get(k(device.id))?.values() ?? [])],
      };
    },
    addMaintenanceWindow: (id, window) => {
      const c = getCollection(id);
      if (c.id.toUpperCase() === ALL_SYSTEMS) throw new TaskSeqError("InvalidOperation", "Maintenance windows can't be created for the All Systems collection.");
      if (c.type === "user") throw new TaskSeqError("InvalidOperation", `${c.name} is a user collection; maintenance windows apply to device collections.`);
      windows.set(k(id), [...(windows.get(k(id)) ?? []), validateMaintenanceWindow(window)]);
    },
    maintenanceWindowsOf: (id) => windows.get(k(getCollection(id).id)) ?? [],
    maintenanceWindowsFor: (id) => memberCollections(getDevice(id).id).flatMap((c) => windows.get(k(c.id)) ?? []),
  };
}
