/**
 * @taskseq/engine debugger: what attaching the debugger costs. A 2,000-step sequence of Set Task
 * Sequence Variable steps (in-memory state and log) runs
 *   1. without a debugger (the baseline),
 *   2. under a debugger that stays inactive (`start: "variables"` without `TSDebugMode`): the hook
 *      is awaited before every instruction but does nothing,
 *   3. under an active debugger that never pauses (`run()`), which records a time-travel checkpoint
 *      (environment serialization + journal record) before every step.
 * Rounds are interleaved; best of 5 each. Prints the time per step and the ratio to the baseline.
 */
import { createEngine, createStepHandlerRegistry, type Engine } from "@taskseq/engine";
import type { Step, TaskSequence } from "@taskseq/model";

const SET_VARIABLE = "SMS_TaskSequence_SetVariableAction";
const STEPS = 2_000;
const ROUNDS = 5;

const step = (i: number): Step => ({
  kind: "step",
  element: "step",
  type: SET_VARIABLE,
  name: `Set V${i}`,
  description: "",
  disabled: false,
  continueOnError: false,
  successCodes: [0],
  runIn: "WinPEandFullOS",
  retryCount: 0,
  runFromNet: false,
  variables: [
    { name: "VariableName", property: "VariableName", value: `V${i % 50}` },
    { name: "VariableValue", property: "VariableValue", value: `value ${i}` },
  ],
});
const sequence: TaskSequence = { kind: "sequence", version: "3.10", name: "Bench", globalVariables: [], references: [], items: Array.from({ length: STEPS }, (_, i) => step(i)) };
const handlers = createStepHandlerRegistry({
  [SET_VARIABLE]: (ctx) => {
    ctx.env.set(ctx.settings["VariableName"] ?? "", ctx.settings["VariableValue"] ?? "");
    return Promise.resolve({ exitCode: 0 });
  },
});
const engine = (): Engine => createEngine({ handlers, logLevel: 0 });

async function timed(run: () => Promise<string>): Promise<number> {
  const start = performance.now();
  const status = await run();
  const ms = performance.now() - start;
  if (status !== "success") throw new Error(`run ended ${status}`);
  return ms;
}

const variants: Record<string, () => Promise<string>> = {
  "no debugger": async () => (await engine().run(sequence)).status,
  "inactive debugger": async () => (await engine().debug(sequence, { start: "variables" }).result).status,
  "active debugger, run()": async () => {
    const session = engine().debug(sequence);
    await session.stopped();
    const stop = await session.run();
    return stop.kind === "finished" ? stop.result.status : "paused";
  },
};
const best: Record<string, number> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(variants)) best[name] = Math.min(best[name] ?? Infinity, await timed(run));
}
const baseline = best["no debugger"] ?? 1;
for (const [name, ms] of Object.entries(best)) {
  console.log(`${name.padEnd(24)} ${ms.toFixed(1).padStart(8)} ms  ${((ms * 1000) / STEPS).toFixed(1).padStart(7)} µs/step  ratio ${(ms / baseline).toFixed(2)}×`);
}
