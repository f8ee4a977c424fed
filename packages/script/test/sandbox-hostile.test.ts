/**
 * Hostile scripts: each must end in a typed error within its deadline plus one second, with the
 * sandbox's memory capped, and the next script must run normally.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { TaskSeqErrorCode } from "@taskseq/model";
import { createScriptRunner } from "@taskseq/script";
import type { ScriptDevice, ScriptLimits } from "@taskseq/script";
import { testEnvironment } from "./script-test-kit.js";

const runner = createScriptRunner({ memoryCeilingBytes: 32 * 1024 * 1024 });
afterAll(() => runner[Symbol.dispose]());

/** Generous time for scripts that must hit another limit first (the machine may be busy). */
const limits: ScriptLimits = { timeMs: 3000, memoryBytes: 16 * 1024 * 1024, outputChars: 100_000, hostCalls: 5_000 };
/** A short deadline for the scripts that run forever. */
const forever: ScriptLimits = { timeMs: 400 };

interface Hostile {
  readonly name: string;
  readonly source: string;
  readonly code: TaskSeqErrorCode;
  /** For `ScriptError`s raised by a bridge: the guest error's `code`. */
  readonly guestCode?: string;
  /** Part of the error message. */
  readonly message?: RegExp;
  /** Limits that differ from the shared ones. */
  readonly limits?: ScriptLimits;
  /** The device views, when the script needs them. */
  readonly device?: ScriptDevice;
}

const writable: ScriptDevice = { writableFiles: true };
/** A 4 MB text file, read without end. */
const bigText = "x".repeat(4_000_000);
const bigFile: ScriptDevice = {
  files: { exists: () => true, stat: () => ({ kind: "file", sizeBytes: bigText.length, modifiedUtc: 0, createdUtc: 0 }), list: () => [], readText: () => bigText },
};

