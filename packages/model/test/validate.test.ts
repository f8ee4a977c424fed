import { describe, expect, it } from "vitest";
import {
  addItem,
  allOf,
  anyOf,
  createCondition,
  createGroup,
  createSequence,
  createStep,
  fileCondition,
  folderCondition,
  noneOf,
  osVersionCondition,
  registryCondition,
  setCondition,
  setSetting,
  softwareCondition,
  toCanonicalJson,
  validateSequence,
  variableCondition,
  wmiCondition,
} from "../src/index.js";
import type { ConditionExpression, ConditionNode, ResolvedChildSequence, Step, TaskSequence, TaskSequenceResolver, ValidationIssue } from "../src/index.js";
import { cmReboot, sampleSequence } from "./fixtures.js";

const codes = (issues: readonly ValidationIssue[]): string[] => issues.map((i) => `${i.code}@${i.path}:${i.severity}`);
const setVar = (name: string): Step => createStep("SMS_TaskSequence_SetVariableAction", { VariableName: name, VariableValue: "v" });

describe("validateSequence", () => {
  it("accepts the corpus-like sample", () => {
    expect(validateSequence(sampleSequence())).toEqual([]);
  });

  it("checks names and descriptions", () => {
    const long: Step = { ...cmReboot, name: "n".repeat(51), description: "d".repeat(256) };
    const tooLong: Step = { ...cmReboot, name: "n".repeat(101), description: "d".repeat(257) };
    const empty: Step = { ...cmReboot, name: "" };
    expect(codes(validateSequence(createSequence([long, tooLong, empty])))).toEqual([
      "StepNameTooLong@0:warning",
      "DescriptionTooLong@0:warning",
      "StepNameTooLong@1:error",
      "DescriptionTooLong@1:error",
      "EmptyName@2:error",
    ]);
  });

  it("checks variable names written by Set Task Sequence Variable and Set Dynamic Variables", () => {
    const rules = '<Rules><Rule><Variables><Variable Name="Bad Name" IsSecret="false">x</Variable><Variable Name="_SMSTSX" IsSecret="false">x</Variable></Variables></Rule></Rules>';
    const seq = createSequence([
      setVar("My.Var"),
      setVar("_SMSTSMachineName"),
      setVar("2PEnabled"),
      setVar("%Indirect%"),
      createStep("SMS_TaskSequence_SetDynamicVariablesAction", { Rules: rules }),
    ]);
    expect(codes(validateSequence(seq))).toEqual([
      "InvalidVariableName@0:error",
      "ReadOnlyVariableWrite@1:error",
      "VariableNameLeadingDigit@2:warning",
      "InvalidVariableName@4:error",
      "ReadOnlyVariableWrite@4:error",
    ]);
  });

  it("reports missing and invalid settings, success code problems and unknown types", () => {
    const noCommand: Step = { ...createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "x" }), variables: [] };
    const badInt: Step = { ...cmReboot, variables: [{ name: "SMSRebootTimeout", property: "MessageTimeout", value: "soon" }] };
    const badCodes: Step = { ...createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "x" }), successCodes: [0] };
    const typo: Step = setSetting(createSequence([badCodes]), [0], "SuccessCodes", "0 x").items[0] as Step;
    const untyped: Step = { ...createStep("", {}), action: " " };
    const mdtRun: Step = { ...noCommand, action: 'cscript.exe "%SCRIPTROOT%\\ZTITatoo.wsf"' };
    const unknown: Step = { ...cmReboot, type: "Contoso_Action" };
    const fractional: Step = { ...cmReboot, successCodes: [0.5] };
    expect(codes(validateSequence(createSequence([noCommand, badInt, badCodes, typo, untyped, unknown, fractional, mdtRun])))).toEqual([
      "MissingSetting@0:error",
      "InvalidSetting@1:error",
      "SuccessCodesMismatch@2:warning",
      "InvalidSuccessCodeList@3:error",
      "MissingSetting@4:error",
      "UnknownStepType@5:warning",
      "InvalidSuccessCodeList@6:error",
    ]);
  });

  it("a value that is not a task sequence is InvalidArgument naming the place, for the validator and the canonical JSON writer", () => {
    const good = createSequence([createGroup("G", [createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "x" })])]);
    const bad: [unknown, string][] = [
      [null, "sequence"],
      [{ ...good, items: undefined }, "sequence"],
      [{ ...good, items: [null] }, "0"],
      [{ ...good, items: [{ ...good.items[0], children: [{ kind: "step", name: "No type" }] }] }, "0.0"],
    ];
    for (const [value, path] of bad) {
      for (const use of [() => validateSequence(value as TaskSequence), () => toCanonicalJson(value as TaskSequence)]) {
        expect(use, path).toThrow(expect.objectContaining({ code: "InvalidArgument", position: { path } }));
      }
    }
    expect(validateSequence(good)).toEqual([]);
  });

  it("reports timeouts and retry counts outside the SDK's UInt32, and retry counts above the editor's 5", () => {
    const run = createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "x" });
    const items: Step[] = [{ ...run, timeout: -5 }, { ...run, timeout: 1.5 }, { ...run, timeout: 900 }, { ...run, retryCount: -1 }, { ...run, retryCount: 6 }, { ...run, retryCount: 5, timeout: 0 }];
    expect(codes(validateSequence(createSequence(items)))).toEqual(["InvalidTimeout@0:error", "InvalidTimeout@1:error", "InvalidRetryCount@3:error", "InvalidRetryCount@4:warning"]);
    for (const options of [{ timeout: -5 }, { timeout: 4_294_967_296 }, { retryCount: -1 }, { retryCount: 0.5 }]) {
      expect(() => createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "x" }, options), JSON.stringify(options)).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
    }
  });

  it("flags clear-text secrets, ignored continue-on-error and ambiguous PowerShell sources", () => {
    const secret = createStep("SMS_TaskSequence_ConnectNetworkFolderAction", { Path: "\\\\as\\s", DriveLetter: "D:", Password: "P@ss" });
    const setup = createStep("SMS_TaskSequence_SetupWindowsAndSMSAction", { ClientPackageID: "RSC00001" }, { continueOnError: true });
    const both = createStep("SMS_TaskSequence_RunPowerShellScriptAction", { PackageID: "RSC001A4", ScriptName: "a.ps1", SourceScript: "//5zAA==" });
    const neither = createStep("SMS_TaskSequence_RunPowerShellScriptAction", {});
    const one = createStep("SMS_TaskSequence_RunPowerShellScriptAction", { SourceScript: "//5zAA==" });
    const issues = validateSequence(createSequence([secret, setup, both, neither, one]));
    expect(codes(issues)).toEqual(["ClearTextCredential@0:warning", "ContinueOnErrorIgnored@1:warning", "InvalidSetting@2:error", "InvalidSetting@3:error"]);
    expect(JSON.stringify(issues)).not.toContain("P@ss");
  });

  it("follows unconditional restarts and flags steps in the wrong environment", () => {
    const toPe = createStep("SMS_TaskSequence_RebootAction", { Target: "WinPE" });
    const toOs = createStep("SMS_TaskSequence_RebootAction", { Target: "HD" });
    const disk = createStep("SMS_TaskSequence_PartitionDiskAction", {});
    const app = createStep("SMS_TaskSequence_InstallApplicationAction", {});
    const cond = createCondition(variableCondition("_SMSTSInWinPE", "equals", "false"));
    const seq = createSequence([
      toOs,
      disk,
      createGroup("Maybe", [disk], { condition: cond }),
      { ...toPe, continueOnError: true },
      disk,
      toPe,
      app,
      { ...app, disabled: true },
      createStep("SMS_TaskSequence_SetupWindowsAndSMSAction", { ClientPackageID: "RSC00001" }),
      disk,
      createStep("SMS_TaskSequence_PrepareOSAction", {}),
      createGroup("G", [app]),
    ]);
    expect(codes(validateSequence(seq))).toEqual(["WrongEnvironment@1:warning", "WrongEnvironment@6:warning", "WrongEnvironment@9:warning", "WrongEnvironment@11.0:warning"]);
  });

  it("reports duplicate globals, broken, duplicate and missing references", () => {
    const seq: TaskSequence = {
      ...sampleSequence(),
      globalVariables: [
        { name: "OSGUID", property: "OSGUID", value: "{1}" },
        { name: "OSGUID", property: "OSGUID", value: "{1}" },
        { name: "osguid", property: "OSGUID", value: "{2}" },
      ],
      items: [...sampleSequence().items, createStep("SMS_TaskSequence_ApplyOperatingSystemAction", { ImagePackageID: "RSC0022E" })],
      references: [{ package: "RSC0017C" }, { package: "RSC0017C" }, { program: "*" }],
    };
    expect(codes(validateSequence(seq))).toEqual([
      "DuplicateGlobalVariable@globalVariables:info",
      "DuplicateGlobalVariable@globalVariables:warning",
      "DuplicateReference@references.1:warning",
      "ReferenceBroken@references.2:error",
      "ReferenceMissing@references:warning",
      "ReferenceMissing@references:warning",
      "ReferenceMissing@references:warning",
    ]);
    expect(validateSequence(seq).filter((i) => i.code === "ReferenceMissing").map((i) => i.message.split(" ")[1])).toEqual(["RSC00237", "RSC001A4", "RSC0022E"]);
  });

  it("warns about empty and unknown operators", () => {
    let seq = setCondition(sampleSequence(), [2], createCondition(allOf(), anyOf({ kind: "operator", operator: "xor", operands: [] })));
    seq = addItem(seq, cmReboot);
    expect(codes(validateSequence(seq))).toEqual(["EmptyOperator@2:warning", "UnknownOperator@2:warning", "EmptyOperator@2:warning"]);
  });
});

