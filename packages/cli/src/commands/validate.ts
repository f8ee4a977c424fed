import type { Command } from "commander";
import { validateSequence } from "@taskseq/model";
import type { ValidationIssue } from "@taskseq/model";
import { createArchiveResolver } from "@taskseq/xml";
import type { ImportDiagnostic } from "@taskseq/xml";
import { EXIT_CODES } from "../cli-io.js";
import type { CommandIo } from "../cli-io.js";
import { loadSequences } from "../load-sequences.js";

/** One finding printed by `taskseq validate`. */
interface Finding {
  readonly severity: "error" | "warning" | "info";
  readonly code: string;
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

/**
 * Registers `taskseq validate FILE [--json]`: import diagnostics plus the model's validation;
 * exit 0 when there is no error, 1 otherwise.
 *
 * @example
 * ```sh
 * taskseq validate ts.xml --json
 * ```
 */
export function registerValidateCommand(program: Command, io: CommandIo): void {
  program
    .command("validate")
    .description("check a task sequence (.xml, .json or export .zip): import diagnostics and validation")
    .argument("<FILE>", "task sequence file")
    .option("--json", "print one JSON object instead of text")
    .action(async (file: string, options: { json?: boolean }) => {
      const loaded = await loadSequences(io, file);
      // Children of an export resolve among its own packages (spec/xml-format.md §11).
      const resolver = loaded.archive === undefined ? undefined : createArchiveResolver(loaded.archive);
      const sequences = await Promise.all(
        loaded.sequences.map(async (s) => ({
          source: s.source,
          findings: findings(s.diagnostics, resolver === undefined ? validateSequence(s.sequence) : await validateSequence(s.sequence, { resolver })),
        })),
      );
      const all = sequences.flatMap((s) => s.findings);
      const errors = all.filter((f) => f.severity === "error").length;
      const warnings = all.filter((f) => f.severity === "warning").length;
      if (options.json === true) {
        io.stdout(`${JSON.stringify({ valid: errors === 0, errors, warnings, sequences }, null, 2)}\n`);
      } else {
        for (const s of sequences) {
          for (const f of s.findings) io.stdout(`${s.source}${f.line === undefined ? "" : `:${f.line}:${f.column ?? 1}`}: ${f.severity} ${f.code}${f.path === "" ? "" : ` [${f.path}]`}: ${f.message}\n`);
        }
        io.stdout(`${errors} error(s), ${warnings} warning(s) in ${sequences.length} sequence(s)\n`);
      }
      io.setExitCode(errors === 0 ? EXIT_CODES.ok : EXIT_CODES.failed);
    });
}

/** Import diagnostics then validation issues; a validation issue repeating a diagnostic (same code and path) is dropped. */
function findings(diagnostics: readonly ImportDiagnostic[], issues: readonly ValidationIssue[]): Finding[] {
  const out: Finding[] = diagnostics.map((d) => ({
    severity: d.severity,
    code: d.code,
    path: d.position?.path ?? "",
    ...(d.position?.line === undefined ? {} : { line: d.position.line }),
    ...(d.position?.column === undefined ? {} : { column: d.position.column }),
    message: d.message,
  }));
  const seen = new Set(out.map((f) => `${f.code}|${f.path}`));
  for (const issue of issues) {
    if (!seen.has(`${issue.code}|${issue.path}`)) out.push({ severity: issue.severity, code: issue.code, path: issue.path, message: issue.message });
  }
  return out;
}
