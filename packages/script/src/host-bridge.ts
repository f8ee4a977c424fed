/**
 * The host side of the guest API (see guest-api.ts): one dispatcher that applies the run's rules,
 * counts host calls, captures output within its budget and records what the script did. Guest
 * values arrive as strings only; answers leave as plain values (objects as JSON, see {@link guestJson}).
 */
import { FILE_TEXT_ENCODINGS } from "@taskseq/device";
import type { FileTextEncoding } from "@taskseq/device";
import { TaskSeqError, checkVariableName, isTaskSeqError, variableNameKey } from "@taskseq/model";
import type { TaskSeqErrorCode } from "@taskseq/model";
import { LOG_LEVELS, OUTPUT_STREAMS } from "./guest-api.js";
import type { GuestOperation, LogLevel, OutputStream } from "./guest-api.js";
import { callProgressUi, PROGRESS_UI_METHODS } from "./progress-ui.js";
import type { MessageResponder, ProgressUiMethod, ScriptUiEvent } from "./progress-ui.js";
import { SECRET_MASK } from "@taskseq/environment";
import type { ScriptEnvironment } from "./script-environment.js";
import { adapterMissing, needAdapter } from "./script-device.js";
import type { ScriptDevice } from "./script-device.js";
import type { ScriptFileWrite } from "./file-writes.js";
import { ScriptFiles } from "./script-files.js";

/** A piece of text the script wrote to one of its streams. */
export interface ScriptOutputRecord {
  /** The stream. */
  readonly stream: OutputStream;
  /** The text, secret-masked. */
  readonly text: string;
}

/** A line the script (or the sandbox on its behalf) asked to write to smsts.log. */
export interface ScriptLogLine {
  /** Severity: `info` (type 1), `warning` (type 2), `error` (type 3). */
  readonly level: LogLevel;
  /** The text, secret-masked. */
  readonly text: string;
}

/** A variable the script set (or deleted: value `""`). Secret values are masked. */
export interface ScriptVariableChange {
  /** The name as written (trimmed). */
  readonly name: string;
  /** The new value (`""` = deleted), `********` when secret, secret text inside it masked. */
  readonly value: string;
  /** True when the variable is secret after the write. */
  readonly secret: boolean;
}

/** Why the host ended the run early. */
export interface HostAbort {
  /** The error code, or `undefined` for a normal `exit`. */
  readonly code: TaskSeqErrorCode | undefined;
  /** The message of the error. */
  readonly message: string;
}

/** What the host bridge needs from the run. */
export interface HostBridgeOptions {
  /** The environment, if the run has one. */
  readonly environment: ScriptEnvironment | undefined;
  /** The device. */
  readonly device: ScriptDevice;
  /** Masks every value that has been secret during the run. */
  readonly redact: (text: string) => string;
  /** Budget of captured characters. */
  readonly outputChars: number;
  /** Budget of host calls. */
  readonly hostCalls: number;
  /** Budget of file writes. */
  readonly fileWrites: number;
  /** Budget of characters written to files, paths included. */
  readonly fileWriteChars: number;
  /** Budget of bytes read from files. */
  readonly fileReadBytes: number;
  /** Start of the simulated clock, epoch ms. */
  readonly startTime: number;
  /** Answers `ShowMessageEx`. */
  readonly respond: MessageResponder;
  /** Receives every UI event as it happens. */
  readonly onEvent: ((event: ScriptUiEvent) => void) | undefined;
  /** Receives every file write and folder creation once recorded. */
  readonly onFileWrite?: ((write: ScriptFileWrite) => void) | undefined;
}

const MIN_EXIT = -2_147_483_648;
const MAX_EXIT = 4_294_967_295;
const HRESULT: Partial<Record<TaskSeqErrorCode, number>> = {
  ReadOnlyVariable: 0x80070005,
  AccessDenied: 0x80070005,
  InvalidVariableName: 0x80070057,
  ValueTooLong: 0x80070057,
  InvalidArgument: 0x80070057,
  EnvironmentFull: 0x8007000e,
};

/** The encoding a guest names for a file write (`""`: `utf-8`); `InvalidArgument` for another name. */
function fileEncoding(name: string): FileTextEncoding {
  if (name === "") return "utf-8";
  const encoding = FILE_TEXT_ENCODINGS.find((e) => e === name.toLowerCase());
  if (encoding === undefined) throw invalid(`Unknown file encoding ${JSON.stringify(name.slice(0, 32))}: use one of ${FILE_TEXT_ENCODINGS.join(", ")}.`);
  return encoding;
}

