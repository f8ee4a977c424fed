import { describe, expect, it } from "vitest";
import {
  addItem,
  clearCondition,
  createCondition,
  createGroup,
  createStep,
  findByName,
  findByPath,
  formatItemPath,
  insertItem,
  moveDown,
  moveIntoGroup,
  moveItem,
  moveOutOfGroup,
  moveUp,
  parseItemPath,
  removeItem,
  renameItem,
  setCondition,
  setContinueOnError,
  setDescription,
  setEnabled,
  setSetting,
  variableCondition,
  walk,
} from "../src/index.js";
import type { Group, Step, TaskSequence } from "../src/index.js";
import { cmReboot, sampleSequence } from "./fixtures.js";

const names = (seq: TaskSequence): string[] => {
  const out: string[] = [];
  walk(seq, (item, path) => {
    out.push(`${formatItemPath(path)} ${item.name}`);
  });
  return out;
};
const code = (c: string): Error => expect.objectContaining({ code: c }) as unknown as Error;
const reboot = createStep("SMS_TaskSequence_RebootAction", { Target: "HD" });

describe("paths and lookups", () => {
  it("finds by path and by name, and walks in execution order", () => {
    const seq = sampleSequence();
    expect(findByPath(seq, [0, 1]).name).toBe("Restart Computer");
    expect(() => findByPath(seq, [9])).toThrow(code("NotFound"));
    expect(() => findByPath(seq, [2, 0])).toThrow(code("InvalidOperation"));
    expect(() => findByPath(seq, [])).toThrow(code("InvalidArgument"));
    const twice = addItem(seq, reboot);
    expect(findByName(twice, "Restart Computer").map((m) => formatItemPath(m.path))).toEqual(["0.1", "3"]);
    expect(findByName(twice, "restart computer", { ignoreCase: true })).toHaveLength(2);
    expect(names(seq)).toEqual(["0 General", "0.0 Set Task Sequence Variable", "0.1 Restart Computer", "0.2 Run Task Sequence", "1 MDT", "1.0 Gather", "2 Run Command Line"]);
    const top: string[] = [];
    walk(seq, (item) => {
      top.push(item.name);
      return false;
    });
    expect(top).toEqual(["General", "MDT", "Run Command Line"]);
    expect(parseItemPath("0.2.1")).toEqual([0, 2, 1]);
    expect(() => parseItemPath("0..1")).toThrow(code("InvalidArgument"));
  });
});

