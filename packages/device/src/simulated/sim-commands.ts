import { TaskSeqError } from "@taskseq/model";
import type { CommandResult, CommandsCapability } from "../types.js";
import { putFile, record, type SimState } from "./sim-state.js";

/** Outcome of one simulated program (internal). */
interface Outcome {
  exitCode: number;
  stdout: string;
  stderr: string;
  reboot: boolean;
  seconds: number;
}

/** An exit code as a signed 32-bit integer (`cmd /c exit 3247440400` → `-1047526896`). */
export function toInt32(n: number): number {
  const mod = 2 ** 32;
  return ((((n % mod) + mod) % mod) | 0) as number;
}

const cmdPrefix = /^\s*"?(?:[A-Za-z]:\\(?:[^"\\]+\\)*)?cmd(?:\.exe)?"?\s+\/[cC]\s+([\s\S]*)$/i;

function byRule(state: SimState, line: string): Outcome | undefined {
  const rules = state.profile.commands ?? [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (rule === undefined || !new RegExp(rule.match, "i").test(line)) continue;
    const used = state.ruleUses.get(i) ?? 0;
    if (rule.times !== undefined && used >= rule.times) continue;
    state.ruleUses.set(i, used + 1);
    for (const file of rule.createsFiles ?? []) putFile(state, file, { sizeBytes: 0 });
    return { exitCode: toInt32(rule.exitCode ?? 0), stdout: rule.stdout ?? "", stderr: rule.stderr ?? "", reboot: rule.reboot ?? false, seconds: rule.durationSeconds ?? 0 };
  }
  return undefined;
}

/** Run `cmd /c` bodies: `exit N`, and commands joined by `&`, `&&`, `||`. */
function runCmdBody(state: SimState, body: string): Outcome {
  let text = body.trim();
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1);
  const parts = text.split(/(&&|\|\||&)/);
  const total: Outcome = { exitCode: 0, stdout: "", stderr: "", reboot: false, seconds: 0 };
  for (let i = 0; i < parts.length; i += 2) {
    const part = (parts[i] ?? "").trim();
    const joiner = parts[i - 1];
    const skip = (joiner === "&&" && total.exitCode !== 0) || (joiner === "||" && total.exitCode === 0);
    if (skip || part === "") continue;
    const exit = /^exit(?:\s+\/b)?(?:\s+(\S+))?\s*$/i.exec(part);
    if (exit !== null) {
      const n = Number(exit[1] ?? "0");
      total.exitCode = Number.isFinite(n) ? toInt32(Math.trunc(n)) : 0;
      return total;
    }
    const o = runLine(state, part);
    total.exitCode = o.exitCode;
    total.stdout += o.stdout;
    total.stderr += o.stderr;
    total.seconds += o.seconds;
    if (o.reboot) return { ...total, reboot: true };
  }
  return total;
}

/** Decide the outcome of a command line: rules first, then `cmd /c`, then the unmatched exit code. */
export function runLine(state: SimState, line: string): Outcome {
  const ruled = byRule(state, line);
  if (ruled !== undefined) return ruled;
  const cmd = cmdPrefix.exec(line);
  if (cmd !== null) return runCmdBody(state, cmd[1] as string);
  return { exitCode: toInt32(state.profile.unmatchedCommandExitCode ?? 0), stdout: "", stderr: "", reboot: false, seconds: 0 };
}

/** The `commands` capability. The command line is recorded; run-as passwords never are. */
export function createSimCommands(state: SimState, onUnexpectedRestart: () => void): CommandsCapability {
  return {
    run: async (request): Promise<CommandResult> => {
      if (request.signal?.aborted === true) throw new TaskSeqError("Aborted", "The command was aborted before it started.");
      let shown = request.commandLine;
      for (const secret of request.redact ?? []) if (secret !== "") shown = shown.split(secret).join("********");
      if (request.requireRule === true && byRule(state, request.commandLine) === undefined && cmdPrefix.exec(request.commandLine) === null) {
        throw new TaskSeqError("UnsupportedStep", `The simulated device has no command rule for: ${shown}`);
      }
      record(state, "command", request.runAs === undefined ? shown : `${shown} (as ${request.runAs.userName})`);
      const o = runLine(state, request.commandLine);
      const limit = request.timeoutSeconds;
      if (limit !== undefined && o.seconds > limit) {
        state.elapsedMs += limit * 1000;
        record(state, "timeout", `killed after ${limit} s`);
        return { exitCode: 1460, stdout: o.stdout, stderr: o.stderr, output: o.stdout + o.stderr, timedOut: true };
      }
      state.elapsedMs += o.seconds * 1000;
      if (o.reboot) {
        onUnexpectedRestart();
        throw new TaskSeqError("UnexpectedRestart", "The program restarted the computer.");
      }
      return { exitCode: o.exitCode, stdout: o.stdout, stderr: o.stderr, output: o.stdout + o.stderr, timedOut: false };
    },
  };
}
