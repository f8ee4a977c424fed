import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isTaskSeqError } from "@taskseq/model";
import { createSimulatedDevice, decodeFileText, firstMessageButton, validateDeviceProfile, type DeviceProfile } from "@taskseq/device";

/** The Dell laptop in its 64-bit full OS (System32 and SysWOW64 notepad, a WOW6432Node key). */
function laptop(edit: (p: DeviceProfile) => DeviceProfile = (p) => p) {
  const profile = JSON.parse(readFileSync(new URL("../../../examples/devices/dell-latitude-5440.json", import.meta.url), "utf8")) as DeviceProfile;
  return createSimulatedDevice(edit(profile));
}

function thrownCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isTaskSeqError(e) ? e.code : "not a TaskSeqError";
  }
  return undefined;
}

describe("simulated files: the synchronous view", () => {
  it("answers like the asynchronous reads, with WOW64 redirection unless disabled", async () => {
    const device = laptop();
    const view = device.files.syncView();
    const notepad = "C:\\Windows\\System32\\notepad.exe";
    expect(view.exists(notepad)).toBe(true);
    expect(view.stat(notepad)).toEqual(await device.files.stat(notepad));
    expect(view.stat(notepad)?.sizeBytes).toBe(193_536); // SysWOW64's copy: the 32-bit view
    expect(view.stat(notepad, { disableWow64Redirection: true })?.sizeBytes).toBe(201_216);
    expect(view.list("c:\\windows", { disableWow64Redirection: true })).toEqual(await device.files.list("c:\\windows", { disableWow64Redirection: true }));
    expect(view.exists("C:\\Nope")).toBe(false);
    expect(view.stat("Z:\\x")).toBeUndefined();
    expect(thrownCode(() => view.list(notepad))).toBe("NotFound");
    expect(thrownCode(() => view.readText("C:\\Windows"))).toBe("NotFound");
  });

  it("sees the device as it is at each call, and decodes UTF-8 and UTF-16 text", async () => {
    const device = laptop();
    const view = device.files.syncView();
    expect(view.exists("C:\\Logs\\a.log")).toBe(false);
    await device.files.write("C:\\Logs\\a.log", "héllo\r\n");
    expect(view.readText("c:\\logs\\A.LOG")).toBe("héllo\r\n");
    expect(view.list("C:\\Logs")).toEqual(["a.log"]);
    await device.files.write("C:\\Logs\\u.txt", new Uint8Array([0xff, 0xfe, 0x48, 0x00, 0x69, 0x00]));
    expect(view.readText("C:\\Logs\\u.txt")).toBe("Hi");
    await device.files.delete("C:\\Logs");
    expect(view.exists("C:\\Logs\\a.log")).toBe(false);
  });
});

describe("simulated registry: the synchronous view", () => {
  it("reads values, tests keys and lists subkeys and values, native view by default", () => {
    const view = laptop().registry.syncView();
    expect(view.readValue("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion", "UBR")).toEqual({ type: "REG_DWORD", data: 3447 });
    expect(view.keyExists("HKLM\\SOFTWARE\\Microsoft")).toBe(true); // implied by a key below it
    expect(view.listKey("HKLM\\SOFTWARE\\Microsoft")).toEqual({ subkeys: ["Windows NT", "SMS"], values: [] });
    expect(view.listKey("hklm\\software\\microsoft\\windows nt\\currentversion")).toEqual({ subkeys: [], values: ["CurrentBuild", "UBR", "DisplayVersion", "EditionID"] });
    expect(view.listKey("HKLM\\SOFTWARE")?.subkeys).toEqual(["Microsoft", "WOW6432Node"]);
    expect(view.listKey("HKLM\\SOFTWARE\\Nope")).toBeUndefined();
    expect(view.keyExists("HKLM\\SOFTWARE\\Nope")).toBe(false);
  });

  it("maps the 32-bit view to WOW6432Node on a 64-bit full OS, also for what is written there", async () => {
    const device = laptop();
    const view = device.registry.syncView();
    expect(view.readValue("HKLM\\SOFTWARE\\Dell\\UpdateService", "Version", "32")).toEqual({ type: "REG_SZ", data: "5.2.0" });
    expect(view.readValue("HKLM\\SOFTWARE\\Dell\\UpdateService", "Version")).toBeUndefined();
    expect(view.listKey("HKLM\\SOFTWARE", "32")?.subkeys).toEqual(["Dell"]);
    await device.registry.writeValue?.("HKLM\\SOFTWARE\\Contoso\\Agent", "Ring", { type: "REG_SZ", data: "Pilot" }, "32");
    expect(view.listKey("HKLM\\SOFTWARE\\WOW6432Node")?.subkeys).toEqual(["Dell", "Contoso"]);
    expect(Object.keys(device.snapshot().registry ?? {})).toContain("HKLM\\SOFTWARE\\WOW6432Node\\Contoso\\Agent");
    expect(createSimulatedDevice(device.snapshot()).registry.syncView().readValue("HKLM\\SOFTWARE\\Contoso\\Agent", "Ring", "32")).toEqual({ type: "REG_SZ", data: "Pilot" });
  });
});

