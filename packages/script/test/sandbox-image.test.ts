/**
 * Sandbox images: every run starts from the saved memory of its image, and nothing a run did
 * survives it; the pinned build's memory layout that the restore relies on.
 */
import { readFileSync } from "node:fs";
import RELEASE_SYNC from "@jitl/quickjs-wasmfile-release-sync";
import { createScriptRunner, compilePowerShellForRunner, createQuickJSModulePool } from "@taskseq/script";
import type { CompiledScript, ScriptRunRequest } from "@taskseq/script";
import { newVariant } from "quickjs-emscripten-core";
import { afterAll, describe, expect, it } from "vitest";
import { HostBridge } from "../src/host-bridge.js";
import { defaultMessageResponder } from "../src/progress-ui.js";
import { RELEASE_SYNC_LAYOUT, createSandboxImages } from "../src/sandbox-image.js";
import { testEnvironment } from "./script-test-kit.js";

const runner = createScriptRunner({ compilePowerShell: compilePowerShellForRunner });
afterAll(() => runner[Symbol.dispose]());

async function output(request: Omit<ScriptRunRequest, "environment"> & { readonly environment?: ScriptRunRequest["environment"] }, using = runner): Promise<string> {
  const r = await using.run({ environment: testEnvironment().env, ...request });
  if (r.error !== undefined) throw r.error;
  return r.value.output;
}

describe("each run starts from the saved image", () => {
  it("globals, prototypes and intrinsics a script changed are gone in the next run", async () => {
    const tamper = `
      Object.prototype.polluted = 1; globalThis.leftover = 2; Array.prototype.push = null;
      String.prototype.toUpperCase = function () { return "tampered"; }; JSON.parse = null; Math.max = null;
      Promise.resolve().then(function () { globalThis.late = 3; });
      console.log("tampered");`;
    expect(await output({ language: "javascript", source: tamper })).toBe("tampered");
    const check = `
      var a = []; a.push(1);
      console.log([typeof ({}).polluted, typeof leftover, typeof late, "ab".toUpperCase(), JSON.parse("[1]").length, Math.max(1, 2), a.length].join(" "));`;
    expect(await output({ language: "javascript", source: check })).toBe("undefined undefined undefined AB 1 2 1");
  });

  it("a counter kept on the global object starts again every run", async () => {
    const source = `globalThis.runs = (globalThis.runs || 0) + 1; console.log(runs);`;
    const seen = [];
    for (let i = 0; i < 5; i++) seen.push(await output({ language: "javascript", source }));
    expect(seen).toEqual(["1", "1", "1", "1", "1"]);
  });

  it("PowerShell-style global variables and the runtime library's state do not survive a run", async () => {
    const source = `$global:count++; $script:seen += @("x"); Write-Output "$($global:count) $($script:seen.Count)"`;
    expect(await output({ language: "powershell", source })).toBe("1 1");
    expect(await output({ language: "powershell", source })).toBe("1 1");
  });

  it("Math.random is reseeded per run: two runs draw different numbers, spread over [0, 1)", async () => {
    const source = `var xs = []; for (var i = 0; i < 2000; i++) xs.push(Math.random()); console.log(JSON.stringify(xs));`;
    const first = JSON.parse(await output({ language: "javascript", source })) as number[];
    const second = JSON.parse(await output({ language: "javascript", source })) as number[];
    expect(first).not.toEqual(second);
    for (const x of [...first, ...second]) expect(x >= 0 && x < 1).toBe(true);
    const mean = first.reduce((a, b) => a + b, 0) / first.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    expect(new Set(first).size).toBe(first.length);
  });

  it("many runs reuse one module", async () => {
    using own = createScriptRunner({ compilePowerShell: compilePowerShellForRunner });
    for (let i = 0; i < 20; i++) await output({ language: i % 2 === 0 ? "javascript" : "powershell", source: i % 2 === 0 ? `console.log(1)` : `Write-Output 1` }, own);
    expect(own.modulesCreated).toBe(1);
  });

  it("a runner with more language runtimes than images evaluates the rest per run, with the same results", async () => {
    const compile = (source: string): { value: CompiledScript } => ({ value: { prelude: `var lib = ${JSON.stringify(source)};`, js: `console.log(lib + " " + (typeof other));` } });
    using own = createScriptRunner({ compilePowerShell: compile });
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 7; i++) expect(await output({ language: "powershell", source: `L${i}` }, own)).toBe(`L${i} undefined`);
    }
  });

  it("a language runtime that fails is reported as the run's error, run after run", async () => {
    using own = createScriptRunner({ compilePowerShell: () => ({ value: { prelude: `throw new Error("broken runtime");`, js: `console.log(1)` } }) });
    for (let i = 0; i < 2; i++) {
      const r = await own.run({ language: "powershell", source: "x" });
      expect(r.error?.code).toBe("ScriptError");
      expect(r.error?.message).toContain("broken runtime");
    }
  });

  it("any other build restores all of its memory, with the same isolation", async () => {
    using own = createScriptRunner({ variant: newVariant(RELEASE_SYNC, {}) });
    expect(await output({ language: "javascript", source: `globalThis.x = 1; Object.prototype.y = 2; console.log(typeof x)` }, own)).toBe("number");
    expect(await output({ language: "javascript", source: `console.log(typeof x + " " + typeof ({}).y)` }, own)).toBe("undefined undefined");
  });
});

