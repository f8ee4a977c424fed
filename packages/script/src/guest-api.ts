/**
 * The guest API: the globals a script sees inside the QuickJS sandbox. This file is the contract
 * between the sandbox host (this package) and every runtime that runs inside it, including the
 * PowerShell-style runtime (`src/powershell/**`). Change a name only by agreement recorded here.
 *
 * ## Globals (frozen objects behind non-configurable getters on the global object)
 *
 * - `TSEnvironment` (only when the run has an environment; absent otherwise, like an unregistered
 *   COM class, spec/com-api.md §1.2):
 *   - `Value(name)` → string, `""` when unset or the name is invalid. Secrets return their real value.
 *     Served from a snapshot passed in once when spelled as the environment spells it; otherwise one host call.
 *   - `Value(name, value)` sets (value coerced to string, `""` deletes) through the host rules.
 *     A refusal throws an `Error` with `code` (`ReadOnlyVariable`, `InvalidVariableName`,
 *     `ValueTooLong`, `EnvironmentFull`) and `hresult` (`0x80070005`, `0x80070057`, `0x8007000E`).
 *   - `GetVariables()` → array of names (display casing), ascending ordinal case-insensitive order;
 *     a fresh array from the host per call.
 *   - `Create()`, `Clear()` → always throw `AccessDenied` / `0x80070005` (engine-internal).
 * - `TsProgressUI` (only with an environment): `ShowActionProgress`, `ShowActionDetailedProgress`,
 *   `ShowTSProgress`, `ShowErrorDialog`, `ShowMessage`, `ShowMessageEx` (returns the button result),
 *   `ShowRebootDialog`, `ShowSwapMediaDialog` (alias `ShowSwapMedia`), `CloseProgressDialog`, with
 *   the parameters of spec/com-api.md §2.1 in IDL order. Bad `ULONG`s throw `InvalidArgument` /
 *   `0x80070057`. Each call is one event to the host.
 * - `__host`:
 *   - `wmiQuery(namespace, wql)` → array of plain objects (one property bag per instance).
 *   - `registryGet(keyPath, valueName)` → `{ type, data } | null`; `registryKeyExists(keyPath)` →
 *     boolean; `registryList(keyPath)` → `{ subkeys, values } | null`.
 *   - `fileExists(path)`, `folderExists(path)` → boolean; `fileStat(path)` →
 *     `{ size, version?, modified, isFolder } | null`; `listDirectory(path)` → `{ name, isFolder }[] | null`;
 *     `readFile(path)` → the file's text (after a BOM in its encoding, else UTF-8, or Windows-1252
 *     when that is not valid UTF-8: `@taskseq/device` `decodeFileText`) | `null` when there is no
 *     such file; its size counts toward `limits.fileReadBytes`, and a file past what is left ends the
 *     run with `ScriptFileReadLimit`. A device capability the run lacks throws `AdapterMissing`
 *     (`readFile` without a view that reads content: `AdapterMissing` "file reading"). Reads see the
 *     script's own writes (a written file exists with the size of its text in its encoding and reads
 *     as what the device held followed by what was appended, its folders exist and list it).
 *   - `writeFile(path, text, encoding?)` creates or replaces a file, `appendFile(path, text,
 *     encoding?, keepFileEncoding?)` adds to its end (creating it; in the encoding of the file's BOM
 *     when it has one, unless `keepFileEncoding` is `false`), `createFolder(path)` creates a folder
 *     and its parents (nothing when it exists): recorded, not done at once (the device adapter is
 *     asynchronous), and returned as the run's `fileWrites` for the embedder to apply in order (also
 *     when the script fails). `encoding` is a `@taskseq/device` `FileTextEncoding` name
 *     (case-insensitive; default `utf-8`). The text is secret-masked. Only with
 *     `device.writableFiles`, else `AdapterMissing`; with a files view, a file whose folder below the
 *     root neither exists nor was made by the script throws `NotFound` ("Could not find a part of the
 *     path …"); an unknown encoding, or a path that is not absolute (`C:\…`, `\\server\share\…`),
 *     names a folder the script created or wrote into (for `createFolder`: a file on the device or one
 *     the script wrote), holds a character not valid in a file name or a secret value throws
 *     `InvalidArgument` (a file path that is a folder on the device is recorded, and fails when the
 *     embedder applies it); more writes
 *     (a new folder counts as one) or characters than `limits.fileWrites` / `limits.fileWriteChars`
 *     end the run with `ScriptFileWriteLimit`.
 *   - `env(name)` → the device's process environment variable (`os` view, name case-insensitive),
 *     `""` when unset or when the device has no `os` view (spec/com-api.md §1.3, `$env:windir`).
 *   - `write(stream, text)`, stream `output|host|verbose|warning|error|information`: captured,
 *     size-limited, secret-masked.
 *   - `log(level, text)`, level `info|warning|error`: an smsts.log line (secret-masked).
 *   - `now()` → simulated epoch milliseconds; `sleep(ms)` advances the simulated clock at once.
 *   - `exit(code)` ends the script with that exit code (integer −2147483648…4294967295).
 *   - `parameters`: the run's parameters, a frozen object of strings (agreed addition).
 * - `console`: `log`/`info`/`warn`/`error`/`debug` write to `output`/`information`/`warning`/`error`/
 *   `verbose` (a convenience over `__host.write`, for JavaScript custom steps).
 *
 * No other host object is reachable: no `require`, `process`, `std`, `os`, module loader, timers or
 * network. Guest errors thrown by the bridges carry `code` (a TaskSeqErrorCode) and, for COM
 * failures, `hresult`.
 *
 * ## How it is installed (internal)
 *
 * The prelude is compiled and the host functions are made once per sandbox image
 * (sandbox-image.ts); each run calls the prelude. The guest code is only what must run in the
 * guest: `TSEnvironment.Value` and `GetVariables` (served from the snapshot without a host call),
 * the global accessors, the capture of intrinsics and `Math.random`'s reseeding. Every other
 * method is a host function, serving the current run, that the prelude freezes and places. Host functions
 * convert their arguments with the `String` the prelude captured, answer with guest values (objects
 * through the captured `JSON.parse`) and throw `Error`s made with the captured `Error`, so their
 * stack names the script's line. When the run is over (exit or a limit) they throw a frozen
 * sentinel and the host interrupts the guest.
 */

