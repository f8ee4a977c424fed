import type {
  ActionVariable,
  Condition,
  ConditionExpression,
  ConditionNode,
  ExpressionProperty,
  Group,
  Item,
  OsExpressionGroup,
  RunIn,
  SequenceReference,
  Step,
  TaskSequence,
  XmlElementNode,
  XmlNode,
  XmlTrivia,
} from "@taskseq/model";
import { decodeBoolean, decodeInteger, decodeOptionalBoolean, decodeRunIn, decodeSuccessCodes, sameNumbers } from "./attribute-codecs.js";
import { LAYOUT_KEY, convertSequence } from "./convert-sequence.js";
import { redactDynamicRules } from "./dynamic-rules.js";
import { isSecretVariableName } from "@taskseq/model";
import { isSecretSetting } from "./secret-settings.js";
import { SOURCE_VALUE_KEY } from "./sequence-reader.js";
import { serializeElement } from "./xml-serializer.js";

/** Options of {@link writeSequenceXml}. */
export interface WriteSequenceOptions {
  /** Target version; when it differs from the sequence's, {@link convertSequence} is applied first. */
  readonly version?: "3.00" | "3.10";
  /** Pretty-print. Default: `true` for 3.00, `false` (one line) for 3.10 and other versions. */
  readonly pretty?: boolean;
}

/**
 * Writes a task sequence as a `<sequence>` document (UTF-8 text).
 *
 * Items read from a document keep their source attributes, spelling and child order; new or
 * edited values follow the version's rules (spec/xml-format.md §4, §9, §10). Secret settings the
 * SDK holds are written empty; values the source document carried in clear are written back
 * (spec/variables.md §9.3).
 *
 * @example
 * ```ts
 * const { sequence } = parseSequenceXml(text);
 * const xml = writeSequenceXml(sequence);                      // same version, same layout rules
 * const cm = writeSequenceXml(sequence, { version: "3.10" });  // converted to ConfigMgr form
 * ```
 */
export function writeSequenceXml(sequence: TaskSequence, options: WriteSequenceOptions = {}): string {
  const target = options.version !== undefined && options.version !== sequence.version ? convertSequence(sequence, options.version).sequence : sequence;
  const writer = new SequenceWriter(target.version === "3.00" ? "3.00" : "3.10");
  const root = writer.sequence(target);
  const pretty = options.pretty ?? target.version === "3.00";
  const body = serializeElement(root, pretty);
  const declaration = writeDeclaration(target);
  if (!pretty) return declaration === undefined ? body : declaration + body;
  return `${declaration === undefined ? "" : `${declaration}\n`}${body}\n`;
}

function writeDeclaration(sequence: TaskSequence): string | undefined {
  const extra = sequence.trivia?.extra;
  const fromSource = extra !== undefined && extra["declaration.version"] !== undefined;
  const created = sequence.trivia === undefined || extra?.[LAYOUT_KEY] === "new";
  if (!fromSource) return sequence.version === "3.00" && created ? '<?xml version="1.0"?>' : undefined;
  const encoding = extra["declaration.encoding"] === undefined ? "" : ' encoding="utf-8"';
  const standalone = extra["declaration.standalone"] === undefined ? "" : ` standalone="${extra["declaration.standalone"]}"`;
  return `<?xml version="${extra["declaration.version"] ?? "1.0"}"${encoding}${standalone}?>`;
}

/** Builds the `<condition>` element of a condition (shared with the Set Dynamic Variables rules writer). */
export function conditionToElement(condition: Condition): XmlElementNode {
  return new SequenceWriter("3.10").condition(condition);
}

/**
 * One known attribute: its modelled value for new items and, through {@link matches}, whether a
 * source value still decodes to the model's value. Plain data (no closure per attribute: the
 * writer makes several per element).
 */
