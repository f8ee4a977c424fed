import { describe, expect, it } from "vitest";
import { createEngine, createMapResolver, createMemoryStateStore, createStepHandlerRegistry, parseSnapshot, type StepHandler } from "@taskseq/engine";
import { createMemorySecretStore } from "@taskseq/environment";
import type { ActionVariable, Step } from "@taskseq/model";
import { createFakeDevice } from "./fake-device.js";
import { group, sequence, step } from "./fixtures.js";

const SECRET = "Sup3rS3cr3t";
const RUN_COMMAND = "SMS_TaskSequence_RunCommandLineAction";
const SET_VARIABLE = "SMS_TaskSequence_SetVariableAction";
const setting = (name: string, property: string, value: string, extra: Partial<ActionVariable> = {}): ActionVariable => ({ name, property, value, ...extra });

/** A Run Command Line step whose password (a catalogue secret) came from XML: its trivia holds the source value too. */
const runAs = (name: string, password: string): Step =>
  step(name, {
    type: RUN_COMMAND,
    variables: [
      setting("CommandLine", "CommandLine", "cmd /c exit 0"),
      setting("SMSTSRunCommandLineUserPassword", "UserPassword", password, { trivia: { attributes: [], order: ["value"], unknown: [], extra: { sourceValue: password } } }),
    ],
  });

/** A Set Task Sequence Variable step marked "Do not display this value". */
const hiddenSet = (name: string, variable: string, value: string): Step =>
  step(name, {
    type: SET_VARIABLE,
    variables: [setting("VariableName", "VariableName", variable), setting("VariableValue", "VariableValue", value), setting("DoNotShowVariableValue", "DoNotShowVariableValue", "true")],
  });

const runChild = (name: string, packageId: string): Step =>
  step(name, { element: "subtasksequence", type: "SMS_TaskSequence_SubTasksequence", variables: [setting("OSDSubTasksequencePackageID", "TsPackageID", packageId)] });

describe("secret settings in the persisted run (DESIGN.md §5)", () => {
  it("are sealed in every snapshot (top level, groups, children, sequence variables) and put back for the steps after a resume", async () => {
    const seen: string[] = [];
    const record: StepHandler = (ctx) => {
      seen.push(`${ctx.step.name}:${ctx.settings["UserPassword"] ?? ctx.settings["VariableValue"] ?? ""}`);
      return Promise.resolve({ exitCode: ctx.step.name === "Restart" ? 3010 : 0 });
    };
    const handlers = createStepHandlerRegistry({ [RUN_COMMAND]: record, [SET_VARIABLE]: record });
    const child = sequence([runAs("Child run", `${SECRET}-child`)]);
    const seq = sequence([runAs("Restart", `${SECRET}-0`), group("G", [hiddenSet("Hidden", "Plain", `${SECRET}-1`)]), runChild("Run child", "CHILD001")], {
      globalVariables: [setting("OSDJoinPassword", "OSDJoinPassword", `${SECRET}-global`), setting("Visible", "Visible", "shown")],
    });
    const state = createMemoryStateStore();
    const secretStore = createMemorySecretStore();
    const engine = (): ReturnType<typeof createEngine> =>
      createEngine({ handlers, state, secretStore, device: createFakeDevice(), resolver: createMapResolver([{ packageId: "CHILD001", name: "Child", sequence: child }]) });

    const first = await engine().run(seq, { stopAtRestart: true });
    expect(first.status).toBe("restart-pending");
    const stored = await state.load();
    const text = [stored?.snapshot ?? "", ...(stored?.records ?? [])].join("\n");
    expect(text).not.toContain(SECRET);
    expect(text).toContain("shown");
    const run = parseSnapshot(stored?.snapshot ?? "").run;
    expect(run.sealed?.map(([seqIndex, path, index]) => [seqIndex, path, index])).toEqual([
      [0, "globals", 0],
      [0, "0", 1],
      [0, "1.0", 1],
      [1, "0", 1],
    ]);

    const last = await engine().resume();
    expect(last.status).toBe("success");
    expect(seen).toEqual([`Restart:${SECRET}-0`, `Hidden:${SECRET}-1`, `Child run:${SECRET}-child`]);
  });

  it("leave a run without secrets as it is, and refuse a sealed entry that does not fit its place as StateCorrupt", async () => {
    const handlers = createStepHandlerRegistry({ [RUN_COMMAND]: () => Promise.resolve({ exitCode: 3010 }) });
    const plain = createMemoryStateStore();
    await createEngine({ handlers, state: plain, device: createFakeDevice() }).run(sequence([runAs("A", ""), runAs("B", "")]), { stopAtRestart: true });
    expect(parseSnapshot((await plain.load())?.snapshot ?? "").run.sealed).toBeUndefined();

    const state = createMemoryStateStore();
    const secretStore = createMemorySecretStore();
    await createEngine({ handlers, state, secretStore, device: createFakeDevice() }).run(sequence([runAs("A", SECRET), runAs("B", "")]), { stopAtRestart: true });
    const stored = await state.load();
    const moved = (stored?.snapshot ?? "").replace(/\[\[0,"0",1,/, '[[0,"1",0,');
    expect(moved).not.toBe(stored?.snapshot);
    await state.replace(moved);
    await expect(createEngine({ handlers, state, secretStore, device: createFakeDevice() }).resume()).rejects.toMatchObject({ code: "StateCorrupt" });
  });
});
