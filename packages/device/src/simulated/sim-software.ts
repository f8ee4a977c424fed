import { TaskSeqError } from "@taskseq/model";
import type { ProfileApplication, ProfileWindows } from "../profile/profile-types.js";
import type {
  ApplicationInstallResult,
  ApplicationsCapability,
  ContentCapability,
  ContentInfo,
  ContentKind,
  DriverInfo,
  DriversCapability,
  ImageCapability,
  PackagesCapability,
  SetupCapability,
  UpdatesCapability,
} from "../types.js";
import { compileWql } from "../wql/wql-compile.js";
import { applyAnswerSettings } from "./sim-answer-settings.js";
import { runLine } from "./sim-commands.js";
import { classInstances } from "./sim-wmi.js";
import {
  allPartitions,
  ensureFolder,
  failed,
  freeBytes,
  installedOs,
  normPath,
  partitionByLetter,
  putFile,
  record,
  wipeRoot,
  type Mutable,
  type SimState,
} from "./sim-state.js";

function notFound(id: string, kind = "Content"): TaskSeqError {
  return new TaskSeqError("ContentNotFound", `${kind} '${id}' was not found.`, { details: { id } });
}

/** Metadata of any content item by ID (or application name). */
function findContent(state: SimState, id: string): ContentInfo | undefined {
  if (state.missingContent.has(id.toUpperCase())) return undefined;
  const c = state.profile.content ?? {};
  const same = (x: string) => x.toUpperCase() === id.toUpperCase();
  const info = (kind: ContentKind, item: { id: string; name: string; sizeBytes: number; version?: string; hash?: string }): ContentInfo => ({
    id: item.id,
    kind,
    name: item.name,
    sizeBytes: item.sizeBytes,
    ...(item.version === undefined ? {} : { version: item.version }),
    ...(item.hash === undefined ? {} : { hash: item.hash }),
  });
  const pkg = c.packages?.find((p) => same(p.id));
  if (pkg !== undefined) return info("package", pkg);
  const image = c.images?.find((p) => same(p.id));
  if (image !== undefined) return info("image", image);
  const drivers = c.driverPackages?.find((p) => same(p.id));
  if (drivers !== undefined) return info("driverPackage", drivers);
  const upgrade = c.upgradePackages?.find((p) => same(p.id));
  if (upgrade !== undefined) return info("upgradePackage", upgrade);
  const app = c.applications?.find((a) => a.name === id || (a.id !== undefined && same(a.id)));
  if (app !== undefined) return info("application", { id: app.id ?? app.name, name: app.name, sizeBytes: app.sizeBytes ?? 0, ...(app.version === undefined ? {} : { version: app.version }) });
  return undefined;
}

/** The task sequence cache root: the first lettered NTFS volume that is not the boot image, else X:. */
function cacheRoot(state: SimState): string {
  const ntfs = allPartitions(state).find((r) => r.partition.fileSystem === "NTFS" && r.partition.driveLetter !== undefined && r.partition.type !== "Recovery" && r.partition.type !== "Hidden");
  return ntfs?.partition.driveLetter?.toUpperCase() ?? "X:";
}

