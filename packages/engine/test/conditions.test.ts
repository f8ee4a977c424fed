import { describe, expect, it } from "vitest";
import type { Condition, ConditionNode } from "@taskseq/model";
import { compareValues, evaluateCondition, likeMatch, normalizeOsVersion, parseDmtf, parseOperator, type ConditionContext } from "@taskseq/engine";
import { createFakeDevice, type FakeDeviceState } from "./fake-device.js";
import { expr } from "./fixtures.js";

function ctx(vars: Record<string, string> = {}, device: Partial<FakeDeviceState> = {}, caseSensitive = false): ConditionContext & { device: ReturnType<typeof createFakeDevice> } {
  const upper = new Map(Object.entries(vars).map(([k, v]) => [k.toUpperCase(), v]));
  return {
    getVariable: (n) => upper.get(n.toUpperCase()),
    expand: (t) => Promise.resolve(t.replace(/%([A-Za-z_]+)%/g, (m, n: string) => upper.get(n.toUpperCase()) ?? m)),
    device: createFakeDevice(device),
    caseSensitive,
  };
}

const cond = (...operands: ConditionNode[]): Condition => ({ operands });
const v = (variable: string, operator: string, value?: string): ConditionNode =>
  expr("VariableConditionExpression", { Variable: variable, Operator: operator, ...(value === undefined ? {} : { Value: value }) });

async function value(c: Condition, context = ctx()): Promise<boolean> {
  return (await evaluateCondition(c, context)).value;
}

describe("variable conditions (conditions.md §4.2 examples)", () => {
  const rows: [string | undefined, string, string, boolean][] = [
    ["false", "equals", "FALSE", true],
    ["3010", "equals", "03010", true],
    ["10", "greater", "9", true],
    ["10a", "greater", "9", false],
    [undefined, "notEquals", "", false],
    [undefined, "equals", "REFRESH", false],
    ["Latitude 5490", "like", "%latitude%", true],
    ["10MQ0027US", "like", "10MQ%", true],
    ["10MQ0027US", "notLike", "10MQ%", false],
    ["5", "less", "10", true],
    ["5", "lessEqual", "5", true],
    ["5", "greaterEqual", "6", false],
    ["3247440400", "equals", "-1047526896", false],
    ["abc", "notEquals", "ABD", true],
    ["10.0.19045", "greaterEqual", "10.0.9", false],
  ];
  for (const [val, op, right, expected] of rows) {
    it(`${val ?? "(undefined)"} ${op} ${right} → ${expected}`, async () => {
      expect(await value(cond(v("X", op, right)), ctx(val === undefined ? {} : { X: val }))).toBe(expected);
    });
  }
  it("exists / notExists ignore Value; the operator name is case-insensitive", async () => {
    expect(await value(cond(v("X", "exists")), ctx({ X: "1" }))).toBe(true);
    expect(await value(cond(v("X", "EXISTS")), ctx())).toBe(false);
    expect(await value(cond(v("X", "notExists", "ignored")), ctx())).toBe(true);
    expect(await value(cond(v("X", "Equals", "a")), ctx({ X: "A" }))).toBe(true);
  });
  it("conditionCaseSensitive switches to ordinal comparison", async () => {
    expect(await value(cond(v("X", "equals", "true")), ctx({ X: "True" }, {}, true))).toBe(false);
  });
});

