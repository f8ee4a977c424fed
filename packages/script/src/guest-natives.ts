/**
 * Installs the guest API (guest-api.ts) in a fresh context: the host functions behind it, bound to
 * the run's host bridge, and the prelude that freezes and places them. Host functions are cheaper to
 * make than guest source is to compile, so everything that need not run in the guest is one.
 */
import type { QuickJSContext, QuickJSHandle, VmCallResult } from "quickjs-emscripten-core";
import { GUEST_HOST_GROUPS, GUEST_PRELUDE, GUEST_PROGRESS_UI } from "./guest-api.js";
import type { GuestOperation } from "./guest-api.js";
import { guestJson, NOT_RAW } from "./host-bridge.js";
import type { HostAnswer, HostBridge } from "./host-bridge.js";

/** The intrinsics the prelude captured before user code ran, by their index in its answer. */
export const GuestIntrinsic = {
  /** `String`. */
  string: 0,
  /** `JSON.stringify`. */
  stringify: 1,
  /** `(size) => new ArrayBuffer(size)`: whether the heap can still allocate. */
  heapProbe: 2,
  /** `JSON.parse`. */
  parse: 3,
  /** `Error`. */
  error: 4,
  /** The frozen object host functions throw once the run is over. */
  over: 5,
  /** `TSEnvironment`'s snapshot: display name → value. */
  snapshot: 6,
  /** `{ o }`: whether the snapshot's keys are in `GetVariables` order. */
  order: 7,
} as const;

/** An index of {@link GuestIntrinsic}. */
export type GuestIntrinsicIndex = (typeof GuestIntrinsic)[keyof typeof GuestIntrinsic];

/** The installed guest API of one context: the captured intrinsics, released by `dispose`. */
export interface InstalledGuestApi extends Disposable {
  /** A captured intrinsic (borrowed: valid until the API is disposed). */
  intrinsic(index: GuestIntrinsicIndex): QuickJSHandle;
}

type GuestResult = VmCallResult<QuickJSHandle>;
type HostFunction = (args: readonly QuickJSHandle[]) => GuestResult;

/** `__host`'s methods: the operation and how many arguments it takes (converted to strings). */
const HOST_METHODS: Readonly<Record<(typeof GUEST_HOST_GROUPS.host)[number], readonly [op: GuestOperation, arity: 0 | 1 | 2]>> = {
  wmiQuery: ["wmi", 2],
  registryGet: ["reg.get", 2],
  registryKeyExists: ["reg.exists", 1],
  registryList: ["reg.list", 1],
  fileExists: ["file.exists", 1],
  folderExists: ["folder.exists", 1],
  fileStat: ["file.stat", 1],
  listDirectory: ["dir.list", 1],
  write: ["write", 2],
  log: ["log", 2],
  now: ["now", 0],
  sleep: ["sleep", 1],
  exit: ["exit", 1],
};

/** `console`'s methods and the stream each writes to. */
const CONSOLE_STREAMS: Readonly<Record<(typeof GUEST_HOST_GROUPS.console)[number], string>> = {
  log: "output",
  info: "information",
  warn: "warning",
  error: "error",
  debug: "verbose",
};

/**
 * Installs the guest API of one run.
 *
 * @param context - the run's fresh context, before any user code
 * @param bridge - the run's host bridge
 * @param parameters - the run's parameters (`__host.parameters`)
 * @param withEnvironment - whether `TSEnvironment` and `TsProgressUI` exist
 * @param runOver - whether the run has ended (exit, a limit, the deadline): host functions then only throw the run-over sentinel
 */
