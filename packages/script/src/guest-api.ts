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
 *     `{ size, version?, modified } | null`; `listDirectory(path)` → `{ name, isFolder }[] | null`.
 *     A device capability the run lacks throws `AdapterMissing`.
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

/** The names of the host functions the prelude receives after `groups`, per group (see {@link GUEST_PRELUDE}). */
export const GUEST_HOST_GROUPS = {
  host: ["wmiQuery", "registryGet", "registryKeyExists", "registryList", "fileExists", "folderExists", "fileStat", "listDirectory", "write", "log", "now", "sleep", "exit"],
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