/** The `content` capability. */
export function createSimContent(state: SimState): ContentCapability {
  return {
    resolve: async (id) => findContent(state, id),
    download: async (request) => {
      const info = findContent(state, request.id);
      if (info === undefined) throw notFound(request.id);
      const key = info.id.toUpperCase();
      const failures = state.downloadFailures.get(key) ?? 0;
      if (failures > 0) {
        state.downloadFailures.set(key, failures - 1);
        record(state, "download", `${info.id} failed`);
        throw failed(`Download of '${info.id}' failed.`, { id: info.id, retryable: true });
      }
      const destination = request.destination ?? "TSCache";
      if (destination === "CCMCache" && state.profile.os.running === "WinPE") {
        throw new TaskSeqError("WrongEnvironment", "The client cache is not available in Windows PE.");
      }
      let folder: string;
      if (destination === "Custom") {
        if (request.customPath === undefined) throw new TaskSeqError("InvalidSetting", "A custom destination needs a path.");
        folder = `${request.customPath.replace(/\\+$/, "")}\\${info.id}`;
      } else if (destination === "CCMCache") {
        folder = `${installedOs(state)?.drive ?? "C:"}\\Windows\\ccmcache\\${info.id}`;
      } else {
        folder = `${cacheRoot(state)}\\_SMSTaskSequence\\Packages\\${info.id}`;
      }
      const root = folder.slice(0, 2).toUpperCase();
      const existing = state.files.get(normPath(`${folder}\\${info.id}.content`));
      if (existing === undefined && info.sizeBytes > freeBytes(state, folder.startsWith("\\\\") ? folder : root)) {
        throw failed(`Not enough free space to download '${info.id}' (${info.sizeBytes} bytes).`, { id: info.id });
      }
      ensureFolder(state, folder);
      putFile(state, `${folder}\\${info.id}.content`, { sizeBytes: info.sizeBytes });
      state.elapsedMs += Math.ceil(info.sizeBytes / 100_000);
      record(state, "download", `${info.id} to ${folder}`);
      return { id: info.id, path: folder, sizeBytes: info.sizeBytes };
    },
  };
}

function appByName(state: SimState, name: string): Mutable<ProfileApplication> {
  const app = state.profile.content?.applications?.find((a) => a.name === name);
  if (app === undefined || state.missingContent.has((app.id ?? app.name).toUpperCase())) throw notFound(name, "Application");
  return app;
}

function requirementsOf(state: SimState, app: Mutable<ProfileApplication>): { met: boolean; reason?: string } {
  for (const req of app.requirements ?? []) {
    const q = compileWql(req.query);
    if (q.run(classInstances(state, req.namespace ?? "root\\cimv2", q.query.className)).length === 0) {
      return { met: false, reason: req.description ?? `Requirement not met: ${req.query}` };
    }
  }
  return { met: true };
}

function detected(state: SimState, app: Mutable<ProfileApplication>): boolean {
  const d = app.detection;
  if (d === undefined) return false;
  const product = d.productCode === undefined || (state.profile.software ?? []).some((s) => s.productCode.toUpperCase() === d.productCode?.toUpperCase());
  const file = d.file === undefined || state.files.has(normPath(d.file));
  return product && file && (d.productCode !== undefined || d.file !== undefined);
}

/** The `applications` capability: requirements are WQL over the device, detection by product code or file. */
export function createSimApplications(state: SimState): ApplicationsCapability {
  const install = (name: string, chain: readonly string[]): ApplicationInstallResult => {
    if (chain.includes(name)) throw new TaskSeqError("InvalidSetting", `Application dependency cycle: ${[...chain, name].join(" → ")}.`);
    const app = appByName(state, name);
    const req = requirementsOf(state, app);
    if (!req.met) return { name, outcome: "skipped", exitCode: 0, restartRequired: false, reason: req.reason ?? "", dependencies: [] };
    const dependencies: ApplicationInstallResult[] = [];
    for (const dep of app.dependencies ?? []) {
      const r = install(dep, [...chain, name]);
      dependencies.push(r);
      if (r.outcome === "failed" || r.outcome === "skipped") {
        return { name, outcome: r.outcome, exitCode: r.exitCode, restartRequired: false, reason: `Dependency '${dep}' ${r.outcome}`, dependencies };
      }
    }
    if (detected(state, app)) return { name, outcome: "alreadyInstalled", exitCode: 0, restartRequired: false, dependencies };
    const exitCode = app.exitCode ?? 0;
    record(state, "install", `${name} exit ${exitCode}`);
    state.elapsedMs += 30_000;
    if (exitCode !== 0 && exitCode !== 3010) return { name, outcome: "failed", exitCode, restartRequired: false, reason: `Installer returned ${exitCode}`, dependencies };
    const code = app.detection?.productCode;
    if (code !== undefined) {
      const software = (state.profile.software ??= []);
      software.push({ productCode: code, name, version: app.version ?? "1.0", ...(app.upgradeCode === undefined ? {} : { upgradeCode: app.upgradeCode }) });
    }
    if (app.detection?.file !== undefined) putFile(state, app.detection.file, { sizeBytes: 1024, ...(app.version === undefined ? {} : { version: app.version }) });
    return { name, outcome: "installed", exitCode, restartRequired: exitCode === 3010, dependencies };
  };
  return {
    exists: async (name) => state.profile.content?.applications?.some((a) => a.name === name) ?? false,
    evaluateRequirements: async (name) => requirementsOf(state, appByName(state, name)),
    detect: async (name) => detected(state, appByName(state, name)),
    dependencies: async (name) => [...(appByName(state, name).dependencies ?? [])],
    install: async (name) => install(name, []),
  };
}

