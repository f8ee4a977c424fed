/**
 * The host side of `TsProgressUI` (spec/com-api.md §2): every call becomes a {@link ScriptUiEvent}
 * with its parameters validated (`ULONG` = integer 0–4294967295, else `E_INVALIDARG`) and its
 * strings secret-masked.
 */
import { firstMessageButton } from "@taskseq/device";
import { TaskSeqError } from "@taskseq/model";

/** Common fields of the progress and dialog events that show the task sequence banner. */
export interface ScriptUiBanner {
  /** `pszOrgName`. */
  readonly orgName: string;
  /** `pszTaskSequenceName`. */
  readonly taskSequenceName: string;
  /** `pszCustomTitle`. */
  readonly customTitle: string;
}

/** `ShowActionProgress` / `ShowActionDetailedProgress`: progress inside the current step. */
export interface ScriptActionProgressEvent extends ScriptUiBanner {
  /** Discriminator. */
  readonly type: "action-progress";
  /** `pszCurrentAction`. */
  readonly currentAction: string;
  /** `uStep`. */
  readonly step: number;
  /** `uMaxStep`. */
  readonly maxStep: number;
  /** `pszActionExecInfo`. */
  readonly actionExecInfo: string;
  /** `uActionExecStep`. */
  readonly actionExecStep: number;
  /** `uActionExecMaxStep`. */
  readonly actionExecMaxStep: number;
  /** `ShowActionDetailedProgress` only: `uDetailedStep` and `uDetailedMaxStep`. */
  readonly detail?: { readonly step: number; readonly maxStep: number };
  /** `actionExecStep / actionExecMaxStep` in percent; absent when the maximum is 0. */
  readonly percent?: number;
  /** True when `TSDisableProgressUI` is `true`: the event is still emitted, flagged hidden. */
  readonly hidden: boolean;
}

/** `ShowTSProgress`: overall task sequence progress. */
export interface ScriptTsProgressEvent extends ScriptUiBanner {
  /** Discriminator. */
  readonly type: "ts-progress";
  /** `pszCurrentAction`. */
  readonly currentAction: string;
  /** `uStep`. */
  readonly step: number;
  /** `uMaxStep`. */
  readonly maxStep: number;
  /** `step / maxStep` in percent; absent when the maximum is 0. */
  readonly percent?: number;
  /** True when `TSDisableProgressUI` is `true`. */
  readonly hidden: boolean;
}

/** `ShowErrorDialog`. */
export interface ScriptErrorDialogEvent extends ScriptUiBanner {
  /** Discriminator. */
  readonly type: "error-dialog";
  /** `pszErrorMessage`, or the default text when the script passed `""`. */
  readonly errorMessage: string;
  /** `uErrorCode`. */
  readonly errorCode: number;
  /** `uTimeoutInSeconds`. */
  readonly timeoutSeconds: number;
  /** `uWillReboot`. */
  readonly willReboot: boolean;
  /** `pszTaskSequenceStepName`. */
  readonly stepName: string;
}

/** `ShowMessage` / `ShowMessageEx`. */
export interface ScriptMessageEvent {
  /** Discriminator. */
  readonly type: "message";
  /** `pszText`. */
  readonly text: string;
  /** `pszCaption`. */
  readonly caption: string;
  /** `uType` as given: the low 4 bits are the buttons (0 OK … 6 Cancel/Try Again/Continue), the rest icon and option flags. */
  readonly buttons: number;
  /** The Win32 `MessageBox` answer given to `ShowMessageEx`; absent for `ShowMessage`. */
  readonly result?: number;
}

/** `ShowRebootDialog`. */
export interface ScriptRebootDialogEvent extends ScriptUiBanner {
  /** Discriminator. */
  readonly type: "reboot-dialog";
  /** `pszRebootMessage`. */
  readonly rebootMessage: string;
  /** `uErrorCode`. */
  readonly errorCode: number;
  /** `uTimeoutInSeconds`. */
  readonly timeoutSeconds: number;
}

