import { CommanderError } from "commander";
import { isTaskSeqError } from "@taskseq/model";
import { EXIT_CODES, createCommandIo, createNodeIo } from "./cli-io.js";
import type { CliIo } from "./cli-io.js";
import { createProgram } from "./program.js";

/**
 * Runs the `taskseq` command line in-process and resolves to the exit code: 0 ok, 1 task
 * sequence failed or validation errors, 2 bad usage or bad input (with a one-line reason on
 * stderr), 3 restart pending. Never throws for bad input.
 *
 * @param argv - the arguments after the program name (`process.argv.slice(2)`)
 * @param io - output, working directory and file access; the process's by default
 * @example
 * ```ts
 * const out: string[] = [];
 * const code = await runCli(["validate", "ts.xml", "--json"], { ...createNodeIo(), stdout: (t) => out.push(t) });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo = createNodeIo()): Promise<number> {
  let exitCode: number = EXIT_CODES.ok;
  const program = createProgram(createCommandIo(io, (code) => (exitCode = code)));
  if (argv.length === 0) {
    io.stderr(program.helpInformation());
    return EXIT_CODES.usage;
  }
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    // Commander has already printed its own one-line message (or the help/version text).
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    const reason = isTaskSeqError(error) ? `${error.code}: ${error.message}${where(error.position)}` : `internal error: ${error instanceof Error ? error.message : String(error)}`;
    io.stderr(`taskseq: ${reason.replace(/\s*\n\s*/g, " ")}\n`);
    return EXIT_CODES.usage;
  }
}

function where(position: { readonly line?: number; readonly column?: number } | undefined): string {
  return position?.line === undefined ? "" : ` (line ${position.line}, column ${position.column ?? 1})`;
}
