/**
 * `taskseq shell SCRIPT.ps1 [ARGS...]`: runs a PowerShell-style script in the @taskseq/script
 * sandbox with the ConfigurationManager task sequence cmdlets of @taskseq/cmdlets under their real
 * names; the arguments bind to the script's `param()` block.
 *
 * The script package has no host-command extension point, so each cmdlet is a PowerShell-style
 * function added to the script where its statements start (after its `param()` block): it declares
 * the cmdlet's parameters (and aliases), and sends `$PSBoundParameters` as JSON to the host as a
 * WMI query on the `root\\taskseq\\shell` namespace of a device view this command owns (the
 * sandbox's only synchronous host call that returns data); the host binds and runs the cmdlet,
 * reading the files it reads during the call, and answers with one row whose `Result` is the JSON
 * reply, or whose `Error` is the cmdlet's failure, which the function turns into a terminating
 * error reported at the script's line that called the cmdlet. Task sequences, steps and conditions
 * stay in the host; the guest holds handles (`@{ __taskseqHandle = n; Name = ...; Kind = ... }`).
 * Cmdlets that change a sequence (`Add-`, `Set-`, `Remove-`) update the handle in place, as the
 * real cmdlets change the site.
 */
import { dirname } from "node:path";
import type { Command } from "commander";
import { cmdletsByName, findCmdlet } from "@taskseq/cmdlets";
import type { CmdletEntry } from "@taskseq/cmdlets";
import { TaskSeqError, isTaskSeqError } from "@taskseq/model";
import type { TaskSequence } from "@taskseq/model";
import { powerShellBodyStart, runScript } from "@taskseq/script";
import type { ScriptDevice } from "@taskseq/script";
import { EXIT_CODES } from "../cli-io.js";
import type { CommandIo } from "../cli-io.js";

const NAMESPACE = "root\\taskseq\\shell";
const HANDLE = "__taskseqHandle";
const STDOUT_STREAMS: ReadonlySet<string> = new Set(["output", "host", "information"]);
const INVOKER = "Invoke-TaskSeqShellCmdlet";

/** `'text'` as a PowerShell verbatim string. */
const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/**
 * One PowerShell-style function per cmdlet, plus the invoker they share, all on one line: it is
 * inserted in a line of the script, so the script's line numbers are its own in every error
 * message. It first sets `$PSScriptRoot` and `$PSCommandPath` to the script's folder and path.
 *
 * Each function declares the cmdlet's parameters with their aliases (`[Alias()]`); `InputObject`
 * takes the pipeline (`[Parameter(ValueFromPipeline)]`, "Accept pipeline input: True (ByValue)" in
 * the ConfigMgr reference), so `$ts | Add-CMTaskSequenceStep -Step $g` runs the cmdlet once per
 * piped object. A failed call is a terminating error written by `Write-Error` in the function:
 * PowerShell reports such an error at the line that called the function.
 */
function shellPrelude(entries: readonly CmdletEntry[], scriptPath: string): string {
  const paths = `$PSScriptRoot = ${quote(dirname(scriptPath))}; $PSCommandPath = ${quote(scriptPath)}`;
  const invoker = `function ${INVOKER}($CmdletName, $Bound) { $request = ConvertTo-Json -InputObject @{ cmdlet = $CmdletName; parameters = $Bound } -Depth 40 -Compress; Get-WmiObject -Namespace "${NAMESPACE}" -Query $request }`;
  const fns = entries.map((e) => {
    const seen = new Set<string>();
    const fresh = (n: string): boolean => {
      const key = n.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    };
    const params = e.parameters.filter((p) => fresh(p.name)).map((p) => {
      const aliases = p.aliases.filter(fresh);
      const attributes = [
        p.name === "InputObject" ? "[Parameter(ValueFromPipeline)]" : "",
        aliases.length > 0 ? `[Alias(${aliases.map(quote).join(", ")})]` : "",
        p.kind === "switch" ? "[switch]" : "",
      ];
      return `${attributes.join("")}$${p.name}`;
    });
    const call = `$r = ${INVOKER} "${e.name}" $PSBoundParameters; if ($r.Error) { Write-Error -Message $r.Error -ErrorAction Stop }; if ($r.Result) { ConvertFrom-Json $r.Result }`;
    return `function ${e.name} { param(${params.join(", ")}) process { ${call} } }`;
  });
  return `${[paths, invoker, ...fns].join("; ")}; `;
}