/** `ShowSwapMediaDialog`. */
export interface ScriptSwapMediaEvent {
  /** Discriminator. */
  readonly type: "swap-media";
  /** `pszTaskSequenceName`. */
  readonly taskSequenceName: string;
  /** `uMediaNumber`. */
  readonly mediaNumber: number;
}

/** `CloseProgressDialog`. */
export interface ScriptCloseProgressEvent {
  /** Discriminator. */
  readonly type: "close-progress";
}

/** An event a script raised through `TsProgressUI`. */
export type ScriptUiEvent =
  | ScriptActionProgressEvent
  | ScriptTsProgressEvent
  | ScriptErrorDialogEvent
  | ScriptMessageEvent
  | ScriptRebootDialogEvent
  | ScriptSwapMediaEvent
  | ScriptCloseProgressEvent;

/** Answers `ShowMessageEx`: returns the Win32 button result for a message event (without `result`). */
export type MessageResponder = (event: ScriptMessageEvent) => number;

/**
 * The headless answer of spec/com-api.md §2.2: the first button of the message type (`uType`'s
 * low 4 bits; `0`→1, `1`→1, `2`→3, `3`→6, `4`→6, `5`→4, `6`→2), `firstMessageButton` of `@taskseq/device`.
 *
 * @example
 * ```ts
 * defaultMessageResponder({ type: "message", text: "Go?", caption: "", buttons: 4 }); // 6 (IDYES)
 * ```
 */
export const defaultMessageResponder: MessageResponder = (event) => firstMessageButton(event.buttons);

/** What the progress UI host needs from the run. */
export interface ProgressUiContext {
  /** Masks secret values. */
  readonly redact: (text: string) => string;
  /** True when `TSDisableProgressUI` is `true` at the time of the call. */
  readonly progressHidden: () => boolean;
  /** Answers `ShowMessageEx`. */
  readonly respond: MessageResponder;
}

/** The result of a `TsProgressUI` call: the event to emit and the value returned to the script. */
export interface ProgressUiCall {
  /** The event. */
  readonly event: ScriptUiEvent;
  /** `ShowMessageEx`'s answer; `undefined` for the other methods. */
  readonly returnValue: number | undefined;
}

const MAX_ULONG = 4_294_967_295;

class Args {
  private index = 0;
  constructor(
    private readonly method: string,
    private readonly values: readonly unknown[],
    private readonly redact: (text: string) => string,
  ) {}
  str(): string {
    const v = this.values[this.index++];
    return this.redact(v === undefined || v === null ? "" : String(v));
  }
  ulong(): number {
    const position = this.index;
    const v = this.values[this.index++];
    // spec/com-api.md §2.2: an integer 0–4294967295; anything else (booleans, strings, fractions) is E_INVALIDARG.
    const n = v;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > MAX_ULONG) {
      throw new TaskSeqError("InvalidArgument", `TsProgressUI.${this.method}: argument ${position + 1} must be an integer from 0 to ${MAX_ULONG}.`, {
        details: { hresult: 0x80070057 },
      });
    }
    return n;
  }
}

const percent = (value: number, max: number): { percent?: number } => (max === 0 ? {} : { percent: (value / max) * 100 });

function banner(a: Args): ScriptUiBanner {
  return { orgName: a.str(), taskSequenceName: a.str(), customTitle: a.str() };
}

function actionProgress(a: Args, hidden: boolean, detailed: boolean): ScriptActionProgressEvent {
  const head = banner(a);
  const currentAction = a.str();
  const step = a.ulong();
  const maxStep = a.ulong();
  const actionExecInfo = a.str();
  const actionExecStep = a.ulong();
  const actionExecMaxStep = a.ulong();
  const detail = detailed ? { detail: { step: a.ulong(), maxStep: a.ulong() } } : {};
  return {
    type: "action-progress",
    ...head,
    currentAction,
    step,
    maxStep,
    actionExecInfo,
    actionExecStep,
    actionExecMaxStep,
    ...detail,
    ...percent(actionExecStep, actionExecMaxStep),
    hidden,
  };
}

