/**
 * Runs one script in a fresh QuickJS runtime and context under the run's limits, with the guest
 * API installed (guest-api.ts), and maps every way it can end to a result or a typed error.
 */
import RELEASE_SYNC from "@jitl/quickjs-wasmfile-release-sync";
import { TaskSeqError, isTaskSeqError } from "@taskseq/model";
import type { Result } from "@taskseq/model";
import type { QuickJSContext, QuickJSHandle, QuickJSSyncVariant, QuickJSWASMModule } from "quickjs-emscripten-core";
import type { ScriptFileWrite } from "./file-writes.js";
import { GUEST_DESCRIBER, RUNTIME_FILE_NAME, SCRIPT_FILE_NAME } from "./guest-api.js";
import { guestFailure, parseGuestThrown } from "./guest-failure.js";
import { GuestIntrinsic } from "./guest-natives.js";
import type { InstalledGuestApi } from "./guest-natives.js";
import { HostBridge } from "./host-bridge.js";
import type { ScriptLogLine, ScriptOutputRecord, ScriptVariableChange } from "./host-bridge.js";
import { defaultMessageResponder } from "./progress-ui.js";
import type { MessageResponder, ScriptUiEvent } from "./progress-ui.js";
import { createQuickJSModulePool } from "./quickjs-module-pool.js";
import type { QuickJSModulePool } from "./quickjs-module-pool.js";
import { createSandboxImages } from "./sandbox-image.js";
import type { SandboxImage, SandboxImages } from "./sandbox-image.js";
import type { ScriptDevice } from "./script-device.js";
import type { ScriptEnvironment } from "./script-environment.js";
import { resolveScriptLimits } from "./script-limits.js";
import type { ScriptLimits } from "./script-limits.js";

/** The languages the sandbox runs. */
export type ScriptLanguage = "javascript" | "powershell";

/** What to run. */
export interface ScriptRunRequest {
  /** `javascript` runs the source as is; `powershell` compiles the PowerShell-style subset first. */
  readonly language: ScriptLanguage;
  /** The script. */
  readonly source: string;
  /** Named parameters, visible as `__host.parameters` (strings). */
  readonly parameters?: Readonly<Record<string, string>>;
  /** PowerShell-style scripts: the argument text (`-Mode "Full" -Retries 3`) bound to the script's `param()` block. */
  readonly arguments?: string;
  /** The task sequence environment; without it `TSEnvironment` and `TsProgressUI` do not exist. */
  readonly environment?: ScriptEnvironment;
  /** What the script may reach on the device (WMI, registry, files, process environment; file writes and folder creations with `writableFiles`). */
  readonly device?: ScriptDevice;
  /** Resource limits of this run. */
  readonly limits?: ScriptLimits;
  /** Receives each `TsProgressUI` event as it happens. */
  readonly onEvent?: (event: ScriptUiEvent) => void;
  /**
   * Receives each file write and folder creation (`device.writableFiles`) as the script makes it,
   * secret-masked, one per call: a host that may lose the run's result (a worker thread it
   * terminates) keeps them; `mergeScriptFileWrites` turns them into the form of `fileWrites`.
   */
  readonly onFileWrite?: (write: ScriptFileWrite) => void;
  /** Answers `ShowMessageEx` (default: the first button, spec/com-api.md §2.2). */
  readonly respond?: MessageResponder;
  /** Start of the simulated clock `__host.now()`, epoch ms (default: the real time at the start). */
  readonly startTime?: number;
  /** Ends the run with `Aborted` (checked before the start and at every interrupt check). */
  readonly signal?: AbortSignal;
}

