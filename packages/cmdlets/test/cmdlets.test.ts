import { describe, expect, it } from "vitest";
import { isTaskSeqError, toCanonicalJson } from "@taskseq/model";
import type { Group, Step, TaskSequence } from "@taskseq/model";
import {
  addCMTaskSequenceStep,
  bindParameters,
  cmdletsByName,
  exportCMTaskSequence,
  findCmdlet,
  getCMTaskSequenceStep,
  importCMTaskSequence,
  newCMDeviceCollectionVariable,
  newCMDeviceVariable,
  newCMTaskSequence,
  newCMTaskSequenceDeployment,
  newCMTaskSequenceGroup,
  newCMTSStep,
  newCMTSStepConditionIfStatement,
  newCMTSStepConditionRegistry,
  newCMTSStepConditionVariable,
  newCMTSStepReboot,
  newCMTSStepRunCommandLine,
  removeCMTaskSequenceStep,
  setCMTaskSequenceDeployment,
  setCMTaskSequenceGroup,
  setCMTaskSequenceStep,
} from "@taskseq/cmdlets";

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isTaskSeqError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected a TaskSeqError");
}

const custom = (): TaskSequence => newCMTaskSequence({ CustomTaskSequence: true, Name: "Custom" });

describe("parameter binding", () => {
  it("accepts aliases and unique prefixes case-insensitively", () => {
    const ts = newCMTaskSequence({ customoption: true, Name: "A", TaskSequenceDescription: "d", BootImage: "XYZ00002" });
    expect([ts.name, ts.description, ts.package?.bootImageId]).toEqual(["A", "d", "XYZ00002"]);
  });

  it("names unknown, ambiguous and repeated parameters", () => {
    expect(errorOf(() => newCMTaskSequence({ CustomTaskSequence: true, Name: "A", Colour: "red" }))).toMatchObject({ code: "InvalidArgument", message: expect.stringContaining("-Colour does not exist") });
    expect(errorOf(() => newCMTaskSequence({ CustomTaskSequence: true, Name: "A", Domain: "x" })).message).toContain("ambiguous (DomainName, DomainAccount)");
    expect(errorOf(() => newCMTaskSequence({ CustomTaskSequence: true, Name: "A", Description: "x", TaskSequenceDescription: "y" })).message).toContain("-Description is given more than once");
  });

  it("refuses parameters of different sets and names them", () => {
    const e = errorOf(() => newCMTaskSequence({ CustomTaskSequence: true, UpgradeOperatingSystem: true, Name: "A", UpgradePackageId: "X" }));
    expect(e.code).toBe("InvalidArgument");
    expect(e.message).toContain("-CustomTaskSequence, -UpgradeOperatingSystem, -UpgradePackageId belong to different parameter sets");
  });

  it("reports missing mandatory parameters of the resolved set", () => {
    expect(errorOf(() => newCMTaskSequence({ UpgradeOperatingSystem: true, Name: "A" })).message).toContain("missing mandatory parameters -UpgradePackageId (parameter set UpgradeOSImage)");
    expect(errorOf(() => newCMTaskSequence({ Name: "A" })).message).toContain("parameter set NewBuildOSImage");
  });

  it("refuses a non-boolean switch", () => {
    expect(errorOf(() => cmdletsByName["New-CMTSStepRunCommandLine"]!.invoke({ Name: "x", CommandLine: "cmd", Disable: "yes" })).message).toContain("-Disable is a switch");
  });

  it("resolves the parameter set from the selecting switch", () => {
    expect(bindParameters(findCmdlet("new-cmtasksequence"), { UpgradeOperatingSystem: true, Name: "U", UpgradePackageId: "P" }).parameterSet).toBe("UpgradeOSImage");
    expect(errorOf(() => bindParameters(findCmdlet("new-cmtasksequence"), { InstallOperatingSystemImage: true })).message).toContain("-JoinDomain (parameter set NewInstallOSImage)");
  });
});