describe("the pinned build's memory", () => {
  /** The first global's initial value (the stack pointer) and the end of the last data segment, read from the installed binary. */
  function binaryLayout(): { stackPointer: number; dataEnd: number } {
    const wasm = readFileSync(new URL("../../../node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm", import.meta.url));
    let p = 8;
    const leb = (signed: boolean): number => {
      let result = 0;
      let shift = 0;
      let byte: number;
      do {
        byte = wasm[p++] ?? 0;
        result |= (byte & 0x7f) << shift;
        shift += 7;
      } while (byte & 0x80);
      return signed && shift < 32 && byte & 0x40 ? result | (~0 << shift) : result >>> 0;
    };
    let stackPointer = -1;
    let dataEnd = 0;
    while (p < wasm.length) {
      const id = wasm[p++];
      const size = leb(false);
      const end = p + size;
      if (id === 6) {
        leb(false); // count
        p += 3; // value type, mutability, i32.const
        stackPointer = leb(true);
      } else if (id === 11) {
        const count = leb(false);
        for (let i = 0; i < count; i++) {
          expect(leb(false)).toBe(0); // an active segment in memory 0
          p++; // i32.const
          const offset = leb(true);
          p++; // end
          const length = leb(false);
          dataEnd = Math.max(dataEnd, offset + length);
          p += length;
        }
      }
      p = end;
    }
    return { stackPointer, dataEnd };
  }

  it("the heap starts where the layout says, and the static data lies below the part restored", () => {
    const { stackPointer, dataEnd } = binaryLayout();
    expect(stackPointer).toBe(RELEASE_SYNC_LAYOUT.heapBase);
    expect(dataEnd).toBeLessThan(RELEASE_SYNC_LAYOUT.staticEnd);
  });

  it("a run writes nothing between the static data and the stack it uses, and the restore puts back every saved byte", async () => {
    using pool = createQuickJSModulePool({ variant: RELEASE_SYNC, memoryCeilingBytes: 64 * 1024 * 1024 });
    const module = await pool.acquire();
    const images = createSandboxImages(module, RELEASE_SYNC);
    const { env } = testEnvironment();
    const image = images.image("", () => false, 32 * 1024 * 1024);
    const memory = module.getWasmMemory();
    const saved = new Uint8Array(memory.buffer).slice();
    const scripts = [
      `function r(n) { return r(n + 1) + 1 } try { r(0) } catch (e) {}`,
      `var s = "x"; try { for (;;) s += s } catch (e) {}`,
      `/(a|b|ab)*c/.test("abababababababababababab")`,
      `JSON.parse(JSON.stringify(Array.from({ length: 5000 }, function (_, i) { return { i: i, s: "v" + i } })))`,
      `TSEnvironment.Value("A", "1"); new Date().toISOString(); [3, 1, 2].sort().join(); "é".normalize("NFD")`,
    ];
    for (const source of scripts) {
      const bridge = new HostBridge({ environment: env, device: {}, redact: (t) => t, outputChars: 1_000_000, hostCalls: 100_000, fileWrites: 10_000, fileWriteChars: 1_000_000, fileReadBytes: 1_000_000, startTime: 0, respond: defaultMessageResponder, onEvent: undefined });
      image.runtime.setMemoryLimit(32 * 1024 * 1024);
      image.runtime.setMaxStackSize(256 * 1024);
      const guest = image.natives.install(bridge, {}, true, () => false);
      image.context.evalCode(source).dispose();
      image.runtime.executePendingJobs();
      guest[Symbol.dispose]();
      const after = new Uint8Array(memory.buffer);
      const { staticEnd, heapBase } = RELEASE_SYNC_LAYOUT;
      const quietEnd = heapBase - 512 * 1024;
      let written = -1;
      for (let i = staticEnd; i < quietEnd && written < 0; i++) if (after[i] !== saved[i]) written = i;
      expect(written).toBe(-1);
      images.restore();
      const restored = new Uint8Array(memory.buffer);
      expect(Buffer.compare(restored.subarray(0, staticEnd), saved.subarray(0, staticEnd))).toBe(0);
      // The saved heap ends at its last non-zero byte: everything from the heap's start to there is back.
      let top = saved.length;
      while (top > heapBase && saved[top - 1] === 0) top--;
      expect(Buffer.compare(restored.subarray(heapBase, top), saved.subarray(heapBase, top))).toBe(0);
    }
  });
});
