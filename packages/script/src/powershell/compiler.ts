import type { PsCommand, PsCommandArg, PsExpr, PsParameter, PsRedirections, PsScript, PsScriptBlock, PsStatement } from "./ast.js";
import { COM_PROG_IDS, NEW_OBJECT_TYPES, REFUSED_COMMANDS, canonicalCommand, canonicalType } from "./commands.js";
import { METHOD_UNITS, OPERATOR_UNITS } from "./runtime-units.js";
import { LineIndex, sourceError } from "./source-error.js";
import { PRELUDE_MEMBERS } from "./prelude-members.js";

/** A loop or switch that `break`/`continue` can target, or (`finally`) the edge of a finally block, which they may not cross. */
interface LoopFrame {
  readonly js: string;
  readonly label: string | undefined;
  readonly finally?: true;
}

const js = (value: unknown): string => JSON.stringify(value);

/** Whether a pipeline's output and errors go where they would without redirections. */
const unredirected = (r: PsRedirections): boolean => !r.discardOutput && !r.discardErrors && !r.mergeErrors && r.toFile === undefined;

const COMPARISON_NAMES = new Set(["eq", "ne", "gt", "ge", "lt", "le", "like", "notlike", "match", "notmatch", "contains", "notcontains", "in", "notin", "replace", "split"]);

/**
 * Translates a parsed script to JavaScript that calls the runtime prelude (`__ps`). Refuses,
 * before anything runs, every command, type and COM class outside the subset.
 */
export class PsCompiler {
  private loops: LoopFrame[] = [];
  private nextId = 0;
  private readonly functions = new Set<string>();
  /** The runtime units the compiled script reaches (see runtime-units.ts); `"all"` once it invokes a computed command name. */
  usedUnits: Set<string> | "all" = new Set<string>();

  private readonly lines: LineIndex;
  /** The line of the statement being compiled (`__ps.ln`). */
  private currentLine = 0;

  constructor(private readonly src: string) {
    this.lines = new LineIndex(src);
  }

  /** Compiles the whole script; `argsJs` is the output of {@link PsCompiler.compileArguments}. */
  compileScript(script: PsScript, argsJs: string): string {
    for (const name of script.functions) this.functions.add(name);
    const fn = this.block(script.block);
    return `(function (__ps) {\n__ps.main(${fn}, (function($s){return ${argsJs};})(null));\n})(__ps);\n`;
  }

  /** Compiles a script's command-line arguments (constants and expressions without variables in scope). */
  compileArguments(args: readonly PsCommandArg[]): string {
    return this.args(args);
  }

  private unsupported(at: number, what: string): Error {
    return sourceError("ScriptUnsupported", this.src, at, `${what} is not supported by the PowerShell-style subset`);
  }

  /** Records that the compiled code reaches a runtime unit. */
  private use(unit: string | undefined): void {
    if (unit !== undefined && this.usedUnits !== "all") this.usedUnits.add(unit);
  }

  /** Records the units of an instance method call: its name's unit, or every method for a computed name. */
  private useMethod(name: PsExpr): void {
    this.use("methods");
    if (name.kind === "const") this.use(`method:${String(name.value).toLowerCase()}`);
    else METHOD_UNITS.forEach((unit) => this.use(unit));
  }

  /** `__ps.B.<op>`, recording the operator's unit. */
  private op(name: string): string {
    this.use(OPERATOR_UNITS[name]);
    return `__ps.B.${name}`;
  }

  private id(prefix: string): string {
    return `${prefix}${++this.nextId}`;
  }

  // ---- script blocks ----------------------------------------------------------------------------

  /** `__ps.fn(meta, body)` for a script block (function, script or `{ }` literal). */
  private block(b: PsScriptBlock): string {
    const saved = this.loops;
    this.loops = [];
    const meta = `[${b.params.map((p) => this.param(p)).join(",")}]`;
    let result: string;
    if (b.begin !== undefined || b.process !== undefined) {
      const part = (body: readonly PsStatement[] | undefined): string => `function($s,$o){${this.stmts(body ?? [])}}`;
      result = `__ps.fn(${meta},null,${part(b.begin)},${b.process === undefined ? "null" : part(b.process)},${part(b.end)})`;
    } else result = `__ps.fn(${meta},function($s,$o){${this.stmts(b.body)}})`;
    this.loops = saved;
    return result;
  }

