/**
 * `taskseq debug FILE`: an interactive terminal debugger (execution.md §11) — a readline loop on
 * standard input that works in a plain terminal, under tmux and with piped input.
 */
import { createInterface } from "node:readline";
import type { Command } from "commander";
import type { BreakpointSpec, DebugPause, DebugSession, DebugStop, Engine, ResolvedTaskSequence, RunResult, RunVariables } from "@taskseq/engine";
import { isTaskSeqError, TaskSeqError } from "@taskseq/model";
import type { CommandIo } from "../cli-io.js";
import { loadSequences } from "../load-sequences.js";
import { LITE_TOUCH_HELP, withLiteTouch } from "./lite-touch-option.js";
import { collectPair, report, withCliEngine, type EngineCliOptions } from "./run-setup.js";

interface DebugCliOptions extends EngineCliOptions {
  readonly var?: readonly (readonly [string, string])[];
  readonly break?: readonly string[];
  readonly resume?: boolean;
  readonly discardState?: boolean;
  readonly liteTouch?: boolean;
}

const PROMPT = "(taskseq-debug) ";

const HELP = `Commands (a pause is before the instruction shown):
  step | s                 run up to and including the next step, then pause (a held failure is retried)
  next | n                 step over: at a group entry run the whole group, else like step
  run | r [TARGET]         run until a breakpoint, a failure or the end (or until TARGET: path or name)
  break | b                list breakpoints
  break TARGET             break before a step or group (index path such as 0.2, or name)
  break var [NAME]         break after NAME (or any variable not starting with _) changes
  break fail               break after any step fails (also failures ignored by continue-on-error)
  break clear [ID]         remove one breakpoint, or all
  vars [NAME]              the variables view (secrets masked); NAME may use * wildcards
  set NAME=VALUE           set a variable while paused (empty value deletes)
  set --secret NAME=VALUE  set a secret variable
  set current TARGET       Set Current: make a step current (prerequisites may be missing!)
  rerun                    run the failed step, or the last step that ran, again
  back [POSITION]          time travel: back before the last step (or to a history position)
  history                  the points back can go to
  where                    where the run is paused and why
  log [N]                  log location and the last N log lines (default 20)
  cancel                   end the debugger and fail the task sequence
  quit | q                 detach: the task sequence continues without the debugger
  help | h                 this help
`;


function describePause(p: DebugPause): string {
  const where = p.location.groups.length === 0 ? "" : ` in ${p.location.groups.join(" > ")}`;
  const lines = [`Paused (${p.reason}) before ${p.location.path} ${p.location.kind} "${p.location.name}"${where} [instruction ${p.location.index}]`, `  ${p.detail}`];
  if (p.failure !== undefined) lines.push(`  failure held: "${p.failure.name}" returned ${p.failure.exitCode}; step/rerun retries it, quit lets it fail the run`);
  if (p.breakpoints.length > 0) lines.push(`  breakpoint(s) ${p.breakpoints.join(", ")}`);
  for (const w of p.warnings) lines.push(`  warning ${w.code}: ${w.message}`);
  return `${lines.join("\n")}\n`;
}

/** `NAME` (case-insensitive) with `*` wildcards; empty matches every name. */
function nameMatcher(pattern: string): (name: string) => boolean {
  if (pattern === "") return () => true;
  const re = new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "i");
  return (name) => re.test(name);
}

function breakpointSpec(args: string): BreakpointSpec {
  const [head = "", ...rest] = args.split(/\s+/);
  const tail = rest.join(" ").trim();
  if (head === "var") return tail === "" ? { kind: "variable" } : { kind: "variable", name: tail };
  if (head === "fail" && tail === "") return { kind: "step-failed" };
  return { kind: "instruction", target: args };
}

function describeSpec(spec: BreakpointSpec): string {
  if (spec.kind === "instruction") return `before ${spec.target}`;
  if (spec.kind === "variable") return `variable ${spec.name ?? "(any)"} changes`;
  return "a step fails";
}