const hostile: readonly Hostile[] = [
  // Time
  { name: "infinite loop in the body", source: "while (true) {}", code: "ScriptTimeout", limits: forever },
  { name: "loop that catches the interrupt", source: "while (true) { try { for (;;) {} } catch (e) {} }", code: "ScriptTimeout", limits: forever },
  { name: "loop in a finally block", source: "try { for (;;) {} } finally { for (;;) {} }", code: "ScriptTimeout", limits: forever },
  // Each job queues the next and retains nothing (returning the inner promise would build a chain that also races the memory limit).
  { name: "endless promise jobs", source: "Promise.resolve().then(function f() { Promise.resolve().then(f); });", code: "ScriptTimeout", limits: forever },
  { name: "async function awaiting forever", source: "(async () => { while (true) { await null; } })();", code: "ScriptTimeout", limits: forever },
  { name: "async function looping synchronously", source: "async function f() { for (;;) {} } f();", code: "ScriptTimeout", limits: forever },
  { name: "eval of a loop", source: 'eval("for (;;) {}")', code: "ScriptTimeout", limits: forever },
  { name: "thrown value whose message getter loops", source: "throw { get message() { for (;;) {} } };", code: "ScriptTimeout", limits: forever },
  { name: "catastrophic regular expression", source: '/(a+)+$/.test("a".repeat(40) + "b")', code: "ScriptTimeout", limits: forever },
  // Native loops over an unbounded array-like length, where QuickJS never consults the interrupt handler
  ...[
    ["indexOf", "1"], ["lastIndexOf", "1"], ["includes", "1"], ["join", '""'], ["toString", ""], ["toLocaleString", ""], ["sort", ""], ["reverse", ""],
    ["fill", "0"], ["copyWithin", "1, 0"], ["forEach", "function () {}"], ["some", "function () {}"], ["reduce", "function () {}, 0"], ["shift", ""], ["unshift", "0"],
  ].flatMap(([method, args]) => [
    // On a plain object, toString finds no join, and fill allocates until the memory limit.
    ...(method === "toString" || method === "fill" ? [] : [{ name: `Array.prototype.${method} on { length: 2 ** 32 }`, source: `Array.prototype.${method}.call({ length: 2 ** 32 }, ${args});`, code: "ScriptTimeout" as const, limits: forever }]),
    { name: `${method} on a sparse array of length 2 ** 32 - 1`, source: `const a = []; a.length = 2 ** 32 - 1; a.${method}(${args});`, code: "ScriptTimeout" as const, limits: forever },
  ]),
  { name: "length getter small for the check, huge for the built-in", source: "let n = 0; Array.prototype.indexOf.call({ get length() { return n++ ? 2 ** 32 : 0; } }, 1); throw new Error('n=' + n);", code: "ScriptError", message: /n=1/ },
  {
    name: "proxy whose length differs per read",
    source: "const a = []; a.length = 2 ** 32 - 1; let n = 0; const p = new Proxy(a, { get: (t, k) => (k === 'length' && n++ === 1 ? 2 ** 32 - 1 : k === 'length' ? 0 : t[k]) }); p.indexOf(1); p.indexOf(1);",
    code: "ScriptTimeout",
    limits: forever,
  },
  { name: "concat of a huge spreadable array-like", source: "const o = { length: 2 ** 32 - 1, [Symbol.isConcatSpreadable]: true }; [].concat(o);", code: "ScriptTimeout", limits: forever },
  { name: "flat of a huge sparse array", source: "const a = []; a.length = 2 ** 32 - 1; [a].flat();", code: "ScriptTimeout", limits: forever },
  { name: "flatMap returning a huge sparse array", source: "const a = []; a.length = 2 ** 32 - 1; [1].flatMap(() => a);", code: "ScriptTimeout", limits: forever },
  { name: "String() of a huge sparse array", source: "const a = []; a.length = 2 ** 32 - 1; String(a);", code: "ScriptTimeout", limits: forever },
  { name: "%TypedArray%.prototype.toString on a huge array-like", source: "const a = []; a.length = 2 ** 32 - 1; Object.getPrototypeOf(Uint8Array.prototype).toString.call(a);", code: "ScriptTimeout", limits: forever },
  // Memory
  { name: "string doubling", source: 'let s = "x"; for (;;) s = s + s;', code: "ScriptOutOfMemory" },
  { name: "huge repeat", source: '"x".repeat(2 ** 28)', code: "ScriptOutOfMemory" },
  { name: "array of arrays", source: "const a = []; for (;;) a.push(new Array(10000).fill(1));", code: "ScriptOutOfMemory" },
  { name: "typed arrays", source: "const a = []; for (;;) a.push(new Uint8Array(1 << 20));", code: "ScriptOutOfMemory" },
  { name: "one huge ArrayBuffer", source: "new ArrayBuffer(1 << 30)", code: "ScriptOutOfMemory" },
  {
    // Near the heap limit QuickJS collects garbage on almost every allocation: a small heap keeps this quick.
    name: "objects with many keys",
    source: 'const o = {}; for (let i = 0; ; i++) o["k" + i] = { i, s: "v" + i };',
    code: "ScriptOutOfMemory",
    limits: { memoryBytes: 4 * 1024 * 1024 },
  },
  // Stack
  { name: "strings kept by an async loop", source: 'let a = []; (async () => { for (;;) { a.push("x".repeat(1e5)); await null; } })();', code: "ScriptOutOfMemory" },
  { name: "arrays kept by an async loop", source: "let a = []; (async () => { for (;;) { a.push([a.length]); await null; } })();", code: "ScriptOutOfMemory", limits: { memoryBytes: 4 * 1024 * 1024 } },
  { name: "arrays kept by a then chain", source: "let a = []; Promise.resolve().then(function f() { a.push(new Array(1000).fill(a.length)); return Promise.resolve().then(f); });", code: "ScriptOutOfMemory" },
  { name: "thrown null", source: "throw null;", code: "ScriptError", message: /Script threw: null/ },
  { name: "rejected with null", source: "Promise.reject(null);", code: "ScriptError", message: /Script threw: null/ },
  { name: "deep recursion", source: "function f() { return f() + 1; } f();", code: "ScriptStackOverflow" },
  { name: "proxy get trap recursion", source: "const p = new Proxy({}, { get(t, k, r) { return r[k]; } }); p.x;", code: "ScriptStackOverflow" },
  { name: "recursion through toString", source: "const o = { toString() { return String(this); } }; String(o);", code: "ScriptStackOverflow" },
  // Reaching the host
  { name: "require", source: 'require("child_process")', code: "ScriptError", message: /require/ },
  { name: "process", source: "process.exit(0)", code: "ScriptError", message: /process/ },
  { name: "std and os modules", source: 'std.loadFile("/etc/passwd"); os.exec(["sh"]);', code: "ScriptError", message: /std/ },
  { name: "dynamic import", source: 'import("fs")', code: "ScriptError" },
  { name: "Function('return this') has no host", source: 'Function("return this")().process.mainModule', code: "ScriptError", message: /process|undefined/ },
  { name: "constructor.constructor escape", source: '({}).constructor.constructor("return process")()', code: "ScriptError", message: /process/ },
  { name: "timers do not exist", source: "setTimeout(() => {}, 0)", code: "ScriptError", message: /setTimeout/ },
  {
    name: "globalThis holds only standard and guest-API names",
    source: `const known = new Set(${JSON.stringify(["TSEnvironment", "TsProgressUI", "__host", "console"])});
      const odd = Object.getOwnPropertyNames(globalThis).filter((n) => /^(require|process|std|os|fetch|setTimeout|setInterval|module|exports|Buffer|WebAssembly|native)$/.test(n) && !known.has(n));
      throw new Error("found:" + odd.join(","));`,
    code: "ScriptError",
    message: /found:\)?$|found: \(line/,
  },
  // Tampering with the bridges
  { name: "overwriting a bridge method", source: '"use strict"; TSEnvironment.Value = () => "hacked";', code: "ScriptError", message: /read-only|read only|not writable/i },
  { name: "redefining a bridge global", source: 'Object.defineProperty(globalThis, "TSEnvironment", { value: 1 });', code: "ScriptError", message: /configurable|redefine/i },
  { name: "assigning a bridge global", source: '"use strict"; globalThis.TsProgressUI = {};', code: "ScriptError", message: /TypeError/ },
  { name: "deleting __host", source: '"use strict"; delete globalThis.__host;', code: "ScriptError" },
  { name: "re-prototyping a bridge", source: "Object.setPrototypeOf(TSEnvironment, { Value() { return 1; } });", code: "ScriptError" },
  {
    name: "poisoned intrinsics do not change the bridges",
    source: `JSON.parse = () => [0, "x"]; Reflect.apply = null; Array.prototype.sort = null; String.prototype.toUpperCase = () => "X";
      Object.defineProperty(Object.prototype, "0", { get() { return 0; }, set() {}, configurable: true });
      TSEnvironment.Value("_SMSTSLogPath", "x");`,
    code: "ScriptError",
    guestCode: "ReadOnlyVariable",
  },
  {
    name: "frozen prototypes do not break bridge errors",
    source: 'Object.freeze(Object.prototype); Object.freeze(Error.prototype); Object.freeze(Array.prototype); TSEnvironment.Value("My Var", "x");',
    code: "ScriptError",
    guestCode: "InvalidVariableName",
  },
  // Output and host calls
  { name: "huge output in many writes", source: 'for (;;) console.log("x".repeat(1000));', code: "ScriptOutputTooLarge" },
  { name: "huge output in one write", source: '__host.write("output", "x".repeat(200000));', code: "ScriptOutputTooLarge" },
  { name: "huge log", source: 'for (;;) __host.log("info", "y".repeat(100));', code: "ScriptOutputTooLarge" },
  { name: "huge UI event strings", source: 'for (;;) TsProgressUI.ShowMessage("z".repeat(10000), "", 0);', code: "ScriptOutputTooLarge" },
  { name: "huge host-call count", source: "for (;;) __host.now();", code: "ScriptHostCallLimit", limits: { hostCalls: 300 } },
  {
    name: "deadline inside a bridge's argument conversion, caught in a loop",
    source: 'const o = { toString() { for (let i = 0; i < 1e5; i++); return "1"; } }; for (;;) { try { __host.sleep(o); } catch (e) {} }',
    code: "ScriptTimeout",
    limits: forever,
  },
  { name: "host-call limit survives catch", source: "for (;;) { try { __host.sleep(1); } catch (e) {} }", code: "ScriptHostCallLimit", limits: { hostCalls: 300 } },
  {
    name: "variable writes in a loop",
    source: 'for (let i = 0; ; i++) TSEnvironment.Value("V", String(i));',
    code: "ScriptHostCallLimit",
    limits: { outputChars: 1_000_000, hostCalls: 300 },
  },
  // File writes
  { name: "file appends in a loop that catches", source: 'for (;;) { try { __host.appendFile("C:\\\\a.log", "x"); } catch (e) {} }', code: "ScriptFileWriteLimit", limits: { fileWrites: 1000 }, device: writable },
  { name: "one huge file write", source: '__host.writeFile("C:\\\\a.log", "x".repeat(2e6));', code: "ScriptFileWriteLimit", device: writable },
  { name: "many deep files", source: 'for (let i = 0; ; i++) __host.writeFile("C:\\\\" + i + "\\\\d".repeat(500) + ".log", "");', code: "ScriptFileWriteLimit", device: writable },
  { name: "a file write without writable files", source: '__host.writeFile("C:\\\\a.log", "x");', code: "ScriptError", guestCode: "AdapterMissing" },
  { name: "folder creations in a loop that catches", source: 'for (let i = 0; ; i++) { try { __host.createFolder("C:\\\\d\\\\" + i); } catch (e) {} }', code: "ScriptFileWriteLimit", limits: { fileWrites: 1000 }, device: writable },
  // File reads
  { name: "file reads in a loop that catches", source: 'for (;;) { try { __host.readFile("C:\\\\big.log"); } catch (e) {} }', code: "ScriptFileReadLimit", device: bigFile },
  { name: "a read of a file larger than the limit", source: '__host.readFile("C:\\\\big.log");', code: "ScriptFileReadLimit", limits: { fileReadBytes: 1_000_000 }, device: bigFile },
  // Variables
  { name: "write to a read-only variable", source: 'TSEnvironment.Value("_SMSTSLogPath", "C:\\\\x");', code: "ScriptError", guestCode: "ReadOnlyVariable" },
  { name: "invalid variable name", source: 'TSEnvironment.Value("Größe", "1");', code: "ScriptError", guestCode: "InvalidVariableName" },
  { name: "value over 4,000 characters", source: 'TSEnvironment.Value("Big", "x".repeat(4001));', code: "ScriptError", guestCode: "ValueTooLong" },
  { name: "Clear() is refused", source: "TSEnvironment.Clear();", code: "ScriptError", guestCode: "AccessDenied" },
  // Odd throws and exits
  { name: "throwing null", source: "throw null;", code: "ScriptError", message: /null/ },
  { name: "throwing undefined", source: "throw undefined;", code: "ScriptError", message: /undefined/ },
  { name: "throwing a symbol", source: 'throw Symbol("s");', code: "ScriptError", message: /Symbol/ },
  { name: "throwing an object whose toString throws", source: "throw { toString() { throw 1; } };", code: "ScriptError", message: /unprintable/ },
  { name: "throwing a number", source: "throw 42;", code: "ScriptError", message: /42/ },
  { name: "rejected async main", source: 'async function main() { throw new TypeError("bad"); } main();', code: "ScriptError", message: /TypeError: bad/ },
  { name: "promise that never settles", source: "new Promise(() => {});", code: "ScriptError", message: /never settled/ },
  { name: "fractional exit code", source: "__host.exit(1.5);", code: "ScriptError", guestCode: "InvalidArgument" },
  { name: "exit code out of range", source: "__host.exit(2 ** 40);", code: "ScriptError", guestCode: "InvalidArgument" },
  { name: "bad ULONG to TsProgressUI", source: 'TsProgressUI.ShowTSProgress("o", "t", "", "a", -1, 10);', code: "ScriptError", guestCode: "InvalidArgument" },
  { name: "syntax error", source: "let x = ;", code: "ScriptError", message: /SyntaxError/ },
];