  private param(p: PsParameter): string {
    let type: string | undefined;
    if (p.type !== undefined) {
      type = canonicalType(p.type);
      if (type === undefined) throw this.unsupported(p.at, `The type [${p.type}]`);
    }
    // Only what differs from the defaults (no type, not a switch, no default, optional, no position, not from the pipeline, no set).
    const fields = [`n:${js(p.name)}`];
    if (type !== undefined) fields.push(`t:${js(type)}`);
    if (p.type !== undefined && p.type.toLowerCase().replace(/^system\.management\.automation\./, "") === "switch") fields.push("sw:1");
    if (p.defaultValue !== undefined) fields.push(`d:function($s){return ${this.expr(p.defaultValue)};}`);
    if (p.mandatory) fields.push("m:1");
    if (p.position !== undefined) fields.push(`pos:${js(p.position)}`);
    if (p.fromPipeline) fields.push("pipe:1");
    if (p.fromPipelineByPropertyName === true) fields.push("pbn:1");
    if (p.aliases !== undefined) fields.push(`al:[${p.aliases.map((e) => this.expr(e)).join(",")}]`);
    if (p.validateSet !== undefined) fields.push(`set:[${p.validateSet.map((e) => this.expr(e)).join(",")}]`);
    return `{${fields.join(",")}}`;
  }

  // ---- statements ------------------------------------------------------------------------------

  private stmts(list: readonly PsStatement[]): string {
    return list.map((s) => this.stmt(s)).join("\n");
  }

  private line(at: number): string {
    this.currentLine = this.lines.lineAt(at);
    return `__ps.ln=${this.currentLine};`;
  }

  private stmt(s: PsStatement): string {
    const ln = this.line(s.at);
    switch (s.kind) {
      case "pipeline":
        return ln + this.pipelineStmt(s);
      case "assign":
        return `${ln}${this.assign(s.target, s.op, this.value(s.value))};`;
      case "if":
        return ln + this.firstOf(s.clauses.map(([cond, body]) => [`__ps.bool(${this.value(cond)})`, this.stmts(body)]), s.otherwise === undefined ? "" : this.stmts(s.otherwise));
      case "while":
        return ln + this.loop(s.label, (l) => `${l}: while (__ps.bool(${this.value(s.test)})) {`, s.body, "}");
      case "do": {
        const test = `__ps.bool(${this.value(s.test)})`;
        return ln + this.loop(s.label, (l) => `${l}: do {`, s.body, `} while (${s.until ? "!" : ""}${test});`);
      }
      case "for": {
        const init = s.init === undefined ? "" : this.discarded(s.init);
        const test = s.test === undefined ? "true" : `__ps.bool(${this.value(s.test)})`;
        const step = s.step === undefined ? "" : `(function(){${this.discarded(s.step)}})()`;
        return ln + init + this.loop(s.label, (l) => `${l}: for (; ${test}; ${step}) {`, s.body, "}");
      }
      case "foreach": {
        const arr = this.id("$a");
        const i = this.id("$i");
        const head = `var ${arr}=__ps.items(${this.value(s.source)});`;
        return ln + head + this.loop(s.label, (l) => `${l}: for (var ${i}=0; ${i}<${arr}.length; ${i}++) { __ps.sv($s,${js(s.variable)},${arr}[${i}]);`, s.body, "}");
      }
      case "switch":
        return ln + this.switchStmt(s);
      case "flow":
        return ln + this.flow(s.flow, s.label, s.at);
      case "return":
        if (this.loops.some((frame) => frame.finally)) throw this.leavingFinally(s.at);
        return `${ln}${s.value === undefined ? "" : `__ps.emit($o,${this.value(s.value)});`}return;`;
      case "exit":
        return `${ln}__ps.exit(${s.value === undefined ? "undefined" : this.value(s.value)});`;
      case "throw":
        this.use("errors-catch");
        return `${ln}throw __ps.toThrow(${s.value === undefined ? "undefined" : this.value(s.value)},$s);`;
      case "try": {
        const e = this.id("$e");
        let code = `${ln}try {${this.stmts(s.body)}}`;
        if (s.catches.length > 0) {
          const clauses = s.catches.map((c) => {
            for (const t of c.types) if (canonicalType(t) !== "exception" && !/^[\w.]*exception$/i.test(t)) throw this.unsupported(c.at, `Catching [${t}]`);
            if (c.types.length > 0) this.use("errors-catch");
            const test = c.types.length === 0 ? "true" : `__ps.catches(${e},${js(c.types.map((t) => t.toLowerCase()))})`;
            return [test, `__ps.sv($s,"_",__ps.caught(${e})); ${this.stmts(c.body)}`] as const;
          });
          code += ` catch (${e}) { if (__ps.fatal(${e})) throw ${e}; ${this.firstOf(clauses, `throw ${e};`)} }`;
        }
        if (s.final !== undefined) {
          this.loops.push({ js: "", label: undefined, finally: true });
          code += ` finally {${this.stmts(s.final)}}`;
          this.loops.pop();
        }
        return code;
      }
      case "function":
        return `${ln}__ps.defn($s,${js(s.name.toLowerCase())},${this.block(s.block)});`;
    }
  }

