import { describe, expect, it } from "vitest";
import { buildInstructionTable, createEngine, createMapResolver } from "@taskseq/engine";
import { group, scripted, sequence, step } from "./fixtures.js";

/** execution.md §5.3: Group 1 (continue) [Step 1 (continue), Step 2, Step 3], Group 2 [Step 4, Step 5, Step 6]. */
const worked = sequence([
  group("Group 1", [step("Step 1", { continueOnError: true }), step("Step 2"), step("Step 3")], { continueOnError: true }),
  group("Group 2", [step("Step 4"), step("Step 5"), step("Step 6")]),
]);

describe("instruction table (execution.md §2)", () => {
  it("flattens the worked example into 10 instructions with group entries and exits", async () => {
    const table = await buildInstructionTable(worked, createMapResolver());
    expect(table.map((i) => `${i.kind}:${i.item.name}`)).toEqual([
      "enter-group:Group 1",
      "step:Step 1",
      "step:Step 2",
      "step:Step 3",
      "leave-group:Group 1",
      "enter-group:Group 2",
      "step:Step 4",
      "step:Step 5",
      "step:Step 6",
      "leave-group:Group 2",
    ]);
    expect(table.map((i) => i.path)).toEqual(["0", "0.0", "0.1", "0.2", "0", "1", "1.0", "1.1", "1.2", "1"]);
  });
});

describe("continue on error (execution.md §5.3, whole table)", () => {
  const rows: [string | undefined, string[], "success" | "failed"][] = [
    [undefined, ["Step 1", "Step 2", "Step 3", "Step 4", "Step 5", "Step 6"], "success"],
    ["Step 1", ["Step 1", "Step 2", "Step 3", "Step 4", "Step 5", "Step 6"], "success"],
    ["Step 2", ["Step 1", "Step 2", "Step 4", "Step 5", "Step 6"], "success"],
    ["Step 3", ["Step 1", "Step 2", "Step 3", "Step 4", "Step 5", "Step 6"], "success"],
    ["Step 4", ["Step 1", "Step 2", "Step 3", "Step 4"], "failed"],
    ["Step 5", ["Step 1", "Step 2", "Step 3", "Step 4", "Step 5"], "failed"],
    ["Step 6", ["Step 1", "Step 2", "Step 3", "Step 4", "Step 5", "Step 6"], "failed"],
  ];
  for (const [failing, runs, status] of rows) {
    it(`failing ${failing ?? "none"}: runs ${runs.join(", ")}; ${status}`, async () => {
      const { handlers, ran } = scripted(failing === undefined ? {} : { [failing]: 1 });
      const result = await createEngine({ handlers }).run(worked);
      expect(ran).toEqual(runs);
      expect(result.status).toBe(status);
      expect(result.exitCode).toBe(status === "success" ? 0 : 1);
      const notRun = result.steps.filter((s) => s.outcome === "not-run").map((s) => s.name);
      expect(notRun).toEqual(["Step 1", "Step 2", "Step 3", "Step 4", "Step 5", "Step 6"].filter((n) => !runs.includes(n)));
      if (failing !== undefined) {
        const rep = result.steps.find((s) => s.name === failing);
        expect(rep?.outcome).toBe(failing === "Step 1" ? "failed-continued" : "failed");
        expect(rep?.exitCode).toBe(1);
      }
      if (status === "failed") expect(result.failure).toMatchObject({ name: failing, groups: ["Group 2"], exitCode: 1 });
    });
  }

  it("after Step 2 fails the last-action variables name Step 2 until Step 4 overwrites them", async () => {
    const seen: string[] = [];
    const { handlers } = scripted({ "Step 2": 1 });
    const inner = handlers.get("Test_Action");
    handlers.register("Test_Action", async (ctx) => {
      seen.push(`${ctx.step.name}:${ctx.env.get("_SMSTSLastActionName") ?? ""}:${ctx.env.get("_SMSTSLastActionSucceeded") ?? ""}`);
      return inner === undefined ? { exitCode: 0 } : inner(ctx);
    });
    await createEngine({ handlers }).run(worked);
    expect(seen).toContain("Step 4:Step 2:false");
    expect(seen).toContain("Step 5:Step 4:true");
  });
});

describe("continue-on-error exceptions (execution.md §5.2 items 4 and 5)", () => {
  it("a Setup Windows and ConfigMgr failure ends the run despite continue-on-error on it and its group", async () => {
    const { handlers, ran } = scripted({ Setup: 1 });
    handlers.register("SMS_TaskSequence_SetupWindowsAndSMSAction", handlers.get("Test_Action") ?? (() => Promise.resolve({ exitCode: 0 })));
    const r = await createEngine({ handlers }).run(
      sequence([group("G", [step("Setup", { type: "SMS_TaskSequence_SetupWindowsAndSMSAction", continueOnError: true })], { continueOnError: true }), step("After")]),
    );
    expect(r.status).toBe("failed");
    expect(ran).toEqual(["Setup"]);
    expect(r.failure).toMatchObject({ name: "Setup", exitCode: 1 });
  });

  it("an Upgrade Operating System step whose setup rolled back continues as if it had continue-on-error", async () => {
    const { handlers, ran } = scripted();
    handlers.register("SMS_TaskSequence_UpgradeOperatingSystemAction", (ctx) => {
      ctx.setReadOnly("_SMSTSSetupRollback", "true");
      return Promise.resolve({ exitCode: 1 });
    });
    const r = await createEngine({ handlers }).run(sequence([step("Upgrade", { type: "SMS_TaskSequence_UpgradeOperatingSystemAction" }), step("Rollback group step")]));
    expect(r.status).toBe("success");
    expect(r.steps[0]?.outcome).toBe("failed-continued");
    expect(ran).toEqual(["Rollback group step"]);
  });

  it("setReadOnly works when taken out of the context, as a function property does", async () => {
    const { handlers } = scripted();
    handlers.register("SMS_TaskSequence_UpgradeOperatingSystemAction", ({ setReadOnly }) => {
      setReadOnly("_SMSTSSetupRollback", "true");
      return Promise.resolve({ exitCode: 1 });
    });
    const r = await createEngine({ handlers }).run(sequence([step("Upgrade", { type: "SMS_TaskSequence_UpgradeOperatingSystemAction" })]));
    expect(r.steps[0]).toMatchObject({ outcome: "failed-continued", exitCode: 1 });
  });
});
