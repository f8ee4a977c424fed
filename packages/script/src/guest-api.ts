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
 *     Served from a snapshot passed in once; no host call.
 *   - `Value(name, value)` sets (value coerced to string, `""` deletes) through the host rules.
 *     A refusal throws an `Error` with `code` (`ReadOnlyVariable`, `InvalidVariableName`,
 *     `ValueTooLong`, `EnvironmentFull`) and `hresult` (`0x80070005`, `0x80070057`, `0x8007000E`).
 *   - `GetVariables()` → array of names (display casing), ascending ordinal case-insensitive order;
 *     a fresh snapshot per call.
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
 * The prelude talks to the host through one native function, `native(op, a, b)`, taking strings and
 * returning a JSON array: `[0, value]` success, `[1, message, code, hresult?]` error thrown in the
 * guest, `[2]` the run is over (exit or a limit): the prelude throws and the host interrupts.
 */

/** The host operations the prelude calls (one native function, dispatched by name). */
export type GuestOperation =
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
 * `(native, snapshotJson, parametersJson, hasEnvironment)` that installs the globals above and
 * returns the describer the host uses to read a thrown value (`[1, name, message, stack, code]` or
 * `[0, text]`, as JSON). It
 * captures every intrinsic it uses before user code runs, so tampering with prototypes or globals
 * afterwards cannot change how the bridges behave.
 */
export const GUEST_PRELUDE = String.raw`(function (native, snapshotJson, parametersJson, hasEnvironment) {
  "use strict";
  var G = globalThis, O = Object, R = Reflect;
  var freeze = O.freeze, define = O.defineProperty, create = O.create, keys = O.keys;
  var apply = R.apply, parse = JSON.parse, stringify = JSON.stringify, Str = String, ErrorCtor = Error;
  var charCodeAt = Str.prototype.charCodeAt, slice = Str.prototype.slice, toUpper = Str.prototype.toUpperCase;
  var sort = Array.prototype.sort, join = Array.prototype.join;

  function put(target, k, v) { define(target, k, { value: v, writable: true, enumerable: true, configurable: true }); }
  function fail(message, code, hresult) {
    var e = new ErrorCtor(message);
    define(e, "code", { value: code, enumerable: true });
    if (hresult !== undefined) define(e, "hresult", { value: hresult, enumerable: true });
    return e;
  }
  var OVER = freeze(create(null));
  function call(op, a, b) {
    var r = parse(native(op, a, b));
    if (r[0] === 0) return r[1];
    if (r[0] === 1) throw fail(r[1], r[2], r[3]);
    throw OVER;
  }
  function text(v) { return v === undefined || v === null ? "" : Str(v); }
  function key(name) {
    var s = text(name), i = 0, j = s.length;
    while (i < j && apply(charCodeAt, s, [i]) === 32) i++;
    while (j > i && apply(charCodeAt, s, [j - 1]) === 32) j--;
    var t = apply(slice, s, [i, j]);
    for (var k = 0; k < t.length; k++) if (apply(charCodeAt, t, [k]) > 127) return null;
    return t.length === 0 ? null : apply(toUpper, t, []);
  }
  function method(fn) { return freeze(fn); }
  // An accessor, not a data property: QuickJS lets a script redefine a non-configurable data property of the global object.
  function install(name, value) {
    var frozen = freeze(value);
    define(G, name, { get: method(function () { return frozen; }.bind(undefined)), enumerable: false, configurable: false });
  }

  if (hasEnvironment) {
    var store = create(null), rows = parse(snapshotJson);
    for (var n = 0; n < rows.length; n++) store[key(rows[n][0])] = freeze({ d: rows[n][0], v: rows[n][1] });
    install("TSEnvironment", {
      Value: method(function (name, value) {
        if (arguments.length < 2) {
          var k = key(name), e = k === null ? undefined : store[k];
          return e === undefined ? "" : e.v;
        }
        var v = text(value), display = call("env.set", text(name), v), k2 = key(display);
        if (v === "") delete store[k2];
        else { var old = store[k2]; store[k2] = freeze({ d: old === undefined ? display : old.d, v: v }); }
      }.bind(undefined)),
      GetVariables: method(function () {
        var ks = apply(sort, keys(store), []), out = [];
        for (var i = 0; i < ks.length; i++) put(out, i, store[ks[i]].d);
        return out;
      }.bind(undefined)),
      Create: method(function () { call("env.refuse", "Create"); }.bind(undefined)),
      Clear: method(function () { call("env.refuse", "Clear"); }.bind(undefined)),
    });
    var ui = create(null);
    var uiMethods = ["ShowActionProgress", "ShowActionDetailedProgress", "ShowTSProgress", "ShowErrorDialog", "ShowMessage",
      "ShowMessageEx", "ShowRebootDialog", "ShowSwapMediaDialog", "ShowSwapMedia", "CloseProgressDialog"];
    for (var m = 0; m < uiMethods.length; m++) {
      (function (name) {
        put(ui, name, method(function () {
          var args = [];
          for (var i = 0; i < arguments.length; i++) {
            var a = arguments[i];
            put(args, i, a !== null && (typeof a === "object" || typeof a === "function" || typeof a === "symbol") ? Str(a) : a);
          }
          return call("ui", name, stringify(args));
        }.bind(undefined)));
      })(uiMethods[m]);
    }
    install("TsProgressUI", ui);
  }

  function two(op) { return method(function (a, b) { return call(op, text(a), text(b)); }.bind(undefined)); }
  function one(op) { return method(function (a) { return call(op, text(a)); }.bind(undefined)); }
  var write = method(function (stream, value) { call("write", text(stream), text(value)); }.bind(undefined));
  install("__host", {
    wmiQuery: two("wmi"),
    registryGet: two("reg.get"),
    registryKeyExists: one("reg.exists"),
    registryList: one("reg.list"),
    fileExists: one("file.exists"),
    folderExists: one("folder.exists"),
    fileStat: one("file.stat"),
    listDirectory: one("dir.list"),
    write: write,
    log: method(function (level, value) { call("log", text(level), text(value)); }.bind(undefined)),
    now: method(function () { return call("now"); }.bind(undefined)),
    sleep: method(function (ms) { call("sleep", text(ms)); }.bind(undefined)),
    exit: method(function (code) { call("exit", code === undefined ? "0" : text(code)); }.bind(undefined)),
    parameters: freeze(parse(parametersJson)),
  });

  function format(args) {
    var parts = [];
    for (var i = 0; i < args.length; i++) {
      var a = args[i], s;
      if (typeof a === "string") s = a;
      else if (a !== null && typeof a === "object") { try { s = stringify(a); } catch (e) { s = Str(a); } if (s === undefined) s = Str(a); }
      else s = typeof a === "symbol" ? "Symbol()" : Str(a);
      put(parts, i, s);
    }
    return apply(join, parts, [" "]);
  }
  function logTo(stream) { return method(function () { write(stream, format(arguments)); }.bind(undefined)); }
  install("console", { log: logTo("output"), info: logTo("information"), warn: logTo("warning"), error: logTo("error"), debug: logTo("verbose") });

  return function describe(e) {
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
  };
})`;
