/**
 * The answer-file settings Apply Windows Settings and Apply Network Settings record for Setup
 * Windows and ConfigMgr (spec/steps.md §10 behaviour 4, §21.4, §21.5). Secret values are written
 * as `%VAR%` references, which Setup Windows and ConfigMgr substitutes (variables.md §11 rule 9),
 * so no secret is stored in the file.
 */
import type { StepHandlerContext } from "@taskseq/engine";
import { optionalCapability } from "./device.js";
import { joinPath } from "./device.js";

/** One answer-file entry: a literal value or a reference to a (secret) variable. */
export type AnswerEntry = readonly [key: string, value: string];

/** The folder holding the answer-file fragments. */
export function answerFileFolder(ctx: StepHandlerContext): string {
  return joinPath(ctx.env.get("_SMSTSMDataPath") || "X:\\_SMSTaskSequence", "AnswerFile");
}

/** Writes `[section]` with the entries to `<folder>\<section>.ini` when the device has `files`; returns the path. */
export async function writeAnswerSection(ctx: StepHandlerContext, section: string, entries: readonly AnswerEntry[]): Promise<string | undefined> {
  const files = optionalCapability(ctx, "files");
  if (files === undefined) return undefined;
  const path = joinPath(answerFileFolder(ctx), `${section}.ini`);
  await files.write(path, [`[${section}]`, ...entries.map(([k, v]) => `${k}=${v}`), ""].join("\r\n"));
  return path;
}
