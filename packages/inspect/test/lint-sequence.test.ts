import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lintSequence, formatLintIssues, suggestName, editDistance, type LintIssue } from "@taskseq/inspect";
import { createCondition, createGroup, createSequence, createStep, variableCondition, type TaskSequence } from "@taskseq/model";
import { parseSequenceXml } from "@taskseq/xml";
import { command, corpusDir, setVar, when } from "./helpers.js";

const codes = (issues: readonly LintIssue[], code: string) => issues.filter((i) => i.code === code);
const withPackage = (seq: TaskSequence, packageId: string): TaskSequence => ({ ...seq, package: { packageId, properties: {} } });

describe("lintSequence", () => {
  it("flags a variable read before any write with a did-you-mean suggestion", async () => {
    const seq = createSequence([setVar("Name", "OSDComputerName", "PC01"), command("Use", "cmd /c echo %OSDComputerNmae%"), command("Other", "cmd /c echo %TotallyUnknown%")]);
    const issues = codes(await lintSequence(seq), "ReadBeforeWrite");
    expect(issues).toEqual([
      { code: "ReadBeforeWrite", path: "1", severity: "warning", suggestion: "OSDComputerName", message: "OSDComputerNmae is read (CommandLine) before any step writes it. Did you mean OSDComputerName?" },
      { code: "ReadBeforeWrite", path: "2", severity: "warning", message: "TotallyUnknown is read (CommandLine) before any step writes it; it must come from collection, device or media variables." },
    ]);
    expect(codes(await lintSequence(seq, { knownVariables: ["TotallyUnknown"] }), "ReadBeforeWrite").map((i) => i.path)).toEqual(["1"]);
  });

  it("does not flag built-in, global, process or earlier-written variables", async () => {
    const seq = createSequence([setVar("A", "Alpha", "1"), command("Use", "cmd /c %windir%\\x.exe %Alpha% %_SMSTSMachineName%", { condition: when("_SMSTSInWinPE", "equals", "false") })]);
    expect(codes(await lintSequence(seq), "ReadBeforeWrite")).toEqual([]);
  });

  it("flags conditions that are always false or always true, and the steps that can never run", async () => {
    const contradiction = createCondition(variableCondition("Role", "equals", "A"), variableCondition("Role", "equals", "B"));
    const seq = createSequence([
      createGroup("Never", [command("Inside", "cmd")], { condition: contradiction }),
      command("Bad builtin", "cmd", { condition: when("_SMSTSInWinPE", "equals", "yes") }),
      command("Tautology", "cmd", { condition: { operands: [{ kind: "operator", operator: "or", operands: [variableCondition("X", "exists"), variableCondition("X", "notExists")] }] } }),
      setVar("Fix", "Mode", "Lab"),
      command("Fixed", "cmd", { condition: when("Mode", "equals", "Prod") }),
      createGroup("Off", [command("Off inside", "cmd")], { disabled: true }),
    ]);
    const issues = await lintSequence(seq);
    expect(codes(issues, "ConditionAlwaysFalse").map((i) => i.path)).toEqual(["0", "1", "4"]);
    expect(codes(issues, "ConditionAlwaysTrue").map((i) => i.path)).toEqual(["2"]);
    expect(codes(issues, "NeverRuns").map((i) => [i.path, i.message])).toEqual([
      ["0.0", 'The step can never run: its group "Never" is never entered.'],
      ["5.0", 'The step can never run: its group "Off" is disabled.'],
    ]);
  });

  it("reuses validation: read-only variables written by Set steps", async () => {
    const issues = await lintSequence(createSequence([setVar("Bad", "_SMSTSFoo", "1")]));
    expect(codes(issues, "ReadOnlyVariableWrite")).toHaveLength(1);
  });

  it("flags secrets flowing into command lines without printing them", async () => {
    const seq = createSequence([setVar("Pw", "OSDJoinPassword", "Hunter2!"), command("Join", "net use \\\\srv /user:x %OSDJoinPassword%")]);
    const issues = await lintSequence(seq);
    expect(codes(issues, "SecretInCommandLine").map((i) => i.path)).toEqual(["1"]);
    expect(JSON.stringify(issues)).not.toContain("Hunter2!");
  });

  it("flags variable values over 4,000 characters, not long step settings", async () => {
    const issues = await lintSequence(createSequence([setVar("Long", "Big", "x".repeat(4001)), setVar("Ok", "Fine", "x".repeat(4000)), command("Long command", `cmd /c ${"y".repeat(5000)}`)]));
    expect(codes(issues, "ValueTooLong").map((i) => [i.path, i.severity])).toEqual([["0", "error"]]);
  });

  it("flags a child task sequence that runs its own package", async () => {
    const seq = withPackage(createSequence([createStep("SMS_TaskSequence_SubTasksequence", { TsPackageID: "ABC00001" }, { name: "Me" })]), "ABC00001");
    expect(codes(await lintSequence(seq), "ChildCycle").map((i) => i.path)).toEqual(["0"]);
    const resolver = { resolve: () => ({ sequence: seq }) };
    expect(codes(await lintSequence(seq, { resolver }), "ChildCycle").length).toBeGreaterThan(0);
  });

  it("flags restarts into the wrong environment", async () => {
    const toPe = withPackage(createSequence([createStep("SMS_TaskSequence_RebootAction", { Target: "WinPE" }, { name: "To PE" })]), "ABC00001");
    expect(codes(await lintSequence(toPe), "RestartTarget").map((i) => i.severity)).toEqual(["error"]);
    const toHd = createSequence([createStep("SMS_TaskSequence_RebootAction", { Target: "HD" }, { name: "To HD", runIn: "WinPE" })]);
    expect(codes(await lintSequence(toHd), "RestartTarget").map((i) => i.severity)).toEqual(["warning"]);
    const fine = createSequence([createStep("SMS_TaskSequence_ApplyOperatingSystemAction", { ImagePackageID: "ABC00010" }, { name: "Apply" }), toHd.items[0]!]);
    expect(codes(await lintSequence(fine), "RestartTarget")).toEqual([]);
  });

  it("flags install steps whose success codes miss 3010", async () => {
    const seq = createSequence([command("Install", "msiexec /i app.msi /qn", { successCodes: [0] }), command("Echo", "cmd /c echo", { successCodes: [0] }), command("Ok", "msiexec /i a.msi")]);
    const issues = codes(await lintSequence(seq), "MissingRestartCode");
    expect(issues.map((i) => [i.path, i.suggestion])).toEqual([["0", 'successCodeList="0 3010"']]);
  });

  it("flags _SMSTSLastActionSucceeded checked after a step that may be skipped", async () => {
    const seq = createSequence([
      command("Maybe", "cmd", { condition: when("X", "equals", "1") }),
      command("Check", "cmd", { condition: when("_SMSTSLastActionSucceeded", "equals", "false") }),
      command("Always", "cmd"),
      command("Check 2", "cmd", { condition: when("_SMSTSLastActionSucceeded", "equals", "false") }),
    ]);
    expect(codes(await lintSequence(seq), "LastActionAfterSkippableStep").map((i) => i.path)).toEqual(["1"]);
    const nested = createSequence([
      command("Maybe", "cmd", { condition: when("X", "equals", "1") }),
      createGroup("Catch", [createGroup("Inner", [command("Log", "cmd")], { condition: when("_SMSTSLastActionSucceeded", "equals", "false") })], { condition: when("_SMSTSLastActionSucceeded", "equals", "false") }),
    ]);
    expect(codes(await lintSequence(nested), "LastActionAfterSkippableStep").map((i) => i.path)).toEqual(["1"]);
  });

  it("does not flag a last-action check whose own condition implies the skipped step's (corpus 050's retry groups)", async () => {
    const retry = (check: ReturnType<typeof when>) =>
      createSequence([
        command("Enable", "cmd", { condition: when("_SMSTSType", "equals", "2") }),
        createGroup("Retry", [command("Again", "cmd")], { condition: createCondition(...check.operands, ...when("_SMSTSLastActionSucceeded", "equals", "FALSE").operands) }),
      ]);
    expect(codes(await lintSequence(retry(when("_SMSTSType", "equals", "2"))), "LastActionAfterSkippableStep")).toEqual([]);
    // A different guard does not imply the skipped step's condition.
    expect(codes(await lintSequence(retry(when("_SMSTSType", "equals", "1"))), "LastActionAfterSkippableStep").map((i) => i.path)).toEqual(["1"]);
    const bitLocker = parseSequenceXml(readFileSync(`${corpusDir}050_cm-2pint-BitLockerModule.xml`)).sequence;
    expect(codes(await lintSequence(bitLocker), "LastActionAfterSkippableStep")).toEqual([]);
  });

  it("flags an MDT Lite Touch sequence whose PHASE only the Lite Touch start sets, once, at the first item testing it", async () => {
    const client = parseSequenceXml(readFileSync(`${corpusDir}019_mdt-template-Client.xml`)).sequence;
    expect(codes(await lintSequence(client), "LiteTouchStart")).toEqual([
      expect.objectContaining({ path: "1", severity: "info", suggestion: "Run with the Lite Touch start (taskseq run --lite-touch, liteTouchStart of @taskseq/steps) or give PHASE." }),
    ]);
    const phased = createSequence([createGroup("Install", [command("A", "cmd")], { condition: when("Phase", "equals", "INSTALL") })]);
    expect(codes(await lintSequence(phased), "LiteTouchStart").map((i) => i.path)).toEqual(["0"]);
    const setsIt = createSequence([setVar("Start", "PHASE", "INSTALL"), createGroup("Install", [command("A", "cmd")], { condition: when("Phase", "equals", "INSTALL") })]);
    expect(codes(await lintSequence(setsIt), "LiteTouchStart")).toEqual([]);
    expect(codes(await lintSequence({ ...phased, globalVariables: [{ name: "PHASE", property: "PHASE", value: "INSTALL" }] }), "LiteTouchStart")).toEqual([]);
  });

  it("lints every corpus sequence into well-formed issues", async () => {
    const files = readdirSync(corpusDir).filter((f) => f.endsWith(".xml"));
    let linted = 0;
    for (const file of files) {
      let seq: TaskSequence;
      try {
        seq = parseSequenceXml(readFileSync(`${corpusDir}${file}`)).sequence;
      } catch {
        continue; // manifests and relationship files are not sequences
      }
      linted++;
      for (const i of await lintSequence(seq)) {
        expect(["error", "warning", "info"], file).toContain(i.severity);
        expect(i.message, `${file} ${i.code}`).not.toBe("");
      }
    }
    expect(linted).toBeGreaterThan(30);
    const client = parseSequenceXml(readFileSync(`${corpusDir}019_mdt-template-Client.xml`)).sequence;
    const issues = await lintSequence(client);
    expect(codes(issues, "ReadBeforeWrite")).toEqual([]);
    expect(formatLintIssues(issues)).toMatch(/error\(s\), \d+ warning\(s\)/);
  });
});

describe("suggestName", () => {
  it("suggests the closest name within a small distance", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(suggestName("OSDTimezone2", ["OSDTimeZone", "Other"])).toBe("OSDTimeZone");
    expect(suggestName("Abc", ["Xyz"])).toBeUndefined();
  });
});