/** The host operations behind the guest API (one dispatcher on the host side, by name). */
export type GuestOperation =
  | "env.get"
  | "env.names"
  | "env.set"
  | "env.refuse"
  | "ui"
  | "wmi"
  | "reg.get"
  | "reg.exists"
  | "reg.list"
  | "file.exists"
  | "folder.exists"
  | "file.stat"
  | "dir.list"
  | "file.read"
  | "file.write"
  | "file.append"
  | "folder.create"
  | "env"
  | "write"
  | "log"
  | "now"
  | "sleep"
  | "exit";

/** The streams `__host.write` accepts. */
export const OUTPUT_STREAMS = ["output", "host", "verbose", "warning", "error", "information"] as const;

/** One of {@link OUTPUT_STREAMS}. */
export type OutputStream = (typeof OUTPUT_STREAMS)[number];

/** The levels `__host.log` accepts. */
export const LOG_LEVELS = ["info", "warning", "error"] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The file name guest code is compiled under; error positions refer to it. */
export const SCRIPT_FILE_NAME = "script.js";

/** The file name a language runtime (the PowerShell-style prelude) is compiled under. */
export const RUNTIME_FILE_NAME = "runtime.js";

/**
 * The prelude compiled once per sandbox image (sandbox-image.ts). It evaluates to a function
 * `(snapshot, parametersJson, environment, groups, seed, ...hostFunctions)`, called at the start of
 * each run before the script, that reseeds `Math.random` with `seed` (four 32-bit words, space-separated),
 * installs the globals above and
 * returns what the host uses: the intrinsics as they were before user code ran and the snapshot's
 * state, `[String, JSON.stringify, heap probe, JSON.parse, Error, run-over sentinel, snapshot object,
 * order flag object]`. The heap probe is
 * `(size) => new ArrayBuffer(size)` (the host asks it whether a thrown `null` is QuickJS's
 * out-of-memory signal). Accessor properties are made with `Object.defineProperty`'s defaults:
 * neither enumerable nor configurable.
 *
 * `groups` names the host functions that follow it, in order: space-separated names, one list per
 * group, lists separated by `|`: `__host`'s methods, `console`'s methods, and, with an environment,
 * the environment's (`GUEST_HOST_GROUPS` in this file).
 *
 * `environment` is 0 without an environment, else flags: 1 (present) and 2 (the snapshot's keys
 * are in `GetVariables` order: `GetVariables` is then `Object.keys` of the snapshot until a write
 * adds or removes a name, and a host call after that). The snapshot is `name U+0001 value U+0001 …`
 * (cheaper to read than JSON); values that cannot cross as raw text (U+0000, U+0001, surrogates) are
 * added to the snapshot object by the host afterwards. Reads of a name as the environment spells it need no host call;
 * other spellings (case, spaces) are answered by the host, which owns the name rules. The host's
 * `set` receives `length(name) ":" name value` and that string's length, and answers how the guest
 * keeps its snapshot up to date when the guest holds the name as written; otherwise it updates the
 * snapshot object itself (a deleted name holds `undefined`, which reads through the host as `""`).
 * Either clears the order flag (`o`) when a name is added or removed.
 */
