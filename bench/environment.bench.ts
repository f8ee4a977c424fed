/**
 * @taskseq/environment: get, set (validation + journal) and %VAR% expansion per second, each as a
 * ratio to a plain `Map` baseline measured in the same run. Goals: get ≤ 3×, set ≤ 10×.
 */
import { createEnvironment } from "@taskseq/environment";

const NAMES = Array.from({ length: 1000 }, (_, i) => `OSDVariable${i}Name`);
const VALUES = ["C:\\Windows\\Temp", "D:\\Deploy\\Packages", "true", "ABC00042:Install"];

/** Best of 5 rounds, in operations per second. */
function opsPerSecond(ops: number, run: () => void): number {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return (ops / best) * 1000;
}

const fmt = (n: number): string => `${Math.round(n).toLocaleString("en-US")}/s`;
let sink = 0;

function report(label: string, ours: number, baseline: number, goal?: number): void {
  const ratio = baseline / ours;
  const verdict = goal === undefined ? "" : ratio <= goal ? ` (goal ≤ ${goal}×: met)` : ` (goal ≤ ${goal}×: MISSED)`;
  console.log(`${label.padEnd(8)} env ${fmt(ours).padStart(16)}  Map ${fmt(baseline).padStart(16)}  ratio ${ratio.toFixed(2)}×${verdict}`);
}

// get
const { env, engine } = createEnvironment();
const map = new Map<string, string>();
NAMES.forEach((n, i) => {
  env.set(n, VALUES[i % VALUES.length] ?? "");
  map.set(n, VALUES[i % VALUES.length] ?? "");
});
const GETS = 2_000_000;
const getBase = opsPerSecond(GETS, () => {
  for (let i = 0; i < GETS; i++) sink += map.get(NAMES[i % 1000] ?? "")?.length ?? 0;
});
const getOurs = opsPerSecond(GETS, () => {
  for (let i = 0; i < GETS; i++) sink += env.get(NAMES[i % 1000] ?? "")?.length ?? 0;
});
report("get", getOurs, getBase, 3);

// set: every write changes the value, so each is validated and journaled; the engine compacts the
// journal after persisting, as it does after every step.
const SETS = 500_000;
const setBase = opsPerSecond(SETS, () => {
  for (let i = 0; i < SETS; i++) map.set(NAMES[i % 1000] ?? "", VALUES[((i / 1000) | 0) % VALUES.length] ?? "");
});
const setOurs = opsPerSecond(SETS, () => {
  for (let i = 0; i < SETS; i++) {
    env.set(NAMES[i % 1000] ?? "", VALUES[((i / 1000) | 0) % VALUES.length] ?? "");
    if (i % 10_000 === 9_999) engine.compactJournal(env.mark());
  }
});
report("set", setOurs, setBase, 10);

// expand: a 4,000-character value with 20 references
const filler = "x".repeat(190);
const text = Array.from({ length: 20 }, (_, i) => `${filler}%${NAMES[i * 37]}%`).join("").padEnd(4000, "y").slice(0, 4000);
const upper = new Map([...map].map(([k, v]) => [k.toUpperCase(), v]));
const EXPANDS = 20_000;
const naive = (s: string): string => s.replace(/%([A-Za-z0-9_-]{1,256})%/g, (m, n: string) => upper.get(n.toUpperCase()) ?? m);
if (naive(text) !== env.expand(text)) throw new Error("baseline and environment disagree");
const expBase = opsPerSecond(EXPANDS, () => {
  for (let i = 0; i < EXPANDS; i++) sink += naive(text).length;
});
const expOurs = opsPerSecond(EXPANDS, () => {
  for (let i = 0; i < EXPANDS; i++) sink += env.expand(text).length;
});
report("expand", expOurs, expBase);
console.log(`(4,000-character text, 20 references; baseline: regex replace over a Map; checksum ${sink % 997})`);
