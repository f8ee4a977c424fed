import { spawn } from "node:child_process";
import { closeSync, constants, existsSync, fstatSync, openSync, readFileSync, readSync, readdirSync, statSync, type Stats } from "node:fs";
import { copyFile, cp, mkdir, open, readdir, rename, rm, stat, statfs, writeFile } from "node:fs/promises";
import { arch, cpus, hostname, networkInterfaces, release, totalmem, version } from "node:os";
import { dirname, join } from "node:path";
import type {
  ClockCapability,
  CommandRequest,
  CommandResult,
  CommandsCapability,
  Device,
  FileStat,
  FilesCapability,
  FilesSyncView,
  HardwareCapability,
  HardwareFacts,
  NetworkAdapterInfo,
  OsCapability,
  OsFacts,
  PowerState,
} from "@taskseq/device";
import { decodeFileText, ianaToWindowsZone } from "@taskseq/device";
import { TaskSeqError } from "@taskseq/model";

/** Options for {@link createLocalDevice}. Everything that changes the machine is off by default. */
export interface LocalDeviceOptions {
  /** Run command lines through `child_process` (default `false`: no `commands` capability). */
  readonly allowCommands?: boolean;
  /** Allow file writes, copies, moves and deletes (default `false`: they reject with `AccessDenied`). */
  readonly allowFileWrites?: boolean;
  /** Keep at most this many characters of each command's output (default 1,000,000; the tail is kept). */
  readonly maxOutputChars?: number;
  /** Display name (default: the host name). */
  readonly name?: string;
}

const MB = 1_048_576;

/** Read a Linux DMI/sysfs text file; empty when absent or unreadable (some need root). */
function sysText(path: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return "";
  }
}

function hardwareFacts(): HardwareFacts {
  const dmi = (name: string) => sysText(`/sys/class/dmi/id/${name}`);
  const chassis = Number.parseInt(dmi("chassis_type"), 10);
  const speeds = cpus().map((c) => c.speed);
  const vendor = dmi("sys_vendor");
  const model = dmi("product_name");
  return {
    manufacturer: vendor,
    model,
    product: dmi("board_name"),
    serialNumber: dmi("product_serial"),
    assetTag: dmi("chassis_asset_tag"),
    uuid: dmi("product_uuid").toUpperCase(),
    memoryMB: Math.round(totalmem() / MB),
    maxClockSpeedMHz: speeds.length === 0 ? 0 : Math.max(...speeds),
    logicalProcessors: cpus().length,
    firmware: existsSync("/sys/firmware/efi") ? "UEFI" : "BIOS",
    secureBoot: false,
    tpm: { present: existsSync("/dev/tpm0") || existsSync("/dev/tpmrm0"), version: existsSync("/dev/tpmrm0") ? "2.0" : "", enabled: false, activated: false, ownershipAllowed: false },
    chassisTypes: Number.isNaN(chassis) ? [] : [chassis],
    isVirtualMachine: /virtual|vmware|kvm|qemu|xen|hyper-v/i.test(`${vendor} ${model}`),
    pnpDeviceIds: [],
  };
}

function power(): PowerState {
  const base = "/sys/class/power_supply";
  let entries: string[];
  try {
    entries = readdirSync(base);
  } catch {
    return { source: "AC" };
  }
  const battery = entries.find((e) => sysText(`${base}/${e}/type`) === "Battery");
  const mains = entries.find((e) => sysText(`${base}/${e}/type`) === "Mains");
  const onAc = mains === undefined || battery === undefined || sysText(`${base}/${mains}/online`) === "1";
  const capacity = battery === undefined ? Number.NaN : Number.parseInt(sysText(`${base}/${battery}/capacity`), 10);
  return Number.isNaN(capacity) ? { source: onAc ? "AC" : "Battery" } : { source: onAc ? "AC" : "Battery", batteryPercent: capacity };
}