export const GUEST_PRELUDE = compact(String.raw`(function (snapshot, parametersJson, environment, groups, seed) {
  "use strict";
  var G = globalThis, O = Object, F = O.freeze, D = O.defineProperty, J = JSON, S = String, stringify = J.stringify, keys = O.keys, a = arguments, n = 5, lists = groups.split("|");
  // Every run starts from one saved context, so Math.random is reseeded per run (xoshiro128**, four 32-bit words from the host).
  var w = seed.split(" "), s0 = w[0] >>> 0 || 1, s1 = w[1] >>> 0, s2 = w[2] >>> 0, s3 = w[3] >>> 0, imul = Math.imul;
  function next() {
    var m = imul(s1, 5), r = imul((m << 7) | (m >>> 25), 9), t = s1 << 9;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
    return r >>> 0;
  }
  D(Math, "random", { value: function random() { return ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992; }, writable: true, configurable: true });
  // An accessor, not a data property: QuickJS lets a script redefine a non-configurable data property of the global object.
  function text(v) { return v === undefined || v === null ? "" : S(v); }
  function install(name, value) { F(value); D(G, name, { get: F(function () { return value; }) }); }
  // The next host functions, frozen, under the names of one group (no user code has run: plain assignment is safe).
  function group(list) {
    var o = {};
    list = list.split(" ");
    for (var i = 0; i < list.length; i++) o[list[i]] = F(a[n++]);
    return o;
  }
  var host = group(lists[0]);
  host.parameters = F(J.parse(parametersJson));
  install("__host", host);
  install("console", group(lists[1]));
  if (environment) {
    var env = group(lists[2]), get = env.get, set = env.set, names = env.names, ui, x = O.create(null), order = { o: environment & 2 };
    for (var i = 0, s = snapshot.split("\x01"); i + 1 < s.length; i += 2) x[s[i]] = s[i + 1];
    install("TSEnvironment", {
      // One packed string and its length cross (the host notices a U+0000 the raw copy would cut). The host
      // answers how to keep x: 0 nothing (or it did so itself), 1 x[n] = v, 2 the same plus a new name, 3 delete x[n].
      Value: F(function (name, value) {
        if (arguments.length < 2) { if (typeof name === "string" && x[name] !== undefined) return x[name]; name = text(name); return get(name, name.length); }
        var n = text(name), v = text(value), p = n.length + ":" + n + v, k = set(p, p.length);
        if (k === 3) { delete x[n]; order.o = 0; } else if (k) { x[n] = v; if (k === 2) order.o = 0; }
      }),
      // keys() returns a fresh array: assigning its own indexes cannot reach a prototype setter.
      GetVariables: F(function () { return order.o ? keys(x) : names(); }),
      Create: env.Create,
      Clear: env.Clear,
    });
    // Compiled on first use (most scripts never show progress).
    D(G, "TsProgressUI", { get: F(function () { return ui || (ui = F(env.loadUi()(env.ui, F, D, S, stringify))); }) });
  }
  return [S, stringify, function (size) { return new ArrayBuffer(size); }, J.parse, Error, F(O.create(null)), x, order];
})`);

