import { describe, expect, it } from "vitest";
import { createSimulatedDevice, defaultDeviceProfile } from "@taskseq/device";
import { createEngine, createMapResolver, createMemoryStateStore, type EngineEvent } from "@taskseq/engine";
import { createRunRecorder, parseRunRecord, redactSequence, renderRunReport, runRecordFromState } from "@taskseq/inspect";
import { parseSequenceXml } from "@taskseq/xml";
import { createGroup, createSequence, createStep, isTaskSeqError } from "@taskseq/model";
import { createBuiltinHandlers } from "@taskseq/steps";
import { command, setVar, when } from "./helpers.js";

const sequence = createSequence(
  [
    createGroup("Prepare <ok>", [
      setVar("Set <name>", "Greeting", "hello & bye"),
      setVar("Set secret", "OSDJoinPassword", "Pa55w0rd!"),
      command("Skipped", "cmd /c never", { condition: when("Greeting", "equals", "nope") }),
    ]),
  ],
  { name: "Report <demo>" },
);

async function recorded() {
  let t = 1_000;
  const recorder = createRunRecorder({ sequence, now: () => (t += 250) });
  const engine = createEngine({ device: createSimulatedDevice(), handlers: createBuiltinHandlers(), logLevel: 0, onEvent: recorder.onEvent });
  return recorder.finish(await engine.run(sequence));
}

