/**
 * Runtime prelude, part 5 (JavaScript source for QuickJS): the cmdlets of the subset, each with
 * its parameter spec. Device access goes through the guest API (`__host.*`). Each cmdlet is a unit
 * `cmdlet:<name>` of runtime-units.ts: a script gets only the cmdlets it names (all of them when it
 * invokes a command by a computed name).
 */

/** The cmdlet registry (core), and helpers shared by several cmdlets (units `select-helpers`, `paths`). */
export const PRELUDE_CMDLET_BASE = String.raw`
/*@ cmdlet-base */
var CMDLETS = Object.create(null);
function cmdlet(name, spec, run) { CMDLETS[name] = { spec: spec, run: run }; }
function runCmdlet(s, name, raw, input, out) {
  var c = CMDLETS[name];
  var b = bind(raw, c.spec, name);
  var ctx = { s: s, named: b.named, rest: b.rest, input: input, out: out };
  try { c.run(ctx); }
  catch (e) {
    /* a refusal of the host (no adapter, bad query) is the cmdlet's non-terminating error */
    if (fatal(e) || e.psType !== undefined || e.code === undefined) throw e;
    nonTerminating(ctx, e.message, "System.Management.Automation.ProviderInvocationException");
  }
}
function inputOr(ctx, param) {
  if (param in ctx.named) return items(ctx.named[param]);
  return ctx.input === null ? [] : ctx.input;
}
function propertyOf(x, p) {
  if (p instanceof ScriptBlock) return unwrap(runWithItem(p, x));
  return mem(x, str(p));
}
function preference(ctx, param, variable) {
  if (param in ctx.named) return lc(str(ctx.named[param]));
  return lc(str(getVar(ctx.s, variable)));
}
/*@ select-helpers */
function selectProps(x, props) {
  var o = new Dict("obj", "Selected." + typeName(x));
  for (var i = 0; i < props.length; i++) {
    var p = props[i];
    if (isHash(p)) {
      var n = p.has("name") ? p.get("name") : p.has("n") ? p.get("n") : p.has("label") ? p.get("label") : p.get("l");
      var e = p.has("expression") ? p.get("expression") : p.get("e");
      o.set(str(n), propertyOf(x, e));
    } else if (str(p) === "*" && x instanceof Dict) {
      for (var k = 0; k < x.names.length; k++) o.set(x.names[k], x.vals[k]);
    } else if (str(p).indexOf("*") >= 0 && x instanceof Dict) {
      for (var m = 0; m < x.names.length; m++) if (P.wildcard(x.names[m], str(p), false)) o.set(x.names[m], x.vals[m]);
    } else o.set(str(p), mem(x, str(p)));
  }
  return o;
}
function uniqueBy(list, key) {
  var out = [], seen = [];
  for (var i = 0; i < list.length; i++) {
    var k = key(list[i]);
    if (!seen.some(function (s) { return eqScalar(s, k, true) || (s instanceof Dict && k instanceof Dict && str(s) === str(k)); })) { seen.push(k); out.push(list[i]); }
  }
  return out;
}
/*@ paths */
function joinPath(a, b) {
  var left = str(a), right = str(b);
  if (right === "") return left;
  return left.replace(/[\\\/]+$/, "") + "\\" + right.replace(/^[\\\/]+/, "");
}
function leafOf(p) { var parts = str(p).split(/[\\\/]/); return parts[parts.length - 1]; }
function parentOf(p) { var s = str(p).replace(/[\\\/]+$/, ""); var i = Math.max(s.lastIndexOf("\\"), s.lastIndexOf("/")); if (i < 0) return ""; var parent = s.slice(0, i); return /^[A-Za-z]:$/.test(parent) || /^[A-Za-z]+:$/.test(parent) ? parent + "\\" : parent; }
`;
/** Helpers shared by a family of cmdlets: WMI/CIM queries, and the registry, file and TSEnv: providers. */
export const PRELUDE_CMDLET_FAMILIES = String.raw`
/*@ wmi */
function wrapPlain(v, typeName) {
  if (Array.isArray(v)) return v.map(function (x) { return wrapPlain(x); });
  if (v !== null && typeof v === "object" && !(v instanceof Dict)) {
    var o = new Dict("obj", typeName || "System.Management.Automation.PSCustomObject");
    for (var k in v) o.set(k, wrapPlain(v[k]));
    return o;
  }
  return v === undefined ? null : v;
}
var WMI_SPEC = { names: ["class", "classname", "namespace", "filter", "query", "property", "computername", "list"], switches: ["list"], positional: ["class", "property"], aliases: { ns: "namespace" } };
function wmi(ctx) {
  var cls = "classname" in ctx.named ? str(ctx.named.classname) : "class" in ctx.named ? str(ctx.named.class) : null;
  if ("computername" in ctx.named && !/^(\.|localhost)$/i.test(str(ctx.named.computername))) throw PsError("Remote WMI queries are not supported by the sandbox.", "System.NotSupportedException");
  var ns = "namespace" in ctx.named ? str(ctx.named.namespace).replace(/\//g, "\\") : "root\\cimv2";
  var query;
  if ("query" in ctx.named) query = str(ctx.named.query);
  else {
    if (cls === null) throw PsError("Cannot process command because of one or more missing mandatory parameters: Class.", "System.Management.Automation.ParameterBindingException");
    var props = "property" in ctx.named ? items(ctx.named.property).map(str).join(",") : "*";
    query = "SELECT " + props + " FROM " + cls + ("filter" in ctx.named && str(ctx.named.filter) !== "" ? " WHERE " + str(ctx.named.filter) : "");
  }
  var rows;
  try { rows = host().wmiQuery(ns, query); }
  catch (e) { if (fatal(e)) throw e; nonTerminating(ctx, e && e.message ? e.message : str(e), "System.Management.ManagementException"); return; }
  var from = /\bfrom\s+(\w+)/i.exec(query);
  var type = from ? from[1] : cls;
  for (var i = 0; i < rows.length; i++) ctx.out.push(wrapPlain(rows[i], type));
}
/*@ provider */
var HIVES = { hklm: "HKEY_LOCAL_MACHINE", hkcu: "HKEY_CURRENT_USER", hkcr: "HKEY_CLASSES_ROOT", hku: "HKEY_USERS", hkcc: "HKEY_CURRENT_CONFIG" };
function registryPath(p) {
  var s = str(p).trim();
  var m = /^(?:Microsoft\.PowerShell\.Core\\)?Registry::(HKEY_[A-Z_]+|HKLM|HKCU|HKCR|HKU|HKCC):?(?:\\(.*))?$/i.exec(s) || /^(HKLM|HKCU|HKCR|HKU|HKCC):(?:\\?(.*))?$/i.exec(s);
  if (!m) return null;
  var hive = HIVES[lc(m[1])] || m[1].toUpperCase();
  var rest = (m[2] || "").replace(/\\+$/, "").replace(/\//g, "\\");
  return rest === "" ? hive : hive + "\\" + rest;
}
function regValue(entry) {
  if (entry === null || entry === undefined) return null;
  var t = str(entry.type).toUpperCase();
  if ((t === "REG_DWORD" || t === "REG_QWORD") && typeof entry.data === "string") return parseNumber(entry.data);
  if (t === "REG_MULTI_SZ" && typeof entry.data === "string") return entry.data.split(/\r?\n|\u0000/);
  return entry.data;
}
function psPath(key) { return "Microsoft.PowerShell.Core\\Registry::" + key; }
function registryKeyItem(key) {
  var listing = host().registryList(key) || { subkeys: [], values: [] };
  var o = newObj("Microsoft.Win32.RegistryKey", [["Name", key], ["PSChildName", leafOf(key)], ["PSPath", psPath(key)], ["PSParentPath", psPath(parentOf(key))],
    ["Property", listing.values.slice()], ["SubKeyCount", listing.subkeys.length], ["ValueCount", listing.values.length], ["PSIsContainer", true]]);
  o.text = key;
  o.methods = {
    getvalue: function (a) { return regValue(host().registryGet(key, str(a[0]))); },
    getvaluenames: function () { return listing.values.slice(); },
    getsubkeynames: function () { return listing.subkeys.slice(); }
  };
  return o;
}
function fileItem(path, isFolder) {
  var stat = isFolder ? null : host().fileStat(path);
  var leaf = leafOf(path);
  var dot = leaf.lastIndexOf(".");
  var o = newObj(isFolder ? "System.IO.DirectoryInfo" : "System.IO.FileInfo", [["Name", leaf], ["FullName", path], ["PSPath", "Microsoft.PowerShell.Core\\FileSystem::" + path],
    ["PSIsContainer", isFolder], ["Extension", isFolder || dot < 0 ? "" : leaf.slice(dot)], ["BaseName", isFolder || dot < 0 ? leaf : leaf.slice(0, dot)], ["Exists", true]]);
  if (!isFolder) {
    o.set("DirectoryName", parentOf(path));
    o.set("Length", stat ? stat.size : 0);
    o.set("LastWriteTime", stat && stat.modified !== undefined ? new PsDate(typeof stat.modified === "number" ? stat.modified : Date.parse(stat.modified)) : null);
    o.set("VersionInfo", newObj("System.Diagnostics.FileVersionInfo", [["FileVersion", stat && stat.version ? stat.version : null], ["ProductVersion", stat && stat.version ? stat.version : null]]));
  }
  o.text = path;
  return o;
}
function pathOf(x) {
  if (x instanceof Dict && x.has("PSPath")) {
    var p = str(x.get("PSPath"));
    return p.replace(/^Microsoft\.PowerShell\.Core\\FileSystem::/i, "");
  }
  return str(x);
}
function tsDriveName(p) { var m = /^tsenv:\\?(.*)$/i.exec(str(p)); return m ? m[1] : null; }
function tsDriveItem(name) { return newObj("System.Collections.DictionaryEntry", [["Name", name], ["Key", name], ["Value", P.tsv(name)]]); }
function resolveItem(path) {
  var ts = tsDriveName(path);
  if (ts !== null) return ts !== "" && P.tsv(ts) !== null ? tsDriveItem(ts) : null;
  var key = registryPath(path);
  if (key !== null) return host().registryKeyExists(key) ? registryKeyItem(key) : null;
  if (/^env:/i.test(path)) { var name = path.replace(/^env:\\?/i, ""); var v = P.env(name); return isNull(v) ? null : newObj("System.Collections.DictionaryEntry", [["Name", name], ["Key", name], ["Value", v]]); }
  if (host().fileExists(path)) return fileItem(path, false);
  if (host().folderExists(path)) return fileItem(path, true);
  return null;
}
function notFound(ctx, path) { nonTerminating(ctx, "Cannot find path '" + path + "' because it does not exist.", "System.Management.Automation.ItemNotFoundException"); }
function pathsOf(ctx) {
  var given = "literalpath" in ctx.named ? ctx.named.literalpath : ctx.named.path;
  if (!isNull(given)) return items(given).map(pathOf);
  return (ctx.input || []).map(pathOf);
}
function registryProperties(ctx, key, names) {
  var listing = host().registryList(key);
  if (listing === null) { notFound(ctx, key); return null; }
  var o = new Dict("obj");
  var wanted = names === null ? listing.values : names;
  for (var i = 0; i < wanted.length; i++) {
    var n = str(wanted[i]);
    var entry = host().registryGet(key, n === "(default)" ? "" : n);
    if (entry === null || entry === undefined) {
      nonTerminating(ctx, "Property " + n + " does not exist at path " + key + ".", "System.Management.Automation.PSArgumentException");
      continue;
    }
    o.set(n === "" ? "(default)" : n, regValue(entry));
  }
  if (names !== null && o.names.length === 0) return null;
  o.set("PSPath", psPath(key));
  o.set("PSParentPath", psPath(parentOf(key)));
  o.set("PSChildName", leafOf(key));
  o.set("PSProvider", "Microsoft.PowerShell.Core\\Registry");
  return o;
}
var MAX_CHILD_ITEMS = 100000;
/* A path of the file system, not a registry key, the TSEnv: drive or another named drive (Env:, Variable:, Cert:, ...). */
function fileSystemPath(p) { return registryPath(p) === null && !/^[A-Za-z][\w.]+:/.test(str(p)); }
/*@ file-content */
/* The files of -LiteralPath or the path parameter. */
function targetPaths(ctx, param) {
  var given = "literalpath" in ctx.named ? ctx.named.literalpath : ctx.named[param];
  if (isNull(given)) throw PsError("Cannot process command because of one or more missing mandatory parameters: " + (param === "filepath" ? "FilePath" : "Path") + ".", "System.Management.Automation.ParameterBindingException");
  return items(given).map(pathOf);
}
/* Records a write of text to p (the host records it and the step applies it when the script ends:
   guest-api.ts, __host.writeFile and appendFile, which keeps the file's own encoding when keep). A
   folder that does not exist is PowerShell's DirectoryNotFoundException: terminating when Out-File
   opens the file, else the cmdlet's non-terminating error. Returns whether the write was recorded. */
function writeText(ctx, p, text, encoding, append, keep, terminating) {
  try {
    if (append) host().appendFile(p, text, encoding, keep); else host().writeFile(p, text, encoding);
    return true;
  } catch (e) {
    if (fatal(e) || e.code !== "NotFound") throw e;
    if (terminating) throw PsError(e.message, "System.IO.DirectoryNotFoundException");
    nonTerminating(ctx, e.message, "System.IO.DirectoryNotFoundException");
    return false;
  }
}
/* What each -Encoding name of Windows PowerShell 5.1 writes (the host's encodings); String is the
   cmdlet's default; UTF7 and Byte are not in the sandbox. */
var ENCODINGS = { unknown: "utf-16le", unicode: "utf-16le", bigendianunicode: "utf-16be", utf8: "utf-8-bom", utf32: "utf-32le", bigendianutf32: "utf-32be", ascii: "ascii", default: "windows-1252", oem: "ibm437" };
function encodingOf(ctx, names, fallback) {
  if (!("encoding" in ctx.named)) return fallback;
  var given = str(ctx.named.encoding), name = lc(given);
  if (names.indexOf(name) < 0) throw PsError("Cannot bind parameter 'Encoding': '" + given + "' is not one of " + names.join(", ") + ".", "System.Management.Automation.ParameterBindingException");
  if (name === "utf7" || name === "byte") throw PsError("-Encoding " + given + " is not supported in the sandbox.", "System.NotSupportedException");
  return name === "string" ? fallback : ENCODINGS[name];
}
/* Each text followed by a Windows line break; with -NoNewline the texts run together. */
function contentText(ctx, texts) { return ctx.named.nonewline ? texts.join("") : texts.map(function (t) { return t + "\r\n"; }).join(""); }
/* Set-Content and Add-Content: -Value (or the pipeline), each value's string form, in ANSI unless
   -Encoding says otherwise (Add-Content: in the file's own encoding when it starts with a BOM);
   -PassThru passes the values on for each file written. */
var CONTENT_SPEC = { names: ["path", "literalpath", "value", "encoding", "nonewline", "force", "passthru"], switches: ["nonewline", "force", "passthru"], positional: ["path", "value"], aliases: { pspath: "literalpath", lp: "literalpath" } };
var CONTENT_ENCODINGS = ["unknown", "string", "unicode", "byte", "bigendianunicode", "utf8", "utf7", "utf32", "ascii", "default", "oem", "bigendianutf32"];
function writeContent(ctx, append) {
  var values = inputOr(ctx, "value");
  var encoding = encodingOf(ctx, CONTENT_ENCODINGS, "windows-1252");
  var text = contentText(ctx, values.map(str));
  targetPaths(ctx, "path").forEach(function (p) {
    if (writeText(ctx, p, text, encoding, append, true, false) && ctx.named.passthru) values.forEach(function (v) { ctx.out.push(v); });
  });
}
/* Out-File (and Tee-Object): records as the console shows them (objects as lists and tables), with
   Windows line breaks, in UTF-16LE unless -Encoding says otherwise; -Append appends in that encoding
   whatever the file holds; -NoClobber refuses an existing file. */
var OUT_FILE_ENCODINGS = ["unknown", "string", "unicode", "bigendianunicode", "utf8", "utf7", "utf32", "ascii", "default", "oem"];
function outFile(ctx, list) {
  var texts = list.map(function (v) { return typeof v === "string" ? v : formatRecord(v).replace(/\r?\n/g, "\r\n"); });
  var encoding = encodingOf(ctx, OUT_FILE_ENCODINGS, "utf-16le");
  var append = !!ctx.named.append;
  targetPaths(ctx, "filepath").forEach(function (p) {
    if (ctx.named.noclobber && !append && host().fileExists(p)) throw PsError("The file '" + p + "' already exists.", "System.IO.IOException");
    writeText(ctx, p, contentText(ctx, texts), encoding, append, false, true);
  });
}
`;