type AttributeSpec = {
  readonly name: string;
  /** The text to write when the attribute must be (re)written; `undefined` omits it. */
  readonly value: string | undefined;
} & (
  | { readonly decode: "string"; readonly model: string | undefined; readonly absentAs: string | undefined }
  | { readonly decode: "boolean"; readonly model: boolean }
  | { readonly decode: "optionalBoolean"; readonly model: boolean | undefined }
  | { readonly decode: "integer"; readonly model: number | undefined; readonly absentAs: number | undefined }
  | { readonly decode: "runIn"; readonly model: RunIn }
  | { readonly decode: "successCodes"; readonly model: readonly number[] }
);

/** Whether the raw source text of an attribute (or its absence) decodes to the value the model holds now. */
function matches(spec: AttributeSpec, raw: string | undefined): boolean {
  switch (spec.decode) {
    case "string":
      return (raw ?? spec.absentAs) === spec.model;
    case "boolean":
      return decodeBoolean(raw) === spec.model;
    case "optionalBoolean":
      return decodeOptionalBoolean(raw) === spec.model;
    case "integer":
      return (decodeInteger(raw) ?? spec.absentAs) === spec.model;
    case "runIn":
      return decodeRunIn(raw).value === spec.model;
    case "successCodes":
      return sameNumbers(decodeSuccessCodes(raw).codes, spec.model);
  }
}

type Emit = () => XmlElementNode | undefined;

const NO_EMITTERS: ReadonlyMap<string, Emit> = new Map();

class SequenceWriter {
  constructor(private readonly version: "3.00" | "3.10") {}

  sequence(sequence: TaskSequence): XmlElementNode {
    const isNew = sequence.trivia === undefined;
    const specs: AttributeSpec[] = [
      { name: "version", value: sequence.version, decode: "string", model: sequence.version, absentAs: "3.00" },
      stringSpec("name", sequence.name, isNew && this.version === "3.10", undefined),
      stringSpec("description", sequence.description, isNew && this.version === "3.10", undefined),
    ];
    const emitters = new Map<string, Emit>([
      ["globalVarList", () => this.list("globalVarList", sequence.globalVariables, sequence.trivia, (v) => this.variable(v, isSecretVariableName(v.name)))],
      ["referenceList", () => (sequence.references.length === 0 && !hasToken(sequence.trivia, "referenceList") ? undefined : this.list("referenceList", sequence.references, sequence.trivia, (r) => this.reference(r)))],
    ]);
    const defaults = ["globalVarList", "referenceList"].filter((t) => t !== "globalVarList" || sequence.globalVariables.length > 0);
    const children = this.children(sequence.trivia, emitters, defaults, sequence.items);
    return element("sequence", attributes(sequence.trivia, specs), children);
  }

  private item(item: Item): XmlElementNode {
    return item.kind === "group" ? this.group(item) : this.step(item);
  }

  private group(group: Group): XmlElementNode {
    const v300 = this.version === "3.00";
    const specs: AttributeSpec[] = [
      stringSpec("name", group.name, false),
      ...(v300 ? [] : [stringSpec("description", group.description, false)]),
      booleanSpec("disable", group.disabled, v300),
      booleanSpec("continueOnError", group.continueOnError, v300),
      ...(v300 ? [stringSpec("description", group.description, false)] : []),
      { name: "expand", value: v300 ? String(group.expand ?? true) : undefined, decode: "optionalBoolean", model: group.expand },
    ];
    const extra = group.trivia?.extra;
    const emitters = new Map<string, Emit>([
      ["condition", () => (group.condition === undefined ? undefined : this.condition(group.condition))],
      [
        "action",
        () => element("action", parseAttributes(extra?.["action.attributes"]), extra?.["action.text"] === undefined ? [] : [text(extra["action.text"])]),
      ],
    ]);
    const defaults = group.condition === undefined ? [] : ["condition"];
    return element("group", attributes(group.trivia, specs), this.children(group.trivia, emitters, defaults, group.children));
  }

