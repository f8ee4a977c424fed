import { readFileSync } from "node:fs";
import { parseDeviceProfile } from "@taskseq/device";
import type { DeviceProfile } from "@taskseq/device";
import { createSequence, createStep } from "@taskseq/model";
import type { Item, TaskSequence } from "@taskseq/model";

export const corpus = new URL("../../../../shared/corpus/", import.meta.url);
export const devicesDir = new URL("../../../examples/devices/", import.meta.url);

export function readCorpus(name: string): Uint8Array {
  return readFileSync(new URL(name, corpus));
}

export function loadProfile(name = "hyperv-gen2-vm.json"): DeviceProfile {
  return parseDeviceProfile(readFileSync(new URL(name, devicesDir), "utf8"));
}

export function commandStep(name: string, commandLine: string): Item {
  return createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: commandLine }, { name });
}

export function setVariableStep(name: string, variable: string, value: string): Item {
  return createStep("SMS_TaskSequence_SetVariableAction", { VariableName: variable, VariableValue: value }, { name });
}

/** A sequence of `n` Run Command Line steps that echo a variable. */
export function commandSequence(n: number, name = "Commands"): TaskSequence {
  return createSequence(
    Array.from({ length: n }, (_, i) => commandStep(`Step ${i + 1}`, `cmd.exe /c echo %OSDComputerName% ${i}`)),
    { name },
  );
}
