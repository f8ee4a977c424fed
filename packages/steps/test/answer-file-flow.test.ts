/**
 * The answer file from Apply Operating System Image (`OSDConfigFileName`) and Apply Windows Settings
 * to Setup Windows and ConfigMgr (spec/steps.md §10 behaviour 4, §21.5, §21.11).
 */
import { describe, expect, it } from "vitest";
import { createEngine, createMemoryLogSink, type StepHandlerContext } from "@taskseq/engine";
import type { SetupWindowsOptions, SimulatedDevice } from "@taskseq/device";
import { createMemorySecretStore } from "@taskseq/environment";
import { createSequence, createStep } from "@taskseq/model";
import {
  applyOperatingSystemHandler,
  applyWindowsSettingsHandler,
  captureWindowsSettingsHandler,
  createBuiltinHandlers,
  formatPartitionDiskHandler,
  setupWindowsConfigMgrHandler,
} from "../src/index.js";
import { substituteAnswerValue } from "../src/internal/answer-file.js";
import { device, run, uefiLayout } from "./helpers.js";

const FRAGMENT = "X:\\_SMSTaskSequence\\AnswerFile\\WindowsSettings.ini";
const UNATTEND = "X:\\_SMSTaskSequence\\AnswerFile\\Unattend.xml";
const CLIENT = { ClientPackageID: "CM100020" };


const CUSTOM_UNATTEND = [
  '<?xml version="1.0" encoding="utf-8"?>',
  '<unattend xmlns="urn:schemas-microsoft-com:unattend">',
  '  <settings pass="specialize"><component name="Microsoft-Windows-Shell-Setup">',
  "    <ComputerName>%OSDComputerName%</ComputerName>",
  "  </component></settings>",
  "</unattend>",
  "",
].join("\r\n");

/** The simulated device whose package CM100021 holds `Custom\unattend.xml` once downloaded. */
function withAnswerFilePackage(d: SimulatedDevice): SimulatedDevice {
  return {
    ...d,
    content: {
      resolve: (id) => d.content.resolve(id),
      download: async (request) => {
        const result = await d.content.download(request);
        if (result.id.toUpperCase() === "CM100021") await d.files.write(`${result.path}\\Custom\\unattend.xml`, CUSTOM_UNATTEND);
        return result;
      },
    },
  };
}

/** A Windows PE device with Windows applied to the formatted disk. */
async function applied(d: SimulatedDevice = device("hp-elitebook-840-g10"), settings: Readonly<Record<string, string>> = {}) {
  const fmt = await run(formatPartitionDiskHandler, { device: d, settings: uefiLayout });
  const os = await run(applyOperatingSystemHandler, { device: d, settings: { ImagePackageID: "CM100012", ImageIndex: "1", ...settings }, vars: { OSDisk: fmt.get("OSDisk") ?? "" } });
  return { d, os };
}

