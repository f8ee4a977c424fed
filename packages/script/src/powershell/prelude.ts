import { SUPPORTED_COMMANDS } from "./commands.js";
import { PRELUDE_CMDLETS } from "./prelude-cmdlets.js";
import { PRELUDE_MEMBERS } from "./prelude-members.js";
import { PRELUDE_OPERATORS } from "./prelude-operators.js";
import { PRELUDE_RUNTIME } from "./prelude-runtime.js";
import { PRELUDE_VALUES } from "./prelude-values.js";

function aliasTable(): Record<string, string> {
  const table: Record<string, string> = {};
  for (const [canonical, aliases] of Object.entries(SUPPORTED_COMMANDS)) for (const alias of aliases) table[alias] = canonical;
  return table;
}

/**
 * The runtime library of the PowerShell-style language: JavaScript source that defines the global
 * `__ps` inside the QuickJS sandbox. Evaluate it once before the compiled script. It reaches the
 * host only through the guest API (`TSEnvironment`, `TsProgressUI`, `__host`).
 */
export const POWERSHELL_PRELUDE: string = [
  "var __ps = (function () {",
  '"use strict";',
  "var P = {};",
  `var ALIASES = ${JSON.stringify(aliasTable())};`,
  PRELUDE_VALUES,
  PRELUDE_OPERATORS,
  PRELUDE_MEMBERS,
  PRELUDE_RUNTIME,
  PRELUDE_CMDLETS,
  "return P;",
  "})();",
].join("\n");