  /**
   * Runs the body of the first test that holds, else `otherwise`, in a flat labeled block: thousands
   * of `elseif` or `catch` clauses as `else if` would nest deeper than QuickJS's parser goes.
   */
  private firstOf(clauses: readonly (readonly [test: string, body: string])[], otherwise: string): string {
    const l = this.id("B");
    return `${l}: {${clauses.map(([test, body]) => `if (${test}) {${body}\nbreak ${l};}`).join("\n")}\n${otherwise}}`;
  }

  private loop(label: string | undefined, head: (jsLabel: string) => string, body: readonly PsStatement[], tail: string): string {
    const l = this.id("L");
    this.loops.push({ js: l, label });
    const inner = this.stmts(body);
    this.loops.pop();
    return `${head(l)}${inner}${tail}`;
  }

  private flow(kind: "break" | "continue", label: string | undefined, at: number): string {
    for (let i = this.loops.length - 1; i >= 0; i--) {
      const frame = this.loops[i];
      if (frame?.finally) throw this.leavingFinally(at);
      if (frame !== undefined && (label === undefined || frame.label === label)) return `${kind} ${frame.js};`;
    }
    if (label !== undefined) throw sourceError("ScriptError", this.src, at, `The loop label '${label}' is not defined`);
    return kind === "continue" ? "return;" : "__ps.breakOut();";
  }

  /** PowerShell's parse error for `break`, `continue` or `return` out of a finally block (which could cancel `exit`). */
  private leavingFinally(at: number): Error {
    return sourceError("ScriptError", this.src, at, "Flow of control cannot leave a Finally block");
  }

  private switchStmt(s: Extract<PsStatement, { kind: "switch" }>): string {
    const arr = this.id("$a");
    const i = this.id("$i");
    const x = this.id("$x");
    const matched = this.id("$m");
    const l = this.id("L");
    this.loops.push({ js: l, label: s.label });
    const clauses: string[] = [];
    let dflt = "";
    for (const c of s.clauses) {
      if (c.test === undefined) {
        dflt = this.stmts(c.body);
        continue;
      }
      const test =
        c.test.kind === "scriptblock"
          ? `__ps.bool(__ps.unwrap(__ps.collect(function($o){${this.stmts(c.test.block.body)}})))`
          : this.switchMatch() + `($s,${x},${this.expr(c.test)},${js(s.mode)},${s.caseSensitive})`;
      clauses.push(`if (${test}) { ${matched}=true; ${this.stmts(c.body)} }`);
    }
    this.loops.pop();
    const defaultCode = dflt === "" ? "" : `if (!${matched}) {${dflt}}`;
    return (
      `var ${arr}=__ps.items(${this.value(s.subject)});` +
      `${l}: for (var ${i}=0; ${i}<${arr}.length; ${i}++) { var ${x}=${arr}[${i}]; var ${matched}=false; __ps.sv($s,"_",${x});` +
      `${clauses.join("\n")}${defaultCode}}`
    );
  }

