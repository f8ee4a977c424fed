/**
 * The "Capture and restore user state" pattern of the wizard (replace scenario: capture on the old
 * computer, restore on the new one).
 */
import { createGroup, createSequence, createStep, type TaskSequence } from "@taskseq/model";

/** Options of {@link createUserStateTemplate}. */
export interface UserStateTemplateOptions {
  /** Task sequence name. */
  readonly name?: string;
  /** USMT package ID. */
  readonly usmtPackageId: string;
  /** `capture` (old computer) or `restore` (new computer). */
  readonly mode: "capture" | "restore";
}

/**
 * Builds a capture (Request State Store, Capture User State, Release State Store) or a restore
 * (Request, Restore User State, Release) sequence. The steps between Request and Release continue
 * on error so that the store is always released (TS steps).
 *
 * @param options - USMT package and mode
 * @example
 * ```ts
 * const capture = createUserStateTemplate({ usmtPackageId: "CM100021", mode: "capture" });
 * ```
 */
export function createUserStateTemplate(options: UserStateTemplateOptions): TaskSequence {
  const capture = options.mode === "capture";
  const work = capture
    ? createStep("SMS_TaskSequence_CaptureUserStateAction", { UsmtPackageID: options.usmtPackageId, ContinueOnLockedFiles: true }, { name: "Capture User Files and Settings", continueOnError: true })
    : createStep("SMS_TaskSequence_RestoreUserStateAction", { UsmtRestorePackageID: options.usmtPackageId, ContinueOnRestore: true }, { name: "Restore User Files and Settings", continueOnError: true });
  return createSequence(
    [
      createGroup(capture ? "Capture User Files and Settings" : "Restore User Files and Settings", [
        createStep("SMS_TaskSequence_RequestStateStoreAction", { RequestType: options.mode, SMPRetryCount: 3, SMPRetryTime: 60 }, { name: "Request State Store" }),
        ...(capture ? [createStep("SMS_TaskSequence_CaptureWindowsSettingsAction", {}, { name: "Capture Windows Settings", continueOnError: true }), createStep("SMS_TaskSequence_CaptureNetworkSettingsAction", {}, { name: "Capture Network Settings", continueOnError: true })] : []),
        work,
        createStep("SMS_TaskSequence_ReleaseStateStoreAction", {}, { name: "Release State Store" }),
      ]),
    ],
    { name: options.name ?? (capture ? "Capture User State" : "Restore User State") },
  );
}
