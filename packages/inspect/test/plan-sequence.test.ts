import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createSimulatedDevice, defaultDeviceProfile } from "@taskseq/device";
import { createMapResolver } from "@taskseq/engine";
import { planSequence, formatPlan, toPlanJson } from "@taskseq/inspect";
import { anyOf, createCondition, createGroup, createSequence, createStep, noneOf, TaskSeqError, variableCondition } from "@taskseq/model";
import { parsePackageObject } from "@taskseq/xml";
import { command, corpusDir, devicesDir, setVar, when } from "./helpers.js";

const fullOsProfile = readFileSync(`${devicesDir}dell-latitude-5440.json`, "utf8");
const byPath = (plan: Awaited<ReturnType<typeof planSequence>>, path: string) => plan.items.find((i) => i.path === path);

describe("planSequence", () => {
  it("skips a step whose condition is false and shows the value it saw", async () => {
    const device = createSimulatedDevice(); // Windows PE
    const seq = createSequence([command("Full OS only", "cmd /c echo", { condition: when("_SMSTSInWinPE", "equals", "false") })]);
    const plan = await planSequence(seq, { device });
    expect(plan.environment).toBe("WinPE");
    expect(byPath(plan, "0")).toMatchObject({ decision: "will-skip" });
    expect(byPath(plan, "0")?.reason).toContain('_SMSTSInWinPE equals "false" — actual "true"');
    expect(byPath(plan, "0")?.checks).toEqual([{ text: '_SMSTSInWinPE equals "false" — actual "true"', result: "false" }]);
  });

  it("says why a condition is false when no check is false (a none operator, an empty any)", async () => {
    const seq = createSequence([
      setVar("Set A", "A", "1"),
      command("None", "cmd /c x", { condition: createCondition(noneOf(variableCondition("A", "equals", "1"))) }),
      command("Empty any", "cmd /c y", { condition: createCondition(anyOf()) }),
    ]);
    const plan = await planSequence(seq);
    expect(byPath(plan, "1")).toMatchObject({ decision: "will-skip", reason: 'the condition is false: if all: if none: A equals "1"' });
    expect(byPath(plan, "1")?.checks).toEqual([{ text: 'A equals "1" — actual "1"', result: "true" }]);
    expect(byPath(plan, "2")).toMatchObject({ decision: "will-skip", reason: "the condition is false: if all: if any: (empty)" });
  });

  it("uses the run-time variables it is given and literal values of earlier Set steps", async () => {
    const seq = createSequence([
      setVar("Set Role", "Role", "Kiosk"),
      command("Kiosk", "cmd /c kiosk", { condition: when("Role", "equals", "kiosk") }),
      command("Given", "cmd /c x", { condition: when("Given", "equals", "yes") }),
    ]);
    const plan = await planSequence(seq, { variables: { runtime: { Given: "yes" } } });
    expect(plan.items.map((i) => i.decision)).toEqual(["will-run", "will-run", "will-run"]);
    expect(byPath(plan, "0")?.writes).toEqual([{ name: "Role", kind: "set-variable", value: "Kiosk", secret: false, conditional: false }]);
    expect(byPath(plan, "1")?.reads).toContainEqual({ name: "Role", kind: "condition", source: "condition" });
  });

  it("says when a decision depends on a value set at run time and names it", async () => {
    const seq = createSequence([
      setVar("Copy", "Target", "%Source%"),
      command("Uses target", "cmd /c x", { condition: when("Target", "equals", "A") }),
      command("After failure", "cmd /c y", { condition: when("_SMSTSLastActionSucceeded", "equals", "false") }),
    ]);
    const plan = await planSequence(seq);
    expect(byPath(plan, "1")).toMatchObject({ decision: "depends", runtimeValues: ['Target (set by "Copy")'] });
    expect(byPath(plan, "2")?.decision).toBe("depends");
    expect(byPath(plan, "2")?.runtimeValues[0]).toMatch(/^_SMSTSLastActionSucceeded \(set after each step that runs/);
    expect(byPath(plan, "0")?.reads).toContainEqual({ name: "Source", kind: "reference", source: "VariableValue" });
  });

  it("treats variables a script step may set as run-time values", async () => {
    const seq = createSequence([command("Gather", "cscript.exe ZTIGather.wsf"), command("Phase", "cmd /c x", { condition: when("PHASE", "equals", "INSTALL") })]);
    const plan = await planSequence(seq);
    expect(byPath(plan, "1")).toMatchObject({ decision: "depends", runtimeValues: ['PHASE (may be set by the script step "Gather")'] });
  });

  it("skips disabled items and everything in skipped groups", async () => {
    const seq = createSequence([
      createGroup("Off", [command("Inner", "cmd")], { disabled: true }),
      createGroup("Never", [command("Inner 2", "cmd")], { condition: when("Nope", "exists") }),
      command("Disabled", "cmd", { disabled: true }),
    ]);
    const plan = await planSequence(seq);
    expect(plan.items.map((i) => [i.path, i.decision, i.reason])).toEqual([
      ["0", "will-skip", "the group is disabled"],
      ["0.0", "will-skip", 'the group "Off" is skipped'],
      ["1", "will-skip", "the condition is false: Nope exists — actual (unset)"],
      ["1.0", "will-skip", 'the group "Never" is skipped'],
      ["2", "will-skip", "the step is disabled"],
    ]);
    expect(plan.summary).toEqual({ willRun: 0, willSkip: 3, depends: 0, restarts: 0 });
    expect(toPlanJson(plan).steps.map((st) => [st.path, st.outcome])).toEqual([["0.0", "skipped-disabled"], ["1.0", "skipped-condition"], ["2", "skipped-disabled"]]);
  });

  it("warns that a restart into Windows PE fails when the sequence has no boot image (001: BootImageID empty)", async () => {
    const { sequence } = parsePackageObject(readFileSync(`${corpusDir}001_cm-export-object-RSC002A6.xml`));
    const plan = await planSequence(sequence);
    expect(byPath(plan, "0.7")).toMatchObject({
      restart: { certainty: "always", target: "WinPE" },
      warning: "the task sequence has no boot image: the restart into Windows PE fails the run (RestartNotPossible)",
    });
    const booted = await planSequence({ ...sequence, package: { properties: {}, ...sequence.package, bootImageId: "RSC00001" } });
    expect(byPath(booted, "0.7")?.warning).toBeUndefined();
  });

  it("follows restarts: the environment changes after Restart Computer", async () => {
    const seq = createSequence([
      createStep("SMS_TaskSequence_RebootAction", { Target: "HD" }, { name: "To the OS" }),
      command("In the OS", "cmd", { condition: when("_SMSTSInWinPE", "equals", "false") }),
      createStep("SMS_TaskSequence_ApplyWindowsSettingsAction", { ComputerName: "PC" }, { name: "PE only", runIn: "WinPE" }),
    ]);
    const plan = await planSequence(seq, { device: createSimulatedDevice() });
    expect(byPath(plan, "0")?.restart).toEqual({ certainty: "always", target: "HD", why: "Restart Computer into HD" });
    expect(byPath(plan, "1")).toMatchObject({ decision: "will-run", environment: "FullOS" });
    expect(byPath(plan, "2")?.warning).toMatch(/WrongEnvironment/);
    expect(plan.summary.restarts).toBe(1);
    expect(formatPlan(plan)).toContain("restart (always) → HD");
  });

  it("plans child task sequences inline through the resolver", async () => {
    const child = createSequence([command("Child step", "cmd")]);
    const seq = createSequence([createStep("SMS_TaskSequence_SubTasksequence", { TsPackageID: "ABC00002" }, { name: "Run child" })]);
    const plan = await planSequence(seq, { resolver: createMapResolver([{ packageId: "ABC00002", name: "Child", sequence: child }]) });
    expect(plan.items.map((i) => [i.path, i.name, i.depth])).toEqual([["0", "Run child", 0], ["0/0", "Child step", 1]]);
    const missing = await planSequence(seq, { resolver: createMapResolver([]) });
    expect(missing.items[0]?.warning).toMatch(/ChildNotFound/);
  });

  it("evaluates device conditions without changing the device (power plan untouched)", async () => {
    const device = createSimulatedDevice(fullOsProfile);
    const before = await device.os?.getPowerPlan();
    const seq = createSequence([
      command("Script first", "powershell.exe -File gather.ps1"),
      command("Dell only", "cmd", { condition: { operands: [{ kind: "expression", type: "SMS_TaskSequence_WMIConditionExpression", properties: [{ name: "Namespace", value: "root\\cimv2" }, { name: "Query", value: "SELECT * FROM Win32_ComputerSystem WHERE Manufacturer LIKE '%Dell%'" }] }] } }),
    ]);
    const plan = await planSequence(seq, { device });
    // `%Dell%` is a WQL wildcard, not a variable a script could set.
    expect(byPath(plan, "1")?.decision).toBe("will-run");
    expect(byPath(plan, "1")?.reads.filter((r) => r.kind !== "action-variable")).toEqual([]);
    expect(byPath(plan, "1")?.checks[0]?.text).toMatch(/on this device$/);
    expect(await device.os?.getPowerPlan()).toBe(before);
  });

  it("never shows secret values", async () => {
    const seq = createSequence([command("Check", "cmd", { condition: when("OSDJoinPassword", "equals", "x") })]);
    const plan = await planSequence(seq, { variables: { runtime: { OSDJoinPassword: "Sup3rS3cret" } } });
    expect(JSON.stringify(toPlanJson(plan))).not.toContain("Sup3rS3cret");
    expect(plan.variables["OSDJoinPassword"]).toBe("********");
    expect(byPath(plan, "0")?.checks[0]?.text).toContain('actual "********"');
  });

  it("skips an item whose condition cannot be evaluated and says why", async () => {
    const seq = createSequence([command("Bad", "cmd", { condition: { operands: [{ kind: "expression", type: "SMS_TaskSequence_Unknown", properties: [] }] } })]);
    const plan = await planSequence(seq, { device: createSimulatedDevice(JSON.stringify(defaultDeviceProfile)) });
    expect(byPath(plan, "0")).toMatchObject({ decision: "will-skip" });
    expect(byPath(plan, "0")?.reason).toMatch(/cannot be evaluated/);
  });

  it("rejects a device that cannot describe itself with a typed error", async () => {
    const broken = { os: { facts: () => Promise.reject(new Error("boom")), environmentVariables: () => Promise.resolve({}), installedProducts: () => Promise.resolve([]), getPowerPlan: () => Promise.resolve(""), setPowerPlan: () => Promise.resolve() } };
    await expect(planSequence(createSequence([]), { device: broken })).rejects.toBeInstanceOf(TaskSeqError);
  });
});
