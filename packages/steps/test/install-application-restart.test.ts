import { describe, expect, it } from "vitest";
import { createEngine, createMemoryLogSink, createMemoryStateStore, type StateStore } from "@taskseq/engine";
import { createSequence, createStep, type TaskSequence } from "@taskseq/model";
import type { SimulatedDevice } from "@taskseq/device";
import { createBuiltinHandlers } from "../src/index.js";
import { device } from "./helpers.js";

const apps = ["7-Zip 23.01 (x64)", "Microsoft 365 Apps for enterprise"];
const INSTALL = "SMS_TaskSequence_InstallApplicationAction";

/** Starts a run whose Install Application step installs the first application and then "loses power" (never returns). */
async function killDuringFirstApp(d: SimulatedDevice, state: StateStore, seq: TaskSequence): Promise<void> {
  let reached: () => void = () => undefined;
  const entered = new Promise<void>((resolve) => (reached = resolve));
  const handlers = createBuiltinHandlers();
  handlers.register(INSTALL, async () => {
    await d.applications.install(apps[0] ?? "");
    reached();
    return new Promise(() => undefined);
  });
  void createEngine({ device: d, handlers, state }).run(seq);
  await entered;
}

describe("Install Application after an unexpected restart", () => {
  it("is run again (retryCount 2 by default) and continues with the interrupted application", async () => {
    const d = device("dell-latitude-5440");
    const state = createMemoryStateStore();
    const seq = createSequence([createStep(INSTALL, { ApplicationName: apps.join(","), NumApps: 2 }, { name: "Install Applications" })]);
    await killDuringFirstApp(d, state, seq);
    const log = createMemoryLogSink();
    const result = await createEngine({ device: d, handlers: createBuiltinHandlers(), state, log }).resume();
    expect(result.status, JSON.stringify(result.failure)).toBe("success");
    expect(result.variables["_TSAppInstallStatus"]).toBe("Success");
    const lines = log.entries().map((e) => e.message).join("\n");
    expect(lines).toContain(`${apps[0]} is already installed (detected).`);
    expect(lines).toContain(`Installed ${apps[1]}.`);
  });

  it("fails with UnexpectedRestart (0x80004005) when no retries are left", async () => {
    const d = device("dell-latitude-5440");
    const state = createMemoryStateStore();
    const seq = createSequence([createStep(INSTALL, { ApplicationName: apps.join(",") }, { name: "Install Applications", retryCount: 0 })]);
    await killDuringFirstApp(d, state, seq);
    const result = await createEngine({ device: d, handlers: createBuiltinHandlers(), state }).resume();
    expect(result.steps.at(-1)).toMatchObject({ name: "Install Applications", outcome: "failed", exitCode: -2147467259 });
  });
});