/** What a completed script did. */
export interface ScriptRunResult {
  /** The exit code (`__host.exit(code)`), 0 when the script ran to its end. */
  readonly exitCode: number;
  /** The text written to the `output` stream, one line per write, secret-masked. */
  readonly output: string;
  /** Every write to every stream, in order. */
  readonly records: readonly ScriptOutputRecord[];
  /** The variables the script set or deleted, in order (secret values masked). */
  readonly changedVariables: readonly ScriptVariableChange[];
  /** smsts.log lines of the run: the script's own and the sandbox's (variable writes, refusals). */
  readonly logLines: readonly ScriptLogLine[];
  /** The `TsProgressUI` events, in order. */
  readonly events: readonly ScriptUiEvent[];
  /**
   * The files the script wrote and the folders it created (`device.writableFiles`), one entry per
   * file in the order first written and one per folder created, text secret-masked: apply them in order with `applyScriptFileWrite`. A failed run
   * has them in its error's `details.fileWrites`.
   */
  readonly fileWrites: readonly ScriptFileWrite[];
}

/** Options of {@link createScriptRunner}. */
export interface ScriptRunnerOptions {
  /** The QuickJS build (default `@jitl/quickjs-wasmfile-release-sync`, pinned 0.32.0). */
  readonly variant?: QuickJSSyncVariant;
  /** Hard cap of each WebAssembly module's memory in bytes (default 128 MiB); `limits.memoryBytes` must not exceed it. */
  readonly memoryCeilingBytes?: number;
  /**
   * Turns PowerShell-style source into JavaScript for the sandbox (one program, or a runtime
   * prelude plus the compiled script); without it `powershell` fails with `ScriptUnsupported`.
   */
  readonly compilePowerShell?: (source: string, args: string | undefined) => Result<string | CompiledScript>;
  /** Monotonic clock in milliseconds for the time limit (default `performance.now`). */
  readonly monotonicNow?: () => number;
}

/** A compiled script: a runtime library evaluated first (as `runtime.js`), then the script itself. */
export interface CompiledScript {
  /** Runtime library shared by every script of the language. */
  readonly prelude: string;
  /** The compiled script (error lines refer to it). */
  readonly js: string;
}

/**
 * Runs scripts; owns a QuickJS module that is reused across runs and replaced after a failure. Each
 * run starts from a saved sandbox image (a context with the guest API and, for PowerShell-style
 * scripts, the language runtime in place), and the module's memory is put back to that image after
 * the run, so no run sees anything an earlier one did.
 */
export interface ScriptRunner extends Disposable {
  /**
   * Runs one script. Never throws: bad requests and every failure of the script come back as a
   * typed error (`ScriptTimeout`, `ScriptOutOfMemory`, `ScriptStackOverflow`, `ScriptError`,
   * `ScriptUnsupported`, `ScriptOutputTooLarge`, `ScriptHostCallLimit`, `ScriptFileWriteLimit`, `ScriptFileReadLimit`, `Aborted`, `InvalidArgument`).
   */
  run(request: ScriptRunRequest): Promise<Result<ScriptRunResult>>;
  /** How many QuickJS modules this runner created (1 unless one had to be replaced). */
  readonly modulesCreated: number;
}

/** Memory above the guest heap limit that the module keeps for the host's own bookkeeping. */
const HOST_HEADROOM = 8 * 1024 * 1024;
const DEFAULT_CEILING = 128 * 1024 * 1024;

/**
 * Creates a script runner.
 *
 * @param options - the QuickJS variant, the memory ceiling and the PowerShell compiler
 * @example
 * ```ts
 * using runner = createScriptRunner();
 * const { env } = createEnvironment();
 * const r = await runner.run({ language: "javascript", environment: env, source: `TSEnvironment.Value("Done", "yes")` });
 * if (r.error) throw r.error;
 * env.get("Done"); // "yes"
 * ```
 */
