/**
 * Syntax tree of the PowerShell-style subset. Every node carries the 0-based offset of its first
 * character so that the compiler can report line and column.
 */

/** Fields shared by every node. */
export interface PsNodeBase {
  /** 0-based character offset of the node in the source. */
  readonly at: number;
}

/** A part of an expandable string: literal text or an embedded expression. */
export type PsStringPart = { readonly text: string } | { readonly expr: PsExpr };

/** An expression. */
export type PsExpr =
  | (PsNodeBase & { readonly kind: "const"; readonly value: string | number | boolean | null })
  | (PsNodeBase & { readonly kind: "var"; readonly name: string; readonly scope: "local" | "script" | "env" | "tsenv" })
  | (PsNodeBase & { readonly kind: "xstring"; readonly parts: readonly PsStringPart[] })
  | (PsNodeBase & { readonly kind: "array"; readonly items: readonly PsExpr[] })
  | (PsNodeBase & { readonly kind: "subexpr"; readonly body: readonly PsStatement[]; readonly array: boolean })
  | (PsNodeBase & { readonly kind: "paren"; readonly body: PsStatement })
  | (PsNodeBase & { readonly kind: "hash"; readonly entries: readonly (readonly [PsExpr, PsStatement])[] })
  | (PsNodeBase & { readonly kind: "scriptblock"; readonly block: PsScriptBlock })
  | (PsNodeBase & { readonly kind: "type"; readonly name: string })
  | (PsNodeBase & { readonly kind: "cast"; readonly type: string; readonly operand: PsExpr })
  | (PsNodeBase & { readonly kind: "unary"; readonly op: string; readonly operand: PsExpr })
  | (PsNodeBase & { readonly kind: "binary"; readonly op: string; readonly left: PsExpr; readonly right: PsExpr })
  | (PsNodeBase & { readonly kind: "incdec"; readonly op: "++" | "--"; readonly prefix: boolean; readonly target: PsExpr })
  | (PsNodeBase & { readonly kind: "member"; readonly target: PsExpr; readonly name: PsExpr; readonly isStatic: boolean })
  | (PsNodeBase & { readonly kind: "invoke"; readonly target: PsExpr; readonly name: PsExpr; readonly isStatic: boolean; readonly args: readonly PsExpr[] })
  | (PsNodeBase & { readonly kind: "index"; readonly target: PsExpr; readonly index: PsExpr });

/** One argument of a command: a parameter name, a value, or `-Name:value`. */
export interface PsCommandArg extends PsNodeBase {
  /** The parameter name without the dash, when this is a parameter. */
  readonly param?: string;
  /** The value (a positional argument, or the value after `-Name:`). */
  readonly value?: PsExpr;
  /** `@name` splatting. */
  readonly splat?: string;
}

/** A command invocation: a cmdlet, a function, or `& <expr>`. */
export interface PsCommand extends PsNodeBase {
  readonly kind: "command";
  /** The literal command name, or undefined for `& <expr>`. */
  readonly name?: string;
  /** The invoked expression for `& <expr>` / `. <expr>`. */
  readonly callee?: PsExpr;
  readonly args: readonly PsCommandArg[];
}

/** One element of a pipeline. */
export type PsPipelineElement = PsCommand | (PsNodeBase & { readonly kind: "expr"; readonly expr: PsExpr });

/** Redirections of a pipeline that the subset supports. */
export interface PsRedirections {
  /** `> $null` / `*> $null`: the output is discarded. */
  readonly discardOutput: boolean;
  /** `2> $null` / `*> $null`: errors are discarded. */
  readonly discardErrors: boolean;
  /** `2>&1`: errors are merged into the output. */
  readonly mergeErrors: boolean;
  /** `> path` / `>> path` (the last element of the pipeline only): the output goes to `Out-File -FilePath path [-Append]`. */
  readonly toFile?: { readonly path: PsExpr; readonly append: boolean };
}

