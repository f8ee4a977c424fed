/**
 * @taskseq/site: a fleet run. 10,000 simulated devices (drawn from the example profiles, each with
 * its own serial number, MAC and name) run a 50-step sequence through a required deployment with
 * schedules, maintenance windows and rerun evaluation. Prints devices per second, the total time
 * and the peak memory, and the ratio to a baseline measured in the same run: the same sequence run
 * directly with the engine on one simulated device per run (no site, no scheduling). Goal: the
 * whole fleet in under 60 s on a 2-core machine. `--workers` adds the worker-thread executor of
 * `@taskseq/node`.
 */
import { readFileSync, readdirSync } from "node:fs";
import { createSimulatedDevice, parseDeviceProfile } from "@taskseq/device";
import { createEngine } from "@taskseq/engine";
import { createSequence, createStep } from "@taskseq/model";
import type { Item } from "@taskseq/model";
import { createFleetDevices, createInProcessExecutor, createSite, runFleet } from "@taskseq/site";
import type { FleetExecutor } from "@taskseq/site";
import { createBuiltinHandlers } from "@taskseq/steps";
import { createWorkerFleetExecutor } from "@taskseq/node";
import type { FleetJob, FleetJobResult } from "@taskseq/site";

const DEVICES = Number(process.env["FLEET_DEVICES"] ?? 10_000);
const STEPS = 50;
const BASELINE_RUNS = 500;
const devicesDir = new URL("../examples/devices/", import.meta.url);
const profiles = readdirSync(devicesDir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => parseDeviceProfile(readFileSync(new URL(f, devicesDir), "utf8")));

const items: Item[] = Array.from({ length: STEPS }, (_, i) =>
  i % 2 === 0
    ? createStep("SMS_TaskSequence_SetVariableAction", { VariableName: `Fleet${i}`, VariableValue: `%_SMSTSMachineName%-${i}` }, { name: `Set ${i}` })
    : createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: `cmd.exe /c echo %Ring% ${i}` }, { name: `Run ${i}` }),
);
const sequence = createSequence(items, { name: "Fleet 50" });

let peakRss = 0;
let peakHeap = 0;
/** Runs block the event loop between batches, so memory is sampled after every batch. */
function sampled(executor: FleetExecutor): FleetExecutor {
  return async (jobs) => {
    const out = await executor(jobs);
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    return out;
  };
}

// Baseline: the engine alone, one simulated device per run.
const handlers = createBuiltinHandlers();
async function baseline(runs: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < runs; i++) {
    const device = createSimulatedDevice(profiles[i % profiles.length]!, { validate: false });
    const r = await createEngine({ handlers, device, log: { write: () => undefined } }).run(sequence, { runId: `b${i}`, variables: { runtime: { Ring: "pilot" } } });
    if (r.status !== "success") throw new Error(`baseline run failed: ${r.status}`);
  }
  return runs / ((performance.now() - start) / 1000);
}
await baseline(BASELINE_RUNS / 5); // warm-up
const baselinePerSecond = await baseline(BASELINE_RUNS);

async function fleet(label: string, executor: FleetExecutor): Promise<void> {
  const site = createSite();
  const entry = site.library.add(sequence);
  site.directory.addCollection({ id: "PS1000F1", name: "Fleet", type: "device" });
  site.directory.setCollectionVariable("PS1000F1", "Ring", "pilot");
  site.directory.addMaintenanceWindow("PS1000F1", { name: "Night", schedule: { at: "2026-03-01T01:00", recurrence: { type: "custom", every: 1, unit: "days" } }, durationMinutes: 300 });
  const devices = createFleetDevices(profiles, DEVICES, { namePrefix: "FLT" });
  devices.forEach((d) => site.directory.addDevice(d.device));
  site.directory.addMembers("PS1000F1", devices.map((d) => d.device.id));
  const deployment = site.deploy({ taskSequence: entry.packageId, collection: "PS1000F1", purpose: "required", rerun: "if-failed", assignments: [{ type: "time", schedule: { at: "2026-03-02T09:00" } }] });
  peakRss = 0;
  peakHeap = 0;
  const start = performance.now();
  const result = await runFleet(site, deployment.id, { devices, from: Date.UTC(2026, 2, 1), until: Date.UTC(2026, 2, 8), executor: sampled(executor) });
  const seconds = (performance.now() - start) / 1000;
  if (result.summary.success !== DEVICES) throw new Error(`fleet: ${JSON.stringify(result.summary)}`);
  const perSecond = DEVICES / seconds;
  const goal = seconds < 60 ? "goal < 60 s: met" : "goal < 60 s: MISSED";
  console.log(
    `${label.padEnd(11)} ${DEVICES} devices × ${STEPS} steps in ${seconds.toFixed(1)} s  ${Math.round(perSecond)} devices/s  ` +
      `baseline ${Math.round(baselinePerSecond)} runs/s  ratio ${(baselinePerSecond / perSecond).toFixed(2)}×  ` +
      `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB, heap ${(peakHeap / 2 ** 20).toFixed(0)} MB  (${goal})`,
  );
}

await fleet("in-process", createInProcessExecutor({ handlers }));
if (process.argv.includes("--workers")) {
  const workers = createWorkerFleetExecutor<FleetJob, FleetJobResult>({
    module: new URL("../packages/site/src/index.ts", import.meta.url),
    preload: [import.meta.resolve("tsx/esm/api")],
    workers: 2,
  });
  try {
    await fleet("workers", workers.executor);
  } finally {
    await workers.close();
  }
}
