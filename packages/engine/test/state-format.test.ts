import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createGroup, createSequence, createStep, isTaskSeqError, variableCondition, type Group } from "@taskseq/model";
import { createMapResolver } from "../src/child-resolver.js";
import { buildInstructionTable } from "../src/instruction-table.js";
import { IMPLIED_VARIABLES, RUN_STATE_FORMAT, RUN_STATE_VERSION, formatRecord, impliedValue, packRun, parseRecord, parseSnapshot, stepReportOf, type PersistedRun, type ProgressRecord } from "../src/state-format.js";
import { corpusSequences } from "../../../test/helpers/corpus.js";

const record: ProgressRecord = {
  p: 7,
  run: { index: 7, retriesUsed: 1 },
  restart: { target: "WinPE", then: "rerun", resumeAt: 6 },
  restarts: 2,
  failure: { name: 'Step "x"', index: 6, path: "0.6", exitCode: -2147467259, groups: ["G"] },
  dbg: { mode: "active", breakpoints: [{ id: 1, kind: "instruction", target: "0.3" }], nextId: 2 },
  cp: { index: 3, env: "{}", outcomes: [], restarts: 0 },
  out: [
    [6, "failed", 5, "line\r\nbreak Ünïcode \\ \"quoted\""],
    [4, "success", 0],
  ],
  vars: [
    { n: 'Name "quoted"', v: "C:\\Windows\r\n€", l: "runtime" },
    { n: "Secret", s: "sealed-token", l: "runtime" },
    { n: "Copy", p: "sealed-copy", l: "collection" },
    { n: "Deleted", l: "engine" },
  ],
};

function corruptCode(text: string): string | undefined {
  try {
    parseRecord(text, 1);
    return undefined;
  } catch (e) {
    return isTaskSeqError(e) ? e.code : "untyped";
  }
}

describe("journal records (formatRecord, parseRecord)", () => {
  it("write every field on one line that reads back the same, names and values with quotes, backslashes, line breaks and non-ASCII included", () => {
    const line = formatRecord(record);
    expect(line).not.toMatch(/[\r\n]/);
    expect(parseRecord(line, 1)).toEqual(record);
  });

  it("write step reports and variable changes compactly: no path, name or type, tuples instead of objects", () => {
    const line = formatRecord({ p: 2, run: { index: 2, retriesUsed: 0 }, out: [[1, "success", 0]], vars: [{ n: "V1", v: "one", l: "runtime" }] });
    expect(line).toBe('{"p":2,"run":[2,0],"out":[[1,"success",0]],"vars":[["V1","runtime","one"]]}');
  });

  it("write any name, value and reason as the JSON text JSON.stringify gives (controls, quotes, backslashes, lone surrogates), reading back the same", () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom("\ud800", "a\udc00b", "\u2028", "\u007f", '"', "\\"));
    fc.assert(
      fc.property(text, text, text, (n, v, reason) => {
        const rec: ProgressRecord = { out: [[1, "failed", 2, reason]], vars: [{ n, v, l: "runtime" }, { n, l: "engine" }] };
        const line = formatRecord(rec);
        expect(line).toBe(JSON.stringify({ out: [[1, "failed", 2, reason]], vars: [[n, "runtime", v], [n, "engine"]] }));
        expect(parseRecord(line, 1)).toEqual(rec);
      }),
    );
  });

  it("write only the fields a record has (a run marker cleared as null, an empty record as {})", () => {
    expect(formatRecord({ p: 3, run: null })).toBe('{"p":3,"run":null}');
    expect(formatRecord({})).toBe("{}");
  });

  it.each([
    ["not JSON", "{"],
    ["not an object", "[1]"],
    ["a bad pointer", '{"p":"1"}'],
    ["a bad run marker", '{"run":[1]}'],
    ["an unknown outcome", '{"out":[[1,"exploded",0]]}'],
    ["an outcome without a code", '{"out":[[1,"success"]]}'],
    ["a variable change that is an object", '{"vars":[{"n":"A","v":"1","l":"runtime"}]}'],
    ["a sealed value of an unknown kind", '{"vars":[["A","runtime","tok","x"]]}'],
    ["a variable value that is not a string", '{"vars":[["A","runtime",1]]}'],
    ["a variable change in an unknown layer", '{"vars":[["A","kernel","1"]]}'],
  ])("refuse a record with %s as StateCorrupt", (_, text) => {
    expect(corruptCode(text)).toBe("StateCorrupt");
  });
});

