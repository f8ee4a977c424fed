import { describe, expect, it } from "vitest";
import {
  allOf,
  anyOf,
  createCondition,
  describeCondition,
  fileCondition,
  folderCondition,
  getExpressionProperty,
  noneOf,
  operatorKind,
  osLanguageCondition,
  osVersionCondition,
  registryCondition,
  softwareCondition,
  variableCondition,
  wmiCondition,
} from "../src/index.js";
import type { ConditionOperator, OsConditionGroup } from "../src/index.js";

describe("condition builders", () => {
  it("build every leaf type with ConfigMgr property names", () => {
    expect(variableCondition("_SMSTSInWinPE", "equals", "false").properties).toEqual([
      { name: "Variable", value: "_SMSTSInWinPE" },
      { name: "Operator", value: "equals" },
      { name: "Value", value: "false" },
    ]);
    expect(variableCondition("OSDComputerName", "exists").properties.map((p) => p.name)).toEqual(["Variable", "Operator"]);
    expect(getExpressionProperty(wmiCondition("SELECT * FROM Win32_ComputerSystem"), "namespace")).toBe("root\\cimv2");
    expect(getExpressionProperty(osVersionCondition("X64", "greaterEqual", "6.30.9600.0"), "Version")).toBe("6.30.9600.0");
    expect(getExpressionProperty(osLanguageCondition(1033), "Query")).toBe("SELECT OsLanguage FROM Win32_OperatingSystem WHERE OsLanguage='1033'");
    expect(fileCondition("%windir%\\notepad.exe").properties).toEqual([{ name: "Path", value: "%windir%\\notepad.exe" }]);
    expect(getExpressionProperty(folderCondition("C:\\Logs", { operator: "less", value: "20240101000000.000000+000" }), "DateTimeOperator")).toBe("less");
    expect(getExpressionProperty(registryCondition("HKLM\\SOFTWARE\\X", "nonExists"), "Value")).toBe("");
    expect(getExpressionProperty(softwareCondition("ThisVersion", { productCode: "{A}" }), "ProductCode")).toBe("{A}");
    expect(Object.isFrozen(wmiCondition("SELECT 1").properties)).toBe(true);
  });

  it("refuse empty required parts", () => {
    expect(() => variableCondition(" ", "exists")).toThrow(expect.objectContaining({ code: "InvalidArgument" }) as unknown as Error);
    expect(() => wmiCondition("")).toThrow(/Query/);
    expect(() => osLanguageCondition(0)).toThrow(/LCID/);
    expect(() => softwareCondition("AnyVersion", { productCode: "{A}" })).toThrow(/upgrade code/);
    expect(() => fileCondition("")).toThrow(/Path/);
    expect(() => registryCondition("", "exists")).toThrow(/KeyPath/);
  });

  it("build if statements and read their kind case-insensitively", () => {
    const a = variableCondition("A", "exists");
    expect(allOf(a).operator).toBe("and");
    expect(anyOf(a).operator).toBe("or");
    expect(noneOf(a).operator).toBe("not");
    const weird: ConditionOperator = { kind: "operator", operator: "NOT", operands: [] };
    expect(operatorKind(weird)).toBe("not");
    expect(operatorKind({ ...weird, operator: "xor" })).toBeUndefined();
  });
});

describe("describeCondition", () => {
  it("tells an operator's operands from its siblings' and shows an empty operator", () => {
    const a = variableCondition("A", "equals", "1");
    const b = variableCondition("B", "equals", "2");
    expect(describeCondition(createCondition(noneOf(a), b))).toBe('if all: (if none: A equals "1"); B equals "2"');
    expect(describeCondition(createCondition(noneOf(a, b)))).toBe('if all: if none: A equals "1"; B equals "2"');
    expect(describeCondition(createCondition(anyOf()))).toBe("if all: if any: (empty)");
  });

  it("renders the shapes `taskseq show` prints", () => {
    expect(describeCondition(createCondition(variableCondition("_SMSTSInWinPE", "equals", "true")))).toBe('if all: _SMSTSInWinPE equals "true"');
    const nested = createCondition(
      variableCondition("OSDComputerName", "exists"),
      anyOf(wmiCondition('SELECT * FROM Win32_ComputerSystem WHERE Model LIKE "%Virtual%"'), noneOf(fileCondition("C:\\x.txt"))),
    );
    expect(describeCondition(nested)).toBe(
      'if all: OSDComputerName exists; (if any: WMI query "SELECT * FROM Win32_ComputerSystem WHERE Model LIKE "%Virtual%"" in root\\cimv2 returns a row; (if none: file "C:\\x.txt" exists))',
    );
    expect(describeCondition(createCondition())).toBe("always");
    expect(describeCondition(osVersionCondition("", "equals", "10.00.10240.0"))).toBe('OS any architecture version equals "10.00.10240.0"');
    expect(describeCondition(fileCondition("a.exe", { version: { operator: "greater", value: "1.0" }, dateTime: { operator: "less", value: "d" } }))).toBe(
      'file "a.exe" exists and version greater "1.0" and date less "d"',
    );
    expect(describeCondition(folderCondition("C:\\L"))).toBe('folder "C:\\L" exists');
    expect(describeCondition(registryCondition("HKLM\\S", "equals", { value: "V", data: "1" }))).toBe('registry HKLM\\S\\V equals "1"');
    expect(describeCondition(registryCondition("HKLM\\S", "exists"))).toBe("registry HKLM\\S exists");
    expect(describeCondition(softwareCondition("AnyVersion", { upgradeCode: "{U}", productName: "Reader" }))).toBe('any version of "Reader" (upgrade code {U}) is installed');
    expect(describeCondition(softwareCondition("ThisVersion", { productCode: "{P}" }))).toBe('software "{P}" (product code {P}) is installed');
    const group: OsConditionGroup = { kind: "osConditionGroup", groups: [{ name: "All x64 Windows 10 and higher Clients", expressions: [] }] };
    expect(describeCondition(group)).toBe('OS is any of: "All x64 Windows 10 and higher Clients"');
    expect(describeCondition({ kind: "expression", type: "Contoso_Expr", properties: [{ name: "X", value: "1" }] })).toBe('Contoso_Expr (X="1")');
  });
});