  private switchMatch(): string {
    this.use("switch-match");
    return "__ps.switchMatch";
  }

  /** Runs a statement for its effects, discarding its output. */
  private discarded(s: PsStatement): string {
    if (s.kind === "pipeline" || s.kind === "assign") return `(function($o){${this.stmt(s)}})([]);`;
    return this.stmt(s);
  }

  private pipelineStmt(s: Extract<PsStatement, { kind: "pipeline" }>): string {
    const first = s.elements[0];
    const plain = unredirected(s.redirect);
    if (s.elements.length === 1 && first?.kind === "expr" && plain) {
      const e = first.expr;
      if (e.kind === "cast" && canonicalType(e.type) === "void") return `${this.expr(e.operand)};`;
      if (e.kind === "incdec") return `${this.assign(e.target, e.op === "++" ? "+=" : "-=", "1")};`;
      return `__ps.emit($o,${this.expr(e)});`;
    }
    if (s.elements.length === 1 && first !== undefined && first.kind !== "expr" && plain) return `__ps.run($s,$o,${this.command(first)});`;
    return `__ps.pipe($s,$o,${this.pipelineStages(s)}${this.redirect(s)});`;
  }

  /** The redirection argument of a pipeline (what the runtime discards or merges), left out when there is none. */
  private redirect(s: Extract<PsStatement, { kind: "pipeline" }>): string {
    const { discardOutput, discardErrors, mergeErrors } = s.redirect;
    return discardOutput || discardErrors || mergeErrors ? `,${js({ discardOutput, discardErrors, mergeErrors })}` : "";
  }

  /** The stages of a pipeline; `> path` / `>> path` add the `Out-File` cmdlet (never a function of the script, as in PowerShell). */
  private pipelineStages(s: Extract<PsStatement, { kind: "pipeline" }>): string {
    const stages = s.elements.map((el) => (el.kind === "expr" ? `{e:${this.expr(el.expr)}}` : this.command(el)));
    const to = s.redirect.toFile;
    if (to !== undefined) {
      this.use("cmdlet:out-file");
      const args = this.args([{ at: to.path.at, param: "filepath", value: to.path }, ...(to.append ? [{ at: to.path.at, param: "append" }] : [])]);
      stages.push(`{c:"out-file",a:${args},l:${this.lines.lineAt(to.path.at)}}`);
    }
    return `[${stages.join(",")}]`;
  }

  private command(c: PsCommand): string {
    const line = this.lines.lineAt(c.at);
    if (c.name === undefined && c.callee?.kind !== "scriptblock") this.usedUnits = "all";
    const literal = c.name === undefined ? literalText(c.callee) : undefined;
    if (literal !== undefined && c.callee !== undefined) {
      // `& "C:\Windows\System32\reg.exe"`: a literal name that is neither a function nor a cmdlet of the subset.
      if (!this.functions.has(literal.toLowerCase()) && canonicalCommand(literal.toLowerCase()) === undefined) {
        const reason = REFUSED_COMMANDS[literal.toLowerCase()];
        throw this.unsupported(c.callee.at, reason === undefined ? `The command '${literal}'` : `The command '${literal}' (it ${reason})`);
      }
    }
    if (c.name === undefined) return `{x:${this.expr(c.callee ?? { kind: "const", at: c.at, value: null })},a:${this.args(c.args)},l:${line}}`;
    const lower = c.name.toLowerCase();
    if (!this.functions.has(lower)) {
      const canonical = canonicalCommand(lower);
      if (canonical === undefined) {
        const reason = REFUSED_COMMANDS[lower];
        throw this.unsupported(c.at, reason === undefined ? `The command '${c.name}'` : `The command '${c.name}' (it ${reason})`);
      }
      if (canonical === "new-object") this.checkNewObject(c);
      if (canonical === "new-item" || canonical === "mkdir") this.checkNewItem(c);
      if (canonical === "set-content" || canonical === "add-content" || canonical === "out-file") this.checkEncoding(c, canonical === "out-file" ? "filepath" : "path");
      this.use(`cmdlet:${canonical}`);
      return `{c:${js(canonical)},a:${this.args(c.args)},l:${line}}`;
    }
    return `{f:${js(lower)},a:${this.args(c.args)},l:${line}}`;
  }