/** The `packages` capability: a program's fixed exit code, or its command line through the command rules. */
export function createSimPackages(state: SimState): PackagesCapability {
  return {
    runProgram: async (packageId, programName) => {
      const pkg = state.profile.content?.packages?.find((p) => p.id.toUpperCase() === packageId.toUpperCase());
      if (pkg === undefined || state.missingContent.has(pkg.id.toUpperCase())) throw notFound(packageId, "Package");
      const program = pkg.programs?.find((p) => p.name.toUpperCase() === programName.toUpperCase());
      if (program === undefined) throw notFound(`${packageId}:${programName}`, "Program");
      record(state, "program", `${pkg.id}:${program.name}`);
      if (program.exitCode !== undefined) return { exitCode: program.exitCode, output: "" };
      const o = runLine(state, program.commandLine ?? program.name);
      state.elapsedMs += o.seconds * 1000;
      return { exitCode: o.exitCode, output: o.stdout + o.stderr };
    },
  };
}

function installWindows(state: SimState, drive: string, os: ProfileWindows): void {
  const previous = state.profile.os.installed;
  state.profile.os.installed = {
    caption: os.caption,
    version: os.version,
    ...(os.edition === undefined ? {} : { edition: os.edition }),
    productType: os.productType ?? "CLIENT",
    architecture: os.architecture ?? "64",
    language: os.language ?? 1033,
    servicePack: os.servicePack ?? 0,
    drive: drive.toUpperCase(),
    computerName: previous?.computerName ?? `WIN-${state.profile.hardware.serialNumber.replace(/[^A-Za-z0-9]/g, "").slice(-8).toUpperCase()}`,
    timeZone: previous?.timeZone ?? "UTC",
    workgroup: "WORKGROUP",
  };
  for (const folder of ["Windows\\System32\\config", "Windows\\SysWOW64", "Windows\\INF", "Program Files", "ProgramData", "Users"]) ensureFolder(state, `${drive}\\${folder}`);
  putFile(state, `${drive}\\Windows\\explorer.exe`, { sizeBytes: 5_000_000, version: os.version });
  putFile(state, `${drive}\\Windows\\System32\\ntoskrnl.exe`, { sizeBytes: 11_000_000, version: os.version });
  putFile(state, `${drive}\\Windows\\System32\\config\\SYSTEM`, { sizeBytes: 12_000_000 });
}