  private step(step: Step): XmlElementNode {
    const v300 = this.version === "3.00";
    const untyped = step.type === "";
    const sub = step.element === "subtasksequence";
    const codes = step.successCodes.join(" ");
    const specs: AttributeSpec[] = [
      { name: "type", value: untyped ? undefined : step.type, decode: "string", model: step.type, absentAs: "" },
      stringSpec("name", step.name, false),
      ...(v300 ? [] : [stringSpec("description", step.description, false)]),
      booleanSpec("disable", step.disabled, v300),
      booleanSpec("continueOnError", step.continueOnError, v300),
      ...(v300 ? [] : [integerSpec("timeout", step.timeout, undefined)]),
      ...(v300 ? [] : [this.runInSpec(step, !sub)]),
      { name: "successCodeList", value: codes, decode: "successCodes", model: step.successCodes },
      ...(v300 ? [stringSpec("description", step.description, false), this.runInSpec(step, !untyped)] : []),
      ...(v300 ? [integerSpec("timeout", step.timeout, undefined)] : []),
      ...(v300 ? [] : [integerSpec("retryCount", step.retryCount, 0)]),
      ...(v300 ? [] : [booleanSpec("runFromNet", step.runFromNet, true)]),
      { name: "startIn", value: v300 && untyped ? (step.startIn ?? "") : step.startIn, decode: "string", model: step.startIn, absentAs: undefined },
    ];
    const emitters = new Map<string, Emit>([
      ["condition", () => (step.condition === undefined ? undefined : this.condition(step.condition))],
      [
        "action",
        () => (step.action === undefined ? undefined : element("action", parseAttributes(step.trivia?.extra?.["action.attributes"]), [text(step.action)])),
      ],
      ["defaultVarList", () => this.list("defaultVarList", step.variables, step.trivia, (v) => this.variable(v, isSecretSetting(step, v)))],
    ]);
    const present = ["condition", "action", "defaultVarList"].filter((t) =>
      t === "condition" ? step.condition !== undefined : t === "action" ? step.action !== undefined : step.variables.length > 0,
    );
    const defaults = v300 ? ["condition", "defaultVarList", "action"].filter((t) => present.includes(t)) : present;
    return element(step.element, attributes(step.trivia, specs), this.children(step.trivia, emitters, defaults, []));
  }

  private runInSpec(step: Step, write: boolean): AttributeSpec {
    return { name: "runIn", value: write ? step.runIn : undefined, decode: "runIn", model: step.runIn };
  }

  private variable(variable: ActionVariable, secret: boolean): XmlElementNode {
    const specs: AttributeSpec[] = [
      stringSpec("name", variable.name, false),
      stringSpec("property", variable.property, false),
      { name: "hidden", value: variable.hidden === true && this.version === "3.10" ? "true" : undefined, decode: "optionalBoolean", model: variable.hidden },
    ];
    const value = exportedValue(variable, secret);
    const trivia = variable.trivia;
    // Fast path for the most frequent element: a variable read from a document holding only text.
    const textOnly = trivia !== undefined && trivia.unknown.length === 0 && trivia.order.every((t) => t === "value");
    const children = textOnly ? (value === "" ? [] : [text(value)]) : this.children(trivia, NO_EMITTERS, [], [], value);
    return element("variable", attributes(trivia, specs), children);
  }

  private reference(reference: SequenceReference): XmlElementNode {
    const specs = (["package", "program", "application"] as const).map((name) => stringSpec(name, reference[name], false, undefined));
    return element("reference", attributes(reference.trivia, specs), unknownChildren(reference.trivia));
  }

  condition(condition: Condition): XmlElementNode {
    return element("condition", attributes(condition.trivia, []), this.operandChildren(condition.trivia, condition.operands, "operand"));
  }

  private operandChildren(trivia: XmlTrivia | undefined, operands: readonly ConditionNode[], token: string): XmlNode[] {
    return this.children(trivia, NO_EMITTERS, [], operands.map((o) => () => this.conditionNode(o)), undefined, token);
  }

