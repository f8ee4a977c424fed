/** A tiny device for engine tests: WMI (real WQL evaluator), OS, files, registry, installed products, reboot. */
import type { Device, FileStat, InstalledProduct, OsFacts, RegistryValue, RestartTarget, WmiRow } from "@taskseq/device";
import { compileWql } from "@taskseq/device";

export interface FakeDeviceState {
  environment: "WinPE" | "FullOS";
  version: { major: number; minor: number; build: number; servicePack: number };
  architecture: "32" | "64";
  wmi: Record<string, WmiRow[]>;
  files: Record<string, FileStat>;
  registry: Record<string, RegistryValue | "key">;
  products: InstalledProduct[];
  restarts: RestartTarget[];
  bootable: RestartTarget[];
  queries: string[];
  powerPlan: string;
  powerPlans: string[];
  dialogs: string[];
  /** Restart notifications: `message|seconds`. */
  notices: string[];
  commands: string[];
  progress: string[];
  /** The Windows time zone of the OS facts (default `UTC`). */
  timeZone?: string;
}

export function createFakeDevice(init: Partial<FakeDeviceState> = {}): Device & { state: FakeDeviceState } {
  const state: FakeDeviceState = {
    environment: "FullOS",
    version: { major: 10, minor: 0, build: 19045, servicePack: 0 },
    architecture: "64",
    wmi: {},
    files: {},
    registry: {},
    products: [],
    restarts: [],
    bootable: ["HD", "WinPE"],
    queries: [],
    powerPlan: "381b4222-f694-41f0-9685-ff5bb260df2e",
    powerPlans: [],
    dialogs: [],
    notices: [],
    commands: [],
    progress: [],
    ...init,
  };
  const facts = (): OsFacts => ({
    environment: state.environment,
    productType: "CLIENT",
    architecture: state.architecture,
    version: { ...state.version, revision: 0 },
    caption: "Windows",
    edition: "Enterprise",
    language: 1033,
    computerName: "PC01",
    timeZone: state.timeZone ?? "UTC",
    systemDrive: state.environment === "WinPE" ? "X:" : "C:",
    powerShellAvailable: true,
    executionPolicy: "Bypass",
  });
  return {
    state,
    os: {
      facts: () => Promise.resolve(facts()),
      environmentVariables: () => Promise.resolve({ windir: state.environment === "WinPE" ? "X:\\Windows" : "C:\\Windows" }),
      installedProducts: () => Promise.resolve(state.products),
      getPowerPlan: () => Promise.resolve(state.powerPlan),
      setPowerPlan: (guid) => {
        state.powerPlan = guid;
        state.powerPlans.push(guid);
        return Promise.resolve();
      },
    },
    wmi: {
      query(_namespace, wql) {
        state.queries.push(wql);
        const q = compileWql(wql);
        const rows = Object.entries(state.wmi).find(([k]) => k.toLowerCase() === q.query.className.toLowerCase())?.[1] ?? [];
        return Promise.resolve(q.run(rows));
      },
    },
    files: {
      exists: (p) => Promise.resolve(state.files[p.toLowerCase()] !== undefined),
      stat: (p) => Promise.resolve(state.files[p.toLowerCase()]),
      read: () => Promise.reject(new Error("unused")),
      readText: () => Promise.reject(new Error("unused")),
      write: () => Promise.resolve(),
      copy: () => Promise.resolve(),
      move: () => Promise.resolve(),
      delete: () => Promise.resolve(),
      createFolder: () => Promise.resolve(),
      list: () => Promise.resolve([]),
      freeSpace: () => Promise.resolve(0),
    },
    registry: {
      keyExists: (k) => Promise.resolve(Object.keys(state.registry).some((r) => r.toLowerCase() === k.toLowerCase() || r.toLowerCase().startsWith(`${k.toLowerCase()}@`))),
      readValue: (k, n) => {
        const v = state.registry[`${k}@${n}`.toLowerCase()];
        return Promise.resolve(v === "key" ? undefined : v);
      },
    },
    ui: {
      progress(update) {
        state.progress.push(`${update.step}:${update.current}/${update.total}`);
        return Promise.resolve();
      },
      message(title, text, timeout) {
        state.dialogs.push(`${title}|${timeout}|${text}`);
        return Promise.resolve("timeout");
      },
      close: () => Promise.resolve(),
    },
    commands: {
      run(request) {
        state.commands.push(request.commandLine);
        return Promise.resolve({ exitCode: 0, stdout: "", stderr: "", output: "", timedOut: false });
      },
    },
    reboot: {
      bootableTargets: () => Promise.resolve(state.bootable),
      notify: (message: string, seconds: number) => {
        state.notices.push(`${message}|${seconds}`);
        return Promise.resolve();
      },
      restart(target) {
        state.restarts.push(target);
        state.environment = target === "WinPE" ? "WinPE" : "FullOS";
        return Promise.resolve();
      },
    },
  };
}