export function installGuestApi(
  context: QuickJSContext,
  bridge: HostBridge,
  parameters: Readonly<Record<string, string>>,
  withEnvironment: boolean,
  runOver: () => boolean,
): InstalledGuestApi {
  let captured: QuickJSHandle | undefined;
  const cache = new Map<GuestIntrinsicIndex, QuickJSHandle>();
  const intrinsic = (index: GuestIntrinsicIndex): QuickJSHandle => {
    let handle = cache.get(index);
    if (handle === undefined) {
      if (captured === undefined) throw new Error("The guest API is not installed yet.");
      handle = context.getProp(captured, index);
      cache.set(index, handle);
    }
    return handle;
  };

  let lengthKey: QuickJSHandle | undefined;
  /** `String(v)` as the guest would convert it, `""` for `undefined` and `null`. */
  const text = (h: QuickJSHandle | undefined): string | { error: QuickJSHandle } => {
    if (h === undefined) return "";
    const type = context.typeof(h);
    if (type === "string") return stringFrom(h);
    if (type === "undefined" || (type === "object" && context.sameValue(h, context.null))) return "";
    return stringOf(h);
  };
  const stringOf = (h: QuickJSHandle): string | { error: QuickJSHandle } => {
    const r = context.callFunction(intrinsic(GuestIntrinsic.string), context.undefined, h);
    return r.error !== undefined ? r : r.value.consume(stringFrom);
  };
  /** A guest string, whole (see {@link wholeString}). */
  const stringFrom = (h: QuickJSHandle): string | { error: QuickJSHandle } => {
    lengthKey ??= context.newString("length");
    return wholeString(h, context.getProp(h, lengthKey).consume((n) => context.getNumber(n)));
  };
  /** A guest string of `length` characters: the raw copy ends at a U+0000, so a string that holds one crosses again as JSON. */
  const wholeString = (h: QuickJSHandle, length: number): string | { error: QuickJSHandle } => {
    const raw = context.getString(h);
    if (raw.length === length) return raw;
    const json = context.callFunction(intrinsic(GuestIntrinsic.stringify), context.undefined, h);
    return json.error !== undefined ? json : json.value.consume((j) => JSON.parse(context.getString(j)) as string);
  };

  const toGuest = (value: unknown): GuestResult => {
    switch (typeof value) {
      case "string":
        if (!NOT_RAW.test(value)) return { value: context.newString(value) };
        break;
      case "number":
        return { value: context.newNumber(value) };
      case "boolean":
        return { value: value ? context.true : context.false };
      case "undefined":
        return { value: context.undefined };
      default:
        if (value === null) return { value: context.null };
    }
    return context.newString(guestJson(value)).consume((json) => context.callFunction(intrinsic(GuestIntrinsic.parse), context.undefined, json));
  };

  /** An `Error` made with the guest's captured constructor (its stack names the script's line), with `code` and `hresult`. */
  const guestError = (answer: Extract<HostAnswer, { kind: "error" }>): QuickJSHandle => {
    const message = toGuest(answer.message);
    if (message.error !== undefined) return message.error;
    const made = message.value.consume((m) => context.callFunction(intrinsic(GuestIntrinsic.error), context.undefined, m));
    if (made.error !== undefined) return made.error;
    context.newString(answer.code).consume((code) => context.defineProp(made.value, "code", { value: code, enumerable: true }));
    if (answer.hresult !== undefined) context.newNumber(answer.hresult).consume((hresult) => context.defineProp(made.value, "hresult", { value: hresult, enumerable: true }));
    return made.value;
  };

  const over = (): GuestResult => ({ error: intrinsic(GuestIntrinsic.over).dup() });
  const answer = (reply: HostAnswer): GuestResult => {
    if (reply.kind === "value") return toGuest(reply.value);
    if (reply.kind === "error") return { error: guestError(reply) };
    return over();
  };

  /** A request whose arguments are the first `arity` guest arguments as strings. */
  const request = (op: GuestOperation, args: readonly QuickJSHandle[], arity: 0 | 1 | 2): GuestResult => {
    const a = arity >= 1 ? text(args[0]) : "";
    if (typeof a !== "string") return a;
    const b = arity >= 2 ? text(args[1]) : "";
    if (typeof b !== "string") return b;
    return answer(bridge.dispatch(op, a, b));
  };

  /** A string the prelude made and the length it had in the guest (`TSEnvironment.Value` passes both). */
  const packedString = (args: readonly QuickJSHandle[]): string | { error: QuickJSHandle } => {
    const [h, n] = args;
    return h === undefined || n === undefined ? "" : wholeString(h, context.getNumber(n));
  };

  /**
   * `TSEnvironment.Value(name, value)` with `length(name) ":" name value`: the write, then how the
   * guest keeps its snapshot (see `GUEST_PRELUDE`); a name the guest holds spelled otherwise is
   * updated here.
   */
  const setVariable = (args: readonly QuickJSHandle[]): GuestResult => {
    const packed = packedString(args);
    if (typeof packed !== "string") return packed;
    const colon = packed.indexOf(":");
    const nameLength = Number(packed.slice(0, colon));
    const name = packed.slice(colon + 1, colon + 1 + nameLength);
    const value = packed.slice(colon + 1 + nameLength);
    const reply = bridge.dispatch("env.set", name, value);
    if (reply.kind !== "value") return answer(reply);
    const [display, held] = reply.value as [string, string | null];
    if (held === name) return { value: context.newNumber(value === "" ? 3 : 1) };
    if (held === null && value === "") return { value: context.newNumber(0) };
    if (held === null && display === name) return { value: context.newNumber(2) };
    if (held === null || value === "") context.setProp(intrinsic(GuestIntrinsic.order), "o", context.false);
    const stored = value === "" ? { value: context.undefined } : toGuest(value);
    if (stored.error !== undefined) return stored;
    stored.value.consume((v) => context.setProp(intrinsic(GuestIntrinsic.snapshot), held ?? display, v));
    return { value: context.newNumber(0) };
  };

  /** `console.*`: strings as they are, objects as JSON (or their string form), symbols as `Symbol()`. */
  const consoleWrite = (stream: string, args: readonly QuickJSHandle[]): GuestResult => {
    const parts: string[] = [];
    for (const h of args) {
      const type = context.typeof(h);
      let part: string | { error: QuickJSHandle } | undefined;
      if (type === "string") part = stringFrom(h);
      else if (type === "symbol") part = "Symbol()";
      else {
        if (type === "object" && !context.sameValue(h, context.null)) {
          const r = context.callFunction(intrinsic(GuestIntrinsic.stringify), context.undefined, h);
          if (r.error !== undefined) {
            if (runOver()) return r;
            r.error.dispose();
          } else part = r.value.consume((v) => (context.typeof(v) === "string" ? stringFrom(v) : undefined));
        }
        part ??= stringOf(h);
      }
      if (typeof part !== "string") return part;
      parts.push(part);
    }
    return answer(bridge.dispatch("write", stream, parts.join(" ")));
  };

  /** `__host.exit(code)`: a missing or `undefined` code is 0. */
  const exit = (args: readonly QuickJSHandle[]): GuestResult => {
    const code = args[0] === undefined || context.typeof(args[0]) === "undefined" ? "0" : text(args[0]);
    return typeof code === "string" ? answer(bridge.dispatch("exit", code, "")) : code;
  };
  const functions: [name: string, body: HostFunction][] = [];
  for (const [name, [op, arity]] of Object.entries(HOST_METHODS)) functions.push([name, op === "exit" ? exit : (args) => request(op, args, arity)]);
  for (const [name, stream] of Object.entries(CONSOLE_STREAMS)) functions.push([name, (args) => consoleWrite(stream, args)]);
  if (withEnvironment) {
    const environment: Readonly<Record<(typeof GUEST_HOST_GROUPS.environment)[number], HostFunction>> = {
      get: (args) => {
        const name = packedString(args);
        return typeof name === "string" ? answer(bridge.dispatch("env.get", name, "")) : name;
      },
      set: (args) => setVariable(args),
      names: (args) => request("env.names", args, 0),
      Create: () => answer(bridge.dispatch("env.refuse", "Create", "")),
      Clear: () => answer(bridge.dispatch("env.refuse", "Clear", "")),
      ui: (args) => request("ui", args, 2),
      loadUi: () => context.evalCode(GUEST_PROGRESS_UI, "prelude.js"),
    };
    for (const name of GUEST_HOST_GROUPS.environment) functions.push([name, environment[name]]);
  }

  const groups = [GUEST_HOST_GROUPS.host, GUEST_HOST_GROUPS.console, ...(withEnvironment ? [GUEST_HOST_GROUPS.environment] : [])].map((g) => g.join(" ")).join("|");
  const snapshot = bridge.snapshot();
  const args = [
    context.newString(snapshot.text),
    context.newString(JSON.stringify(parameters)),
    context.newNumber(withEnvironment ? 1 | (snapshot.inOrder ? 2 : 0) : 0),
    context.newString(groups),
    // Once the run is over a host function calls no guest code: QuickJS's interrupt is uncatchable
    // only when QuickJS throws it, so one raised in a nested call and passed on could be caught.
    ...functions.map(([name, body]) => context.newFunction(name, (...handles) => (runOver() ? over() : body(handles)))),
  ];
  try {
    const installer = context.unwrapResult(context.evalCode(GUEST_PRELUDE, "prelude.js"));
    try {
      captured = context.unwrapResult(context.callFunction(installer, context.undefined, ...args));
    } finally {
      installer.dispose();
    }
  } finally {
    for (const handle of args) handle.dispose();
  }
  for (const [name, value] of snapshot.apart) {
    const guestValue = toGuest(value);
    if (guestValue.error !== undefined) {
      guestValue.error.dispose();
      throw new Error("A variable's value could not be passed into the sandbox.");
    }
    guestValue.value.consume((v) => context.setProp(intrinsic(GuestIntrinsic.snapshot), name, v));
  }
  const installed = captured;
  return {
    intrinsic,
    [Symbol.dispose]() {
      lengthKey?.dispose();
      for (const handle of cache.values()) handle.dispose();
      installed.dispose();
    },
  };
}