/**
 * The largest `length` a real array can have and still be dense under the sandbox's 128 MiB
 * memory ceiling: QuickJS-in-WebAssembly stores a dense array's elements as 8-byte values, so
 * 2^24 elements fill the whole ceiling. A longer array is sparse (or the receiver is not an
 * ordinary array at all), and the native loop of a built-in would walk up to 2^32 missing elements
 * without ever calling a function, where QuickJS checks its interrupt handler.
 */
export const DENSE_ARRAY_BOUND = 2 ** 24;

/**
 * Evaluated once in every sandbox image before anything else (sandbox-image.ts): replaces the
 * `Array.prototype` methods whose native loop runs over `this.length` without calling back into
 * JavaScript (so QuickJS never consults the interrupt handler, and a receiver such as
 * `{ length: 2 ** 32 }` would hang the host) with wrappers that call the original on the
 * receiver when it is an ordinary array no longer than {@link DENSE_ARRAY_BOUND}, and otherwise on
 * a proxy of it whose traps are guest functions: every element access is then a call, where the
 * interrupt handler runs, and the run ends with `ScriptTimeout` at its deadline. `concat`'s
 * arguments are boxed or proxied the same way; `flat` and `flatMap` are written in guest code.
 * `Proxy` is wrapped to remember the proxies scripts make (a proxy of an array passes
 * `Array.isArray` but may answer `length` differently on the original's own read). The originals
 * stay closed over here: user code, which runs later, can only reach the wrappers.
 */