  /** Refuses, before running, a constant COM class or .NET type that the sandbox lacks. */
  private checkNewObject(c: PsCommand): void {
    for (const { role, v } of constantArguments(c, "typename", "argumentlist")) {
      if (role.startsWith("com")) {
        if (!COM_PROG_IDS.includes(v.value.toLowerCase())) throw this.unsupported(v.at, `The COM class '${v.value}'`);
      } else if (role.startsWith("type") && !NEW_OBJECT_TYPES.has(canonicalType(v.value) ?? "")) {
        throw this.unsupported(v.at, `The .NET type '${v.value}'`);
      }
    }
  }

  /**
   * Refuses, before running, a constant `New-Item` (or `mkdir`, which calls it) that the sandbox
   * does not do: an `-ItemType` other than `File` or `Directory`, or a `-Path` outside the file
   * system (a registry key, `TSEnv:`, `Env:` and other drives). The same rules hold at run time
   * for computed values.
   */
  private checkNewItem(c: PsCommand): void {
    for (const { role, v } of constantArguments(c, "path", "")) {
      if ((role === "type" || (role.length > 0 && "itemtype".startsWith(role))) && !/^(file|directory)$/i.test(v.value)) throw this.unsupported(v.at, `New-Item -ItemType ${v.value}`);
      if (role.length > 0 && "path".startsWith(role) && /^[A-Za-z][\w.]+:/.test(v.value)) throw this.unsupported(v.at, `New-Item on '${v.value}' (only files and folders)`);
    }
  }

  /**
   * Refuses, before running, a constant `-Encoding UTF7` or `Byte` of a file writer (`Out-File`'s
   * is also its second positional argument): the sandbox writes neither. Other values are checked
   * when the command runs, as PowerShell binds them.
   */
  private checkEncoding(c: PsCommand, first: string): void {
    const rest = first === "filepath" ? "encoding" : "value";
    for (const { role, v } of constantArguments(c, first, rest)) {
      if (role.length >= 2 && "encoding".startsWith(role) && /^(utf7|byte)$/i.test(v.value)) throw this.unsupported(v.at, `-Encoding ${v.value}`);
    }
  }

  private args(list: readonly PsCommandArg[]): string {
    const items = list.map((a) => {
      if (a.splat !== undefined) return `{sp:__ps.gv($s,${js(a.splat)})}`;
      const parts: string[] = [];
      if (a.param !== undefined) {
        parts.push(`p:${js(a.param.toLowerCase())}`);
        // The spelling as written, for `$args` of a function or script without parameters.
        if (a.param !== a.param.toLowerCase()) parts.push(`n:${js(a.param)}`);
      }
      if (a.value !== undefined) parts.push(`v:${this.expr(a.value)}`);
      return `{${parts.join(",")}}`;
    });
    return `[${items.join(",")}]`;
  }

  // ---- values and assignment -----------------------------------------------------------------

  /** The value of a statement used as an expression (conditions, assignment right sides, parens). */
  private value(s: PsStatement): string {
    if (s.kind === "pipeline") {
      const first = s.elements[0];
      const plain = unredirected(s.redirect);
      if (s.elements.length === 1 && first?.kind === "expr" && plain) return this.expr(first.expr);
      if (s.elements.length === 1 && first !== undefined && first.kind !== "expr" && plain) return `__ps.unwrap(__ps.run($s,[],${this.command(first)}))`;
      return `__ps.unwrap(__ps.pipeOut($s,${this.pipelineStages(s)}${this.redirect(s)}))`;
    }
    if (s.kind === "assign") return this.assign(s.target, s.op, this.value(s.value));
    return `__ps.unwrap(__ps.collect(function($o){${this.stmt(s)}}))`;
  }