describe("cmdletsByName", () => {
  it("lists the real names with parameter metadata", () => {
    const entry = cmdletsByName["New-CMTSStepRunCommandLine"]!;
    expect(entry.functionName).toBe("newCMTSStepRunCommandLine");
    expect(entry.parameters.find((p) => p.name === "DisableWow64Redirection")?.kind).toBe("switch");
    expect(entry.parameters.find((p) => p.name === "CommandLine")).toMatchObject({ kind: "value", mandatoryIn: ["*"] });
    expect(cmdletsByName["New-CMTaskSequence"]!.parameterSets).toEqual(["NewBuildOSImage", "NewInstallOSImage", "UpgradeOSImage", "NewCustom"]);
    expect(Object.keys(cmdletsByName)).toEqual(expect.arrayContaining(["New-CMTSStepMdtGather", "New-CMTSStepConditionIfStatement", "Export-CMTaskSequence", "New-CMDeviceCollectionVariable"]));
  });

  it("invokes a cmdlet by name", () => {
    const step = cmdletsByName["New-CMTSStepSetVariable"]!.invoke({ Name: "Set", TaskSequenceVariable: "OSDComputerName", TaskSequenceVariableValue: "PC01" }) as Step;
    expect(step.variables.find((v) => v.property === "VariableName")?.value).toBe("OSDComputerName");
    expect(() => findCmdlet("Get-Nothing")).toThrow(/Unknown cmdlet Get-Nothing/);
  });
});

describe("New-CMTaskSequence", () => {
  it("builds each wizard sequence", () => {
    const ipu = newCMTaskSequence({ UpgradeOperatingSystem: true, Name: "IPU", UpgradePackageId: "XYZ02EBA" });
    expect(JSON.stringify(ipu)).toContain("XYZ02EBA");
    const install = newCMTaskSequence({
      InstallOperatingSystemImage: true, Name: "Install", BootImagePackageId: "XYZ00002", OperatingSystemImagePackageId: "XYZ001A0",
      OperatingSystemImageIndex: 1, ClientPackagePackageId: "XYZ00003", JoinDomain: "DomainType", DomainName: "contoso", ApplicationName: ["Admin Console"],
    });
    expect(JSON.stringify(install)).toContain("contoso");
    expect(getCMTaskSequenceStep({ InputObject: install, ActionClassName: "SMS_TaskSequence_InstallApplicationAction" })).toHaveLength(1);
    const build = newCMTaskSequence({
      BuildOperatingSystemImage: true, Name: "B&C", BootImagePackageId: "XYZ00002", OperatingSystemImagePackageId: "XYZ001A0", OperatingSystemImageIndex: 1,
      ClientPackagePackageId: "XYZ00003", JoinDomain: "WorkgroupType", OperatingSystemFilePath: "\\\\srv\\cap\\ref.wim", OperatingSystemFileAccount: "contoso\\cap",
    });
    expect(getCMTaskSequenceStep({ InputObject: build, ActionClassName: "SMS_TaskSequence_CaptureSystemImageAction" })).toHaveLength(1);
  });

  it("refuses a domain join without a domain", () => {
    expect(errorOf(() => newCMTaskSequence({ InstallOperatingSystemImage: true, Name: "I", BootImagePackageId: "B", OperatingSystemImagePackageId: "O", OperatingSystemImageIndex: 1, ClientPackagePackageId: "C", JoinDomain: "DomainType" })).message).toContain("needs -DomainName");
  });

  it("refuses a blank name, a name over 50 characters and a description over 512 (ConfigMgr reference)", () => {
    for (const Name of ["", "   ", "x".repeat(51)]) expect(errorOf(() => newCMTaskSequence({ CustomTaskSequence: true, Name })).message).toContain("-Name must have 1 to 50 characters");
    expect(errorOf(() => newCMTaskSequence({ UpgradeOperatingSystem: true, Name: "", UpgradePackageId: "XYZ02EBA" })).code).toBe("InvalidArgument");
    expect(errorOf(() => newCMTaskSequence({ CustomTaskSequence: true, Name: "Custom", Description: "d".repeat(513) })).message).toContain("-Description has at most 512");
    expect(newCMTaskSequence({ CustomTaskSequence: true, Name: "x".repeat(50), Description: "d".repeat(512) }).name).toHaveLength(50);
  });
});

