import { TaskSeqError } from "@taskseq/model";

/** The custom text of a high-impact notification: three boxes of at most 255 characters. */
export interface HighImpactText {
  /** Title box. */
  readonly title: string;
  /** Message box. */
  readonly message: string;
  /** Confirmation box. */
  readonly confirmation: string;
}

/** "Run another program first" (Advanced tab). */
export interface RunFirstProgram {
  /** Package ID of the program. */
  readonly packageId: string;
  /** Program name. */
  readonly program: string;
  /** Run it before every run; otherwise only once per client. */
  readonly alwaysRun: boolean;
}

/** Task sequence properties that deployments and clients rely on. */
export interface TaskSequenceProperties {
  /** "Restart required" (shown to the user in Software Center). */
  readonly restartRequired: boolean;
  /** Download size in MB shown to the user. */
  readonly downloadSizeMb?: number;
  /** Estimated run time in minutes shown to the user. */
  readonly estimatedRunTimeMinutes?: number;
  /** A program that runs first (full OS only). */
  readonly runFirst?: RunFirstProgram;
  /** Maximum allowed run time in minutes; `0` = no limit (default 120). */
  readonly maxRunTimeMinutes: number;
  /** Boot image package ID (OS deployment sequences). */
  readonly bootImageId?: string;
  /** Platforms the sequence runs on (`Windows 10 x64`, `Windows 11 arm64`, `Windows Server x64`; see `profilePlatform`); absent = any platform. */
  readonly platforms?: readonly string[];
  /** High-impact task sequence: Software Center warns before it runs. */
  readonly highImpact: boolean;
  /** Custom high-impact notification text (only with `highImpact`). */
  readonly highImpactText?: HighImpactText;
}

/** Defaults of a new sequence. */
export const DEFAULT_PROPERTIES: TaskSequenceProperties = { restartRequired: false, maxRunTimeMinutes: 120, highImpact: false };

/** Length limit of each high-impact text box. */
export const MAX_HIGH_IMPACT_TEXT = 255;

/** Checks properties; throws `InvalidArgument` naming the first problem. */
export function validateProperties(p: TaskSequenceProperties): TaskSequenceProperties {
  const bad = (message: string): never => {
    throw new TaskSeqError("InvalidArgument", message);
  };
  const minutes = (name: string, value: number | undefined): void => {
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) bad(`${name} must be a whole number of at least 0, got ${value}.`);
  };
  minutes("Maximum allowed run time", p.maxRunTimeMinutes);
  minutes("Estimated run time", p.estimatedRunTimeMinutes);
  if (p.downloadSizeMb !== undefined && !(Number.isFinite(p.downloadSizeMb) && p.downloadSizeMb >= 0)) bad(`Download size must be at least 0 MB, got ${p.downloadSizeMb}.`);
  if (p.runFirst !== undefined && (p.runFirst.packageId.trim() === "" || p.runFirst.program.trim() === "")) bad("Run another program first needs a package and a program.");
  if (p.platforms !== undefined && (p.platforms.length === 0 || p.platforms.some((x) => x.trim() === ""))) bad("Platform restrictions need at least one platform name.");
  if (p.highImpactText !== undefined) {
    if (!p.highImpact) bad("Custom high-impact text needs the high-impact flag.");
    for (const [box, text] of Object.entries(p.highImpactText)) {
      if (typeof text !== "string" || text.trim() === "") bad(`The high-impact ${box} text is required when custom text is on.`);
      else if (text.length > MAX_HIGH_IMPACT_TEXT) bad(`The high-impact ${box} text has ${text.length} characters; at most ${MAX_HIGH_IMPACT_TEXT} are allowed.`);
    }
  }
  return p;
}