/** A parameter declared by `param(...)`. */
export interface PsParameter extends PsNodeBase {
  readonly name: string;
  readonly type?: string;
  readonly defaultValue?: PsExpr;
  readonly mandatory: boolean;
  readonly position?: number;
  readonly fromPipeline: boolean;
  /** `[Parameter(ValueFromPipelineByPropertyName)]`. */
  readonly fromPipelineByPropertyName?: boolean;
  /** `[Alias(...)]` names. */
  readonly aliases?: readonly PsExpr[];
  readonly validateSet?: readonly PsExpr[];
}

/** A script block body: parameters and statements, or named blocks (`begin` and `end` are set, `process` only when declared). */
export interface PsScriptBlock extends PsNodeBase {
  readonly params: readonly PsParameter[];
  readonly hasParamBlock: boolean;
  /** The offset just after the `)` of its `param()` block, when it has one. */
  readonly paramEnd?: number;
  readonly body: readonly PsStatement[];
  readonly begin?: readonly PsStatement[];
  readonly process?: readonly PsStatement[];
  readonly end?: readonly PsStatement[];
}

/** A `switch` clause. */
export interface PsSwitchClause extends PsNodeBase {
  /** The condition, or undefined for `default`. */
  readonly test?: PsExpr;
  readonly body: readonly PsStatement[];
}

/** A `catch` clause. */
export interface PsCatch extends PsNodeBase {
  readonly types: readonly string[];
  readonly body: readonly PsStatement[];
}

/** A statement. */
export type PsStatement =
  | (PsNodeBase & { readonly kind: "pipeline"; readonly elements: readonly PsPipelineElement[]; readonly redirect: PsRedirections })
  | (PsNodeBase & { readonly kind: "assign"; readonly op: string; readonly target: PsExpr; readonly value: PsStatement })
  | (PsNodeBase & { readonly kind: "if"; readonly clauses: readonly (readonly [PsStatement, readonly PsStatement[]])[]; readonly otherwise?: readonly PsStatement[] })
  | (PsNodeBase & { readonly kind: "switch"; readonly label?: string; readonly mode: "exact" | "wildcard" | "regex"; readonly caseSensitive: boolean; readonly subject: PsStatement; readonly clauses: readonly PsSwitchClause[] })
  | (PsNodeBase & { readonly kind: "foreach"; readonly label?: string; readonly variable: string; readonly source: PsStatement; readonly body: readonly PsStatement[] })
  | (PsNodeBase & { readonly kind: "for"; readonly label?: string; readonly init?: PsStatement; readonly test?: PsStatement; readonly step?: PsStatement; readonly body: readonly PsStatement[] })
  | (PsNodeBase & { readonly kind: "while"; readonly label?: string; readonly test: PsStatement; readonly body: readonly PsStatement[] })
  | (PsNodeBase & { readonly kind: "do"; readonly label?: string; readonly until: boolean; readonly test: PsStatement; readonly body: readonly PsStatement[] })
  | (PsNodeBase & { readonly kind: "flow"; readonly flow: "break" | "continue"; readonly label?: string })
  | (PsNodeBase & { readonly kind: "return"; readonly value?: PsStatement })
  | (PsNodeBase & { readonly kind: "exit"; readonly value?: PsStatement })
  | (PsNodeBase & { readonly kind: "throw"; readonly value?: PsStatement })
  | (PsNodeBase & { readonly kind: "try"; readonly body: readonly PsStatement[]; readonly catches: readonly PsCatch[]; readonly final?: readonly PsStatement[] })
  | (PsNodeBase & { readonly kind: "function"; readonly name: string; readonly block: PsScriptBlock });

/** A parsed script. */
export interface PsScript {
  readonly block: PsScriptBlock;
  /** The names of the functions the script defines anywhere (lower case). */
  readonly functions: ReadonlySet<string>;
}