describe("impliedValue", () => {
  it("a marker implies the pointer and the step's name; the last report of a step that ran implies its last-action values (not a skip, not a group's or child's report)", async () => {
    const run = (name: string) => createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "x" }, { name });
    const table = await buildInstructionTable(createSequence([run("First"), createGroup("G", [run("Second")]), run("Third")]), createMapResolver(), "TS000001");
    const at = (name: string): number => table.findIndex((i) => i.kind === "step" && i.item.name === name);
    const implied = (r: ProgressRecord): Record<string, string | undefined> => Object.fromEntries(IMPLIED_VARIABLES.map((n) => [n, impliedValue(table, r, n)]));
    const none = { _SMSTSNextInstructionPointer: undefined, _SMSTSCurrentActionName: undefined, _SMSTSLastActionName: undefined, _SMSTSLastActionRetCode: undefined, _SMSTSLastActionSucceeded: undefined };
    expect(implied({})).toEqual(none);
    expect(implied({ run: null, out: [[at("Third"), "skipped-condition", 0]] })).toEqual(none);
    expect(implied({ run: { index: at("Second"), retriesUsed: 0 }, out: [[at("First"), "success", 0]] })).toEqual({
      _SMSTSNextInstructionPointer: String(at("Second")),
      _SMSTSCurrentActionName: "Second",
      _SMSTSLastActionName: "First",
      _SMSTSLastActionRetCode: "0",
      _SMSTSLastActionSucceeded: "true",
    });
    // The last step that ran wins over an earlier one; a later skip, or a group's entry, implies nothing.
    const out: ProgressRecord["out"] = [[at("First"), "success", 0], [at("Second"), "failed-continued", -5], [at("Third"), "skipped-disabled", 0], [1, "failed", 1]];
    expect(implied({ run: { index: 1, retriesUsed: 0 }, out })).toEqual({ ...none, _SMSTSNextInstructionPointer: "1", _SMSTSLastActionName: "Second", _SMSTSLastActionRetCode: "-5", _SMSTSLastActionSucceeded: "false" });
    expect(impliedValue(table, { run: null, out }, "Other")).toBeUndefined();
  });
});

describe("stepReportOf", () => {
  it("rebuilds a step report from the instruction it names, and refuses an index that is not a step", async () => {
    const table = await buildInstructionTable(createSequence([createGroup("G", [createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "cmd /c exit 0" }, { name: "Run it" })])]), createMapResolver(), "TS000001");
    const index = table.findIndex((i) => i.kind === "step");
    expect(stepReportOf(table, [index, "failed", 5, "why"])).toEqual({ path: "0.0", name: "Run it", type: "SMS_TaskSequence_RunCommandLineAction", outcome: "failed", exitCode: 5, reason: "why" });
    expect(stepReportOf(table, [index, "success", 0])).toEqual({ path: "0.0", name: "Run it", type: "SMS_TaskSequence_RunCommandLineAction", outcome: "success", exitCode: 0 });
    expect(() => stepReportOf(table, [0, "success", 0])).toThrow(expect.objectContaining({ code: "StateCorrupt" }));
    expect(() => stepReportOf(table, [99, "success", 0])).toThrow(expect.objectContaining({ code: "StateCorrupt" }));
  });
});

