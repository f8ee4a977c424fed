/**
 * Runtime prelude, part 3 (JavaScript source for QuickJS): properties, methods, indexing and the
 * static members of the allowed .NET types (`[math]`, `[string]`, `[version]`, ...), plus the two
 * COM objects. Cut into units by `/*@ name *\/` lines (runtime-units.ts), one per instance method name.
 */
export const PRELUDE_MEMBERS = String.raw`
/*@ members */
function lc(name) { return String(name).toLowerCase(); }

function mem(o, name) {
  var n = lc(name);
  if (isNull(o)) return n === "count" || n === "length" ? 0 : null;
  if (Array.isArray(o)) {
    if (n === "count" || n === "length") return o.length;
    var out = [];
    for (var i = 0; i < o.length; i++) { var v = mem(o[i], name); if (!isNull(v)) emit(out, v); }
    return unwrap(out);
  }
  if (typeof o === "string") return n === "length" ? o.length : n === "count" ? 1 : null;
  if (o instanceof Dict) {
    if (o.kind === "hash") {
      if (o.has(name)) return o.get(name);
      if (n === "count") return o.names.length;
      if (n === "keys") return o.names.slice();
      if (n === "values") return o.vals.slice();
      return null;
    }
    if (o.has(name)) return o.get(name);
    if (n === "psobject") return newObj("System.Management.Automation.PSObject", [["Properties", o.names.map(function (k, i) { return newObj("System.Management.Automation.PSNoteProperty", [["Name", k], ["Value", o.vals[i]]]); })]]);
    return n === "count" || n === "length" ? 1 : null;
  }
  if (o instanceof Version) return { major: versionPart(o, 0), minor: versionPart(o, 1), build: versionPart(o, 2), revision: versionPart(o, 3) }[n];
  if (o instanceof PsDate) {
    var d = new Date(o.ms);
    switch (n) {
      case "year": return d.getUTCFullYear();
      case "month": return d.getUTCMonth() + 1;
      case "day": return d.getUTCDate();
      case "hour": return d.getUTCHours();
      case "minute": return d.getUTCMinutes();
      case "second": return d.getUTCSeconds();
      case "millisecond": return d.getUTCMilliseconds();
      case "dayofweek": return DAYS[d.getUTCDay()];
      case "dayofyear": return Math.floor((o.ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1;
      case "date": return new PsDate(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
      case "ticks": return o.ms * 10000 + 621355968000000000;
    }
    return null;
  }
  if (o instanceof TimeSpan) {
    var ms = o.ms;
    var t = { days: Math.trunc(ms / 86400000), hours: Math.trunc(ms / 3600000) % 24, minutes: Math.trunc(ms / 60000) % 60, seconds: Math.trunc(ms / 1000) % 60, milliseconds: ms % 1000,
      totaldays: ms / 86400000, totalhours: ms / 3600000, totalminutes: ms / 60000, totalseconds: ms / 1000, totalmilliseconds: ms };
    return n in t ? t[n] : null;
  }
  if (o instanceof Error) return mem(errorRecord(o), name);
  return n === "count" || n === "length" ? 1 : null;
}
P.mem = mem;

P.setm = function (o, name, v) {
  if (o instanceof Dict) { o.set(name, v); return v; }
  if (isNull(o)) throw PsError("The property '" + name + "' cannot be found on this object. Verify that the property exists and can be set.", "System.Management.Automation.RuntimeException");
  throw PsError("'" + name + "' is a ReadOnly property.", "System.Management.Automation.RuntimeException");
};

function idx(o, i) {
  if (isNull(o)) return null;
  if (Array.isArray(i)) { var out = []; for (var k = 0; k < i.length; k++) out.push(idx(o, i[k])); return out; }
  if (o instanceof Dict) return o.get(i);
  if (Array.isArray(o) || typeof o === "string") {
    var n = toInt(i, true);
    if (n < 0) n += o.length;
    var v = typeof o === "string" ? o.charAt(n) : o[n];
    return v === undefined || v === "" ? null : v;
  }
  if (toInt(i, true) === 0 || toInt(i, true) === -1) return o;
  return null;
}
P.idx = idx;
P.seti = function (o, i, v) {
  if (o instanceof Dict) { o.set(i, v); return v; }
  if (Array.isArray(o)) {
    var n = toInt(i, true);
    if (n < 0) n += o.length;
    if (n < 0 || n >= o.length) throw PsError("Index was outside the bounds of the array.", "System.IndexOutOfRangeException");
    o[n] = v;
    return v;
  }
  throw PsError("Cannot index into a " + (isNull(o) ? "null array" : typeName(o)) + ".", "System.Management.Automation.RuntimeException");
};

function argCount(args, min, max, name) {
  if (args.length < min || args.length > max) throw PsError('Cannot find an overload for "' + name + '" and the argument count: "' + args.length + '".', "System.Management.Automation.MethodException");
}
function noMethod(o, name) {
  return PsError("Method invocation failed because [" + typeName(o) + "] does not contain a method named '" + name + "'.", "System.Management.Automation.RuntimeException");
}

function TypeRef(name) { this.name = name; }
P.type = function (name) { return new TypeRef(name); };

/*@ methods */
/* Instance methods by receiver kind, lower-case name → function (receiver, args); one unit per method name below. */
var STRING_METHODS = Object.create(null), ARRAY_METHODS = Object.create(null), HASH_METHODS = Object.create(null), DATE_METHODS = Object.create(null);
function charSet(sep) {
  if (Array.isArray(sep)) return sep.map(str).join("");
  return str(sep);
}
/* .NET's String.Split(char[], count, options): at most count parts, the last one holding the rest of
   the text (with RemoveEmptyEntries, from after the separators that follow the part before it). */
function splitChars(s, chars, removeEmpty, count) {
  var out = [], start = 0;
  if (count === 0) return out;
  for (var i = 0; i < s.length && out.length < count - 1; i++) {
    if (chars.indexOf(s.charAt(i)) < 0) continue;
    if (!removeEmpty || i > start) out.push(s.slice(start, i));
    start = i + 1;
    if (removeEmpty && out.length === count - 1) while (start < s.length && chars.indexOf(s.charAt(start)) >= 0) start++;
  }
  if (!removeEmpty || start < s.length) out.push(s.slice(start));
  return out;
}

/* .NET's AddMonths: the same day of the month, or the last day of a shorter month (Jan 31 + 1 month = Feb 28 or 29). */
function addMonths(d, months) {
  var x = new Date(d.ms);
  var total = x.getUTCFullYear() * 12 + x.getUTCMonth() + months;
  var year = Math.floor(total / 12), month = total - year * 12;
  x.setUTCFullYear(year, month, Math.min(x.getUTCDate(), new Date(Date.UTC(year, month + 1, 0)).getUTCDate()));
  return new PsDate(x.getTime());
}

function universal(o, n, args) {
  switch (n) {
    case "tostring":
      if (args.length > 0 && (typeof o === "number" || o instanceof PsDate)) return formatValue(o, str(args[0]));
      if (args.length > 0 && o instanceof Version) return o.parts.slice(0, toInt(args[0])).join(".");
      return str(o);
    case "gettype": { var full = typeName(o); return newObj("System.RuntimeType", [["Name", full.split(".").pop()], ["FullName", full]]); }
    case "equals": return eqScalar(o, args[0], true);
    case "compareto": return compare(o, args[0], true);
    case "gethashcode": return 0;
  }
  return undefined;
}

function call(o, name, args) {
  var n = lc(name);
  if (isNull(o)) throw PsError("You cannot call a method on a null-valued expression.", "System.Management.Automation.RuntimeException");
  if (o instanceof ComObject) return comCall(o, name, args);
  if (typeof o === "string" && STRING_METHODS[n]) return STRING_METHODS[n](o, args);
  if (Array.isArray(o) && ARRAY_METHODS[n]) return ARRAY_METHODS[n](o, args);
  if (isHash(o) && HASH_METHODS[n]) return HASH_METHODS[n](o, args);
  if (o instanceof PsDate && DATE_METHODS[n]) return DATE_METHODS[n](o, args);
  if (o instanceof Dict && o.methods && o.methods[n]) return o.methods[n](args);
  if (o instanceof ScriptBlock && n === "invoke") { var out = []; invokeFn(o.fn, o.scope, args.map(function (v) { return { v: v }; }), null, out); return out; }
  var u = universal(o, n, args);
  if (u !== undefined) return u;
  if (Array.isArray(o)) { var res = []; for (var i = 0; i < o.length; i++) emit(res, call(o[i], name, args)); return res; }
  throw noMethod(o, name);
}
P.call = call;

/*@ method:add */
/* ArrayList.Add returns the new index; List[T].Add returns nothing. */
ARRAY_METHODS.add = function (o, a) { o.push(a[0]); return isGenericList(o) ? VOID : o.length - 1; };
HASH_METHODS.add = function (h, a) { if (h.has(a[0])) throw PsError("Item has already been added. Key in dictionary: '" + str(a[0]) + "'", "System.ArgumentException"); h.set(a[0], a[1]); return VOID; };
/*@ method:adddays */
DATE_METHODS.adddays = function (d, a) { return new PsDate(d.ms + num(a[0]) * 86400000); };
/*@ method:addhours */
DATE_METHODS.addhours = function (d, a) { return new PsDate(d.ms + num(a[0]) * 3600000); };
/*@ method:addmilliseconds */
DATE_METHODS.addmilliseconds = function (d, a) { return new PsDate(d.ms + num(a[0])); };
/*@ method:addminutes */
DATE_METHODS.addminutes = function (d, a) { return new PsDate(d.ms + num(a[0]) * 60000); };
/*@ method:addmonths */
DATE_METHODS.addmonths = function (d, a) { return addMonths(d, toInt(a[0])); };
/*@ method:addrange */
ARRAY_METHODS.addrange = function (o, a) { items(a[0]).forEach(function (x) { o.push(x); }); return VOID; };
/*@ method:addseconds */
DATE_METHODS.addseconds = function (d, a) { return new PsDate(d.ms + num(a[0]) * 1000); };
/*@ method:addyears */
DATE_METHODS.addyears = function (d, a) { return addMonths(d, toInt(a[0]) * 12); };
/*@ method:clear */
ARRAY_METHODS.clear = function (o) { o.length = 0; return VOID; };
HASH_METHODS.clear = function (h) { h.idx = Object.create(null); h.names = []; h.vals = []; return VOID; };
/*@ method:clone */
HASH_METHODS.clone = function (h) { var c = new Dict("hash"); for (var i = 0; i < h.names.length; i++) c.set(h.names[i], h.vals[i]); return c; };
/*@ method:compareto */
STRING_METHODS.compareto = function (s, a) { return compare(s, a[0], true); };
/*@ method:contains */
STRING_METHODS.contains = function (s, a) { argCount(a, 1, 1, "Contains"); return s.indexOf(str(a[0])) >= 0; };
ARRAY_METHODS.contains = function (o, a) { return o.some(function (x) { return eqScalar(x, a[0], true); }); };
HASH_METHODS.contains = function (h, a) { return h.has(a[0]); };
/*@ method:containskey */
HASH_METHODS.containskey = function (h, a) { return h.has(a[0]); };
/*@ method:containsvalue */
HASH_METHODS.containsvalue = function (h, a) { return h.vals.some(function (v) { return eqScalar(v, a[0], true); }); };
/*@ method:endswith */
STRING_METHODS.endswith = function (s, a) { argCount(a, 1, 2, "EndsWith"); var p = str(a[0]); var x = s, y = p; if (a.length > 1 && /ignorecase/i.test(str(a[1]))) { x = x.toLowerCase(); y = y.toLowerCase(); } return x.length >= y.length && x.slice(x.length - y.length) === y; };
/*@ method:equals */
STRING_METHODS.equals = function (s, a) { return a.length > 1 && /ignorecase/i.test(str(a[1])) ? s.toLowerCase() === str(a[0]).toLowerCase() : s === str(a[0]); };
/*@ method:foreach */
ARRAY_METHODS.foreach = function (o, a) { var sb = a[0], out = []; o.forEach(function (x) { emit(out, unwrap(runWithItem(sb, x))); }); return out; };
/*@ method:getenumerator */
HASH_METHODS.getenumerator = function (h) { return h.names.map(function (k, i) { return newObj("System.Collections.DictionaryEntry", [["Key", k], ["Value", h.vals[i]], ["Name", k]]); }); };
/*@ method:indexof */
STRING_METHODS.indexof = function (s, a) { argCount(a, 1, 2, "IndexOf"); return s.indexOf(str(a[0]), a.length > 1 ? toInt(a[1]) : 0); };
ARRAY_METHODS.indexof = function (o, a) { for (var i = 0; i < o.length; i++) if (eqScalar(o[i], a[0], true)) return i; return -1; };
/*@ method:insert */
STRING_METHODS.insert = function (s, a) { argCount(a, 2, 2, "Insert"); var i = toInt(a[0]); return s.slice(0, i) + str(a[1]) + s.slice(i); };
ARRAY_METHODS.insert = function (o, a) { o.splice(toInt(a[0]), 0, a[1]); return VOID; };
/*@ method:lastindexof */
STRING_METHODS.lastindexof = function (s, a) { argCount(a, 1, 1, "LastIndexOf"); return s.lastIndexOf(str(a[0])); };
/*@ method:normalize */
STRING_METHODS.normalize = function (s) { return s; };
/*@ method:padleft */
STRING_METHODS.padleft = function (s, a) { argCount(a, 1, 2, "PadLeft"); var w = toInt(a[0]), c = a.length > 1 ? str(a[1]) : " "; while (s.length < w) s = c + s; return s; };
/*@ method:padright */
STRING_METHODS.padright = function (s, a) { argCount(a, 1, 2, "PadRight"); var w = toInt(a[0]), c = a.length > 1 ? str(a[1]) : " "; while (s.length < w) s = s + c; return s; };
/*@ method:remove */
STRING_METHODS.remove = function (s, a) { argCount(a, 1, 2, "Remove"); var i = toInt(a[0]); return a.length > 1 ? s.slice(0, i) + s.slice(i + toInt(a[1])) : s.slice(0, i); };
/* ArrayList.Remove returns nothing; List[T].Remove whether it found the item. */
ARRAY_METHODS.remove = function (o, a) {
  for (var i = 0; i < o.length; i++) if (eqScalar(o[i], a[0], true)) { o.splice(i, 1); return isGenericList(o) ? true : VOID; }
  return isGenericList(o) ? false : VOID;
};
HASH_METHODS.remove = function (h, a) { h.remove(a[0]); return VOID; };
/*@ method:removeat */
ARRAY_METHODS.removeat = function (o, a) { o.splice(toInt(a[0]), 1); return VOID; };
/*@ method:replace */
STRING_METHODS.replace = function (s, a) { argCount(a, 2, 2, "Replace"); var f = str(a[0]); if (f === "") throw PsError("String cannot be of zero length.", "System.ArgumentException"); return s.split(f).join(str(a[1])); };
/*@ method:reverse */
ARRAY_METHODS.reverse = function (o) { o.reverse(); return VOID; };
/*@ method:split */
/* Split(separators[, count][, options]): a number after the separators is the count (Split("=", 2)), as in .NET's overloads. */
STRING_METHODS.split = function (s, a) {
  if (a.length === 0) return splitChars(s, " \t\n\r", false, Infinity);
  var count = typeof a[1] === "number" ? toInt(a[1]) : Infinity;
  if (count < 0) throw PsError("Count cannot be less than zero.", "System.ArgumentOutOfRangeException");
  var options = a.length > 2 ? a[2] : a.length > 1 && typeof a[1] !== "number" ? a[1] : null;
  return splitChars(s, charSet(a[0]), /^(removeemptyentries|1)$/i.test(str(options)), count);
};
/*@ method:startswith */
STRING_METHODS.startswith = function (s, a) { argCount(a, 1, 2, "StartsWith"); var p = str(a[0]); return a.length > 1 && /ignorecase/i.test(str(a[1])) ? s.toLowerCase().indexOf(p.toLowerCase()) === 0 : s.indexOf(p) === 0; };
/*@ method:substring */
STRING_METHODS.substring = function (s, a) { argCount(a, 1, 2, "Substring"); var st = toInt(a[0]), len = a.length > 1 ? toInt(a[1]) : s.length - st;
  if (st < 0 || st > s.length || len < 0 || st + len > s.length) throw PsError("Index and length must refer to a location within the string.", "System.ArgumentOutOfRangeException");
  return s.substr(st, len); };
/*@ method:subtract */
DATE_METHODS.subtract = function (d, a) { return a[0] instanceof PsDate ? new TimeSpan(d.ms - a[0].ms) : new PsDate(d.ms - castTo("timespan", a[0]).ms); };
/*@ method:toarray */
ARRAY_METHODS.toarray = function (o) { return o.slice(); };
/*@ method:tochararray */
STRING_METHODS.tochararray = function (s) { return s.split(""); };
/*@ method:tofiletime */
DATE_METHODS.tofiletime = function (d) { return d.ms * 10000 + 116444736000000000; };
/*@ method:tolocaltime */
DATE_METHODS.tolocaltime = function (d) { return d; };
/*@ method:tolongdatestring */
DATE_METHODS.tolongdatestring = function (d) { return formatDate(d.ms, "dddd, MMMM d, yyyy"); };
/*@ method:tolower */
STRING_METHODS.tolower = function (s) { return s.toLowerCase(); };
/*@ method:tolowerinvariant */
STRING_METHODS.tolowerinvariant = function (s) { return s.toLowerCase(); };
/*@ method:toshortdatestring */
DATE_METHODS.toshortdatestring = function (d) { return formatDate(d.ms, "M/d/yyyy"); };
/*@ method:toshorttimestring */
DATE_METHODS.toshorttimestring = function (d) { return formatDate(d.ms, "h:mm tt"); };
/*@ method:touniversaltime */
DATE_METHODS.touniversaltime = function (d) { return d; };
/*@ method:toupper */
STRING_METHODS.toupper = function (s) { return s.toUpperCase(); };
/*@ method:toupperinvariant */
STRING_METHODS.toupperinvariant = function (s) { return s.toUpperCase(); };
/*@ method:trim */
STRING_METHODS.trim = function (s, a) { if (a.length === 0) return s.trim(); var c = charSet(a); var i = 0, j = s.length; while (i < j && c.indexOf(s.charAt(i)) >= 0) i++; while (j > i && c.indexOf(s.charAt(j - 1)) >= 0) j--; return s.slice(i, j); };
/*@ method:trimend */
STRING_METHODS.trimend = function (s, a) { if (a.length === 0) return s.replace(/\s+$/, ""); var c = charSet(a); var j = s.length; while (j > 0 && c.indexOf(s.charAt(j - 1)) >= 0) j--; return s.slice(0, j); };
/*@ method:trimstart */
STRING_METHODS.trimstart = function (s, a) { if (a.length === 0) return s.replace(/^\s+/, ""); var c = charSet(a); var i = 0; while (i < s.length && c.indexOf(s.charAt(i)) >= 0) i++; return s.slice(i); };
/*@ method:where */
ARRAY_METHODS.where = function (o, a) { var sb = a[0]; return o.filter(function (x) { return bool(unwrap(runWithItem(sb, x))); }); };

/*@ com */
function guestMethod(target, name) {
  for (var k in target) if (k.toLowerCase() === name.toLowerCase() && typeof target[k] === "function") return k;
  if (name.toLowerCase() === "showswapmediadialog") return guestMethod(target, "ShowSwapMedia");
  return null;
}
function comCall(o, name, args) {
  var n = lc(name);
  if (o.kind === "tsenv") {
    if (n === "value") { argCount(args, 1, 1, "Value"); return str(o.target.Value(str(args[0]))); }
    if (n === "getvariables") return Array.prototype.slice.call(o.target.GetVariables());
    if (n === "create" || n === "clear") {
      /* The host refuses (E_ACCESSDENIED) and logs the warning, as for JavaScript (com-api.md §1.2). */
      try { o.target[n === "create" ? "Create" : "Clear"](); }
      catch (e) { if (fatal(e)) throw e; throw comError(e); }
      throw comError({ message: "Access is denied.", hresult: -2147024891, code: "AccessDenied" });
    }
    throw noMethod(o, name);
  }
  var key = guestMethod(o.target, name);
  if (key === null) throw noMethod(o, name);
  var plain = [], ref = null;
  for (var i = 0; i < args.length; i++) { if (args[i] instanceof Ref) ref = args[i]; else plain.push(args[i] instanceof Object && !Array.isArray(args[i]) ? str(args[i]) : args[i]); }
  var result;
  try { result = o.target[key].apply(o.target, plain); }
  catch (e) { if (fatal(e)) throw e; throw comError(e); }
  if (ref !== null) { ref.set(result); return VOID; }
  return result === undefined ? VOID : result;
}
function comError(e) {
  var err = PsError(e && e.message ? e.message : String(e), "System.Runtime.InteropServices.COMException");
  /* Exception.HResult is a signed Int32 in .NET (E_ACCESSDENIED is -2147024891). */
  if (e && typeof e.hresult === "number") err.hresult = e.hresult | 0;
  if (e && e.code) err.code = e.code;
  return err;
}
P.setp = function (o, name, args, v) {
  if (o instanceof ComObject && o.kind === "tsenv" && lc(name) === "value") {
    argCount(args, 1, 1, "Value");
    try { o.target.Value(str(args[0]), str(v)); }
    catch (e) { if (fatal(e)) throw e; throw comError(e); }
    return v;
  }
  throw PsError("The property '" + name + "' cannot be set with arguments.", "System.Management.Automation.RuntimeException");
};
function newCom(progId) {
  var id = lc(progId);
  var g = globalThis;
  if (id === "microsoft.sms.tsenvironment" && g.TSEnvironment) return new ComObject("tsenv", g.TSEnvironment);
  if (id === "microsoft.sms.tsprogressui" && g.TsProgressUI) return new ComObject("progress", g.TsProgressUI);
  throw PsError("Retrieving the COM class factory for component with CLSID {00000000-0000-0000-0000-000000000000} failed due to the following error: 80040154 Class not registered (Exception from HRESULT: 0x80040154 (REGDB_E_CLASSNOTREG)).", "System.Runtime.InteropServices.COMException", { hresult: -2147221164 });
}

/*@ static */
var STATIC_PROPS = {
  math: { pi: Math.PI, e: Math.E },
  string: { empty: "" },
  int: { maxvalue: 2147483647, minvalue: -2147483648 },
  long: { maxvalue: 9223372036854775807, minvalue: -9223372036854775808 },
  double: { maxvalue: Number.MAX_VALUE, minvalue: -Number.MAX_VALUE }
};
P.smem = function (t, name) {
  var n = lc(name);
  if (t.name === "datetime") {
    if (n === "now" || n === "utcnow") return new PsDate(hostNow());
    if (n === "today") { var d = new Date(hostNow()); return new PsDate(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())); }
  }
  var props = STATIC_PROPS[t.name];
  if (props && n in props) return props[n];
  throw PsError("The static property '" + name + "' of [" + t.name + "] is not supported.", "System.Management.Automation.RuntimeException");
};

var STATIC_METHODS = {};
P.scall = function (t, name, args) {
  var table = STATIC_METHODS[t.name];
  var fn = table && table[lc(name)];
  if (!fn) throw PsError("The static method [" + t.name + "]::" + name + "() is not supported.", "System.Management.Automation.RuntimeException");
  return fn(args);
};

/*@ static-math */
function mathRound(a) {
  var x = num(a[0]), digits = a.length > 1 ? toInt(a[1]) : 0;
  var f = Math.pow(10, digits);
  var away = a.length > 1 && /awayfromzero/i.test(str(a[a.length - 1]));
  var scaled = x * f;
  var r = away ? Math.sign(scaled) * Math.round(Math.abs(scaled)) : roundEven(Number(scaled.toFixed(8)));
  return r / f;
}
STATIC_METHODS.math = {
  abs: function (a) { return Math.abs(num(a[0])); }, ceiling: function (a) { return Math.ceil(num(a[0])); }, floor: function (a) { return Math.floor(num(a[0])); },
  round: mathRound, truncate: function (a) { return Math.trunc(num(a[0])); }, sqrt: function (a) { return Math.sqrt(num(a[0])); },
  pow: function (a) { return Math.pow(num(a[0]), num(a[1])); }, max: function (a) { return Math.max(num(a[0]), num(a[1])); }, min: function (a) { return Math.min(num(a[0]), num(a[1])); },
  log: function (a) { return a.length > 1 ? Math.log(num(a[0])) / Math.log(num(a[1])) : Math.log(num(a[0])); }, log10: function (a) { return Math.log10(num(a[0])); },
  exp: function (a) { return Math.exp(num(a[0])); }, sign: function (a) { return Math.sign(num(a[0])); }
};

/*@ static-string */
STATIC_METHODS.string = {
  isnullorempty: function (a) { return isNull(a[0]) || str(a[0]) === ""; },
  isnullorwhitespace: function (a) { return isNull(a[0]) || str(a[0]).trim() === ""; },
  join: function (a) { return (a.length > 2 ? a.slice(1) : items(a[1])).map(str).join(str(a[0])); },
  format: function (a) { return formatComposite(str(a[0]), a.length === 2 ? items(a[1]) : a.slice(1)); },
  concat: function (a) { return a.map(str).join(""); },
  equals: function (a) { return str(a[0]) === str(a[1]); },
  compare: function (a) { return compare(str(a[0]), str(a[1]), !(a.length > 2 && bool(a[2]))); }
};

/*@ net-parse */
/* .NET's parsing of integer text, as [int]::Parse, [Convert]::ToInt32 and their kin do it. Errors are
   .NET's exceptions (FormatException, OverflowException, ...). bits is 32 or 64; type the .NET name. */
var INT_NAMES = { "System.Int32": "an Int32", "System.UInt32": "a UInt32", "System.Int64": "an Int64" };
function overflow(type) { return PsError("Value was either too large or too small for " + INT_NAMES[type] + ".", "System.OverflowException"); }
function checkRange(n, bits, unsigned, type) {
  var max = unsigned ? Math.pow(2, bits) - 1 : Math.pow(2, bits - 1) - 1, min = unsigned ? 0 : -Math.pow(2, bits - 1);
  if (n > max || n < min) throw overflow(type);
  return n;
}
function badFormat() { return PsError("Input string was not in a correct format.", "System.FormatException"); }
/* Int32.Parse / UInt32.Parse / Int64.Parse (NumberStyles.Integer): decimal digits, a sign, white space around. */
function parseInteger(v, bits, unsigned, type) {
  if (isNull(v)) throw PsError("Value cannot be null.", "System.ArgumentNullException");
  var m = /^\s*([+-]?)(\d+)\s*$/.exec(str(v));
  if (!m) throw badFormat();
  return checkRange(Number((m[1] === "-" ? "-" : "") + m[2]), bits, unsigned, type);
}
/* Double.Parse (NumberStyles.Float | AllowThousands, en-US). */
function parseDouble(v) {
  if (isNull(v)) throw PsError("Value cannot be null.", "System.ArgumentNullException");
  var m = /^\s*([+-]?(?:\d[\d,]*\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*$/i.exec(str(v));
  if (!m) throw badFormat();
  return Number(m[1].replace(/,/g, ""));
}
/* The base argument of [Convert]'s ToInt32(text, base), ToString(value, base), ...: 2, 8, 10 or 16. */
function convertBase(v) {
  var base = toInt(v);
  if (base !== 2 && base !== 8 && base !== 10 && base !== 16) throw PsError("Invalid Base.", "System.ArgumentException");
  return base;
}
var BASE_DIGITS = { 2: /^[01]+/, 8: /^[0-7]+/, 10: /^\d+/, 16: /^[\da-f]+/i };
/* Convert.ToInt32 / ToUInt32 / ToInt64(text, base) (ParseNumbers.StringToInt): the whole text, a sign
   only in base 10, 0x allowed in base 16; outside base 10 the digits are the type's bits, so
   "ffffffff" is -1 for an Int32. $null is 0. */
function parseBase(v, baseArg, bits, unsigned, type) {
  var base = convertBase(baseArg);
  if (isNull(v)) return 0;
  var s = str(v), i = 0, neg = false;
  if (s === "") throw PsError("Index was out of range. Must be non-negative and less than the size of the collection.", "System.ArgumentOutOfRangeException");
  if (s[0] === "-") {
    if (base !== 10) throw PsError("String cannot contain a minus sign if the base is not 10.", "System.ArgumentException");
    if (unsigned) throw PsError("The string was being parsed as an unsigned number and could not have a negative sign.", "System.OverflowException");
    neg = true;
    i = 1;
  } else if (s[0] === "+") i = 1;
  if (base === 16 && /^0x/i.test(s.slice(i, i + 2)) && i + 1 < s.length) i += 2;
  var digits = BASE_DIGITS[base].exec(s.slice(i));
  if (!digits) throw PsError("Could not find any recognizable digits.", "System.FormatException");
  if (i + digits[0].length < s.length) throw PsError("Additional non-parsable characters are at the end of the string.", "System.FormatException");
  var prefix = { 2: "0b", 8: "0o", 10: "", 16: "0x" }[base];
  var big = BigInt(prefix + digits[0]), size = BigInt(Math.pow(2, bits));
  if (base === 10) return checkRange(Number(neg ? -big : big), bits, unsigned, type);
  if (big >= size) throw overflow(type);
  return Number(unsigned || big < size / BigInt(2) ? big : big - size);
}
/* Convert.ToInt32 / ToUInt32 / ToInt64(value): text as Parse reads it, a number rounded half to even, $null 0. */
function convertInt(v, bits, unsigned, type) {
  if (isNull(v)) return 0;
  if (typeof v === "string") return parseInteger(v, bits, unsigned, type);
  return checkRange(roundEven(num(v, type)), bits, unsigned, type);
}

/*@ static-int */
STATIC_METHODS.int = { parse: function (a) { return parseInteger(a[0], 32, false, "System.Int32"); } };

/*@ static-long */
STATIC_METHODS.long = { parse: function (a) { return parseInteger(a[0], 64, false, "System.Int64"); } };

/*@ static-double */
STATIC_METHODS.double = { parse: function (a) { return parseDouble(a[0]); } };

/*@ static-version */
STATIC_METHODS.version = { parse: function (a) { return parseVersion(str(a[0])); } };

/*@ static-datetime */
STATIC_METHODS.datetime = { parse: function (a) { return castTo("datetime", a[0]); } };

/*@ static-timespan */
STATIC_METHODS.timespan = {
  fromseconds: function (a) { return new TimeSpan(num(a[0]) * 1000); }, fromminutes: function (a) { return new TimeSpan(num(a[0]) * 60000); },
  fromhours: function (a) { return new TimeSpan(num(a[0]) * 3600000); }, fromdays: function (a) { return new TimeSpan(num(a[0]) * 86400000); },
  frommilliseconds: function (a) { return new TimeSpan(num(a[0])); }
};

/*@ static-convert */
/* Each integer method reads text with a base as ParseNumbers does, anything else as Convert.ToXxx(value) does. */
function convertTo(bits, unsigned, type) {
  return function (a) { return a.length > 1 ? parseBase(a[0], a[1], bits, unsigned, type) : convertInt(a[0], bits, unsigned, type); };
}
STATIC_METHODS.convert = {
  toint32: convertTo(32, false, "System.Int32"),
  touint32: convertTo(32, true, "System.UInt32"),
  toint64: convertTo(64, false, "System.Int64"),
  todouble: function (a) { return isNull(a[0]) ? 0 : typeof a[0] === "string" ? parseDouble(a[0]) : num(a[0]); },
  toboolean: function (a) {
    if (isNull(a[0])) return false;
    if (typeof a[0] === "number") return a[0] !== 0;
    var s = str(a[0]).trim().toLowerCase();
    if (s === "true") return true;
    if (s === "false") return false;
    throw PsError("String was not recognized as a valid Boolean.", "System.FormatException");
  },
  /* ToString(value, base): outside base 10 the bits of an Int32 (an Int64 beyond its range), so -1 is ffffffff. */
  tostring: function (a) {
    if (a.length < 2) return str(a[0]);
    var base = convertBase(a[1]), n = convertInt(a[0], 64, false, "System.Int64");
    if (base === 10) return String(n);
    var bits = n >= -2147483648 && n <= 2147483647 ? 32 : 64;
    return (n < 0 ? BigInt(n) + BigInt(Math.pow(2, bits)) : BigInt(n)).toString(base);
  }
};

/*@ static-path */
function pathParts(p) { var s = str(p); var i = Math.max(s.lastIndexOf("\\"), s.lastIndexOf("/")); return { dir: i < 0 ? "" : s.slice(0, i), leaf: i < 0 ? s : s.slice(i + 1) }; }

STATIC_METHODS.path = {
  getfilename: function (a) { return pathParts(a[0]).leaf; },
  getdirectoryname: function (a) { return pathParts(a[0]).dir; },
  getextension: function (a) { var l = pathParts(a[0]).leaf; var i = l.lastIndexOf("."); return i < 0 ? "" : l.slice(i); },
  getfilenamewithoutextension: function (a) { var l = pathParts(a[0]).leaf; var i = l.lastIndexOf("."); return i < 0 ? l : l.slice(0, i); },
  combine: function (a) { return a.map(str).reduce(function (x, y) { return x === "" ? y : joinPath(x, y); }, ""); }
};

/*@ static-regex */
function regexMatchObj(m) {
  if (m === null) return newObj("System.Text.RegularExpressions.Match", [["Success", false], ["Value", ""], ["Groups", []], ["Index", 0]]);
  var groups = [];
  for (var i = 0; i < m.length; i++) groups.push(newObj("System.Text.RegularExpressions.Group", [["Value", m[i] === undefined ? "" : m[i]], ["Success", m[i] !== undefined]]));
  return newObj("System.Text.RegularExpressions.Match", [["Success", true], ["Value", m[0]], ["Groups", groups], ["Index", m.index]]);
}
STATIC_METHODS.regex = {
  escape: function (a) { return str(a[0]).replace(/[.*+?^$(){}|[\]\\\/#\s]/g, "\\$&"); },
  ismatch: function (a) { return netRegex(str(a[1]), false).test(str(a[0])) ; },
  match: function (a) { return regexMatchObj(netRegex(str(a[1]), true).exec(str(a[0]))); },
  matches: function (a) { var re = netRegex(str(a[1]), true); var g = new RegExp(re.source, re.flags + "g"); var out = [], m; var s = str(a[0]); while ((m = g.exec(s)) !== null) { out.push(regexMatchObj(m)); if (m[0] === "") g.lastIndex++; } return out; },
  replace: function (a) { var re = netRegex(str(a[1]), true); return str(a[0]).replace(new RegExp(re.source, re.flags + "g"), netReplacement(a[2])); },
  split: function (a) { return splitLimit(str(a[0]), netRegex(str(a[1]), true), 0); }
};

/*@ static-char */
STATIC_METHODS.char = { isdigit: function (a) { return /^\d$/.test(str(a[0])); }, isletter: function (a) { return /^[A-Za-z]$/.test(str(a[0])); }, iswhitespace: function (a) { return /^\s$/.test(str(a[0])); } };
`;
