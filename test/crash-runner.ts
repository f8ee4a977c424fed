/**
 * Crash harness runner (see crash-harness.test.ts). Runs a task sequence with restarts on the
 * file state store and "kills" the run at deterministic pseudo-random state-store operations:
 * the kill writes a torn prefix of the record being written, then either abandons the engine
 * in-process (the store refuses every later write, like a dead process) or sends SIGKILL to
 * the process. A new engine then resumes from disk, and so on until the run succeeds.
 *
 * Side file `runs.log` in the state folder: `run <index>` each time a handler starts,
 * `kill <index|none>` for each kill with the step in flight at that instant.
 *
 * CLI: `node --import tsx test/crash-runner.ts <dir> <seed> <kills> [--sigkill]` — runs until
 * success with in-process kills, the last one (with `--sigkill`) a real SIGKILL.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createEngine, createStepHandlerRegistry, parseRecord, type RunResult, type StateStore } from "@taskseq/engine";
import type { Item, Step, TaskSequence } from "@taskseq/model";
import { createFileStateStore } from "@taskseq/node";

/** Deterministic PRNG (mulberry32). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function work(name: string, extra: Partial<Step> = {}): Step {
  return { kind: "step", element: "step", type: "Work", name, description: "", disabled: false, continueOnError: false, successCodes: [0, 3010], runIn: "WinPEandFullOS", retryCount: 0, runFromNet: false, variables: [], ...extra };
}

/** The harness sequence: 30 steps with 3010 restarts, SMSTSRebootRequested, a conditional group and an ignored failure. */
export function harnessSequence(): TaskSequence {
  const items: Item[] = [];
  for (let i = 0; i < 24; i++) items.push(work(`S${i}`, i === 9 ? { continueOnError: true } : {}));
  items.push({
    kind: "group",
    name: "Conditional",
    description: "",
    disabled: false,
    continueOnError: false,
    condition: { operands: [{ kind: "expression", type: "SMS_TaskSequence_VariableConditionExpression", properties: [{ name: "Variable", value: "Counter" }, { name: "Operator", value: "greaterEqual" }, { name: "Value", value: "20" }] }] },
    children: [work("G0"), work("G1"), work("G2")],
  });
  items.push(work("T0"), work("T1"), work("T2"));
  return { kind: "sequence", version: "3.10", name: "Crash harness", globalVariables: [], references: [], items };
}

/** Handler registry; `onRun` sees each handler start. */
export function harnessHandlers(onRun: (index: string) => void) {
  return createStepHandlerRegistry({
    Work: (ctx) => {
      onRun(ctx.path);
      const n = Number(ctx.env.get("Counter") ?? "0") + 1;
      ctx.env.set("Counter", String(n));
      ctx.env.set(`V_${ctx.step.name}`, `${n}`);
      if (ctx.step.name === "S12") ctx.env.set("SMSTSRebootRequested", "HD");
      const code = ctx.step.name === "S9" ? 5 : /^S(4|15|20)$/.test(ctx.step.name) || ctx.step.name === "G1" ? 3010 : 0;
      return Promise.resolve({ exitCode: code });
    },
  });
}

class Killed extends Error {}

interface KillPlan {
  /** Store operation index (0-based, counted in this session) at which to die. */
  readonly at: number;
  /** Fraction of the record written before dying (1 = the whole line). */
  readonly torn: number;
  /** Die with a real SIGKILL. */
  readonly sigkill: boolean;
}

/** Wraps the file store: counts operations and dies at the planned one. */
function killingStore(dir: string, plan: KillPlan | undefined, log: (line: string) => void): { store: StateStore; killed: () => boolean; handlerStarted: () => void } {
  const inner = createFileStateStore(dir);
  let ops = 0;
  let dead = false;
  /** The step whose start record is written and whose end record is not. */
  let inflight: number | undefined;
  /** Whether its handler has started in this session. */
  let started = false;
  const track = (record: string): void => {
    const { run } = parseRecord(record, 0);
    if (run !== undefined) {
      inflight = run?.index;
      started = false;
    }
  };
  const die = (partial: () => void): never => {
    partial();
    log(`kill ${inflight !== undefined && started ? inflight : "none"}`);
    dead = true;
    if (plan?.sigkill === true) process.kill(process.pid, "SIGKILL");
    throw new Killed("killed");
  };
  const gate = (partial: () => void): void => {
    if (dead) throw new Killed("dead");
    if (plan !== undefined && ops++ === plan.at) die(partial);
  };
  const generation = (): number => Number(/^taskseq-state (\d+)/.exec(readFileSync(join(dir, "state.json"), "utf8"))?.[1] ?? "0");
  const store: StateStore = {
    load: () => inner.load(),
    async replace(snapshot) {
      gate(() => {
        const text = `taskseq-state x\n${snapshot}`;
        writeFileSync(join(dir, "state.json.tmp"), text.slice(0, Math.floor(text.length * (plan?.torn ?? 0))));
      });
      await inner.replace(snapshot);
    },
    async append(record, durable) {
      gate(() => {
        const line = `${record}\n`;
        const n = Math.floor(line.length * (plan?.torn ?? 0));
        appendFileSync(join(dir, `journal-${generation()}.log`), line.slice(0, n));
        if (n === line.length) track(record);
      });
      await inner.append(record, durable);
      track(record);
    },
    async clear() {
      gate(() => undefined);
      await inner.clear();
    },
  };
  return {
    store,
    killed: () => dead,
    handlerStarted: () => {
      started = true;
    },
  };
}

/** Runs (or resumes) once with an optional kill; returns the result, or `undefined` when killed. */
export async function attempt(dir: string, plan: KillPlan | undefined): Promise<RunResult | undefined> {
  const log = (line: string): void => appendFileSync(join(dir, "runs.log"), `${line}\n`);
  const { store, killed, handlerStarted } = killingStore(dir, plan, log);
  const onRun = (path: string): void => {
    handlerStarted();
    log(`run ${path}`);
  };
  const engine = createEngine({ handlers: harnessHandlers(onRun), state: store, compactEvery: 5 });
  try {
    const hasState = existsSync(join(dir, "state.json"));
    return hasState ? await engine.resume({ interrupted: "rerun" }) : await engine.run(harnessSequence(), { runId: "harness" });
  } catch (e) {
    if (killed()) return undefined;
    throw e;
  }
}

/** One episode: kill at random operations until `kills` kills happened, then run to completion. */
export async function episode(dir: string, random: () => number, kills: number, lastIsSigkill = false): Promise<{ result: RunResult; kills: number }> {
  let done = 0;
  for (;;) {
    const plan = done < kills ? { at: Math.floor(random() * 12), torn: random() < 0.2 ? 1 : random(), sigkill: lastIsSigkill && done === kills - 1 } : undefined;
    const result = await attempt(dir, plan);
    if (result === undefined) {
      done++;
      continue;
    }
    if (result.status !== "restart-pending") return { result, kills: done };
  }
}

const invokedDirectly = process.argv[1]?.endsWith("crash-runner.ts") === true;
if (invokedDirectly) {
  const [dir, seed, kills] = process.argv.slice(2);
  const { result } = await episode(dir ?? ".", createRandom(Number(seed)), Number(kills), process.argv.includes("--sigkill"));
  writeFileSync(join(dir ?? ".", "result.json"), JSON.stringify(result));
}