  /** A JS expression that performs the assignment and yields the assigned value. */
  private assign(target: PsExpr, op: string, value: string): string {
    const combine = (current: string): string => {
      if (op === "=") return value;
      const fn = { "+=": "add", "-=": "sub", "*=": "mul", "/=": "div", "%=": "mod" }[op];
      return `${this.op(fn ?? "add")}(${current},${value})`;
    };
    switch (target.kind) {
      case "var":
        if (target.scope === "env") return `__ps.setEnv(${js(target.name)},${combine(`__ps.env(${js(target.name)})`)})`;
        if (target.scope === "tsenv") this.use("tsdrive");
        if (target.scope === "tsenv") return `__ps.setTsv(${js(target.name)},${combine(`__ps.tsv(${js(target.name)})`)})`;
        return `__ps.sv(${target.scope === "script" ? "__ps.root" : "$s"},${js(target.name)},${combine(this.expr(target))})`;
      case "cast": {
        const type = canonicalType(target.type);
        if (type === undefined) throw this.unsupported(target.at, `The type [${target.type}]`);
        if (target.operand.kind !== "var") throw sourceError("ScriptError", this.src, target.at, "A typed assignment needs a variable");
        return this.assign(target.operand, "=", `__ps.cast(${js(type)},${combine(this.expr(target.operand))})`);
      }
      case "member": {
        const t = this.id("$t");
        return `(function(${t}){return __ps.setm(${t},${this.memberName(target.name)},${combine(`__ps.mem(${t},${this.memberName(target.name)})`)});})(${this.expr(target.target)})`;
      }
      case "index": {
        const t = this.id("$t");
        const k = this.id("$k");
        return `(function(${t},${k}){return __ps.seti(${t},${k},${combine(`__ps.idx(${t},${k})`)});})(${this.expr(target.target)},${this.expr(target.index)})`;
      }
      case "const":
        if (target.value !== null || op !== "=") throw sourceError("ScriptError", this.src, target.at, "The assignment target is not a variable, property or element");
        return `(${value},__ps.VOID)`;
      case "invoke":
        if (op !== "=") throw sourceError("ScriptError", this.src, target.at, "Only '=' can assign a parameterised property");
        this.use("com");
        return `__ps.setp(${this.expr(target.target)},${this.memberName(target.name)},[${target.args.map((a) => this.expr(a)).join(",")}],${value})`;
      default:
        throw sourceError("ScriptError", this.src, target.at, "The assignment target is not a variable, property or element");
    }
  }

  /** Refuses, before running, a literal static method the runtime lacks (`[Convert]::ToSByte(…)`). */
  private checkStaticMethod(target: PsExpr, name: PsExpr): void {
    if (target.kind !== "type" || name.kind !== "const" || typeof name.value !== "string") return;
    const type = canonicalType(target.name);
    if (type === undefined || STATIC_METHOD_NAMES.get(type)?.has(name.value.toLowerCase()) === true) return;
    throw this.unsupported(name.at, `The static method [${target.name}]::${name.value}()`);
  }

  private memberName(name: PsExpr): string {
    return name.kind === "const" ? js(String(name.value)) : `__ps.str(${this.expr(name)})`;
  }

  // ---- expressions -------------------------------------------------------------------------------

