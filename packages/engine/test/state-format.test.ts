import { describe, expect, it } from "vitest";
import { formatRecord, parseRecord, type ProgressRecord } from "../src/state-format.js";

describe("journal records (formatRecord)", () => {
  it("write every field as JSON that reads back the same, names and values with quotes, backslashes, line breaks and non-ASCII included", () => {
    const record: ProgressRecord = {
      p: 7,
      run: { index: 7, retriesUsed: 1 },
      restart: { target: "WinPE", then: "rerun", resumeAt: 6 },
      restarts: 2,
      failure: { name: 'Step "x"', index: 6, path: "0.6", exitCode: -2147467259, groups: ["G"] },
      dbg: { mode: "active", breakpoints: [{ id: 1, kind: "instruction", target: "0.3" }], nextId: 2 },
      cp: { index: 3, env: "{}", outcomes: [], restarts: 0 },
      out: [[6, { path: "0.6", name: "Ünïcode \\ step", type: "T", outcome: "failed", exitCode: 5, reason: "line\r\nbreak" }]],
      vars: [
        { n: 'Name "quoted"', v: "C:\\Windows\r\n€", l: "runtime" },
        { n: "Secret", s: "sealed-token", l: "runtime" },
        { n: "Copy", p: "sealed-copy", l: "runtime" },
        { n: "Deleted", l: "engine" },
      ],
    };
    const line = formatRecord(record);
    expect(line).not.toMatch(/[\r\n]/);
    expect(JSON.parse(line)).toEqual(record);
    expect(parseRecord(line, 1)).toEqual(record);
  });

  it("write only the fields a record has (a run marker cleared as null, an empty record as {})", () => {
    expect(formatRecord({ p: 3, run: null })).toBe('{"p":3,"run":null}');
    expect(formatRecord({})).toBe("{}");
  });
});
