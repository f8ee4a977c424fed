import { MESSAGE_BOX_RESULTS } from "../message-box.js";

/** A JSON Schema node (the subset the profile schema uses). */
export interface JsonSchema {
  /** JSON type(s). */
  readonly type?: string | readonly string[];
  /** Object properties. */
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  /** Required properties. */
  readonly required?: readonly string[];
  /** `false` or a schema for other properties. */
  readonly additionalProperties?: boolean | JsonSchema;
  /** Array items. */
  readonly items?: JsonSchema;
  /** Allowed values. */
  readonly enum?: readonly (string | number | boolean)[];
  /** Inclusive minimum. */
  readonly minimum?: number;
  /** Inclusive maximum. */
  readonly maximum?: number;
  /** Minimum string length. */
  readonly minLength?: number;
  /** Regex a string must match. */
  readonly pattern?: string;
  /** Reference to `#/$defs/<name>`. */
  readonly $ref?: string;
  /** Description. */
  readonly description?: string;
  /** Definitions (root only). */
  readonly $defs?: Readonly<Record<string, JsonSchema>>;
  /** Schema dialect (root only). */
  readonly $schema?: string;
  /** Identifier (root only). */
  readonly $id?: string;
  /** Title (root only). */
  readonly title?: string;
}

const str: JsonSchema = { type: "string" };
const bool: JsonSchema = { type: "boolean" };
const count: JsonSchema = { type: "integer", minimum: 0 };
const bytes: JsonSchema = { type: "integer", minimum: 0, description: "bytes" };
const strings: JsonSchema = { type: "array", items: str };
const letter: JsonSchema = { type: "string", pattern: "^[A-Za-z]:$" };
const dottedVersion: JsonSchema = { type: "string", pattern: "^\\d+(\\.\\d+){1,3}$" };
const isoTime: JsonSchema = { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$" };
const ref = (name: string): JsonSchema => ({ $ref: `#/$defs/${name}` });
const list = (name: string): JsonSchema => ({ type: "array", items: ref(name) });

function obj(required: readonly string[], properties: Record<string, JsonSchema>, description?: string): JsonSchema {
  return { type: "object", required, properties, additionalProperties: false, ...(description === undefined ? {} : { description }) };
}

const windows = {
  caption: str,
  version: dottedVersion,
  edition: str,
  productType: { enum: ["CLIENT", "SERVER"] },
  architecture: { enum: ["32", "64"] },
  language: count,
  servicePack: count,
};

/**
 * The JSON Schema of a device profile (docs/device-profile.md). {@link validateDeviceProfile}
 * checks a document against it and reports every issue with its JSON path.
 */
export const deviceProfileSchema: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://taskseq.dev/schemas/device-profile.json",
  title: "taskseq device profile",
  ...obj(["hardware", "firmware", "os", "disks"], {
    $schema: str,
    name: str,
    hardware: ref("hardware"),
    firmware: ref("firmware"),
    power: obj(["source"], { source: { enum: ["AC", "Battery"] }, battery: bool, batteryPercent: { type: "integer", minimum: 0, maximum: 100 } }),
    os: ref("os"),
    disks: list("disk"),
    files: { type: "object", additionalProperties: ref("file") },
    registry: { type: "object", additionalProperties: { type: "object", additionalProperties: ref("registryValue") } },
    software: list("software"),
    networkAdapters: list("networkAdapter"),
    wmi: { type: "object", additionalProperties: { type: "array", items: { type: "object" } } },
    content: ref("content"),
    commands: list("commandRule"),
    unmatchedCommandExitCode: { type: "integer" },
    updates: list("update"),
    stateStores: { type: "object", additionalProperties: ref("stateStore") },
    faults: ref("faults"),
    ui: ref("ui"),
    clock: obj(["start"], { start: isoTime }),
  }),
  $defs: {
    hardware: obj(["manufacturer", "model", "serialNumber", "uuid", "memoryMB", "maxClockSpeedMHz", "chassisTypes"], {
      manufacturer: str,
      model: str,
      product: str,
      version: str,
      family: str,
      serialNumber: str,
      assetTag: str,
      uuid: { type: "string", pattern: "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$" },
      memoryMB: { type: "integer", minimum: 1 },
      processorName: str,
      maxClockSpeedMHz: { type: "integer", minimum: 1 },
      logicalProcessors: { type: "integer", minimum: 1 },
      chassisTypes: { type: "array", items: { type: "integer", minimum: 1, maximum: 36 } },
      isVirtualMachine: bool,
      pnpDeviceIds: strings,
    }),
    firmware: obj(["type"], {
      type: { enum: ["UEFI", "BIOS"] },
      secureBoot: bool,
      biosVersion: str,
      biosManufacturer: str,
      biosReleaseDate: str,
      tpm: obj(["present"], { present: bool, version: str, enabled: bool, activated: bool, ownershipAllowed: bool, manufacturerVersion: str }),
    }),
    os: obj(["running"], {
      running: { enum: ["WinPE", "FullOS"] },
      winpe: obj(["version"], { version: dottedVersion, architecture: { enum: ["32", "64"] }, language: count, powerShell: bool, computerName: str, bootable: bool }),
      installed: obj(["caption", "version", "drive"], {
        ...windows,
        drive: letter,
        computerName: str,
        timeZone: str,
        domain: str,
        workgroup: str,
        clientVersion: dottedVersion,
        executionPolicy: { enum: ["Restricted", "AllSigned", "RemoteSigned", "Unrestricted", "Bypass", "Undefined"] },
        powerPlan: str,
        inputLocale: str,
        systemLocale: str,
        uiLanguage: str,
        uiLanguageFallback: str,
        userLocale: str,
        administratorEnabled: bool,
        serverLicenseMode: { enum: ["PerSeat", "PerServer"] },
        serverLicenseConnectionLimit: { type: "integer", minimum: 5, maximum: 9999 },
      }),
      environment: { type: "object", additionalProperties: str },
    }),
    disk: obj(["index", "sizeBytes", "busType", "partitionStyle"], {
      index: count,
      model: str,
      sizeBytes: { type: "integer", minimum: 1 },
      busType: str,
      partitionStyle: { enum: ["MBR", "GPT", "RAW"] },
      dynamic: bool,
      partitions: list("partition"),
    }),
    partition: obj(["type", "sizeBytes"], {
      type: { enum: ["Primary", "Extended", "Logical", "Hidden", "EFI", "MSR", "Recovery"] },
      sizeBytes: { type: "integer", minimum: 1 },
      active: bool,
      fileSystem: { enum: ["NTFS", "FAT32", "exFAT", "ReFS"] },
      label: str,
      driveLetter: letter,
      usedBytes: bytes,
      bitLocker: { enum: ["FullyDecrypted", "EncryptionInProgress", "FullyEncrypted", "Suspended"] },
      bitLockerSuspendCount: count,
    }),
    file: obj([], { folder: bool, sizeBytes: bytes, version: dottedVersion, modified: isoTime, created: isoTime, content: str, base64: { type: "string", pattern: "^[A-Za-z0-9+/]*={0,2}$" } }),
    registryValue: obj(["type", "data"], {
      type: { enum: ["REG_SZ", "REG_EXPAND_SZ", "REG_MULTI_SZ", "REG_DWORD", "REG_QWORD", "REG_BINARY", "REG_NONE"] },
      data: { type: ["string", "number", "array"] },
    }),
    software: obj(["productCode", "name", "version"], { productCode: str, upgradeCode: str, name: str, version: str }),
    networkAdapter: obj(["description", "macAddress"], {
      description: str,
      macAddress: { type: "string", pattern: "^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$" },
      connected: bool,
      wireless: bool,
      ipAddresses: strings,
      defaultGateways: strings,
      dhcpEnabled: bool,
    }),
    commandRule: obj(["match"], {
      match: { type: "string", minLength: 1 },
      exitCode: { type: "integer" },
      stdout: str,
      stderr: str,
      reboot: bool,
      durationSeconds: { type: "number", minimum: 0 },
      times: { type: "integer", minimum: 1 },
      createsFiles: strings,
    }),
    program: obj(["name"], { name: str, commandLine: str, exitCode: { type: "integer" } }),
    requirement: obj(["query"], { namespace: str, query: str, description: str }),
    content: obj([], {
      packages: { type: "array", items: obj(["id", "name", "sizeBytes"], { id: str, name: str, version: str, sizeBytes: bytes, hash: str, programs: list("program") }) },
      applications: {
        type: "array",
        items: obj(["name"], {
          name: str,
          id: str,
          version: str,
          sizeBytes: bytes,
          requirements: list("requirement"),
          detection: obj([], { productCode: str, file: str }),
          dependencies: strings,
          exitCode: { type: "integer" },
          upgradeCode: str,
        }),
      },
      images: {
        type: "array",
        items: obj(["id", "name", "sizeBytes", "indexes"], {
          id: str,
          name: str,
          sizeBytes: bytes,
          hash: str,
          indexes: { type: "array", items: obj(["index", "caption", "version"], { ...windows, index: { type: "integer", minimum: 1 }, sizeBytes: bytes }) },
        }),
      },
      driverPackages: {
        type: "array",
        items: obj(["id", "name", "sizeBytes", "drivers"], {
          id: str,
          name: str,
          sizeBytes: bytes,
          hash: str,
          drivers: { type: "array", items: obj(["id", "name", "hardwareIds"], { id: str, name: str, hardwareIds: strings, categories: strings, signed: bool }) },
        }),
      },
      upgradePackages: {
        type: "array",
        items: obj(["id", "name", "sizeBytes", "os"], {
          id: str,
          name: str,
          sizeBytes: bytes,
          hash: str,
          os: obj(["caption", "version"], windows),
          scanExitCode: { type: "integer" },
          upgradeExitCode: { type: "integer" },
          rollback: bool,
        }),
      },
    }),
    update: obj(["id", "title"], { id: str, title: str, mandatory: bool, installed: bool, restartRequired: bool }),
    stateStore: obj(["type"], { type: { enum: ["capture", "restore"] }, captured: bool, released: bool }),
    faults: obj([], {
      powerLoss: { type: "array", items: obj(["path"], { path: { type: "string", pattern: "^\\d+(\\.\\d+)*$" }, duringStep: bool }) },
      downloadFailures: { type: "object", additionalProperties: count },
      missingContent: strings,
      stateStoreFailures: count,
    }),
    ui: obj([], {
      messageAnswers: {
        type: "array",
        items: obj(["match", "answers"], {
          match: { type: "string", minLength: 1, description: "regular expression over the question's text" },
          answers: { type: "array", items: { enum: MESSAGE_BOX_RESULTS, description: "Win32 MessageBox result" } },
        }),
      },
    }),
  },
};