  private expr(e: PsExpr): string {
    switch (e.kind) {
      case "const":
        return js(e.value);
      case "var":
        if (e.scope === "env") return `__ps.env(${js(e.name)})`;
        if (e.scope === "tsenv") this.use("tsdrive");
        if (e.scope === "tsenv") return `__ps.tsv(${js(e.name)})`;
        return `__ps.gv(${e.scope === "script" ? "__ps.root" : "$s"},${js(e.name)})`;
      case "xstring": {
        // Every part is a string (text, or __ps.str of an expression), so no leading "" is needed.
        const parts = e.parts.map((p) => ("text" in p ? js(p.text) : `__ps.str(${this.expr(p.expr)})`));
        return parts.length <= 1 ? (parts[0] ?? '""') : `(${parts.join("+")})`;
      }
      case "array":
        return `[${e.items.map((i) => this.expr(i)).join(",")}]`;
      case "subexpr": {
        const single = this.singleExpression(e.body);
        if (single !== undefined) return e.array ? `__ps.arr(${this.expr(single)})` : `__ps.unwrap(__ps.arr(${this.expr(single)}))`;
        const collected = `__ps.collect(function($o){${this.stmtsNoLoops(e.body)}})`;
        return e.array ? collected : `__ps.unwrap(${collected})`;
      }
      case "paren":
        return this.value(e.body);
      case "hash":
        return `__ps.hash([${e.entries.map(([k, v]) => `[${this.expr(k)},${this.value(v)}]`).join(",")}])`;
      case "scriptblock":
        return `__ps.sb($s,${this.block(e.block)})`;
      case "type": {
        const type = canonicalType(e.name);
        if (type === undefined) throw this.unsupported(e.at, `The type [${e.name}]`);
        this.use("static");
        this.use(`static-${type}`);
        return `__ps.type(${js(type)})`;
      }
      case "cast": {
        const type = canonicalType(e.type);
        if (type === undefined) throw this.unsupported(e.at, `The type [${e.type}]`);
        if (type === "ref") {
          if (e.operand.kind !== "var" || e.operand.scope === "env" || e.operand.scope === "tsenv") throw this.unsupported(e.at, "[ref] of anything but a variable");
          return `__ps.ref(${e.operand.scope === "script" ? "__ps.root" : "$s"},${js(e.operand.name)})`;
        }
        return `__ps.cast(${js(type)},${this.expr(e.operand)})`;
      }
      case "unary":
        return this.unary(e.op, this.expr(e.operand));
      case "binary":
        return this.binary(e.op, e.left, e.right);
      case "incdec": {
        const delta = e.op === "++" ? "+=" : "-=";
        const t = this.id("$v");
        if (e.prefix) return this.assign(e.target, delta, "1");
        return `(function(${t}){${this.assign(e.target, delta, "1")};return ${t};})(${this.expr(e.target)})`;
      }
      case "member":
        if (e.isStatic) return `__ps.smem(${this.expr(e.target)},${this.memberName(e.name)})`;
        return `__ps.mem(${this.expr(e.target)},${this.memberName(e.name)})`;
      case "invoke": {
        const args = `[${e.args.map((a) => this.expr(a)).join(",")}]`;
        if (e.isStatic) {
          this.checkStaticMethod(e.target, e.name);
          return `__ps.scall(${this.expr(e.target)},${this.memberName(e.name)},${args})`;
        }
        this.useMethod(e.name);
        return `__ps.call(${this.expr(e.target)},${this.memberName(e.name)},${args})`;
      }
      case "index":
        return `__ps.idx(${this.expr(e.target)},${this.expr(e.index)})`;
    }
  }

  /** The expression of a body that is one plain expression statement writing its value (`@(1, 2)`, `$($x.Name)`). */
  private singleExpression(body: readonly PsStatement[]): PsExpr | undefined {
    const only = body.length === 1 ? body[0] : undefined;
    if (only?.kind !== "pipeline" || only.elements.length !== 1) return undefined;
    const first = only.elements[0];
    if (first?.kind !== "expr" || !unredirected(only.redirect)) return undefined;
    // Errors report the line of the current statement, so the expression must be on it.
    if (this.lines.lineAt(only.at) !== this.currentLine) return undefined;
    const e = first.expr;
    return e.kind === "incdec" || (e.kind === "cast" && canonicalType(e.type) === "void") ? undefined : e;
  }

  private stmtsNoLoops(body: readonly PsStatement[]): string {
    const saved = this.loops;
    this.loops = [];
    const code = this.stmts(body);
    this.loops = saved;
    return code;
  }