  private conditionNode(node: ConditionNode): XmlElementNode {
    switch (node.kind) {
      case "expression":
        return this.expression(node);
      case "operator":
        return element("operator", attributes(node.trivia, [stringSpec("type", node.operator, false)]), this.operandChildren(node.trivia, node.operands, "operand"));
      case "osConditionGroup":
        return element(
          "osConditionGroup",
          attributes(node.trivia, []),
          this.children(node.trivia, NO_EMITTERS, [], node.groups.map((g) => () => this.osExpressionGroup(g)), undefined, "group"),
        );
    }
  }

  private osExpressionGroup(group: OsExpressionGroup): XmlElementNode {
    const children = this.children(group.trivia, NO_EMITTERS, [], group.expressions.map((e) => () => this.expression(e)), undefined, "expression");
    return element("osExpressionGroup", attributes(group.trivia, [stringSpec("name", group.name, false)]), children);
  }

  private expression(expression: ConditionExpression): XmlElementNode {
    const children = this.children(expression.trivia, NO_EMITTERS, [], expression.properties.map((p) => () => this.expressionProperty(p)), undefined, "property");
    return element("expression", attributes(expression.trivia, [stringSpec("type", expression.type, false)]), children);
  }

  private expressionProperty(property: ExpressionProperty): XmlElementNode {
    const children = this.children(property.trivia, NO_EMITTERS, [], [], property.value);
    return element("variable", attributes(property.trivia, [stringSpec("name", property.name, false)]), children);
  }

  /** A `defaultVarList`, `globalVarList` or `referenceList`, with its own attributes and unknown children. */
  private list<T>(name: string, entries: readonly T[], owner: XmlTrivia | undefined, write: (entry: T) => XmlElementNode): XmlElementNode {
    const unknown = parseUnknown(owner?.extra?.[`${name}.unknown`]);
    const children: XmlNode[] = [];
    entries.forEach((entry, index) => {
      for (const u of unknown) if (u.at === index) children.push(u.node);
      children.push(write(entry));
    });
    for (const u of unknown) if (u.at >= entries.length) children.push(u.node);
    return element(name, parseAttributes(owner?.extra?.[`${name}.attributes`]), children);
  }

  /**
   * Children in source order (trivia tokens). Sequential tokens (`item:`, `operand:`, ...) take the
   * model's entries in order, so inserted or removed entries keep unknown elements at their place;
   * surplus entries follow. Parts the source lacked go to the version's default position
   * (docs/model.md §6).
   */
  private children(
    trivia: XmlTrivia | undefined,
    emitters: ReadonlyMap<string, Emit>,
    defaults: readonly string[],
    items: readonly Item[] | readonly (() => XmlElementNode)[],
    value?: string,
    token = "item",
  ): XmlNode[] {
    const out: { readonly token: string; readonly node: XmlNode }[] = [];
    const sequential = items.map((entry) => (typeof entry === "function" ? entry : () => this.item(entry)));
    let next = 0;
    const done = new Set<string>();
    let wroteValue = false;
    for (const tok of trivia?.order ?? []) {
      const colon = tok.indexOf(":");
      const kind = colon < 0 ? tok : tok.slice(0, colon);
      if (kind === token) {
        const emit = sequential[next++];
        if (emit !== undefined) out.push({ token, node: emit() });
      } else if (kind === "unknown") {
        const node = trivia?.unknown[Number(tok.slice(colon + 1))];
        if (node !== undefined) out.push({ token: kind, node });
      } else if (kind === "text") {
        out.push({ token: kind, node: text(trivia?.extra?.[tok] ?? "") });
      } else if (tok === "value") {
        if (value !== undefined && !wroteValue) out.push({ token: tok, node: text(value) });
        wroteValue = true;
      } else if (!done.has(tok)) {
        done.add(tok);
        const node = emitters.get(tok)?.();
        if (node !== undefined) out.push({ token: tok, node });
      }
    }
    if (value !== undefined && value !== "" && !wroteValue) out.unshift({ token: "value", node: text(value) });
    for (const [rank, tok] of defaults.entries()) {
      if (done.has(tok)) continue;
      const node = emitters.get(tok)?.();
      if (node === undefined) continue;
      const later = out.findIndex((o) => o.token === token || defaults.indexOf(o.token) > rank);
      out.splice(later < 0 ? out.length : later, 0, { token: tok, node });
    }
    while (next < sequential.length) {
      const emit = sequential[next++];
      if (emit !== undefined) out.push({ token, node: emit() });
    }
    return out.map((o) => o.node);
  }
}