function adapters(): NetworkAdapterInfo[] {
  const out: NetworkAdapterInfo[] = [];
  for (const [name, addresses] of Object.entries(networkInterfaces())) {
    const list = (addresses ?? []).filter((a) => !a.internal);
    const first = list[0];
    if (first === undefined || first.mac === "00:00:00:00:00:00") continue;
    out.push({
      index: out.length,
      description: name,
      macAddress: first.mac.toUpperCase(),
      connected: true,
      wireless: /^(wl|wlan|wi-?fi)/i.test(name),
      ipAddresses: list.map((a) => a.address),
      defaultGateways: [],
      dhcpEnabled: false,
    });
  }
  return out;
}

/** True when a PowerShell executable is on the PATH. */
function powerShellOnPath(): boolean {
  const separator = process.platform === "win32" ? ";" : ":";
  const names = process.platform === "win32" ? ["pwsh.exe", "powershell.exe"] : ["pwsh"];
  return (process.env.PATH ?? process.env.Path ?? "").split(separator).some((dir) => dir !== "" && names.some((n) => existsSync(join(dir, n))));
}

/** The host's time zone as a Windows zone name (`OsFacts.timeZone`), else its IANA name when no Windows zone matches. */
function windowsTimeZone(): string {
  const iana = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return ianaToWindowsZone(iana, new Date().getUTCFullYear()) ?? iana;
}

function osFacts(): OsFacts {
  const [major = 0, minor = 0, build = 0] = release().split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  const windows = process.platform === "win32";
  return {
    environment: "FullOS",
    productType: "CLIENT",
    architecture: /64/.test(arch()) ? "64" : "32",
    version: { major, minor, build, servicePack: 0, revision: 0 },
    caption: version(),
    edition: "",
    language: 0,
    computerName: hostname(),
    timeZone: windowsTimeZone(),
    systemDrive: windows ? (process.env.SystemDrive ?? "C:") : "/",
    powerShellAvailable: powerShellOnPath(),
    executionPolicy: "Undefined",
  };
}