/** One debugger command; returns the new stop when the run moved. */
async function execute(session: DebugSession, io: CommandIo, line: string): Promise<DebugStop | undefined> {
  const trimmed = line.trim();
  const space = trimmed.search(/\s/);
  const cmd = (space < 0 ? trimmed : trimmed.slice(0, space)).toLowerCase();
  const args = space < 0 ? "" : trimmed.slice(space + 1).trim();
  const out = (text: string): undefined => void io.stdout(text);
  switch (cmd) {
    case "":
      return undefined;
    case "help":
    case "h":
      return out(HELP);
    case "step":
    case "s":
      return session.step();
    case "next":
    case "n":
      return session.stepOver();
    case "run":
    case "r":
    case "continue":
    case "c":
      return args === "" ? session.run() : session.runTo(args);
    case "rerun":
      return session.rerun();
    case "where":
    case "w":
      return out(session.pause === undefined ? "Running\n" : describePause(session.pause));
    case "vars": {
      const match = nameMatcher(args);
      return out(session.variables().filter((v) => match(v.name)).map((v) => `${v.name} = ${v.value}\n`).join(""));
    }
    case "set":
      return out(describePause(await setCommand(session, args)));
    case "break":
    case "b":
      return out(breakCommand(session, args));
    case "back":
      if (args !== "" && !/^\d+$/.test(args)) throw new TaskSeqError("UsageError", "back takes a history position (see history).");
      return out(describePause(await session.back(args === "" ? undefined : Number(args))));
    case "history":
      return out(session.history().map((h) => `${String(h.position).padStart(4)}  ${h.path.padEnd(8)} ${h.name}\n`).join("") || "No history yet\n");
    case "log": {
      const count = args === "" ? 20 : Number(args);
      if (!Number.isInteger(count) || count < 0) throw new TaskSeqError("UsageError", "log takes a line count.");
      const log = session.log();
      const lines = count === 0 ? [] : log.entries.slice(-count);
      return out(`Log: ${log.path ?? "(in memory)"}\n${lines.map((e) => `${e.type === 3 ? "E" : e.type === 2 ? "W" : "I"} ${e.component}: ${e.message}\n`).join("")}`);
    }
    case "cancel":
      return { kind: "finished", result: await session.cancel() };
    case "quit":
    case "q":
    case "exit":
      return { kind: "finished", result: await session.quit() };
    default:
      throw new TaskSeqError("UsageError", `Unknown command "${cmd}" (type help).`);
  }
}

async function setCommand(session: DebugSession, args: string): Promise<DebugPause> {
  const current = /^current\s+(.+)$/i.exec(args);
  if (current?.[1] !== undefined) return session.setCurrent(current[1].trim());
  const secret = /^--secret\s+/.exec(args);
  const [name, value] = collectPair(secret === null ? args : args.slice(secret[0].length))[0] ?? ["", ""];
  return session.setVariable(name, value, { secret: secret !== null });
}

function breakCommand(session: DebugSession, args: string): string {
  const clear = /^clear(?:\s+(\d+))?$/i.exec(args);
  if (clear !== null) {
    if (clear[1] === undefined) {
      session.clearBreakpoints();
      return "All breakpoints cleared\n";
    }
    if (!session.removeBreakpoint(Number(clear[1]))) throw new TaskSeqError("NotFound", `There is no breakpoint ${clear[1]}.`);
    return `Breakpoint ${clear[1]} cleared\n`;
  }
  if (args !== "") {
    const b = session.addBreakpoint(breakpointSpec(args));
    return `Breakpoint ${b.id}: ${describeSpec(b.spec)}${b.paths.length > 0 ? ` (${b.paths.join(", ")})` : ""}${b.reachable ? "" : " — unreachable: disabled or inside a disabled group"}\n`;
  }
  const all = session.breakpoints();
  return all.length === 0 ? "No breakpoints\n" : all.map((b) => `${b.id}: ${describeSpec(b.spec)}${b.paths.length > 0 ? ` (${b.paths.join(", ")})` : ""}${b.reachable ? "" : " — unreachable"}\n`).join("");
}

