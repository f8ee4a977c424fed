/**
 * Functional tests of every guest bridge: TSEnvironment, TsProgressUI, WMI, registry, files, log,
 * output, clock, parameters and exit codes (spec/com-api.md §1–§3).
 */
import { afterAll, describe, expect, it } from "vitest";
import { createScriptRunner } from "@taskseq/script";
import type { ScriptRunRequest, ScriptRunResult, ScriptUiEvent } from "@taskseq/script";
import { corpusVariables, readCorpus, testDevice, testEnvironment } from "./script-test-kit.js";

const runner = createScriptRunner();
afterAll(() => runner[Symbol.dispose]());

async function run(source: string, request: Partial<ScriptRunRequest> = {}): Promise<ScriptRunResult> {
  const result = await runner.run({ language: "javascript", source, ...request });
  if (result.error !== undefined) throw result.error;
  return result.value;
}

describe("TSEnvironment", () => {
  it("reads variables case-insensitively and trimmed; unknown or invalid names read as empty", async () => {
    const { env } = testEnvironment();
    env.set("OSDComputerName", "PC01");
    const r = await run(
      `console.log(TSEnvironment.Value("osdcomputername"), TSEnvironment.Value("  OSDComputerName  "), "[" + TSEnvironment.Value("Nope") + "]", "[" + TSEnvironment.Value("My Var") + "]", "[" + TSEnvironment.Value("ſ") + "]")`,
      { environment: env },
    );
    expect(r.output).toBe("PC01 PC01 [] [] []");
  });

  it("creates, updates and deletes variables, visible at once to the script and to the environment", async () => {
    const { env } = testEnvironment();
    const r = await run(
      `TSEnvironment.Value("MyVar", "Y"); const a = TSEnvironment.Value("myvar");
       TSEnvironment.Value("MYVAR", "Z"); const b = TSEnvironment.Value("MyVar");
       const names = TSEnvironment.GetVariables();
       TSEnvironment.Value("MyVar", ""); const c = TSEnvironment.Value("MyVar");
       console.log(a, b, "[" + c + "]", names.includes("MyVar"), TSEnvironment.GetVariables().includes("MyVar"));`,
      { environment: env },
    );
    expect(r.output).toBe("Y Z [] true false");
    expect(env.get("MyVar")).toBeUndefined();
    expect(r.changedVariables).toEqual([
      { name: "MyVar", value: "Y", secret: false },
      { name: "MYVAR", value: "Z", secret: false },
      { name: "MyVar", value: "", secret: false },
    ]);
    expect(r.logLines.map((l) => l.text)).toContain("Set a global environment variable MyVar=Y");
  });

  it("keeps exact-spelling reads right after writes and deletes under other spellings", async () => {
    const { env } = testEnvironment();
    env.set("OSDComputerName", "A");
    const r = await run(
      `const v = (n) => "[" + TSEnvironment.Value(n) + "]";
       TSEnvironment.Value("osdcomputername", "B"); const a = v("OSDComputerName");
       TSEnvironment.Value("OSDCOMPUTERNAME", ""); const b = v("OSDComputerName") + v("osdcomputername");
       TSEnvironment.Value("NewVar", "1"); TSEnvironment.Value("NEWVAR", "2"); const c = v("NewVar");
       TSEnvironment.Value("newvar", ""); const d = v("NewVar") + v("NEWVAR");
       console.log(a, b, c, d);`,
      { environment: env },
    );
    expect(r.output).toBe("[B] [][] [2] [][]");
    expect(env.get("OSDComputerName")).toBeUndefined();
  });

  it("keeps reads right after writes under spaced names and after a deleted name comes back", async () => {
    const { env } = testEnvironment();
    env.set("Keep", "k");
    const r = await run(
      `const v = (n) => "[" + TSEnvironment.Value(n) + "]";
       TSEnvironment.Value("  Spaced  ", "s"); const a = v("Spaced");
       TSEnvironment.Value("Keep", ""); const b = v("Keep") + TSEnvironment.GetVariables().includes("Keep");
       TSEnvironment.Value("Keep", "back"); const c = v("Keep") + TSEnvironment.GetVariables().includes("Keep");
       TSEnvironment.Value(" keep ", "again"); const d = v("Keep");
       console.log(a, b, c, d, TSEnvironment.GetVariables().filter((n) => n === "Spaced" || n === "Keep").join(","));`,
      { environment: env },
    );
    expect(r.output).toBe("[s] []false [back]true [again] Keep,Spaced");
    expect(env.get("Keep")).toBe("again");
  });

  it("keeps writes for later steps", async () => {
    const { env } = testEnvironment();
    await run(`TSEnvironment.Value("Stage", "two")`, { environment: env });
    const r = await run(`console.log(TSEnvironment.Value("Stage"))`, { environment: env });
    expect(env.get("stage")).toBe("two");
    expect(r.output).toBe("two");
  });

  it("lists names in ascending ordinal case-insensitive order with display casing", async () => {
    const { env } = testEnvironment();
    env.set("beta", "1");
    env.set("Alpha", "1");
    const r = await run(`TSEnvironment.Value("gamma", "1"); console.log(TSEnvironment.GetVariables().join(","))`, { environment: env });
    const names = r.output.split(",");
    expect(names).toEqual(env.GetVariables());
    expect(names).toEqual([...names].sort((x, y) => (x.toUpperCase() < y.toUpperCase() ? -1 : 1)));
    expect(names).toContain("gamma");
    expect(names).toContain("_SMSTSLogPath");
  });

  it("lists names in the environment's order before and after writes, also with names that are numbers", async () => {
    const source = `const a = TSEnvironment.GetVariables().join(",");
      TSEnvironment.Value("beta", "2"); const b = TSEnvironment.GetVariables().join(",");
      TSEnvironment.Value("Zed", "1"); const c = TSEnvironment.GetVariables().join(",");
      console.log(a + "|" + b + "|" + c);`;
    for (const numbers of [false, true]) {
      const { env } = testEnvironment();
      env.set("beta", "1");
      env.set("Alpha", "1");
      if (numbers) for (const name of ["7", "123", "42x"]) env.set(name, "n");
      const before = env.GetVariables().join(",");
      const r = await run(source, { environment: env });
      expect(r.output).toBe(`${before}|${before}|${env.GetVariables().join(",")}`);
      if (numbers) expect(before.indexOf("123")).toBeLessThan(before.indexOf("7"));
    }
  });

  it("imports every variable of a real sequence's defaults (corpus 005, PSD client)", async () => {
    const { env } = testEnvironment();
    const vars = corpusVariables("005_psd-PSDClient.xml").filter((v) => v.value !== "" && !v.name.startsWith("_"));
    for (const v of vars) env.set(v.name, v.value);
    const r = await run(
      `const all = {}; for (const n of TSEnvironment.GetVariables()) all[n] = TSEnvironment.Value(n); console.log(JSON.stringify(all));`,
      { environment: env },
    );
    const all = JSON.parse(r.output) as Record<string, string>;
    expect(Object.keys(all).length).toBe(env.GetVariables().length);
    for (const v of vars) expect(Object.entries(all).find(([k]) => k.toUpperCase() === v.name.toUpperCase())?.[1]).toBe(env.get(v.name));
  });

  it("refuses read-only writes with E_ACCESSDENIED that the script can catch, and logs an error line", async () => {
    const { env } = testEnvironment();
    const r = await run(
      `try { TSEnvironment.Value("_SMSTSLogPath", "X"); } catch (e) { console.log(e.code, (e.hresult >>> 0).toString(16), e instanceof Error); }`,
      { environment: env },
    );
    expect(r.output).toBe("ReadOnlyVariable 80070005 true");
    expect(env.get("_SMSTSLogPath")).toBe("C:\\Windows\\CCM\\Logs\\SMSTSLog");
    expect(r.logLines.some((l) => l.level === "error" && l.text.includes("_SMSTSLogPath"))).toBe(true);
  });

  it("refuses invalid names and over-long values with E_INVALIDARG", async () => {
    const { env } = testEnvironment();
    const r = await run(
      `for (const [n, v] of [["My.Var", "1"], ["Big", "x".repeat(4001)]]) { try { TSEnvironment.Value(n, v); } catch (e) { console.log(e.code, (e.hresult >>> 0).toString(16)); } }
       TSEnvironment.Value("Max", "x".repeat(4000)); console.log(TSEnvironment.Value("Max").length);`,
      { environment: env },
    );
    expect(r.output).toBe("InvalidVariableName 80070057\nValueTooLong 80070057\n4000");
  });

  it("gives scripts secret values but masks them in output, logs, changes and errors", async () => {
    const { env } = testEnvironment();
    env.set("OSDJoinPassword", "Pa55w0rd!");
    const r = await run(
      `const pw = TSEnvironment.Value("OSDJoinPassword"); console.log("pw=" + pw, pw.length); __host.log("info", "using " + pw);
       TSEnvironment.Value("OSDLocalAdminPassword", "N3wS3cret"); console.log("new " + TSEnvironment.Value("OSDLocalAdminPassword"));`,
      { environment: env },
    );
    expect(r.output).toBe("pw=******** 9\nnew ********");
    expect(JSON.stringify(r)).not.toMatch(/Pa55w0rd!|N3wS3cret/);
    expect(r.changedVariables).toEqual([{ name: "OSDLocalAdminPassword", value: "********", secret: true }]);
    expect(env.get("OSDLocalAdminPassword")).toBe("N3wS3cret");
    const failed = await runner.run({ language: "javascript", source: `throw new Error("leak " + TSEnvironment.Value("OSDJoinPassword"))`, environment: env });
    expect(failed.error?.code).toBe("ScriptError");
    expect(JSON.stringify({ m: failed.error?.message, d: failed.error?.details })).not.toContain("Pa55w0rd!");
  });

  it("masks secret text copied into a non-secret variable in the reported changes, also of a failed run (com-api.md §1.2)", async () => {
    const { env } = testEnvironment();
    env.set("OSDJoinPassword", "Pa55w0rd!");
    const copy = `TSEnvironment.Value("Other", "x-" + TSEnvironment.Value("OSDJoinPassword"));`;
    const r = await run(copy, { environment: env });
    expect(r.changedVariables).toEqual([{ name: "Other", value: "x-********", secret: false }]);
    expect(env.get("Other")).toBe("x-Pa55w0rd!");
    const failed = await runner.run({ language: "javascript", source: `${copy} throw new Error("after")`, environment: env });
    expect(failed.error?.code).toBe("ScriptError");
    expect(JSON.stringify(failed.error?.details)).not.toContain("Pa55w0rd!");
  });

  it("refuses Create() and Clear() with E_ACCESSDENIED and a warning line", async () => {
    const { env } = testEnvironment();
    const r = await run(`for (const m of ["Create", "Clear"]) { try { TSEnvironment[m](); } catch (e) { console.log(m, e.code, (e.hresult >>> 0).toString(16)); } }`, { environment: env });
    expect(r.output).toBe("Create AccessDenied 80070005\nClear AccessDenied 80070005");
    expect(r.logLines.filter((l) => l.level === "warning")).toHaveLength(2);
    expect(env.get("_SMSTSLogPath")).not.toBeUndefined();
  });

  it("does not exist outside a task sequence, so scripts can detect the run", async () => {
    const detect = `console.log(typeof TSEnvironment === "undefined" ? "no task sequence" : "running")`;
    expect((await run(detect)).output).toBe("no task sequence");
    expect((await run(detect, { environment: testEnvironment().env })).output).toBe("running");
  });
});