export function createScriptRunner(options: ScriptRunnerOptions = {}): ScriptRunner {
  const ceiling = options.memoryCeilingBytes ?? DEFAULT_CEILING;
  const variant = options.variant ?? RELEASE_SYNC;
  const pool = createQuickJSModulePool({ variant, memoryCeilingBytes: ceiling + HOST_HEADROOM });
  const images = new WeakMap<QuickJSWASMModule, SandboxImages>();
  const now = options.monotonicNow ?? (() => performance.now());
  return {
    async run(request) {
      try {
        const source = compile(request, options.compilePowerShell);
        const limits = resolveScriptLimits(request.limits, ceiling);
        const module = await pool.acquire();
        if (request.signal?.aborted === true) return { error: new TaskSeqError("Aborted", "The script run was aborted before it started.") };
        let moduleImages = images.get(module);
        if (moduleImages === undefined) {
          moduleImages = createSandboxImages(module, variant);
          images.set(module, moduleImages);
        }
        return runInModule(module, moduleImages, pool, source, request, limits, now);
      } catch (error) {
        return { error: isTaskSeqError(error) ? error : new TaskSeqError("ScriptError", "The sandbox failed to start.", { cause: error }) };
      }
    },
    get modulesCreated() {
      return pool.created;
    },
    [Symbol.dispose]() {
      pool[Symbol.dispose]();
    },
  };
}

function compile(request: ScriptRunRequest, compilePowerShell: ScriptRunnerOptions["compilePowerShell"]): CompiledScript {
  if (typeof request.source !== "string") throw new TaskSeqError("InvalidArgument", "Script source must be a string.");
  for (const [name, value] of Object.entries(request.parameters ?? {})) {
    if (typeof value !== "string") throw new TaskSeqError("InvalidArgument", `Script parameter ${JSON.stringify(name.slice(0, 64))} must be a string.`);
  }
  if (request.language === "javascript") return { prelude: "", js: request.source };
  if (request.language === "powershell") {
    if (compilePowerShell === undefined) throw new TaskSeqError("ScriptUnsupported", "PowerShell-style scripts are not available in this runner.");
    if (request.arguments !== undefined && typeof request.arguments !== "string") throw new TaskSeqError("InvalidArgument", "Script arguments must be a string.");
    const compiled = compilePowerShell(request.source, request.arguments);
    if (compiled.error !== undefined) throw compiled.error;
    return typeof compiled.value === "string" ? { prelude: "", js: compiled.value } : compiled.value;
  }
  throw new TaskSeqError("ScriptUnsupported", `Unknown script language ${JSON.stringify(String(request.language).slice(0, 32))}.`);
}

function runInModule(
  module: QuickJSWASMModule,
  images: SandboxImages,
  pool: QuickJSModulePool,
  source: CompiledScript,
  request: ScriptRunRequest,
  limits: Required<ScriptLimits>,
  now: () => number,
): Result<ScriptRunResult> {
  const environment = request.environment;
  const redact = environment === undefined ? (text: string): string => text : (text: string): string => environment.redact(text);
  const bridge = new HostBridge({
    environment,
    device: request.device ?? {},
    redact,
    outputChars: limits.outputChars,
    hostCalls: limits.hostCalls,
    fileWrites: limits.fileWrites,
    fileWriteChars: limits.fileWriteChars,
    fileReadBytes: limits.fileReadBytes,
    startTime: request.startTime ?? Date.now(),
    respond: request.respond ?? defaultMessageResponder,
    onEvent: request.onEvent,
    onFileWrite: request.onFileWrite,
  });
  const deadline = now() + limits.timeMs;
  let timedOut = false;
  const interrupt = (): boolean => {
    if (request.signal?.aborted === true) bridge.end("Aborted", "The script run was aborted.");
    if (bridge.abort !== undefined) return true;
    if (now() > deadline) timedOut = true;
    return timedOut;
  };
  let outcome: Result<true>;
  let healthy = true;
  try {
    const image = images.image(source.prelude, interrupt, limits.memoryBytes);
    image.interrupt = interrupt;
    try {
      image.runtime.setMemoryLimit(limits.memoryBytes);
      image.runtime.setMaxStackSize(limits.stackBytes);
      outcome = execute(image, bridge, image.prelude === source.prelude ? { prelude: "", js: source.js } : source, request, limits, redact, () => timedOut);
    } finally {
      image.interrupt = undefined;
    }
  } catch (error) {
    healthy = false;
    outcome = { error: hostFailure(error, timedOut) };
  }
  const outOfMemory = outcome.error !== undefined && outcome.error.code === "ScriptOutOfMemory";
  if (healthy && !outOfMemory) {
    try {
      images.restore();
    } catch {
      healthy = false;
    }
  }
  // A module whose memory grew to the ceiling, or that failed, is let go (a fresh one starts small).
  if (!healthy || outOfMemory) pool.discard(module);
  if (outcome.error !== undefined) return { error: withCapture(outcome.error, bridge) };
  return {
    value: {
      exitCode: bridge.exitCode,
      output: bridge.output.filter((r) => r.stream === "output").map((r) => r.text).join("\n"),
      records: bridge.output,
      changedVariables: bridge.changes,
      logLines: bridge.logLines,
      events: bridge.events,
      fileWrites: bridge.files.writes(),
    },
  };
}

