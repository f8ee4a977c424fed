/**
 * The engine's smsts.log writer: level filtering, redaction through the environment, the log
 * sink and the `log` event.
 */
import type { EngineEventListener } from "./events.js";
import type { LogEntry, LogSink } from "./log-sink.js";
import type { LogType } from "./cmtrace.js";
import type { StepLogger } from "./step-handler.js";

/** `logLevel`: 0 verbose, 1 default, 2 warnings and errors, 3 errors only (logging.md §4). */
export type LogLevel = 0 | 1 | 2 | 3;

/** Options of {@link createRunLogger}. */
export interface RunLoggerOptions {
  /** The sink. */
  readonly sink: LogSink;
  /** Replaces secret values. */
  readonly redact: (text: string) => string;
  /** Event listener (receives `log` events). */
  readonly emit: EngineEventListener;
  /** Whether anyone receives events: no `log` event is built for nobody. */
  readonly listening: () => boolean;
  /** Engine clock. */
  readonly now: () => number;
  /** Verbosity. */
  readonly level: LogLevel;
  /** Thread ID written on every line. */
  readonly thread: number;
  /** Time-zone bias override (minutes); default the host's. */
  readonly bias?: number;
}

/** Writes engine and handler lines. */
export interface RunLogger {
  /**
   * Writes a line; `verbose` lines are written with type 1 only at level 0. `plain`: the message
   * is known to be plain text (`LogRecord.plain`).
   */
  write(type: LogType | "verbose", component: string, messageId: string, message: string, instruction?: number, plain?: boolean): void;
  /** A {@link StepLogger} for a handler. */
  forStep(component: string, instruction: number): StepLogger;
  /** The current instruction (attached to lines that do not name one). */
  instruction: number | undefined;
  /**
   * Until {@link RunLogger.release}, lines share the clock reading of the first one: for a few
   * lines the engine writes together, with nothing to wait for between them (a clock read costs
   * about 80 ns on a virtual machine, the lines microseconds). Lines read the clock each while
   * anyone receives events (a listener's code runs between them).
   */
  hold(): void;
  /** Ends {@link RunLogger.hold}. */
  release(): void;
}

function allowed(type: LogType | "verbose", level: LogLevel): boolean {
  if (type === "verbose") return level === 0;
  if (type === 1) return level <= 1;
  if (type === 2) return level <= 2;
  return true;
}

/** The message ID of the lines a step handler writes. */
const STEP_MESSAGE = "step";

/** Creates the engine's logger. */
export function createRunLogger(options: RunLoggerOptions): RunLogger {
  /** Lines of the same millisecond share one `Date` (a step writes several lines within one). */
  let time = new Date(Number.NaN);
  let holding = false;
  /** The clock reading shared while holding (`undefined`: not read yet). */
  let held: number | undefined;
  const logger: RunLogger = {
    instruction: undefined,
    write(type, component, messageId, message, instruction, plain) {
      if (!allowed(type, options.level)) return;
      const at = instruction ?? logger.instruction;
      const listening = options.listening();
      const ms = holding && !listening ? (held ??= options.now()) : options.now();
      if (ms !== time.getTime()) time = new Date(ms);
      const entry: LogEntry = {
        message: options.redact(message),
        time,
        component,
        type: type === "verbose" ? 1 : type,
        thread: options.thread,
        // The SDK module that wrote the line (logging.md §2): the engine's own lines, whatever their component; a handler's lines name none.
        file: messageId === STEP_MESSAGE ? "" : "engine.ts",
        messageId,
        bias: options.bias,
        instruction: at,
        plain: plain === true,
      };
      options.sink.write(entry);
      if (listening) options.emit({ type: "log", entry });
    },
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      held = undefined;
    },
    forStep(component, instruction) {
      return {
        info: (m) => logger.write(1, component, STEP_MESSAGE, m, instruction),
        warning: (m) => logger.write(2, component, STEP_MESSAGE, m, instruction),
        error: (m) => logger.write(3, component, STEP_MESSAGE, m, instruction),
        verbose: (m) => logger.write("verbose", component, STEP_MESSAGE, m, instruction),
      };
    },
  };
  return logger;
}

/** The smsts.log component of a step type (logging.md §5). */
export function stepComponent(type: string): string {
  switch (type) {
    case "":
    case "SMS_TaskSequence_RunCommandLineAction":
    case "SMS_TaskSequence_InstallSoftwareAction":
      return "InstallSoftware";
    case "SMS_TaskSequence_InstallApplicationAction":
      return "InstallApplication";
    case "SMS_TaskSequence_ApplyOperatingSystemAction":
    case "SMS_TaskSequence_ApplyDataImageAction":
      return "ApplyOperatingSystem";
    case "SMS_TaskSequence_SetupWindowsAndSMSAction":
      return "OSDSetupWindows";
    case "SMS_TaskSequence_RunPowerShellScriptAction":
      return "RunPowerShellScript";
  }
  if (type.startsWith("SMS_TaskSequence_")) return type.slice("SMS_TaskSequence_".length).replace(/Action$/, "");
  return MDT_SCRIPTS.get(type) ?? (type.startsWith("BDD_") ? `ZTI${type.slice(4)}` : type);
}

/** The script an MDT step type runs (its action, as MDT and ConfigMgr-integrated templates write it): MDT logs under the script's name. */
const MDT_SCRIPTS: ReadonlyMap<string, string> = new Map([
  ["BDD_Gather", "ZTIGather"],
  ["BDD_Validate", "ZTIValidate"],
  ["BDD_InstallOS", "LTIApply"],
  ["BDD_InstallApplication", "ZTIApplications"],
  ["BDD_InjectDrivers", "ZTIDrivers"],
  ["BDD_InstallRoles", "ZTIOSRole"],
  ["BDD_UninstallRoles", "ZTIOSRole"],
  ["BDD_RunPowerShellAction", "ZTIPowerShell"],
  ["BDD_InstallUpdatesOffline", "ZTIPatches"],
  ["BDD_InstallLanguagePacksOffline", "ZTIPatches"],
  ["BDD_InstallLanguagePacksOnline", "ZTILangPacksOnline"],
  ["BDD_RecoverDomainJoin", "ZTIDomainJoin"],
  ["BDD_UsePackage", "ZTISCCM"],
  ["BDD_ExecuteRunbook", "ZTIExecuteRunbook"],
  ["BDD_ConfigureADDS", "ZTIConfigureADDS"],
  ["BDD_ConfigureDNS", "ZTIConfigureDNS"],
  ["BDD_ConfigureDHCP", "ZTIConfigureDHCP"],
]);