describe("guest API installation", () => {
  it("keeps answering with the intrinsics it captured when the script replaces globals", async () => {
    const { env } = testEnvironment();
    env.set("Alpha", "1");
    const r = await run(
      `const names = TSEnvironment.GetVariables().length;
       Object.keys = () => ["hijacked"]; String = () => "hijacked"; JSON.parse = () => "hijacked"; JSON.stringify = () => "hijacked"; Error = function () { return {}; };
       let code = "";
       try { TSEnvironment.Value("_SMSTSLogPath", 1); } catch (e) { code = e.code + " " + (e instanceof RangeError ? "range" : e.constructor.name); }
       TsProgressUI.ShowActionProgress("Org", "TS", "", "Act", 1, 2, { toString() { return "info"; } }, 3, 4);
       console.log(TSEnvironment.GetVariables().length === names, TSEnvironment.Value({ toString() { return "alpha"; } }), code, { a: 1 }, __host.wmiQuery("root\\\\cimv2", "SELECT * FROM Win32_BIOS").length);`,
      { environment: env, device: testDevice({ wmi: { Win32_BIOS: [{ SerialNumber: "ABC123" }] } }) },
    );
    expect(r.output).toBe('true 1 ReadOnlyVariable Error {"a":1} 1');
    expect(r.events[0]).toMatchObject({ type: "action-progress", actionExecInfo: "info" });
  });

  it("carries values with U+0000, U+0001 and lone surrogates both ways without loss", async () => {
    const { env } = testEnvironment();
    const odd = "a\u0000b\u0001c\uD800d\uDC00e";
    env.set("Odd", odd);
    env.set("Plain", "p");
    const r = await run(
      `const odd = TSEnvironment.Value("Odd"), viaHost = TSEnvironment.Value(" odd ");
       TSEnvironment.Value("Copy", odd);
       console.log(JSON.stringify([odd, viaHost, TSEnvironment.Value("Plain"), TSEnvironment.GetVariables().includes("Odd")]));`,
      { environment: env },
    );
    expect(JSON.parse(r.output)).toEqual([odd, odd, "p", true]);
    expect(env.get("Copy")).toBe(odd);
  });

  it("reports the script's line when a bridge throws", async () => {
    const { env } = testEnvironment();
    const r = await runner.run({ language: "javascript", source: 'const a = 1;\nTSEnvironment.Value("_SMSTSLogPath", "x");', environment: env });
    expect(r.error?.code).toBe("ScriptError");
    expect(r.error?.position?.line).toBe(2);
    expect(r.error?.details?.["guestCode"]).toBe("ReadOnlyVariable");
  });
});

