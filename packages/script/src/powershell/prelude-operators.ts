/**
 * Runtime prelude, part 2 (JavaScript source for QuickJS): operators with PowerShell's
 * conversion rules (the left operand decides), case-insensitive comparison, regex and wildcard
 * matching, `-f` formatting and casts. Cut into units by `/*@ name *\/` lines (runtime-units.ts).
 */
export const PRELUDE_OPERATORS = String.raw`
/*@ operators */
/* -1, 0, 1, or NaN when the two values cannot be ordered. The left operand decides the conversion. */
function compare(a, b, cs) {
  if (isNull(a)) return isNull(b) ? 0 : -1;
  if (isNull(b)) return 1;
  if (typeof a === "string") {
    var x = a, y = str(b);
    if (!cs) { x = x.toLowerCase(); y = y.toLowerCase(); }
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === "number") {
    var n = tryNum(b);
    if (typeof b === "string" && b.trim() === "") n = NaN;
    return isNaN(n) ? NaN : a < n ? -1 : a > n ? 1 : 0;
  }
  if (typeof a === "boolean") { var bb = bool(b); return a === bb ? 0 : a ? 1 : -1; }
  if (a instanceof Version) {
    var v = b instanceof Version ? b : parseVersion(str(b));
    for (var i = 0; i < 4; i++) { var d = versionPart(a, i) - versionPart(v, i); if (d !== 0) return d < 0 ? -1 : 1; }
    return 0;
  }
  if (a instanceof PsDate || a instanceof TimeSpan) {
    var ms = b instanceof PsDate || b instanceof TimeSpan ? b.ms : b instanceof Object ? NaN : castTo("datetime", b).ms;
    return a.ms < ms ? -1 : a.ms > ms ? 1 : 0;
  }
  return a === b ? 0 : NaN;
}
function eqScalar(a, b, cs) {
  if (isNull(a) || isNull(b)) return isNull(a) && isNull(b);
  if (a instanceof Dict || a instanceof ComObject || a instanceof ScriptBlock || Array.isArray(a)) return a === b;
  if (Array.isArray(b)) return false;
  return compare(a, b, cs) === 0;
}

function filterOrTest(test) {
  return function (a, b, cs) {
    if (Array.isArray(a)) return a.filter(function (x) { return test(x, b, cs); });
    return test(a, b, cs);
  };
}
function typeName(v) {
  if (isNull(v)) return "null";
  if (typeof v === "string") return "System.String";
  if (typeof v === "boolean") return "System.Boolean";
  if (typeof v === "number") return Number.isInteger(v) && Math.abs(v) <= 2147483647 ? "System.Int32" : Number.isInteger(v) ? "System.Int64" : "System.Double";
  if (Array.isArray(v)) return v.psType || "System.Object[]";
  if (v instanceof Dict) return v.typeName;
  if (v instanceof Version) return "System.Version";
  if (v instanceof PsDate) return "System.DateTime";
  if (v instanceof TimeSpan) return "System.TimeSpan";
  if (v instanceof ScriptBlock) return "System.Management.Automation.ScriptBlock";
  if (v instanceof ComObject) return "System.__ComObject";
  return "System.Object";
}

/* ArrayList and List[T] are JS arrays that carry their .NET type as psType (a plain array is object[]). */
var COLLECTION_TYPES = { arraylist: "System.Collections.ArrayList", list: "System.Collections.Generic.List\`1", "list[string]": "System.Collections.Generic.List\`1", "list[int]": "System.Collections.Generic.List\`1" };
function isGenericList(v) { return Array.isArray(v) && v.psType === COLLECTION_TYPES.list; }
/* A cast to ArrayList or List[T]: the collection itself when it is one already (passed by reference, as in PowerShell), else a new one with the items converted. */
function toCollection(t, v, convert) {
  if (Array.isArray(v) && v.psType === COLLECTION_TYPES[t]) return v;
  var c = items(v).map(function (x) { return convert(x); });
  Object.defineProperty(c, "psType", { value: COLLECTION_TYPES[t] });
  return c;
}

function castTo(t, v) {
  switch (t) {
    case "int": return toInt(v, false);
    case "long": return toInt(v, true);
    case "double": return num(v);
    case "string": return str(v);
    case "char": {
      if (typeof v === "number") return String.fromCharCode(v);
      var s = str(v);
      if (s.length !== 1) throw PsError('Cannot convert value "' + s + '" to type "System.Char".', "System.Management.Automation.PSInvalidCastException");
      return s;
    }
    case "bool": return bool(v);
    case "version":
      if (v instanceof Version) return v;
      return parseVersion(str(v));
    case "datetime": {
      if (v instanceof PsDate) return v;
      var text = str(v).trim();
      var us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
      var ms = us ? Date.UTC(Number(us[3]), Number(us[1]) - 1, Number(us[2]), Number(us[4] || 0), Number(us[5] || 0), Number(us[6] || 0)) : Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) || !/T|\d:\d/.test(text) ? text : text + "Z");
      if (isNaN(ms)) throw PsError('Cannot convert value "' + text + '" to type "System.DateTime".', "System.Management.Automation.PSInvalidCastException");
      return new PsDate(ms);
    }
    case "timespan":
      if (v instanceof TimeSpan) return v;
      return new TimeSpan(num(v));
    case "array": return items(v).slice();
    case "string[]": return items(v).map(str);
    case "int[]": return items(v).map(function (x) { return toInt(x, false); });
    case "arraylist": case "list": return toCollection(t, v, function (x) { return x; });
    case "list[string]": return toCollection(t, v, str);
    case "list[int]": return toCollection(t, v, function (x) { return toInt(x, false); });
    case "hashtable":
    case "ordered":
      if (isHash(v)) return v;
      throw PsError('Cannot convert "' + str(v) + '" to "System.Collections.Hashtable".', "System.Management.Automation.PSInvalidCastException");
    case "pscustomobject":
    case "psobject": {
      if (!isHash(v)) return v;
      var o = new Dict("obj");
      for (var i = 0; i < v.names.length; i++) o.set(str(v.names[i]), v.vals[i]);
      return o;
    }
    case "void": return VOID;
    case "regex": return str(v);
    case "exception": return PsError(str(v));
    default: return v;
  }
}
P.cast = castTo;
var B = {};
P.B = B;

/*@ regex */
var regexCache = Object.create(null);
var regexCacheSize = 0;
function netRegex(pattern, cs) {
  var key = (cs ? "c" : "i") + pattern;
  var hit = regexCache[key];
  if (hit) return hit;
  var src = String(pattern), flags = cs ? "" : "i";
  var inline = /^\(\?([imsx]+)\)/.exec(src);
  if (inline) {
    src = src.slice(inline[0].length);
    if (inline[1].indexOf("i") >= 0 && flags.indexOf("i") < 0) flags += "i";
    if (inline[1].indexOf("m") >= 0) flags += "m";
    if (inline[1].indexOf("s") >= 0) flags += "s";
  }
  src = src.replace(/\\A/g, "^").replace(/\\[Zz]/g, "$");
  var re;
  try { re = new RegExp(src, flags); }
  catch (e) { throw PsError('The regular expression pattern ' + pattern + ' is not valid.', "System.ArgumentException"); }
  if (regexCacheSize > 500) { regexCache = Object.create(null); regexCacheSize = 0; }
  regexCache[key] = re; regexCacheSize++;
  return re;
}

function wildcardRegex(pattern, cs) {
  var out = "";
  var p = String(pattern);
  for (var i = 0; i < p.length; i++) {
    var c = p.charAt(i);
    if (c === "*") out += "[\\s\\S]*";
    else if (c === "?") out += "[\\s\\S]";
    else if (c === "[") {
      var close = p.indexOf("]", i + 1);
      if (close < 0) out += "\\[";
      else { out += "[" + p.slice(i + 1, close).replace(/\\/g, "\\\\") + "]"; i = close; }
    } else if (c === "\u0060" && i + 1 < p.length) { out += "\\" + p.charAt(++i); }
    else out += c.replace(/[.*+?^$(){}|[\]\\\/]/g, "\\$&");
  }
  return netRegex("^" + out + "$", cs);
}
P.wildcard = function (value, pattern, cs) { return wildcardRegex(pattern, cs).test(str(value)); };

/*@ format */
/* .NET composite formatting: {index[,alignment][:format]} */
function formatComposite(fmt, args) {
  var out = "", i = 0, n = fmt.length;
  while (i < n) {
    var open = fmt.indexOf("{", i), shut = fmt.indexOf("}}", i);
    if (shut >= 0 && (open < 0 || shut < open)) { out += fmt.slice(i, shut) + "}"; i = shut + 2; continue; }
    if (open < 0) { out += fmt.slice(i); break; }
    out += fmt.slice(i, open);
    if (fmt.charAt(open + 1) === "{") { out += "{"; i = open + 2; continue; }
    var m = FORMAT_ITEM.exec(fmt.slice(open));
    if (m === null) { out += "{"; i = open + 1; continue; }
    out += formatItem(args, m[1], m[2], m[3]);
    i = open + m[0].length;
  }
  return out;
}
var FORMAT_ITEM = /^\{(\d+)(?:,(-?\d+))?(?::([^}]*))?\}/;
function formatItem(args, index, align, spec) {
  var i = Number(index);
  if (i >= args.length) throw PsError("Error formatting a string: Index (zero based) must be greater than or equal to zero and less than the size of the argument list.", "System.FormatException");
  var text = formatValue(args[i], spec);
  if (align !== undefined) {
    var w = Number(align);
    while (text.length < Math.abs(w)) text = w < 0 ? text + " " : " " + text;
  }
  return text;
}

function groupThousands(s) {
  var parts = s.split(".");
  parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return parts.join(".");
}

function formatValue(v, spec) {
  if (spec === undefined || spec === "") return str(v);
  if (v instanceof PsDate) return formatDate(v.ms, spec);
  if (typeof v !== "number") {
    if (typeof v === "string" && !isNaN(tryNum(v)) && /^[NnFfDdXxPpCc]\d*$/.test(spec) === false) return v;
    if (typeof v !== "string" || isNaN(tryNum(v))) return str(v);
    v = tryNum(v);
  }
  var m = /^([NnFfDdXxPpCcEeGg])(\d*)$/.exec(spec);
  if (m) {
    var kind = m[1].toUpperCase(), digits = m[2] === "" ? null : Number(m[2]);
    switch (kind) {
      case "N": return groupThousands(v.toFixed(digits === null ? 2 : digits));
      case "F": return v.toFixed(digits === null ? 2 : digits);
      case "D": { var s = String(Math.abs(roundEven(v))); while (s.length < (digits || 0)) s = "0" + s; return (v < 0 ? "-" : "") + s; }
      case "X": { var x = (v >>> 0).toString(16); if (m[1] === "X") x = x.toUpperCase(); while (x.length < (digits || 0)) x = "0" + x; return x; }
      case "P": return groupThousands((v * 100).toFixed(digits === null ? 2 : digits)) + " %";
      case "C": return "$" + groupThousands(v.toFixed(digits === null ? 2 : digits));
      case "E": return v.toExponential(digits === null ? 6 : digits).toUpperCase();
      default: return numText(v);
    }
  }
  /* custom numeric format such as 0.00 or #,##0 */
  var dot = spec.indexOf(".");
  var decimals = dot < 0 ? 0 : spec.slice(dot + 1).replace(/[^0#]/g, "").length;
  var fixed = v.toFixed(decimals);
  if (spec.indexOf(",") >= 0) fixed = groupThousands(fixed);
  var minInt = (dot < 0 ? spec : spec.slice(0, dot)).replace(/[^0]/g, "").length;
  var intPart = fixed.split(".")[0].replace("-", "");
  while (intPart.replace(/,/g, "").length < minInt) intPart = "0" + intPart;
  var optional = dot < 0 ? 0 : spec.slice(dot + 1).replace(/[^#]/g, "").length;
  var frac = fixed.split(".")[1];
  if (frac !== undefined && optional > 0) { var keep = decimals - optional; while (frac.length > keep && frac.charAt(frac.length - 1) === "0") frac = frac.slice(0, -1); }
  var suffix = spec.replace(/[0#.,]/g, "");
  return (v < 0 ? "-" : "") + intPart + (frac ? "." + frac : "") + suffix;
}

/*@ op-arith */
B.add = function (a, b) {
  if (typeof a === "number" && typeof b === "number") return a + b;
  if (typeof a === "string" && typeof b === "string") return a + b;
  if (isNull(a)) return Array.isArray(b) ? b.slice() : b;
  if (Array.isArray(a)) return a.concat(Array.isArray(b) ? b : [b]);
  if (typeof a === "string") return a + str(b);
  if (isHash(a) && isHash(b)) {
    var h = new Dict("hash");
    var i;
    for (i = 0; i < a.names.length; i++) h.set(a.names[i], a.vals[i]);
    for (i = 0; i < b.names.length; i++) {
      if (h.has(b.names[i])) throw PsError("Item has already been added. Key in dictionary: '" + str(b.names[i]) + "'", "System.ArgumentException");
      h.set(b.names[i], b.vals[i]);
    }
    return h;
  }
  if (a instanceof PsDate && b instanceof TimeSpan) return new PsDate(a.ms + b.ms);
  if (a instanceof TimeSpan && b instanceof TimeSpan) return new TimeSpan(a.ms + b.ms);
  if (typeof a === "number" || typeof a === "boolean") return num(a) + num(b);
  throw PsError("Method invocation failed because [" + typeName(a) + "] does not contain a method named 'op_Addition'.", "System.Management.Automation.RuntimeException");
};
B.sub = function (a, b) {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (a instanceof PsDate && b instanceof PsDate) return new TimeSpan(a.ms - b.ms);
  if (a instanceof PsDate && b instanceof TimeSpan) return new PsDate(a.ms - b.ms);
  return num(a) - num(b);
};
B.mul = function (a, b) {
  if (typeof a === "string") {
    var n = toInt(b);
    if (n < 0) throw PsError("The repeat count must be zero or positive.", "System.ArgumentOutOfRangeException");
    return a.repeat(n);
  }
  if (Array.isArray(a)) { var out = []; for (var i = toInt(b); i > 0; i--) out = out.concat(a); return out; }
  return num(a) * num(b);
};
B.div = function (a, b) {
  var d = num(b);
  if (d === 0) throw PsError("Attempted to divide by zero.", "System.DivideByZeroException");
  return num(a) / d;
};
B.mod = function (a, b) {
  var d = num(b);
  if (d === 0) throw PsError("Attempted to divide by zero.", "System.DivideByZeroException");
  return num(a) % d;
};
B.neg = function (a) { return -num(a); };
B.plus = function (a) { return num(a); };

/*@ op-bits */
B.band = function (a, b) { return toInt(a, true) & toInt(b, true); };
B.bor = function (a, b) { return toInt(a, true) | toInt(b, true); };
B.bxor = function (a, b) { return toInt(a, true) ^ toInt(b, true); };
B.bnot = function (a) { return ~toInt(a, true); };
B.shl = function (a, b) { return toInt(a, true) << toInt(b); };
B.shr = function (a, b) { return toInt(a, true) >> toInt(b); };

/*@ op-range */
B.range = function (a, b) {
  var from = toInt(a), to = toInt(b), out = [];
  if (from <= to) for (var i = from; i <= to; i++) out.push(i);
  else for (var j = from; j >= to; j--) out.push(j);
  return out;
};

/*@ op-format */
B.format = function (a, b) { return formatComposite(str(a), Array.isArray(b) ? b : [b]); };

/*@ op-join */
B.join = function (a, sep) { return items(a).map(str).join(str(sep)); };

/*@ op-compare */
function ordered(pred) { return function (a, b, cs) { var c = compare(a, b, cs); return !isNaN(c) && pred(c); }; }

function numberFast(test, slow) {
  return function (a, b, cs, scope) {
    if (typeof a === "number" && typeof b === "number") return test(a, b);
    return slow(a, b, cs, scope);
  };
}

B.eq = numberFast(function (a, b) { return a === b; }, filterOrTest(eqScalar));
B.ne = numberFast(function (a, b) { return a !== b; }, filterOrTest(function (a, b, cs) { return !eqScalar(a, b, cs); }));
B.gt = numberFast(function (a, b) { return a > b; }, filterOrTest(ordered(function (c) { return c > 0; })));
B.ge = numberFast(function (a, b) { return a >= b; }, filterOrTest(ordered(function (c) { return c >= 0; })));
B.lt = numberFast(function (a, b) { return a < b; }, filterOrTest(ordered(function (c) { return c < 0; })));
B.le = numberFast(function (a, b) { return a <= b; }, filterOrTest(ordered(function (c) { return c <= 0; })));

/*@ op-like */
B.like = filterOrTest(function (a, b, cs) { return wildcardRegex(str(b), cs).test(str(a)); });
B.notlike = filterOrTest(function (a, b, cs) { return !wildcardRegex(str(b), cs).test(str(a)); });

/*@ op-match */
function matchScalar(a, pattern, cs, scope) {
  var m = netRegex(str(pattern), cs).exec(str(a));
  if (m === null) return false;
  if (scope) {
    var h = new Dict("hash");
    for (var i = 0; i < m.length; i++) if (m[i] !== undefined) h.set(i, m[i]);
    if (m.groups) for (var k in m.groups) if (m.groups[k] !== undefined) h.set(k, m.groups[k]);
    setVar(scope, "matches", h);
  }
  return true;
}

B.match = function (a, b, cs, scope) {
  if (Array.isArray(a)) return a.filter(function (x) { return matchScalar(x, b, cs, null); });
  return matchScalar(a, b, cs, scope);
};
B.notmatch = function (a, b, cs, scope) {
  if (Array.isArray(a)) return a.filter(function (x) { return !matchScalar(x, b, cs, null); });
  return !matchScalar(a, b, cs, scope);
};

/*@ op-contains */
B.contains = function (a, b, cs) { return items(a).some(function (x) { return eqScalar(x, b, cs); }); };
B.notcontains = function (a, b, cs) { return !B.contains(a, b, cs); };
B["in"] = function (a, b, cs) { return B.contains(b, a, cs); };
B.notin = function (a, b, cs) { return !B.contains(b, a, cs); };

/*@ op-replace */
function netReplacement(r) {
  return str(r).replace(/\$(\{(\w+)\}|0|\$)/g, function (all, g, name) {
    if (all === "$$") return "$$";
    if (all === "$0") return "$&";
    return /^\d+$/.test(name) ? "$" + name : "$<" + name + ">";
  });
}

B.replace = function (a, b, cs) {
  var args = items(b);
  var re = netRegex(str(args[0]), cs);
  var global = new RegExp(re.source, re.flags + "g");
  var rep = netReplacement(args.length > 1 ? args[1] : "");
  if (Array.isArray(a)) return a.map(function (x) { return str(x).replace(global, rep); });
  return str(a).replace(global, rep);
};

/*@ op-split */
function splitLimit(s, re, limit) {
  var g = new RegExp(re.source, re.flags + "g");
  var out = [], last = 0, m;
  while ((m = g.exec(s)) !== null) {
    if (limit > 0 && out.length === limit - 1) break;
    if (m[0].length === 0) { g.lastIndex++; if (m.index >= s.length) break; if (m.index === 0) continue; }
    out.push(s.slice(last, m.index));
    for (var i = 1; i < m.length; i++) if (m[i] !== undefined) out.push(m[i]);
    last = m.index + m[0].length;
  }
  out.push(s.slice(last));
  return out;
}

B.split = function (a, b, cs, scope, unary) {
  if (unary) return items(a).reduce(function (acc, x) { return acc.concat(str(x).trim() === "" ? [] : str(x).trim().split(/\s+/)); }, []);
  var args = items(b);
  var re = netRegex(str(args[0]), cs);
  var limit = args.length > 1 ? toInt(args[1]) : 0;
  return items(a).reduce(function (acc, x) { return acc.concat(splitLimit(str(x), re, limit)); }, []);
};

/*@ type-test */
P.as = function (t, v) { try { return castTo(t, v); } catch (e) { if (fatal(e)) throw e; return null; } };
P.is = function (t, v) {
  switch (t) {
    case "int": case "long": return typeof v === "number" && Number.isInteger(v);
    case "double": return typeof v === "number";
    case "string": return typeof v === "string";
    case "bool": return typeof v === "boolean";
    case "array": case "string[]": case "int[]": return Array.isArray(v);
    case "arraylist": case "list": case "list[string]": case "list[int]": return Array.isArray(v) && v.psType === COLLECTION_TYPES[t];
    case "hashtable": case "ordered": return isHash(v);
    case "pscustomobject": case "psobject": return isObj(v);
    case "version": return v instanceof Version;
    case "datetime": return v instanceof PsDate;
    case "timespan": return v instanceof TimeSpan;
    case "object": return !isNull(v);
    default: return false;
  }
};
`;