/** A property name that objects list before all others, in numeric order. */
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;

/**
 * Characters a string cannot carry into QuickJS as raw text: U+0000 ends it, a lone surrogate is
 * mangled on the way (any surrogate is refused, which is simpler and safe), and U+0001 separates
 * the snapshot's fields.
 */
// eslint-disable-next-line no-control-regex -- U+0000 and U+0001 are what it must find
export const NOT_RAW = /[\u0000\u0001\uD800-\uDFFF]/;

/** The variables a run's guest starts with (see {@link HostBridge.snapshot}). */
export interface GuestSnapshot {
  /** `name U+0001 value U+0001 …`. */
  readonly text: string;
  /** Variables whose values cannot cross as raw text: `[name, value]`. */
  readonly apart: readonly (readonly [string, string])[];
  /** Whether the guest's keys, once all are added, are in `GetVariables` order. */
  readonly inOrder: boolean;
}

/** What the host answers a guest request: a value, an error to throw in the guest, or the end of the run. */
export type HostAnswer =
  | { readonly kind: "value"; readonly value: unknown }
  | { readonly kind: "error"; readonly message: string; readonly code: TaskSeqErrorCode; readonly hresult: number | undefined }
  | { readonly kind: "over" };

const OVER: HostAnswer = { kind: "over" };

/** Serialises an answer's object for the guest: bigints as decimal strings, bytes as arrays of numbers. */
export function guestJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? Array.from(v) : v)) ?? "null";
}

/** The host bridge of one run. */
export class HostBridge {
  /** Captured stream writes. */
  readonly output: ScriptOutputRecord[] = [];
  /** Log lines. */
  readonly logLines: ScriptLogLine[] = [];
  /** UI events. */
  readonly events: ScriptUiEvent[] = [];
  /** Variable writes in order. */
  readonly changes: ScriptVariableChange[] = [];
  /** Files: reads, and the writes the script made (applied by the embedder after the run). */
  readonly files: ScriptFiles;
  /** Set when the run must end (exit or a limit). */
  abort: HostAbort | undefined;
  /** The exit code requested with `exit`. */
  exitCode = 0;
  private calls = 0;
  private captured = 0;
  private clock = 0;
  /** The names in the guest's snapshot, in `GetVariables` order. */
  private snapshotNames: readonly string[] = [];
  /** The names the guest's snapshot holds, as spelled there (made at the first write). */
  private guestNames: Set<string> | undefined;
  /** KEY → name of {@link HostBridge.guestNames}, made when a write spells an existing name otherwise. */
  private guestNamesByKey: Map<string, string> | undefined;

  constructor(private readonly options: HostBridgeOptions) {
    this.files = new ScriptFiles({
      view: options.device.files,
      writable: options.device.writableFiles === true,
      redact: options.redact,
      fileWrites: options.fileWrites,
      fileWriteChars: options.fileWriteChars,
      fileReadBytes: options.fileReadBytes,
      onWrite: options.onFileWrite,
    });
  }

  /**
   * The variables passed into the guest, in `GetVariables` order: `name U+0001 value U+0001 …` for
   * every value that crosses as raw text, and apart the others (a value holding U+0000, U+0001 or a
   * surrogate), which the host adds afterwards. `inOrder` tells whether the guest's `Object.keys` of
   * the snapshot is the `GetVariables` order (not when an entry came apart or a name is an array
   * index, which objects list first). Empty without an environment.
   */
  snapshot(): GuestSnapshot {
    const env = this.options.environment;
    if (env === undefined) return { text: "", apart: [], inOrder: false };
    const names = env.GetVariables();
    this.snapshotNames = names;
    const parts: string[] = [];
    const apart: [string, string][] = [];
    let inOrder = true;
    for (const name of names) {
      const value = env.get(name) ?? "";
      if (NOT_RAW.test(value)) apart.push([name, value]);
      else parts.push(name, value);
      if (inOrder && ARRAY_INDEX.test(name)) inOrder = false;
    }
    return { text: parts.join("\u0001"), apart, inOrder: inOrder && apart.length === 0 };
  }

