/**
 * Input a run cannot start with — a sequence or options from JavaScript or JSON outside their types
 * — is a typed error naming the place, never a TypeError from deep in the run.
 */
import { describe, expect, it } from "vitest";
import { createEngine, createMapResolver, createMemoryStateStore, type RunOptions } from "@taskseq/engine";
import { isTaskSeqError, type TaskSequence } from "@taskseq/model";
import { group, scripted, sequence, step } from "./fixtures.js";

async function failure(run: () => Promise<unknown>): Promise<{ code: string; message: string; path: string | undefined }> {
  try {
    await run();
  } catch (e) {
    if (!isTaskSeqError(e)) throw e;
    return { code: e.code, message: e.message, path: e.position?.path };
  }
  throw new Error("the run started");
}

const engine = (): ReturnType<typeof createEngine> => createEngine({ handlers: scripted({}).handlers });
const ok = sequence([step("A")]);
const withItems = (items: unknown[]): TaskSequence => ({ ...ok, items } as unknown as TaskSequence);

describe("run input", () => {
  it("refuses a malformed sequence with InvalidArgument naming the item", async () => {
    const cases: [unknown, string, string][] = [
      [null, "sequence", "not a task sequence"],
      [{ ...ok, items: 5 }, "sequence", "items is not a list"],
      [{ ...ok, globalVariables: [{ name: "A" }] }, "sequence globalVariables.0", "a variable needs a name and a value"],
      [withItems([{ kind: "step", name: "x" }]), "0", "the step has no type"],
      [withItems([{ ...step("A"), variables: "x" }]), "0", "the step's variables are not a list"],
      [withItems([{ ...step("A"), variables: [{ name: "N", value: "v" }] }]), "0 variables.0", "a setting needs a name, a property and a value"],
      [withItems([{ ...step("A"), successCodes: ["0"] }]), "0", "successCodes is not a list of numbers"],
      [withItems([{ ...step("A"), successCodes: [0.5] }]), "0", "successCodes is not a list of whole numbers"],
      [withItems([{ ...step("A"), runIn: "Both" }]), "0", 'runIn "Both" is not'],
      [withItems([group("G", [step("A")]), { kind: "group", name: "H" }]), "1", "the group's children are not a list"],
      [withItems([group("G", [{ kind: "task", name: "T" } as never])]), "0.0", 'kind "task" is neither'],
    ];
    for (const [seq, path, text] of cases) {
      const f = await failure(() => engine().run(seq as TaskSequence));
      expect(f, text).toMatchObject({ code: "InvalidArgument", path });
      expect(f.message).toContain(text);
    }
  });

  it("checks a resolved child task sequence too", async () => {
    const run = step("Child", { type: "SMS_TaskSequence_SubTasksequence", variables: [{ name: "TsPackageID", property: "TsPackageID", value: "PS100002" }] });
    const resolver = createMapResolver([{ packageId: "PS100002", name: "Child", sequence: { kind: "sequence", items: {} } as unknown as TaskSequence }]);
    expect(await failure(() => createEngine({ handlers: scripted({}).handlers, resolver }).run(sequence([run])))).toMatchObject({ code: "InvalidArgument", path: "child task sequence PS100002" });
  });

  it("refuses engine ports without the methods the engine calls", () => {
    expect(() => createEngine({ handlers: scripted({}) as never })).toThrow(expect.objectContaining({ code: "InvalidArgument", message: "Engine option handlers has no get method." }));
    expect(() => createEngine({ state: { load: () => Promise.resolve(undefined) } as never })).toThrow("Engine option state has no replace, append, clear methods.");
    expect(() => createEngine({ log: null as never })).toThrow("Engine option log has no write method.");
  });

  it("refuses run options outside their types", async () => {
    const cases: [RunOptions, string][] = [
      [{ maxRunTimeMinutes: -1 }, "maxRunTimeMinutes must be a whole number"],
      [{ maxRunTimeMinutes: 1.5 }, "maxRunTimeMinutes must be a whole number"],
      [{ maxRunTimeEnforcement: "kill" as never }, 'maxRunTimeEnforcement must be "stop" or "monitorOnly"'],
      [{ launchMode: "USB" as never }, 'launchMode "USB" is not one of'],
      [{ variables: { collections: 5 as never } }, "The collection variables are not a list"],
      [{ variables: { collections: [{ id: "C", priority: 1, variables: null as never }] } }, "The collection variables of C are not a list"],
      [{ variables: { device: [null as never] } }, "A device variable is not a { name, value } object"],
    ];
    for (const [options, text] of cases) {
      const f = await failure(() => engine().run(ok, options));
      expect(f.code, text).toBe("InvalidArgument");
      expect(f.message).toContain(text);
    }
    expect((await engine().run(ok, { maxRunTimeMinutes: 0, launchMode: "PXE" })).status).toBe("success");
  });

  it("leaves another run's state alone when the new run cannot start, even with existingState: discard", async () => {
    const state = createMemoryStateStore();
    const stopper = { ...step("Restart"), type: "Restart_Action" };
    const handlers = scripted({}, { Restart_Action: () => Promise.resolve({ exitCode: 0, restart: { target: "HD", then: "next" } }) }).handlers;
    const first = await createEngine({ handlers, state }).run(sequence([stopper, step("After")]), { stopAtRestart: true });
    expect(first.status).toBe("restart-pending");
    const saved = await state.load();
    expect(saved).toBeDefined();
    for (const [seq, options] of [
      [withItems([{ kind: "step", name: "x" }]), {}],
      [ok, { variables: { device: [null as never] } }],
      [ok, { variables: { runtime: { "bad name": "x" } } }],
    ] as [TaskSequence, RunOptions][]) {
      await failure(() => createEngine({ handlers, state }).run(seq, { ...options, existingState: "discard" }));
      expect(await state.load()).toEqual(saved);
    }
    expect((await createEngine({ handlers, state }).run(ok, { existingState: "discard" })).status).toBe("success");
  });
});