export const GUEST_HARDENING = compact(String.raw`(function () {
  "use strict";
  var G = globalThis, O = Object, R = Reflect, NP = Proxy, apply = R.apply, rget = R.get, rhas = R.has, rset = R.set, rdel = R.deleteProperty, rdef = R.defineProperty;
  var create = O.create, gopd = O.getOwnPropertyDescriptor, defineProperty = O.defineProperty, isArray = Array.isArray, TE = TypeError, AP = Array.prototype, BOUND = ${DENSE_ARRAY_BOUND};
  var WS = WeakSet, wsHas = WS.prototype.has, wsAdd = WS.prototype.add, scripts = new WS(), ours = new WS(), spreadKey = Symbol.isConcatSpreadable, revocable = NP.revocable;
  function has(set, o) { return apply(wsHas, set, [o]); }
  function remember(set, o) { apply(wsAdd, set, [o]); return o; }
  function isObject(o) { return o !== null && (typeof o === "object" || typeof o === "function"); }
  function handler(spread) {
    var h = create(null);
    h.get = function (t, k) { return spread && k === spreadKey ? true : rget(t, k); };
    h.has = function (t, k) { return rhas(t, k); };
    h.set = function (t, k, v) { return rset(t, k, v); };
    h.deleteProperty = function (t, k) { return rdel(t, k); };
    h.defineProperty = function (t, k, d) { return rdef(t, k, d); };
    h.getOwnPropertyDescriptor = function (t, k) { return gopd(t, k); };
    return O.freeze(h);
  }
  var plain = handler(false), spreading = handler(true);
  function slow(o, h) { return remember(ours, new NP(o, h)); }
  // An ordinary array short enough to be dense, or one of the proxies made here: the original may run on it.
  function safe(o) { return has(ours, o) || (isArray(o) && !has(scripts, o) && o.length <= BOUND); }
  function desc(v) { var d = create(null); d.value = v; d.writable = true; d.enumerable = true; d.configurable = true; return d; }
  function put(a, i, v) { if (!rdef(a, i, desc(v))) throw new TE("Cannot define array element " + i); }
  function hidden(o, k, v) { var d = create(null); d.value = v; d.writable = true; d.configurable = true; defineProperty(o, k, d); }
  function wrap(name, original) {
    var f = {
      [name]() {
        var o = this;
        if (!isObject(o) || safe(o)) return apply(original, o, arguments);
        var p = slow(o, plain), r = apply(original, p, arguments);
        return r === p ? o : r;
      },
    }[name];
    var d = create(null);
    d.value = original.length;
    d.configurable = true;
    defineProperty(f, "length", d);
    hidden(AP, name, f);
  }
  var names = ["every", "some", "forEach", "map", "filter", "reduce", "reduceRight", "fill", "find", "findIndex", "findLast", "findLastIndex", "indexOf", "lastIndexOf",
    "includes", "join", "toLocaleString", "shift", "unshift", "reverse", "toReversed", "sort", "toSorted", "slice", "splice", "toSpliced", "copyWithin", "with"];
  var filter = AP.filter;
  for (var i = 0; i < names.length; i++) wrap(names[i], AP[names[i]]);
  // toString loops only through join (a wrapper for arrays); %TypedArray%.prototype shares it, so it stays the original.
  var concat = AP.concat;
  function spreadable(o) { var s = rget(o, spreadKey); return s !== undefined ? !!s : isArray(o); }
  function box(v) { var b = []; put(b, 0, v); hidden(b, spreadKey, true); return b; }
  hidden(AP, "concat", {
    concat(item) {
      var o = this, items = [], n = 0;
      if (o === null || o === undefined) return apply(concat, o, arguments);
      o = O(o);
      if (!safe(o)) {
        if (spreadable(o)) o = slow(o, spreading);
        else { var e = []; hidden(e, spreadKey, true); hidden(e, "constructor", isArray(o) ? rget(o, "constructor") : undefined); put(items, n++, o); o = e; }
      }
      for (var i = 0; i < arguments.length; i++) {
        var a = arguments[i];
        put(items, n++, !isObject(a) || safe(a) ? a : spreadable(a) ? slow(a, spreading) : box(a));
      }
      return apply(concat, o, items);
    },
  }.concat);
  function toLength(v) { var n = +v; if (n !== n || n <= 0) return 0; n = Math.floor(n); return n > 9007199254740991 ? 9007199254740991 : n; }
  function noop() { return false; }
  // ArraySpeciesCreate(o, 0), as the original filter does it, on a proxy of o whose length reads 0.
  var empty = create(null);
  empty.get = function (t, k) { return k === "length" ? 0 : rget(t, k); };
  O.freeze(empty);
  function speciesCreate(o) { return apply(filter, new NP(o, empty), [noop]); }
  function flatten(target, source, length, start, depth, mapper, self) {
    var n = start;
    for (var k = 0; k < length; k++) {
      if (!rhas(source, k)) continue;
      var el = rget(source, k);
      if (mapper) el = apply(mapper, self, [el, k, source]);
      if (depth > 0 && isArray(el)) n = flatten(target, el, toLength(rget(el, "length")), n, depth - 1);
      else { if (n >= 9007199254740991) throw new TE("Array too long"); put(target, n++, el); }
    }
    return n;
  }
  function object(v) { if (v === null || v === undefined) throw new TE("Array.prototype method called on null or undefined"); return O(v); }
  hidden(AP, "flat", {
    flat() {
      var o = object(this), length = toLength(rget(o, "length")), d = arguments[0], depth = 1;
      if (d !== undefined) { depth = +d; depth = depth !== depth || depth < 0 ? 0 : depth === Infinity ? depth : Math.trunc(depth); }
      var a = speciesCreate(o);
      flatten(a, o, length, 0, depth);
      return a;
    },
  }.flat);
  hidden(AP, "flatMap", {
    flatMap(mapper) {
      var o = object(this), length = toLength(rget(o, "length"));
      if (typeof mapper !== "function") throw new TE("flatMap mapper is not a function");
      var a = speciesCreate(o);
      flatten(a, o, length, 0, 1, mapper, arguments[1]);
      return a;
    },
  }.flatMap);
  var P = {
    Proxy: function Proxy(target, handler) {
      if (new.target === undefined) throw new TE("Constructor Proxy requires 'new'");
      return remember(scripts, new NP(target, handler));
    },
  }.Proxy;
  hidden(P, "revocable", {
    revocable(target, handler) { var r = revocable(target, handler); remember(scripts, r.proxy); return r; },
  }.revocable);
  hidden(G, "Proxy", P);
})();`);