/** Each cmdlet's registration, by canonical name (the dependency table is in runtime-units.ts). */
export const CMDLET_SOURCES: Readonly<Record<string, string>> = {
  "where-object": String.raw`
var WHERE_OPS = ["eq", "ne", "gt", "ge", "lt", "le", "like", "notlike", "match", "notmatch", "contains", "notcontains", "in", "notin",
  "ceq", "cne", "cgt", "cge", "clt", "cle", "clike", "cnotlike", "cmatch", "cnotmatch", "ccontains", "cnotcontains", "cin", "cnotin", "not"];
cmdlet("where-object", { names: ["filterscript", "property", "value", "inputobject"].concat(WHERE_OPS), switches: WHERE_OPS, positional: ["filterscript", "value"] }, function (ctx) {
  var first = ctx.named.filterscript;
  var list = inputOr(ctx, "inputobject");
  var test;
  if (first instanceof ScriptBlock) test = function (x) { return bool(unwrap(runWithItem(first, x, ctx.s))); };
  else {
    var prop = "property" in ctx.named ? ctx.named.property : first;
    var op = null;
    for (var i = 0; i < WHERE_OPS.length; i++) if (ctx.named[WHERE_OPS[i]] === true) op = WHERE_OPS[i];
    var value = ctx.named.value;
    if (op === null) test = function (x) { return bool(mem(x, str(prop))); };
    else if (op === "not") test = function (x) { return !bool(mem(x, str(prop))); };
    else {
      var cs = op.charAt(0) === "c" && op !== "contains";
      var name = cs ? op.slice(1) : op;
      test = function (x) { return bool(B[name](mem(x, str(prop)), value, cs, null)); };
    }
  }
  for (var j = 0; j < list.length; j++) if (test(list[j])) ctx.out.push(list[j]);
});
`,
  "foreach-object": String.raw`
cmdlet("foreach-object", { names: ["process", "begin", "end", "membername", "inputobject", "argumentlist"], positional: ["process"] }, function (ctx) {
  var list = inputOr(ctx, "inputobject");
  var proc = ctx.named.process;
  if (ctx.named.begin instanceof ScriptBlock) runWithItem(ctx.named.begin, null, ctx.s, ctx.out);
  if (!(proc instanceof ScriptBlock) && !isNull(proc) || "membername" in ctx.named) {
    var member = str("membername" in ctx.named ? ctx.named.membername : proc);
    for (var i = 0; i < list.length; i++) emit(ctx.out, mem(list[i], member));
  } else if (proc instanceof ScriptBlock) {
    for (var j = 0; j < list.length; j++) runWithItem(proc, list[j], ctx.s, ctx.out);
  }
  if (ctx.named.end instanceof ScriptBlock) runWithItem(ctx.named.end, null, ctx.s, ctx.out);
});
`,
  "select-object": String.raw`
cmdlet("select-object", { names: ["property", "expandproperty", "first", "last", "skip", "unique", "index", "inputobject", "excludeproperty"], switches: ["unique"], positional: ["property"] }, function (ctx) {
  var list = inputOr(ctx, "inputobject");
  if ("skip" in ctx.named) list = list.slice(toInt(ctx.named.skip));
  if ("index" in ctx.named) list = items(ctx.named.index).map(function (i) { return list[toInt(i)]; }).filter(function (x) { return x !== undefined; });
  if ("first" in ctx.named || "last" in ctx.named) {
    var head = "first" in ctx.named ? list.slice(0, toInt(ctx.named.first)) : [];
    var tail = "last" in ctx.named ? list.slice(Math.max(0, list.length - toInt(ctx.named.last))) : [];
    list = head.concat(tail);
  }
  var result = list;
  if ("expandproperty" in ctx.named) {
    var name = str(ctx.named.expandproperty);
    result = [];
    for (var i = 0; i < list.length; i++) {
      var v = mem(list[i], name);
      if (isNull(v) && !(list[i] instanceof Dict && list[i].has(name))) {
        nonTerminating(ctx, "Property \"" + name + "\" cannot be found.", "System.Management.Automation.PSArgumentException");
        continue;
      }
      emit(result, v);
    }
  } else if ("property" in ctx.named) {
    var props = items(ctx.named.property);
    result = list.map(function (x) { return selectProps(x, props); });
  }
  if (ctx.named.unique) result = uniqueBy(result, function (x) { return x instanceof Dict ? str(x) : x; });
  for (var j = 0; j < result.length; j++) ctx.out.push(result[j]);
});
`,
  "sort-object": String.raw`
cmdlet("sort-object", { names: ["property", "descending", "unique", "casesensitive", "inputobject"], switches: ["descending", "unique", "casesensitive"], positional: ["property"] }, function (ctx) {
  var list = inputOr(ctx, "inputobject").slice();
  var keys = "property" in ctx.named ? items(ctx.named.property) : [null];
  var desc = ctx.named.descending === true;
  var cs = ctx.named.casesensitive === true;
  var specs = keys.map(function (k) {
    if (isHash(k)) return { get: function (x) { return propertyOf(x, k.has("expression") ? k.get("expression") : k.get("e")); }, desc: k.has("descending") ? bool(k.get("descending")) : desc };
    if (k === null) return { get: function (x) { return x; }, desc: desc };
    return { get: function (x) { return propertyOf(x, k); }, desc: desc };
  });
  var decorated = list.map(function (x, i) { return { x: x, i: i, k: specs.map(function (sp) { return sp.get(x); }) }; });
  function order(a, b) {
    for (var i = 0; i < specs.length; i++) {
      var c = compare(a.k[i], b.k[i], cs);
      if (isNaN(c)) c = compare(str(a.k[i]), str(b.k[i]), cs);
      if (c !== 0) return specs[i].desc ? -c : c;
    }
    return 0;
  }
  decorated.sort(function (a, b) { return order(a, b) || a.i - b.i; });
  /* -Unique drops an object whose keys all equal the previous one's (case-insensitive unless -CaseSensitive) */
  for (var j = 0; j < decorated.length; j++) if (!ctx.named.unique || j === 0 || order(decorated[j - 1], decorated[j]) !== 0) ctx.out.push(decorated[j].x);
});
`,
  "measure-object": String.raw`
cmdlet("measure-object", { names: ["property", "sum", "average", "maximum", "minimum", "inputobject"], switches: ["sum", "average", "maximum", "minimum"], positional: ["property"] }, function (ctx) {
  var list = inputOr(ctx, "inputobject");
  var prop = ctx.named.property;
  var values = [];
  for (var i = 0; i < list.length; i++) {
    var v = isNull(prop) ? list[i] : propertyOf(list[i], prop);
    if (!isNull(v) || isNull(prop)) values.push(v);
  }
  var nums = function () { return values.filter(function (x) { return !isNull(x); }).map(function (x) { return num(x); }); };
  var o = newObj("Microsoft.PowerShell.Commands.GenericMeasureInfo", [["Count", values.length]]);
  var n = null;
  if (ctx.named.average) { n = nums(); o.set("Average", n.length ? n.reduce(function (a, b) { return a + b; }, 0) / n.length : null); } else o.set("Average", null);
  if (ctx.named.sum) { n = nums(); o.set("Sum", n.reduce(function (a, b) { return a + b; }, 0)); } else o.set("Sum", null);
  var pick = function (dir) {
    var best = null;
    values.forEach(function (x) { if (!isNull(x) && (best === null || compare(x, best, false) * dir > 0)) best = x; });
    return best;
  };
  o.set("Maximum", ctx.named.maximum ? pick(1) : null);
  o.set("Minimum", ctx.named.minimum ? pick(-1) : null);
  o.set("Property", isNull(prop) ? null : str(prop));
  ctx.out.push(o);
});
`,
  "group-object": String.raw`
cmdlet("group-object", { names: ["property", "noelement", "ashashtable", "asstring", "inputobject"], switches: ["noelement", "ashashtable", "asstring"], positional: ["property"] }, function (ctx) {
  var list = inputOr(ctx, "inputobject");
  var prop = ctx.named.property;
  var groups = [];
  list.forEach(function (x) {
    var key = isNull(prop) ? x : propertyOf(x, prop);
    var g = null;
    for (var i = 0; i < groups.length; i++) if (eqScalar(groups[i].key, key, false) || str(groups[i].key).toLowerCase() === str(key).toLowerCase()) { g = groups[i]; break; }
    if (g === null) { g = { key: key, items: [] }; groups.push(g); }
    g.items.push(x);
  });
  if (ctx.named.ashashtable) {
    var h = new Dict("hash");
    groups.forEach(function (g) { h.set(ctx.named.asstring ? str(g.key) : g.key, unwrap(g.items)); });
    ctx.out.push(h);
    return;
  }
  groups.forEach(function (g) {
    var o = newObj("Microsoft.PowerShell.Commands.GroupInfo", [["Count", g.items.length], ["Name", str(g.key)], ["Values", [g.key]]]);
    if (!ctx.named.noelement) o.set("Group", g.items);
    ctx.out.push(o);
  });
});
`,
  "out-null": String.raw`
cmdlet("out-null", { names: ["inputobject"] }, function () { return; });
`,
  "out-string": String.raw`
cmdlet("out-string", { names: ["stream", "width", "inputobject"], switches: ["stream"] }, function (ctx) {
  var list = inputOr(ctx, "inputobject");
  var text = list.map(formatRecord);
  if (ctx.named.stream) { text.forEach(function (t) { t.split("\n").forEach(function (l) { ctx.out.push(l); }); }); return; }
  ctx.out.push(text.length === 0 ? "" : text.join("\n") + "\n");
});
`,
  "write-host": String.raw`
cmdlet("write-host", { names: ["object", "nonewline", "separator", "foregroundcolor", "backgroundcolor"], switches: ["nonewline"], positional: ["object"] }, function (ctx) {
  var parts = items(ctx.named.object).concat(ctx.rest);
  var sep = "separator" in ctx.named ? str(ctx.named.separator) : " ";
  write("host", parts.map(str).join(sep));
});
`,
  "write-output": String.raw`
cmdlet("write-output", { names: ["inputobject", "noenumerate"], switches: ["noenumerate"], positional: ["inputobject"] }, function (ctx) {
  var values = "inputobject" in ctx.named ? [ctx.named.inputobject].concat(ctx.rest) : ctx.input === null ? [] : ctx.input;
  if (!("inputobject" in ctx.named)) { values.forEach(function (v) { ctx.out.push(v); }); return; }
  if (ctx.named.noenumerate || ctx.rest.length > 0) values.forEach(function (v) { ctx.out.push(v); });
  else emit(ctx.out, values[0]);
});
`,
  "write-verbose": String.raw`
cmdlet("write-verbose", { names: ["message"], positional: ["message"] }, function (ctx) {
  if (ctx.named.verbose === true || preference(ctx, "", "verbosepreference") === "continue") write("verbose", str(ctx.named.message));
});
`,
  "write-debug": String.raw`
cmdlet("write-debug", { names: ["message"], positional: ["message"] }, function (ctx) {
  if (ctx.named.debug === true || preference(ctx, "", "debugpreference") === "continue") write("debug", str(ctx.named.message));
});
`,
  "write-warning": String.raw`
cmdlet("write-warning", { names: ["message"], positional: ["message"] }, function (ctx) {
  var p = preference(ctx, "warningaction", "warningpreference");
  if (p === "stop") throw PsError(str(ctx.named.message), "System.Management.Automation.ActionPreferenceStopException");
  if (p !== "silentlycontinue" && p !== "ignore") write("warning", str(ctx.named.message));
});
`,
  "write-information": String.raw`
cmdlet("write-information", { names: ["messagedata", "tags"], positional: ["messagedata"] }, function (ctx) {
  var p = preference(ctx, "informationaction", "informationpreference");
  if (p !== "silentlycontinue" && p !== "ignore") write("information", str(ctx.named.messagedata));
});
`,
  "write-error": String.raw`
cmdlet("write-error", { names: ["message", "exception", "category", "errorid", "targetobject"], positional: ["message"] }, function (ctx) {
  var msg = "message" in ctx.named ? str(ctx.named.message) : str(ctx.named.exception);
  /* As in PowerShell, the error belongs to the function or script block that wrote it: its line is the line that called it. */
  nonTerminating(ctx, msg, "Microsoft.PowerShell.Commands.WriteErrorException", callerLine(ctx.s));
});
`,
  "get-wmiobject": String.raw`
cmdlet("get-wmiobject", WMI_SPEC, wmi);
`,
  "get-ciminstance": String.raw`
cmdlet("get-ciminstance", WMI_SPEC, wmi);
`,
  "test-path": String.raw`
cmdlet("test-path", { names: ["path", "literalpath", "pathtype", "isvalid"], switches: ["isvalid"], positional: ["path"] }, function (ctx) {
  var type = lc(str(ctx.named.pathtype || "any"));
  pathsOf(ctx).forEach(function (p) {
    if (ctx.named.isvalid) { ctx.out.push(/^[^<>|"?*]*$/.test(p)); return; }
    var key = registryPath(p);
    var found;
    var ts = tsDriveName(p);
    if (ts !== null) found = ts === "" ? type !== "leaf" && !!globalThis.TSEnvironment : type !== "container" && P.tsv(ts) !== null;
    else if (key !== null) found = type !== "leaf" && host().registryKeyExists(key);
    else if (/^env:/i.test(p)) found = !isNull(P.env(p.replace(/^env:\\?/i, "")));
    else if (type === "leaf") found = host().fileExists(p);
    else if (type === "container") found = host().folderExists(p);
    else found = host().fileExists(p) || host().folderExists(p);
    ctx.out.push(!!found);
  });
});
`,
  "get-item": String.raw`
cmdlet("get-item", { names: ["path", "literalpath", "force"], switches: ["force"], positional: ["path"] }, function (ctx) {
  pathsOf(ctx).forEach(function (p) {
    var item = resolveItem(p);
    if (item === null) notFound(ctx, p); else ctx.out.push(item);
  });
});
`,
  "get-itemproperty": String.raw`
cmdlet("get-itemproperty", { names: ["path", "literalpath", "name"], positional: ["path", "name"] }, function (ctx) {
  var names = "name" in ctx.named ? items(ctx.named.name).map(str) : null;
  pathsOf(ctx).forEach(function (p) {
    var key = registryPath(p);
    if (key === null) {
      var item = resolveItem(p);
      if (item === null) notFound(ctx, p); else ctx.out.push(item);
      return;
    }
    if (!host().registryKeyExists(key)) { notFound(ctx, p); return; }
    var o = registryProperties(ctx, key, names);
    if (o !== null) ctx.out.push(o);
  });
});
`,
  "get-itempropertyvalue": String.raw`
cmdlet("get-itempropertyvalue", { names: ["path", "literalpath", "name"], positional: ["path", "name"] }, function (ctx) {
  var names = items(ctx.named.name).map(str);
  pathsOf(ctx).forEach(function (p) {
    var key = registryPath(p);
    if (key === null || !host().registryKeyExists(key)) { notFound(ctx, p); return; }
    var o = registryProperties(ctx, key, names);
    if (o !== null) names.forEach(function (n) { if (o.has(n)) ctx.out.push(o.get(n)); });
  });
});
`,
  "get-childitem": String.raw`
cmdlet("get-childitem", { names: ["path", "literalpath", "filter", "include", "recurse", "file", "directory", "name", "force", "depth"], switches: ["recurse", "file", "directory", "name", "force"], positional: ["path", "filter"] }, function (ctx) {
  var paths = pathsOf(ctx);
  if (paths.length === 0) paths = ["."];
  var filter = "filter" in ctx.named ? str(ctx.named.filter) : null;
  var include = "include" in ctx.named ? items(ctx.named.include).map(str) : null;
  var maxDepth = ctx.named.recurse ? ("depth" in ctx.named ? toInt(ctx.named.depth) : 1e9) : 0;
  var count = 0;
  function accept(name) {
    if (filter !== null && !P.wildcard(name, filter, false)) return false;
    if (include !== null && !include.some(function (w) { return P.wildcard(name, w, false); })) return false;
    return true;
  }
  function push(item, isFolder) {
    if (++count > MAX_CHILD_ITEMS) throw PsError("Get-ChildItem returned more than " + MAX_CHILD_ITEMS + " items.", "System.InvalidOperationException");
    if ((ctx.named.file && isFolder) || (ctx.named.directory && !isFolder)) return;
    if (!accept(str(item.get("PSChildName") || item.get("Name")))) return;
    ctx.out.push(ctx.named.name ? str(item.get("PSChildName") || item.get("Name")) : item);
  }
  function walkRegistry(key, depth) {
    var listing = host().registryList(key);
    if (listing === null) return false;
    listing.subkeys.forEach(function (sub) {
      var child = key + "\\" + sub;
      push(registryKeyItem(child), true);
      if (depth < maxDepth) walkRegistry(child, depth + 1);
    });
    return true;
  }
  function walkFiles(dir, depth) {
    var entries = host().listDirectory(dir);
    if (entries === null) return false;
    entries.forEach(function (e) {
      var full = joinPath(dir, e.name);
      push(fileItem(full, !!e.isFolder), !!e.isFolder);
      if (e.isFolder && depth < maxDepth) walkFiles(full, depth + 1);
    });
    return true;
  }
  paths.forEach(function (p) {
    if (tsDriveName(p) !== null) {
      tsEnvironment().GetVariables().forEach(function (n) { if (P.wildcard(n, tsDriveName(p) || "*", false)) push(tsDriveItem(n), false); });
      return;
    }
    var key = registryPath(p);
    var ok = key !== null ? walkRegistry(key, 0) : walkFiles(p, 0);
    if (!ok) notFound(ctx, p);
  });
});
`,
  "set-item": String.raw`
cmdlet("set-item", { names: ["path", "literalpath", "value"], positional: ["path", "value"] }, function (ctx) {
  pathsOf(ctx).forEach(function (p) {
    var name = tsDriveName(p);
    if (name !== null && name !== "") { P.setTsv(name, ctx.named.value); return; }
    if (/^env:\\?./i.test(p)) { P.setEnv(p.replace(/^env:\\?/i, ""), ctx.named.value); return; }
    throw PsError("Set-Item can only set TSEnv: and Env: items in the sandbox: '" + p + "'.", "System.NotSupportedException");
  });
});
`,
  "set-content": String.raw`
cmdlet("set-content", CONTENT_SPEC, function (ctx) { writeContent(ctx, false); });
`,
  "add-content": String.raw`
cmdlet("add-content", CONTENT_SPEC, function (ctx) { writeContent(ctx, true); });
`,
  "out-file": String.raw`
cmdlet("out-file", { names: ["filepath", "literalpath", "inputobject", "append", "encoding", "width", "nonewline", "force", "noclobber"], switches: ["append", "nonewline", "force", "noclobber"], positional: ["filepath", "encoding"], aliases: { path: "filepath", pspath: "literalpath", lp: "literalpath", nooverwrite: "noclobber" } }, function (ctx) {
  outFile(ctx, inputOr(ctx, "inputobject"));
});
`,
  "tee-object": String.raw`
/* Writes its input to a file as Out-File does (-FilePath, -LiteralPath, -Append) or to a variable
   (-Variable: one object, or the array of them), and passes it on. */
cmdlet("tee-object", { names: ["inputobject", "filepath", "literalpath", "append", "variable"], switches: ["append"], positional: ["filepath"], aliases: { path: "filepath", pspath: "literalpath", lp: "literalpath" } }, function (ctx) {
  var list = inputOr(ctx, "inputobject");
  var toFile = "filepath" in ctx.named || "literalpath" in ctx.named;
  if (toFile === ("variable" in ctx.named)) throw PsError("Parameter set cannot be resolved using the specified named parameters: Tee-Object takes -FilePath, -LiteralPath or -Variable.", "System.Management.Automation.ParameterBindingException");
  if (toFile) outFile(ctx, list);
  else setVar(ctx.s, lc(str(ctx.named.variable)), unwrap(list.slice()));
  list.forEach(function (x) { ctx.out.push(x); });
});
`,
  "get-content": String.raw`
/* A file's text (__host.readFile: the device's content, with the script's own writes), as lines or -Raw. */
cmdlet("get-content", { names: ["path", "literalpath", "raw", "totalcount", "tail", "encoding", "force"], switches: ["raw", "force"], positional: ["path"], aliases: { first: "totalcount", head: "totalcount", last: "tail", pspath: "literalpath", lp: "literalpath" } }, function (ctx) {
  var paths = pathsOf(ctx);
  if (paths.length === 0) throw PsError("Cannot process command because of one or more missing mandatory parameters: Path.", "System.Management.Automation.ParameterBindingException");
  paths.forEach(function (p) {
    if (!fileSystemPath(p)) throw PsError("Get-Content reads only files in the sandbox: '" + p + "'.", "System.NotSupportedException");
    var text = host().readFile(p);
    if (text === null) {
      if (host().folderExists(p)) nonTerminating(ctx, "Unable to get content because it is a directory: '" + p + "'. Please use 'Get-ChildItem' instead.", "System.UnauthorizedAccessException");
      else notFound(ctx, p);
      return;
    }
    if (ctx.named.raw) { if (text !== "") ctx.out.push(text); return; }
    var lines = text.split(/\r\n|\n|\r/);
    if (lines[lines.length - 1] === "") lines.pop();
    var head = "totalcount" in ctx.named ? toInt(ctx.named.totalcount) : -1;
    var tail = "tail" in ctx.named ? toInt(ctx.named.tail) : -1;
    if (head >= 0) lines = lines.slice(0, head);
    if (tail >= 0) lines = tail === 0 ? [] : lines.slice(-tail);
    for (var i = 0; i < lines.length; i++) ctx.out.push(lines[i]);
  });
});
`,
  "new-item": String.raw`
/* -ItemType Directory creates a folder and its parents, File an empty file or one holding -Value
   (UTF-8): recorded like Set-Content's writes (guest-api.ts, __host.createFolder and writeFile). */
cmdlet("new-item", { names: ["path", "name", "itemtype", "value", "force"], switches: ["force"], positional: ["path"], aliases: { type: "itemtype" } }, function (ctx) {
  var type = lc(str(isNull(ctx.named.itemtype) ? "File" : ctx.named.itemtype));
  var force = !!ctx.named.force;
  var paths = pathsOf(ctx);
  if (paths.length === 0) throw PsError("Cannot process command because of one or more missing mandatory parameters: Path.", "System.Management.Automation.ParameterBindingException");
  paths.forEach(function (given) {
    var p = "name" in ctx.named ? joinPath(given, str(ctx.named.name)) : given;
    if (!fileSystemPath(p) || (type !== "file" && type !== "directory")) throw PsError("New-Item creates only files and folders in the sandbox (-ItemType File or Directory): '" + p + "'.", "System.NotSupportedException");
    if (!force && (host().fileExists(p) || host().folderExists(p))) { nonTerminating(ctx, "An item with the specified name " + p + " already exists.", "System.IO.IOException"); return; }
    if (type === "directory") host().createFolder(p);
    else {
      /* -Force creates the folders a file goes into (not a drive or share). */
      var parent = parentOf(p);
      if (force && !/^([A-Za-z]:\\?|\\\\[^\\]+\\[^\\]+)?$/.test(parent)) host().createFolder(parent);
      if (!writeText(ctx, p, "value" in ctx.named ? str(ctx.named.value) : "", "utf-8", false, false, false)) return;
    }
    ctx.out.push(fileItem(p, type === "directory"));
  });
});
`,
  mkdir: String.raw`
/* PowerShell's mkdir function (alias md): New-Item -ItemType Directory with the other parameters. */
cmdlet("mkdir", { names: ["path", "name", "value", "force"], switches: ["force"], positional: ["path"] }, function (ctx) {
  ctx.named.itemtype = "Directory";
  CMDLETS["new-item"].run(ctx);
});
`,
  "join-path": String.raw`
cmdlet("join-path", { names: ["path", "childpath", "additionalchildpath", "resolve"], switches: ["resolve"], positional: ["path", "childpath"] }, function (ctx) {
  var extra = items(ctx.named.additionalchildpath).concat(ctx.rest).map(str);
  items(ctx.named.path).forEach(function (p) {
    var result = joinPath(p, str(ctx.named.childpath));
    extra.forEach(function (c) { result = joinPath(result, c); });
    ctx.out.push(result);
  });
});
`,
  "split-path": String.raw`
cmdlet("split-path", { names: ["path", "literalpath", "parent", "leaf", "leafbase", "extension", "qualifier", "noqualifier", "isabsolute"], switches: ["parent", "leaf", "leafbase", "extension", "qualifier", "noqualifier", "isabsolute"], positional: ["path"] }, function (ctx) {
  pathsOf(ctx).forEach(function (p) {
    var leaf = leafOf(p.replace(/[\\\/]+$/, ""));
    var dot = leaf.lastIndexOf(".");
    var q = /^([A-Za-z]+:)/.exec(p);
    if (ctx.named.leaf) ctx.out.push(leaf);
    else if (ctx.named.leafbase) ctx.out.push(dot < 0 ? leaf : leaf.slice(0, dot));
    else if (ctx.named.extension) ctx.out.push(dot < 0 ? "" : leaf.slice(dot));
    else if (ctx.named.qualifier) ctx.out.push(q ? q[1] : "");
    else if (ctx.named.noqualifier) ctx.out.push(q ? p.slice(q[1].length) : p);
    else if (ctx.named.isabsolute) ctx.out.push(/^([A-Za-z]+:)?[\\\/]/.test(p) || /^[A-Za-z]:$/.test(p));
    else { var parent = str(p).replace(/[\\\/]+$/, ""); var i = Math.max(parent.lastIndexOf("\\"), parent.lastIndexOf("/")); ctx.out.push(i < 0 ? "" : /^[A-Za-z]:$/.test(parent.slice(0, i)) ? parent.slice(0, i + 1) : parent.slice(0, i)); }
  });
});
`,
  "get-date": String.raw`
cmdlet("get-date", { names: ["date", "format", "uformat", "year", "month", "day", "hour", "minute", "second"], positional: ["date"] }, function (ctx) {
  var d = "date" in ctx.named ? castTo("datetime", ctx.named.date) : new PsDate(hostNow());
  var x = new Date(d.ms);
  if ("year" in ctx.named) x.setUTCFullYear(toInt(ctx.named.year));
  if ("month" in ctx.named) x.setUTCMonth(toInt(ctx.named.month) - 1);
  if ("day" in ctx.named) x.setUTCDate(toInt(ctx.named.day));
  if ("hour" in ctx.named) x.setUTCHours(toInt(ctx.named.hour));
  if ("minute" in ctx.named) x.setUTCMinutes(toInt(ctx.named.minute));
  if ("second" in ctx.named) x.setUTCSeconds(toInt(ctx.named.second));
  d = new PsDate(x.getTime());
  if ("uformat" in ctx.named) {
    var map = { Y: "yyyy", y: "yy", m: "MM", d: "dd", H: "HH", M: "mm", S: "ss", A: "dddd", a: "ddd", B: "MMMM", b: "MMM", p: "tt" };
    ctx.out.push(str(ctx.named.uformat).replace(/%([A-Za-z%])/g, function (all, c) { return c === "%" ? "%" : map[c] ? formatDate(d.ms, map[c]) : all; }));
  } else ctx.out.push("format" in ctx.named ? formatDate(d.ms, str(ctx.named.format)) : d);
});
`,
  "start-sleep": String.raw`
cmdlet("start-sleep", { names: ["seconds", "milliseconds"], positional: ["seconds"], aliases: { s: "seconds", ms: "milliseconds" } }, function (ctx) {
  var ms = "milliseconds" in ctx.named ? num(ctx.named.milliseconds) : num(ctx.named.seconds) * 1000;
  sleep(Math.max(0, Math.round(ms)));
});
`,
  "convertto-json": String.raw`
function toJsonValue(v, depth) {
  if (isNull(v) || v === VOID) return null;
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return isFinite(v) ? v : str(v);
  if (v instanceof PsDate) return formatDate(v.ms, "yyyy-MM-ddTHH:mm:ss.fffZ");
  if (v instanceof Version) return depth < 0 ? str(v) : { Major: versionPart(v, 0), Minor: versionPart(v, 1), Build: versionPart(v, 2), Revision: versionPart(v, 3) };
  if (depth < 0) return str(v);
  if (Array.isArray(v)) return v.map(function (x) { return toJsonValue(x, depth - 1); });
  if (v instanceof Dict) {
    var o = {};
    for (var i = 0; i < v.names.length; i++) o[str(v.names[i])] = toJsonValue(v.vals[i], depth - 1);
    return o;
  }
  return str(v);
}
cmdlet("convertto-json", { names: ["inputobject", "depth", "compress", "asarray"], switches: ["compress", "asarray"], positional: ["inputobject"] }, function (ctx) {
  var list = "inputobject" in ctx.named ? [ctx.named.inputobject] : ctx.input || [];
  var value = list.length === 1 && !ctx.named.asarray ? list[0] : list;
  var depth = "depth" in ctx.named ? toInt(ctx.named.depth) : 2;
  ctx.out.push(JSON.stringify(toJsonValue(value, depth), null, ctx.named.compress ? undefined : 2));
});
`,
  "convertfrom-json": String.raw`
function fromJson(v) {
  if (Array.isArray(v)) return v.map(fromJson);
  if (v !== null && typeof v === "object") {
    var o = new Dict("obj");
    for (var k in v) o.set(k, fromJson(v[k]));
    return o;
  }
  return v;
}
cmdlet("convertfrom-json", { names: ["inputobject", "ashashtable"], switches: ["ashashtable"], positional: ["inputobject"] }, function (ctx) {
  var text = "inputobject" in ctx.named ? str(ctx.named.inputobject) : (ctx.input || []).map(str).join("\n");
  var parsed;
  try { parsed = JSON.parse(text); }
  catch (e) { throw PsError("Conversion from JSON failed with error: " + (e && e.message ? e.message : "invalid JSON"), "System.ArgumentException"); }
  var result = fromJson(parsed);
  if (ctx.named.ashashtable && result instanceof Dict) result.kind = "hash";
  if (Array.isArray(result)) result.forEach(function (x) { ctx.out.push(x); }); else ctx.out.push(result);
});
`,
  "new-object": String.raw`
cmdlet("new-object", { names: ["typename", "comobject", "property", "argumentlist"], positional: ["typename", "argumentlist"] }, function (ctx) {
  if ("comobject" in ctx.named) { ctx.out.push(newCom(str(ctx.named.comobject))); return; }
  var t = lc(str(ctx.named.typename)).replace(/^system\./, "");
  var args = items(ctx.named.argumentlist).concat(ctx.rest);
  var result;
  if (/^((management\.automation\.)?ps(custom)?object|object)$/.test(t)) {
    result = new Dict("obj");
    if (isHash(ctx.named.property)) for (var i = 0; i < ctx.named.property.names.length; i++) result.set(str(ctx.named.property.names[i]), ctx.named.property.vals[i]);
  } else if (t === "collections.arraylist") result = castTo("arraylist", []);
  else if (/^collections\.generic\.list\[/.test(t)) result = castTo("list", []);
  else if (t === "collections.hashtable" || t === "hashtable" || t === "collections.specialized.ordereddictionary") result = new Dict("hash");
  else if (t === "version") result = args.length === 1 ? parseVersion(str(args[0])) : new Version(args.map(function (a) { return toInt(a); }));
  else if (t === "datetime") result = new PsDate(Date.UTC(toInt(args[0]), toInt(args[1]) - 1, toInt(args[2]), toInt(args[3] || 0), toInt(args[4] || 0), toInt(args[5] || 0)));
  else throw PsError("Cannot find type [" + str(ctx.named.typename) + "]: the sandbox does not provide it.", "System.Management.Automation.PSArgumentException");
  ctx.out.push(result);
});
`,
  "add-member": String.raw`
cmdlet("add-member", { names: ["inputobject", "membertype", "name", "value", "notepropertyname", "notepropertyvalue", "notepropertymembers", "passthru", "force", "secondvalue"], switches: ["passthru", "force"], positional: ["membertype", "name", "value"], aliases: { type: "membertype" } }, function (ctx) {
  var targets = inputOr(ctx, "inputobject");
  targets.forEach(function (o) {
    if (!(o instanceof Dict)) throw PsError("Add-Member can only add properties to objects and hashtables in the sandbox.", "System.NotSupportedException");
    var pairs = [];
    if ("notepropertymembers" in ctx.named) {
      var members = ctx.named.notepropertymembers;
      if (!isHash(members)) throw PsError("NotePropertyMembers must be a hashtable.", "System.Management.Automation.ParameterBindingException");
      for (var i = 0; i < members.names.length; i++) pairs.push([str(members.names[i]), members.vals[i]]);
    } else if ("notepropertyname" in ctx.named) pairs.push([str(ctx.named.notepropertyname), ctx.named.notepropertyvalue]);
    else {
      var type = lc(str(ctx.named.membertype));
      if (type !== "noteproperty" && type !== "property") throw PsError("Add-Member -MemberType " + str(ctx.named.membertype) + " is not supported in the sandbox.", "System.NotSupportedException");
      pairs.push([str(ctx.named.name), ctx.named.value]);
    }
    pairs.forEach(function (p) {
      if (o.has(p[0]) && !ctx.named.force) throw PsError("Cannot add a member with the name \"" + p[0] + "\" because a member with that name already exists.", "System.InvalidOperationException");
      o.set(p[0], p[1] === undefined ? null : p[1]);
    });
    if (ctx.named.passthru) ctx.out.push(o);
  });
});
`,
  "get-variable": String.raw`
cmdlet("get-variable", { names: ["name", "valueonly", "scope"], switches: ["valueonly"], positional: ["name"] }, function (ctx) {
  items(ctx.named.name).forEach(function (n) {
    var key = lc(str(n));
    var scope = lookup(ctx.s, key);
    if (scope === null) { nonTerminating(ctx, "Cannot find a variable with the name '" + str(n) + "'.", "System.Management.Automation.ItemNotFoundException"); return; }
    ctx.out.push(ctx.named.valueonly ? scope.v[key] : newObj("System.Management.Automation.PSVariable", [["Name", str(n)], ["Value", scope.v[key]]]));
  });
});
`,
  "set-variable": String.raw`
cmdlet("set-variable", { names: ["name", "value", "scope", "option"], positional: ["name", "value"] }, function (ctx) {
  var value = "value" in ctx.named ? ctx.named.value : ctx.input === null ? null : unwrap(ctx.input);
  var target = /^(script|global)$/i.test(str(ctx.named.scope)) ? P.root : ctx.s;
  items(ctx.named.name).forEach(function (n) { setVar(target, lc(str(n)), value); });
});
`,
};

/** The names of every cmdlet the prelude implements (canonical, lower case). */
export const IMPLEMENTED_CMDLETS: readonly string[] = Object.keys(CMDLET_SOURCES);
