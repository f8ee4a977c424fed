/**
 * The emulation of MDT's `ZTINextPhase.wsf` (the "Next Phase" steps of Lite Touch templates).
 */
import { nextPhase } from "../mdt/next-phase.js";
import { defineHandler } from "../internal/outcome.js";

/**
 * Emulates `ZTINextPhase.wsf` on the task sequence environment instead of running it on the device
 * (the script's own writes could not reach this engine's environment): sets `PHASE` to
 * `nextPhase(PHASE, DeploymentMethod)`, deletes it after STATERESTORE, leaves any other value
 * unchanged, logs what it did and exits `0`, as the script does. The built-in command steps use it
 * for every command line that runs `ZTINextPhase.wsf` (see `createBuiltinHandlers`).
 *
 * @example
 * ```ts
 * registry.register("Contoso_NextPhase", nextPhaseHandler);
 * ```
 */
export const nextPhaseHandler = defineHandler(async (ctx) => {
  const current = ctx.env.get("PHASE") ?? "";
  const method = ctx.env.get("DeploymentMethod") ?? "";
  const next = nextPhase(current, method);
  if (next === undefined) {
    ctx.log.info(`ZTINextPhase: PHASE "${current}" is not a Lite Touch phase (compared case-sensitively); PHASE is left unchanged.`);
  } else {
    ctx.env.set("PHASE", next);
    ctx.log.info(next === "" ? `ZTINextPhase: PHASE ${current} was the last phase; PHASE is now empty.` : `ZTINextPhase: PHASE ${current} -> ${next} (DeploymentMethod "${method}").`);
  }
  ctx.log.info("ZTINextPhase emulated by the SDK (not run on the device); return value 0.");
  return { exitCode: 0 };
});