describe("editing cmdlets", () => {
  const build = (): TaskSequence => {
    const inner = newCMTSStepReboot({ Name: "Restart", Target: "WinPE" });
    const group = newCMTaskSequenceGroup({ Name: "Prepare", Step: [inner] });
    return addCMTaskSequenceStep({ InputObject: custom(), Step: [group, newCMTSStepRunCommandLine({ Name: "Run", CommandLine: "cmd /c exit 0" })] });
  };

  it("adds at an index, gets with wildcards and removes", () => {
    let ts = build();
    ts = addCMTaskSequenceStep({ InputObject: ts, Step: newCMTSStepRunCommandLine({ Name: "First", CommandLine: "x" }), InsertStepStartIndex: 0 });
    expect(ts.items.map((i) => i.name)).toEqual(["First", "Prepare", "Run"]);
    expect(getCMTaskSequenceStep({ InputObject: ts, StepName: "r*" }).map((i) => i.name)).toEqual(["Restart", "Run"]);
    ts = removeCMTaskSequenceStep({ InputObject: ts, StepName: "R*", Force: true });
    expect(ts.items.map((i) => i.name)).toEqual(["First", "Prepare"]);
    expect((ts.items[1] as Group).children).toHaveLength(0);
    expect(errorOf(() => removeCMTaskSequenceStep({ InputObject: ts, StepName: "Nope" })).code).toBe("NotFound");
    expect(errorOf(() => addCMTaskSequenceStep({ InputObject: ts, Step: [], InsertStepStartIndex: 9 })).message).toContain("-InsertStepStartIndex");
  });

  it("sets step and group options, conditions and settings", () => {
    const cond = newCMTSStepConditionVariable({ ConditionVariableName: "_SMSTSInWinPE", OperatorType: "Equals", ConditionVariableValue: "false" });
    let ts = setCMTaskSequenceStep({ InputObject: build(), StepName: "Run", NewStepName: "Run it", IsEnabled: false, AddCondition: cond, Setting: { WorkingDirectory: "C:\\Temp" } });
    const step = ts.items[1] as Step;
    expect([step.name, step.disabled, step.condition?.operands]).toEqual(["Run it", true, [cond]]);
    expect(step.variables.find((v) => v.property === "WorkingDirectory")?.value).toBe("C:\\Temp");
    ts = setCMTaskSequenceGroup({ InputObject: ts, StepName: "Prepare", IsContinueOnError: true, Description: "prep" });
    expect(ts.items[0]).toMatchObject({ continueOnError: true, description: "prep" });
    expect(errorOf(() => setCMTaskSequenceGroup({ InputObject: ts, StepName: "Run it", Description: "x" })).code).toBe("NotFound");
    expect(errorOf(() => setCMTaskSequenceStep({ InputObject: ts, StepName: "Prepare", Setting: { X: "1" } })).message).toContain("is a group");
  });
});