describe("operators (conditions.md §2.2)", () => {
  const T = v("A", "equals", "1");
  const F = v("A", "equals", "2");
  const op = (type: string, ...operands: ConditionNode[]): ConditionNode => ({ kind: "operator", operator: type, operands });
  it("several operands are combined with and; empty forms follow the decisions", async () => {
    const c = ctx({ A: "1" });
    expect(await value(cond(T, T), c)).toBe(true);
    expect(await value(cond(T, F), c)).toBe(false);
    expect(await value(cond(), c)).toBe(true);
    expect(await value(cond(op("and")), c)).toBe(true);
    expect(await value(cond(op("or")), c)).toBe(false);
    expect(await value(cond(op("not")), c)).toBe(true);
  });
  it("and / or / not (NOR) nest, case-insensitively", async () => {
    const c = ctx({ A: "1" });
    expect(await value(cond(op("OR", F, T)), c)).toBe(true);
    expect(await value(cond(op("and", T, op("or", F, F))), c)).toBe(false);
    expect(await value(cond(op("Not", F, F)), c)).toBe(true);
    expect(await value(cond(op("not", F, T)), c)).toBe(false);
  });
  it("short-circuits: skipped operands run no adapter query", async () => {
    const c = ctx({ A: "1" });
    const wmi = expr("WMIConditionExpression", { Namespace: "root\\cimv2", Query: "SELECT * FROM Win32_BIOS" });
    expect(await value(cond(op("or", T, wmi)), c)).toBe(true);
    expect(await value(cond(F, wmi), c)).toBe(false);
    expect(c.device.state.queries).toEqual([]);
  });
  it("an evaluation error makes the whole condition false, even under not", async () => {
    const c = ctx({ A: "1" });
    const bad = expr("UnknownConditionExpression", {});
    const out = await evaluateCondition(cond(op("not", bad)), c);
    expect(out.value).toBe(false);
    expect(out.error?.code).toBe("ConditionError");
    const badOp = await evaluateCondition(cond(v("A", "sortOf", "1")), c);
    expect(badOp.error?.code).toBe("ConditionError");
    const wql = await evaluateCondition(cond(expr("WMIConditionExpression", { Namespace: "root\\cimv2", Query: "SELEKT nothing" })), c);
    expect(wql.value).toBe(false);
    expect(wql.error).toBeDefined();
  });
  it("an error names the expression that failed; an unknown operator type names none", async () => {
    const c = ctx({ A: "1" });
    const wql = await evaluateCondition(cond(v("A", "equals", "1"), expr("WMIConditionExpression", { Namespace: "root\\cimv2", Query: "SELEKT nothing" })), c);
    expect(wql.failedExpression).toBe("WMIConditionExpression(Namespace=root\\cimv2, Query=SELEKT nothing)");
    const badOp = await evaluateCondition(cond(op("xor", v("A", "equals", "1"))), c);
    expect(badOp.error?.code).toBe("ConditionError");
    expect(badOp.failedExpression).toBeUndefined();
  });
  it("customExpression evaluates the caller's expression types, only where the short-circuit reaches them", async () => {
    const asked: string[] = [];
    const custom = (expression: { type: string }): boolean | undefined => {
      if (expression.type !== "Mine") return undefined;
      asked.push(expression.type);
      return true;
    };
    const mine = { kind: "expression" as const, type: "Mine", properties: [] };
    const c = { ...ctx({ A: "1" }), customExpression: custom };
    expect((await evaluateCondition(cond(op("or", v("A", "equals", "1"), mine)), c)).value).toBe(true);
    expect(asked).toEqual([]);
    expect((await evaluateCondition(cond(v("A", "equals", "1"), mine), c)).value).toBe(true);
    expect(asked).toEqual(["Mine"]);
    expect((await evaluateCondition(cond(mine), ctx())).error?.code).toBe("ConditionError");
  });
  it("a missing device capability is an evaluation error (AdapterMissing)", async () => {
    const out = await evaluateCondition(cond(expr("WMIConditionExpression", { Namespace: "root\\cimv2", Query: "SELECT * FROM Win32_BIOS" })), {
      getVariable: () => undefined,
      expand: (t) => Promise.resolve(t),
      device: {},
    });
    expect(out).toMatchObject({ value: false, error: { code: "AdapterMissing" } });
  });
});