  private unary(op: string, operand: string): string {
    switch (op) {
      case "-not":
      case "!":
        return `!__ps.bool(${operand})`;
      case "-":
        return `${this.op("neg")}(${operand})`;
      case "+":
        return `${this.op("plus")}(${operand})`;
      case "-bnot":
        return `${this.op("bnot")}(${operand})`;
      case "-split":
        return `${this.op("split")}(${operand},"\\\\s+",false,$s,true)`;
      default:
        return `${this.op("join")}(${operand},"")`;
    }
  }

  private binary(op: string, left: PsExpr, right: PsExpr): string {
    const l = this.expr(left);
    if (op === "-and") return `(__ps.bool(${l})&&__ps.bool(${this.expr(right)}))`;
    if (op === "-or") return `(__ps.bool(${l})||__ps.bool(${this.expr(right)}))`;
    if (op === "-xor") return `(__ps.bool(${l})!==__ps.bool(${this.expr(right)}))`;
    if (op === "-is" || op === "-isnot" || op === "-as") {
      if (right.kind !== "type") throw this.unsupported(right.at, `'${op}' with a non-literal type`);
      const type = canonicalType(right.name);
      if (type === undefined) throw this.unsupported(right.at, `The type [${right.name}]`);
      this.use("type-test");
      if (op === "-as") return `__ps.as(${js(type)},${l})`;
      return `${op === "-isnot" ? "!" : ""}__ps.is(${js(type)},${l})`;
    }
    const r = this.expr(right);
    const arithmetic: Record<string, string> = { "+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod", "..": "range", "-f": "format", "-band": "band", "-bor": "bor", "-bxor": "bxor", "-shl": "shl", "-shr": "shr" };
    const arith = arithmetic[op];
    if (arith !== undefined) return `${this.op(arith)}(${l},${r})`;
    if (op === "-join") return `${this.op("join")}(${l},${r})`;
    const bare = op.slice(1);
    const name = COMPARISON_NAMES.has(bare) ? bare : bare.slice(1);
    const cs = !COMPARISON_NAMES.has(bare) && bare.startsWith("c");
    // Case sensitivity defaults to off; only -match and -notmatch use the scope (they set $Matches).
    const tail = name === "match" || name === "notmatch" ? `,${cs},$s` : cs ? ",true" : "";
    return `${this.op(name)}(${l},${r}${tail})`;
  }
}

/**
 * The constant string arguments of a command with the parameter each binds to (lower case, as
 * written, possibly abbreviated): a named argument's name, else `first` for the first positional
 * argument and `rest` for the others. Computed values are left to the run-time checks.
 */
function* constantArguments(c: PsCommand, first: string, rest: string): Generator<{ readonly role: string; readonly v: { readonly value: string; readonly at: number } }> {
  let param: string | undefined;
  let positional = 0;
  for (const a of c.args) {
    if (a.param !== undefined && a.value === undefined) {
      param = a.param.toLowerCase();
      continue;
    }
    const v = a.value;
    const role = a.param?.toLowerCase() ?? param ?? (positional++ === 0 ? first : rest);
    param = undefined;
    if (v?.kind === "const" && typeof v.value === "string") yield { role, v: { value: v.value, at: v.at } };
  }
}

/** The text of a string literal (`'x'`, or `"x"` without embedded expressions), else undefined. */
function literalText(e: PsExpr | undefined): string | undefined {
  if (e?.kind === "const") return typeof e.value === "string" ? e.value : undefined;
  if (e?.kind !== "xstring") return undefined;
  let text = "";
  for (const part of e.parts) {
    if (!("text" in part)) return undefined;
    text += part.text;
  }
  return text;
}

/** The static methods the runtime implements, by type: the keys of each `STATIC_METHODS.<type> = { … }` in the prelude. */
const STATIC_METHOD_NAMES: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  [...PRELUDE_MEMBERS.matchAll(/STATIC_METHODS\.(\w+) = \{([\s\S]*?)(?=\n\/\*@|$)/g)].map((m) => [
    m[1] ?? "",
    new Set([...(m[2] ?? "").matchAll(/(\w+): /g)].map((k) => k[1] ?? "")),
  ]),
);