describe("Apply Windows Settings → Setup Windows and ConfigMgr", () => {
  it("Setup Windows gives Windows the computer name Apply Windows Settings recorded", async () => {
    const { d } = await applied();
    expect((await run(applyWindowsSettingsHandler, { device: d, settings: { ComputerName: "PC-AUDIT01" } })).result.exitCode).toBe(0);
    const setup = await run(setupWindowsConfigMgrHandler, { device: d, settings: CLIENT });
    expect(setup.result.exitCode).toBe(0);
    expect((await d.os.facts()).computerName).toBe("PC-AUDIT01");
  });

  it("an absent ComputerName records %_SMSTSMachineName%, which Setup substitutes", async () => {
    const { d } = await applied();
    await run(applyWindowsSettingsHandler, { device: d, settings: {} });
    expect(await d.files.readText(FRAGMENT)).toContain("ComputerName=%_SMSTSMachineName%");
    await run(setupWindowsConfigMgrHandler, { device: d, settings: CLIENT, vars: { _SMSTSMachineName: "PC-KNOWN07" } });
    expect((await d.os.facts()).computerName).toBe("PC-KNOWN07");
  });

  it("writes the server licensing as Windows Setup's AutoMode and AutoUsers; the limit only in PerServer mode", async () => {
    const d = device("hp-elitebook-840-g10");
    const fragment = async (settings: Readonly<Record<string, string>>) => {
      expect((await run(applyWindowsSettingsHandler, { device: d, settings: { ComputerName: "SRV-01", ...settings } })).result.exitCode).toBe(0);
      return (await d.files.readText(FRAGMENT)).split("\r\n").filter((l) => /^Auto(Mode|Users)=/.test(l));
    };
    expect(await fragment({ ServerLicenseMode: "perserver", ServerLicenseConnectionLimit: "25" })).toEqual(["AutoMode=PerServer", "AutoUsers=25"]);
    expect(await fragment({ ServerLicenseMode: "PerSeat", ServerLicenseConnectionLimit: "25" })).toEqual(["AutoMode=PerSeat"]);
    // The console writes OSDServerLicenseConnectionLimit=5 on every step, server licensing or not.
    expect(await fragment({ ServerLicenseConnectionLimit: "5" })).toEqual([]);
  });

  it.each([
    [{ ServerLicenseMode: "PerUser" }, "ServerLicenseMode"],
    [{ ServerLicenseMode: "PerServer" }, "ServerLicenseConnectionLimit"],
    [{ ServerLicenseMode: "PerServer", ServerLicenseConnectionLimit: "4" }, "ServerLicenseConnectionLimit"],
    [{ ServerLicenseMode: "PerSeat", ServerLicenseConnectionLimit: "10000" }, "ServerLicenseConnectionLimit"],
    [{ ServerLicenseConnectionLimit: "x" }, "ServerLicenseConnectionLimit"],
  ])("server licensing %j is InvalidSetting naming %s, and nothing is recorded", async (settings, name) => {
    const d = device("hp-elitebook-840-g10");
    const r = await run(applyWindowsSettingsHandler, { device: d, settings });
    expect(r.result).toMatchObject({ exitCode: 87, error: { code: "InvalidSetting" } });
    expect(r.result.error?.message).toContain(name);
    expect(await d.files.exists(FRAGMENT)).toBe(false);
  });

  it("keeps secrets out of the answer file, the logs and the errors", async () => {
    const { d } = await applied();
    const settings = { ComputerName: "%OSDComputerName%", RandomAdminPassword: "false", AdminPassword: "S3cret!Pw", ProductKey: "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE" };
    const vars = { OSDLocalAdminPassword: "S3cret!Pw", OSDProductKey: "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE" };
    await run(applyWindowsSettingsHandler, { device: d, settings });
    const fragment = await d.files.readText(FRAGMENT);
    expect(fragment).not.toMatch(/S3cret|AAAAA/);
    const bad = await run(setupWindowsConfigMgrHandler, { device: d, settings: CLIENT, vars: { ...vars, OSDComputerName: "S3cret!Pw" } });
    expect(bad.result.exitCode).toBe(87);
    const ok = await run(setupWindowsConfigMgrHandler, { device: d, settings: CLIENT, vars: { ...vars, OSDComputerName: "PC-02" } });
    expect(ok.result.exitCode).toBe(0);
    const text = [...bad.logs, ...ok.logs, bad.result.error?.message ?? "", JSON.stringify(bad.result.error?.details ?? {})].join("\n");
    expect(text).not.toMatch(/S3cret|AAAAA/);
    expect((await d.os.facts()).computerName).toBe("PC-02");
  });

  it("keeps the image's name when the reference is unresolved and fails on an invalid name", async () => {
    const first = await applied();
    await run(applyWindowsSettingsHandler, { device: first.d, settings: { ComputerName: "%OSDComputerName%" } });
    const kept = await run(setupWindowsConfigMgrHandler, { device: first.d, settings: CLIENT });
    expect(kept.result.exitCode).toBe(0);
    expect(kept.logs.some((l) => l.startsWith("W ") && l.includes("%OSDComputerName%"))).toBe(true);
    expect((await first.d.os.facts()).computerName).toMatch(/^WIN-/); // the applied image's generated name
    const second = await applied();
    await run(applyWindowsSettingsHandler, { device: second.d, settings: { ComputerName: "%OSDComputerName%" } });
    const bad = await run(setupWindowsConfigMgrHandler, { device: second.d, settings: CLIENT, vars: { OSDComputerName: "THIS-NAME-IS-TOO-LONG" } });
    expect(bad.result.error?.code).toBe("InvalidSetting");
    expect((await second.d.os.facts()).environment).toBe("WinPE");
  });

  it("substitutes references except in numeric-only fields", async () => {
    let captured: StepHandlerContext | undefined;
    await run(
      (ctx) => {
        captured = ctx;
        return Promise.resolve({ exitCode: 0 });
      },
      { vars: { Limit: "10", Name: "PC-03" } },
    );
    if (captured === undefined) throw new Error("no context");
    expect(substituteAnswerValue(captured, "ComputerName", "%Name%")).toBe("PC-03");
    expect(substituteAnswerValue(captured, "AutoUsers", "%Limit%")).toBe("%Limit%");
  });
});