  /**
   * Runs one guest request. Never throws: a failure is an error for the guest (message secret-masked),
   * and a request after the end of the run (exit or a limit) is answered with `over`.
   */
  dispatch(op: GuestOperation, a: string, b: string, c = "", d = ""): HostAnswer {
    if (this.abort !== undefined) return OVER;
    if (++this.calls > this.options.hostCalls) {
      this.end("ScriptHostCallLimit", `The script made more than ${this.options.hostCalls} host calls.`);
      return OVER;
    }
    try {
      const value = this.perform(op, a, b, c, d);
      return this.abort === undefined ? { kind: "value", value } : OVER;
    } catch (error) {
      const e = isTaskSeqError(error)
        ? error
        : new TaskSeqError("DeviceOperationFailed", "A device operation failed.", { cause: error });
      const hresult = HRESULT[e.code] ?? (typeof e.details?.["hresult"] === "number" ? e.details["hresult"] : undefined);
      return { kind: "error", message: this.options.redact(e.message), code: e.code, hresult };
    }
  }

  /** Ends the run with a typed error, or `undefined` for a normal exit (the first reason wins); the guest is interrupted at its next check. */
  end(code: TaskSeqErrorCode | undefined, message: string): void {
    this.abort ??= { code, message };
  }

  private capture(text: string): string {
    const masked = this.options.redact(text);
    this.captured += masked.length;
    if (this.captured > this.options.outputChars) {
      this.end("ScriptOutputTooLarge", `The script produced more than ${this.options.outputChars} characters of output.`);
    }
    return masked;
  }

  private perform(op: GuestOperation, a: string, b: string, c: string, d: string): unknown {
    const device = this.options.device;
    switch (op) {
      case "env.get":
        return this.environment().get(a) ?? "";
      case "env.names":
        return this.environment().GetVariables();
      case "env.set":
        return this.setVariable(a, b);
      case "env.refuse":
        this.log("warning", `TSEnvironment.${a}() is not available to scripts.`);
        throw new TaskSeqError("AccessDenied", `TSEnvironment.${a}() is not available to scripts.`);
      case "ui":
        return this.progressUi(a, b);
      case "wmi":
        return needAdapter(device.wmi, "wmi").query(a, b);
      case "reg.get":
        return needAdapter(device.registry, "registry").readValue(a, b) ?? null;
      case "reg.exists":
        return needAdapter(device.registry, "registry").keyExists(a);
      case "reg.list": {
        const registry = needAdapter(device.registry, "registry");
        if (registry.listKey === undefined) throw adapterMissing("registry listing");
        return registry.listKey(a) ?? null;
      }
      case "file.exists":
        return this.files.fileExists(a);
      case "folder.exists":
        return this.files.folderExists(a);
      case "file.stat":
        return this.files.stat(a);
      case "dir.list":
        return this.files.list(a);
      case "file.read":
        return this.withinLimits(() => this.files.readText(a));
      case "file.write":
        return this.withinLimits(() => this.files.write(a, { text: b, encoding: fileEncoding(c) }, false, this.now()));
      case "file.append":
        return this.withinLimits(() => this.files.write(a, { text: b, encoding: fileEncoding(c), ...(d === "false" ? {} : { keepFileEncoding: true }) }, true, this.now()));
      case "folder.create":
        return this.withinLimits(() => this.files.createFolder(a, this.now()));
      case "env":
        return this.processVariable(a);
      case "write":
        return this.write(a, b);
      case "log":
        if (!(LOG_LEVELS as readonly string[]).includes(a)) throw invalid(`Unknown log level ${JSON.stringify(a.slice(0, 32))}.`);
        return this.log(a as LogLevel, b);
      case "now":
        return this.now();
      case "sleep":
        return this.sleep(a);
      case "exit":
        return this.exit(a);
      default:
        throw invalid(`Unknown host operation ${JSON.stringify(String(op).slice(0, 32))}.`);
    }
  }

  /** The simulated clock, epoch ms. */
  private now(): number {
    return this.options.startTime + this.clock;
  }

  /** A file operation's answer (`null` for none); going past the run's file limits ends the run. */
  private withinLimits(operation: () => string | null | void): string | null {
    try {
      return operation() ?? null;
    } catch (error) {
      if (!isTaskSeqError(error, "ScriptFileWriteLimit") && !isTaskSeqError(error, "ScriptFileReadLimit")) throw error;
      this.end(error.code, error.message);
      return null;
    }
  }

  /** A process environment variable of the device (`$env:NAME`), case-insensitive; `""` when unset or without an `os` view. */
  private processVariable(name: string): string {
    const vars = this.options.device.os?.environmentVariables();
    if (vars === undefined) return "";
    const exact = Object.hasOwn(vars, name) ? vars[name] : undefined;
    if (exact !== undefined) return exact;
    const key = name.toLowerCase();
    for (const [k, v] of Object.entries(vars)) if (k.toLowerCase() === key) return v;
    return "";
  }

