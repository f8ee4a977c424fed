import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createSimulatedDevice } from "@taskseq/device";
import { createEnvironment } from "@taskseq/environment";
import { createWorkerScriptRunner } from "@taskseq/node";
import { applyScriptFileWrite, type ScriptFileWrite } from "@taskseq/script";

const runner = createWorkerScriptRunner();
afterAll(() => runner.close());

const TIME_MS = 1000;

/** Runs a hostile script and returns its error code and how long the run took. */
async function hostile(source: string): Promise<{ code: string | undefined; ms: number; terminated: unknown }> {
  const start = performance.now();
  const r = await runner.run({ language: "javascript", source, limits: { timeMs: TIME_MS } });
  return { code: r.error?.code, ms: performance.now() - start, terminated: r.error?.details?.["terminated"] };
}

async function normal(): Promise<void> {
  const { env } = createEnvironment();
  const r = await runner.run({ language: "javascript", environment: env, source: `TSEnvironment.Value("After", "ok"); console.log("fine")` });
  expect(r.value?.output).toBe("fine");
  expect(env.get("After")).toBe("ok");
}

describe("createWorkerScriptRunner", () => {
  it("runs a script with the environment, device and UI callbacks of the calling thread", async () => {
    const { env } = createEnvironment();
    env.set("OSDJoinPassword", "Pa55w0rd!");
    env.set("Model", "EliteBook");
    const events: string[] = [];
    const r = await runner.run({
      language: "javascript",
      environment: env,
      device: {
        wmi: { query: (ns, wql) => (wql.includes("Win32_BIOS") ? [{ SerialNumber: "SN-1" }] : []) },
        registry: { keyExists: (k) => k === "HKLM\\SOFTWARE", readValue: () => ({ type: "REG_SZ", data: "v" }) },
      },
      onEvent: (e) => events.push(e.type),
      respond: () => 7,
      parameters: { Who: "me" },
      source: `
        const serial = __host.wmiQuery("root\\\\cimv2", "SELECT * FROM Win32_BIOS")[0].SerialNumber;
        TSEnvironment.Value("Serial", serial + "-" + TSEnvironment.Value("Model") + "-" + __host.parameters.Who);
        console.log("pw " + TSEnvironment.Value("OSDJoinPassword"));
        console.log(String(__host.registryKeyExists("HKLM\\\\SOFTWARE")));
        TsProgressUI.ShowActionProgress("Org", "Seq", "", "Step", 1, 2, "a", 1, 2);
        console.log(String(TsProgressUI.ShowMessageEx("Go?", "T", 4)));
        try { TSEnvironment.Value("_SMSTSLogPath", "x"); } catch (e) { console.log(e.code); }
        __host.exit(3010);`,
    });
    expect(r.error).toBeUndefined();
    expect(r.value?.exitCode).toBe(3010);
    expect(env.get("Serial")).toBe("SN-1-EliteBook-me");
    expect(r.value?.output).toBe("pw ********\ntrue\n7\nReadOnlyVariable");
    expect(r.value?.changedVariables).toEqual([{ name: "Serial", value: "SN-1-EliteBook-me", secret: false }]);
    expect(events).toEqual(["action-progress", "message"]);
  });

  it("keeps every answer with its call over thousands of host calls", async () => {
    const { env } = createEnvironment();
    for (let run = 0; run < 10; run++) {
      const r = await runner.run({
        language: "javascript",
        environment: env,
        source: `for (let i = 0; i < 300; i++) TSEnvironment.Value("V" + i, "${run}-" + i); console.log(TSEnvironment.GetVariables().filter((n) => n[0] === "V").length)`,
      });
      expect(r.value?.output).toBe("300");
      expect([env.get("V0"), env.get("V299")]).toEqual([`${run}-0`, `${run}-299`]);
    }
  });

  it("runs PowerShell-style scripts with arguments", async () => {
    const { env } = createEnvironment();
    const r = await runner.run({ language: "powershell", environment: env, source: `param($Mode)\n$tsenv = New-Object -ComObject Microsoft.SMS.TSEnvironment\n$tsenv.Value("Mode") = $Mode`, arguments: "-Mode Full" });
    expect(r.error).toBeUndefined();
    expect(env.get("Mode")).toBe("Full");
  });

  it("records the script's file writes in the worker (reads see them) and returns them, also in a failed run's details", async () => {
    const source = 'Add-Content C:\\Logs\\MyScript.log "one"; "two" >> C:\\Logs\\MyScript.log; Test-Path C:\\Logs\\MyScript.log';
    const r = await runner.run({ language: "powershell", source, device: { writableFiles: true } });
    expect(r.value?.output).toBe("True");
    expect(r.value?.fileWrites).toEqual([
      { path: "C:\\Logs\\MyScript.log", append: true, text: "one\r\n", encoding: "windows-1252", keepFileEncoding: true },
      { path: "C:\\Logs\\MyScript.log", append: true, text: "two\r\n", encoding: "utf-16le" },
    ]);
    const failed = await runner.run({ language: "javascript", source: '__host.writeFile("C:\\\\a.log", "x"); throw new Error("boom");', device: { writableFiles: true } });
    expect(failed.error?.details?.["fileWrites"]).toEqual([{ path: "C:\\a.log", append: false, text: "x", encoding: "utf-8" }]);
    const refused = await runner.run({ language: "javascript", source: 'try { __host.writeFile("C:\\\\a.log", "x"); } catch (e) { console.log(e.code); }' });
    expect(refused.value?.output).toBe("AdapterMissing");
  });

  it("reads file contents through the calling thread's view, and records folder creations in the worker", async () => {
    const files = {
      exists: (p: string) => p === "C:\\a.txt",
      stat: (p: string) => (p === "C:\\a.txt" ? { kind: "file" as const, sizeBytes: 5, modifiedUtc: 0, createdUtc: 0 } : undefined),
      list: () => [],
      readText: (p: string) => (p === "C:\\a.txt" ? "hello" : ""),
    };
    const source = 'console.log(__host.readFile("C:\\\\a.txt"), __host.readFile("C:\\\\b.txt")); __host.createFolder("C:\\\\Logs"); console.log(__host.folderExists("C:\\\\Logs"));';
    const r = await runner.run({ language: "javascript", source, device: { files, writableFiles: true } });
    expect(r.value?.output).toBe("hello null\ntrue");
    expect(r.value?.fileWrites).toEqual([{ path: "C:\\Logs", folder: true }]);
    const { readText: _readText, ...statOnly } = files;
    const without = await runner.run({ language: "javascript", source: 'try { __host.readFile("C:\\\\a.txt"); } catch (e) { console.log(e.code); }', device: { files: statOnly } });
    expect(without.value?.output).toBe("AdapterMissing");
  });

  it("gives the script the device's process environment for $env: reads", async () => {
    const r = await runner.run({ language: "powershell", source: "Write-Output $env:windir", device: { os: { environmentVariables: () => ({ windir: "X:\\Windows" }) } } });
    expect(r.error).toBeUndefined();
    expect(r.value?.output.trim()).toBe("X:\\Windows");
  });

  it("returns the guest's typed errors with their position and captured output", async () => {
    const r = await runner.run({ language: "javascript", source: `console.log("before");\nthrow new Error("boom");` });
    expect(r.error?.code).toBe("ScriptError");
    expect(r.error?.position?.line).toBe(2);
    expect(r.error?.details?.["output"]).toEqual([{ stream: "output", text: "before" }]);
  });

  it("keeps the file writes of a script it terminates in the error's details, as createScriptRunner does, and passes each to onFileWrite", async () => {
    const device = createSimulatedDevice();
    const seen: string[] = [];
    const r = await runner.run({
      language: "javascript",
      device: { writableFiles: true },
      limits: { timeMs: TIME_MS },
      onFileWrite: (w) => seen.push(w.path),
      source: '__host.appendFile("X:\\\\a.log", "one\\r\\n"); __host.createFolder("X:\\\\Logs"); __host.appendFile("X:\\\\a.log", "two\\r\\n"); for (;;) new Array(1e6).fill(1).indexOf(2);',
    });
    expect(r.error?.code).toBe("ScriptTimeout");
    expect(r.error?.details?.["terminated"]).toBe(true);
    const writes = r.error?.details?.["fileWrites"] as ScriptFileWrite[];
    expect(writes).toEqual([
      { path: "X:\\a.log", append: true, text: "one\r\ntwo\r\n", encoding: "utf-8", keepFileEncoding: true },
      { path: "X:\\Logs", folder: true },
    ]);
    expect(seen).toEqual(["X:\\a.log", "X:\\Logs", "X:\\a.log"]);
    // What the built-in steps do with a failed run's writes.
    for (const write of writes) await applyScriptFileWrite(device.files, write);
    expect([await device.files.readText("X:\\a.log"), (await device.files.stat("X:\\Logs"))?.kind]).toEqual(["one\r\ntwo\r\n", "folder"]);
    await normal();
  });

  it("ends a loop of built-in calls within its deadline plus one second, then runs the next script", async () => {
    const before = runner.workersStarted;
    const r = await hostile("for (;;) new Array(1e6).fill(1).indexOf(2);");
    expect(r.code).toBe("ScriptTimeout");
    expect(r.terminated).toBe(true);
    expect(r.ms).toBeLessThan(TIME_MS + 1000);
    await normal();
    expect(runner.workersStarted).toBe(before + 1);
  });

  it('ends a "x".repeat + split bomb within its deadline plus one second, then runs the next script', async () => {
    const r = await hostile('for (;;) "x".repeat(1e6).split("").join("-").split("-");');
    expect(["ScriptTimeout", "ScriptOutOfMemory"]).toContain(r.code);
    expect(r.ms).toBeLessThan(TIME_MS + 1000);
    await normal();
  });

  it("ends a plain endless loop with the sandbox's own timeout and keeps the worker", async () => {
    await normal();
    const before = runner.workersStarted;
    const r = await hostile("for (;;) {}");
    expect(r.code).toBe("ScriptTimeout");
    expect(r.terminated).toBeUndefined();
    expect(r.ms).toBeLessThan(TIME_MS + 1000);
    await normal();
    expect(runner.workersStarted).toBe(before);
  });

  it("aborts a running script through its signal", async () => {
    const controller = new AbortController();
    const pending = runner.run({ language: "javascript", source: "for (;;) new Array(1e6).fill(1).indexOf(2);", signal: controller.signal, limits: { timeMs: 60_000 } });
    setTimeout(() => controller.abort(), 200);
    expect((await pending).error?.code).toBe("Aborted");
    await normal();
  });

  it("ends a queued run at once when its signal aborts while an earlier run still holds the worker", async () => {
    const first = new AbortController();
    const busy = runner.run({ language: "javascript", source: "for (;;) new Array(1e6).fill(1).indexOf(2);", signal: first.signal, limits: { timeMs: 60_000 } });
    const queued = new AbortController();
    const waiting = runner.run({ language: "javascript", source: "0", signal: queued.signal });
    let busyEnded = false;
    void busy.then(() => (busyEnded = true));
    setTimeout(() => queued.abort(), 100);
    expect((await waiting).error?.code).toBe("Aborted");
    expect(busyEnded).toBe(false); // the queued run did not wait for the run ahead of it
    first.abort();
    expect((await busy).error?.code).toBe("Aborted");
    await normal();
  });

  it("keeps a time limit longer than a Node timer can wait (2^31 ms and more)", async () => {
    const r = await runner.run({ language: "javascript", source: 'const end = Date.now() + 50; while (Date.now() < end) {} console.log("done")', limits: { timeMs: 2 ** 31 } });
    expect(r.error).toBeUndefined();
    expect(r.value?.output).toBe("done");
  });

  it("does not keep the process alive once idle", () => {
    const fixture = fileURLToPath(new URL("./worker-script-runner-idle.fixture.ts", import.meta.url));
    const root = fileURLToPath(new URL("../../../", import.meta.url));
    const out = execFileSync(process.execPath, ["--import", "tsx", fixture], { cwd: root, encoding: "utf8", timeout: 30_000 });
    expect(out.trim()).toBe("42");
  });

  it("refuses bad limits before starting", async () => {
    expect((await runner.run({ language: "javascript", source: "0", limits: { timeMs: -1 } })).error?.code).toBe("InvalidArgument");
  });
});
