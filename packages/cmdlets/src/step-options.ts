/**
 * The options every `New-CMTSStep*` and `New-CMTaskSequenceGroup` cmdlet shares: `-Name`,
 * `-Description`, `-Condition`, `-ContinueOnError`, `-Disable`.
 */
import { switchParameter, valueParameter } from "./parameter-binding.js";
import type { CmdletParameter } from "./parameter-binding.js";
import type { Condition } from "@taskseq/model";
import type { ParameterReader } from "./parameter-values.js";
import { readBoolean, readCondition, readText } from "./parameter-values.js";

/** Parameters shared by steps and groups. */
export const ITEM_PARAMETERS: readonly CmdletParameter[] = [
  valueParameter("Name", { mandatory: true, aliases: ["StepName"] }),
  valueParameter("Description", { aliases: ["StepDescription"] }),
  valueParameter("Condition", { aliases: ["Conditions"] }),
  switchParameter("ContinueOnError"),
  switchParameter("Disable", { aliases: ["Disabled", "DisableThisStep"] }),
];

/** The shared options read from a call. */
export interface ItemOptions {
  /** Name. */
  readonly name: string | undefined;
  /** Description. */
  readonly description: string | undefined;
  /** Condition, when given. */
  readonly condition: Condition | undefined;
  /** Continue on error. */
  readonly continueOnError: boolean;
  /** Disabled. */
  readonly disabled: boolean;
}

/** Reads the shared options. */
export function readItemOptions(r: ParameterReader): ItemOptions {
  return {
    name: readText(r, "Name"),
    description: readText(r, "Description"),
    condition: readCondition(r, "Condition"),
    continueOnError: readBoolean(r, "ContinueOnError") ?? false,
    disabled: readBoolean(r, "Disable") ?? false,
  };
}