/** The device, recording the options Setup Windows and ConfigMgr passes to `setup`. */
function recordingSetup(d: SimulatedDevice): { d: SimulatedDevice; received: SetupWindowsOptions[] } {
  const received: SetupWindowsOptions[] = [];
  const setupWindowsAndClient = (options: SetupWindowsOptions) => {
    received.push(options);
    return d.setup.setupWindowsAndClient(options);
  };
  return { d: { ...d, setup: { ...d.setup, setupWindowsAndClient } }, received };
}

describe("the answer file's settings reach Windows", () => {
  const settings = {
    ComputerName: "PC-SET01",
    TimeZone: "Pacific Standard Time",
    RegisteredUserName: "IT Department",
    RegisteredOrgName: "Contoso",
    InputLocale: "0407:00000407",
    SystemLocale: "de-DE",
    UILanguage: "de-DE",
    UILanguageFallback: "en-US",
    UserLocale: "de-CH",
  };

  it("time zone, registration and locales land in the new OS; Capture Windows Settings reads them back", async () => {
    const { d } = await applied();
    await run(applyWindowsSettingsHandler, { device: d, settings });
    expect((await run(setupWindowsConfigMgrHandler, { device: d, settings: CLIENT })).result.exitCode).toBe(0);
    expect(await d.wmi.query("root\\cimv2", "SELECT RegisteredUser, Organization, MUILanguages FROM Win32_OperatingSystem")).toEqual([
      { RegisteredUser: "IT Department", Organization: "Contoso", MUILanguages: ["de-DE"] },
    ]);
    expect(d.snapshot().os.installed).toMatchObject({ inputLocale: "0407:00000407", systemLocale: "de-DE", uiLanguageFallback: "en-US", userLocale: "de-CH" });
    const captured = await run(captureWindowsSettingsHandler, { device: d });
    expect([captured.get("OSDComputerName"), captured.get("OSDTimeZone"), captured.get("OSDRegisteredOrgName")]).toEqual(["PC-SET01", "Pacific Standard Time", "Contoso"]);
  });

  it("the user's Unattend.xml time zone and organisation reach Windows", async () => {
    const { d } = await applied();
    const xml = CUSTOM_UNATTEND.replace("<ComputerName>", "<TimeZone>%MyZone%</TimeZone><RegisteredOrganization>Fabrikam</RegisteredOrganization><ComputerName>");
    await d.files.write(UNATTEND, xml);
    await run(setupWindowsConfigMgrHandler, { device: d, settings: CLIENT, vars: { MyZone: "W. Europe Standard Time", OSDComputerName: "PC-XML03" } });
    expect(await d.os.facts()).toMatchObject({ computerName: "PC-XML03", timeZone: "W. Europe Standard Time" });
    expect(await d.wmi.query("root\\cimv2", "SELECT Organization FROM Win32_OperatingSystem")).toEqual([{ Organization: "Fabrikam" }]);
  });

  it("an unresolved reference keeps the image's setting, with a warning", async () => {
    const { d } = await applied();
    await run(applyWindowsSettingsHandler, { device: d, settings: { TimeZone: "%MyZone%" } });
    const setup = await run(setupWindowsConfigMgrHandler, { device: d, settings: CLIENT });
    expect(setup.result.exitCode).toBe(0);
    expect(setup.logs.some((l) => l.startsWith("W ") && l.includes("TimeZone %MyZone%"))).toBe(true);
    expect((await d.os.facts()).timeZone).toBe("UTC");
  });

  it("the local Administrator: random and disabled, or enabled with the step's password, sealed in the answer file", async () => {
    const administrator = "SELECT * FROM Win32_UserAccount WHERE Name = 'Administrator' AND Disabled = FALSE";
    const random = await applied();
    await run(applyWindowsSettingsHandler, { device: random.d, settings: { RandomAdminPassword: "true" } });
    await run(setupWindowsConfigMgrHandler, { device: random.d, settings: CLIENT });
    expect(await random.d.wmi.query("root\\cimv2", administrator)).toEqual([]);
    const enabled = await applied();
    const { d, received } = recordingSetup(enabled.d);
    await run(applyWindowsSettingsHandler, { device: d, settings: { RandomAdminPassword: "false", AdminPassword: "S3cret!Pw", ProductKey: "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE" } });
    // The step's own password and key reach Setup (its action variables are gone by then), sealed, never in the files.
    expect(await d.files.readText("X:\\_SMSTaskSequence\\AnswerFile\\WindowsSettings.ini")).not.toMatch(/S3cret|AAAAA|%OSD/);
    const setup = await run(setupWindowsConfigMgrHandler, { device: d, settings: CLIENT });
    expect(setup.result.exitCode).toBe(0);
    expect(received[0]).toMatchObject({ administratorEnabled: true, administratorPassword: "S3cret!Pw", productKey: "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE" });
    expect(await d.wmi.query("root\\cimv2", administrator)).toHaveLength(1);
    expect(JSON.stringify([setup.logs, enabled.d.history, enabled.d.snapshot()])).not.toMatch(/S3cret|AAAAA/);
  });

  /** A real answer file: windowsPE settings first, then the specialize and oobeSystem ones Windows Setup applies. */
  const realUnattend = (password: string, productKey = "") =>
    [
      '<unattend xmlns="urn:schemas-microsoft-com:unattend" xmlns:wcm="http://schemas.microsoft.com/WMIConfig/2002/State">',
      '<settings pass="windowsPE">',
      '<component name="Microsoft-Windows-International-Core-WinPE"><UILanguage>en-US</UILanguage><UserLocale>en-US</UserLocale></component>',
      '<component name="Microsoft-Windows-Setup"><UserData><ProductKey><Key>PEKEY-11111-22222-33333-44444</Key><WillShowUI>OnError</WillShowUI></ProductKey></UserData></component>',
      "</settings>",
      '<settings pass="specialize"><component name="Microsoft-Windows-Shell-Setup">',
      `${productKey}<TimeZone>Pacific Standard Time</TimeZone><RegisteredOwner>Specialize Owner</RegisteredOwner>`,
      "</component></settings>",
      '<settings pass="oobeSystem">',
      '<component name="Microsoft-Windows-International-Core"><UILanguage>de-DE</UILanguage><UserLocale>de-CH</UserLocale></component>',
      '<component name="Microsoft-Windows-Shell-Setup"><TimeZone>W. Europe Standard Time</TimeZone>',
      `<UserAccounts><AdministratorPassword>${password}</AdministratorPassword></UserAccounts>`,
      "</component></settings>",
      "</unattend>",
    ].join("\r\n");
  const hidden = (password: string) => `<Value>${Buffer.from(`${password}AdministratorPassword`, "utf16le").toString("base64")}</Value><PlainText>false</PlainText>`;

  it("a real Unattend.xml: the specialize and oobeSystem values of the right component win over earlier windowsPE ones", async () => {
    const { d, received } = recordingSetup((await applied()).d);
    await d.files.write(UNATTEND, realUnattend("<Value>Xml!Plain1</Value><PlainText>true</PlainText>"));
    const setup = await run(setupWindowsConfigMgrHandler, { device: d, settings: CLIENT });
    expect(setup.result.exitCode).toBe(0);
    expect(received[0]).toMatchObject({
      uiLanguage: "de-DE",
      userLocale: "de-CH",
      timeZone: "W. Europe Standard Time",
      registeredOwner: "Specialize Owner",
      productKey: "PEKEY-11111-22222-33333-44444",
      administratorEnabled: true,
      administratorPassword: "Xml!Plain1",
    });
    expect(JSON.stringify([setup.logs, setup.result, d.history])).not.toMatch(/PEKEY|Xml!Plain1/);
  });

  it("a real Unattend.xml: Shell-Setup's ProductKey wins over UserData's, and a hidden AdministratorPassword is decoded", async () => {
    const { d, received } = recordingSetup((await applied()).d);
    await d.files.write(UNATTEND, realUnattend(hidden("Xml!Hidden2"), "<ProductKey>SPKEY-55555-66666-77777-88888</ProductKey>"));
    const setup = await run(setupWindowsConfigMgrHandler, { device: d, settings: CLIENT });
    expect(setup.result.exitCode).toBe(0);
    expect(received[0]).toMatchObject({ productKey: "SPKEY-55555-66666-77777-88888", administratorEnabled: true, administratorPassword: "Xml!Hidden2" });
    expect(JSON.stringify([setup.logs, setup.result, d.history])).not.toMatch(/SPKEY|PEKEY|Xml!Hidden2/);
  });

  it("a hidden AdministratorPassword that does not decode is InvalidSetting, without the value", async () => {
    const { d } = await applied();
    const wrongSuffix = `<Value>${Buffer.from("Xml!Bad3Password", "utf16le").toString("base64")}</Value><PlainText>false</PlainText>`;
    for (const password of [wrongSuffix, "<Value>Xml!Bad3%%</Value><PlainText>False</PlainText>"]) {
      await d.files.write(UNATTEND, realUnattend(password));
      const setup = await run(setupWindowsConfigMgrHandler, { device: d, settings: CLIENT });
      expect(setup.result.error?.code).toBe("InvalidSetting");
      expect(JSON.stringify([setup.result, setup.logs])).not.toMatch(/Xml!Bad3/);
    }
  });

  it("Apply Windows Settings' fragment still overrides a real Unattend.xml's values", async () => {
    const { d, received } = recordingSetup((await applied()).d);
    await d.files.write(UNATTEND, realUnattend(hidden("Xml!Hidden4")));
    await run(applyWindowsSettingsHandler, { device: d, settings: { TimeZone: "Tokyo Standard Time", RandomAdminPassword: "true" } });
    await run(setupWindowsConfigMgrHandler, { device: d, settings: CLIENT });
    expect(received[0]).toMatchObject({ timeZone: "Tokyo Standard Time", uiLanguage: "de-DE", administratorEnabled: false });
    expect(received[0]?.administratorPassword).toBeUndefined();
  });

  it("the server licensing reaches Windows Setup and the simulated device records it", async () => {
    const { d, received } = recordingSetup((await applied()).d);
    await run(applyWindowsSettingsHandler, { device: d, settings: { ServerLicenseMode: "PerServer", ServerLicenseConnectionLimit: "25" } });
    const setup = await run(setupWindowsConfigMgrHandler, { device: d, settings: CLIENT });
    expect(setup.result.exitCode).toBe(0);
    expect(received[0]).toMatchObject({ serverLicenseMode: "PerServer", serverLicenseConnectionLimit: 25 });
    expect(d.snapshot().os.installed).toMatchObject({ serverLicenseMode: "PerServer", serverLicenseConnectionLimit: 25 });
    expect(setup.logs).toContain("I Server licensing: PerServer, 25 connections.");
  });

  /** A real answer file holding the server licensing, and the Remote Desktop CAL mode, which is another setting. */
  const licensingUnattend = (autoUsers: string) =>
    [
      '<unattend xmlns="urn:schemas-microsoft-com:unattend">',
      '<settings pass="specialize">',
      '<component name="Microsoft-Windows-TerminalServices-RemoteConnectionManager"><LicensingMode>2</LicensingMode></component>',
      `<component name="Microsoft-Windows-Shell-Setup"><LicenseFilePrintData><AutoMode>PerServer</AutoMode><AutoUsers>${autoUsers}</AutoUsers></LicenseFilePrintData></component>`,
      "</settings>",
      "</unattend>",
    ].join("\r\n");

  it("a real Unattend.xml: LicenseFilePrintData's AutoMode and AutoUsers are read, Remote Desktop's LicensingMode is not; the fragment overrides them", async () => {
    const fromXml = recordingSetup((await applied()).d);
    await fromXml.d.files.write(UNATTEND, licensingUnattend("40"));
    await run(setupWindowsConfigMgrHandler, { device: fromXml.d, settings: CLIENT });
    expect(fromXml.received[0]).toMatchObject({ serverLicenseMode: "PerServer", serverLicenseConnectionLimit: 40 });
    const overridden = recordingSetup((await applied()).d);
    await overridden.d.files.write(UNATTEND, licensingUnattend("40"));
    await run(applyWindowsSettingsHandler, { device: overridden.d, settings: { ServerLicenseMode: "PerSeat" } });
    await run(setupWindowsConfigMgrHandler, { device: overridden.d, settings: CLIENT });
    expect(overridden.received[0]).toMatchObject({ serverLicenseMode: "PerSeat" });
    expect(overridden.received[0]?.serverLicenseConnectionLimit).toBeUndefined();
    const remoteDesktopOnly = (await applied()).d;
    await remoteDesktopOnly.files.write(UNATTEND, licensingUnattend("40").replace(/<component name="Microsoft-Windows-Shell-Setup">.*<\/component>/, ""));
    await run(setupWindowsConfigMgrHandler, { device: remoteDesktopOnly, settings: CLIENT });
    expect(remoteDesktopOnly.snapshot().os.installed?.serverLicenseMode).toBeUndefined();
  });

  it("a real Unattend.xml: an AutoUsers outside 5–9999 fails Setup Windows with InvalidSetting before Setup runs", async () => {
    for (const autoUsers of ["3", "%Users%"]) {
      const { d } = await applied();
      await d.files.write(UNATTEND, licensingUnattend(autoUsers));
      const setup = await run(setupWindowsConfigMgrHandler, { device: d, settings: CLIENT, vars: { Users: "25" } });
      expect(setup.result.error).toMatchObject({ code: "InvalidSetting", details: { setting: "AutoUsers" } });
      expect((await d.os.facts()).environment).toBe("WinPE");
    }
  });

  it("an enabled Administrator whose sealed password the secret store lost stays as the image has it, with a warning", async () => {
    const { d, received } = recordingSetup((await applied()).d);
    await run(applyWindowsSettingsHandler, { device: d, settings: { RandomAdminPassword: "false", AdminPassword: "S3cret!Pw" } });
    // A new process with an in-memory secret store: the token is unknown there.
    const setup = await run(setupWindowsConfigMgrHandler, { device: d, settings: CLIENT, secrets: createMemorySecretStore() });
    expect(setup.result.exitCode).toBe(0);
    expect(received[0]?.administratorEnabled).toBeUndefined();
    expect(setup.logs.some((l) => l.startsWith("W ") && l.includes("OSDLocalAdminPassword"))).toBe(true);
  });
});

