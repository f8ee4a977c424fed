/**
 * Shared fixtures of the PowerShell-style tests: one sandbox runner with the PowerShell compiler,
 * and a helper that runs a script against an environment and a device.
 */
import { compilePowerShellForSandbox, createScriptRunner } from "@taskseq/script";
import type { ScriptDevice, ScriptLimits, ScriptRunResult } from "@taskseq/script";
import type { CreatedEnvironment } from "@taskseq/environment";
import type { TaskSeqError } from "@taskseq/model";

/** Options of {@link PsKit.run}. */
export interface PsRunOptions {
  readonly env?: CreatedEnvironment;
  readonly device?: ScriptDevice;
  readonly limits?: ScriptLimits;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly startTime?: number;
}

/** A runner for one test file. */
export interface PsKit extends Disposable {
  /** Runs a script; the result or the typed error. */
  run(source: string, options?: PsRunOptions): Promise<{ value?: ScriptRunResult; error?: TaskSeqError }>;
  /** Runs a script that must succeed; returns its result. */
  ok(source: string, options?: PsRunOptions): Promise<ScriptRunResult>;
  /** Runs a script that must succeed; returns its output lines. */
  lines(source: string, options?: PsRunOptions): Promise<string[]>;
}

/** Creates the runner of a test file (dispose it in `afterAll`). */
export function createPsKit(memoryCeilingBytes = 64 * 1024 * 1024): PsKit {
  const runner = createScriptRunner({ compilePowerShell: compilePowerShellForSandbox, memoryCeilingBytes });
  const run: PsKit["run"] = (source, options = {}) =>
    runner.run({
      language: "powershell",
      source,
      ...(options.env === undefined ? {} : { environment: options.env.env }),
      ...(options.device === undefined ? {} : { device: options.device }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(options.parameters === undefined ? {} : { parameters: options.parameters }),
      startTime: options.startTime ?? Date.UTC(2026, 10, 21, 9, 30, 0),
    });
  const ok: PsKit["ok"] = async (source, options) => {
    const r = await run(source, options);
    if (r.error !== undefined) throw new Error(`${r.error.code}: ${r.error.message}\n${JSON.stringify(r.error.details?.["output"] ?? [])}`);
    if (r.value === undefined) throw new Error("no result");
    return r.value;
  };
  return {
    run,
    ok,
    async lines(source, options) {
      const r = await ok(source, options);
      const errors = r.records.filter((x) => x.stream === "error");
      if (errors.length > 0) throw new Error(`error stream: ${errors.map((e) => e.text).join(" | ")}`);
      return r.records.filter((x) => x.stream === "output").map((x) => x.text);
    },
    [Symbol.dispose]() {
      runner[Symbol.dispose]();
    },
  };
}