/** Adds what the script wrote before it failed (streams, log lines, variables, files) to the error's details (already secret-masked). */
function withCapture(error: TaskSeqError, bridge: HostBridge): TaskSeqError {
  return new TaskSeqError(error.code, error.message, {
    ...(error.position === undefined ? {} : { position: error.position }),
    ...(error.cause === undefined ? {} : { cause: error.cause }),
    details: { ...error.details, logLines: bridge.logLines, output: bridge.output, changedVariables: bridge.changes, fileWrites: bridge.files.writes() },
  });
}

/** A failure of the sandbox itself (a WebAssembly trap, an allocation the host could not make). */
function hostFailure(error: unknown, timedOut: boolean): TaskSeqError {
  if (timedOut) return new TaskSeqError("ScriptTimeout", "The script ran past its time limit.");
  if (isTaskSeqError(error)) return error;
  const message = error instanceof Error ? error.message : "";
  if (/call stack/i.test(message)) return new TaskSeqError("ScriptStackOverflow", "The script exceeded its stack size.", { cause: error });
  return /memory|allocat/i.test(message) || error instanceof RangeError
    ? new TaskSeqError("ScriptOutOfMemory", "The script sandbox ran out of memory.", { cause: error })
    : new TaskSeqError("ScriptError", "The script sandbox failed.", { cause: error });
}

function execute(
  image: SandboxImage,
  bridge: HostBridge,
  source: CompiledScript,
  request: ScriptRunRequest,
  limits: Required<ScriptLimits>,
  redact: (text: string) => string,
  timedOut: () => boolean,
): Result<true> {
  const { context, runtime } = image;
  let guest: InstalledGuestApi;
  try {
    guest = image.natives.install(bridge, request.parameters ?? {}, request.environment !== undefined, () => bridge.abort !== undefined || timedOut());
  } catch (error) {
    // No user code has run yet: the heap could not hold the guest API (QuickJS-in-WebAssembly may trap instead of throwing).
    throw new TaskSeqError("ScriptOutOfMemory", "The script sandbox cannot hold the guest API within the run's memory limit.", { cause: error });
  }
  try {
    const evaluated = source.prelude === "" ? context.evalCode(source.js, SCRIPT_FILE_NAME) : evalWithPrelude(context, source);
    let failure: QuickJSHandle | undefined;
    let completion: QuickJSHandle | undefined;
    if (evaluated.error !== undefined) failure = evaluated.error;
    else completion = evaluated.value;
    try {
      if (failure === undefined) {
        const jobs = runtime.executePendingJobs(-1);
        if (jobs.error !== undefined) failure = jobs.error;
      }
      if (failure === undefined && completion !== undefined) failure = rejection(context, completion, () => heapExhausted(context, guest, context.null));
      const ended = endOf(bridge, timedOut);
      if (ended !== undefined) return ended;
      if (failure === undefined) return { value: true };
      if (heapExhausted(context, guest, failure)) return endOf(bridge, timedOut) ?? { error: outOfMemory() };
      runtime.setMemoryLimit(limits.memoryBytes + HOST_HEADROOM / 2);
      const described = callDescriber(context, guest, failure);
      const late = endOf(bridge, timedOut);
      if (late !== undefined) {
        described.dispose();
        return late;
      }
      if (described.error !== undefined) {
        described.error.dispose();
        return { error: outOfMemory() };
      }
      const json = described.value.consume((h) => context.getString(h));
      return { error: guestFailure(parseGuestThrown(json), redact) };
    } finally {
      failure?.dispose();
      completion?.dispose();
    }
  } finally {
    guest[Symbol.dispose]();
  }
}

