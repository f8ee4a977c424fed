// An integrator's own device adapter: a small in-memory machine offering four capabilities
// (hardware, os, wmi, commands), running a sequence with the built-in step handlers.
import { compileWql, type CommandRequest, type CommandResult, type Device, type HardwareFacts, type OsFacts, type WmiRow } from "@taskseq/device";
import { TaskSeqError } from "@taskseq/model";
import { createCondition, createEngine, createSequence, createStep, wmiCondition } from "taskseq";

/** What the lab machine is: one source for the hardware facts and the WMI rows. */
const hardware: HardwareFacts = {
  manufacturer: "Contoso",
  model: "Lab 9000",
  product: "LAB9000",
  serialNumber: "CT-0042",
  assetTag: "A-17",
  uuid: "5F1C2B3A-0000-4000-8000-000000000042",
  memoryMB: 16_384,
  maxClockSpeedMHz: 3_200,
  logicalProcessors: 8,
  firmware: "UEFI",
  secureBoot: true,
  tpm: { present: true, version: "2.0", enabled: true, activated: true, ownershipAllowed: true },
  chassisTypes: [3],
  isVirtualMachine: false,
  pnpDeviceIds: [],
};

const os: OsFacts = {
  environment: "FullOS",
  productType: "CLIENT",
  architecture: "64",
  version: { major: 10, minor: 0, build: 22631, servicePack: 0, revision: 4037 },
  caption: "Microsoft Windows 11 Enterprise",
  edition: "Enterprise",
  language: 1033,
  computerName: "LAB-0042",
  timeZone: "UTC",
  workgroup: "WORKGROUP",
  systemDrive: "C:",
  powerShellAvailable: true,
  executionPolicy: "RemoteSigned",
};

/** WMI instances by lower-cased `namespace:class`. */
const wmiClasses = new Map<string, readonly WmiRow[]>([
  ["root\\cimv2:win32_computersystem", [{ Manufacturer: hardware.manufacturer, Model: hardware.model, TotalPhysicalMemory: hardware.memoryMB * 1024 * 1024 }]],
  ["root\\cimv2:win32_systemenclosure", [{ ChassisTypes: hardware.chassisTypes, SMBIOSAssetTag: hardware.assetTag }]],
]);

/** Every command line the adapter was asked to run (a real adapter would start a process). */
const ran: string[] = [];

function runCommand(request: CommandRequest): CommandResult {
  ran.push(request.commandLine);
  const echo = /^cmd(?:\.exe)? \/c echo (.*)$/i.exec(request.commandLine);
  const stdout = echo ? `${echo[1]}\r\n` : "";
  return { exitCode: echo ? 0 : 1, stdout, stderr: "", output: stdout, timedOut: false };
}

const device: Device = {
  name: "contoso-lab-9000",
  hardware: {
    facts: async () => hardware,
    power: async () => ({ source: "AC" }),
    networkAdapters: async () => [
      { index: 0, description: "Contoso Gigabit", macAddress: "00:11:22:33:44:55", connected: true, wireless: false, ipAddresses: ["10.0.0.42"], defaultGateways: ["10.0.0.1"], dhcpEnabled: true },
    ],
  },
  os: {
    facts: async () => os,
    environmentVariables: async () => ({ SystemDrive: os.systemDrive, windir: "C:\\Windows" }),
    installedProducts: async () => [],
    getPowerPlan: async () => "381b4222-f694-41f0-9685-ff5bb260df2e",
    setPowerPlan: async () => undefined,
  },
  wmi: {
    async query(namespace, wql) {
      const compiled = compileWql(wql);
      const rows = wmiClasses.get(`${namespace.toLowerCase()}:${compiled.query.className.toLowerCase()}`);
      if (rows === undefined && !namespace.toLowerCase().startsWith("root\\cimv2")) {
        throw new TaskSeqError("WqlUnsupported", `Namespace ${namespace} is not offered by this adapter.`);
      }
      return compiled.run(rows ?? []);
    },
  },
  commands: { run: async (request) => runCommand(request) },
};

/** Set Dynamic Variables rules: the driver package for Contoso Lab machines. */
const driverRules = `<Rules><Rule>
  <condition><expression type="SMS_TaskSequence_MakeModelConditionExpression"><variable name="Make">Contoso</variable><variable name="Model">Lab*</variable></expression></condition>
  <Variables><Variable Name="DriverPackage" IsSecret="false">CT100042</Variable></Variables>
</Rule></Rules>`;

const sequence = createSequence([
  createStep("SMS_TaskSequence_SetDynamicVariablesAction", { Rules: driverRules }, { name: "Read the hardware" }),
  createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "cmd /c echo %_SMSTSMake% %_SMSTSModel%" }, { name: "Report the model" }),
  createStep("SMS_TaskSequence_SetVariableAction", { VariableName: "Platform", VariableValue: "Contoso lab" }, {
    name: "Contoso only",
    condition: createCondition(wmiCondition("SELECT * FROM Win32_ComputerSystem WHERE Manufacturer = 'Contoso'")),
  }),
  createStep("SMS_TaskSequence_SetVariableAction", { VariableName: "Platform", VariableValue: "laptop" }, {
    name: "Laptops only",
    condition: createCondition(wmiCondition("SELECT * FROM Win32_Battery")),
  }),
]);

const result = await createEngine({ device }).run(sequence);
console.log(`status: ${result.status}`);
for (const step of result.steps) console.log(`step: ${step.name} -> ${step.outcome} (${step.exitCode})`);
console.log(`model: ${result.variables._SMSTSModel}`);
console.log(`driver package: ${result.variables.DriverPackage}`);
console.log(`platform: ${result.variables.Platform}`);
console.log(`commands: ${ran.join(" | ")}`);
process.exitCode = result.exitCode;