function exportedValue(variable: ActionVariable, secret: boolean): string {
  const source = variable.trivia?.extra?.[SOURCE_VALUE_KEY];
  if (variable.value === source || variable.value === "") return variable.value;
  if (secret) return "";
  return variable.property === "Rules" ? redactDynamicRules(variable.value) : variable.value;
}

/** A text attribute; `absentAs` is the model value an absent attribute reads as (`""` or `undefined`). */
function stringSpec(name: string, value: string | undefined, omitForNew: boolean, absentAs: string | undefined = ""): AttributeSpec {
  return { name, value: omitForNew ? undefined : value, decode: "string", model: value, absentAs };
}

function booleanSpec(name: string, value: boolean, writeFalse: boolean): AttributeSpec {
  return { name, value: value ? "true" : writeFalse ? "false" : undefined, decode: "boolean", model: value };
}

/** An integer attribute; `absentAs` is the model value an absent or invalid attribute reads as. */
function integerSpec(name: string, value: number | undefined, absentAs: number | undefined): AttributeSpec {
  return { name, value: value?.toString(), decode: "integer", model: value, absentAs };
}

/**
 * Source attributes in source order (raw text kept while it still decodes to the model's value),
 * then the known attributes the source lacked whose value is not the absent default. Without
 * trivia (a new item), every spec with a value, in spec order.
 */
function attributes(trivia: XmlTrivia | undefined, specs: readonly AttributeSpec[]): (readonly [string, string])[] {
  if (trivia === undefined || trivia.extra?.[LAYOUT_KEY] === "new") {
    const fresh = specs.flatMap((s) => (s.value === undefined ? [] : [[s.name, s.value] as const]));
    return trivia === undefined ? fresh : [...fresh, ...trivia.attributes];
  }
  const out: (readonly [string, string])[] = [];
  const seen = new Set<string>();
  for (const [name, raw] of trivia.attributes) {
    seen.add(name);
    const spec = specs.find((s) => s.name === name);
    if (spec === undefined || matches(spec, raw)) out.push([name, raw]);
    else if (spec.value !== undefined) out.push([name, spec.value]);
  }
  for (const spec of specs) {
    if (!seen.has(spec.name) && !matches(spec, undefined) && spec.value !== undefined) out.push([spec.name, spec.value]);
  }
  return out;
}

function unknownChildren(trivia: XmlTrivia | undefined): readonly XmlNode[] {
  return trivia?.unknown ?? [];
}

function hasToken(trivia: XmlTrivia | undefined, token: string): boolean {
  return trivia?.order.includes(token) ?? false;
}

function element(name: string, attrs: readonly (readonly [string, string])[], children: readonly XmlNode[]): XmlElementNode {
  return { kind: "element", name, attributes: attrs, children };
}

function text(value: string): XmlNode {
  return { kind: "text", text: value };
}

function parseAttributes(json: string | undefined): (readonly [string, string])[] {
  return json === undefined ? [] : (JSON.parse(json) as [string, string][]);
}

function parseUnknown(json: string | undefined): { at: number; node: XmlElementNode }[] {
  return json === undefined ? [] : (JSON.parse(json) as { at: number; node: XmlElementNode }[]);
}