describe("hostile scripts", () => {
  it("has at least 30 of them", () => {
    expect(hostile.length).toBeGreaterThanOrEqual(30);
  });

  for (const h of hostile) {
    it(`${h.name} → ${h.code}`, async () => {
      const { env } = testEnvironment();
      const started = performance.now();
      const result = await runner.run({ language: "javascript", source: h.source, environment: env, limits: { ...limits, ...h.limits }, ...(h.device === undefined ? {} : { device: h.device }) });
      const elapsed = performance.now() - started;
      expect(result.error?.code).toBe(h.code);
      if (h.guestCode !== undefined) expect(result.error?.details?.["guestCode"]).toBe(h.guestCode);
      if (h.message !== undefined) expect(result.error?.message).toMatch(h.message);
      expect(elapsed).toBeLessThan((h.limits?.timeMs ?? limits.timeMs ?? 0) + 1000);

      // The next script runs normally in the same runner.
      const next = await runner.run({ language: "javascript", source: 'console.log(TSEnvironment.Value("_SMSTSOrgName"), 6 * 7);', environment: env });
      expect(next.value?.output).toBe("Contoso IT 42");
    });
  }

  it("a promise chain that fills the default heap ends in ScriptOutOfMemory, not in QuickJS's thrown null", async () => {
    // The heap is too full to allocate QuickJS's own "out of memory" error, so the job throws null.
    using own = createScriptRunner();
    const started = performance.now();
    const result = await own.run({ language: "javascript", source: "let a = []; function f() { a.push([a.length]); return Promise.resolve().then(f); } f();" });
    expect(result.error?.code).toBe("ScriptOutOfMemory");
    expect(performance.now() - started).toBeLessThan(10_000 + 1000);
    expect((await own.run({ language: "javascript", source: "console.log(6 * 7);" })).value?.output).toBe("42");
  });

  it("keeps the host's memory bounded: wasm memory stays under the ceiling", () => {
    expect(process.memoryUsage().arrayBuffers).toBeLessThan(1024 * 1024 * 1024);
  });

  it("leaves read-only variables unchanged after refused writes", async () => {
    const { env } = testEnvironment();
    await runner.run({ language: "javascript", source: 'try { TSEnvironment.Value("_SMSTSLogPath", "x"); } catch (e) {}', environment: env });
    expect(env.get("_SMSTSLogPath")).toBe("C:\\Windows\\CCM\\Logs\\SMSTSLog");
  });

  it("array built-ins guarded against unbounded lengths still behave as specified on ordinary values", async () => {
    const source = `const out = [
      [3, 1, 2].sort().join("-"), [1, [2, [3, [4]]]].flat(Infinity).join(), [1, [2, [3]]].flat().length, [1, 2].concat([3], 4, [[5]]).length,
      Array.prototype.map.call("ab", (c) => c + c).join(), [1, 2, 3].indexOf(2), [].concat.call({ a: 1 }, 2).length, Array.prototype.slice.call({ length: 2, 0: "x", 1: "y" }).join(),
      [1, 2].flatMap((x) => [x, x * 10]).join(), Array.prototype.indexOf.length, new Proxy([1, 2], {}).indexOf(2), Object.keys(Array.prototype).length,
      Array.prototype.reverse.call({ length: 2, 0: 1, 1: 2 })[0], String([1, [2, 3]]), [1, 2, 3].lastIndexOf(3, 1), [NaN].includes(NaN),
      Object.getPrototypeOf(Uint8Array.prototype).toString === Array.prototype.toString, new Uint8Array([1, 2]).toString(),
      (function () { return Array.prototype.join.call(arguments, "+"); })(1, 2), Array.prototype.indexOf.name, "prototype" in Array.prototype.indexOf,
      Object.getOwnPropertyDescriptor(Array.prototype, "indexOf").enumerable, [5, 1, 4].toSorted().join(), [1, 2, 3].splice(1, 1).join(),
      (() => { class A extends Array {} return new A(1, 2).flat() instanceof A; })(), (() => { const a = [1, 2, 3]; return a.fill(0) === a; })(),
      (() => { const o = { length: 1, 0: 2 }; return Array.prototype.sort.call(o) === o; })(),
    ];
    console.log(JSON.stringify(out));`;
    const result = await runner.run({ language: "javascript", source });
    expect(JSON.parse(result.value?.output ?? "null")).toEqual([
      "1-2-3", "1,2,3,4", 3, 5, "aa,bb", 1, 2, "x,y", "1,10,2,20", 1, 1, 0, 2, "1,2,3", -1, true, true, "1,2", "1+2", "indexOf", false, false, "1,4,5", "2", true, true, true,
    ]);
  });

  it("a guarded built-in on a huge array-like ends at the deadline and the next run is normal", async () => {
    const started = performance.now();
    const result = await runner.run({ language: "javascript", source: "Array.prototype.indexOf.call({ length: 2 ** 32 }, 1);", limits: { timeMs: 1000 } });
    expect(result.error?.code).toBe("ScriptTimeout");
    expect(performance.now() - started).toBeLessThan(1000 + 1000);
    expect((await runner.run({ language: "javascript", source: "console.log([1, 2].indexOf(2));" })).value?.output).toBe("1");
  });
});
