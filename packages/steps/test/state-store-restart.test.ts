import { describe, expect, it } from "vitest";
import { createEngine, createMemoryStateStore } from "@taskseq/engine";
import { createSimulatedDevice } from "@taskseq/device";
import { createSequence, createStep } from "@taskseq/model";
import { createBuiltinHandlers } from "../src/index.js";
import { device } from "./helpers.js";

describe("Request State Store, then a host restart, then Release State Store", () => {
  it("releases the store on a device continued from the snapshot taken at the restart", async () => {
    const seq = createSequence([
      createStep("SMS_TaskSequence_RequestStateStoreAction", { RequestType: "capture" }, { name: "Request State Store" }),
      createStep("SMS_TaskSequence_RebootAction", { Target: "HD" }, { name: "Restart Computer" }),
      createStep("SMS_TaskSequence_ReleaseStateStoreAction", {}, { name: "Release State Store" }),
    ]);
    const state = createMemoryStateStore();
    const before = device("dell-latitude-5440");
    const first = await createEngine({ device: before, handlers: createBuiltinHandlers(), state }).run(seq, { stopAtRestart: true });
    expect(first.status).toBe("restart-pending");
    const path = first.variables["OSDStateStorePath"] ?? "";
    expect(path).toMatch(/^\\\\SMP01\\/);

    const after = createSimulatedDevice(JSON.stringify(before.snapshot()));
    const resumed = await createEngine({ device: after, handlers: createBuiltinHandlers(), state }).resume();
    expect(resumed.status, JSON.stringify(resumed.failure)).toBe("success");
    expect(resumed.steps.at(-1)).toMatchObject({ name: "Release State Store", outcome: "success", exitCode: 0 });
    expect(after.history.filter((e) => e.kind === "stateStore").map((e) => e.detail)).toEqual([`release ${path}`]);
    expect(after.snapshot().stateStores?.[path]).toEqual({ type: "capture", released: true });
  });
});
