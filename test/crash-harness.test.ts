import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createEngine, type RunResult } from "@taskseq/engine";
import { createRandom, episode, harnessHandlers, harnessSequence } from "./crash-runner.js";
import { tempDir } from "./helpers/temp-dir.js";

const runner = fileURLToPath(new URL("./crash-runner.ts", import.meta.url));
const tmp = (): string => tempDir("taskseq-crash-");

async function baseline(): Promise<RunResult> {
  return createEngine({ handlers: harnessHandlers(() => undefined) }).run(harnessSequence(), { runId: "harness" });
}

/** Every handler start is explained: once per step that ran, plus once per kill while that step was in flight. */
function checkRuns(dir: string, expected: RunResult): number {
  const lines = readFileSync(join(dir, "runs.log"), "utf8").trim().split("\n");
  const runs = new Map<string, number>();
  const inflightKills = new Map<string, number>();
  let kills = 0;
  let current: string | undefined;
  for (const line of lines) {
    const [kind, what] = line.split(" ");
    if (kind === "run" && what !== undefined) {
      runs.set(what, (runs.get(what) ?? 0) + 1);
      current = what;
    } else if (kind === "kill") {
      kills++;
      if (what !== "none" && current !== undefined) inflightKills.set(current, (inflightKills.get(current) ?? 0) + 1);
    }
  }
  for (const s of expected.steps) {
    const ran = s.outcome === "success" || s.outcome === "failed-continued" ? 1 : 0;
    expect(runs.get(s.path) ?? 0, `runs of ${s.name}`).toBe(ran + (inflightKills.get(s.path) ?? 0));
  }
  return kills;
}

function comparable(r: RunResult) {
  return { status: r.status, steps: r.steps, variables: r.variables };
}

describe("crash harness: kill at any instant, resume, same result", () => {
  it("≥ 50 in-process kills at deterministic random points (torn records included) end like an uninterrupted run", async () => {
    const expected = await baseline();
    expect(expected.status).toBe("success");
    expect(expected.restarts).toBe(5);
    const random = createRandom(20260323);
    let total = 0;
    let episodes = 0;
    while (total < 50) {
      const dir = tmp();
      const { result, kills } = await episode(dir, random, 25);
      episodes++;
      expect(comparable(result)).toEqual(comparable(expected));
      expect(checkRuns(dir, expected)).toBe(kills);
      expect(existsSync(join(dir, "state.json"))).toBe(false);
      total += kills;
    }
    expect(total).toBeGreaterThanOrEqual(50);
    expect(episodes).toBeGreaterThan(0);
  });

  it("real SIGKILLs of a child process, resumed by fresh processes", async () => {
    const expected = await baseline();
    const dir = tmp();
    let sigkilled = 0;
    for (const seed of [11, 12, 13]) {
      const r = spawnSync(process.execPath, ["--import", "tsx", runner, dir, String(seed), "3", "--sigkill"], { encoding: "utf8" });
      if (r.signal === "SIGKILL") sigkilled++;
      else expect(r.status, r.stderr).toBe(0);
    }
    expect(sigkilled).toBeGreaterThan(0);
    const last = spawnSync(process.execPath, ["--import", "tsx", runner, dir, "99", "0"], { encoding: "utf8" });
    expect(last.status, last.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(dir, "result.json"), "utf8")) as RunResult;
    expect(comparable(result)).toEqual(comparable(expected));
    expect(checkRuns(dir, expected)).toBeGreaterThanOrEqual(3);
  });
});