function errorDialog(a: Args): ScriptErrorDialogEvent {
  const head = banner(a);
  const message = a.str();
  const errorCode = a.ulong();
  const timeoutSeconds = a.ulong();
  const willReboot = a.ulong() !== 0;
  const stepName = a.str();
  const errorMessage =
    message !== ""
      ? message
      : `Task Sequence: ${head.taskSequenceName} has failed with the error code (0x${errorCode.toString(16).toUpperCase().padStart(8, "0")}). For more information, contact your system administrator or helpdesk operator.`;
  return { type: "error-dialog", ...head, errorMessage, errorCode, timeoutSeconds, willReboot, stepName };
}

function message(a: Args): ScriptMessageEvent {
  const text = a.str();
  const caption = a.str();
  // Any ULONG: uType also carries MessageBox icon and option flags (64 = MB_ICONINFORMATION).
  const buttons = a.ulong();
  return { type: "message", text, caption, buttons };
}

/** The `TsProgressUI` method names the sandbox offers (spec names plus the guest-API aliases). */
export const PROGRESS_UI_METHODS = [
  "ShowActionProgress",
  "ShowActionDetailedProgress",
  "ShowTSProgress",
  "ShowErrorDialog",
  "ShowMessage",
  "ShowMessageEx",
  "ShowRebootDialog",
  "ShowSwapMediaDialog",
  "ShowSwapMedia",
  "CloseProgressDialog",
] as const;

/** One of {@link PROGRESS_UI_METHODS}. */
export type ProgressUiMethod = (typeof PROGRESS_UI_METHODS)[number];

/**
 * Turns one `TsProgressUI` call into its event.
 *
 * @param method - the method name
 * @param args - the arguments in IDL order
 * @param context - redaction, hidden flag and message responder
 * @throws TaskSeqError `InvalidArgument` (HRESULT `0x80070057`) for a bad `ULONG`
 */
export function callProgressUi(method: ProgressUiMethod, args: readonly unknown[], context: ProgressUiContext): ProgressUiCall {
  const a = new Args(method, args, context.redact);
  switch (method) {
    case "ShowActionProgress":
    case "ShowActionDetailedProgress":
      return { event: actionProgress(a, context.progressHidden(), method === "ShowActionDetailedProgress"), returnValue: undefined };
    case "ShowTSProgress": {
      const head = banner(a);
      const currentAction = a.str();
      const step = a.ulong();
      const maxStep = a.ulong();
      const event: ScriptTsProgressEvent = { type: "ts-progress", ...head, currentAction, step, maxStep, ...percent(step, maxStep), hidden: context.progressHidden() };
      return { event, returnValue: undefined };
    }
    case "ShowErrorDialog":
      return { event: errorDialog(a), returnValue: undefined };
    case "ShowMessage":
      return { event: message(a), returnValue: undefined };
    case "ShowMessageEx": {
      const event = message(a);
      const result = context.respond(event);
      return { event: { ...event, result }, returnValue: result };
    }
    case "ShowRebootDialog": {
      const head = banner(a);
      const event: ScriptRebootDialogEvent = { type: "reboot-dialog", ...head, rebootMessage: a.str(), errorCode: a.ulong(), timeoutSeconds: a.ulong() };
      return { event, returnValue: undefined };
    }
    case "ShowSwapMediaDialog":
    case "ShowSwapMedia":
      return { event: { type: "swap-media", taskSequenceName: a.str(), mediaNumber: a.ulong() }, returnValue: undefined };
    case "CloseProgressDialog":
      return { event: { type: "close-progress" }, returnValue: undefined };
  }
}
