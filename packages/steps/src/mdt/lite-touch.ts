/**
 * The start of an MDT Lite Touch deployment: the variables MDT's `LiteTouch.wsf` sets before it
 * starts the task sequence engine (behaviour read from MDT 6.1's script; docs/step-compatibility.md
 * "Lite Touch start").
 */
import { requireCapability, type Device, type FilesCapability } from "@taskseq/device";
import type { RunVariables } from "@taskseq/engine";
import { createEnvironment } from "@taskseq/environment";
import { TaskSeqError } from "@taskseq/model";

/** The deployment types Lite Touch starts with (compared case-insensitively). */
export const LITE_TOUCH_DEPLOYMENT_TYPES = ["NEWCOMPUTER", "REFRESH", "REPLACE", "CUSTOM", "STATERESTORE"] as const;

/** The file that marks a drive as MDT deployment media, under each drive's root. */
export const MEDIA_TAG_PATH = "\\Deploy\\Scripts\\Media.tag";

/** The drive letters searched for {@link MEDIA_TAG_PATH}, in order. */
const DRIVE_LETTERS = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZ"].map((letter) => `${letter}:`);

/** What {@link liteTouchStart} found and decided. */
export interface LiteTouchStart {
  /** The given variables with the values Lite Touch set added to `runtime` (run-time values set before the first step). */
  readonly variables: RunVariables;
  /** Only the values Lite Touch set (`PHASE`, `DeploymentType`, `DeploymentMethod`), by name. */
  readonly set: Readonly<Record<string, string>>;
  /** True when it started in Windows PE (system drive `X:`). */
  readonly inWinPE: boolean;
  /** The drive holding {@link MEDIA_TAG_PATH}, e.g. `"D:"`; `undefined` when there are no deployment media. */
  readonly mediaDrive: string | undefined;
}

/**
 * The values the run would start with, by name, from the given layers with the engine's
 * precedence (variables.md §7): run-time values over media, or device over collection, variables.
 * The sequence's own defaults are not among them: `LiteTouch.wsf` runs before the task sequence
 * engine reads the sequence.
 */
function startingValues(variables: RunVariables): (name: string) => string {
  const { env, engine } = createEnvironment();
  engine.applyLayers({
    builtinDefaults: [],
    ...(variables.collections === undefined ? {} : { collections: variables.collections }),
    ...(variables.device === undefined ? {} : { device: variables.device }),
    ...(variables.media === undefined ? {} : { media: variables.media }),
  });
  for (const [name, value] of Object.entries(variables.runtime ?? {})) env.set(name, value);
  return (name) => env.get(name) ?? "";
}

/** The first drive, in letter order, holding {@link MEDIA_TAG_PATH}. */
async function findMediaDrive(files: FilesCapability): Promise<string | undefined> {
  for (const drive of DRIVE_LETTERS) if (await files.exists(`${drive}${MEDIA_TAG_PATH}`)) return drive;
  return undefined;
}

/** Refuses a deployment type Lite Touch does not start with (exact text, no trimming, any case). */
function checkDeploymentType(value: string): void {
  if (LITE_TOUCH_DEPLOYMENT_TYPES.some((t) => t === value.toUpperCase())) return;
  throw new TaskSeqError("InvalidSetting", `DeploymentType "${value}" is not a Lite Touch deployment type (${LITE_TOUCH_DEPLOYMENT_TYPES.join(", ")}): a Lite Touch deployment does not start.`, {
    details: { variable: "DeploymentType", value, allowed: LITE_TOUCH_DEPLOYMENT_TYPES },
  });
}

/**
 * Decides the variables `LiteTouch.wsf` sets before it starts the task sequence, on `device` and
 * over the run's `variables`; a value given there wins wherever the script only fills an empty one:
 *
 * - `PHASE` empty: in Windows PE (system drive `X:`) `PHASE=PREINSTALL` and, when empty,
 *   `DeploymentType=NEWCOMPUTER`; in the full OS `PHASE=VALIDATION` and, when empty,
 *   `DeploymentType=REFRESH`.
 * - `DeploymentMethod=MEDIA` when a drive holds `\Deploy\Scripts\Media.tag` (drives `A:`–`Z:`
 *   through the `files` capability, the first in letter order; set even over a given value, as the
 *   script does), else `DeploymentMethod=UNC` when empty.
 * - `DeploymentType` must then be one of {@link LITE_TOUCH_DEPLOYMENT_TYPES} (any case).
 *
 * Pass the result's `variables` to `Engine.run`: the values go to the run-time layer, as values set
 * before the first step.
 *
 * @param device - the device the run starts on (`os` and `files` capabilities)
 * @param variables - the run's variables (`RunOptions.variables`)
 * @returns the variables to run with, what was set, and what was found
 * @throws TaskSeqError `InvalidSetting` (details `variable`, `value`, `allowed`) for a deployment
 *   type Lite Touch does not start with; `AdapterMissing` without `os` or `files`; the environment's
 *   errors (`InvalidVariableName`, `ReadOnlyVariable`, `ValueTooLong`) for a bad given variable
 * @example
 * ```ts
 * const device = createSimulatedDevice(); // Windows PE, no media
 * const start = await liteTouchStart(device, { runtime: { OSDComputerName: "PC01" } });
 * start.set; // { PHASE: "PREINSTALL", DeploymentType: "NEWCOMPUTER", DeploymentMethod: "UNC" }
 * const engine = createEngine({ device, handlers: createBuiltinHandlers() });
 * const result = await engine.run(sequence, { variables: start.variables });
 * ```
 */
export async function liteTouchStart(device: Device, variables: RunVariables = {}): Promise<LiteTouchStart> {
  const os = requireCapability(device, "os");
  const files = requireCapability(device, "files");
  const given = startingValues(variables);
  const inWinPE = (await os.facts()).systemDrive.toUpperCase() === "X:";
  const mediaDrive = await findMediaDrive(files);
  const set: Record<string, string> = {};
  const current = (name: string): string => set[name] ?? given(name);
  if (current("PHASE") === "") {
    set["PHASE"] = inWinPE ? "PREINSTALL" : "VALIDATION";
    if (current("DeploymentType") === "") set["DeploymentType"] = inWinPE ? "NEWCOMPUTER" : "REFRESH";
  }
  if (mediaDrive !== undefined) set["DeploymentMethod"] = "MEDIA";
  else if (current("DeploymentMethod") === "") set["DeploymentMethod"] = "UNC";
  checkDeploymentType(current("DeploymentType"));
  return { variables: { ...variables, runtime: { ...variables.runtime, ...set } }, set, inWinPE, mediaDrive };
}
