/**
 * MDT scripts the SDK emulates wherever a command step runs them (docs/step-compatibility.md "MDT
 * steps"): the scripts whose whole effect is on the task sequence environment, which a command run
 * on the device could not reach.
 */
import type { StepHandler } from "@taskseq/engine";
import { mdtScriptOf } from "../mdt/script-command.js";
import { nextPhaseHandler } from "./zti-next-phase.js";

/** The emulations by lower-case script name (without `.wsf`). */
const EMULATED_SCRIPTS: ReadonlyMap<string, StepHandler> = new Map([["ztinextphase", nextPhaseHandler]]);

/**
 * The emulation of the MDT script `commandLine` runs (`mdtScriptOf`; the file name matched
 * case-insensitively, as Windows does), or `undefined` when the command line runs something else.
 */
export function mdtScriptEmulation(commandLine: string): StepHandler | undefined {
  const script = mdtScriptOf(commandLine);
  return script === undefined ? undefined : EMULATED_SCRIPTS.get(script.toLowerCase());
}
