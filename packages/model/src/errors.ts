/**
 * The closed set of stable error codes used across every taskseq package.
 *
 * Codes are grouped by the layer that raises them. A code never changes meaning once released;
 * new codes are appended. Documented in `docs/errors.md`.
 */
export type TaskSeqErrorCode =
  // model
  | "InvalidArgument"
  | "NotFound"
  | "InvalidOperation"
  // xml
  | "XmlMalformed"
  | "XmlForbiddenDeclaration"
  | "XmlTooDeep"
  | "XmlTooLarge"
  | "XmlInvalidEncoding"
  | "NotASequence"
  | "ArchiveInvalid"
  | "ArchiveUnsafePath"
  | "ArchiveTooLarge"
  | "ArchiveMissingPart"
  // environment
  | "InvalidVariableName"
  | "ReadOnlyVariable"
  | "ValueTooLong"
  | "EnvironmentFull"
  | "SecretStoreUnavailable"
  // device
  | "AdapterMissing"
  | "WqlSyntax"
  | "WqlUnsupported"
  | "ProfileInvalid"
  | "DeviceOperationFailed"
  // engine
  | "StepTimeout"
  | "AccessDenied"
  | "InvalidSetting"
  | "UnsupportedStep"
  | "WrongEnvironment"
  | "NotSupportedOnMedia"
  | "ContentNotFound"
  | "UnexpectedRestart"
  | "ReadinessCheckFailed"
  | "ConditionError"
  | "ChildCycle"
  | "ChildDepthExceeded"
  | "ChildNotFound"
  | "ChildDisabled"
  | "StaleState"
  | "StateCorrupt"
  | "NoStateToResume"
  | "MaxRunTimeExceeded"
  | "Aborted"
  | "RestartNotPossible"
  // debugger
  | "DebuggerCancelled"
  // script
  | "ScriptTimeout"
  | "ScriptOutOfMemory"
  | "ScriptStackOverflow"
  | "ScriptError"
  | "ScriptUnsupported"
  | "ScriptOutputTooLarge"
  | "ScriptHostCallLimit"
  | "ScriptFileWriteLimit"
  | "ScriptFileReadLimit"
  // site
  | "DeploymentInvalid"
  | "ReferenceBroken"
  | "HighRiskBlocked"
  // cli
  | "UsageError";

/** Where in an input an error was found (1-based line and column, 0-based byte/char offset). */
export interface SourcePosition {
  /** 1-based line number. */
  readonly line?: number;
  /** 1-based column number. */
  readonly column?: number;
  /** 0-based character offset. */
  readonly offset?: number;
  /** A JSON path, index path or file path that locates the problem. */
  readonly path?: string;
}

/** Options for {@link TaskSeqError}. */
export interface TaskSeqErrorOptions {
  /** Where the problem is, when known. */
  readonly position?: SourcePosition;
  /** The underlying error. */
  readonly cause?: unknown;
  /** Extra structured facts (never secret values). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The one error class of taskseq. Every failure a caller can see carries a stable
 * {@link TaskSeqErrorCode}; messages are for people and may change.
 *
 * @example
 * ```ts
 * try { parseSequenceXml("<oops"); }
 * catch (e) { if (isTaskSeqError(e, "XmlMalformed")) console.log(e.position?.line); }
 * ```
 */
export class TaskSeqError extends Error {
  /** The stable error code. */
  readonly code: TaskSeqErrorCode;
  /** Where the problem is, when known. */
  readonly position: SourcePosition | undefined;
  /** Extra structured facts. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  /**
   * @param code - the stable code
   * @param message - a human-readable sentence
   * @param options - position, cause and details
   */
  constructor(code: TaskSeqErrorCode, message: string, options: TaskSeqErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TaskSeqError";
    this.code = code;
    this.position = options.position;
    this.details = options.details;
  }
}

/**
 * True when `value` is a {@link TaskSeqError}, optionally with the given code.
 *
 * @example
 * ```ts
 * if (isTaskSeqError(err, "ReadOnlyVariable")) { ... }
 * ```
 */
export function isTaskSeqError(value: unknown, code?: TaskSeqErrorCode): value is TaskSeqError {
  return value instanceof TaskSeqError && (code === undefined || value.code === code);
}

/** A fallible result: the value, or a typed error (quickjs-emscripten style). */
export type Result<T> = { readonly value: T; readonly error?: undefined } | { readonly value?: undefined; readonly error: TaskSeqError };