/**
 * The script with the prelude inserted where its statements start (after its `param()` block, which
 * must come first), and the mapping of an error message's `(line L, column C)` back to the script's
 * own column on the line that holds the prelude.
 *
 * @throws TaskSeqError `ScriptError` for a syntax error of the script
 */
function withPrelude(source: string, prelude: string): { readonly program: string; readonly scriptColumns: (message: string) => string } {
  const start = powerShellBodyStart(source);
  const inserted = `; ${prelude}`;
  const before = source.slice(0, start);
  const line = before.split("\n").length;
  const column = start - before.lastIndexOf("\n");
  return {
    program: `${before}${inserted}${source.slice(start)}`,
    scriptColumns: (message) =>
      message.replace(/\(line (\d+), column (\d+)\)/, (all, l: string, c: string) =>
        Number(l) !== line || Number(c) < column ? all : `(line ${l}, column ${Math.max(column, Number(c) - inserted.length)})`,
      ),
  };
}

/** `pwsh -File`'s reading of a script's arguments: `-Name` is a parameter name, anything else a string. */
function scriptArguments(args: readonly string[]): string {
  return args.map((a) => (/^-[A-Za-z_]\w*$/.test(a) ? a : quote(a))).join(" ");
}

/**
 * Writes why the script failed to stderr (`taskseq shell: Code (line L): message`) and sets the
 * exit code: 2 for a construct outside the subset, else 1.
 */
function reportFailure(io: CommandIo, error: TaskSeqError, message = error.message): void {
  const guestCode = error.details?.guestCode;
  const line = error.position?.line;
  io.stderr(`taskseq shell: ${typeof guestCode === "string" ? guestCode : error.code}${line === undefined ? "" : ` (line ${line})`}: ${message}\n`);
  io.setExitCode(isTaskSeqError(error, "ScriptUnsupported") ? EXIT_CODES.usage : EXIT_CODES.failed);
}

/** The host side: handles, the cmdlet calls and the files they read and write. */
class ShellHost {
  private readonly handles: unknown[] = [];

  constructor(private readonly io: CommandIo) {}

  /** Files the script exported, to write after the run. */
  readonly outputs = new Map<string, Uint8Array>();

  /** The sandbox's only way out: WMI queries on the shell namespace carry cmdlet calls. */
  device(): ScriptDevice {
    return {
      wmi: {
        query: (namespace, request) => {
          if (namespace.toLowerCase() !== NAMESPACE.toLowerCase()) throw new TaskSeqError("AdapterMissing", "taskseq shell scripts have no WMI; only the cmdlets.");
          return [this.answer(request)];
        },
      },
    };
  }

