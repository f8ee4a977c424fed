/**
 * `--lite-touch` of `run`, `debug` and `plan`: start an MDT Lite Touch sequence as MDT's
 * `LiteTouch.wsf` does (`liteTouchStart` of `@taskseq/steps`, docs/cli.md).
 */
import type { Device } from "@taskseq/device";
import type { RunVariables } from "@taskseq/engine";
import { liteTouchStart } from "@taskseq/steps";

/** The option's help text. */
export const LITE_TOUCH_HELP =
  "start as MDT's LiteTouch.wsf does: an empty PHASE becomes PREINSTALL in Windows PE (empty DeploymentType: NEWCOMPUTER) or VALIDATION in the full OS (REFRESH); DeploymentMethod is MEDIA when a drive holds \\Deploy\\Scripts\\Media.tag, else UNC when empty; values given with --var and the other layers win";

/** The run's variables, plus what `LiteTouch.wsf` sets on `device` before the sequence starts when `liteTouch` is true. */
export async function withLiteTouch(variables: RunVariables, device: Device, liteTouch: boolean | undefined): Promise<RunVariables> {
  return liteTouch === true ? (await liteTouchStart(device, variables)).variables : variables;
}