/** Split a command line into program and arguments (double quotes group, `\"` escapes a quote). */
export function splitCommandLine(commandLine: string): string[] {
  const args: string[] = [];
  let current = "";
  let quoted = false;
  let started = false;
  for (let i = 0; i < commandLine.length; i++) {
    const c = commandLine[i] as string;
    if (c === "\\" && commandLine[i + 1] === '"') {
      current += '"';
      started = true;
      i++;
    } else if (c === '"') {
      quoted = !quoted;
      started = true;
    } else if (!quoted && /\s/.test(c)) {
      if (started) args.push(current);
      current = "";
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (started) args.push(current);
  return args;
}

function createCommands(maxOutput: number): CommandsCapability {
  return {
    run: (request: CommandRequest) =>
      new Promise<CommandResult>((resolve, reject) => {
        if (request.runAs !== undefined) {
          reject(new TaskSeqError("AccessDenied", "The local device cannot run commands as another account."));
          return;
        }
        if (request.signal?.aborted === true) {
          reject(new TaskSeqError("Aborted", "The command was aborted before it started."));
          return;
        }
        const [program, ...args] = splitCommandLine(request.commandLine);
        if (program === undefined) {
          reject(new TaskSeqError("InvalidSetting", "The command line is empty."));
          return;
        }
        let stdout = "";
        let stderr = "";
        let output = "";
        const keep = (s: string) => (s.length > maxOutput ? s.slice(s.length - maxOutput) : s);
        let timedOut = false;
        const child = spawn(program, args, {
          cwd: request.workingDirectory,
          env: { ...process.env, ...request.environment },
          shell: false,
          windowsHide: true,
          stdio: ["ignore", "pipe", "pipe"],
        });
        // A killed command ends when its process does: a process it started may hold the output pipes open for ever.
        let killed = false;
        const dropOutput = () => {
          child.stdout.destroy();
          child.stderr.destroy();
        };
        const kill = () => {
          killed = true;
          if (child.exitCode !== null || child.signalCode !== null) dropOutput();
          else child.kill("SIGKILL");
        };
        child.on("exit", () => {
          if (killed) dropOutput();
        });
        const timer =
          request.timeoutSeconds === undefined
            ? undefined
            : setTimeout(() => {
                timedOut = true;
                kill();
              }, request.timeoutSeconds * 1000);
        request.signal?.addEventListener("abort", kill, { once: true });
        child.stdout.setEncoding("utf8").on("data", (d: string) => {
          stdout = keep(stdout + d);
          output = keep(output + d);
        });
        child.stderr.setEncoding("utf8").on("data", (d: string) => {
          stderr = keep(stderr + d);
          output = keep(output + d);
        });
        child.on("error", (e) => {
          if (timer !== undefined) clearTimeout(timer);
          request.signal?.removeEventListener("abort", kill);
          reject(new TaskSeqError("DeviceOperationFailed", `Could not start '${program}'.`, { cause: e }));
        });
        child.on("close", (code) => {
          if (timer !== undefined) clearTimeout(timer);
          request.signal?.removeEventListener("abort", kill);
          if (request.signal?.aborted === true && !timedOut) {
            reject(new TaskSeqError("Aborted", "The command was aborted."));
            return;
          }
          resolve({ exitCode: timedOut ? 1460 : (code ?? 1) | 0, stdout, stderr, output, timedOut });
        });
      }),
  };
}

function notFound(path: string, cause: unknown): TaskSeqError {
  return new TaskSeqError("NotFound", `'${path}' does not exist.`, { cause, details: { path } });
}

function notAFile(path: string): TaskSeqError {
  return new TaskSeqError("NotFound", `'${path}' is not a file.`, { details: { path } });
}

/** A failed file system call as a typed error: `NotFound`, `AccessDenied`, else `DeviceOperationFailed`; about the path the call names, else `path`. */
function fileError(path: string, cause: unknown): TaskSeqError {
  const { code, path: failed = path } = cause as NodeJS.ErrnoException;
  if (code === "ENOENT") return notFound(failed, cause);
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") return new TaskSeqError("AccessDenied", `Access to '${failed}' was denied.`, { cause, details: { path: failed } });
  return new TaskSeqError("DeviceOperationFailed", `The file operation on '${failed}' failed (${code ?? "unknown error"}).`, { cause, details: { path: failed } });
}

/** Runs a file system operation on `path`; what it throws is a TaskSeqError ({@link fileError}). */
async function onFile<T>(path: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (e) {
    throw e instanceof TaskSeqError ? e : fileError(path, e);
  }
}

/** Opening for reads does not wait for a pipe's writer. */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** File metadata as the `files` capability reports it. */
function fileStat(s: Stats): FileStat {
  return { kind: s.isDirectory() ? "folder" : "file", sizeBytes: s.isDirectory() ? 0 : s.size, modifiedUtc: s.mtimeMs, createdUtc: s.birthtimeMs };
}

/**
 * A regular file's content, read synchronously: at most the size it has when opened (a growing
 * log is read as it was then), and only a regular file (a device such as `/dev/zero` or a pipe is
 * `NotFound`; the open does not wait for a pipe's writer).
 */
function readRegularFile(path: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (e) {
    throw notFound(path, e);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw notAFile(path);
    const data = new Uint8Array(info.size);
    let filled = 0;
    while (filled < data.length) {
      const n = readSync(fd, data, filled, data.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return data.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

/** The local file system read synchronously (`FilesCapability.syncView`): paths as the OS takes them, never redirected. */
function createFileView(): FilesSyncView {
  const statOf = (path: string): Stats | undefined => {
    try {
      return statSync(path);
    } catch {
      return undefined;
    }
  };
  return {
    exists: (path) => statOf(path) !== undefined,
    stat: (path) => {
      const s = statOf(path);
      return s === undefined ? undefined : fileStat(s);
    },
    list: (path) => {
      try {
        return readdirSync(path);
      } catch (e) {
        throw notFound(path, e);
      }
    },
    readText: (path) => decodeFileText(readRegularFile(path)),
  };
}

function createFiles(allowWrites: boolean): FilesCapability {
  const guard = (path: string) => {
    if (!allowWrites) throw new TaskSeqError("AccessDenied", `Writing '${path}' needs allowFileWrites: true.`, { details: { path } });
  };
  const statOf = async (path: string) => {
    try {
      return await stat(path);
    } catch {
      return undefined;
    }
  };
  /** A regular file's content; anything else (a device such as `/dev/zero`, a pipe) is `NotFound`, as in the synchronous view. */
  const read = async (path: string) => {
    const handle = await open(path, READ_FLAGS).catch((e: unknown) => {
      throw notFound(path, e);
    });
    try {
      if (!(await handle.stat()).isFile()) throw notAFile(path);
      return new Uint8Array(await handle.readFile());
    } finally {
      await handle.close();
    }
  };
  return {
    exists: async (path) => (await statOf(path)) !== undefined,
    stat: async (path) => {
      const s = await statOf(path);
      return s === undefined ? undefined : fileStat(s);
    },
    read,
    readText: async (path) => decodeFileText(await read(path)),
    write: async (path, data) => {
      guard(path);
      await onFile(path, async () => {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, data);
      });
    },
    copy: async (from, to) => {
      guard(to);
      const s = await statOf(from);
      if (s === undefined) throw notFound(from, undefined);
      await onFile(to, async () => {
        await mkdir(dirname(to), { recursive: true });
        if (s.isDirectory()) await cp(from, to, { recursive: true });
        else await copyFile(from, to);
      });
    },
    move: async (from, to) => {
      guard(from);
      guard(to);
      await onFile(to, async () => {
        await mkdir(dirname(to), { recursive: true });
        await rename(from, to);
      });
    },
    delete: async (path) => {
      guard(path);
      if ((await statOf(path)) === undefined) throw notFound(path, undefined);
      await onFile(path, () => rm(path, { recursive: true, force: true }));
    },
    createFolder: async (path) => {
      guard(path);
      await onFile(path, () => mkdir(path, { recursive: true }));
    },
    list: async (path) => {
      try {
        return await readdir(path);
      } catch (e) {
        throw notFound(path, e);
      }
    },
    freeSpace: async (path) => {
      const s = await onFile(path, () => statfs(path));
      return s.bavail * s.bsize;
    },
    syncView: createFileView,
  };
}

const clock: ClockCapability = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(new TaskSeqError("Aborted", "The wait was aborted."));
        return;
      }
      const t = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(t);
        reject(new TaskSeqError("Aborted", "The wait was aborted."));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

/**
 * The machine Node runs on as a `Device`, read-only by default: `hardware`, `os`, `files` (reads,
 * also synchronous through `files.syncView()`, so sandboxed scripts read files) and `clock` from the platform; `commands` only with `allowCommands: true`; file changes only
 * with `allowFileWrites: true`. Disks, registry, WMI and the deployment capabilities are absent,
 * so steps needing them fail with `AdapterMissing`.
 *
 * @example
 * ```ts
 * const device = createLocalDevice({ allowCommands: true });
 * const result = await device.commands?.run({ commandLine: "git --version", timeoutSeconds: 10 });
 * ```
 */
export function createLocalDevice(options: LocalDeviceOptions = {}): Device {
  const hardware: HardwareCapability = { facts: async () => hardwareFacts(), power: async () => power(), networkAdapters: async () => adapters() };
  const os: OsCapability = {
    facts: async () => osFacts(),
    environmentVariables: async () => Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => typeof e[1] === "string")),
    installedProducts: async () => [],
    getPowerPlan: async () => "",
    setPowerPlan: async () => {
      throw new TaskSeqError("DeviceOperationFailed", "The local device does not change the power plan.");
    },
  };
  return {
    name: options.name ?? hostname(),
    hardware,
    os,
    files: createFiles(options.allowFileWrites === true),
    clock,
    ...(options.allowCommands === true ? { commands: createCommands(options.maxOutputChars ?? 1_000_000) } : {}),
  };
}
