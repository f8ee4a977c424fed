import { readFileSync } from "node:fs";
import { parseDeviceProfile } from "@taskseq/device";
import type { DeviceProfile } from "@taskseq/device";
import { expect } from "vitest";
import { createSequence, createStep, isTaskSeqError } from "@taskseq/model";
import type { Item, TaskSequence } from "@taskseq/model";
import { createSite } from "@taskseq/site";
import type { Site } from "@taskseq/site";

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

/** Asserts that `fn` throws a TaskSeqError with `code`; returns its message. */
export function expectCode(fn: () => unknown, code: string): string {
  try {
    fn();
  } catch (e) {
    expect(isTaskSeqError(e) ? e.code : e).toBe(code);
    return isTaskSeqError(e) ? e.message : "";
  }
  return expect.fail(`expected ${code}`);
}

/** A site with an OS deployment sequence (boot image, OS image, client package) and a collection of `members` devices. */
export function osdSite(members: number, site = createSite()): { site: Site; packageId: string; collection: string } {
  site.content.add({ id: "PS100B01", kind: "boot-image", name: "Boot image (x64)", architecture: "x64" });
  site.content.add({ id: "PS100I01", kind: "os-image", name: "Windows 11 23H2", architecture: "x64", language: "en-US" });
  site.content.add({ id: "PS100C01", kind: "package", name: "Configuration Manager client" });
  const entry = site.library.create({ kind: "install-image", options: { name: "Windows 11", imagePackageId: "PS100I01", clientPackageId: "PS100C01" } });
  site.library.setProperties(entry.packageId, { bootImageId: "PS100B01" });
  site.directory.addCollection({ id: "PS1000C1", name: "Refresh", type: "device" });
  const ids = Array.from({ length: members }, (_, i) => `PC${String(i + 1).padStart(4, "0")}`);
  ids.forEach((id) => site.directory.addDevice({ id, name: id }));
  site.directory.addMembers("PS1000C1", ids);
  return { site, packageId: entry.packageId, collection: "PS1000C1" };
}