describe("condition evaluation errors (conditions.md §6)", () => {
  const expr = (type: string, properties: Record<string, string>): ConditionExpression => ({
    kind: "expression",
    type,
    properties: Object.entries(properties).map(([name, value]) => ({ name, value })),
  });
  const T = {
    variable: "SMS_TaskSequence_VariableConditionExpression",
    wmi: "SMS_TaskSequence_WMIConditionExpression",
    os: "SMS_TaskSequence_OSConditionExpression",
    file: "SMS_TaskSequence_FileConditionExpression",
    folder: "SMS_TaskSequence_FolderConditionExpression",
    registry: "SMS_TaskSequence_RegistryConditionExpression",
    software: "SMS_TaskSequence_SoftwareConditionExpression",
  };
  /** One group per condition node, so each issue's path is the node's index. */
  const groups = (...nodes: ConditionNode[]): TaskSequence => createSequence(nodes.map((n, i) => createGroup(`G${i}`, [], { condition: createCondition(n) })));
  const check = (...nodes: ConditionNode[]): string[] => codes(validateSequence(groups(...nodes)));

  it("reports an Installed Software condition with neither a product code nor an upgrade code", () => {
    expect(
      check(
        expr(T.software, { Operator: "AnyVersion", ProductName: "Reader" }),
        expr(T.software, { Operator: "ThisVersion", ProductCode: " {} ", UpgradeCode: "" }),
        softwareCondition("ThisVersion", { productCode: "{90160000-0011-0000-0000-0000000FF1CE}" }),
        softwareCondition("AnyVersion", { upgradeCode: "{00160000-0011-0000-0000-0000000FF1CE}" }),
      ),
    ).toEqual(["MissingSoftwareCode@0:error", "MissingSoftwareCode@1:error"]);
  });

  it("reports a non-integer component in an OS version condition", () => {
    expect(
      check(
        osVersionCondition("X64", "greaterEqual", "10.x"),
        osVersionCondition("", "equals", "10..0"),
        osVersionCondition("X64", "greaterEqual", "10.00.10240.0"),
        osVersionCondition("X86", "equals", " 6.1 "),
      ),
    ).toEqual(["InvalidConditionVersion@0:error", "InvalidConditionVersion@1:error"]);
  });

  it("reports a non-integer component in a compared file version", () => {
    expect(
      check(
        fileCondition("%windir%\\notepad.exe", { version: { operator: "greaterEqual", value: "1.a" } }),
        fileCondition("C:\\a.dll", { version: { operator: "equals", value: "%Ver%" } }),
        expr(T.file, { Path: "C:\\a.dll", Version: "1.a" }),
        fileCondition("C:\\a.dll", { version: { operator: "less", value: "10.0.19041.1" } }),
        expr(T.folder, { Path: "C:\\Logs", Version: "1.a", VersionOperator: "equals" }),
      ),
    ).toEqual(["InvalidConditionVersion@0:error", "InvalidConditionVersion@1:error"]);
  });

  it("reports a WMI query that is not a WQL statement, also inside an OS condition group", () => {
    const osGroup: ConditionNode = {
      kind: "osConditionGroup",
      groups: [{ name: "All x64 Windows 10 and higher Clients", expressions: [wmiCondition("SELECT * FROM Win32_OperatingSystem"), wmiCondition("FROM Win32_OperatingSystem")] }],
    };
    expect(
      check(
        wmiCondition("SELEC * FROM X"),
        wmiCondition("SELECT * WHERE Model LIKE '%Virtual%'"),
        wmiCondition(`SELECT * FROM Win32_BIOS WHERE SerialNumber = '${"9".repeat(16_400)}'`),
        expr(T.wmi, { Namespace: "root\\cimv2" }),
        osGroup,
        wmiCondition('Select * From Win32_ComputerSystem WHERE Manufacturer LIKE "%HP%"'),
        wmiCondition("  select*from Win32_Battery"),
        wmiCondition("ASSOCIATORS OF {Win32_DiskDrive.DeviceID='x'}"),
      ),
    ).toEqual(["InvalidWqlQuery@0:error", "InvalidWqlQuery@1:error", "InvalidWqlQuery@2:error", "InvalidWqlQuery@3:error", "InvalidWqlQuery@4:error"]);
  });

  it("reports an unknown comparison operator in an expression", () => {
    expect(
      check(
        expr(T.variable, { Variable: "DeploymentType", Operator: "frob", Value: "NEWCOMPUTER" }),
        expr(T.file, { Path: "C:\\a.dll", Version: "1.0", VersionOperator: "atLeast", DateTime: "20240101000000.000000+000", DateTimeOperator: "before" }),
        expr(T.variable, { Variable: "X", Operator: "EQUALS", Value: "1" }),
        expr(T.registry, { KeyPath: "HKLM\\SOFTWARE\\Contoso", Value: "Ring", Operator: "nonExists" }),
      ),
    ).toEqual(["UnknownOperator@0:warning", "UnknownOperator@1:warning", "UnknownOperator@1:warning"]);
  });

  it("reports a known operator the expression type does not accept", () => {
    expect(
      check(
        expr(T.variable, { Variable: "DeploymentType", Operator: "ThisVersion", Value: "x" }),
        expr(T.os, { Architecture: "X64", Version: "10.0", Operator: "like" }),
        expr(T.file, { Path: "C:\\a.dll", Version: "1.0", VersionOperator: "exists" }),
        expr(T.software, { Operator: "equals", ProductCode: "{90160000-0011-0000-0000-0000000FF1CE}" }),
        expr(T.registry, { KeyPath: "HKLM\\SOFTWARE\\Contoso", Value: "Ring", Operator: "AnyVersion", Data: "1" }),
        expr(T.folder, { Path: "C:\\Logs", DateTime: "20240101000000.000000+000", DateTimeOperator: "notLike" }),
        expr(T.variable, { Variable: "X", Operator: "nonExists" }),
        registryCondition("HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso", "like", { value: "Ring", data: "Pil%" }),
        expr(T.file, { Path: "C:\\a.dll", VersionOperator: "exists" }),
        folderCondition("C:\\Logs", { operator: "lessEqual", value: "20240101000000.000000+000" }),
      ),
    ).toEqual([
      "OperatorNotAllowed@0:error",
      "OperatorNotAllowed@1:error",
      "OperatorNotAllowed@2:error",
      "OperatorNotAllowed@3:error",
      "OperatorNotAllowed@4:error",
      "OperatorNotAllowed@5:error",
    ]);
  });

  it("warns about an unknown expression type", () => {
    expect(check(expr("Contoso_ConditionExpression", { Operator: "frob" }), expr("SMS_TaskSequence_MakeModelConditionExpression", { Make: "HP" }))).toEqual([
      "UnknownExpressionType@0:warning",
      "UnknownOperator@0:warning",
      "UnknownExpressionType@1:warning",
    ]);
  });

  it("reports all six bad conditions of one sequence set through the edit API, without secret values", () => {
    const bad = createCondition(
      expr(T.software, { Operator: "AnyVersion", ProductName: "Reader" }),
      osVersionCondition("X64", "greaterEqual", "10.x"),
      fileCondition("C:\\a.dll", { version: { operator: "greaterEqual", value: "1.a" } }),
      anyOf(wmiCondition("SELEC * FROM X WHERE Name = 'S3cretQuery'"), noneOf()),
      expr(T.variable, { Variable: "DeploymentType", Operator: "frob", Value: "REFRESH" }),
      expr(T.variable, { Variable: "OSDJoinPassword", Operator: "ThisVersion", Value: "S3cretValue" }),
    );
    const issues = validateSequence(setCondition(sampleSequence(), [2], bad));
    expect(codes(issues)).toEqual([
      "MissingSoftwareCode@2:error",
      "InvalidConditionVersion@2:error",
      "InvalidConditionVersion@2:error",
      "InvalidWqlQuery@2:error",
      "EmptyOperator@2:warning",
      "UnknownOperator@2:warning",
      "OperatorNotAllowed@2:error",
    ]);
    expect(JSON.stringify(issues)).not.toMatch(/S3cret/);
    expect(validateSequence(setCondition(sampleSequence(), [2], createCondition(variableCondition("_SMSTSInWinPE", "equals", "false"))))).toEqual([]);
  });
});

