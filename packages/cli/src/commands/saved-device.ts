/**
 * The simulated device of a `--state-dir` run, saved next to the engine state so that
 * `taskseq resume` continues on the device the first part of the run changed (docs/cli.md,
 * "Run state and the simulated device").
 *
 * `device.json` holds `{ "pendingRestart"?: "HD" | "WinPE", "logDir"?: string, "profile": DeviceProfile }`:
 * the device's snapshot, plus the restart the engine asked for but the device has not made yet (the
 * host's part after `--stop-at-restart`; resume makes it) and the absolute folder of the run's
 * smsts.log (`--log-dir`), where a resume without `--log-dir` goes on appending (logging.md §7:
 * after a restart the log continues in the existing file). It is written atomically (temporary
 * file, fsync, rename) before every full engine snapshot (run start, resume, compaction) and
 * before every durable journal record (restart points), so the saved device is never behind the
 * engine state it goes with, and once more when the command ends while state remains. It is
 * deleted with the engine state when the run finishes. A process killed between two saves loses
 * the device changes made since the last save; the engine state itself is exact.
 */
import { open, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { createSimulatedDevice, parseDeviceProfile, type Device, type RestartTarget, type SimulatedDevice } from "@taskseq/device";
import type { EngineEventListener, StateStore } from "@taskseq/engine";
import { TaskSeqError } from "@taskseq/model";

/** Name of the saved device in the state folder. */
export const DEVICE_FILE = "device.json";

/** The saved device of a run, wired into the engine by {@link createDevicePersistence}. */
export interface DevicePersistence {
  /** The device to give the engine (restarts it makes are tracked). */
  readonly device: Device;
  /** The engine's state store, saving the device before full snapshots and durable records and deleting it with the state. */
  readonly state: StateStore;
  /** Engine event listener: notes the target of a restart request. */
  readonly onEvent: EngineEventListener;
  /** Saves the device once more if the run's state remains (call when the command ends, whatever its status). */
  settle(): Promise<void>;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, "w");
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

/** Saves `sim`, and the run's log folder `logDir` when it has one, in `dir` alongside the engine state held by `inner`. */
export function createDevicePersistence(dir: string, sim: SimulatedDevice, inner: StateStore, logDir?: string): DevicePersistence {
  const path = join(dir, DEVICE_FILE);
  // The target of a restart the engine asked for and the device has not made yet.
  let owed: RestartTarget | undefined;
  // True while this process has written engine state that was not cleared since.
  let live = false;
  const save = (): Promise<void> =>
    writeAtomically(path, `${JSON.stringify({ ...(owed === undefined ? {} : { pendingRestart: owed }), ...(logDir === undefined ? {} : { logDir }), profile: sim.snapshot() })}\n`);
  const reboot = sim.reboot;
  return {
    device: {
      ...sim,
      reboot: {
        bootableTargets: () => reboot.bootableTargets(),
        notify: (message, timeoutSeconds) => reboot.notify(message, timeoutSeconds),
        restart: async (target) => {
          await reboot.restart(target);
          owed = undefined;
        },
      },
    },
    state: {
      load: () => inner.load(),
      async replace(snapshot) {
        await save();
        live = true;
        await inner.replace(snapshot);
      },
      async append(record, durable) {
        if (durable) await save();
        live = true;
        await inner.append(record, durable);
      },
      async clear() {
        await inner.clear();
        live = false;
        await rm(path, { force: true });
        await rm(`${path}.tmp`, { force: true });
      },
    },
    onEvent: (e) => {
      if (e.type === "restart") owed = e.target;
    },
    settle: async () => {
      if (live) await save();
    },
  };
}

function corrupt(path: string, message: string, cause?: unknown): TaskSeqError {
  return new TaskSeqError("StateCorrupt", `${path} ${message}; give --device PROFILE to continue on another device.`, { position: { path }, ...(cause === undefined ? {} : { cause }) });
}

/** What `device.json` gives back to a resume. */
export interface SavedDevice {
  /** The device, after the restart it still owed. */
  readonly sim: SimulatedDevice;
  /** The folder of the run's smsts.log, when it had one. */
  readonly logDir: string | undefined;
}

/**
 * Loads the device saved in `dir` and makes the restart it still owes. A missing or unreadable
 * file is `StateCorrupt` when `inner` holds a run, `NoStateToResume` when it holds none.
 */
export async function loadSavedDevice(dir: string, inner: StateStore): Promise<SavedDevice> {
  const path = join(dir, DEVICE_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    if ((await inner.load()) === undefined) throw new TaskSeqError("NoStateToResume", `There is no persisted run to resume in ${dir}.`, { cause });
    throw corrupt(path, "cannot be read", cause);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw corrupt(path, "is not valid JSON", cause);
  }
  if (typeof doc !== "object" || doc === null || !("profile" in doc)) throw corrupt(path, "has no device profile");
  const pendingRestart = "pendingRestart" in doc ? doc.pendingRestart : undefined;
  if (pendingRestart !== undefined && pendingRestart !== "HD" && pendingRestart !== "WinPE") throw corrupt(path, "has an unknown pending restart");
  const logDir = "logDir" in doc ? doc.logDir : undefined;
  if (logDir !== undefined && typeof logDir !== "string") throw corrupt(path, "has a log folder that is not a string");
  let sim: SimulatedDevice;
  try {
    sim = createSimulatedDevice(parseDeviceProfile(doc.profile), { validate: false });
  } catch (cause) {
    throw corrupt(path, "holds an invalid device profile", cause);
  }
  if (pendingRestart !== undefined) await sim.reboot.restart(pendingRestart);
  return { sim, logDir };
}

/**
 * The log folder remembered in `dir`'s `device.json`, for a resume on another device
 * (`--device`), which does not need the saved device: `undefined` when there is none or the file
 * cannot be read.
 */
export async function loadSavedLogDir(dir: string): Promise<string | undefined> {
  try {
    const doc: unknown = JSON.parse(await readFile(join(dir, DEVICE_FILE), "utf8"));
    return typeof doc === "object" && doc !== null && "logDir" in doc && typeof doc.logDir === "string" ? doc.logDir : undefined;
  } catch {
    return undefined;
  }
}