describe("TsProgressUI", () => {
  it("keeps its real methods when the script tampers with prototypes before first using it", async () => {
    const { env } = testEnvironment();
    const r = await run(
      `Function.prototype.bind = function () { return function () { return "hijacked"; }; };
       Object.defineProperty(Object.prototype, "ShowMessageEx", { set() { throw new Error("setter ran"); }, configurable: true });
       Array.prototype.push = function () { throw new Error("push ran"); };
       JSON.stringify = function () { return "[]"; };
       console.log(TsProgressUI.ShowMessageEx("Continue?", "Title", 0), Object.isFrozen(TsProgressUI), TsProgressUI === TsProgressUI);`,
      { environment: env },
    );
    expect(r.output).toBe("1 true true");
    expect(r.events).toEqual([{ type: "message", text: "Continue?", caption: "Title", buttons: 0, result: 1 }]);
  });

  it("turns ShowActionProgress into an event with the step percentage", async () => {
    const { env } = testEnvironment();
    const seen: ScriptUiEvent[] = [];
    const r = await run(
      `TsProgressUI.ShowActionProgress(TSEnvironment.Value("_SMSTSOrgName"), TSEnvironment.Value("_SMSTSPackageName"), "", "Gather", 3, 12, "Copying", 2, 10);`,
      { environment: env, onEvent: (e) => seen.push(e) },
    );
    expect(r.events).toEqual([
      {
        type: "action-progress",
        orgName: "Contoso IT",
        taskSequenceName: "Windows 11 Deploy",
        customTitle: "",
        currentAction: "Gather",
        step: 3,
        maxStep: 12,
        actionExecInfo: "Copying",
        actionExecStep: 2,
        actionExecMaxStep: 10,
        percent: 20,
        hidden: false,
      },
    ]);
    expect(seen).toEqual(r.events);
  });

  it("flags progress hidden under TSDisableProgressUI=true and omits the percentage for a 0 maximum", async () => {
    const { env } = testEnvironment();
    env.set("TSDisableProgressUI", "true");
    const r = await run(`TsProgressUI.ShowTSProgress("o", "t", "", "a", 0, 0); TsProgressUI.ShowActionDetailedProgress("o", "t", "", "a", 1, 2, "i", 1, 4, 5, 10);`, { environment: env });
    expect(r.events[0]).toMatchObject({ type: "ts-progress", hidden: true });
    expect(r.events[0]).not.toHaveProperty("percent");
    expect(r.events[1]).toMatchObject({ type: "action-progress", percent: 25, detail: { step: 5, maxStep: 10 }, hidden: true });
  });

  it("answers ShowMessageEx with the first button headless, or with the embedder's responder", async () => {
    const { env } = testEnvironment();
    const source = `TsProgressUI.CloseProgressDialog(); const answer = TsProgressUI.ShowMessageEx("Continue?", "Question", 4); console.log(answer === 6 ? "yes" : "no");`;
    const headless = await run(source, { environment: env });
    expect(headless.output).toBe("yes");
    expect(headless.events).toEqual([{ type: "close-progress" }, { type: "message", text: "Continue?", caption: "Question", buttons: 4, result: 6 }]);
    const scripted = await run(source, { environment: env, respond: () => 7 });
    expect(scripted.output).toBe("no");
  });

  it("builds the default error dialog text and masks secrets in dialog strings", async () => {
    const { env } = testEnvironment();
    env.set("OSDJoinPassword", "Hunter22");
    const r = await run(
      `TsProgressUI.ShowErrorDialog("o", "Deploy", "", "", 2147942402, 900, 1, "Apply OS");
       TsProgressUI.ShowMessage("pw is " + TSEnvironment.Value("OSDJoinPassword"), "c", 0);
       TsProgressUI.ShowSwapMediaDialog("Deploy", 2); TsProgressUI.ShowSwapMedia("Deploy", 3);
       TsProgressUI.ShowRebootDialog("o", "Deploy", "", "Restarting", 0, 30);`,
      { environment: env },
    );
    expect(r.events[0]).toMatchObject({
      type: "error-dialog",
      errorMessage: "Task Sequence: Deploy has failed with the error code (0x80070002). For more information, contact your system administrator or helpdesk operator.",
      willReboot: true,
      stepName: "Apply OS",
    });
    expect(r.events[1]).toMatchObject({ type: "message", text: "pw is ********" });
    expect(r.events.slice(2).map((e) => e.type)).toEqual(["swap-media", "swap-media", "reboot-dialog"]);
    expect(r.events[3]).toMatchObject({ mediaNumber: 3 });
  });

  it("rejects ULONGs that are not integers 0–4294967295 with E_INVALIDARG", async () => {
    const { env } = testEnvironment();
    const r = await run(
      `for (const v of [-1, 1.5, 4294967296, "x", null, "7", true]) { try { TsProgressUI.ShowSwapMediaDialog("t", v); console.log("ok"); } catch (e) { console.log(e.code, (e.hresult >>> 0).toString(16)); } }
       TsProgressUI.ShowSwapMediaDialog("t", 7); TsProgressUI.ShowSwapMediaDialog("t", 4294967295);`,
      { environment: env },
    );
    expect(r.output.split("\n")).toEqual(Array(7).fill("InvalidArgument 80070057"));
    expect(r.events).toEqual([
      { type: "swap-media", taskSequenceName: "t", mediaNumber: 7 },
      { type: "swap-media", taskSequenceName: "t", mediaNumber: 4294967295 },
    ]);
  });
});