  private toHost(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.toHost(v));
    if (typeof value === "object" && value !== null) {
      const handle = (value as Record<string, unknown>)[HANDLE];
      if (typeof handle === "number") {
        if (!(handle in this.handles)) throw new TaskSeqError("InvalidArgument", "Unknown object handle.");
        return this.handles[handle];
      }
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.toHost(v)]));
    }
    return value;
  }

  private toGuest(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.toGuest(v));
    if (typeof value !== "object" || value === null) return value;
    const o = value as { kind?: unknown; name?: unknown; type?: unknown };
    this.handles.push(value);
    return { [HANDLE]: this.handles.length - 1, Kind: typeof o.kind === "string" ? o.kind : "object", Name: typeof o.name === "string" ? o.name : "", ...(typeof o.type === "string" ? { Type: o.type } : {}) };
  }

  /** One row: the cmdlet's JSON reply in `Result`, or its failure in `Error` (`Cmdlet-Name: message`). */
  private answer(json: string): { Result: string; Error: string } {
    let cmdlet = "taskseq shell";
    try {
      const request = JSON.parse(json) as { cmdlet?: unknown };
      cmdlet = String(request.cmdlet);
      return { Result: this.call(json), Error: "" };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { Result: "", Error: message.toLowerCase().startsWith(`${cmdlet.toLowerCase()}:`) ? message : `${cmdlet}: ${message}` };
    }
  }

  private call(json: string): string {
    const request = JSON.parse(json) as { cmdlet?: unknown; parameters?: unknown };
    const entry = findCmdlet(String(request.cmdlet));
    const raw = (typeof request.parameters === "object" && request.parameters !== null ? request.parameters : {}) as Record<string, unknown>;
    const args = this.toHost(raw) as Record<string, unknown>;
    const result = entry.invoke(args, {
      readFile: (path) => {
        try {
          return this.io.readFileSync(this.hostPath(path));
        } catch (cause) {
          throw new TaskSeqError("NotFound", `Cannot read ${path}.`, { cause, position: { path } });
        }
      },
      writeFile: (path, data) => {
        this.outputs.set(this.hostPath(path), data);
      },
    });
    const input = raw.InputObject;
    const handle = typeof input === "object" && input !== null ? (input as Record<string, unknown>)[HANDLE] : undefined;
    if (/^(add|set|remove)-/i.test(entry.name) && typeof handle === "number" && (result as Partial<TaskSequence>)?.kind === "sequence") {
      this.handles[handle] = result;
      return "";
    }
    if (/^export-/i.test(entry.name)) return "";
    return JSON.stringify(this.toGuest(result));
  }

  /** A path the script gave: relative to the working directory, `\` separating folders as in Windows (`Join-Path`). */
  private hostPath(path: string): string {
    return this.io.resolve(path.replace(/\\/g, "/"));
  }
}

/**
 * Runs a PowerShell-style script with the task sequence cmdlets; the arguments after the script
 * bind to its `param()` block; files written by `Export-CMTaskSequence` are saved after the
 * script ends. Exit code: the script's (0 when it ran to its end), 1 when it failed, 2 for bad usage.
 *
 * @example
 * ```sh
 * taskseq shell build.ps1 -Name "Build" -Force
 * ```
 */
export function registerShellCommand(program: Command, io: CommandIo): void {
  program
    .command("shell")
    .description("run a PowerShell-style script with the ConfigMgr task sequence cmdlets (New-CMTaskSequence, Add-CMTaskSequenceStep, Export-CMTaskSequence, ...)")
    .argument("<SCRIPT>", "script file (.ps1)")
    .argument("[ARGS...]", "the script's arguments, bound to its param() block (-Name value -Switch)")
    // Options after the script are its own (`-Name`), as with `pwsh -File`.
    .passThroughOptions()
    .action(async (file: string, args: string[]) => {
      const path = io.resolve(file);
      let source: string;
      try {
        source = new TextDecoder().decode(await io.readFile(path));
      } catch (cause) {
        throw new TaskSeqError("NotFound", `Cannot read script ${file}.`, { cause, position: { path: file } });
      }
      let script: ReturnType<typeof withPrelude>;
      try {
        script = withPrelude(source, shellPrelude(Object.values(cmdletsByName), path));
      } catch (error) {
        if (!isTaskSeqError(error)) throw error;
        reportFailure(io, error);
        return;
      }
      const host = new ShellHost(io);
      // A leading `--` (the usual end of the command's own options) is not the script's.
      const scriptArgs = args[0] === "--" ? args.slice(1) : args;
      const r = await runScript({ language: "powershell", source: script.program, arguments: scriptArguments(scriptArgs), device: host.device() });
      if (r.error !== undefined) {
        reportFailure(io, r.error, script.scriptColumns(r.error.message));
        return;
      }
      for (const record of r.value.records) (STDOUT_STREAMS.has(record.stream) ? io.stdout : io.stderr)(`${record.text}\n`);
      for (const [output, data] of host.outputs) await io.writeFile(output, data);
      io.setExitCode(r.value.exitCode);
    });
}
