import { join } from "node:path";
import type { Command } from "commander";
import { parseRunRecord, renderRunReport, runRecordFromState, type RunRecord } from "@taskseq/inspect";
import { TaskSeqError } from "@taskseq/model";
import { createFileStateStore } from "@taskseq/node";
import type { CommandIo } from "../cli-io.js";

/** The file a recorded run is saved as in its state directory (`createRunRecorder` in `@taskseq/inspect`). */
export const RUN_RECORD_FILE = "run-record.json";

/**
 * Registers `taskseq report STATE_DIR --html OUT`: renders a run as one self-contained HTML page.
 * The run comes from `STATE_DIR/run-record.json` when present (a record saved through
 * `createRunRecorder`: timings, log lines, condition traces), otherwise from the engine's
 * persisted state in the directory (a run that is in progress or waiting for a restart).
 *
 * @example
 * ```sh
 * taskseq run ts.xml --state-dir ./state --stop-at-restart
 * taskseq report ./state --html report.html
 * ```
 */
export function registerReportCommand(program: Command, io: CommandIo): void {
  program
    .command("report")
    .description("render a run (from its state directory) as a self-contained HTML report")
    .argument("<STATE_DIR>", "the run's state directory (--state-dir of taskseq run)")
    .requiredOption("--html <OUT>", "write the HTML report to this file")
    .action(async (stateDir: string, o: { html: string }) => {
      const record = await loadRecord(io, io.resolve(stateDir), stateDir);
      await io.writeFile(io.resolve(o.html), new TextEncoder().encode(renderRunReport(record)));
    });
}

async function loadRecord(io: CommandIo, dir: string, given: string): Promise<RunRecord> {
  let saved: Uint8Array | undefined;
  try {
    saved = await io.readFile(join(dir, RUN_RECORD_FILE));
  } catch {
    saved = undefined;
  }
  if (saved !== undefined) return parseRunRecord(new TextDecoder().decode(saved));
  const stored = await createFileStateStore(dir).load();
  if (stored === undefined) throw new TaskSeqError("NotFound", `${given} holds neither ${RUN_RECORD_FILE} nor run state.`, { position: { path: given } });
  return await runRecordFromState(stored);
}