/** What a heap that could not allocate must still have free to count as not exhausted. */
const HEAP_PROBE_BYTES = 64 * 1024;

function outOfMemory(): TaskSeqError {
  return new TaskSeqError("ScriptOutOfMemory", "The script ran out of memory.");
}

/**
 * Whether a thrown `null` is QuickJS's out-of-memory signal: when even the "out of memory" error
 * cannot be allocated (in the body or in a promise job) QuickJS throws `null`. A script may throw
 * `null` itself, so the heap decides: still under the run's limit, it cannot allocate a modest buffer.
 */
function heapExhausted(context: QuickJSContext, guest: InstalledGuestApi, thrown: QuickJSHandle): boolean {
  if (!context.sameValue(thrown, context.null)) return false;
  const allocated = context.newNumber(HEAP_PROBE_BYTES).consume((size) => context.callFunction(guest.intrinsic(GuestIntrinsic.heapProbe), context.undefined, size));
  if (allocated.error === undefined) {
    allocated.value.dispose();
    return false;
  }
  allocated.error.dispose();
  return true;
}

/** Evaluates the describer and applies it to the thrown value with the intrinsics the prelude captured. */
function callDescriber(context: QuickJSContext, guest: InstalledGuestApi, thrown: QuickJSHandle): ReturnType<QuickJSContext["callFunction"]> {
  const describer = context.evalCode(GUEST_DESCRIBER, "describer.js");
  if (describer.error !== undefined) return describer;
  return describer.value.consume((f) => context.callFunction(f, context.undefined, thrown, guest.intrinsic(GuestIntrinsic.string), guest.intrinsic(GuestIntrinsic.stringify)));
}

/** Evaluates a language runtime (as `runtime.js`), then the script if the runtime succeeded. */
function evalWithPrelude(context: QuickJSContext, source: CompiledScript): ReturnType<QuickJSContext["evalCode"]> {
  const runtime = context.evalCode(source.prelude, RUNTIME_FILE_NAME);
  if (runtime.error !== undefined) return runtime;
  runtime.value.dispose();
  return context.evalCode(source.js, SCRIPT_FILE_NAME);
}

/** The run's end decided by the host: exit (success) or a limit. */
function endOf(bridge: HostBridge, timedOut: () => boolean): Result<true> | undefined {
  const abort = bridge.abort;
  if (abort !== undefined) return abort.code === undefined ? { value: true } : { error: new TaskSeqError(abort.code, abort.message) };
  if (timedOut()) return { error: new TaskSeqError("ScriptTimeout", "The script ran past its time limit.") };
  return undefined;
}

/**
 * A rejected completion promise (an `async` main that threw) is the script's failure; a pending one is an error too,
 * unless the heap is exhausted (a job that could not be queued leaves its chain pending): then QuickJS's out-of-memory `null`.
 */
function rejection(context: QuickJSContext, completion: QuickJSHandle, exhausted: () => boolean): QuickJSHandle | undefined {
  const state = context.getPromiseState(completion);
  if (state.type === "rejected") return state.error;
  if (state.type === "pending") return exhausted() ? context.null : context.newError({ name: "Error", message: "The script's promise never settled (nothing can resolve it)." });
  if (!state.notAPromise) state.value.dispose();
  return undefined;
}
