import { SUPPORTED_COMMANDS } from "./commands.js";
import { PRELUDE_CMDLET_BASE, cmdletSources } from "./prelude-cmdlets.js";
import { PRELUDE_MEMBERS } from "./prelude-members.js";
import { PRELUDE_OPERATORS } from "./prelude-operators.js";
import { PRELUDE_RUNTIME } from "./prelude-runtime.js";
import { PRELUDE_VALUES } from "./prelude-values.js";

function aliasTable(): Record<string, string> {
  const table: Record<string, string> = {};
  for (const [canonical, aliases] of Object.entries(SUPPORTED_COMMANDS)) for (const alias of aliases) table[alias] = canonical;
  return table;
}

const HEAD = ["var __ps = (function () {", '"use strict";', "var P = {};", `var ALIASES = ${JSON.stringify(aliasTable())};`, PRELUDE_VALUES, PRELUDE_OPERATORS, PRELUDE_MEMBERS, PRELUDE_RUNTIME, PRELUDE_CMDLET_BASE].join("\n");
const TAIL = "return P;\n})();";

/**
 * The runtime library with only the given cmdlets (canonical names), or with all of them. The
 * compiler calls it with the cmdlets a script names, so QuickJS compiles no cmdlet the script
 * cannot reach.
 */
export function powerShellPrelude(cmdlets: ReadonlySet<string> | "all"): string {
  return `${HEAD}\n${cmdletSources(cmdlets)}\n${TAIL}`;
}

/**
 * The complete runtime library of the PowerShell-style language: JavaScript source that defines
 * the global `__ps` inside the QuickJS sandbox, with every cmdlet. It reaches the host only
 * through the guest API (`TSEnvironment`, `TsProgressUI`, `__host`).
 */
export const POWERSHELL_PRELUDE: string = powerShellPrelude("all");