describe("New-CMTSStepJoinDomainWorkgroup", () => {
  const settingsOf = (step: Step): Record<string, string | undefined> => Object.fromEntries(step.variables.map((v) => [v.property, v.value]));

  it("takes the reference's example: -DomainName joins a domain (Type 0), with -OU; -WorkgroupName joins a workgroup (Type 1)", () => {
    const join = newCMTSStep("New-CMTSStepJoinDomainWorkgroup", {
      Name: "Join Domain or Workgroup",
      DomainName: "na.corp.contoso.com",
      OU: "LDAP://OU=Ops,OU=ITS,DC=na,DC=corp,DC=contoso,DC=com",
      UserName: "contoso\\_cmosdjoin",
      UserPassword: "P@ssW0rD!",
      DisableThisStep: true,
    });
    expect(settingsOf(join)).toMatchObject({ Type: "0", DomainName: "na.corp.contoso.com", DomainOUName: "LDAP://OU=Ops,OU=ITS,DC=na,DC=corp,DC=contoso,DC=com" });
    expect(join.disabled).toBe(true);
    expect(settingsOf(newCMTSStep("New-CMTSStepJoinDomainWorkgroup", { Name: "Join", WorkgroupName: "WORKGROUP" }))).toMatchObject({ Type: "1", WorkgroupName: "WORKGROUP" });
    expect(settingsOf(newCMTSStep("New-CMTSStepJoinDomainWorkgroup", { Name: "Join", Type: 1, WorkgroupName: "LAB" })).Type).toBe("1");
    expect(errorOf(() => newCMTSStep("New-CMTSStepJoinDomainWorkgroup", { Name: "Join", DomainName: "contoso.com", WorkgroupName: "LAB" })).message).toContain("(one of them)");
    expect(errorOf(() => newCMTSStep("New-CMTSStepJoinDomainWorkgroup", { Name: "Join" })).message).toContain("give -DomainName to join a domain or -WorkgroupName");
  });
});

describe("conditions", () => {
  it("builds registry and if-statement conditions with ConfigMgr operator names", () => {
    const reg = newCMTSStepConditionRegistry({ RootKey: "HKEY_LOCAL_MACHINE", RegistryKey: "SOFTWARE\\Contoso", ValueName: "Ring", DataType: "REG_SZ", Data: "Pilot", OperatorType: "NotExists" });
    expect(reg.properties.find((p) => p.name === "Operator")?.value).toBe("nonExists");
    expect(reg.properties.find((p) => p.name === "KeyPath")?.value).toBe("HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso");
    const any = newCMTSStepConditionIfStatement({ StatementType: "Any", SubCondition: [reg] });
    expect(any).toMatchObject({ kind: "operator", operator: "or", operands: [reg] });
    expect(errorOf(() => newCMTSStepConditionVariable({ ConditionVariableName: "X", OperatorType: "Bigger" })).message).toContain("-OperatorType must be one of");
    expect(errorOf(() => newCMTSStepConditionVariable({ ConditionVariableName: " ", OperatorType: "Exists" })).message).toMatch(/^New-CMTSStepConditionVariable: /);
    expect(errorOf(() => newCMTSStepReboot({ Name: "R", Condition: "yes" })).message).toContain("-Condition must be condition objects");
  });
});

describe("export and import", () => {
  it("round-trips XML and export archives", () => {
    const ts = addCMTaskSequenceStep({ InputObject: custom(), Step: newCMTSStepRunCommandLine({ Name: "Run", CommandLine: "cmd /c exit 0" }) });
    const written = new Map<string, Uint8Array>();
    const context = { writeFile: (p: string, d: Uint8Array) => void written.set(p, d), readFile: (p: string) => written.get(p)! };
    expect(exportCMTaskSequence({ InputObject: ts, ExportFilePath: "ts.xml" }, context).format).toBe("xml");
    const [back] = importCMTaskSequence({ ImportFilePath: "ts.xml" }, context);
    expect(back?.items.map((i) => i.name)).toEqual(["Run"]);
    expect(errorOf(() => exportCMTaskSequence({ InputObject: ts, Path: "ts.zip" })).message).toContain("needs a package ID");
    exportCMTaskSequence({ InputObject: ts, Path: "ts.zip", PackageId: "XYZ00010" }, context);
    const [fromZip] = importCMTaskSequence({ Content: written.get("ts.zip")! });
    expect(toCanonicalJson(fromZip!)).toContain("cmd /c exit 0");
    expect(errorOf(() => importCMTaskSequence({ ImportFilePath: "ts.xml" })).code).toBe("InvalidOperation");
    expect(errorOf(() => importCMTaskSequence({ ImportFilePath: "a", Content: "b" })).message).toContain("different parameter sets");
  });
});

