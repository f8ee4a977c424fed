/**
 * The commands of the PowerShell-style subset: every canonical name (lower case) with its
 * aliases. The runtime prelude implements exactly these; the compiler refuses every other command
 * that the script does not define itself.
 */
export const SUPPORTED_COMMANDS: Readonly<Record<string, readonly string[]>> = {
  "where-object": ["where", "?"],
  "foreach-object": ["foreach", "%"],
  "select-object": ["select"],
  "sort-object": ["sort"],
  "measure-object": ["measure"],
  "group-object": ["group"],
  "out-null": [],
  "out-string": [],
  "write-host": [],
  "write-output": ["echo", "write"],
  "write-verbose": [],
  "write-warning": [],
  "write-error": [],
  "write-information": [],
  "write-debug": [],
  "get-wmiobject": ["gwmi"],
  "get-ciminstance": ["gcim"],
  "test-path": [],
  "get-item": ["gi"],
  "get-itemproperty": ["gp"],
  "get-itempropertyvalue": ["gpv"],
  "get-childitem": ["gci", "ls", "dir"],
  "set-item": ["si"],
  "set-content": ["sc"],
  "add-content": ["ac"],
  "out-file": [],
  "tee-object": ["tee"],
  "get-content": ["gc", "cat", "type"],
  "new-item": ["ni"],
  mkdir: ["md"],
  "join-path": [],
  "split-path": [],
  "get-date": [],
  "start-sleep": ["sleep"],
  "convertto-json": [],
  "convertfrom-json": [],
  "new-object": [],
  "add-member": [],
  "get-variable": ["gv"],
  "set-variable": ["set", "sv"],
};

/** Commands that scripts commonly use but the sandbox refuses, with the reason shown to the author. */
export const REFUSED_COMMANDS: Readonly<Record<string, string>> = {
  "add-type": "compiles .NET code",
  "start-process": "starts host processes",
  "invoke-webrequest": "reaches the network",
  iwr: "reaches the network",
  curl: "reaches the network",
  wget: "reaches the network",
  "invoke-restmethod": "reaches the network",
  irm: "reaches the network",
  "invoke-expression": "evaluates text as code",
  iex: "evaluates text as code",
  "invoke-command": "runs remote or dynamic code",
  "start-job": "starts background jobs",
  "import-module": "loads modules",
  "set-executionpolicy": "changes host policy",
  "restart-computer": "restarts the host (exit 3010 asks the engine to restart)",
  "stop-computer": "shuts the host down",
  "remove-item": "deletes host items",
  "set-itemproperty": "writes the host registry",
  "remove-itemproperty": "writes the host registry",
  "copy-item": "copies host files",
  "move-item": "moves host files",
  "start-transcript": "writes host files",
};

/** Canonical command name for a name or alias, or undefined when the subset lacks it. */
export function canonicalCommand(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (lower in SUPPORTED_COMMANDS) return lower;
  for (const [canonical, aliases] of Object.entries(SUPPORTED_COMMANDS)) if (aliases.includes(lower)) return canonical;
  return undefined;
}

/** .NET type names the subset knows (lower case, `System.` prefix removed), mapped to the runtime's type key. */
export const SUPPORTED_TYPES: Readonly<Record<string, string>> = {
  int: "int", int32: "int", long: "long", int64: "long", int16: "int", uint32: "long", uint64: "long", uint16: "int", byte: "int", sbyte: "int",
  double: "double", single: "double", float: "double", decimal: "double",
  string: "string", char: "char", bool: "bool", boolean: "bool", switch: "bool",
  version: "version", datetime: "datetime", timespan: "timespan",
  array: "array", "object[]": "array", "string[]": "string[]", "int[]": "int[]", "int32[]": "int[]", "long[]": "int[]", "psobject[]": "array", "pscustomobject[]": "array",
  hashtable: "hashtable", "collections.hashtable": "hashtable", ordered: "ordered", "collections.specialized.ordereddictionary": "ordered",
  pscustomobject: "pscustomobject", psobject: "psobject", "management.automation.pscustomobject": "pscustomobject", "management.automation.psobject": "psobject",
  object: "object", void: "void", ref: "ref", regex: "regex", "text.regularexpressions.regex": "regex",
  math: "math", convert: "convert", "io.path": "path",
  "collections.arraylist": "arraylist", "collections.generic.list[object]": "list", "collections.generic.list[psobject]": "list", "collections.generic.list[pscustomobject]": "list",
  "collections.generic.list[management.automation.psobject]": "list", "collections.generic.list[string]": "list[string]", "collections.generic.list[int]": "list[int]", "collections.generic.list[int32]": "list[int]",
  exception: "exception", "management.automation.runtimeexception": "exception", "management.automation.itemnotfoundexception": "exception",
  "runtime.interopservices.comexception": "exception", unauthorizedaccessexception: "exception", argumentexception: "exception", "management.automation.actionpreferencestopexception": "exception",
};

/** The runtime type key of a type literal, or undefined when the subset does not support it. */
export function canonicalType(name: string): string | undefined {
  const lower = name.toLowerCase().replace(/\s+/g, "").replace(/(^|\[)system\./g, "$1");
  return SUPPORTED_TYPES[lower];
}

/** The runtime type keys of the .NET types that `New-Object` creates (the `new-object` cmdlet of prelude-cmdlets.ts). */
export const NEW_OBJECT_TYPES: ReadonlySet<string> = new Set(["psobject", "pscustomobject", "object", "arraylist", "list", "list[string]", "list[int]", "hashtable", "ordered", "version", "datetime"]);

/** COM ProgIDs that `New-Object -ComObject` may create. */
export const COM_PROG_IDS: readonly string[] = ["microsoft.sms.tsenvironment", "microsoft.sms.tsprogressui"];
