import { describe, expect, it } from "vitest";
import { LOCATION_EXPRESSION_TYPE, normalizeIp, setDynamicVariablesHandler } from "../src/index.js";
import type { Device } from "@taskseq/device";
import { device, run } from "./helpers.js";

const expr = (type: string, props: Record<string, string>) =>
  `<expression type="${type}">${Object.entries(props).map(([k, v]) => `<variable name="${k}">${v}</variable>`).join("")}</expression>`;
const rule = (condition: string, vars: Record<string, string>, secret = false) =>
  `<Rule>${condition === "" ? "" : `<condition>${condition}</condition>`}<Variables>${Object.entries(vars)
    .map(([k, v]) => `<Variable Name="${k}" IsSecret="${secret}">${v}</Variable>`)
    .join("")}</Variables></Rule>`;
const rules = (...r: string[]) => `<Rules>${r.join("")}</Rules>`;
const variable = (name: string, op: string, value: string) => expr("SMS_TaskSequence_VariableConditionExpression", { Variable: name, Operator: op, Value: value });

describe("Set Dynamic Variables", () => {
  it("gathers the facts and evaluates rules in order, later matches overwrite (execution.md §12 example)", async () => {
    const r = await run(setDynamicVariablesHandler, {
      device: device("dell-latitude-5440"),
      settings: {
        Rules: rules(
          rule("", { DriverPkg: "GENERIC" }),
          rule(variable("_SMSTSModel", "like", "Latitude%"), { DriverPkg: "LAT" }),
          rule(expr("SMS_TaskSequence_MakeModelConditionExpression", { Make: "Dell*", Model: "Latitude 5440" }), { DriverPkg: "LAT5440" }),
          rule(variable("DriverPkg", "equals", "LAT5440"), { Tier: "GOLD" }),
          rule(expr("SMS_TaskSequence_MakeModelConditionExpression", { Make: "HP", Model: "*" }), { Tier: "HP" }),
        ),
      },
    });
    expect(r.result.exitCode).toBe(0);
    expect(r.get("_SMSTSMake")).toBe("Dell Inc.");
    expect(r.get("_SMSTSMacAddresses")).toContain("6C:3C:8C:5A:11:2F");
    expect(r.get("_SMSTSDefaultGateways")).toBe("10.10.20.1");
    expect(r.get("DriverPkg")).toBe("LAT5440");
    expect(r.get("Tier")).toBe("GOLD");
  });

  it("matches Computer rules by any value (MAC separators ignored) and Location by gateway", async () => {
    const r = await run(setDynamicVariablesHandler, {
      device: device("dell-latitude-5440"),
      settings: {
        Rules: rules(
          rule(expr("SMS_TaskSequence_ComputerConditionExpression", { AssetTag: "", MACAddress: "6c-3c-8c-5a-11-2f", SerialNumber: "nope", UUID: "" }), { ByMac: "yes" }),
          rule(expr("SMS_TaskSequence_ComputerConditionExpression", { SerialNumber: "XXXX" }), { BySerial: "yes" }),
          rule(expr(LOCATION_EXPRESSION_TYPE, { DefaultGateway: "010.010.020.001" }), { Site: "HQ" }),
        ),
      },
    });
    expect(r.get("ByMac")).toBe("yes");
    expect(r.get("BySerial")).toBeUndefined();
    expect(r.get("Site")).toBe("HQ");
  });

  it("expands values, marks secrets, deletes on empty and skips a rule whose condition errors", async () => {
    const r = await run(setDynamicVariablesHandler, {
      device: device("dell-latitude-5440"),
      vars: { CompanyName: "Contoso", Old: "x" },
      settings: {
        Rules: rules(
          rule("", { Path: "%CompanyName%\\Logs", Old: "" }),
          rule("", { JoinPw: "Pa55" }, true),
          rule(expr("SMS_TaskSequence_ComputerConditionExpression", { AssetTag: "" }), { Never: "1" }),
        ),
      },
    });
    expect(r.result.exitCode).toBe(0);
    expect(r.get("Path")).toBe("Contoso\\Logs");
    expect(r.get("Old")).toBeUndefined();
    expect(r.ctx.env.isSecret("JoinPw")).toBe(true);
    expect(r.logs.join("\n")).not.toContain("Pa55");
    expect(r.get("Never")).toBeUndefined();
    expect(r.logs.some((l) => l.startsWith("W Rule 3"))).toBe(true);
  });

  it("fails with InvalidSetting on malformed rules and AccessDenied on a read-only name", async () => {
    expect((await run(setDynamicVariablesHandler, { device: device("dell-latitude-5440"), settings: { Rules: "<Rules><Rule>" } })).result.exitCode).toBe(87);
    expect((await run(setDynamicVariablesHandler, { device: device("dell-latitude-5440"), settings: { Rules: rules(rule("", { _SMSTSX: "1" })) } })).result.exitCode).toBe(5);
    expect((await run(setDynamicVariablesHandler, { device: {}, settings: { Rules: rules(rule("", { A: "1" })) } })).result.error?.code).toBe("AdapterMissing");
  });

  describe("a refused entry (variables.md §5.1: skipped with a warning, the step fails after applying all others)", () => {
    const warnings = (logs: string[]) => logs.filter((l) => l.startsWith("W "));

    it("skips a read-only name with a warning, applies every other entry of every matching rule, then fails with 5", async () => {
      const r = await run(setDynamicVariablesHandler, {
        device: device("dell-latitude-5440"),
        settings: { Rules: rules(rule("", { A1: "1", _SMSTSBad: "x", A2: "2" }), rule(variable("A2", "equals", "2"), { B: "3" })) },
      });
      expect(r.result.exitCode).toBe(5);
      expect(r.result.succeeded).toBe(false);
      expect(r.result.error?.code).toBe("AccessDenied");
      expect([r.get("A1"), r.get("A2"), r.get("B")]).toEqual(["1", "2", "3"]);
      expect(r.get("_SMSTSBad")).toBeUndefined();
      const w = warnings(r.logs);
      expect(w).toHaveLength(1);
      expect(w[0]).toMatch(/^W Rule 1: skipped "_SMSTSBad"/);
    });

    it("skips an invalid name with a warning, applies the rest, then fails with 87", async () => {
      const r = await run(setDynamicVariablesHandler, {
        device: device("dell-latitude-5440"),
        settings: { Rules: rules(rule("", { A1: "1", "My.Var": "x", A2: "2" }), rule("", { B: "3" })) },
      });
      expect(r.result.exitCode).toBe(87);
      expect(r.result.error?.code).toBe("InvalidSetting");
      expect([r.get("A1"), r.get("A2"), r.get("B")]).toEqual(["1", "2", "3"]);
      expect(warnings(r.logs)).toHaveLength(1);
      expect(warnings(r.logs)[0]).toMatch(/^W Rule 1: skipped "My\.Var"/);
    });

    it("fails with the code of the first refused entry in document order, warning for each", async () => {
      const readOnlyFirst = await run(setDynamicVariablesHandler, {
        device: device("dell-latitude-5440"),
        settings: { Rules: rules(rule("", { _SMSTSBad: "x", A: "1" }), rule("", { "My.Var": "y", B: "2" })) },
      });
      expect(readOnlyFirst.result.exitCode).toBe(5);
      expect([readOnlyFirst.get("A"), readOnlyFirst.get("B")]).toEqual(["1", "2"]);
      expect(warnings(readOnlyFirst.logs).map((l) => l.slice(0, 8))).toEqual(["W Rule 1", "W Rule 2"]);
      const invalidFirst = await run(setDynamicVariablesHandler, {
        device: device("dell-latitude-5440"),
        settings: { Rules: rules(rule("", { "My.Var": "y", A: "1" }), rule("", { _SMSTSBad: "x", B: "2" })) },
      });
      expect(invalidFirst.result.exitCode).toBe(87);
      expect([invalidFirst.get("A"), invalidFirst.get("B")]).toEqual(["1", "2"]);
    });

    it("never logs or reports the value of a refused secret entry", async () => {
      const r = await run(setDynamicVariablesHandler, {
        device: device("dell-latitude-5440"),
        settings: { Rules: rules(rule("", { _SMSTSBad: "TopS3cret", "My.Var": "Hidd3n%", Ok: "fine" }, true)) },
      });
      expect(r.result.exitCode).toBe(5);
      expect(r.ctx.env.isSecret("Ok")).toBe(true);
      expect(warnings(r.logs)).toHaveLength(2);
      const text = `${r.logs.join("\n")}\n${r.result.error?.message ?? ""}`;
      expect(text).not.toContain("TopS3cret");
      expect(text).not.toContain("Hidd3n");
    });
  });

  it("normalises IPv4 and IPv6 addresses", () => {
    expect(normalizeIp("010.001.002.003")).toBe("10.1.2.3");
    expect(normalizeIp("FE80::0001")).toBe(normalizeIp("fe80:0:0:0:0:0:0:1"));
  });
});

