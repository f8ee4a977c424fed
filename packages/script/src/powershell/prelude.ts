import { SUPPORTED_COMMANDS } from "./commands.js";
import { runtimeUnitsFor } from "./runtime-units.js";
import { MINIFIED_RUNTIME_UNIT_SOURCES } from "./runtime-units.min.js";

function aliasTable(): Record<string, string> {
  const table: Record<string, string> = {};
  for (const [canonical, aliases] of Object.entries(SUPPORTED_COMMANDS)) for (const alias of aliases) table[alias] = canonical;
  return table;
}

// Top-level declarations of a global script, not the body of a function: QuickJS compiles a
// reference to a global without searching the enclosing function's hundreds of variables, which
// makes the library about a tenth faster to compile. Only the runtime and the compiled script run
// in a PowerShell-style sandbox, so the extra globals are seen by nothing else.
const HEAD = ['"use strict";', "var P = {};", `var ALIASES = ${JSON.stringify(aliasTable())};`].join("\n");
const TAIL = "var __ps = P;";

/**
 * The runtime library (minified, see runtime-units.min.ts) with the core, the given units (see `RUNTIME_UNIT_NEEDS`: `cmdlet:get-date`,
 * `op-match`, `methods`, `static-math`, ...) and everything they need, or with every unit. The
 * compiler calls it with the units a script reaches, so QuickJS compiles nothing the script
 * cannot use.
 *
 * @param units - unit names, or `"all"`
 * @example
 * ```ts
 * const library = powerShellPrelude(["cmdlet:get-date", "op-format"]);
 * ```
 */
export function powerShellPrelude(units: Iterable<string> | "all"): string {
  const names = runtimeUnitsFor(units);
  const key = names.join(",");
  let library = assembled.get(key);
  if (library === undefined) {
    library = [HEAD, ...names.map((name) => MINIFIED_RUNTIME_UNIT_SOURCES[name] ?? ""), TAIL].join("\n");
    if (assembled.size >= MAX_ASSEMBLED) assembled.clear();
    assembled.set(key, library);
  }
  return library;
}

/** Libraries already put together, by unit list: scripts of one deployment reach a handful of unit sets. */
const assembled = new Map<string, string>();
const MAX_ASSEMBLED = 64;

/**
 * The complete runtime library of the PowerShell-style language: JavaScript source that defines
 * the global `__ps` inside the QuickJS sandbox, with every unit. It reaches the host only
 * through the guest API (`TSEnvironment`, `TsProgressUI`, `__host`).
 */
export const POWERSHELL_PRELUDE: string = powerShellPrelude("all");
