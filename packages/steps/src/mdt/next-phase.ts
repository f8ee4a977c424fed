/**
 * The Lite Touch phases and MDT's `ZTINextPhase.wsf` transition between them (spec/steps.md §22.1;
 * behaviour read from MDT 6.1's script, docs/step-compatibility.md "MDT steps").
 */

/** The Lite Touch phases in order; MDT templates gate each phase group on `PHASE equals <phase>`. */
export const LITE_TOUCH_PHASES = ["VALIDATION", "STATECAPTURE", "PREINSTALL", "INSTALL", "POSTINSTALL", "STATERESTORE"] as const;

/** One of {@link LITE_TOUCH_PHASES}. */
export type LiteTouchPhase = (typeof LITE_TOUCH_PHASES)[number];

/**
 * The phase after `phase`, as `ZTINextPhase.wsf` decides it: VALIDATION → STATECAPTURE →
 * PREINSTALL → INSTALL → POSTINSTALL → STATERESTORE → `""` (done: the variable is emptied, which
 * deletes it). PREINSTALL skips INSTALL (→ POSTINSTALL) when `deploymentMethod` is exactly `OSD`.
 * Both values are compared exactly, case-sensitively, as the script does; any other `phase`
 * (empty, `CUSTOM`, another spelling) gives `undefined`: the script leaves `PHASE` unchanged.
 *
 * @param phase - the current `PHASE` value
 * @param deploymentMethod - the current `DeploymentMethod` value
 * @returns the next `PHASE` value, `""` after STATERESTORE, or `undefined` for "unchanged"
 * @example
 * ```ts
 * nextPhase("VALIDATION", "UNC");  // "STATECAPTURE"
 * nextPhase("PREINSTALL", "OSD");  // "POSTINSTALL"
 * nextPhase("STATERESTORE", "");   // ""
 * nextPhase("validation", "UNC");  // undefined (case-sensitive)
 * ```
 */
export function nextPhase(phase: string, deploymentMethod: string): LiteTouchPhase | "" | undefined {
  switch (phase) {
    case "VALIDATION":
      return "STATECAPTURE";
    case "STATECAPTURE":
      return "PREINSTALL";
    case "PREINSTALL":
      return deploymentMethod === "OSD" ? "POSTINSTALL" : "INSTALL";
    case "INSTALL":
      return "POSTINSTALL";
    case "POSTINSTALL":
      return "STATERESTORE";
    case "STATERESTORE":
      return "";
    default:
      return undefined;
  }
}