describe("variables and deployments", () => {
  it("creates device and collection variables and checks names", () => {
    expect(newCMDeviceVariable({ DeviceName: "PC01", VariableName: "OSDComputerName", VariableValue: "PC01", IsMask: false })).toMatchObject({ kind: "deviceVariable", target: { name: "PC01" } });
    expect(newCMDeviceCollectionVariable({ CollectionId: "XYZ0001", VariableName: "Ring", Value: "1" }).target).toEqual({ id: "XYZ0001" });
    expect(errorOf(() => newCMDeviceVariable({ DeviceName: "PC01", VariableName: "Bad Name", VariableValue: "x" })).message).toContain("-VariableName");
    expect(errorOf(() => newCMDeviceVariable({ DeviceName: "PC01", DeviceId: "1", VariableName: "A", VariableValue: "x" })).message).toContain("different parameter sets");
  });

  it("creates and changes deployments", () => {
    const d = newCMTaskSequenceDeployment({ InputObject: custom(), CollectionName: "All Workstations", DeployPurpose: "Available", Availability: "ClientsMediaAndPxe" });
    expect(d).toMatchObject({ taskSequence: "Custom", purpose: "Available", availability: "ClientsMediaAndPxe" });
    const r = setCMTaskSequenceDeployment({ InputObject: d, DeployPurpose: "Required", DeadlineDateTime: "2030-01-01T00:00:00Z" });
    expect(r).toMatchObject({ purpose: "Required", deadlineDateTime: "2030-01-01T00:00:00.000Z", availability: "ClientsMediaAndPxe" });
    expect(errorOf(() => newCMTaskSequenceDeployment({ InputObject: custom(), CollectionName: "C", AvailableDateTime: "not a date" })).message).toContain("-AvailableDateTime");
  });

  it("-DeadlineDateTime is when any deployment expires (alias -DeploymentExpireDateTime); rerun defaults to always (ConfigMgr reference)", () => {
    const d = newCMTaskSequenceDeployment({ TaskSequenceId: "PS100001", CollectionName: "Pilot", AvailableDateTime: "2030-01-01T00:00:00Z", DeadlineDateTime: "2030-02-01T00:00:00Z" });
    expect(d).toMatchObject({ purpose: "Available", rerunBehavior: "AlwaysRerunProgram", availableDateTime: "2030-01-01T00:00:00.000Z", deadlineDateTime: "2030-02-01T00:00:00.000Z" });
    // Set-CMTaskSequenceDeployment -DeploymentAvailableDateTime / -DeploymentExpireDateTime, as in its documented example.
    const moved = setCMTaskSequenceDeployment({ InputObject: d, DeploymentAvailableDateTime: "2030-01-15T00:00:00Z", DeploymentExpireDateTime: "2030-03-01T00:00:00Z" });
    expect(moved).toMatchObject({ availableDateTime: "2030-01-15T00:00:00.000Z", deadlineDateTime: "2030-03-01T00:00:00.000Z" });
    expect(newCMTaskSequenceDeployment({ PackageId: "PS100001", CollectionName: "Pilot", DeployPurpose: "Debug", DeadlineDateTime: "2030-01-01T00:00:00Z" }).deadlineDateTime).toBe("2030-01-01T00:00:00.000Z");
    expect(errorOf(() => setCMTaskSequenceDeployment({ InputObject: d, DeploymentExpireDateTime: "2030-01-01T00:00:00Z" })).message).toContain("must expire (-DeadlineDateTime) after it becomes available");
  });

  it("creates Debug deployments (execution.md §11.1)", () => {
    const d = newCMTaskSequenceDeployment({ TaskSequencePackageId: "PS100001", CollectionName: "Debug lab", DeployPurpose: "Debug" });
    expect(d).toMatchObject({ taskSequence: "PS100001", collection: "Debug lab", purpose: "Debug" });
    expect(setCMTaskSequenceDeployment({ InputObject: d, Comment: "x" }).purpose).toBe("Debug");
    expect(errorOf(() => newCMTaskSequenceDeployment({ TaskSequencePackageId: "PS100001", CollectionName: "C", DeployPurpose: "Debugging" })).message).toContain("Available, Required, Debug");
  });
});
