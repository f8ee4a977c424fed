/**
 * Runtime prelude, part 1 (JavaScript source that runs inside QuickJS): value kinds, conversions,
 * text formatting (the core unit `values`). Shares one function scope with the other prelude parts.
 */
export const PRELUDE_VALUES = String.raw`
/*@ values */
var VOID = { toString: function () { return ""; } };
P.VOID = VOID;
P.ln = 0;

function PsError(message, type, extra) {
  var e = new Error(message);
  e.psType = type || "System.Management.Automation.RuntimeException";
  e.psLine = P.ln;
  if (extra) for (var k in extra) e[k] = extra[k];
  return e;
}

/* Ordered, case-insensitive dictionary: hashtables ("hash") and objects ("obj"). */
function Dict(kind, typeName) {
  this.kind = kind;
  this.typeName = typeName || (kind === "hash" ? "System.Collections.Hashtable" : "System.Management.Automation.PSCustomObject");
  this.idx = Object.create(null);
  this.names = [];
  this.vals = [];
  this.methods = null;
  this.text = null;
}
function dictKey(k) {
  return typeof k === "string" ? "s" + k.toLowerCase() : typeof k + ":" + String(k);
}
Dict.prototype.has = function (k) { return this.idx[dictKey(k)] !== undefined; };
Dict.prototype.get = function (k) {
  var i = this.idx[dictKey(k)];
  return i === undefined ? null : this.vals[i];
};
Dict.prototype.set = function (k, v) {
  var key = dictKey(k);
  var i = this.idx[key];
  if (i === undefined) { this.idx[key] = this.names.length; this.names.push(k); this.vals.push(v); }
  else this.vals[i] = v;
  return v;
};
Dict.prototype.remove = function (k) {
  var i = this.idx[dictKey(k)];
  if (i === undefined) return;
  this.names.splice(i, 1);
  this.vals.splice(i, 1);
  this.idx = Object.create(null);
  for (var j = 0; j < this.names.length; j++) this.idx[dictKey(this.names[j])] = j;
};
Dict.prototype.count = function () { return this.names.length; };

function newObj(typeName, pairs) {
  var d = new Dict("obj", typeName);
  if (pairs) for (var i = 0; i < pairs.length; i++) d.set(pairs[i][0], pairs[i][1]);
  return d;
}
function isHash(v) { return v instanceof Dict && v.kind === "hash"; }
function isObj(v) { return v instanceof Dict && v.kind === "obj"; }

function Version(parts) { this.parts = parts; }
Version.prototype.toString = function () { return this.parts.join("."); };
function parseVersion(s) {
  var t = String(s).trim();
  if (!/^\d+(\.\d+){1,3}$/.test(t)) throw PsError('Cannot convert value "' + t + '" to type "System.Version".', "System.Management.Automation.PSInvalidCastException");
  return new Version(t.split(".").map(Number));
}
function versionPart(v, i) { var p = v.parts[i]; return p === undefined ? -1 : p; }

function PsDate(ms) { this.ms = ms; }
function TimeSpan(ms) { this.ms = ms; }
function ScriptBlock(fn, scope) { this.fn = fn; this.scope = scope; }
function ComObject(kind, target) { this.kind = kind; this.target = target; }
function Ref(get, set) { this.get = get; this.set = set; }

function isNull(v) { return v === null || v === undefined; }

function bool(v) {
  if (v === true || v === false) return v;
  if (isNull(v) || v === VOID) return false;
  switch (typeof v) {
    case "boolean": return v;
    case "number": return v !== 0 && !isNaN(v);
    case "string": return v.length > 0;
  }
  if (Array.isArray(v)) return v.length === 0 ? false : v.length === 1 ? bool(v[0]) : true;
  return true;
}
P.bool = bool;

/* A number as Windows PowerShell 5.1 (.NET Framework) writes it: a fraction with 15 significant
   digits (0.1 + 0.2 is 0.3), in E notation below 1E-04 and from 1E+15 (1.5E-07, 1E+21). */
function numText(n) {
  if (!isFinite(n)) return isNaN(n) ? "NaN" : n > 0 ? "Infinity" : "-Infinity";
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  var rounded = Number(n.toPrecision(15));
  var e = /^(-?[\d.]+)e([+-])(\d+)$/.exec(rounded.toExponential());
  var exponent = Number(e[2] + e[3]);
  if (exponent > -5 && exponent < 15) return String(rounded);
  return e[1] + "E" + e[2] + (e[3].length < 2 ? "0" : "") + e[3];
}

var DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
function pad(n, w) { var s = String(Math.abs(n)); while (s.length < w) s = "0" + s; return (n < 0 ? "-" : "") + s; }

/* .NET custom date format (UTC). The last answer is kept: the simulated clock stands still between sleeps, so scripts format the same instant again and again. */
var lastDate = { ms: NaN, fmt: null, text: "" };
function formatDate(ms, fmt) {
  if (ms === lastDate.ms && fmt === lastDate.fmt) return lastDate.text;
  var text = formatDateNow(ms, fmt);
  lastDate = { ms: ms, fmt: fmt, text: text };
  return text;
}
function formatDateNow(ms, fmt) {
  var d = new Date(ms);
  if (fmt === undefined || fmt === null || fmt === "") fmt = "MM/dd/yyyy HH:mm:ss";
  if (fmt === "s") fmt = "yyyy-MM-ddTHH:mm:ss";
  else if (fmt === "u") fmt = "yyyy-MM-dd HH:mm:ssZ";
  else if (fmt === "o" || fmt === "O") fmt = "yyyy-MM-ddTHH:mm:ss.fffffff0Z";
  else if (fmt === "d") fmt = "MM/dd/yyyy";
  else if (fmt === "D") fmt = "dddd, dd MMMM yyyy";
  else if (fmt === "t") fmt = "HH:mm";
  else if (fmt === "T") fmt = "HH:mm:ss";
  else if (fmt === "g") fmt = "MM/dd/yyyy HH:mm";
  else if (fmt === "G") fmt = "MM/dd/yyyy HH:mm:ss";
  var out = "", i = 0, n = fmt.length;
  while (i < n) {
    var c = fmt.charAt(i);
    if (c === "'" || c === '"') {
      var close = fmt.indexOf(c, i + 1);
      if (close >= 0) { out += fmt.slice(i + 1, close); i = close + 1; continue; }
    } else if (c === "\\" && i + 1 < n && fmt.charAt(i + 1) !== "\n") { out += fmt.charAt(i + 1); i += 2; continue; }
    var candidates = DATE_TOKENS[c], token = null;
    if (candidates !== undefined) for (var k = 0; k < candidates.length && token === null; k++) if (fmt.substr(i, candidates[k].length) === candidates[k]) token = candidates[k];
    if (token === null) { out += c; i++; }
    else { out += dateToken(d, token); i += token.length; }
  }
  return out;
}
/* The tokens of a .NET custom date format by first character, longest first. */
var DATE_TOKENS = { y: ["yyyy", "yy"], M: ["MMMM", "MMM", "MM", "M"], d: ["dddd", "ddd", "dd", "d"], H: ["HH", "H"], h: ["hh", "h"], m: ["mm", "m"],
  s: ["ss", "s"], f: ["fffffff", "fff", "ff", "f"], t: ["tt"], K: ["K"], z: ["zzz"] };
/* One token of a .NET date format, computed only when the format uses it. */
function dateToken(d, m) {
  var h = d.getUTCHours(), h12 = h % 12 === 0 ? 12 : h % 12;
  switch (m) {
    case "yyyy": return pad(d.getUTCFullYear(), 4);
    case "yy": return pad(d.getUTCFullYear() % 100, 2);
    case "MMMM": return MONTHS[d.getUTCMonth()];
    case "MMM": return MONTHS[d.getUTCMonth()].slice(0, 3);
    case "MM": return pad(d.getUTCMonth() + 1, 2);
    case "M": return String(d.getUTCMonth() + 1);
    case "dddd": return DAYS[d.getUTCDay()];
    case "ddd": return DAYS[d.getUTCDay()].slice(0, 3);
    case "dd": return pad(d.getUTCDate(), 2);
    case "d": return String(d.getUTCDate());
    case "HH": return pad(h, 2);
    case "H": return String(h);
    case "hh": return pad(h12, 2);
    case "h": return String(h12);
    case "mm": return pad(d.getUTCMinutes(), 2);
    case "m": return String(d.getUTCMinutes());
    case "ss": return pad(d.getUTCSeconds(), 2);
    case "s": return String(d.getUTCSeconds());
    case "fffffff": return pad(d.getUTCMilliseconds(), 3) + "0000";
    case "fff": return pad(d.getUTCMilliseconds(), 3);
    case "ff": return pad(Math.floor(d.getUTCMilliseconds() / 10), 2);
    case "f": return String(Math.floor(d.getUTCMilliseconds() / 100));
    case "tt": return h < 12 ? "AM" : "PM";
    case "K": return "Z";
    default: return "+00:00";
  }
}

function formatTimeSpan(ms) {
  var neg = ms < 0; ms = Math.abs(ms);
  var days = Math.floor(ms / 86400000), rest = ms % 86400000;
  var s = (days > 0 ? days + "." : "") + pad(Math.floor(rest / 3600000), 2) + ":" + pad(Math.floor(rest / 60000) % 60, 2) + ":" + pad(Math.floor(rest / 1000) % 60, 2);
  if (rest % 1000) s += "." + pad(rest % 1000, 3) + "0000";
  return (neg ? "-" : "") + s;
}

function str(v) {
  if (isNull(v) || v === VOID) return "";
  switch (typeof v) {
    case "string": return v;
    case "boolean": return v ? "True" : "False";
    case "number": return numText(v);
  }
  if (Array.isArray(v)) return v.map(str).join(" ");
  if (v instanceof Dict) {
    if (v.text !== null) return v.text;
    if (v.kind === "hash") return v.typeName;
    var parts = [];
    for (var i = 0; i < v.names.length; i++) parts.push(String(v.names[i]) + "=" + str(v.vals[i]));
    return "@{" + parts.join("; ") + "}";
  }
  if (v instanceof Version) return v.toString();
  if (v instanceof PsDate) return formatDate(v.ms);
  if (v instanceof TimeSpan) return formatTimeSpan(v.ms);
  if (v instanceof ComObject) return "System.__ComObject";
  if (v instanceof ScriptBlock) return "";
  if (v instanceof Error) return v.message;
  return String(v);
}
P.str = str;

var NUMERIC = /^[+-]?(0x[0-9a-f]+|(\d+\.?\d*|\.\d+)(e[+-]?\d+)?)(kb|mb|gb|tb|pb)?$/i;
var MULT = { kb: 1024, mb: 1048576, gb: 1073741824, tb: 1099511627776, pb: 1125899906842624 };
function parseNumber(s) {
  var t = s.trim();
  if (t === "") return 0;
  if (!NUMERIC.test(t)) return NaN;
  var m = /(kb|mb|gb|tb|pb)$/i.exec(t);
  var body = m ? t.slice(0, -2) : t;
  var neg = body.charAt(0) === "-";
  if (body.charAt(0) === "-" || body.charAt(0) === "+") body = body.slice(1);
  var n = /^0x/i.test(body) ? parseInt(body, 16) : Number(body);
  return (neg ? -n : n) * (m ? MULT[m[1].toLowerCase()] : 1);
}
function tryNum(v) {
  if (isNull(v)) return 0;
  switch (typeof v) {
    case "number": return v;
    case "boolean": return v ? 1 : 0;
    case "string": return parseNumber(v);
  }
  if (Array.isArray(v) && v.length === 1) return tryNum(v[0]);
  return NaN;
}
function num(v, typeName) {
  var n = tryNum(v);
  if (isNaN(n) && !(typeof v === "number")) throw PsError('Cannot convert value "' + str(v) + '" to type "' + (typeName || "System.Double") + '".', "System.Management.Automation.PSInvalidCastException");
  return n;
}
function roundEven(x) {
  var r = Math.round(x);
  if (Math.abs(x % 1) === 0.5 && r % 2 !== 0) r -= 1;
  return r;
}
function toInt(v, wide) {
  var n = roundEven(num(v, wide ? "System.Int64" : "System.Int32"));
  if (!wide && (n > 2147483647 || n < -2147483648)) throw PsError('Cannot convert value "' + str(v) + '" to type "System.Int32". Value was either too large or too small for an Int32.', "System.Management.Automation.PSInvalidCastException");
  return n;
}

function items(v) {
  if (isNull(v) || v === VOID) return [];
  return Array.isArray(v) ? v : [v];
}
P.items = items;
function unwrap(a) { return a.length === 0 ? null : a.length === 1 ? a[0] : a; }
P.unwrap = unwrap;
P.collect = function (fn) { var o = []; fn(o); return o; };
/* Writes a value to an output list, unrolling one level of array. A lone $null is not written
   (PowerShell's AutomationNull: an empty pipeline result enumerates as nothing). */
function emit(o, v) {
  if (v === VOID || v === undefined || v === null) return;
  if (Array.isArray(v)) { for (var i = 0; i < v.length; i++) o.push(v[i]); return; }
  o.push(v);
}
P.emit = emit;
/* @(value): the value's items in a new array (what a pipeline writing the value collects). */
P.arr = function (v) { var o = []; emit(o, v); return o; };

P.hash = function (pairs) {
  var d = new Dict("hash");
  for (var i = 0; i < pairs.length; i++) {
    if (d.has(pairs[i][0])) throw PsError("Duplicate keys '" + str(pairs[i][0]) + "' are not allowed in hash literals.", "System.Management.Automation.ParseException");
    d.set(pairs[i][0], pairs[i][1]);
  }
  return d;
};
P.sb = function (scope, fn) { return new ScriptBlock(fn, scope); };

/* Host display of one output record (PowerShell-like list/table formatting). */
function formatRecord(v) {
  if (v instanceof Dict && v.text === null) {
    var i, w = 0, lines = [];
    if (v.kind === "hash") {
      for (i = 0; i < v.names.length; i++) w = Math.max(w, str(v.names[i]).length);
      w = Math.max(w, 4);
      lines.push(padRight("Name", w) + " Value", padRight("----", w) + " -----");
      for (i = 0; i < v.names.length; i++) lines.push(padRight(str(v.names[i]), w) + " " + str(v.vals[i]));
      return lines.join("\n");
    }
    for (i = 0; i < v.names.length; i++) w = Math.max(w, String(v.names[i]).length);
    for (i = 0; i < v.names.length; i++) lines.push(padRight(String(v.names[i]), w) + " : " + str(v.vals[i]));
    return lines.join("\n");
  }
  return str(v);
}
function padRight(s, w) { while (s.length < w) s += " "; return s; }
`;