describe("device bridges", () => {
  const device = testDevice({
    wmi: {
      Win32_ComputerSystem: [{ Manufacturer: "HP", Model: "EliteBook 840 G8", TotalPhysicalMemory: 17179869184 }],
      "root\\wmi:MS_SystemInformation": [{ BaseBoardProduct: "8846" }],
    },
    registry: {
      "HKLM\\SOFTWARE\\Contoso": { Version: { type: "REG_SZ", data: "2.1" }, Big: { type: "REG_QWORD", data: 2n ** 60n }, Raw: { type: "REG_BINARY", data: new Uint8Array([1, 2, 255]) } },
      "HKLM\\SOFTWARE\\Contoso\\Agent": { Enabled: { type: "REG_DWORD", data: 1 } },
    },
    files: { "C:\\Windows\\": 0, "C:\\Windows\\notepad.exe": 360448, "C:\\Windows\\System32\\": 0 },
  });

  it("runs the WMI queries of a real sequence's conditions (corpus 014) through the device", async () => {
    const queries = [...readCorpus("014_cm-garytown-ModelSupportTS.xml").matchAll(/Select \* From Win32_ComputerSystem WHERE [^<"]*"[^"]*"/gi)].map((m) => m[0]);
    expect(queries.length).toBeGreaterThan(1);
    const r = await run(`const qs = JSON.parse(__host.parameters.queries); console.log(qs.map((q) => __host.wmiQuery("root\\\\cimv2", q).length).join(","));`, {
      device,
      parameters: { queries: JSON.stringify(queries) },
    });
    const expected = queries.map((q) => (/%HP%/i.test(q) ? "1" : "0")).join(",");
    expect(r.output).toBe(expected);
  });

  it("returns property bags and reads other namespaces", async () => {
    const r = await run(
      `const cs = __host.wmiQuery("root\\\\cimv2", "SELECT Model, TotalPhysicalMemory FROM Win32_ComputerSystem")[0];
       console.log(cs.Model, cs.TotalPhysicalMemory, __host.wmiQuery("root\\\\wmi", "SELECT * FROM MS_SystemInformation")[0].BaseBoardProduct);`,
      { device },
    );
    expect(r.output).toBe("EliteBook 840 G8 17179869184 8846");
  });

  it("surfaces WQL errors and missing adapters as catchable errors with a code", async () => {
    const r = await run(`for (const f of [() => __host.wmiQuery("root\\\\cimv2", "SELECT FROM"), () => __host.fileExists("C:\\\\x")]) { try { f(); } catch (e) { console.log(e.code); } }`, {
      device: { wmi: device.wmi },
    });
    expect(r.output).toBe("WqlSyntax\nAdapterMissing");
  });

  it("reads registry values, keys and listings", async () => {
    const r = await run(
      `const k = "HKLM\\\\SOFTWARE\\\\Contoso";
       console.log(JSON.stringify([__host.registryGet(k, "Version"), __host.registryGet(k, "Big"), __host.registryGet(k, "Raw"), __host.registryGet(k, "None"),
         __host.registryKeyExists(k), __host.registryKeyExists(k + "\\\\Missing"), __host.registryList(k), __host.registryList(k + "\\\\Missing")]));`,
      { device },
    );
    expect(JSON.parse(r.output)).toEqual([
      { type: "REG_SZ", data: "2.1" },
      { type: "REG_QWORD", data: "1152921504606846976" },
      { type: "REG_BINARY", data: [1, 2, 255] },
      null,
      true,
      false,
      { subkeys: ["AGENT"], values: ["Version", "Big", "Raw"] },
      null,
    ]);
  });

  it("reads files and folders", async () => {
    const r = await run(
      `console.log(JSON.stringify([__host.fileExists("C:\\\\Windows\\\\notepad.exe"), __host.fileExists("C:\\\\Windows"), __host.folderExists("C:\\\\Windows"),
         __host.fileStat("C:\\\\Windows\\\\notepad.exe"), __host.fileStat("C:\\\\nope"), __host.listDirectory("C:\\\\Windows"), __host.listDirectory("C:\\\\nope")]));`,
      { device },
    );
    expect(JSON.parse(r.output)).toEqual([
      true,
      false,
      true,
      { size: 360448, version: "10.0.1.0", modified: 1_700_000_000_000, isFolder: false },
      null,
      [
        { name: "notepad.exe", isFolder: false },
        { name: "System32", isFolder: true },
      ],
      null,
    ]);
  });
});

describe("__host", () => {
  it("captures every stream in order and joins the output stream", async () => {
    const r = await run(`console.log("a", 1, { b: 2 }); console.warn("w"); __host.write("verbose", "v"); __host.write("output", "c"); console.error("e");`);
    expect(r.output).toBe('a 1 {"b":2}\nc');
    expect(r.records.map((x) => x.stream)).toEqual(["output", "warning", "verbose", "output", "error"]);
  });

  it("writes log lines at the three levels and refuses unknown levels and streams", async () => {
    const r = await run(
      `__host.log("info", "i"); __host.log("warning", "w"); __host.log("error", "e");
       for (const f of [() => __host.log("debug", "x"), () => __host.write("stdout", "x")]) { try { f(); } catch (e) { console.log(e.code); } }`,
    );
    expect(r.logLines).toEqual([
      { level: "info", text: "i" },
      { level: "warning", text: "w" },
      { level: "error", text: "e" },
    ]);
    expect(r.output).toBe("InvalidArgument\nInvalidArgument");
  });

  it("simulates the clock: sleep advances now() without waiting", async () => {
    const r = await run(`const a = __host.now(); __host.sleep(3600000); console.log(__host.now() - a, a);`, { startTime: 1_000 });
    expect(r.output).toBe("3600000 1000");
  });

  it("passes parameters as a frozen object of strings", async () => {
    const r = await run(`"use strict"; const p = __host.parameters; let frozen = false; try { p.Mode = "x"; } catch (e) { frozen = true; } console.log(p.Mode, frozen);`, {
      parameters: { Mode: "Full" },
    });
    expect(r.output).toBe("Full true");
    const bad = await runner.run({ language: "javascript", source: "1", parameters: { Mode: 3 as unknown as string } });
    expect(bad.error?.code).toBe("InvalidArgument");
  });

  it("ends the script with an exit code; nothing after exit runs, even in catch or finally", async () => {
    const { env } = testEnvironment();
    const r = await run(`try { __host.exit(3010); } catch (e) { TSEnvironment.Value("After", "1"); } finally { console.log("finally"); } console.log("after");`, {
      environment: env,
    });
    expect(r.exitCode).toBe(3010);
    expect(r.output).toBe("");
    expect(env.get("After")).toBeUndefined();
    expect((await run(`__host.exit(1)`)).exitCode).toBe(1);
    expect((await run(`__host.exit()`)).exitCode).toBe(0);
    expect((await run(`1 + 1`)).exitCode).toBe(0);
    expect((await run(`async function main() { await null; __host.exit(5); } main();`)).exitCode).toBe(5);
  });
});

describe("runner", () => {
  it("reports the guest message and line of a failure", async () => {
    const r = await runner.run({ language: "javascript", source: "const a = 1;\n\nnull.x;" });
    expect(r.error?.code).toBe("ScriptError");
    expect(r.error?.position?.line).toBe(3);
    expect(r.error?.message).toMatch(/TypeError/);
  });

  it("keeps what the script wrote before it failed in the error details", async () => {
    const r = await runner.run({ language: "javascript", source: `console.log("step 1"); throw new Error("boom");` });
    expect(r.error?.details?.["output"]).toEqual([{ stream: "output", text: "step 1" }]);
  });

  it("refuses PowerShell without a compiler and unknown languages with ScriptUnsupported", async () => {
    expect((await runner.run({ language: "powershell", source: "exit 0" })).error?.code).toBe("ScriptUnsupported");
    expect((await runner.run({ language: "vbscript" as "javascript", source: "1" })).error?.code).toBe("ScriptUnsupported");
  });

  it("runs PowerShell-style source through the injected compiler in the same sandbox", async () => {
    using ps = createScriptRunner({ compilePowerShell: (source) => ({ value: `console.log(${JSON.stringify(source)}.length); __host.exit(7);` }) });
    const r = await ps.run({ language: "powershell", source: "Write-Output 'x'" });
    expect(r.value?.exitCode).toBe(7);
    expect(r.value?.output).toBe("16");
  });

  it("ends with Aborted when the signal fires, before or during the run", async () => {
    const before = new AbortController();
    before.abort();
    expect((await runner.run({ language: "javascript", source: "1", signal: before.signal })).error?.code).toBe("Aborted");
    const during = new AbortController();
    const { env } = testEnvironment();
    const r = await runner.run({
      language: "javascript",
      environment: env,
      source: 'TsProgressUI.CloseProgressDialog(); for (;;) {}',
      signal: during.signal,
      onEvent: () => during.abort(),
      limits: { timeMs: 5000 },
    });
    expect(r.error?.code).toBe("Aborted");
  });

  it("ends in ScriptOutOfMemory when the heap cannot even hold the guest API, and recovers", async () => {
    expect((await runner.run({ language: "javascript", source: "1", limits: { memoryBytes: 1 } })).error?.code).toBe("ScriptOutOfMemory");
    expect((await runner.run({ language: "javascript", source: "console.log(2)" })).value?.output).toBe("2");
  });

  it("validates limits", async () => {
    expect((await runner.run({ language: "javascript", source: "1", limits: { timeMs: -1 } })).error?.code).toBe("InvalidArgument");
    expect((await runner.run({ language: "javascript", source: "1", limits: { memoryBytes: 2 ** 40 } })).error?.code).toBe("InvalidArgument");
    expect((await runner.run({ language: "javascript", source: "1", limits: { stackBytes: 4 * 1024 * 1024 } })).error?.code).toBe("InvalidArgument");
  });

  it("reuses one module across runs and replaces it after running out of memory", async () => {
    using own = createScriptRunner({ memoryCeilingBytes: 16 * 1024 * 1024 });
    for (let i = 0; i < 3; i++) expect((await own.run({ language: "javascript", source: "1" })).error).toBeUndefined();
    expect(own.modulesCreated).toBe(1);
    expect((await own.run({ language: "javascript", source: 'let s = "x"; for (;;) s += s;' })).error?.code).toBe("ScriptOutOfMemory");
    expect((await own.run({ language: "javascript", source: "console.log(1)" })).value?.output).toBe("1");
    expect(own.modulesCreated).toBe(2);
  });
});
