import { readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Readable } from "node:stream";
import { TaskSeqError } from "@taskseq/model";

/**
 * Everything a command touches outside the process: injected so tests run `runCli` in-process
 * and embedders can capture output.
 */
export interface CliIo {
  /** Writes to standard output (text is written as given, newlines included). */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
  /** Directory that relative paths are resolved against. */
  readonly cwd: string;
  /** Reads a whole file (path already resolved against {@link CliIo.cwd}). */
  readonly readFile: (path: string) => Promise<Uint8Array>;
  /**
   * Reads a whole file synchronously (path already resolved against {@link CliIo.cwd}), for a
   * caller that cannot wait: `taskseq shell` reads a script's files while the script runs.
   */
  readonly readFileSync: (path: string) => Uint8Array;
  /** Writes a whole file (path already resolved against {@link CliIo.cwd}). */
  readonly writeFile: (path: string, data: Uint8Array) => Promise<void>;
  /** Standard input, for interactive commands (`taskseq debug`). */
  readonly stdin: Readable;
  /** True when standard error is a terminal: `run` and `resume` then draw a progress bar there (absent = not a terminal). */
  readonly stderrIsTTY?: boolean;
}

/** What a command receives: the I/O, path resolution and a way to set the exit code. */
export interface CommandIo extends CliIo {
  /** Resolves a path given on the command line against {@link CliIo.cwd}. */
  readonly resolve: (path: string) => string;
  /** Sets the process exit code the command ends with ({@link EXIT_CODES}). */
  readonly setExitCode: (code: number) => void;
}

/** The process exit codes of `taskseq` (docs/cli.md). */
export const EXIT_CODES = Object.freeze({
  /** Success. */
  ok: 0,
  /** The task sequence failed, or validation found errors. */
  failed: 1,
  /** Bad usage or bad input. */
  usage: 2,
  /** A restart is pending (run/resume). */
  restartPending: 3,
});

/**
 * The real process I/O (Node). Fields given in `overrides` replace the defaults;
 * `stderrIsTTY` is `process.stderr.isTTY`, or false when `overrides` replaces `stderr`.
 */
export function createNodeIo(overrides: Partial<CliIo> = {}): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    readFile: async (path) => new Uint8Array(await readFile(path)),
    readFileSync: (path) => new Uint8Array(readFileSync(path)),
    writeFile: (path, data) => writeFile(path, data),
    stdin: process.stdin,
    // A replaced stderr is not the process's terminal.
    stderrIsTTY: overrides.stderr === undefined && process.stderr.isTTY === true,
    ...overrides,
  };
}

/**
 * Adds path resolution and the exit-code setter to an I/O. A file the command cannot write (a
 * missing folder, a folder in the way, no permission) is a `TaskSeqError` `InvalidArgument`
 * naming the path, so the command exits 2 with that reason.
 */
export function createCommandIo(io: CliIo, setExitCode: (code: number) => void): CommandIo {
  const writeFile = async (path: string, data: Uint8Array): Promise<void> => {
    try {
      await io.writeFile(path, data);
    } catch (cause) {
      throw new TaskSeqError("InvalidArgument", `Cannot write ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause, position: { path } });
    }
  };
  return { ...io, writeFile, resolve: (path) => resolve(io.cwd, path), setExitCode };
}