describe("child task sequences", () => {
  const child = (id: string): Step => createStep("SMS_TaskSequence_SubTasksequence", { TsPackageID: id });
  const resolverOf = (map: Record<string, ResolvedChildSequence>, async = false): TaskSequenceResolver => ({
    resolve: (id) => (async ? Promise.resolve(map[id]) : map[id]),
  });

  it("finds cycles, missing, disabled and boot-image children", async () => {
    const a = createSequence([child("B00000AA"), child("C00000AA"), child("D00000AA")]);
    const b = createSequence([child("A00000AA")]);
    const d: TaskSequence = { ...createSequence(), package: { bootImageId: "BOOT0001", properties: {} } };
    const root: TaskSequence = { ...a, package: { packageId: "A00000AA", properties: {} } };
    const issues = await validateSequence(root, { resolver: resolverOf({ B00000AA: { sequence: b, enabled: true }, D00000AA: { sequence: d, enabled: false } }, true) });
    expect(codes(issues)).toEqual(["ChildCycle@0 > B00000AA:0:error", "ChildNotFound@1:error", "ChildDisabled@2:error", "ChildHasBootImage@2:error"]);
    const engineStyle = await validateSequence(createSequence([child("E00000AA")]), { resolver: resolverOf({ E00000AA: { sequence: createSequence(), disabled: true } }) });
    expect(codes(engineStyle)).toEqual(["ChildDisabled@0:error"]);
    expect(await validateSequence(createSequence([child("E00000AA")]), { resolver: resolverOf({ E00000AA: { sequence: createSequence() } }) })).toEqual([]);
  });

  it("stops at depth 16 and treats a throwing resolver as not found", async () => {
    const chain: Record<string, ResolvedChildSequence> = {};
    for (let i = 0; i < 20; i++) chain[`P${String(i).padStart(7, "0")}`] = { sequence: createSequence([child(`P${String(i + 1).padStart(7, "0")}`)]), enabled: true };
    const issues = await validateSequence(createSequence([child("P0000000")]), { resolver: resolverOf(chain) });
    expect(issues.map((i) => i.code)).toEqual(["ChildDepthExceeded"]);
    expect(issues[0]?.path.split(" > ")).toHaveLength(17);
    const failing: TaskSequenceResolver = { resolve: () => Promise.reject(new Error("offline")) };
    expect((await validateSequence(createSequence([child("X0000001")]), { resolver: failing })).map((i) => i.code)).toEqual(["ChildNotFound"]);
  });
});
