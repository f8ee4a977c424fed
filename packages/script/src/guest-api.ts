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
 * ## Wire protocol (internal)
 *
 * The prelude talks to the host through one native function, `native(request)`, taking one string
 * `op:<length of a>:a` followed by `b` (one string crosses into the host faster than three) and
 * returning a JSON array: `[0, value]` success, `[1, message, code, hresult?]` error thrown in the
 * guest, `[2]` the run is over (exit or a limit): the prelude throws and the host interrupts.
 */

/** The host operations the prelude calls (one native function, dispatched by name). */
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
 * The prelude evaluated in every fresh context before the script. It evaluates to a function
 * `(native, load, snapshotJson, parametersJson, hasEnvironment)` that installs the globals above and
 * returns `[String, JSON.stringify]` as they were before user code ran (for the failure
 * describer) and a heap probe `(size) => new ArrayBuffer(size)` (the host asks it whether a
 * thrown `null` is QuickJS's out-of-memory signal). It captures every intrinsic it uses before user code runs, so tampering with
 * prototypes or globals afterwards cannot change how the bridges behave. The snapshot is a JSON
 * object of display name → value, so reads of a name as the environment spells it need no host
 * call; other spellings (case, spaces) are answered by the host, which owns the name rules.
 * `hasEnvironment` is `2` when the snapshot's keys are in `GetVariables` order (no name is an
 * array index, which objects list first): `GetVariables` is then `Object.keys` of the snapshot
 * until a write adds or removes a name, and a host call after that.
 *
 * Parsing costs about a microsecond per character in QuickJS-in-WebAssembly, so the source is
 * stripped of indentation and comment lines once, when this module loads.
 */
export const GUEST_PRELUDE = compact(String.raw`(function (native, load, snapshotJson, parametersJson, hasEnvironment) {
  "use strict";
  var G = globalThis, O = Object, R = Reflect, Str = String, ErrorCtor = Error;
  var freeze = O.freeze, define = O.defineProperty, create = O.create, keys = O.keys, setProto = O.setPrototypeOf;
  var apply = R.apply, parse = JSON.parse, stringify = JSON.stringify;
  var join = Array.prototype.join;
  function put(target, k, v) { define(target, k, { value: v, writable: true, enumerable: true, configurable: true }); }
  function fail(message, code, hresult) {
    var e = new ErrorCtor(message);
    define(e, "code", { value: code, enumerable: true });
    if (hresult !== undefined) define(e, "hresult", { value: hresult, enumerable: true });
    return e;
  }
  var OVER = freeze(create(null));
  function call(op, a, b) {
    if (a === undefined) a = "";
    var r = parse(native(op + ":" + a.length + ":" + a + (b === undefined ? "" : b)));
    if (r[0] === 0) return r[1];
    if (r[0] === 1) throw fail(r[1], r[2], r[3]);
    throw OVER;
  }
  function text(v) { return v === undefined || v === null ? "" : Str(v); }
  // Frozen plain functions (not bound ones: QuickJS calls a bound function through an extra trampoline).
  function fn(f) { return freeze(f); }
  // An accessor, not a data property: QuickJS lets a script redefine a non-configurable data property of the global object.
  function install(name, value) {
    var frozen = freeze(value);
    define(G, name, { get: fn(function () { return frozen; }), enumerable: false, configurable: false });
  }
  // The same, for an object made on the first read (by code that uses only what the prelude captured).
  function lazy(name, make) {
    var made;
    define(G, name, { get: fn(function () { if (made === undefined) made = freeze(make()); return made; }), enumerable: false, configurable: false });
  }
  if (hasEnvironment) {
    // exact: display name → value, the snapshot (kept up to date by writes); other spellings ask the host.
    // The host lists the snapshot in GetVariables order; until a write adds or removes a name, keys() is that list.
    var exact = setProto(parse(snapshotJson), null), inOrder = hasEnvironment === 2;
    install("TSEnvironment", {
      Value: fn(function (name, value) {
        if (arguments.length < 2) return typeof name === "string" && exact[name] !== undefined ? exact[name] : call("env.get", text(name));
        // The host answers [display name, display name the snapshot holds it under or null].
        var v = text(value), w = call("env.set", text(name), v);
        if (w[1] !== null) { if (v === "") { delete exact[w[1]]; inOrder = false; } else exact[w[1]] = v; }
        else if (v !== "") { exact[w[0]] = v; inOrder = false; }
      }),
      // keys() returns a fresh array: assigning its own indexes cannot reach a prototype setter.
      GetVariables: fn(function () { return inOrder ? keys(exact) : call("env.names"); }),
      Create: fn(function () { call("env.refuse", "Create"); }),
      Clear: fn(function () { call("env.refuse", "Clear"); }),
    });
    // Compiled on first use (most scripts never show progress): the host evaluates GUEST_PROGRESS_UI.
    lazy("TsProgressUI", function () { return load("ui")(call, fn, put, Str, stringify); });
  }
  function two(op) { return fn(function (a, b) { return call(op, text(a), text(b)); }); }
  function one(op) { return fn(function (a) { return call(op, text(a)); }); }
  var write = two("write");
  install("__host", {
    wmiQuery: two("wmi"), registryGet: two("reg.get"), registryKeyExists: one("reg.exists"), registryList: one("reg.list"),
    fileExists: one("file.exists"), folderExists: one("folder.exists"), fileStat: one("file.stat"), listDirectory: one("dir.list"),
    write: write, log: two("log"), now: fn(function () { return call("now"); }), sleep: one("sleep"),
    exit: fn(function (code) { call("exit", code === undefined ? "0" : text(code)); }),
    parameters: freeze(parse(parametersJson)),
  });
  function logTo(stream) {
    return fn(function () {
      var parts = [];
      for (var i = 0; i < arguments.length; i++) {
        var a = arguments[i], s;
        if (typeof a === "string") s = a;
        else if (a !== null && typeof a === "object") { try { s = stringify(a); } catch (e) { s = undefined; } if (s === undefined) s = Str(a); }
        else s = typeof a === "symbol" ? "Symbol()" : Str(a);
        put(parts, i, s);
      }
      write(stream, apply(join, parts, [" "]));
    });
  }
  install("console", { log: logTo("output"), info: logTo("information"), warn: logTo("warning"), error: logTo("error"), debug: logTo("verbose") });
  var Bytes = ArrayBuffer;
  return [Str, stringify, function (size) { return new Bytes(size); }];
})`);

/**
 * The `TsProgressUI` object, evaluated by the host when a script first reads the global (through
 * the prelude's second native function, `load("ui")`). It evaluates to a function `(call, fn, put,
 * String, JSON.stringify)` of the prelude's captured helpers and returns the object of methods.
 */
export const GUEST_PROGRESS_UI = compact(String.raw`(function (call, fn, put, Str, stringify) {
  "use strict";
  var ui = {}, methods = ["ShowActionProgress", "ShowActionDetailedProgress", "ShowTSProgress", "ShowErrorDialog", "ShowMessage",
    "ShowMessageEx", "ShowRebootDialog", "ShowSwapMediaDialog", "ShowSwapMedia", "CloseProgressDialog"];
  for (var m = 0; m < methods.length; m++) {
    (function (name) {
      put(ui, name, fn(function () {
        var args = [];
        for (var i = 0; i < arguments.length; i++) {
          var a = arguments[i];
          put(args, i, a !== null && (typeof a === "object" || typeof a === "function" || typeof a === "symbol") ? Str(a) : a);
        }
        return call("ui", name, stringify(args));
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