describe("snapshots (packRun, parseSnapshot)", () => {
  const runOf = (sequence: PersistedRun["sequence"], children: PersistedRun["children"] = []): PersistedRun => ({
    runId: "r",
    packageId: "TS000001",
    deploymentId: undefined,
    name: "N",
    startedAt: 1,
    sequence,
    children,
    launchMode: "SMS",
    maxRunTimeMinutes: 120,
    maxRunTimeEnforcement: "monitorOnly",
    instructionCount: 0,
    savedPowerPlan: undefined,
  });
  const snapshot = (run: object, version: number = RUN_STATE_VERSION): string =>
    JSON.stringify({ format: RUN_STATE_FORMAT, version, run, progress: { pointer: 0, outcomes: {} }, environment: {} });
  /** The run as JSON gives it back (no undefined members). */
  const plain = (run: PersistedRun): unknown => JSON.parse(JSON.stringify(run));

  it("write every corpus sequence compactly and read it back equal, as top level and as a child", () => {
    const all = corpusSequences();
    expect(all.length).toBeGreaterThan(20);
    for (const [file, seq] of all) {
      const run = runOf(seq, [{ packageId: "CHILD001", name: file, sequence: seq }]);
      const text = snapshot(packRun(run));
      expect(parseSnapshot(text).run, file).toEqual(plain(run));
      expect(text.length, file).toBeLessThan(snapshot(run).length);
    }
  });

  it("write the steps of one shape as its index, their names and their setting values, the shape once", () => {
    const plainStep = (name: string) => ({
      ...createStep("SMS_TaskSequence_SetVariableAction", { VariableName: "A", VariableValue: name }, { name, successCodes: [0] }),
      variables: [
        { name: "VariableName", property: "VariableName", value: "A" },
        { name: "VariableValue", property: "VariableValue", value: name },
      ],
    });
    const other = { ...createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "cmd" }, { name: "Cmd", continueOnError: true, successCodes: [0, 3010] }), variables: [{ name: "CommandLine", property: "CommandLine", value: "cmd" }] };
    const run = runOf(createSequence([plainStep("One"), other, plainStep("Two")]));
    const packed = JSON.parse(JSON.stringify(packRun(run))) as { sequence: { items: unknown[]; shapes: unknown[] } };
    const setShape = ["SMS_TaskSequence_SetVariableAction", [0], 0, [["VariableName", "VariableName"], ["VariableValue", "VariableValue"]], 0];
    const cmdShape = ["SMS_TaskSequence_RunCommandLineAction", [0, 3010], 2, [["CommandLine", "CommandLine"]], 0];
    expect(packed.sequence.shapes).toEqual([setShape, cmdShape]);
    expect(packed.sequence.items).toEqual([0, "One", "A", "One", 1, "Cmd", "cmd", 0, "Two", "A", "Two"]);
    expect(parseSnapshot(snapshot(packRun(run))).run).toEqual(plain(run));
  });

  it("keep every field that differs from its default, settings with more than a value, groups and fields the codec does not know", () => {
    const base = createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "cmd" }, { name: "S", description: "d", disabled: true, continueOnError: true, runIn: "WinPE", retryCount: 2 });
    const full = {
      ...base,
      element: "subtasksequence" as const,
      runFromNet: true,
      timeout: 30,
      startIn: "C:\\",
      action: "cmd.exe",
      successCodes: [0, 5, -1],
      condition: { operands: [variableCondition("X", "equals", "1")] },
      variables: [...base.variables, { name: "OSDSecret", property: "Secret", value: "v", hidden: true }, { name: "Same", property: "Other", value: "" }],
      trivia: { attributes: [["name", "S"]] as [string, string][], order: ["action"], unknown: [] },
      future: { kept: 1 },
    };
    const fullOs = createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "x" }, { name: "Plain", runIn: "FullOS" });
    const group = createGroup("G", [full, createGroup("Inner", [fullOs])], { description: "g", disabled: true, continueOnError: true });
    const run = runOf(createSequence([group, createGroup("Empty"), createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "x" }, { name: "Plain" })]));
    const back = parseSnapshot(snapshot(packRun(run))).run;
    expect(back).toEqual(plain(run));
    const steps = (back.sequence.items[0] as Group).children;
    expect(steps[0]).toMatchObject({ element: "subtasksequence", runIn: "WinPE", future: { kept: 1 }, successCodes: [0, 5, -1] });
    expect((steps[1] as Group).children[0]).toMatchObject({ runIn: "FullOS", element: "step", description: "" });
  });

  it("refuse a malformed compact sequence as StateCorrupt", () => {
    const odd = { ...createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "x" }, { name: "Odd", description: "d" }), variables: [{ name: "N", property: "P", value: "v", hidden: true }] };
    const run = runOf(createSequence([createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "cmd" }, { name: "S" }), createGroup("G"), odd]));
    const good = JSON.parse(JSON.stringify(packRun(run))) as { sequence: { items: unknown[]; shapes: unknown[][] } };
    // items: 0, "S", <one value per setting of shape 0>, {group}, 1, "Odd", {setting}, {extra}
    const settings = (good.sequence.shapes[0]![3] as unknown[]).length;
    const group = 2 + settings;
    expect(good.sequence.items[group]).toMatchObject({ kind: "group", name: "G" });
    expect(good.sequence.items.slice(group + 1)).toEqual([1, "Odd", odd.variables[0], { description: "d" }]);
    const broken = (change: (s: { items: unknown[]; shapes: unknown[][] }) => void): string => {
      const copy = structuredClone(good);
      change(copy.sequence);
      return snapshot(copy);
    };
    const cases = [
      broken((s) => delete (s as { shapes?: unknown }).shapes),
      broken((s) => (s.shapes = {} as unknown as unknown[][])),
      broken((s) => s.shapes[0]!.pop()),
      broken((s) => (s.shapes[0]![0] = 7)),
      broken((s) => (s.shapes[0]![1] = [0.5])),
      broken((s) => (s.shapes[0]![2] = 64)),
      broken((s) => (s.shapes[0]![3] = [["only one"]])),
      broken((s) => (s.shapes[0]![4] = 2)),
      broken((s) => (s.items[0] = 9)),
      broken((s) => (s.items[0] = 0.5)),
      broken((s) => (s.items[1] = 5)),
      broken((s) => (s.items[2] = 5)),
      broken((s) => (s.items[group + 3] = { name: "N" })),
      broken((s) => (s.items[group + 4] = { kind: "group" })),
      broken((s) => (s.items[group + 4] = "extra")),
      broken((s) => s.items.pop()),
      broken((s) => (s.items[group] = { kind: "step" })),
      broken((s) => (s.items = {} as unknown as unknown[])),
    ];
    for (const text of cases) expect(() => parseSnapshot(text), text).toThrow(expect.objectContaining({ code: "StateCorrupt" }));
  });

  it("read version 2 snapshots (sequences in full), 3 and 4 (items without their default fields), and refuse other versions as StateCorrupt", () => {
    const step = createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "cmd" }, { name: "S" });
    const run = runOf(createSequence([createGroup("G", [step])]));
    expect(parseSnapshot(snapshot(run, 2)).run).toEqual(plain(run));
    const withoutDefaults = {
      ...run,
      sequence: { ...run.sequence, items: [{ kind: "group", name: "G", children: [{ kind: "step", type: step.type, name: "S", successCodes: step.successCodes, variables: step.variables }] }] },
    };
    for (const version of [3, 4]) expect(parseSnapshot(snapshot(withoutDefaults, version)).run).toEqual(plain(run));
    expect(RUN_STATE_VERSION).toBe(7);
    expect(parseSnapshot(snapshot(packRun(run), 6)).run).toEqual(plain(run));
    for (const version of [1, 8, "7"]) expect(() => parseSnapshot(snapshot(packRun(run), version as number))).toThrow(expect.objectContaining({ code: "StateCorrupt" }));
  });

  it("reads the sealed settings of a run and refuses malformed ones as StateCorrupt", () => {
    const run = runOf(createSequence([createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "cmd" }, { name: "S" })]));
    const sealed = [[0, "0", 1, "token"]];
    expect(parseSnapshot(snapshot({ ...packRun(run), sealed })).run.sealed).toEqual(sealed);
    for (const bad of [{}, [[0, "0", 1]], [[-1, "0", 1, "t"]], [[0, 0, 1, "t"]], [[0, "0", 1.5, "t"]], [[0, "0", 1, 5]]]) {
      expect(() => parseSnapshot(snapshot({ ...packRun(run), sealed: bad })), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: "StateCorrupt" }));
    }
  });

  it("read version 5 snapshots (steps as arrays, repeated strings in a table), and refuse a malformed one as StateCorrupt", () => {
    const cmd = createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "cmd" }, { name: "S", runIn: "WinPE", successCodes: [0, 3010] });
    const hidden = { name: "OSDSecret", property: "Secret", value: "v", hidden: true };
    const step = { ...cmd, description: "d", variables: [{ name: "CommandLine", property: "CommandLine", value: "cmd" }, hidden] };
    const run = runOf(createSequence([createGroup("G", [step])]));
    const w = ["SMS_TaskSequence_RunCommandLineAction", [0, 3010], "CommandLine"];
    const v5Step = [0, "S", 1, 16, [2, 2, "cmd", hidden], { description: "d" }];
    const v5 = (items: unknown[], words: unknown = w): object => ({ ...run, sequence: { ...run.sequence, items: [{ ...run.sequence.items[0], children: items }], w: words } });
    expect(parseSnapshot(snapshot(v5([v5Step]), 5)).run).toEqual(plain(run));
    const cases = [v5([v5Step], null), v5([[9, ...v5Step.slice(1)]]), v5([[1, ...v5Step.slice(1)]]), v5([[0, "S", 0, 16, [], {}]]), v5([[0, "S", 1, 64, []]]), v5([[0, "S", 1, 16, [2, 2]]]), v5([[...v5Step, "x"]]), v5([[0, "S", 1, 16, [], { kind: "x" }]])];
    for (const doc of cases) expect(() => parseSnapshot(snapshot(doc, 5)), JSON.stringify(doc)).toThrow(expect.objectContaining({ code: "StateCorrupt" }));
  });
});