/** Reads commands until the run ends; end of input quits (the run continues without the debugger). */
async function loop(session: DebugSession, io: CommandIo): Promise<RunResult> {
  const rl = createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  try {
    let stop = await session.stopped();
    for (const b of session.breakpoints()) {
      if (b.spec.kind === "instruction" && b.paths.length === 0) io.stdout(`warning: breakpoint ${b.id} (${b.spec.target}) names no step or group\n`);
    }
    while (stop.kind === "paused") {
      io.stdout(describePause(stop.pause));
      let moved: DebugStop | undefined;
      while (moved === undefined) {
        io.stdout(PROMPT);
        const next = await lines.next();
        if (next.done === true) {
          io.stdout("\nEnd of input: the debugger quits and the task sequence continues\n");
          moved = { kind: "finished", result: await session.quit() };
          break;
        }
        try {
          moved = await execute(session, io, next.value);
        } catch (e) {
          if (!isTaskSeqError(e)) throw e;
          io.stdout(`error ${e.code}: ${e.message}\n`);
        }
      }
      stop = moved;
    }
    return stop.result;
  } finally {
    rl.close();
  }
}

/**
 * Registers `taskseq debug FILE`: runs a task sequence under the interactive debugger on a
 * simulated device (commands: `help`). Exit codes as `run`.
 *
 * @example
 * ```sh
 * taskseq debug ts.xml --device laptop.json --break "Apply Operating System"
 * ```
 */
export function registerDebugCommand(program: Command, io: CommandIo): void {
  program
    .command("debug")
    .description("run a task sequence under the interactive debugger (type help at the prompt)")
    .argument("[FILE]", "task sequence file (.xml, .json or export .zip); not with --resume")
    .option("--device <PROFILE>", "device profile JSON (default: the built-in simulated device)")
    .option("--var <N=V>", "run-time variable (repeatable)", collectPair)
    .option("--lite-touch", LITE_TOUCH_HELP)
    .option("--break <TARGET>", "breakpoint before a step or group, by path or name (repeatable)", (v: string, prev: readonly string[] = []) => [...prev, v])
    .option("--state-dir <DIR>", "persist run state, breakpoints and history here")
    .option("--log-dir <DIR>", "write smsts.log here")
    .option("--stop-at-restart", "stop with exit code 3 at a restart (continue with --resume)")
    .option("--resume", "continue the debug run persisted in --state-dir, with its breakpoints")
    .option("--discard-state", "discard state left in --state-dir by another run")
    .action(async (file: string | undefined, o: DebugCliOptions) => {
      if (o.resume === true && (o.stateDir === undefined || file !== undefined)) throw new TaskSeqError("UsageError", "debug --resume needs --state-dir and no FILE.");
      if (o.resume !== true && file === undefined) throw new TaskSeqError("UsageError", "debug needs a task sequence FILE (or --resume).");
      if (o.resume === true && o.liteTouch === true) throw new TaskSeqError("UsageError", "debug --lite-touch starts a new run; not with --resume.");
      const breakpoints = (o.break ?? []).map((target): BreakpointSpec => ({ kind: "instruction", target }));
      // json: no progress bar under the prompt.
      const cli = { ...o, json: true };
      let result: RunResult;
      if (file === undefined) {
        result = await withCliEngine(io, cli, [], true, (engine) => loop(engine.resumeDebug({ stopAtRestart: o.stopAtRestart === true, breakpoints }), io));
      } else {
        const [top, ...others] = (await loadSequences(io, file)).sequences;
        if (top === undefined) throw new TaskSeqError("NotASequence", `${file} holds no task sequence.`);
        const children: ResolvedTaskSequence[] = others.map((s) => ({ packageId: s.source.split("!").pop() ?? s.source, name: s.sequence.name ?? s.source, sequence: s.sequence }));
        const debug = (engine: Engine, variables: RunVariables): DebugSession =>
          engine.debug(top.sequence, {
            variables,
            stopAtRestart: o.stopAtRestart === true,
            existingState: o.discardState === true ? "discard" : "error",
            breakpoints,
            ...(o.logDir === undefined ? {} : { logPath: io.resolve(o.logDir) }),
          });
        result = await withCliEngine(io, cli, children, false, async (engine, device) => loop(debug(engine, await withLiteTouch({ runtime: Object.fromEntries(o.var ?? []) }, device, o.liteTouch)), io));
      }
      report(io, result, false);
    });
}