describe("Set Dynamic Variables rule conditions (conditions.md §2.2, §5; execution.md §12)", () => {
  const dellLatitude = expr("SMS_TaskSequence_MakeModelConditionExpression", { Make: "Dell*", Model: "Latitude 5440" });
  const hpAny = expr("SMS_TaskSequence_MakeModelConditionExpression", { Make: "HP", Model: "*" });
  const wmi = (query: string) => expr("SMS_TaskSequence_WMIConditionExpression", { Namespace: "root\\cimv2", Query: query });
  const badWql = wmi("this is not WQL");
  const dellWmi = wmi("SELECT * FROM Win32_ComputerSystem WHERE Manufacturer LIKE 'Dell%'");
  const op = (type: string, ...operands: string[]) => `<operator type="${type}">${operands.join("")}</operator>`;
  /** The simulated Latitude with its WMI queries counted. */
  const counted = () => {
    const sim = device("dell-latitude-5440");
    const queries: string[] = [];
    const wrapped: Device = { ...sim, wmi: { query: async (ns, wql) => (queries.push(wql), sim.wmi.query(ns, wql)) } };
    return { device: wrapped, queries };
  };

  it("compares rule variables as the engine option conditionCaseSensitive says", async () => {
    const settings = { Rules: rules(rule(variable("Ring", "equals", "PILOT"), { Matched: "yes" })) };
    const insensitive = await run(setDynamicVariablesHandler, { device: device("dell-latitude-5440"), vars: { Ring: "pilot" }, settings });
    expect(insensitive.get("Matched")).toBe("yes");
    const sensitive = await run(setDynamicVariablesHandler, { device: device("dell-latitude-5440"), vars: { Ring: "pilot" }, settings, conditionCaseSensitive: true });
    expect(sensitive.get("Matched")).toBeUndefined();
  });

  it("applies or(true, bad WQL): the erroring operand is skipped by short-circuit", async () => {
    const { device: d, queries } = counted();
    const r = await run(setDynamicVariablesHandler, { device: d, settings: { Rules: rules(rule(op("or", dellLatitude, badWql), { Hit: "yes" })) } });
    expect(r.result.exitCode).toBe(0);
    expect(r.get("Hit")).toBe("yes");
    expect(queries).toEqual([]);
    expect(r.logs.filter((l) => l.startsWith("W "))).toEqual([]);
  });

  it("runs no WMI query for operands skipped by or(true, WMI) and and(false, WMI)", async () => {
    const { device: d, queries } = counted();
    const r = await run(setDynamicVariablesHandler, {
      device: d,
      settings: {
        Rules: rules(
          rule(op("or", dellLatitude, dellWmi), { OrTrue: "yes" }),
          rule(op("and", hpAny, dellWmi), { AndFalse: "yes" }),
          rule(op("not", dellLatitude, dellWmi), { NotTrue: "yes" }),
          rule(`${hpAny}${dellWmi}`, { ImplicitAnd: "yes" }),
        ),
      },
    });
    expect([r.get("OrTrue"), r.get("AndFalse"), r.get("NotTrue"), r.get("ImplicitAnd")]).toEqual(["yes", undefined, undefined, undefined]);
    expect(queries).toEqual([]);
  });

  it("evaluates the WMI operand when short-circuit does not skip it", async () => {
    const { device: d, queries } = counted();
    const r = await run(setDynamicVariablesHandler, {
      device: d,
      settings: { Rules: rules(rule(op("or", hpAny, dellWmi), { OrFalse: "yes" }), rule(op("and", dellLatitude, dellWmi), { AndTrue: "yes" })) },
    });
    expect([r.get("OrFalse"), r.get("AndTrue")]).toEqual(["yes", "yes"]);
    expect(queries).toHaveLength(2);
  });

  it("makes a rule not match, with a warning, only when the erroring operand is evaluated", async () => {
    const emptyComputer = expr("SMS_TaskSequence_ComputerConditionExpression", { AssetTag: "" });
    const r = await run(setDynamicVariablesHandler, {
      device: device("dell-latitude-5440"),
      settings: {
        Rules: rules(
          rule(op("or", hpAny, badWql), { BadWql: "yes" }),
          rule(op("not", op("or", hpAny, badWql)), { NotBadWql: "yes" }),
          rule(op("and", dellLatitude, emptyComputer), { EmptyComputer: "yes" }),
          rule(op("or", dellLatitude, emptyComputer), { SkippedEmptyComputer: "yes" }),
        ),
      },
    });
    expect(r.result.exitCode).toBe(0);
    expect([r.get("BadWql"), r.get("NotBadWql"), r.get("EmptyComputer"), r.get("SkippedEmptyComputer")]).toEqual([undefined, undefined, undefined, "yes"]);
    const warnings = r.logs.filter((l) => l.startsWith("W "));
    expect(warnings.map((l) => l.slice(0, 8))).toEqual(["W Rule 1", "W Rule 2", "W Rule 3"]);
    expect(warnings.every((l) => l.endsWith("The rule does not apply."))).toBe(true);
  });
});
