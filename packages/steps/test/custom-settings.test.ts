import { describe, expect, it } from "vitest";
import { isTaskSeqError } from "@taskseq/model";
import { parseIni, processCustomSettings } from "../src/mdt/custom-settings.js";

const INI = `; sample rules
[Settings]
Priority=Model, MacAddress, DefaultGateway, Default
Properties=MyCustomProperty, Teams(*)

[Default]
OSInstall=Y
SkipBDDWelcome=YES
TimeZoneName=Pacific Standard Time
DeploymentType=NEWCOMPUTER
Applications001={default-app}
Subsection=Extra-%Make%

[Latitude 7490]
TimeZoneName=Eastern Standard Time
Applications001={dell-app}
MyCustomProperty=from-model
Teams001=Blue

[00:11:22:33:44:55]
OSDComputerName=PC-%SerialNumber%
DeploymentType=REFRESH
MyCustomProperty=from-mac
Teams001=Red

[DefaultGateway]
10.1.1.1=NYC

[NYC]
Home_Page=http://nyc.example

[Extra-Dell Inc.]
EXTRA=yes
`;

const base = {
  Model: "Latitude 7490",
  Make: "Dell Inc.",
  SerialNumber: "ABC123",
  MacAddress: ["00:11:22:33:44:55", "AA:BB:CC:DD:EE:FF"],
  DefaultGateway: ["10.1.1.1"],
};

describe("processCustomSettings", () => {
  it("processes sections in priority order, literal and by property value", () => {
    const r = processCustomSettings(INI, { properties: base });
    expect(r.sections).toEqual(["Latitude 7490", "00:11:22:33:44:55", "NYC", "Default", "Extra-Dell Inc."]);
    expect(r.values["Home_Page"]).toBe("http://nyc.example");
    expect(r.values["OSInstall"]).toBe("Y");
  });

  it("first value wins for ordinary properties", () => {
    const r = processCustomSettings(INI, { properties: base });
    expect(r.values["TimeZoneName"]).toBe("Eastern Standard Time");
    expect(r.values["MyCustomProperty"]).toBe("from-model");
    const ignored = r.trace.find((t) => t.property === "TimeZoneName" && t.section === "Default");
    expect(ignored?.outcome).toBe("ignored");
  });

  it("overwrite properties take the later value", () => {
    const r = processCustomSettings(INI, { properties: base });
    expect(r.values["DeploymentType"]).toBe("NEWCOMPUTER");
    const entry = r.trace.find((t) => t.property === "DeploymentType" && t.section === "Default");
    expect(entry?.outcome).toBe("overwritten");
    const strict = processCustomSettings(INI, { properties: base, overwriteProperties: [] });
    expect(strict.values["DeploymentType"]).toBe("REFRESH");
  });

  it("accumulates list properties from every section, without duplicates", () => {
    const r = processCustomSettings(INI, { properties: base });
    expect(r.values["Applications"]).toEqual(["{dell-app}", "{default-app}"]);
    expect(r.values["Teams"]).toEqual(["Blue", "Red"]);
  });

  it("processes each value of a list property and subsections with substitution", () => {
    const r = processCustomSettings(INI, { properties: base });
    expect(r.values["OSDComputerName"]).toBe("PC-ABC123");
    expect(r.values["EXTRA"]).toBe("yes");
    expect(r.trace.find((t) => t.property === "EXTRA")?.via).toBe("Default");
  });

  it("leaves unknown %VAR% references alone unless the lookup knows them", () => {
    const ini = "[Settings]\nPriority=Default\n[Default]\nA=%Unknown%\nB=%windir%\\x";
    const r = processCustomSettings(ini, { lookup: (n) => (n === "windir" ? "C:\\Windows" : undefined) });
    expect(r.values["A"]).toBe("%Unknown%");
    expect(r.values["B"]).toBe("C:\\Windows\\x");
  });

  it("refuses #...# VBScript expressions with a typed error", () => {
    const ini = "[Settings]\nPriority=Default\n[Default]\nOSDComputerName=#Left(\"%SerialNumber%\",7)#";
    expect(() => processCustomSettings(ini)).toThrow(expect.objectContaining({ code: "ScriptUnsupported" }));
  });

  it("rejects malformed rules with InvalidSetting", () => {
    for (const bad of ["[Settings\nPriority=Default", "Priority=Default", "[Settings]\njunk line", "[Default]\nA=1"]) {
      let caught: unknown;
      try {
        processCustomSettings(bad);
      } catch (e) {
        caught = e;
      }
      expect(isTaskSeqError(caught, "InvalidSetting")).toBe(true);
    }
  });

  it("reports database and user-exit rules it does not process", () => {
    const ini = "[Settings]\nPriority=Default, CSettings\n[Default]\nUserExit=Exit.vbs\nA=1\n[CSettings]\nSQLServer=SRV\nDatabase=MDT\n";
    const r = processCustomSettings(ini);
    expect(r.values).toEqual({ A: "1" });
    expect(r.warnings).toEqual([
      "[Default]: UserExit not processed (database, web service and user-exit rules are not supported).",
      "[CSettings]: SQLServer, Database not processed (database, web service and user-exit rules are not supported).",
    ]);
  });

  it("processes a Subsection before the rest of its section, so its values win (ZTIGather GetIniGenericSettings)", () => {
    const ini = "[Settings]\nPriority=Default\n[Default]\nTimeZoneName=Pacific Standard Time\nSubsection=Site-%Site%\n[Site-NYC]\nTimeZoneName=Eastern Standard Time\n";
    const r = processCustomSettings(ini, { properties: { Site: "NYC" } });
    expect(r.sections).toEqual(["Default", "Site-NYC"]);
    expect(r.values["TimeZoneName"]).toBe("Eastern Standard Time");
    expect(r.trace.map((t) => [t.section, t.outcome])).toEqual([
      ["Site-NYC", "set"],
      ["Default", "ignored"],
    ]);
  });

  it("processes only mapped [DefaultGateway] sections for the DefaultGateway priority", () => {
    const ini = "[Settings]\nPriority=DefaultGateway, Default\n[DefaultGateway]\n10.1.1.1=NYC\n[NYC]\nSite=NYC\n[10.2.2.1]\nSite=unmapped\n[Default]\nSite=HQ\n";
    expect(processCustomSettings(ini, { properties: { DefaultGateway: ["10.2.2.1"] } }).values["Site"]).toBe("HQ");
    expect(processCustomSettings(ini, { properties: { DefaultGateway: ["10.2.2.1", "10.1.1.1"] } }).values["Site"]).toBe("NYC");
  });

  it("uses the literal section for a priority property with an empty value", () => {
    const ini = "[Settings]\nPriority=AssetTag, Default\n[AssetTag]\nA=literal\n[Default]\nA=default\n";
    expect(processCustomSettings(ini, { properties: { AssetTag: "" } }).values["A"]).toBe("literal");
  });

  it("does not loop on self-referencing subsections", () => {
    const ini = "[Settings]\nPriority=A\n[A]\nSubsection=B\nX=1\n[B]\nSubsection=A\nY=2";
    const r = processCustomSettings(ini);
    expect(r.sections).toEqual(["A", "B"]);
    expect(r.values).toMatchObject({ X: "1", Y: "2" });
  });

  it("parses case-insensitive section names and merges duplicates", () => {
    const ini = parseIni("[default]\nA=1\n[DEFAULT]\nB=2\n");
    expect(ini.get("DEFAULT")?.entries).toEqual([["A", "1"], ["B", "2"]]);
  });
});