describe("createRunRecorder and renderRunReport", () => {
  it("records outcomes, timings, changed variables (redacted), log lines and condition traces", async () => {
    const record = await recorded();
    expect(record.status).toBe("success");
    const byName = new Map(record.steps.map((s) => [s.name, s]));
    expect(byName.get("Set <name>")).toMatchObject({ path: "0.0", outcome: "success", durationMs: 250 });
    expect(byName.get("Set <name>")?.variables.slice(0, 2)).toEqual([{ name: "Greeting", value: "hello & bye" }, { name: "_SMSTSLastActionName", value: "Set <name>" }]);
    expect(byName.get("Set secret")?.variables).toContainEqual({ name: "OSDJoinPassword", value: "********" });
    expect(byName.get("Skipped")).toMatchObject({ outcome: "skipped-condition" });
    expect(byName.get("Skipped")?.conditionTrace.join("\n")).toContain("Greeting");
    expect(byName.get("Set <name>")?.log.length).toBeGreaterThan(0);
    expect(record.log?.map((l) => l.message).join("\n")).toMatch(/finished: success/);
    expect(byName.get("Skipped")?.log.map((l) => l.message).join("\n")).not.toMatch(/finished: success/);
    expect(JSON.stringify(record)).not.toContain("Pa55w0rd!");
    expect(parseRunRecord(JSON.stringify(record)).steps).toHaveLength(record.steps.length);
  });

  it("renders one self-contained, escaped page with an expandable tree", async () => {
    const html = renderRunReport(await recorded());
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/<(link|img|iframe)\b|\bsrc=|https?:\/\//);
    expect(html).toContain("Run report: Report &lt;demo&gt;");
    expect(html).toContain("Set &lt;name&gt;");
    expect(html).toContain("hello &amp; bye");
    expect(html).not.toContain("Pa55w0rd!");
    expect(html).toContain('aria-controls="d0"');
    expect(html).toMatch(/<div class="details" id="d0" hidden>/);
    expect(html).toContain('<span class="bar" style="width:100%">');
    expect(html).toMatch(/<details id="run-log"><summary>Run log \(\d+ line\(s\)\)<\/summary>/);
  });

  it("lists the steps of a child task sequence under its Run Task Sequence step", async () => {
    const child = createSequence([setVar("In child", "FromChild", "yes")]);
    const parent = createSequence([createStep("SMS_TaskSequence_SubTasksequence", { TsPackageID: "ABC00002" }, { name: "Run child" })]);
    const recorder = createRunRecorder({ sequence: parent });
    const resolver = createMapResolver([{ packageId: "ABC00002", name: "Child", sequence: child }]);
    const record = recorder.finish(await createEngine({ device: createSimulatedDevice(), handlers: createBuiltinHandlers(), resolver, onEvent: recorder.onEvent }).run(parent));
    expect(record.steps.map((s) => [s.path, s.outcome])).toContainEqual(["0/0", "success"]);
    const html = renderRunReport(record);
    expect(html).toMatch(/<li class="step" data-path="0">.*<ul><li class="step" data-path="0\/0">/s);
  });

  it("rebuilds a record from persisted state (restart pending)", async () => {
    const state = createMemoryStateStore();
    const seq = createSequence([setVar("Before", "Phase", "one"), createStep("SMS_TaskSequence_RebootAction", { Target: "WinPE" }, { name: "Restart" }), setVar("After", "Phase", "two")]);
    const withBoot = { ...seq, package: { packageId: "ABC00001", bootImageId: "ABC00002", properties: {} } };
    // A restart needs an NTFS volume to hold the state (execution.md §7.2).
    const formatted = createSimulatedDevice({
      ...defaultDeviceProfile,
      disks: [{ index: 0, sizeBytes: 64_000_000_000, busType: "SATA", partitionStyle: "GPT", partitions: [{ type: "Primary", sizeBytes: 60_000_000_000, fileSystem: "NTFS", driveLetter: "C:" }] }],
    });
    const result = await createEngine({ device: formatted, handlers: createBuiltinHandlers(), state }).run(withBoot, { stopAtRestart: true });
    expect(result.status).toBe("restart-pending");
    const stored = await state.load();
    if (stored === undefined) throw new Error("no state");
    const record = await runRecordFromState(stored);
    expect(record.status).toBe("restart-pending");
    expect(record.steps.map((s) => [s.path, s.outcome])).toEqual([["0", "success"], ["1", "success"]]);
    expect(record.steps[0]?.variables).toContainEqual({ name: "Phase", value: "one" });
    expect(renderRunReport(record)).toContain('data-path="2"');
  });

  it("shows the step that was running when the state was taken", async () => {
    const state = createMemoryStateStore();
    let taken: ReturnType<typeof state.load> | undefined;
    const onEvent = (e: EngineEvent): void => {
      if (e.type === "step-started" && e.path === "1") taken = state.load();
    };
    const seq = createSequence([setVar("First", "A", "1"), command("Interrupted", "cmd /c long"), setVar("Later", "B", "2")]);
    await createEngine({ device: createSimulatedDevice(), handlers: createBuiltinHandlers(), state, onEvent }).run(seq);
    const stored = await taken;
    if (stored === undefined) throw new Error("no state");
    const record = await runRecordFromState(stored);
    expect(record.status).toBe("in-progress");
    expect(record.steps.map((s) => [s.path, s.name, s.outcome])).toEqual([["0", "First", "success"], ["1", "Interrupted", "running"]]);
  });

  it("refuses what is not a run record or state with StateCorrupt", async () => {
    for (const bad of ["{", "{}", JSON.stringify({ format: "taskseq-run-record", version: 2, steps: [], sequence: { items: [] } })]) {
      expect(() => parseRunRecord(bad)).toThrow(expect.objectContaining({ code: "StateCorrupt" }) as Error);
    }
    await expect(runRecordFromState({ snapshot: "nope", records: [] })).rejects.toSatisfy((e) => isTaskSeqError(e, "StateCorrupt"));
  });
});

describe("redactSequence", () => {
  it("masks secret settings and drops the source value the XML reader keeps in their trivia", () => {
    const xml = `<sequence version="3.10"><step type="SMS_TaskSequence_RunCommandLineAction" name="Run"><defaultVarList>
<variable name="CommandLine" property="CommandLine">cmd /c exit 0</variable>
<variable name="SMSTSRunCommandLineUserPassword" property="UserPassword">Pa55w0rd!</variable>
</defaultVarList><action>smsswd.exe /run: cmd</action></step></sequence>`;
    const { sequence: imported } = parseSequenceXml(xml);
    expect(JSON.stringify(imported)).toContain("Pa55w0rd!");
    const redacted = redactSequence(imported);
    expect(JSON.stringify(redacted)).not.toContain("Pa55w0rd!");
    const step = redacted.items[0];
    expect(step?.kind === "step" ? step.variables.map((v) => v.value) : []).toEqual(["cmd /c exit 0", "********"]);
  });
});