describe("immutable edits", () => {
  it("add, insert and remove return new frozen values and leave the input untouched", () => {
    const seq = sampleSequence();
    const added = addItem(seq, reboot, [1]);
    expect(findByPath(added, [1, 1]).name).toBe("Restart Computer");
    expect(Object.isFrozen(findByPath(added, [1]))).toBe(true);
    expect((findByPath(seq, [1]) as Group).children).toHaveLength(1);
    const plain = insertItem(seq, [0], { ...cmReboot, variables: [{ name: "SMSRebootTarget", property: "Target", value: "HD" }] });
    expect(Object.isFrozen((findByPath(plain, [0]) as Step).variables[0])).toBe(true);
    const inserted = insertItem(seq, [0], createGroup("First"));
    expect(findByPath(inserted, [0]).name).toBe("First");
    expect(() => insertItem(seq, [0, 9], reboot)).toThrow(code("NotFound"));
    expect(() => insertItem(seq, [0], { kind: "nope" } as never)).toThrow(code("InvalidArgument"));
    const removed = removeItem(seq, [0, 0]);
    expect(findByPath(removed, [0, 0]).name).toBe("Restart Computer");
    expect(() => removeItem(seq, [7])).toThrow(code("NotFound"));
  });

  it("moves up, down, into and out of groups", () => {
    const seq = sampleSequence();
    expect(findByPath(moveUp(seq, [0, 1]), [0, 0]).name).toBe("Restart Computer");
    expect(() => moveUp(seq, [0, 0])).toThrow(code("InvalidOperation"));
    expect(findByPath(moveDown(seq, [0, 1]), [0, 2]).name).toBe("Restart Computer");
    expect(() => moveDown(seq, [2])).toThrow(code("InvalidOperation"));
    const into = moveIntoGroup(seq, [0], [1], 0);
    expect(names(into).slice(0, 3)).toEqual(["0 MDT", "0.0 General", "0.0.0 Set Task Sequence Variable"]);
    expect(findByPath(moveIntoGroup(seq, [2], [0]), [0, 3]).name).toBe("Run Command Line");
    expect(() => moveIntoGroup(seq, [0], [0])).toThrow(code("InvalidOperation"));
    expect(() => moveIntoGroup(seq, [1], [2])).toThrow(code("InvalidOperation"));
    expect(() => moveIntoGroup(seq, [2], [0], 9)).toThrow(code("InvalidArgument"));
    const out = moveOutOfGroup(seq, [0, 1]);
    expect(findByPath(out, [1]).name).toBe("Restart Computer");
    expect(() => moveOutOfGroup(seq, [1])).toThrow(code("InvalidOperation"));
    expect(findByPath(moveItem(seq, [2], [0, 0]), [0, 0]).name).toBe("Run Command Line");
    expect(moveItem(seq, [1], [1])).toBe(seq);
    expect(() => moveItem(seq, [0], [0, 1])).toThrow(code("InvalidOperation"));
  });

  it("sets flags, names, descriptions and conditions, leaving trivia for writers to compare", () => {
    let seq = insertItem(sampleSequence(), [0, 0], cmReboot);
    seq = setEnabled(seq, [0, 0], false);
    seq = setContinueOnError(seq, [0, 0], true);
    seq = renameItem(seq, [0, 0], "Reboot to PE");
    seq = setDescription(seq, [0, 0], "why");
    const step = findByPath(seq, [0, 0]);
    expect(step).toMatchObject({ disabled: true, continueOnError: true, name: "Reboot to PE", description: "why" });
    expect(step.trivia).toEqual(cmReboot.trivia);
    expect(() => renameItem(seq, [0], "")).toThrow(code("InvalidArgument"));
    expect(() => renameItem(seq, [0], "x".repeat(101))).toThrow(code("InvalidArgument"));
    expect(() => setDescription(seq, [0], "x".repeat(257))).toThrow(code("InvalidArgument"));
    // A flag from JavaScript that is not a boolean never reaches the model.
    for (const flag of ["yes", 1, undefined]) {
      expect(() => setEnabled(seq, [0], flag as unknown as boolean)).toThrow(code("InvalidArgument"));
      expect(() => setContinueOnError(seq, [0], flag as unknown as boolean)).toThrow(code("InvalidArgument"));
    }
    const cond = createCondition(variableCondition("_SMSTSInWinPE", "equals", "true"));
    seq = setCondition(seq, [2], cond);
    expect(findByPath(seq, [2]).condition).toEqual(cond);
    expect(findByPath(clearCondition(seq, [2]), [2]).condition).toBeUndefined();
    expect(() => setCondition(seq, [2], {} as never)).toThrow(code("InvalidArgument"));
  });

  it("renumbers item tokens of a container whose children changed", () => {
    const base = sampleSequence();
    const seq: TaskSequence = { ...base, trivia: { attributes: [["version", "3.10"]], order: ["referenceList", "item:0", "item:1", "item:2", "globalVarList"], unknown: [] } };
    expect(removeItem(seq, [1]).trivia?.order).toEqual(["referenceList", "item:0", "item:1", "globalVarList"]);
    const mixed: TaskSequence = { ...base, trivia: { attributes: [], order: ["item:0", "unknown:0", "item:1", "item:2", "unknown:1"], unknown: [] } };
    expect(addItem(mixed, reboot).trivia?.order).toEqual(["item:0", "unknown:0", "item:1", "item:2", "item:3", "unknown:1"]);
    expect(removeItem(removeItem(mixed, [2]), [1]).trivia?.order).toEqual(["item:0", "unknown:0", "unknown:1"]);
    const bare: TaskSequence = { ...base, trivia: { attributes: [], order: ["globalVarList"], unknown: [] } };
    expect(removeItem(bare, [0]).trivia?.order).toEqual(["globalVarList", "item:0", "item:1"]);
  });

  it("sets settings through the catalogue", () => {
    let seq = insertItem(sampleSequence(), [0, 0], cmReboot);
    seq = setSetting(seq, [0, 0], "messagetimeout", 30);
    seq = setSetting(seq, [0, 0], "Target", "hd");
    const step = findByPath(seq, [0, 0]) as Step;
    expect(step.variables.find((v) => v.property === "MessageTimeout")?.value).toBe("30");
    expect(step.variables.find((v) => v.property === "Target")).toEqual({ name: "SMSRebootTarget", property: "Target", value: "HD", hidden: true });
    const removed = setSetting(seq, [0, 0], "Message", undefined);
    expect((findByPath(removed, [0, 0]) as Step).variables.map((v) => v.property)).toEqual(["MessageTimeout", "Target"]);
    expect(() => setSetting(seq, [0, 0], "MessageTimeout", "soon")).toThrow(code("InvalidArgument"));
    expect(() => setSetting(seq, [0, 0], "Bogus", "1")).toThrow(code("InvalidArgument"));
    expect(() => setSetting(seq, [0], "Target", "HD")).toThrow(code("InvalidOperation"));
    const custom = setSetting(seq, [0, 0], "Extra", "1", "ContosoExtra");
    expect((findByPath(custom, [0, 0]) as Step).variables.at(-1)).toEqual({ name: "ContosoExtra", property: "Extra", value: "1" });
    const fresh = setSetting(seq, [2], "DisableWow64Redirection", true);
    expect((findByPath(fresh, [2]) as Step).variables.find((v) => v.property === "DisableWow64Redirection")?.value).toBe("true");
  });

  it("keeps unknown step types with all their data and edits them as text", () => {
    const custom: Step = { ...cmReboot, type: "Contoso_CustomAction", variables: [{ name: "X", property: "X", value: "1" }] };
    let seq = addItem(sampleSequence(), custom);
    seq = setSetting(seq, [3], "X", "2");
    expect((findByPath(seq, [3]) as Step).variables).toEqual([{ name: "X", property: "X", value: "2" }]);
    expect(() => setSetting(seq, [3], "X", 2)).toThrow(code("InvalidArgument"));
  });
});