/** The names of the host functions the prelude receives after `groups`, per group (see {@link GUEST_PRELUDE}). */
export const GUEST_HOST_GROUPS = {
  host: [
    "wmiQuery",
    "registryGet",
    "registryKeyExists",
    "registryList",
    "fileExists",
    "folderExists",
    "fileStat",
    "listDirectory",
    "readFile",
    "writeFile",
    "appendFile",
    "createFolder",
    "env",
    "write",
    "log",
    "now",
    "sleep",
    "exit",
  ],
  console: ["log", "info", "warn", "error", "debug"],
  environment: ["get", "set", "names", "Create", "Clear", "ui", "loadUi"],
} as const;

/**
 * The `TsProgressUI` object, evaluated by the host when a script first reads the global. It
 * evaluates to a function `(call, freeze, defineProperty, String, JSON.stringify)` of the host's `ui`
 * function `(method, argumentsJson)` and the prelude's captured intrinsics, and returns the object
 * of methods. It runs after user code, so it writes only with `defineProperty`.
 */
export const GUEST_PROGRESS_UI = compact(String.raw`(function (call, freeze, define, Str, stringify) {
  "use strict";
  var ui = {}, methods = ["ShowActionProgress", "ShowActionDetailedProgress", "ShowTSProgress", "ShowErrorDialog", "ShowMessage",
    "ShowMessageEx", "ShowRebootDialog", "ShowSwapMediaDialog", "ShowSwapMedia", "CloseProgressDialog"];
  function put(target, k, v) { define(target, k, { value: v, writable: true, enumerable: true, configurable: true }); }
  for (var m = 0; m < methods.length; m++) {
    (function (name) {
      put(ui, name, freeze(function () {
        var args = [];
        for (var i = 0; i < arguments.length; i++) {
          var a = arguments[i];
          put(args, i, a !== null && (typeof a === "object" || typeof a === "function" || typeof a === "symbol") ? Str(a) : a);
        }
        return call(name, stringify(args));
      }));
    })(methods[m]);
  }
  return ui;
})`);

/**
 * Evaluated only when a script fails: `(thrown, String, stringify)` → JSON `[1, name, message,
 * stack, code]` for an object, `[0, text]` otherwise. It receives the intrinsics the prelude
 * captured; its getters run under the run's deadline.
 */
export const GUEST_DESCRIBER = compact(String.raw`(function (e, Str, stringify) {
  "use strict";
  try {
    if (e !== null && (typeof e === "object" || typeof e === "function")) {
      var name = e.name, message = e.message, stack = e.stack, code = e.code;
      if (typeof message !== "string") message = Str(e);
      return stringify([1, typeof name === "string" ? name : "", message, typeof stack === "string" ? stack : "", typeof code === "string" ? code : ""]);
    }
    return stringify([0, typeof e === "symbol" ? "Symbol()" : Str(e)]);
  } catch (x) {
    return stringify([0, "(unprintable thrown value)"]);
  }
})`);

/** Drops indentation and whole-line comments (the sources above have no multi-line strings). */
function compact(source: string): string {
  return source
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("//"))
    .join("\n");
}
