/**
 * @taskseq/script: the full cost of a script step — its runtime and context (the runner's saved
 * sandbox image, put back after the run), the guest API, the environment passed in (200 variables)
 * and out (5 writes), the run, the restore — as a ratio to a
 * bare QuickJS eval of the same source (fresh runtime and context, in-guest stubs for the globals,
 * no host calls) measured in the same run, in alternating rounds: the median of the rounds' ratios
 * (each step round against the bare round just before it), and the ratio of the best rounds. Goal ≤ 2×. Then the same step in
 * `@taskseq/node`'s worker runner (environment reached by synchronous calls across threads) as a
 * ratio to the in-process runner, in CPU time of the whole process and in wall time.
 */
import RELEASE_SYNC from "@jitl/quickjs-wasmfile-release-sync";
import { createEnvironment } from "@taskseq/environment";
import { createWorkerScriptRunner } from "@taskseq/node";
import { createScriptRunner } from "@taskseq/script";
import { newQuickJSWASMModuleFromVariant } from "quickjs-emscripten-core";

/** A typical custom step: read variables, compute, write a few, log, report progress. */
const SOURCE = `
const log = TSEnvironment.Value("_SMSTSLogPath");
const names = TSEnvironment.GetVariables();
let total = 0;
for (const n of names) total += TSEnvironment.Value(n).length;
const model = TSEnvironment.Value("Model").toUpperCase();
const parts = [];
for (let i = 0; i < 200; i++) parts.push((i * 7919) % 101);
parts.sort((a, b) => a - b);
TSEnvironment.Value("OSDComputerName", "PC-" + model.slice(0, 6) + "-" + parts[100]);
TSEnvironment.Value("DriverPack", model + "-Drivers");
TSEnvironment.Value("TotalLength", String(total));
TSEnvironment.Value("VariableCount", String(names.length));
TSEnvironment.Value("LogFolder", log + "\\\\custom");
__host.log("info", "Custom step done: " + names.length + " variables");
console.log("done", total);
`;

/** In-guest stand-ins for the globals, so the bare eval runs the same code without a host. */
const STUBS = `
const vars = Object.create(null);
for (let i = 0; i < 200; i++) vars["Var" + i] = "value-" + i;
vars._SMSTSLogPath = "C:\\\\Logs"; vars.Model = "EliteBook 840 G8";
globalThis.TSEnvironment = { Value(n, v) { if (arguments.length > 1) vars[n] = v; return vars[n] || ""; }, GetVariables() { return Object.keys(vars).sort(); } };
globalThis.__host = { log() {} };
globalThis.console = { log() {} };
`;

const ROUNDS = 9;
const RUNS = 200;

/** CPU milliseconds of this process (user + system): unlike wall time, it ignores waiting for a busy CPU. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Milliseconds of `clock` per run over RUNS runs. */
async function oneRound(run: () => Promise<void> | void, clock: () => number): Promise<number> {
  const start = clock();
  for (let i = 0; i < RUNS; i++) await run();
  return (clock() - start) / RUNS;
}

/**
 * ROUNDS rounds of each of the runs given, in milliseconds of `clock` per run (CPU time by
 * default): `[run][round]`. The rounds alternate between the runs, so a change in the machine's
 * speed during the measurement falls on both sides of a ratio alike.
 */
async function msPerRound(runs: readonly (() => Promise<void> | void)[], clock: () => number = cpuMs): Promise<number[][]> {
  const times = runs.map((): number[] => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, run] of runs.entries()) times[i]?.push(await oneRound(run, clock));
  }
  return times;
}

/** The best (lowest) of each run's rounds. */
async function msPerRun(runs: readonly (() => Promise<void> | void)[], clock: () => number = cpuMs): Promise<number[]> {
  return (await msPerRound(runs, clock)).map((rounds) => Math.min(...rounds));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

const module = await newQuickJSWASMModuleFromVariant(RELEASE_SYNC);
const bareRun = (): void => {
  const runtime = module.newRuntime();
  const context = runtime.newContext();
  context.unwrapResult(context.evalCode(STUBS)).dispose();
  context.unwrapResult(context.evalCode(SOURCE)).dispose();
  context.dispose();
  runtime.dispose();
};

using runner = createScriptRunner();
const { env, engine } = createEnvironment();
for (let i = 0; i < 200; i++) env.set(`Var${i}`, `value-${i}`);
engine.set("_SMSTSLogPath", "C:\\Logs");
env.set("Model", "EliteBook 840 G8");
const runStep = (r: Pick<typeof runner, "run">) => async (): Promise<void> => {
  const result = await r.run({ language: "javascript", source: SOURCE, environment: env });
  if (result.error !== undefined) throw result.error;
};
const [bareRounds = [], stepRounds = []] = await msPerRound([bareRun, runStep(runner)]);
const bare = Math.min(...bareRounds);
const step = Math.min(...stepRounds);
// Each round's ratio compares a step round with the bare round just before it: the machine's speed drifts less in between.
const ratio = median(stepRounds.map((s, i) => s / (bareRounds[i] ?? NaN)));
console.log(
  `script step ${step.toFixed(3)} CPU ms/run   bare QuickJS eval ${bare.toFixed(3)} CPU ms/run (best of ${ROUNDS} alternating rounds; ratio of the bests ${(step / bare).toFixed(2)}×)   ` +
    `ratio ${ratio.toFixed(2)}× (median of the ${ROUNDS} rounds' ratios; goal ≤ 2×: ${ratio <= 2 ? "met" : "MISSED"})`,
);

await using worker = createWorkerScriptRunner();
await runStep(worker)(); // start the worker outside the measurement
const [workerCpu = NaN] = await msPerRun([runStep(worker)]);
const [workerWall = NaN, stepWall = NaN] = await msPerRun([runStep(worker), runStep(runner)], () => performance.now());
console.log(`worker runner ${workerCpu.toFixed(3)} CPU ms/run (${(workerCpu / step).toFixed(2)}× in-process), ${workerWall.toFixed(3)} wall ms/run against ${stepWall.toFixed(3)} in-process (${(workerWall / stepWall).toFixed(2)}×)`);
