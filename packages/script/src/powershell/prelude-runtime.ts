/**
 * Runtime prelude, part 4 (JavaScript source for QuickJS): scopes, functions and parameter
 * binding, pipelines, the error model, `exit`, and the script entry point `__ps.main`. Cut into units by `/*@ name *\/` lines
 * (runtime-units.ts).
 */
export const PRELUDE_RUNTIME = String.raw`
/*@ runtime */
/* ---- scopes --------------------------------------------------------------------------------- */
/* v: variables; f: functions defined in the scope (created by the first definition); p: the parent scope;
   cl: the line that invoked the function or script block whose scope this is (0 for other scopes). */
function Scope(parent) { this.v = Object.create(null); this.f = null; this.p = parent; this.cl = 0; }
function lookup(s, name) {
  for (var x = s; x !== null; x = x.p) if (name in x.v) return x;
  return null;
}
function getVar(s, name) {
  for (var x = s; x !== null; x = x.p) if (name in x.v) return x.v[name];
  return null;
}
function setVar(s, name, v) {
  s.v[name] = v === VOID ? null : v;
  return v;
}
P.gv = getVar;
P.sv = setVar;

var envLocal = Object.create(null);
P.env = function (name) {
  var key = lc(name);
  if (key in envLocal) return envLocal[key];
  var h = globalThis.__host;
  if (h && typeof h.env === "function") { var v = h.env(String(name)); return isNull(v) || v === "" ? null : str(v); }
  return null;
};
P.setEnv = function (name, v) { envLocal[lc(name)] = isNull(v) || str(v) === "" ? null : str(v); return v; };

P.ref = function (s, name) {
  return new Ref(function () { return getVar(s, name); }, function (v) { var x = lookup(s, name) || s; x.v[name] = v; });
};

/* ---- host ------------------------------------------------------------------------------------ */
function host() { return globalThis.__host; }
/* The simulated clock, read from the host once: only Start-Sleep (sleep below) advances it, since
   PowerShell-style code cannot reach __host itself. */
var clockStart = null, slept = 0;
function hostNow() {
  if (clockStart === null) { var h = host(); clockStart = h && typeof h.now === "function" ? Number(h.now()) : 0; }
  return clockStart + slept;
}
function sleep(ms) {
  var h = host();
  hostNow();
  if (h && typeof h.sleep === "function") h.sleep(ms);
  slept += ms;
}
function write(stream, text) { var h = host(); if (h && typeof h.write === "function") h.write(stream, text); }

/* ---- errors ---------------------------------------------------------------------------------- */
/* Thrown by exit (and break outside a loop) to unwind the script to __ps.main: catch blocks rethrow
   it, finally blocks run, as in PowerShell. */
var EXIT = { exit: true };
function fatal(e) {
  if (!(e instanceof Error)) return true;
  if (e.name === "InternalError") return true;
  if (e instanceof RangeError && /stack|call/i.test(String(e.message))) return true;
  return e.psFatal === true;
}
P.fatal = fatal;

function errorRecord(e) {
  if (e instanceof Dict && e.typeName === "System.Management.Automation.ErrorRecord") return e;
  var message = e instanceof Error ? e.message : str(e);
  var type = e && e.psType ? e.psType : "System.Management.Automation.RuntimeException";
  var ex = newObj(type, [["Message", message], ["HResult", e && typeof e.hresult === "number" ? e.hresult | 0 : -2146233087], ["InnerException", null]]);
  if (e && e.code) ex.set("Code", String(e.code));
  ex.text = message;
  ex.methods = { getbaseexception: function () { return ex; } };
  var rec = newObj("System.Management.Automation.ErrorRecord", [
    ["Exception", ex],
    ["TargetObject", e && e.psTarget !== undefined ? e.psTarget : null],
    ["FullyQualifiedErrorId", e && e.psId ? e.psId : type.split(".").pop()],
    ["CategoryInfo", newObj("System.Management.Automation.ErrorCategoryInfo", [["Category", "NotSpecified"], ["Reason", type.split(".").pop()]])],
    ["InvocationInfo", newObj("System.Management.Automation.InvocationInfo", [["ScriptLineNumber", e && e.psLine ? e.psLine : P.ln]])]
  ]);
  rec.text = message;
  rec.original = e;
  return rec;
}

/* The line that invoked the innermost function or script block running in scope s (PowerShell's
   $MyInvocation.ScriptLineNumber), or the current line outside any. */
function callerLine(s) {
  for (var x = s; x !== null; x = x.p) if (x.cl) return x.cl;
  return P.ln;
}

/* A cmdlet's non-terminating error, following -ErrorAction and $ErrorActionPreference; 'line' (optional) is the line it is reported at. */
function nonTerminating(ctx, message, type, line) {
  var action = lc(ctx.named.erroraction !== undefined ? str(ctx.named.erroraction) : str(getVar(ctx.s, "erroractionpreference")));
  var e = PsError(message, type || "System.Management.Automation.RuntimeException");
  if (line) e.psLine = line;
  if (action === "stop") throw e;
  if (action === "ignore") return;
  var rec = errorRecord(e);
  addError(rec);
  if (action === "silentlycontinue" || P.quiet > 0) return;
  if (P.merge > 0) { ctx.out.push(rec); return; }
  write("error", message);
}

/* Adds an error record to $Error, newest first, as PowerShell does: not the same exception twice in a
   row (a rethrown error caught again), at most $MaximumErrorCount (256) records. */
function addError(rec) {
  var errs = getVar(P.root, "error");
  if (!Array.isArray(errs)) return;
  if (errs.length > 0 && errs[0].original === rec.original) return;
  errs.unshift(rec);
  if (errs.length > 256) errs.length = 256;
}
/* The ErrorRecord of an error a catch block catches ($_), added to $Error. */
P.caught = function (e) {
  var rec = errorRecord(e);
  addError(rec);
  return rec;
};
P.quiet = 0;
P.merge = 0;

/* The code of the last exit, which __ps.main hands to the host; null while the script has not exited. */
P.exitCode = null;
P.exit = function (v) {
  var code = isNull(v) ? 0 : toInt(v);
  setVar(P.root, "lastexitcode", code);
  P.exitCode = code;
  throw EXIT;
};
P.breakOut = function () { throw EXIT; };

/* ---- functions and binding -------------------------------------------------------------------- */
function Fn(params, body, begin, process, end) { this.params = params; this.body = body; this.begin = begin; this.process = process; this.end = end; this.spec = null; }
/* params: [{ n, t?, sw?, d?, m?, pos?, pipe?, pbn?, al?, set? }] (pbn: ValueFromPipelineByPropertyName, al: aliases), absent fields meaning no type, not a switch, no default, ... */
P.fn = function (params, body, begin, process, end) { return new Fn(params, body, begin, process, end); };
P.defn = function (s, name, fn) { (s.f || (s.f = Object.create(null)))[name] = fn; };
function findFn(s, name) {
  for (var x = s; x !== null; x = x.p) if (x.f !== null && name in x.f) return x.f[name];
  return null;
}

/* Flattens raw arguments ({p}, {v}, {p,v}, {sp}) and expands splatting. */
function flatArgs(raw) {
  var n = 0;
  while (n < raw.length && raw[n].sp === undefined) n++;
  if (n === raw.length) return raw;
  var out = [];
  for (var i = 0; i < raw.length; i++) {
    var a = raw[i];
    if (a.sp !== undefined) {
      if (isHash(a.sp)) for (var k = 0; k < a.sp.names.length; k++) out.push({ p: lc(a.sp.names[k]), v: a.sp.vals[k], bound: true });
      else items(a.sp).forEach(function (x) { out.push({ v: x }); });
    } else out.push(a);
  }
  return out;
}

/* Resolves a given parameter name (lower case) or unique prefix; 'aliases' (optional) maps alias names, which take part in the match, to their parameter. */
function resolveParam(names, given, what, aliases) {
  var canonical = function (n) { return (aliases && aliases[n]) || n; };
  if (names.indexOf(given) >= 0) return canonical(given);
  var hits = [];
  names.forEach(function (n) { if (n.indexOf(given) === 0 && hits.indexOf(canonical(n)) < 0) hits.push(canonical(n)); });
  if (hits.length === 1) return hits[0];
  if (hits.length > 1) throw PsError("Parameter cannot be processed because the parameter name '" + given + "' is ambiguous. Possible matches include: " + hits.join(", ") + ".", "System.Management.Automation.ParameterBindingException");
  throw PsError("A parameter cannot be found that matches parameter name '" + given + "'" + (what ? " of " + what : "") + ".", "System.Management.Automation.ParameterBindingException");
}

var COMMON = ["erroraction", "warningaction", "verbose", "debug", "informationaction", "errorvariable", "outvariable"];
var COMMON_ALIAS = { ea: "erroraction", wa: "warningaction", vb: "verbose", ia: "informationaction", ev: "errorvariable", ov: "outvariable" };
var COMMON_SWITCH = { verbose: true, debug: true };

/* Binds arguments against a spec { names, switches, positional, aliases }. */
function bind(raw, spec, what) {
  var args = flatArgs(raw);
  var names = spec.all || (spec.all = spec.names.concat(COMMON));
  var named = Object.create(null), positional = [];
  for (var i = 0; i < args.length; i++) {
    var a = args[i];
    if (a.p === undefined) { positional.push(a.v); continue; }
    var given = COMMON_ALIAS[a.p] || (spec.aliases && spec.aliases[a.p]) || a.p;
    var name = resolveParam(names, given, what, spec.aliasNames ? spec.aliases : undefined);
    var isSwitch = (spec.switches && spec.switches.indexOf(name) >= 0) || COMMON_SWITCH[name];
    if ("v" in a) named[name] = isSwitch && !a.bound ? bool(a.v) : a.v;
    else if (isSwitch) named[name] = true;
    else {
      var next = args[i + 1];
      if (next === undefined || next.p !== undefined) throw PsError("Missing an argument for parameter '" + name + "'. Specify a parameter of type 'System.Object' and try again.", "System.Management.Automation.ParameterBindingException");
      named[name] = next.v;
      i++;
    }
  }
  var rest = [];
  var pos = spec.positional || [];
  for (var j = 0, k = 0; j < positional.length; j++) {
    while (k < pos.length && pos[k] in named) k++;
    if (k < pos.length) named[pos[k++]] = positional[j];
    else rest.push(positional[j]);
  }
  return { named: named, rest: rest };
}

function fnSpec(params) {
  var names = params.map(function (p) { return lc(p.n); });
  var switches = params.filter(function (p) { return p.sw; }).map(function (p) { return lc(p.n); });
  var withPos = params.filter(function (p) { return !p.sw && p.pos !== undefined; }).sort(function (a, b) { return a.pos - b.pos; });
  var positional = (withPos.length > 0 ? withPos : params.filter(function (p) { return !p.sw; })).map(function (p) { return lc(p.n); });
  var aliases = Object.create(null);
  params.forEach(function (p) { if (p.al) items(p.al).forEach(function (a) { aliases[lc(str(a))] = lc(p.n); }); });
  /* The parameters that take pipeline input (ValueFromPipeline or ValueFromPipelineByPropertyName). */
  var piped = params.filter(function (p) { return p.pipe || p.pbn; });
  /* Aliases take part in prefix matching, as in PowerShell. */
  var aliasNames = Object.keys(aliases);
  return { names: names, all: names.concat(aliasNames, COMMON), aliasNames: aliasNames.length > 0, switches: switches, positional: positional, aliases: aliases, piped: piped };
}

/* The value a parameter gets when nothing binds it. */
function defaultValue(p, scope) {
  if (p.d !== undefined) return p.d(scope);
  return p.sw ? false : p.t === "string" ? "" : p.t === "int" || p.t === "long" || p.t === "double" ? 0 : p.t === "bool" ? false : null;
}

/* Converts and validates a parameter's value, then sets its variable. */
function setParam(scope, p, v) {
  if (p.t !== undefined && !isNull(v)) v = castTo(p.t, v);
  if (p.set !== undefined && !isNull(v) && !p.set.some(function (x) { return eqScalar(v, x, false); })) {
    throw PsError("Cannot validate argument on parameter '" + p.n + "'. The argument \"" + str(v) + "\" does not belong to the set \"" + p.set.map(str).join(",") + "\".", "System.Management.Automation.ParameterBindingValidationException");
  }
  setVar(scope, lc(p.n), v);
  return v;
}

/*
 * Binds the command line (named and positional arguments) as PowerShell's first binding phase does.
 * Returns the binding state for the pipeline phase ({@link bindRecord}), or null when the function
 * declares no parameters. 'piped' says whether the command receives pipeline input: its pipeline
 * parameters are then bound per input object and are not mandatory on the command line.
 */
function bindFunction(fn, scope, raw, piped) {
  var params = fn.params;
  if (params.length === 0) {
    /* No parameters declared (a simple function or a script without param()): every argument goes to
       $args, a named one as its "-Name" text followed by its value. */
    var all = [];
    flatArgs(raw).forEach(function (a) { if (a.p !== undefined) all.push("-" + (a.n || a.p)); if ("v" in a) all.push(a.v); });
    setVar(scope, "args", all);
    setVar(scope, "psboundparameters", new Dict("hash"));
    return null;
  }
  var spec = fn.spec || (fn.spec = fnSpec(params));
  var b = bind(raw, spec, "the function");
  var bound = new Dict("hash");
  for (var i = 0; i < params.length; i++) {
    var p = params[i], key = spec.names[i];
    if (key in b.named) { bound.set(p.n, setParam(scope, p, b.named[key])); continue; }
    if (p.m && !(piped && (p.pipe || p.pbn))) throw PsError("Cannot process command because of one or more missing mandatory parameters: " + p.n + ".", "System.Management.Automation.ParameterBindingException");
    setParam(scope, p, defaultValue(p, scope));
  }
  setVar(scope, "args", b.rest);
  setVar(scope, "psboundparameters", bound);
  /* The pipeline parameters still free for input objects. */
  var open = spec.piped.filter(function (p) { return !(lc(p.n) in b.named); });
  return { bound: bound, open: open, any: spec.piped.length > 0, named: b.named };
}

/* The property of an input object that a ValueFromPipelineByPropertyName parameter binds: its name or an alias. */
function propertyFor(item, p) {
  if (!(item instanceof Dict)) return undefined;
  var candidates = [p.n].concat(p.al ? items(p.al).map(str) : []);
  for (var i = 0; i < candidates.length; i++) if (item.has(candidates[i])) return item.get(candidates[i]);
  return undefined;
}

/*
 * PowerShell's second binding phase, once per input object: each pipeline parameter the command
 * line left free takes the object (ValueFromPipeline) or its property of the same name or alias
 * (ValueFromPipelineByPropertyName), and is added to $PSBoundParameters after the command-line
 * parameters; one that cannot bind this object gets its default back. Returns false (after a
 * non-terminating error) when the object cannot be bound, and the object is skipped.
 */
function bindRecord(state, scope, item, out) {
  if (state === null || !state.any) return true;
  var took = false, missing = [];
  for (var i = 0; i < state.open.length; i++) {
    var p = state.open[i];
    var v = p.pipe ? item : propertyFor(item, p);
    state.bound.remove(p.n);
    if (v === undefined) {
      if (p.m) missing.push(p.n);
      setParam(scope, p, defaultValue(p, scope));
      continue;
    }
    state.bound.set(p.n, setParam(scope, p, v));
    took = true;
  }
  var ctx = { named: state.named, s: scope, out: out };
  if (!took) {
    nonTerminating(ctx, "The input object cannot be bound to any parameters for the command either because the command does not take pipeline input or the input and its properties do not match any of the parameters that take pipeline input.", "System.Management.Automation.ParameterBindingException");
    return false;
  }
  if (missing.length > 0) {
    nonTerminating(ctx, "The input object cannot be bound because it did not contain the information required to bind all mandatory parameters: " + missing.join(" ") + ".", "System.Management.Automation.ParameterBindingException");
    return false;
  }
  return true;
}

/*
 * Invokes a function or script block in a new child scope of 'parent'. 'input' is null when the
 * command is not fed by a pipeline. As PowerShell's script command processors do: the begin block
 * sees an empty $input; the process block runs once per input object with $_, $input (that object)
 * and the pipeline parameters bound, or once with the command-line values when there is no
 * pipeline; the end block (or a body without named blocks) sees the last binding and $input holds
 * every input object when there is no process block, nothing otherwise.
 */
function invokeFn(fn, parent, raw, input, out, sameScope) {
  var scope = sameScope ? parent : new Scope(parent);
  if (!sameScope) scope.cl = P.ln;
  var state = bindFunction(fn, scope, raw, input !== null);
  var all = input === null ? [] : input;
  if (fn.body) {
    var taken = [];
    for (var k = 0; k < all.length; k++) if (bindRecord(state, scope, all[k], out)) taken.push(all[k]);
    setVar(scope, "input", taken);
    fn.body(scope, out);
    return;
  }
  setVar(scope, "input", []);
  fn.begin(scope, out);
  var rest = [];
  if (fn.process) {
    if (input === null) {
      setVar(scope, "_", null);
      setVar(scope, "input", []);
      fn.process(scope, out);
    }
    for (var i = 0; i < all.length; i++) {
      if (!bindRecord(state, scope, all[i], out)) continue;
      setVar(scope, "_", all[i]);
      setVar(scope, "input", [all[i]]);
      fn.process(scope, out);
    }
  } else for (var j = 0; j < all.length; j++) if (bindRecord(state, scope, all[j], out)) rest.push(all[j]);
  setVar(scope, "input", rest);
  fn.end(scope, out);
}

/* Runs a script block in its own scope with $_ set (ForEach-Object, Where-Object, .Where()); returns
   its output, written to out when given (as it runs, so what it wrote before an error or exit stays). */
function runWithItem(sb, item, scope, out) {
  if (!(sb instanceof ScriptBlock)) throw PsError("Cannot convert the value to type System.Management.Automation.ScriptBlock.", "System.Management.Automation.ParameterBindingException");
  var s = scope || sb.scope;
  var prev = s.v._;
  var had = "_" in s.v;
  s.v._ = item;
  if (out === undefined) out = [];
  try { sb.fn.body(s, out); }
  finally { if (had) s.v._ = prev; else delete s.v._; }
  return out;
}

/* ---- pipelines ------------------------------------------------------------------------------ */
function runStage(s, st, input, out) {
  if (st.f !== undefined) {
    var fn = findFn(s, st.f);
    if (fn === null) throw PsError("The term '" + st.f + "' is not recognized as the name of a cmdlet, function, script file, or operable program.", "System.Management.Automation.CommandNotFoundException");
    invokeFn(fn, s, st.a, input, out);
    return;
  }
  if (st.c !== undefined) { runCmdlet(s, st.c, st.a, input, out); return; }
  var callee = st.x;
  if (callee instanceof ScriptBlock) { invokeFn(callee.fn, s, st.a, input, out); return; }
  var name = lc(str(callee));
  var user = findFn(s, name);
  if (user !== null) { invokeFn(user, s, st.a, input, out); return; }
  var canonical = ALIASES[name] || name;
  if (!CMDLETS[canonical]) throw PsError("The term '" + str(callee) + "' is not recognized as the name of a cmdlet, function, script file, or operable program.", "System.Management.Automation.CommandNotFoundException");
  runCmdlet(s, canonical, st.a, input, out);
}

var PLAIN = { discardOutput: false, discardErrors: false, mergeErrors: false };
/* Runs a pipeline's stages one after the other and returns its output; with a sink, the last command
   writes there as it runs instead (what it wrote before a terminating error or exit stays written). */
function pipeOut(s, stages, redirect, sink) {
  var input = null;
  if (redirect === undefined) redirect = PLAIN;
  if (redirect.discardErrors) P.quiet++;
  if (redirect.mergeErrors) P.merge++;
  try {
    for (var i = 0; i < stages.length; i++) {
      var st = stages[i];
      if ("e" in st) { input = items(st.e).slice(); continue; }
      P.ln = st.l;
      var direct = sink !== undefined && i === stages.length - 1 && !redirect.discardOutput;
      var out = direct ? sink : [];
      runStage(s, st, input, out);
      input = direct ? null : out;
    }
  } finally {
    if (redirect.discardErrors) P.quiet--;
    if (redirect.mergeErrors) P.merge--;
  }
  return redirect.discardOutput || input === null ? [] : input;
}
P.pipeOut = pipeOut;
/* A pipeline of one command without redirection: its output goes straight to o (returned). */
P.run = function (s, o, st) {
  P.ln = st.l;
  runStage(s, st, null, o);
  return o;
};
P.pipe = function (s, o, stages, redirect) {
  var result = pipeOut(s, stages, redirect, o);
  for (var i = 0; i < result.length; i++) o.push(result[i]);
};

/* ---- entry point ------------------------------------------------------------------------------- */
P.main = function (fn, args) {
  var root = new Scope(null);
  P.root = root;
  var defaults = {
    lastexitcode: 0, erroractionpreference: "Continue", verbosepreference: "SilentlyContinue", warningpreference: "Continue",
    debugpreference: "SilentlyContinue", informationpreference: "Continue", error: [], psscriptroot: "", pscommandpath: "",
    psversiontable: P.hash([["PSVersion", new Version([5, 1, 0, 0])], ["PSEdition", "Desktop"]]), ofs: " ", pid: 0
  };
  for (var k in defaults) root.v[k] = defaults[k];
  var sink = { push: function (v) { write("output", formatRecord(v)); } };
  var h = host();
  if (h && h.parameters) for (var name in h.parameters) args = args.concat([{ p: lc(name), n: name, v: h.parameters[name] }]);
  try {
    invokeFn(fn, root, args, null, sink, true);
  } catch (e) {
    if (e !== EXIT) {
      if (fatal(e)) throw e;
      // No line before the first statement: the script's own parameters failed to bind.
      var line = e && e.psLine ? e.psLine : P.ln;
      write("error", (e instanceof Error ? e.message : str(e)) + (line ? " (line " + line + ")" : ""));
      P.exitCode = 1;
    }
  }
  if (P.exitCode !== null && h && typeof h.exit === "function") h.exit(P.exitCode);
};

/*@ tsdrive */
/* MDT's TSEnv: drive ($tsenv:Name, Get-Item TSEnv:Name, Set-Item TSEnv:Name value). */
function tsEnvironment() {
  var t = globalThis.TSEnvironment;
  if (!t) throw PsError("Cannot find drive. A drive with the name 'TSEnv' does not exist.", "System.Management.Automation.DriveNotFoundException");
  return t;
}
P.tsv = function (name) { var v = str(tsEnvironment().Value(String(name))); return v === "" ? null : v; };
P.setTsv = function (name, v) {
  var t = tsEnvironment();
  try { t.Value(String(name), str(v)); } catch (e) { if (fatal(e)) throw e; throw comError(e); }
  return v;
};

/*@ errors-catch */
var GENERAL_EXCEPTIONS = ["exception", "system.exception", "system.management.automation.runtimeexception", "management.automation.runtimeexception"];
P.catches = function (e, types) {
  var type = lc(e && e.psType ? e.psType : "System.Management.Automation.RuntimeException");
  for (var i = 0; i < types.length; i++) {
    var t = types[i].replace(/^system\./, "");
    if (GENERAL_EXCEPTIONS.indexOf(types[i]) >= 0 || type.replace(/^system\./, "") === t) return true;
  }
  return false;
};
P.toThrow = function (v, s) {
  if (v === undefined) {
    var cur = getVar(s, "_");
    if (cur instanceof Dict && cur.original) return cur.original;
    return PsError("ScriptHalted", "System.Management.Automation.RuntimeException");
  }
  if (v instanceof Dict && v.original) return v.original;
  if (v instanceof Error) return v;
  var e = PsError(str(v), "System.Management.Automation.RuntimeException");
  e.psTarget = v;
  return e;
};

/*@ switch-match */
P.switchMatch = function (s, x, test, mode, cs) {
  if (mode === "regex") return matchScalar(x, test, cs, s);
  if (mode === "wildcard") return wildcardRegex(str(test), cs).test(str(x));
  return eqScalar(x, test, cs);
};
`;
