/**
 * The guest API (guest-api.ts) of a sandbox image: the host functions behind it and the compiled
 * prelude that freezes and places them are made once per image (sandbox-image.ts); each run then
 * only calls the prelude with its own data, and the host functions serve the current run's host
 * bridge. Host functions are cheaper to make than guest source is to compile, so everything that
 * need not run in the guest is one.
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
/** How many guest arguments a host method reads (as strings; missing ones are `""`). */
type Arity = 0 | 1 | 2 | 3 | 4;
type HostBody = (run: GuestRun, args: readonly QuickJSHandle[]) => GuestResult;

/** `__host`'s methods: the operation and how many arguments it takes (converted to strings). */
const HOST_METHODS: Readonly<Record<(typeof GUEST_HOST_GROUPS.host)[number], readonly [op: GuestOperation, arity: Arity]>> = {
  wmiQuery: ["wmi", 2],
  registryGet: ["reg.get", 2],
  registryKeyExists: ["reg.exists", 1],
  registryList: ["reg.list", 1],
  fileExists: ["file.exists", 1],
  folderExists: ["folder.exists", 1],
  fileStat: ["file.stat", 1],
  listDirectory: ["dir.list", 1],
  readFile: ["file.read", 1],
  writeFile: ["file.write", 3],
  appendFile: ["file.append", 4],
  createFolder: ["folder.create", 1],
  env: ["env", 1],
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


/** What one run's host functions work with: the run's bridge and the intrinsics its prelude call captured. */
class GuestRun {
  private captured: QuickJSHandle | undefined;
  private readonly cache = new Map<GuestIntrinsicIndex, QuickJSHandle>();
  private lengthKey: QuickJSHandle | undefined;

  constructor(
    private readonly context: QuickJSContext,
    readonly bridge: HostBridge,
    readonly runOver: () => boolean,
  ) {}

  /** Takes the prelude call's answer (the captured intrinsics). */
  capture(answer: QuickJSHandle): void {
    this.captured = answer;
  }

  intrinsic(index: GuestIntrinsicIndex): QuickJSHandle {
    let handle = this.cache.get(index);
    if (handle === undefined) {
      if (this.captured === undefined) throw new Error("The guest API is not installed yet.");
      handle = this.context.getProp(this.captured, index);
      this.cache.set(index, handle);
    }
    return handle;
  }

  /** `String(v)` as the guest would convert it, `""` for `undefined` and `null`. */
  text(h: QuickJSHandle | undefined): string | { error: QuickJSHandle } {
    if (h === undefined) return "";
    const context = this.context;
    const type = context.typeof(h);
    if (type === "string") return this.stringFrom(h);
    if (type === "undefined" || (type === "object" && context.sameValue(h, context.null))) return "";
    return this.stringOf(h);
  }

  stringOf(h: QuickJSHandle): string | { error: QuickJSHandle } {
    const r = this.context.callFunction(this.intrinsic(GuestIntrinsic.string), this.context.undefined, h);
    return r.error !== undefined ? r : r.value.consume((s) => this.stringFrom(s));
  }

  /** A guest string, whole (see {@link GuestRun.wholeString}). */
  stringFrom(h: QuickJSHandle): string | { error: QuickJSHandle } {
    const context = this.context;
    this.lengthKey ??= context.newString("length");
    return this.wholeString(h, context.getProp(h, this.lengthKey).consume((n) => context.getNumber(n)));
  }

  /** A guest string of `length` characters: the raw copy ends at a U+0000, so a string that holds one crosses again as JSON. */
  wholeString(h: QuickJSHandle, length: number): string | { error: QuickJSHandle } {
    const context = this.context;
    const raw = context.getString(h);
    if (raw.length === length) return raw;
    const json = context.callFunction(this.intrinsic(GuestIntrinsic.stringify), context.undefined, h);
    return json.error !== undefined ? json : json.value.consume((j) => JSON.parse(context.getString(j)) as string);
  }

  /** A string the prelude made and the length it had in the guest (`TSEnvironment.Value` passes both). */
  packedString(args: readonly QuickJSHandle[]): string | { error: QuickJSHandle } {
    const [h, n] = args;
    return h === undefined || n === undefined ? "" : this.wholeString(h, this.context.getNumber(n));
  }

  toGuest(value: unknown): GuestResult {
    const context = this.context;
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
    return context.newString(guestJson(value)).consume((json) => context.callFunction(this.intrinsic(GuestIntrinsic.parse), context.undefined, json));
  }

  /** An `Error` made with the guest's captured constructor (its stack names the script's line), with `code` and `hresult`. */
  private guestError(answer: Extract<HostAnswer, { kind: "error" }>): QuickJSHandle {
    const context = this.context;
    const message = this.toGuest(answer.message);
    if (message.error !== undefined) return message.error;
    const made = message.value.consume((m) => context.callFunction(this.intrinsic(GuestIntrinsic.error), context.undefined, m));
    if (made.error !== undefined) return made.error;
    context.newString(answer.code).consume((code) => context.defineProp(made.value, "code", { value: code, enumerable: true }));
    if (answer.hresult !== undefined) context.newNumber(answer.hresult).consume((hresult) => context.defineProp(made.value, "hresult", { value: hresult, enumerable: true }));
    return made.value;
  }

  over(): GuestResult {
    return { error: this.intrinsic(GuestIntrinsic.over).dup() };
  }

  answer(reply: HostAnswer): GuestResult {
    if (reply.kind === "value") return this.toGuest(reply.value);
    if (reply.kind === "error") return { error: this.guestError(reply) };
    return this.over();
  }

  /** A request whose arguments are the first `arity` guest arguments as strings. */
  request(op: GuestOperation, args: readonly QuickJSHandle[], arity: Arity): GuestResult {
    const texts: string[] = [];
    for (let i = 0; i < arity; i++) {
      const text = this.text(args[i]);
      if (typeof text !== "string") return text;
      texts.push(text);
    }
    const [a = "", b = "", c = "", d = ""] = texts;
    return this.answer(this.bridge.dispatch(op, a, b, c, d));
  }

  /**
   * `TSEnvironment.Value(name, value)` with `length(name) ":" name value`: the write, then how the
   * guest keeps its snapshot (see `GUEST_PRELUDE`); a name the guest holds spelled otherwise is
   * updated here.
   */
  setVariable(args: readonly QuickJSHandle[]): GuestResult {
    const context = this.context;
    const packed = this.packedString(args);
    if (typeof packed !== "string") return packed;
    const colon = packed.indexOf(":");
    const nameLength = Number(packed.slice(0, colon));
    const name = packed.slice(colon + 1, colon + 1 + nameLength);
    const value = packed.slice(colon + 1 + nameLength);
    const reply = this.bridge.dispatch("env.set", name, value);
    if (reply.kind !== "value") return this.answer(reply);
    const [display, held] = reply.value as [string, string | null];
    if (held === name) return { value: context.newNumber(value === "" ? 3 : 1) };
    if (held === null && value === "") return { value: context.newNumber(0) };
    if (held === null && display === name) return { value: context.newNumber(2) };
    if (held === null || value === "") context.setProp(this.intrinsic(GuestIntrinsic.order), "o", context.false);
    const stored = value === "" ? { value: context.undefined } : this.toGuest(value);
    if (stored.error !== undefined) return stored;
    stored.value.consume((v) => context.setProp(this.intrinsic(GuestIntrinsic.snapshot), held ?? display, v));
    return { value: context.newNumber(0) };
  }

  /** `console.*`: strings as they are, objects as JSON (or their string form), symbols as `Symbol()`. */
  consoleWrite(stream: string, args: readonly QuickJSHandle[]): GuestResult {
    const context = this.context;
    const parts: string[] = [];
    for (const h of args) {
      const type = context.typeof(h);
      let part: string | { error: QuickJSHandle } | undefined;
      if (type === "string") part = this.stringFrom(h);
      else if (type === "symbol") part = "Symbol()";
      else {
        if (type === "object" && !context.sameValue(h, context.null)) {
          const r = context.callFunction(this.intrinsic(GuestIntrinsic.stringify), context.undefined, h);
          if (r.error !== undefined) {
            if (this.runOver()) return r;
            r.error.dispose();
          } else part = r.value.consume((v) => (context.typeof(v) === "string" ? this.stringFrom(v) : undefined));
        }
        part ??= this.stringOf(h);
      }
      if (typeof part !== "string") return part;
      parts.push(part);
    }
    return this.answer(this.bridge.dispatch("write", stream, parts.join(" ")));
  }

  /** `__host.exit(code)`: a missing or `undefined` code is 0. */
  exit(args: readonly QuickJSHandle[]): GuestResult {
    const code = args[0] === undefined || this.context.typeof(args[0]) === "undefined" ? "0" : this.text(args[0]);
    return typeof code === "string" ? this.answer(this.bridge.dispatch("exit", code, "")) : code;
  }

  /** `TsProgressUI`'s methods, compiled on the first read of the global. */
  loadUi(): GuestResult {
    return this.context.evalCode(GUEST_PROGRESS_UI, "prelude.js");
  }

  /** Releases the handles this run made. */
  release(): void {
    this.lengthKey?.dispose();
    for (const handle of this.cache.values()) handle.dispose();
    this.captured?.dispose();
  }
}

/** The host functions of each group, in {@link GUEST_HOST_GROUPS} order. */
const HOST_BODIES: Readonly<Record<keyof typeof GUEST_HOST_GROUPS, readonly HostBody[]>> = {
  host: GUEST_HOST_GROUPS.host.map((name): HostBody => {
    const [op, arity] = HOST_METHODS[name];
    return op === "exit" ? (run, args) => run.exit(args) : (run, args) => run.request(op, args, arity);
  }),
  console: GUEST_HOST_GROUPS.console.map((name): HostBody => {
    const stream = CONSOLE_STREAMS[name];
    return (run, args) => run.consoleWrite(stream, args);
  }),
  environment: GUEST_HOST_GROUPS.environment.map((name): HostBody => {
    switch (name) {
      case "get":
        return (run, args) => {
          const packed = run.packedString(args);
          return typeof packed === "string" ? run.answer(run.bridge.dispatch("env.get", packed, "")) : packed;
        };
      case "set":
        return (run, args) => run.setVariable(args);
      case "names":
        return (run, args) => run.request("env.names", args, 0);
      case "Create":
      case "Clear":
        return (run) => run.answer(run.bridge.dispatch("env.refuse", name, ""));
      case "ui":
        return (run, args) => run.request("ui", args, 2);
      case "loadUi":
        return (run) => run.loadUi();
    }
  }),
};

/** The guest API of one sandbox image: made once, before the image is saved; see {@link createGuestNatives}. */
export interface GuestNatives {
  /**
   * Installs the guest API of one run in the image's pristine context, before any user code: calls
   * the compiled prelude with the run's data and host functions serving `bridge` until the
   * returned value is disposed.
   *
   * @param bridge - the run's host bridge
   * @param parameters - the run's parameters (`__host.parameters`)
   * @param withEnvironment - whether `TSEnvironment` and `TsProgressUI` exist
   * @param runOver - whether the run has ended (exit, a limit, the deadline): host functions then only throw the run-over sentinel
   */
  install(bridge: HostBridge, parameters: Readonly<Record<string, string>>, withEnvironment: boolean, runOver: () => boolean): InstalledGuestApi;
}

/**
 * Makes an image's host functions and compiles the guest prelude in its context. The handles
 * live as long as the image (they are part of its saved memory).
 *
 * @param context - the image's context, before anything else runs in it
 */
export function createGuestNatives(context: QuickJSContext): GuestNatives {
  let current: GuestRun | undefined;
  const make = (group: keyof typeof GUEST_HOST_GROUPS): QuickJSHandle[] =>
    HOST_BODIES[group].map((body, i) =>
      context.newFunction(GUEST_HOST_GROUPS[group][i] ?? "", (...handles) => {
        const run = current;
        if (run === undefined) throw new Error("A host function was called outside a run.");
        // Once the run is over a host function calls no guest code: QuickJS's interrupt is uncatchable
        // only when QuickJS throws it, so one raised in a nested call and passed on could be caught.
        return run.runOver() ? run.over() : body(run, handles);
      }),
    );
  const functions = { host: make("host"), console: make("console"), environment: make("environment") };
  const installer = context.unwrapResult(context.evalCode(GUEST_PRELUDE, "prelude.js"));
  return {
    install(bridge, parameters, withEnvironment, runOver) {
      const run = new GuestRun(context, bridge, runOver);
      const groups = withEnvironment ? (["host", "console", "environment"] as const) : (["host", "console"] as const);
      const snapshot = bridge.snapshot();
      const data = [
        context.newString(snapshot.text),
        context.newString(JSON.stringify(parameters)),
        context.newNumber(withEnvironment ? 1 | (snapshot.inOrder ? 2 : 0) : 0),
        context.newString(groups.map((g) => GUEST_HOST_GROUPS[g].join(" ")).join("|")),
        context.newString(crypto.getRandomValues(new Uint32Array(4)).join(" ")),
      ];
      current = run;
      try {
        run.capture(context.unwrapResult(context.callFunction(installer, context.undefined, ...data, ...groups.flatMap((g) => functions[g]))));
        for (const [name, value] of snapshot.apart) {
          const guestValue = run.toGuest(value);
          if (guestValue.error !== undefined) {
            guestValue.error.dispose();
            throw new Error("A variable's value could not be passed into the sandbox.");
          }
          guestValue.value.consume((v) => context.setProp(run.intrinsic(GuestIntrinsic.snapshot), name, v));
        }
      } catch (error) {
        current = undefined;
        run.release();
        throw error;
      } finally {
        for (const handle of data) handle.dispose();
      }
      return {
        intrinsic: (index) => run.intrinsic(index),
        [Symbol.dispose]() {
          current = undefined;
          run.release();
        },
      };
    },
  };
}
