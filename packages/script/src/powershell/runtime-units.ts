/**
 * The PowerShell-style runtime library as named units with declared dependencies. QuickJS
 * compiles every character it is given (about a microsecond per 8 characters), so a script gets
 * only the units it can reach: the core, plus the closure of the units the compiler saw it use.
 * This file owns the dependency table; the sources live in the prelude-*.ts files, cut into
 * units by `/*@ name *\/` marker lines.
 */
import { CMDLET_SOURCES, PRELUDE_CMDLET_BASE, PRELUDE_CMDLET_FAMILIES } from "./prelude-cmdlets.js";
import { PRELUDE_MEMBERS } from "./prelude-members.js";
import { PRELUDE_OPERATORS } from "./prelude-operators.js";
import { PRELUDE_RUNTIME } from "./prelude-runtime.js";
import { PRELUDE_VALUES } from "./prelude-values.js";

const CMDLET_BASE = ["cmdlet-base"];

/** One unit per instance method name (`method:trim`, ...): the methods of that name of strings, arrays, hashtables and dates. */
export const METHOD_UNITS: readonly string[] = [...PRELUDE_MEMBERS.matchAll(/^\/\*@ (method:\w+) \*\/$/gm)].map((m) => m[1] ?? "");
const WHERE_OPERATORS = ["op-compare", "op-like", "op-match", "op-contains"];

/**
 * Every unit and the units it needs besides the core, in the order they are emitted (a unit's
 * dependencies come before it, so its top-level statements can use them). Core units (always
 * included, see {@link CORE_RUNTIME_UNITS}) need nothing outside the core.
 */
export const RUNTIME_UNIT_NEEDS: Readonly<Record<string, readonly string[]>> = {
  // core
  values: [],
  operators: [],
  members: [],
  runtime: [],
  "cmdlet-base": [],
  // operators
  regex: [],
  format: [],
  "op-arith": [],
  "op-bits": [],
  "op-range": [],
  "op-format": ["format"],
  "op-join": [],
  "op-compare": [],
  "op-like": ["regex"],
  "op-match": ["regex"],
  "op-contains": [],
  "op-replace": ["regex"],
  "op-split": ["regex"],
  "type-test": [],
  // members, COM objects and static members of .NET types
  com: [],
  methods: ["format", "com"],
  ...Object.fromEntries(METHOD_UNITS.map((name) => [name, ["methods"]])),
  static: [],
  "static-math": ["static"],
  "static-string": ["static", "format"],
  "net-parse": ["static"],
  "static-int": ["static", "net-parse"],
  "static-long": ["static", "net-parse"],
  "static-double": ["static", "net-parse"],
  "static-version": ["static"],
  "static-datetime": ["static"],
  "static-timespan": ["static"],
  "static-convert": ["static", "net-parse"],
  paths: [],
  "static-path": ["static", "paths"],
  "static-regex": ["static", "regex", "op-replace", "op-split"],
  "static-char": ["static"],
  // statements and variables
  tsdrive: ["com"],
  "errors-catch": [],
  "switch-match": ["regex", "op-match"],
  // cmdlets and their families
  "select-helpers": ["regex"],
  wmi: [],
  provider: ["paths", "tsdrive"],
  "file-content": ["provider"],
  "cmdlet:where-object": WHERE_OPERATORS,
  "cmdlet:foreach-object": [],
  "cmdlet:select-object": ["select-helpers"],
  "cmdlet:sort-object": ["select-helpers"],
  "cmdlet:measure-object": [],
  "cmdlet:group-object": [],
  "cmdlet:out-null": [],
  "cmdlet:out-string": [],
  "cmdlet:write-host": [],
  "cmdlet:write-output": [],
  "cmdlet:write-verbose": [],
  "cmdlet:write-debug": [],
  "cmdlet:write-warning": [],
  "cmdlet:write-information": [],
  "cmdlet:write-error": [],
  "cmdlet:get-wmiobject": ["wmi"],
  "cmdlet:get-ciminstance": ["wmi"],
  "cmdlet:test-path": ["provider", "tsdrive"],
  "cmdlet:get-item": ["provider"],
  "cmdlet:get-itemproperty": ["provider"],
  "cmdlet:get-itempropertyvalue": ["provider"],
  "cmdlet:get-childitem": ["provider", "regex", "paths", "tsdrive"],
  "cmdlet:set-item": ["provider", "tsdrive"],
  "cmdlet:set-content": ["file-content"],
  "cmdlet:add-content": ["file-content"],
  "cmdlet:out-file": ["file-content"],
  "cmdlet:tee-object": ["file-content"],
  "cmdlet:get-content": ["provider"],
  "cmdlet:new-item": ["provider", "paths", "file-content"],
  "cmdlet:mkdir": ["cmdlet:new-item"],
  "cmdlet:join-path": ["paths"],
  "cmdlet:split-path": ["provider", "paths"],
  "cmdlet:get-date": [],
  "cmdlet:start-sleep": [],
  "cmdlet:convertto-json": [],
  "cmdlet:convertfrom-json": [],
  "cmdlet:new-object": ["com"],
  "cmdlet:add-member": [],
  "cmdlet:get-variable": [],
  "cmdlet:set-variable": [],
};