describe("simulated ui: answers to ShowMessageEx questions (com-api.md §2.2)", () => {
  it("answers the first button of the type when nothing is scripted, and records the question", () => {
    const device = laptop();
    expect([0, 1, 2, 3, 4, 5, 6, 4 | 64].map((type) => device.ui.answerMessage("Contoso", "Go?", type))).toEqual([1, 1, 3, 6, 6, 4, 2, 6]);
    expect(device.history.at(-1)).toMatchObject({ kind: "message", detail: "Contoso: answered 6" });
  });

  it("takes the profile's answers in order for the questions their regex finds, then falls back", () => {
    const device = laptop((p) => ({ ...p, ui: { messageAnswers: [{ match: "bios", answers: [7, 6] }, { match: ".", answers: [2] }] } }));
    const ask = (text: string) => device.ui.answerMessage("Contoso", text, 4);
    expect([ask("Install the BIOS update?"), ask("Restart now?"), ask("Install the BIOS update?"), ask("Install the BIOS update?"), ask("Restart now?")]).toEqual([7, 2, 6, 6, 6]);
  });

  it("queueAnswers arms answers ahead of the profile's; snapshots keep what is left", () => {
    const device = laptop((p) => ({ ...p, ui: { messageAnswers: [{ match: "BIOS", answers: [6, 6] }] } }));
    device.ui.queueAnswers("bios", [7]);
    expect(device.ui.answerMessage("T", "BIOS?", 4)).toBe(7);
    expect(device.ui.answerMessage("T", "BIOS?", 4)).toBe(6);
    expect(device.snapshot().ui).toEqual({ messageAnswers: [{ match: "BIOS", answers: [6] }] });
    expect(createSimulatedDevice(device.snapshot()).ui.answerMessage("T", "BIOS?", 3)).toBe(6);
    expect(device.ui.answerMessage("T", "BIOS?", 3)).toBe(6);
    expect(device.snapshot().ui).toBeUndefined();
    expect(thrownCode(() => device.ui.queueAnswers("(", [6]))).toBe("InvalidArgument");
    expect(thrownCode(() => device.ui.queueAnswers("x", [8 as 7]))).toBe("InvalidArgument");
  });

  it("validates the profile's answers", () => {
    const base = JSON.parse(readFileSync(new URL("../../../examples/devices/dell-latitude-5440.json", import.meta.url), "utf8")) as Record<string, unknown>;
    expect(validateDeviceProfile({ ...base, ui: { messageAnswers: [{ match: "(", answers: [6] }] } }).map((i) => i.path)).toEqual(["$.ui.messageAnswers[0].match"]);
    expect(validateDeviceProfile({ ...base, ui: { messageAnswers: [{ match: "x", answers: [6, 8] }] } }).map((i) => i.path)).toEqual(["$.ui.messageAnswers[0].answers[1]"]);
    expect(validateDeviceProfile({ ...base, ui: { messageAnswers: [{ answers: [] }] } }).map((i) => i.path)).toEqual(["$.ui.messageAnswers[0].match"]);
  });
});

describe("helpers", () => {
  it("firstMessageButton and decodeFileText", () => {
    expect(firstMessageButton(6)).toBe(2);
    expect(firstMessageButton(9)).toBe(1);
    expect(decodeFileText(new TextEncoder().encode("\uFEFFabc"))).toBe("abc");
  });
});
