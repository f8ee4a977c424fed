/**
 * Hostile PowerShell-style scripts: each ends in the sandbox's typed error within its limits, and
 * the language gives no way around them (no catch of an interrupt, of `exit`, or of a refusal).
 */
import { afterAll, describe, expect, it } from "vitest";
import type { TaskSeqErrorCode } from "@taskseq/model";
import type { ScriptLimits } from "@taskseq/script";
import { createPsKit } from "./powershell-kit.js";
import { testEnvironment } from "./script-test-kit.js";

const kit = createPsKit(32 * 1024 * 1024);
afterAll(() => kit[Symbol.dispose]());

/** Tight limits; the time budget is generous except for the scripts meant to run out of time, so that the limit under test fires first even on a loaded machine. */
const limits: ScriptLimits = { timeMs: 20_000, memoryBytes: 16 * 1024 * 1024, outputChars: 100_000, hostCalls: 5_000 };
const timeLimited: ScriptLimits = { ...limits, timeMs: 400 };

const hostile: readonly (readonly [string, string, TaskSeqErrorCode])[] = [
  // Time
  ["infinite while", "while ($true) {}", "ScriptTimeout"],
  ["do until false", "do {} until ($false)", "ScriptTimeout"],
  ["empty for", "for (;;) { $i++ }", "ScriptTimeout"],
  ["loop that catches everything", "while ($true) { try { while ($true) { } } catch { 'caught' } }", "ScriptTimeout"],
  ["loop in finally", "try { throw 'x' } finally { while ($true) { } }", "ScriptTimeout"],
  ["catastrophic regex", "('a' * 40 + '!') -match '^(a+)+$'", "ScriptTimeout"],
  ["pipeline that never ends", "while ($true) { 1..10 | ForEach-Object { $_ } | Out-Null }", "ScriptTimeout"],
  // Memory
  ["string doubling", '$s = "x"; while ($true) { $s += $s }', "ScriptOutOfMemory"],
  ["huge range", "$a = 1..200000000", "ScriptOutOfMemory"],
  ["huge string repetition", '$s = "x" * 500MB', "ScriptOutOfMemory"],
  ["huge arrays", "$l = New-Object System.Collections.ArrayList; while ($true) { [void]$l.Add((1..10000)) }", "ScriptOutOfMemory"],
  ["hashtable growth", "$h = @{}; $i = 0; while ($true) { $h[\"key$i\"] = \"value $i\"; $i++ }", "ScriptOutOfMemory"],
  // Stack
  ["deep recursion through functions", "function f($n) { f ($n + 1) }; f 0", "ScriptStackOverflow"],
  ["mutual recursion", "function a { b }; function b { a }; a", "ScriptStackOverflow"],
  ["recursion through a script block", "$sb = { & $sb }; & $sb", "ScriptStackOverflow"],
  // Output and host calls
  ["huge output", 'while ($true) { Write-Output ("x" * 1000) }', "ScriptOutputTooLarge"],
  ["huge host output", 'while ($true) { Write-Host ("spam " * 100) }', "ScriptOutputTooLarge"],
  ["host-call flood", "while ($true) { Start-Sleep -Milliseconds 0 }", "ScriptHostCallLimit"],
];

describe("hostile PowerShell-style scripts end in a typed error", () => {
  it.each(hostile)("%s", async (_name, source, code) => {
    const started = performance.now();
    const budget = code === "ScriptTimeout" ? timeLimited : limits;
    const r = await kit.run(source, { limits: budget, env: testEnvironment() });
    expect(r.error?.code).toBe(code);
    expect(performance.now() - started).toBeLessThan(budget.timeMs! + 5_000);
  });

  it("the runner still works after the hostile scripts", async () => {
    expect(await kit.lines("'still alive'")).toEqual(["still alive"]);
  });
});

describe("no way around the sandbox", () => {
  it("exit cannot be caught or cancelled by finally", async () => {
    const r = await kit.ok("try { exit 5 } catch { 'caught'; exit 0 } finally { 'finally' }\nexit 0");
    expect(r.exitCode).toBe(5);
    expect(r.records.filter((x) => x.stream === "output").map((x) => x.text)).not.toContain("caught");
  });

  it("a refused command named at run time is not found and fails the script", async () => {
    const r = await kit.ok("$c = 'Invoke-Expression'; & $c 'Get-Date'\n'not reached'");
    expect(r.exitCode).toBe(1);
    expect(r.records).toContainEqual({ stream: "error", text: expect.stringContaining("'Invoke-Expression' is not recognized") });
    expect(r.output).toBe("");
  });

  it("a supported command named at run time works", async () => {
    expect(await kit.lines("$c = 'Get-Date'; & $c -Format yyyy")).toEqual(["2026"]);
  });

  it("reading a missing host capability is a cmdlet error, not a crash", async () => {
    const r = await kit.ok("$x = Get-CimInstance Win32_BIOS -ErrorAction SilentlyContinue; 'went on'; Get-CimInstance Win32_BIOS -ErrorAction Stop; 'not reached'");
    expect(r.exitCode).toBe(1);
    expect(r.output).toBe("went on");
  });
});