/** The units every script gets: values, conversions, members, scopes, binding, pipelines, errors, the cmdlet registry. */
export const CORE_RUNTIME_UNITS: readonly string[] = ["values", "operators", "members", "runtime", ...CMDLET_BASE];

/** The unit of each operator the compiler calls as `__ps.B.<name>`. */
export const OPERATOR_UNITS: Readonly<Record<string, string>> = {
  add: "op-arith", sub: "op-arith", mul: "op-arith", div: "op-arith", mod: "op-arith", neg: "op-arith", plus: "op-arith",
  band: "op-bits", bor: "op-bits", bxor: "op-bits", bnot: "op-bits", shl: "op-bits", shr: "op-bits",
  range: "op-range", format: "op-format", join: "op-join",
  eq: "op-compare", ne: "op-compare", gt: "op-compare", ge: "op-compare", lt: "op-compare", le: "op-compare",
  like: "op-like", notlike: "op-like", match: "op-match", notmatch: "op-match",
  contains: "op-contains", notcontains: "op-contains", in: "op-contains", notin: "op-contains",
  replace: "op-replace", split: "op-split",
};

/** Cuts a prelude part at its `/*@ name *\/` marker lines into name → source. */
function unitsOf(source: string): Record<string, string> {
  const parts = source.split(/^\/\*@ ([\w:-]+) \*\/$/m);
  const units: Record<string, string> = {};
  for (let i = 1; i + 1 < parts.length; i += 2) units[parts[i] ?? ""] = parts[i + 1] ?? "";
  return units;
}

/** The source of every unit, by name. */
export const RUNTIME_UNIT_SOURCES: Readonly<Record<string, string>> = {
  ...unitsOf(PRELUDE_VALUES),
  ...unitsOf(PRELUDE_OPERATORS),
  ...unitsOf(PRELUDE_MEMBERS),
  ...unitsOf(PRELUDE_RUNTIME),
  ...unitsOf(PRELUDE_CMDLET_BASE),
  ...unitsOf(PRELUDE_CMDLET_FAMILIES),
  ...Object.fromEntries(Object.entries(CMDLET_SOURCES).map(([name, source]) => [`cmdlet:${name}`, source])),
};

/**
 * The names of the units to emit for the given roots — the core, the roots and everything they
 * need — in table order; every unit for `"all"`. Unknown roots are ignored.
 */
export function runtimeUnitsFor(roots: Iterable<string> | "all"): string[] {
  const all = Object.keys(RUNTIME_UNIT_NEEDS);
  if (roots === "all") return all;
  const chosen = new Set<string>();
  const add = (name: string): void => {
    const needs = RUNTIME_UNIT_NEEDS[name];
    if (needs === undefined || chosen.has(name)) return;
    chosen.add(name);
    needs.forEach(add);
  };
  CORE_RUNTIME_UNITS.forEach(add);
  for (const root of roots) add(root);
  return all.filter((name) => chosen.has(name));
}