describe("Apply Operating System Image with OSDConfigFileName", () => {
  it("a missing answer-file package is ContentNotFound before the disk is touched", async () => {
    const d = device("hp-elitebook-840-g10");
    const fmt = await run(formatPartitionDiskHandler, { device: d, settings: uefiLayout });
    const r = await run(applyOperatingSystemHandler, {
      device: d,
      settings: { ImagePackageID: "CM100012", ImageIndex: "1", ConfigFileName: "NOPE0001,unattend.xml" },
      vars: { OSDisk: fmt.get("OSDisk") ?? "" },
    });
    expect(r.result.error?.code).toBe("ContentNotFound");
    expect(r.result.exitCode).toBe(-2147024894);
    expect(d.history.some((e) => /apply|CM100012/i.test(e.detail))).toBe(false);
  });

  it("a malformed ConfigFileName is InvalidSetting; a file missing from the package is ContentNotFound", async () => {
    expect((await applied(undefined, { ConfigFileName: "CM100021" })).os.result.exitCode).toBe(87);
    expect((await applied(undefined, { ConfigFileName: "CM100021,..\\x.xml" })).os.result.exitCode).toBe(87);
    expect((await applied(undefined, { ConfigFileName: "CM100021,unattend.xml" })).os.result.error?.code).toBe("ContentNotFound");
  });

  it("copies the user's answer file unchanged; Setup substitutes its references", async () => {
    const { d, os } = await applied(withAnswerFilePackage(device("hp-elitebook-840-g10")), { ConfigFileName: "CM100021,Custom\\unattend.xml" });
    expect(os.result.exitCode).toBe(0);
    expect(await d.files.readText(UNATTEND)).toBe(CUSTOM_UNATTEND);
    await run(setupWindowsConfigMgrHandler, { device: d, settings: CLIENT, vars: { OSDComputerName: "PC-XML01" } });
    expect((await d.os.facts()).computerName).toBe("PC-XML01");
  });

  it("a malformed user answer file fails Setup Windows with XmlMalformed", async () => {
    const { d, os } = await applied(withAnswerFilePackage(device("hp-elitebook-840-g10")), { ConfigFileName: "CM100021,Custom\\unattend.xml" });
    expect(os.result.exitCode).toBe(0);
    await d.files.write(UNATTEND, "<unattend><settings><ComputerName>PC-XML01</settings>");
    const setup = await run(setupWindowsConfigMgrHandler, { device: d, settings: CLIENT });
    expect(setup.result.error?.code).toBe("XmlMalformed");
  });

  it("Apply Windows Settings overrides the user's answer file", async () => {
    const { d } = await applied(withAnswerFilePackage(device("hp-elitebook-840-g10")), { ConfigFileName: "CM100021,Custom\\unattend.xml" });
    await run(applyWindowsSettingsHandler, { device: d, settings: { ComputerName: "PC-WS01" } });
    await run(setupWindowsConfigMgrHandler, { device: d, settings: CLIENT, vars: { OSDComputerName: "PC-XML01" } });
    expect((await d.os.facts()).computerName).toBe("PC-WS01");
  });
});