  private log(level: LogLevel, text: string): null {
    const masked = this.capture(text);
    if (this.abort === undefined) this.logLines.push({ level, text: masked });
    return null;
  }

  private write(stream: string, text: string): null {
    if (!(OUTPUT_STREAMS as readonly string[]).includes(stream)) throw invalid(`Unknown output stream ${JSON.stringify(stream.slice(0, 32))}.`);
    const masked = this.capture(text);
    if (this.abort === undefined) this.output.push({ stream: stream as OutputStream, text: masked });
    return null;
  }

  private sleep(ms: string): null {
    const n = Number(ms);
    if (!Number.isFinite(n) || n < 0) throw invalid("sleep needs a non-negative number of milliseconds.");
    this.clock += n;
    return null;
  }

  private exit(code: string): null {
    const n = Number(code);
    if (code.trim() === "" || !Number.isInteger(n) || n < MIN_EXIT || n > MAX_EXIT) {
      throw invalid(`Exit code must be an integer from ${MIN_EXIT} to ${MAX_EXIT}.`);
    }
    this.exitCode = n;
    this.end(undefined, `The script exited with code ${n}.`);
    return null;
  }

  private environment(): ScriptEnvironment {
    const env = this.options.environment;
    if (env === undefined) throw new TaskSeqError("InvalidOperation", "No task sequence environment is attached.");
    return env;
  }

  /**
   * Sets a variable; answers its display name and the display name the guest's snapshot holds it
   * under (`null` when the guest has no entry for it). The guest's entries are the environment's
   * names at the start of the run plus the writes made through here.
   */
  private setVariable(name: string, value: string): [string, string | null] {
    const env = this.environment();
    const check = checkVariableName(name);
    try {
      if (!check.ok) throw new TaskSeqError(check.code, check.message);
      env.set(check.name, value);
    } catch (error) {
      if (isTaskSeqError(error)) this.log("error", `TSEnvironment: failed to set variable ${check.ok ? check.name : name.slice(0, 64)}: ${error.message}`);
      throw error;
    }
    const secret = env.isSecret(check.name);
    // What the run reports and logs: a secret as the mask, and secret text copied into another variable masked too (com-api.md §1.2).
    const shown = secret && value !== "" ? SECRET_MASK : env.redact(value);
    this.changes.push({ name: check.name, value: shown, secret });
    this.log("info", `Set a global environment variable ${check.name}=${shown}`);
    const held = this.heldName(check.name);
    if (value === "") {
      if (held !== null) this.forgetGuestName(held);
    } else if (held === null) this.addGuestName(check.name);
    return [check.name, held];
  }

  /**
   * The name the guest's snapshot holds a variable under: as written, or spelled otherwise (looked up
   * by key, from an index made at the first write of a name not held as written; asking the
   * environment instead would cost a round trip per write in the worker runner).
   */
  private heldName(name: string): string | null {
    this.guestNames ??= new Set(this.snapshotNames);
    if (this.guestNames.has(name)) return name;
    this.guestNamesByKey ??= new Map([...this.guestNames].map((n) => [variableNameKey(n), n]));
    return this.guestNamesByKey.get(variableNameKey(name)) ?? null;
  }

  private addGuestName(name: string): void {
    this.guestNames?.add(name);
    this.guestNamesByKey?.set(variableNameKey(name), name);
  }

  private forgetGuestName(name: string): void {
    this.guestNames?.delete(name);
    this.guestNamesByKey?.delete(variableNameKey(name));
  }

  private progressUi(method: string, argsJson: string): number | null {
    if (!(PROGRESS_UI_METHODS as readonly string[]).includes(method)) throw invalid(`Unknown TsProgressUI method ${JSON.stringify(method.slice(0, 32))}.`);
    const args: unknown = JSON.parse(argsJson);
    const env = this.options.environment;
    const call = callProgressUi(method as ProgressUiMethod, Array.isArray(args) ? args : [], {
      redact: (text) => this.capture(text),
      progressHidden: () => (env?.get("TSDisableProgressUI") ?? "").toLowerCase() === "true",
      respond: this.options.respond,
    });
    if (this.abort !== undefined) return null;
    this.events.push(call.event);
    this.options.onEvent?.(call.event);
    return call.returnValue ?? null;
  }
}

function invalid(message: string): TaskSeqError {
  return new TaskSeqError("InvalidArgument", message);
}