/** The `image` capability. */
export function createSimImage(state: SimState): ImageCapability {
  const apply = (request: { imageId: string; index: number; targetVolume: string; excludeFolder?: string; wipe?: boolean }, data: boolean) => {
    if (state.profile.os.running !== "WinPE") throw new TaskSeqError("WrongEnvironment", "Images are applied from Windows PE.");
    const image = state.profile.content?.images?.find((i) => i.id.toUpperCase() === request.imageId.toUpperCase());
    if (image === undefined || state.missingContent.has(image.id.toUpperCase())) throw notFound(request.imageId, "Image");
    const index = image.indexes.find((i) => i.index === request.index);
    if (index === undefined) throw new TaskSeqError("InvalidSetting", `Image '${image.id}' has no index ${request.index}.`, { details: { id: image.id, index: request.index } });
    const volume = partitionByLetter(state, request.targetVolume);
    if (volume === undefined) throw new TaskSeqError("InvalidSetting", `Volume ${request.targetVolume} does not exist.`);
    const letter = request.targetVolume.slice(0, 2).toUpperCase();
    if (request.wipe ?? !data) {
      wipeRoot(state, letter, request.excludeFolder);
      volume.partition.usedBytes = 0;
    }
    const size = index.sizeBytes ?? image.sizeBytes * 3;
    if (size > freeBytes(state, letter)) {
      throw failed(`Volume ${letter} has ${freeBytes(state, letter)} bytes free; image '${image.id}' index ${index.index} needs ${size}.`, { id: image.id, volume: letter });
    }
    volume.partition.usedBytes = (volume.partition.usedBytes ?? 0) + size;
    if (!data) installWindows(state, letter, index);
    state.elapsedMs += Math.ceil(size / 50_000);
    record(state, "image", `${data ? "data " : ""}${image.id}:${index.index} to ${letter}`);
  };
  return {
    applyImage: async (request) => apply(request, false),
    applyDataImage: async (request) => apply(request, true),
    captureImage: async (request) => {
      let count = 0;
      for (const v of request.volumes) {
        const ref = partitionByLetter(state, v);
        if (ref === undefined || (ref.partition.fileSystem !== "NTFS" && ref.partition.fileSystem !== "FAT32") || ref.disk.busType.toUpperCase() === "USB") continue;
        count++;
      }
      putFile(state, request.destination, { sizeBytes: count * 4_000_000_000 });
      record(state, "image", `capture ${count} volume(s) to ${request.destination}`);
      return count;
    },
    writeBootFiles: async (osVolume) => {
      const os = installedOs(state);
      if (os === undefined || os.drive.toUpperCase() !== osVolume.slice(0, 2).toUpperCase()) throw failed(`No Windows installation on ${osVolume}.`);
      const boot = allPartitions(state).find((r) => r.partition.type === "EFI" || r.partition.active === true);
      if (boot === undefined) throw failed("No EFI or active partition to hold the boot files.");
      record(state, "boot", `boot files for ${osVolume} on disk ${boot.disk.index} partition ${boot.number}`);
    },
  };
}

function allDrivers(state: SimState): DriverInfo[] {
  return (state.profile.content?.driverPackages ?? []).flatMap((pkg) =>
    pkg.drivers.map((d) => ({ id: d.id, name: d.name, packageId: pkg.id, hardwareIds: [...d.hardwareIds], categories: [...(d.categories ?? [])], signed: d.signed ?? true })),
  );
}

/** The `drivers` capability: hardware IDs match a PnP ID when the PnP ID starts with them (case-insensitive). */
export function createSimDrivers(state: SimState): DriversCapability {
  const inject = (drivers: readonly DriverInfo[], targetVolume: string): number => {
    const os = installedOs(state);
    if (os === undefined || os.drive.toUpperCase() !== targetVolume.slice(0, 2).toUpperCase()) throw failed(`No applied Windows on ${targetVolume}.`);
    for (const d of drivers) {
      state.appliedDrivers.push(d.id);
      putFile(state, `${os.drive}\\Windows\\INF\\oem${state.appliedDrivers.length - 1}.inf`, { sizeBytes: 4096 });
    }
    record(state, "drivers", `${drivers.length} driver(s) to ${targetVolume}`);
    return drivers.length;
  };
  return {
    match: async (request) => {
      const wanted = (request.categories ?? []).map((c) => c.toUpperCase());
      const candidates = allDrivers(state).filter(
        (d) => (request.allowUnsigned === true || d.signed) && (wanted.length === 0 || d.categories.some((c) => wanted.includes(c.toUpperCase()))),
      );
      const result: DriverInfo[] = [];
      for (const pnp of request.pnpIds) {
        const upper = pnp.toUpperCase();
        const matches = candidates.filter((d) => d.hardwareIds.some((h) => upper.startsWith(h.toUpperCase())));
        for (const m of request.bestMatch === true ? matches.slice(0, 1) : matches) if (!result.includes(m)) result.push(m);
      }
      return result;
    },
    applyDrivers: async (ids, targetVolume) => {
      const known = allDrivers(state);
      const drivers: DriverInfo[] = [];
      for (const id of ids) {
        const driver = known.find((d) => d.id === id);
        if (driver === undefined) throw notFound(id, "Driver");
        drivers.push(driver);
      }
      return inject(drivers, targetVolume);
    },
    applyPackage: async (packageId, targetVolume, options) => {
      const pkg = state.profile.content?.driverPackages?.find((p) => p.id.toUpperCase() === packageId.toUpperCase());
      if (pkg === undefined || state.missingContent.has(pkg.id.toUpperCase())) throw notFound(packageId, "Driver package");
      return inject(allDrivers(state).filter((d) => d.packageId === pkg.id && (options?.allowUnsigned === true || d.signed)), targetVolume);
    },
  };
}

