import type { HardwareCapability, HardwareFacts, NetworkAdapterInfo, OsCapability, OsFacts } from "../types.js";
import { installedOs, record, versionParts, type SimState } from "./sim-state.js";

/** Hardware facts from the profile. */
export function hardwareFacts(state: SimState): HardwareFacts {
  const h = state.profile.hardware;
  const f = state.profile.firmware;
  const tpm = f.tpm;
  return {
    manufacturer: h.manufacturer,
    model: h.model,
    product: h.product ?? "",
    serialNumber: h.serialNumber,
    assetTag: h.assetTag ?? "",
    uuid: h.uuid,
    memoryMB: h.memoryMB,
    maxClockSpeedMHz: h.maxClockSpeedMHz,
    logicalProcessors: h.logicalProcessors ?? 1,
    firmware: f.type,
    secureBoot: f.secureBoot ?? false,
    tpm: {
      present: tpm?.present ?? false,
      version: tpm?.present === true ? (tpm.version ?? "2.0") : "",
      enabled: tpm?.present === true && (tpm.enabled ?? true),
      activated: tpm?.present === true && (tpm.activated ?? true),
      ownershipAllowed: tpm?.present === true && (tpm.ownershipAllowed ?? true),
    },
    chassisTypes: [...h.chassisTypes],
    isVirtualMachine: h.isVirtualMachine ?? false,
    pnpDeviceIds: [...(h.pnpDeviceIds ?? [])],
  };
}

/** Network adapters in enumeration order. */
export function networkAdapters(state: SimState): NetworkAdapterInfo[] {
  return (state.profile.networkAdapters ?? []).map((a, index) => ({
    index,
    description: a.description,
    macAddress: a.macAddress.toUpperCase().replace(/-/g, ":"),
    connected: a.connected ?? true,
    wireless: a.wireless ?? false,
    ipAddresses: [...(a.ipAddresses ?? [])],
    defaultGateways: [...(a.defaultGateways ?? [])],
    dhcpEnabled: a.dhcpEnabled ?? true,
  }));
}

/** Facts of the running OS (Windows PE facts while in Windows PE). */
export function osFacts(state: SimState): OsFacts {
  const os = state.profile.os;
  const installed = installedOs(state);
  if (os.running === "WinPE" || installed === undefined) {
    const pe = os.winpe ?? { version: "10.0.22621.1" };
    const [major, minor, build, revision] = versionParts(pe.version);
    return {
      environment: "WinPE",
      productType: "CLIENT",
      architecture: pe.architecture ?? "64",
      version: { major, minor, build, servicePack: 0, revision },
      caption: "Microsoft Windows PE",
      edition: "WindowsPE",
      language: pe.language ?? 1033,
      computerName: pe.computerName ?? "MININT-SIM",
      timeZone: "UTC",
      workgroup: "WORKGROUP",
      systemDrive: "X:",
      powerShellAvailable: pe.powerShell ?? false,
      executionPolicy: "Unrestricted",
    };
  }
  const [major, minor, build, revision] = versionParts(installed.version);
  const base: OsFacts = {
    environment: "FullOS",
    productType: installed.productType ?? "CLIENT",
    architecture: installed.architecture ?? "64",
    version: { major, minor, build, servicePack: installed.servicePack ?? 0, revision },
    caption: installed.caption,
    edition: installed.edition ?? "",
    language: installed.language ?? 1033,
    computerName: installed.computerName ?? "DESKTOP-SIM",
    timeZone: installed.timeZone ?? "UTC",
    systemDrive: installed.drive.toUpperCase(),
    powerShellAvailable: true,
    executionPolicy: installed.executionPolicy ?? "RemoteSigned",
  };
  return {
    ...base,
    ...(installed.clientVersion === undefined ? {} : { clientVersion: installed.clientVersion }),
    ...(installed.domain === undefined ? { workgroup: installed.workgroup ?? "WORKGROUP" } : { domain: installed.domain }),
  };
}

/** Process environment variables of the running OS. */
export function environmentVariables(state: SimState): Record<string, string> {
  const f = osFacts(state);
  const drive = f.systemDrive;
  const arch = f.architecture === "64" ? "AMD64" : "x86";
  return {
    SystemDrive: drive,
    SystemRoot: `${drive}\\Windows`,
    windir: `${drive}\\Windows`,
    ProgramFiles: `${drive}\\Program Files`,
    "ProgramFiles(x86)": `${drive}\\Program Files (x86)`,
    ProgramData: `${drive}\\ProgramData`,
    TEMP: `${drive}\\Windows\\TEMP`,
    TMP: `${drive}\\Windows\\TEMP`,
    COMPUTERNAME: f.computerName,
    PROCESSOR_ARCHITECTURE: arch,
    NUMBER_OF_PROCESSORS: String(state.profile.hardware.logicalProcessors ?? 1),
    OS: "Windows_NT",
    ...(state.profile.os.environment ?? {}),
  };
}

/** The `hardware` capability. */
export function createSimHardware(state: SimState): HardwareCapability {
  return {
    facts: async () => hardwareFacts(state),
    power: async () => {
      const p = state.profile.power ?? { source: "AC" as const };
      return p.batteryPercent === undefined ? { source: p.source } : { source: p.source, batteryPercent: p.batteryPercent };
    },
    networkAdapters: async () => networkAdapters(state),
  };
}

const balanced = "381b4222-f694-41f0-9685-ff5bb260df2e";

/** The `os` capability. */
export function createSimOs(state: SimState): OsCapability {
  return {
    facts: async () => osFacts(state),
    environmentVariables: async () => environmentVariables(state),
    installedProducts: async () =>
      installedOs(state) === undefined || state.profile.os.running === "WinPE"
        ? []
        : (state.profile.software ?? []).map((s) => ({ ...s, ...(s.upgradeCode === undefined ? {} : { upgradeCode: s.upgradeCode }) })),
    getPowerPlan: async () => state.profile.os.installed?.powerPlan ?? balanced,
    setPowerPlan: async (guid) => {
      const installed = state.profile.os.installed;
      if (installed !== undefined) installed.powerPlan = guid;
      record(state, "powerPlan", guid);
    },
  };
}
