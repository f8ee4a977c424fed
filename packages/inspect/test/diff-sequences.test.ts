import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diffSequences, formatDiff } from "@taskseq/inspect";
import { createGroup, createSequence, moveItem, renameItem, setSetting, setContinueOnError, type Step } from "@taskseq/model";
import { parseSequenceXml } from "@taskseq/xml";
import { command, corpusDir, setVar, when } from "./helpers.js";

const base = createSequence([
  createGroup("Prepare", [command("A", "cmd /c a"), command("B", "cmd /c b"), command("C", "cmd /c c")]),
  createGroup("Install", [command("D", "cmd /c d")]),
]);

describe("diffSequences", () => {
  it("ignores formatting, whitespace between elements and attribute order", () => {
    const one = `<sequence version="3.10"><group name="G" description=""><step type="SMS_TaskSequence_SetVariableAction" name="S" successCodeList="0"><action>tsenv</action><defaultVarList><variable name="VariableName" property="VariableName">X</variable><variable name="VariableValue" property="VariableValue">1</variable></defaultVarList></step></group></sequence>`;
    const two = `<?xml version="1.0" encoding="utf-8"?>\n<sequence version="3.10">\n  <group description="" name="G">\n    <step successCodeList="0" name="S" type="SMS_TaskSequence_SetVariableAction">\n      <action>tsenv</action>\n      <defaultVarList>\n        <variable property="VariableName" name="VariableName">X</variable>\n        <variable property="VariableValue" name="VariableValue">1</variable>\n      </defaultVarList>\n    </step>\n  </group>\n</sequence>\n`;
    const d = diffSequences(parseSequenceXml(one).sequence, parseSequenceXml(two).sequence);
    expect(d).toEqual({ same: true, sequence: [], items: [] });
    expect(formatDiff(d)).toBe("The task sequences are the same.\n");
  });

  it("reports added, removed and changed steps with the fields that changed", () => {
    let after = setSetting(base, [0, 1], "CommandLine", "cmd /c b2");
    after = setContinueOnError(after, [0, 1], true);
    after = { ...after, items: [after.items[0]!, createGroup("Install", [command("E", "cmd /c e")])] };
    const d = diffSequences(base, after);
    expect(d.same).toBe(false);
    expect(d.items.map((i) => [i.change, i.name, i.pathA, i.pathB])).toEqual([
      ["removed", "D", "1.0", undefined],
      ["changed", "B", "0.1", "0.1"],
      ["added", "E", undefined, "1.0"],
    ]);
    expect(d.items[1]?.fields).toEqual([
      { field: "continueOnError", before: "false", after: "true" },
      { field: "setting:CommandLine", before: "cmd /c b", after: "cmd /c b2" },
    ]);
  });

  it("reports moves within a group and into another group", () => {
    const swapped = moveItem(base, [0, 2], [0, 0]);
    expect(diffSequences(base, swapped).items.map((i) => [i.change, i.name, i.pathA, i.pathB])).toEqual([["moved", "C", "0.2", "0.0"]]);
    const across = moveItem(base, [0, 0], [1, 1]);
    expect(diffSequences(base, across).items.map((i) => [i.change, i.name, i.pathA, i.pathB])).toEqual([["moved", "A", "0.0", "1.1"]]);
  });

  it("pairs a renamed step by type and position", () => {
    const d = diffSequences(base, renameItem(base, [0, 1], "B renamed"));
    expect(d.items).toEqual([{ change: "changed", kind: "step", name: "B renamed", type: "SMS_TaskSequence_RunCommandLineAction", pathA: "0.1", pathB: "0.1", fields: [{ field: "name", before: "B", after: "B renamed" }] }]);
  });

  it("compares conditions in readable form and masks secret values", () => {
    const a = createSequence([setVar("Pw", "OSDJoinPassword", "old-secret"), command("X", "cmd")]);
    const b = createSequence([setVar("Pw", "OSDJoinPassword", "new-secret"), command("X", "cmd", { condition: when("Role", "equals", "Lab") })]);
    const d = diffSequences(a, b);
    expect(JSON.stringify(d)).not.toMatch(/old-secret|new-secret/);
    expect(d.items.map((i) => i.fields)).toEqual([
      [{ field: "setting:VariableValue", before: "********", after: "********" }],
      [{ field: "condition", after: 'if all: Role equals "Lab"' }],
    ]);
  });

  it("reports a changed command kept in <action> (MDT Run Command Line), secret setting values masked in it", () => {
    const mdt = (command: string): string =>
      `<sequence version="3.00"><step type="SMS_TaskSequence_RunCommandLineAction" name="Convert" successCodeList="0"><defaultVarList><variable name="RunAsUser" property="RunAsUser">false</variable></defaultVarList><action>${command}</action></step></sequence>`;
    const d = diffSequences(parseSequenceXml(mdt("mbr2gpt.exe /convert")).sequence, parseSequenceXml(mdt("format.exe c: /y")).sequence);
    expect(d.items.map((i) => [i.change, i.pathB, i.fields])).toEqual([["changed", "0", [{ field: "action", before: "mbr2gpt.exe /convert", after: "format.exe c: /y" }]]]);
    const hidden = (value: string): string =>
      `<sequence version="3.10"><step type="SMS_TaskSequence_SetVariableAction" name="Pw" successCodeList="0"><defaultVarList><variable name="VariableName" property="VariableName">Pin</variable><variable name="VariableValue" property="VariableValue">${value}</variable><variable name="DoNotShowVariableValue" property="DoNotShowVariableValue">true</variable></defaultVarList><action>tsenv.exe "Pin=${value}" /hiddenflag:True</action></step></sequence>`;
    const secret = diffSequences(parseSequenceXml(hidden("old-secret")).sequence, parseSequenceXml(hidden("new-secret")).sequence);
    expect(secret.items[0]?.fields).toEqual([
      { field: "action", before: 'tsenv.exe "Pin=********" /hiddenflag:True', after: 'tsenv.exe "Pin=********" /hiddenflag:True' },
      { field: "setting:VariableValue", before: "********", after: "********" },
    ]);
  });

  it("reports a changed secret sequence variable, masked", () => {
    const a = { ...base, globalVariables: [{ name: "OSDJoinPassword", property: "OSDJoinPassword", value: "old-secret" }] };
    const b = { ...base, globalVariables: [{ name: "OSDJoinPassword", property: "OSDJoinPassword", value: "new-secret" }] };
    const d = diffSequences(a, b);
    expect(d).toEqual({ same: false, sequence: [{ field: "variable:OSDJoinPassword", before: "********", after: "********" }], items: [] });
  });

  it("treats an empty value and an absent one as the same (MDT startIn=\"\" and its 3.10 conversion)", () => {
    const step = (startIn: string): string => `<sequence version="3.00"><step name="Tattoo" startIn="${startIn}" successCodeList="0"><action>cscript.exe ZTITatoo.wsf</action></step></sequence>`;
    const mdt = parseSequenceXml(step("")).sequence;
    const { startIn: _dropped, ...converted } = mdt.items[0] as Step;
    expect(diffSequences(mdt, { ...mdt, items: [converted] }).same).toBe(true);
    expect(diffSequences(mdt, parseSequenceXml(step("C:\\Temp")).sequence).items[0]?.fields).toEqual([{ field: "startIn", before: "", after: "C:\\Temp" }]);
  });

  it("diffs two real templates", () => {
    const client = parseSequenceXml(readFileSync(`${corpusDir}019_mdt-template-Client.xml`)).sequence;
    const restore = parseSequenceXml(readFileSync(`${corpusDir}020_mdt-template-StateRestore.xml`)).sequence;
    const d = diffSequences(client, restore);
    expect(d.same).toBe(false);
    expect(d.items.some((i) => i.change === "removed")).toBe(true);
    expect(diffSequences(client, client).same).toBe(true);
    expect(formatDiff(d)).toMatch(/\d+ added, \d+ removed, \d+ moved, \d+ changed\n$/);
  });
});