/** Unsigned `0xC1900210`: compatibility scan found no issues. */
export const compatScanSuccess = 3_247_440_400;

/** The `setup` capability: outcomes come from the upgrade package's profile entry. */
export function createSimSetup(state: SimState): SetupCapability {
  return {
    upgrade: async (request) => {
      if (state.profile.os.running !== "FullOS") throw new TaskSeqError("WrongEnvironment", "An upgrade runs in the full OS.");
      const source = request.source.toUpperCase();
      const pkg = state.profile.content?.upgradePackages?.find((p) => source === p.id.toUpperCase() || source.includes(`\\${p.id.toUpperCase()}`));
      if (pkg === undefined || state.missingContent.has(pkg.id.toUpperCase())) throw notFound(request.source, "Upgrade package");
      if (request.scanOnly === true) {
        record(state, "setup", `compat scan ${pkg.id}`);
        return { exitCode: pkg.scanExitCode ?? compatScanSuccess, rolledBack: false };
      }
      const exitCode = pkg.upgradeExitCode ?? 0;
      state.elapsedMs += 3_600_000;
      if (pkg.rollback === true || exitCode !== 0) {
        record(state, "setup", `upgrade ${pkg.id} rolled back`);
        return { exitCode: exitCode === 0 ? 0xc1900101 : exitCode >>> 0, rolledBack: true };
      }
      const os = installedOs(state);
      if (os === undefined) throw failed("No installed OS to upgrade.");
      const keep = { ...os };
      installWindows(state, os.drive, pkg.os);
      Object.assign(state.profile.os.installed ?? {}, {
        computerName: keep.computerName,
        ...(keep.domain === undefined ? {} : { domain: keep.domain }),
        ...(keep.clientVersion === undefined ? {} : { clientVersion: keep.clientVersion }),
      });
      record(state, "setup", `upgrade to ${pkg.os.caption} ${pkg.os.version}`);
      return { exitCode: 0, rolledBack: false };
    },
    setupWindowsAndClient: async (options) => {
      const os = installedOs(state);
      if (os === undefined) throw failed("No applied Windows to set up.");
      applyAnswerSettings(state, os, options);
      os.clientVersion ??= "5.00.9128.1000";
      state.profile.os.running = "FullOS";
      state.elapsedMs += 600_000;
      record(state, "restart", "Setup Windows and ConfigMgr: into the new OS");
      return 0;
    },
    sysprep: async () => {
      const os = installedOs(state);
      if (os === undefined || state.profile.os.running !== "FullOS") throw new TaskSeqError("WrongEnvironment", "Sysprep runs in the full OS.");
      if (os.domain !== undefined) return 1;
      record(state, "setup", "sysprep /generalize");
      return 0;
    },
  };
}

/** The `updates` capability. */
export function createSimUpdates(state: SimState): UpdatesCapability {
  return {
    scan: async (target) =>
      (state.profile.updates ?? [])
        .filter((u) => u.installed !== true && (target === "All" || u.mandatory === true))
        .map((u) => ({ id: u.id, title: u.title, mandatory: u.mandatory ?? false })),
    install: async (ids) => {
      let restartRequired = false;
      for (const id of ids) {
        const u = state.profile.updates?.find((x) => x.id === id);
        if (u === undefined) throw notFound(id, "Update");
        u.installed = true;
        restartRequired ||= u.restartRequired === true;
        record(state, "update", id);
      }
      return { exitCode: restartRequired ? 3010 : 0, restartRequired };
    },
  };
}