describe("device expressions", () => {
  const device: Partial<FakeDeviceState> = {
    wmi: {
      Win32_ComputerSystem: [{ Manufacturer: "HP", Model: "EliteBook 840" }],
      Win32_OperatingSystem: [{ OSLanguage: 1033 }],
    },
    files: {
      "c:\\windows\\notepad.exe": { kind: "file", sizeBytes: 1, version: "10.0.19041.1", modifiedUtc: Date.UTC(2024, 0, 2, 3, 4, 5, 600), createdUtc: 0 },
      "c:\\data": { kind: "folder", sizeBytes: 0, modifiedUtc: Date.UTC(2024, 0, 2, 3, 4, 5), createdUtc: 0 },
    },
    registry: {
      "hklm\\software\\acme@version": { type: "REG_SZ", data: "5.2" },
      "hklm\\software\\acme@count": { type: "REG_DWORD", data: 255 },
      "hklm\\software\\acme@list": { type: "REG_MULTI_SZ", data: ["alpha", "beta"] },
      "hklm\\software\\acme@blob": { type: "REG_BINARY", data: new Uint8Array([0x0a, 0xff]) },
      "hklm\\software\\acme@flags": { type: "REG_SZ", data: "0x10" },
    },
    products: [{ productCode: "{11111111-1111-1111-1111-111111111111}", upgradeCode: "{22222222-2222-2222-2222-222222222222}", name: "App", version: "1.0" }],
  };
  const c = (): ReturnType<typeof ctx> => ctx({ WinDir: "C:\\Windows" }, device);

  it("WMI: true when the query returns rows (OS language too)", async () => {
    const wmi = (q: string): Condition => cond(expr("WMIConditionExpression", { Namespace: "root\\cimv2", Query: q }));
    expect(await value(wmi('SELECT * FROM Win32_ComputerSystem WHERE Manufacturer LIKE "%HP%"'), c())).toBe(true);
    expect(await value(wmi("SELECT * FROM Win32_ComputerSystem WHERE NOT Model LIKE \"%Elite%\""), c())).toBe(false);
    expect(await value(wmi("SELECT OsLanguage FROM Win32_OperatingSystem WHERE OsLanguage='1033'"), c())).toBe(true);
  });

  it("OS version (MDT form) normalises the platform notation and checks the architecture", async () => {
    const os = (arch: string, version: string, op: string): Condition => cond(expr("OSConditionExpression", { Architecture: arch, Version: version, Operator: op }));
    expect(await value(os("X64", "10.00.10240.0", "greaterEqual"), c())).toBe(true);
    expect(await value(os("X86", "10.00.10240.0", "greaterEqual"), c())).toBe(false);
    expect(await value(os("", "6.30.9600.0", "less"), c())).toBe(false);
    expect(await value(os("X64", "10.00.19045.0", "equals"), c())).toBe(true);
    expect(normalizeOsVersion("6.1.7601")).toEqual([6, 10, 7601]);
  });

  it("OS condition groups: any platform whose WMI expressions all return rows", async () => {
    const group: ConditionNode = {
      kind: "osConditionGroup",
      groups: [
        { name: "Dell", expressions: [expr("WMIConditionExpression", { Namespace: "root\\cimv2", Query: "SELECT * FROM Win32_ComputerSystem WHERE Manufacturer = 'Dell'" })] },
        { name: "HP", expressions: [expr("WMIConditionExpression", { Namespace: "root\\cimv2", Query: "SELECT * FROM Win32_ComputerSystem WHERE Manufacturer = 'HP'" })] },
      ],
    };
    expect(await value(cond(group), c())).toBe(true);
  });

  it("file: exists, version and DMTF date (truncated to seconds, offset converted)", async () => {
    const file = (props: Record<string, string>): Condition => cond(expr("FileConditionExpression", { Path: "%WinDir%\\notepad.exe", ...props }));
    expect(await value(file({}), c())).toBe(true);
    expect(await value(cond(expr("FileConditionExpression", { Path: "C:\\missing.exe" })), c())).toBe(false);
    expect(await value(file({ Version: "10.0.19041.1", VersionOperator: "equals" }), c())).toBe(true);
    expect(await value(file({ Version: "10.0.2", VersionOperator: "greater" }), c())).toBe(true);
    expect(await value(file({ DateTime: "20240102030405.000000+000", DateTimeOperator: "equals" }), c())).toBe(true);
    expect(await value(file({ DateTime: "20240102040405.000000+060", DateTimeOperator: "equals" }), c())).toBe(true);
    expect(await value(file({ Version: "10.0.2", VersionOperator: "greater", DateTime: "20250101000000.000000+000", DateTimeOperator: "greater" }), c())).toBe(false);
    expect((await evaluateCondition(file({ Version: "10.x", VersionOperator: "equals" }), c())).error?.code).toBe("ConditionError");
  });

  it("folder: exists and date; a file is not a folder", async () => {
    expect(await value(cond(expr("FolderConditionExpression", { Path: "C:\\Data" })), c())).toBe(true);
    expect(await value(cond(expr("FolderConditionExpression", { Path: "%WinDir%\\notepad.exe" })), c())).toBe(false);
    expect(await value(cond(expr("FolderConditionExpression", { Path: "C:\\Data", DateTime: "20230101000000.000000+000", DateTimeOperator: "greater" })), c())).toBe(true);
  });

  it("registry: exists with type, nonExists spelling, comparisons by rendered data", async () => {
    const reg = (props: Record<string, string>): Condition => cond(expr("RegistryConditionExpression", { KeyPath: "HKLM\\SOFTWARE\\Acme", ...props }));
    expect(await value(reg({ Value: "", Operator: "exists" }), c())).toBe(true);
    expect(await value(reg({ Value: "Version", Operator: "exists", Type: "REG_SZ" }), c())).toBe(true);
    expect(await value(reg({ Value: "Version", Operator: "exists", Type: "REG_DWORD" }), c())).toBe(false);
    expect(await value(reg({ Value: "Nope", Operator: "nonExists" }), c())).toBe(true);
    expect(await value(reg({ Value: "Count", Operator: "equals", Data: "0xFF" }), c())).toBe(true);
    expect(await value(reg({ Value: "Count", Operator: "greater", Data: "100" }), c())).toBe(true);
    expect(await value(reg({ Value: "List", Operator: "equals", Data: "BETA" }), c())).toBe(true);
    expect(await value(reg({ Value: "List", Operator: "notEquals", Data: "beta" }), c())).toBe(false);
    expect(await value(reg({ Value: "Blob", Operator: "equals", Data: "0AFF" }), c())).toBe(true);
    expect(await value(reg({ Value: "Version", Operator: "like", Data: "5.*" }), c())).toBe(true);
    expect(await value(reg({ Value: "Nope", Operator: "notEquals", Data: "x" }), c())).toBe(false);
  });

  it("registry: a 0x… Data is an integer for REG_DWORD and REG_QWORD only; a string value compares with the text as written (§4.6 item 3)", async () => {
    const reg = (props: Record<string, string>): Condition => cond(expr("RegistryConditionExpression", { KeyPath: "HKLM\\SOFTWARE\\Acme", ...props }));
    expect(await value(reg({ Value: "Flags", Operator: "equals", Data: "0x10" }), c())).toBe(true);
    expect(await value(reg({ Value: "Flags", Operator: "equals", Data: "16" }), c())).toBe(false);
    expect(await value(reg({ Value: "Flags", Operator: "notEquals", Data: "0X10" }), c())).toBe(false);
    expect(await value(reg({ Value: "Count", Operator: "equals", Data: "0xff" }), c())).toBe(true);
  });

  it("installed software: ThisVersion by product code, AnyVersion by upgrade code, neither is an error", async () => {
    const sw = (props: Record<string, string>): Condition => cond(expr("SoftwareConditionExpression", props));
    expect(await value(sw({ Operator: "ThisVersion", ProductCode: "{11111111-1111-1111-1111-111111111111}" }), c())).toBe(true);
    expect(await value(sw({ Operator: "ThisVersion", ProductCode: "{33333333-1111-1111-1111-111111111111}" }), c())).toBe(false);
    expect(await value(sw({ Operator: "AnyVersion", ProductCode: "{33333333-1111-1111-1111-111111111111}", UpgradeCode: "{22222222-2222-2222-2222-222222222222}" }), c())).toBe(true);
    expect((await evaluateCondition(sw({ Operator: "AnyVersion" }), c())).error?.code).toBe("ConditionError");
  });
});

describe("comparison helpers", () => {
  it("likeMatch: wildcards, anchoring, literal brackets, no blow-up", () => {
    expect(likeMatch("DELL-ABC-9001", "DELL*900?")).toBe(true);
    expect(likeMatch("DELL9009", "dell*900_")).toBe(true);
    expect(likeMatch("xDELL9009", "DELL%")).toBe(false);
    expect(likeMatch("[a]", "[a]")).toBe(true);
    expect(likeMatch("a".repeat(5000), `${"%a".repeat(50)}b`)).toBe(false);
  });
  it("compareValues uses arbitrary precision and parseOperator accepts nonExists", () => {
    expect(compareValues("99999999999999999999", "99999999999999999998")).toBe(1);
    expect(compareValues("007", "7")).toBe(0);
    expect(parseOperator("nonExists")).toBe("notExists");
    expect(() => parseOperator("between")).toThrow(/Unknown condition operator/);
  });
  it("parseDmtf rejects malformed text", () => {
    expect(() => parseDmtf("2024-01-01")).toThrow(/DMTF/);
  });
});