describe("end to end through the engine and the built-in handlers", () => {
  const steps = (extra: Readonly<Record<string, string>> = {}, windows: Readonly<Record<string, string>> | undefined = { ComputerName: "PC-AUDIT01" }) =>
    createSequence([
      createStep(
        "SMS_TaskSequence_PartitionDiskAction",
        {
          DiskIndex: 0,
          PartitionStyle: "GPT",
          GPTBootDisk: true,
          Partitions: 3,
          PartitionList: [
            { Type: "EFI", FileSystem: "FAT32", Size: 500, SizeUnits: "MB", Bootable: false, QuickFormat: true },
            { Type: "MSR", Size: 128, SizeUnits: "MB", Bootable: false, QuickFormat: true },
            { Type: "Primary", FileSystem: "NTFS", Size: 100, SizeUnits: "Percent", Bootable: true, QuickFormat: true, VolumeName: "Windows", VolumeLetterVariable: "OSDisk" },
          ],
        },
        { name: "Partition Disk 0" },
      ),
      createStep("SMS_TaskSequence_ApplyOperatingSystemAction", { ImagePackageID: "CM100012", ImageIndex: 1, ...extra }, { name: "Apply Operating System" }),
      ...(windows === undefined ? [] : [createStep("SMS_TaskSequence_ApplyWindowsSettingsAction", windows, { name: "Apply Windows Settings" })]),
      createStep("SMS_TaskSequence_SetupWindowsAndSMSAction", { ClientPackageID: "CM100020" }, { name: "Setup Windows and ConfigMgr" }),
    ]);

  it("Apply Windows Settings(ComputerName=PC-AUDIT01) then Setup Windows: the device is named PC-AUDIT01", async () => {
    const d = device("hp-elitebook-840-g10");
    const result = await createEngine({ device: d, handlers: createBuiltinHandlers() }).run(steps());
    expect(result.status, JSON.stringify(result.failure)).toBe("success");
    expect(await d.os.facts()).toMatchObject({ environment: "FullOS", computerName: "PC-AUDIT01" });
  });

  it("OSDServerLicenseMode set as a task sequence variable overrides the step and reaches Windows", async () => {
    const d = device("hp-elitebook-840-g10");
    const seq = steps({}, { ComputerName: "SRV-AUDIT03", ServerLicenseMode: "PerSeat", ServerLicenseConnectionLimit: "10" });
    const result = await createEngine({ device: d, handlers: createBuiltinHandlers() }).run(seq, { variables: { runtime: { OSDServerLicenseMode: "PerServer" } } });
    expect(result.status, JSON.stringify(result.failure)).toBe("success");
    expect(d.snapshot().os.installed).toMatchObject({ computerName: "SRV-AUDIT03", serverLicenseMode: "PerServer", serverLicenseConnectionLimit: 10 });
  });

  it("the admin password never reaches smsts.log", async () => {
    const d = device("hp-elitebook-840-g10");
    const log = createMemoryLogSink();
    const seq = steps({}, { ComputerName: "PC-AUDIT02", RandomAdminPassword: "false", AdminPassword: "S3cret!Pw" });
    const result = await createEngine({ device: d, handlers: createBuiltinHandlers(), log }).run(seq);
    expect(result.status, JSON.stringify(result.failure)).toBe("success");
    expect((await d.os.facts()).computerName).toBe("PC-AUDIT02");
    expect(log.text()).not.toContain("S3cret");
    expect(JSON.stringify(result)).not.toContain("S3cret");
  });

  it("OSDConfigFileName: the user's answer file names the computer after %OSDComputerName%", async () => {
    const d = withAnswerFilePackage(device("hp-elitebook-840-g10"));
    const engine = createEngine({ device: d, handlers: createBuiltinHandlers() });
    const result = await engine.run(steps({ ConfigFileName: "CM100021,Custom\\unattend.xml" }, undefined), { variables: { runtime: { OSDComputerName: "PC-XML02" } } });
    expect(result.status, JSON.stringify(result.failure)).toBe("success");
    expect((await d.os.facts()).computerName).toBe("PC-XML02");
  });

  it("OSDConfigFileName naming a missing package fails Apply Operating System with ContentNotFound", async () => {
    const result = await createEngine({ device: device("hp-elitebook-840-g10"), handlers: createBuiltinHandlers() }).run(steps({ ConfigFileName: "NOPE0001,unattend.xml" }));
    expect(result.status).toBe("failed");
    expect(result.failure).toMatchObject({ name: "Apply Operating System", exitCode: -2147024894 });
  });
});
