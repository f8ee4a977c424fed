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
import { isSecretSetting, isSecretStepSetting } from "@taskseq/model";
import { decodeBoolean, decodeInteger, decodeOptionalBoolean, decodeRunIn, decodeSuccessCodes, sameNumbers } from "./attribute-codecs.js";
import { LAYOUT_KEY, convertSequence } from "./convert-sequence.js";
import { redactDynamicRules } from "./dynamic-rules.js";
import { checkTaskSequenceShape, isSecretVariableName } from "@taskseq/model";
import { SOURCE_VALUE_KEY } from "./sequence-reader.js";
import { serializeElement } from "./xml-serializer.js";

/** Options of {@link writeSequenceXml}. */
export interface WriteSequenceOptions {
  /** Target version; when it differs from the sequence's, {@link convertSequence} is applied first. */
  readonly version?: "3.00" | "3.10";
  /** Pretty-print. Default: `true` for 3.00, `false` (one line) for 3.10 and other versions. */
  readonly pretty?: boolean;
  /**
   * Secret values: `source` (default) writes the secret settings the SDK holds empty and writes back
   * the values the source document carried in clear (spec/variables.md §9.3); `empty` writes every
   * secret value empty, also those from the source document, the value of a Set Task Sequence
   * Variable step whose target variable is secret by name, and the secret values of Set Dynamic
   * Variables rules (the engine's `_SMSTSTaskSequence`, builtin-variables.md §1.1).
   */
  readonly secretValues?: "source" | "empty";
}

/**
 * Writes a task sequence as a `<sequence>` document (UTF-8 text).
 *
 * Items read from a document keep their source attributes, spelling and child order; new or
 * edited values follow the version's rules (spec/xml-format.md §4, §9, §10). Secret settings the
 * SDK holds are written empty; values the source document carried in clear are written back
 * (spec/variables.md §9.3), unless `secretValues: "empty"` asks for every secret value empty. A
 * value that is not a task sequence (missing lists, items without a name or type) is
 * `InvalidArgument` naming the place ({@link checkTaskSequenceShape}).
 *
 * @example
 * ```ts
 * const { sequence } = parseSequenceXml(text);
 * const xml = writeSequenceXml(sequence);                      // same version, same layout rules
 * const cm = writeSequenceXml(sequence, { version: "3.10" });  // converted to ConfigMgr form
 * const forScripts = writeSequenceXml(sequence, { version: "3.10", secretValues: "empty" }); // no secret at all
 * ```
 */
export function writeSequenceXml(sequence: TaskSequence, options: WriteSequenceOptions = {}): string {
  checkTaskSequenceShape(sequence);
  const target = options.version !== undefined && options.version !== sequence.version ? convertSequence(sequence, options.version).sequence : sequence;
  const writer = new SequenceWriter(target.version === "3.00" ? "3.00" : "3.10", options.secretValues === "empty");
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
  return new SequenceWriter("3.10", false).condition(condition);
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

/** The element whose known parts (`condition`, `action`, `defaultVarList`, ...) a children list may hold. */
type Parts =
  | { readonly of: "sequence"; readonly sequence: TaskSequence }
  | { readonly of: "group"; readonly group: Group }
  | { readonly of: "step"; readonly step: Step }
  | { readonly of: "none" };

/** The sequential entries of a children list, named by their order token. */
type Entries =
  | { readonly token: "item"; readonly list: readonly Item[] }
  | { readonly token: "operand"; readonly list: readonly ConditionNode[] }
  | { readonly token: "group"; readonly list: readonly OsExpressionGroup[] }
  | { readonly token: "expression"; readonly list: readonly ConditionExpression[] }
  | { readonly token: "property"; readonly list: readonly ExpressionProperty[] };

/** The entries of a `defaultVarList`, `globalVarList` or `referenceList`. */
type ListEntries =
  | { readonly name: "globalVarList"; readonly variables: readonly ActionVariable[] }
  | { readonly name: "defaultVarList"; readonly step: Step }
  | { readonly name: "referenceList"; readonly references: readonly SequenceReference[] };

const NO_PARTS: Parts = { of: "none" };
const NO_ITEMS: Entries = { token: "item", list: [] };

class SequenceWriter {
  constructor(
    private readonly version: "3.00" | "3.10",
    /** Every secret value is written empty (`secretValues: "empty"`). */
    private readonly blankSecrets: boolean,
  ) {}

  sequence(sequence: TaskSequence): XmlElementNode {
    const isNew = sequence.trivia === undefined;
    const specs: AttributeSpec[] = [
      { name: "version", value: sequence.version, decode: "string", model: sequence.version, absentAs: "3.00" },
      stringSpec("name", sequence.name, isNew && this.version === "3.10", undefined),
      stringSpec("description", sequence.description, isNew && this.version === "3.10", undefined),
    ];
    const defaults = ["globalVarList", "referenceList"].filter((t) => t !== "globalVarList" || sequence.globalVariables.length > 0);
    const children = this.children(sequence.trivia, { of: "sequence", sequence }, defaults, { token: "item", list: sequence.items });
    return element("sequence", attributes(sequence.trivia, specs), children);
  }

  /** The known part of an element named by an order token, if the model has one. */
  private part(parts: Parts, token: string): XmlElementNode | undefined {
    switch (parts.of) {
      case "sequence": {
        const sequence = parts.sequence;
        if (token === "globalVarList") return this.list({ name: "globalVarList", variables: sequence.globalVariables }, sequence.trivia);
        if (token !== "referenceList" || (sequence.references.length === 0 && !hasToken(sequence.trivia, "referenceList"))) return undefined;
        return this.list({ name: "referenceList", references: sequence.references }, sequence.trivia);
      }
      case "group": {
        const group = parts.group;
        if (token === "condition") return group.condition === undefined ? undefined : this.condition(group.condition);
        if (token !== "action") return undefined;
        const extra = group.trivia?.extra;
        return element("action", parseAttributes(extra?.["action.attributes"]), extra?.["action.text"] === undefined ? [] : [text(extra["action.text"])]);
      }
      case "step": {
        const step = parts.step;
        if (token === "condition") return step.condition === undefined ? undefined : this.condition(step.condition);
        if (token === "action") return step.action === undefined ? undefined : element("action", parseAttributes(step.trivia?.extra?.["action.attributes"]), [text(step.action)]);
        return token === "defaultVarList" ? this.list({ name: "defaultVarList", step }, step.trivia) : undefined;
      }
      case "none":
        return undefined;
    }
  }

  /** The element of one sequential entry. */
  private entry(entries: Entries, index: number): XmlElementNode | undefined {
    switch (entries.token) {
      case "item": {
        const item = entries.list[index];
        return item === undefined ? undefined : this.item(item);
      }
      case "operand": {
        const operand = entries.list[index];
        return operand === undefined ? undefined : this.conditionNode(operand);
      }
      case "group": {
        const group = entries.list[index];
        return group === undefined ? undefined : this.osExpressionGroup(group);
      }
      case "expression": {
        const expression = entries.list[index];
        return expression === undefined ? undefined : this.expression(expression);
      }
      case "property": {
        const property = entries.list[index];
        return property === undefined ? undefined : this.expressionProperty(property);
      }
    }
  }

  private item(item: Item): XmlElementNode {
    return item.kind === "group" ? this.group(item) : this.step(item);
  }

  private group(group: Group): XmlElementNode {
    const v300 = this.version === "3.00";
    const name = stringSpec("name", group.name, false);
    const description = stringSpec("description", group.description, false);
    const disable = booleanSpec("disable", group.disabled, v300);
    const continueOnError = booleanSpec("continueOnError", group.continueOnError, v300);
    const expand: AttributeSpec = { name: "expand", value: v300 ? String(group.expand ?? true) : undefined, decode: "optionalBoolean", model: group.expand };
    // Each version's attribute order.
    const specs = v300 ? [name, disable, continueOnError, description, expand] : [name, description, disable, continueOnError, expand];
    const defaults = group.condition === undefined ? [] : ["condition"];
    return element("group", attributes(group.trivia, specs), this.children(group.trivia, { of: "group", group }, defaults, { token: "item", list: group.children }));
  }

  private step(step: Step): XmlElementNode {
    const v300 = this.version === "3.00";
    const untyped = step.type === "";
    const sub = step.element === "subtasksequence";
    const type: AttributeSpec = { name: "type", value: untyped ? undefined : step.type, decode: "string", model: step.type, absentAs: "" };
    const name = stringSpec("name", step.name, false);
    const description = stringSpec("description", step.description, false);
    const disable = booleanSpec("disable", step.disabled, v300);
    const continueOnError = booleanSpec("continueOnError", step.continueOnError, v300);
    const timeout = integerSpec("timeout", step.timeout, undefined);
    const successCodeList: AttributeSpec = { name: "successCodeList", value: step.successCodes.join(" "), decode: "successCodes", model: step.successCodes };
    const startIn: AttributeSpec = { name: "startIn", value: v300 && untyped ? (step.startIn ?? "") : step.startIn, decode: "string", model: step.startIn, absentAs: undefined };
    // Each version's attribute order (3.00 has no retryCount or runFromNet).
    const specs = v300
      ? [type, name, disable, continueOnError, successCodeList, description, this.runInSpec(step, !untyped), timeout, startIn]
      : [type, name, description, disable, continueOnError, timeout, this.runInSpec(step, !sub), successCodeList, integerSpec("retryCount", step.retryCount, 0), booleanSpec("runFromNet", step.runFromNet, true), startIn];
    const defaults: string[] = [];
    if (step.condition !== undefined) defaults.push("condition");
    if (!v300 && step.action !== undefined) defaults.push("action");
    if (step.variables.length > 0) defaults.push("defaultVarList");
    if (v300 && step.action !== undefined) defaults.push("action");
    return element(step.element, attributes(step.trivia, specs), this.children(step.trivia, { of: "step", step }, defaults, NO_ITEMS));
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
    const value = exportedValue(variable, secret, this.blankSecrets);
    const trivia = variable.trivia;
    // Fast path for the most frequent element: a variable read from a document holding only text.
    const textOnly = trivia !== undefined && trivia.unknown.length === 0 && onlyValue(trivia.order);
    const children = textOnly ? (value === "" ? [] : [text(value)]) : this.children(trivia, NO_PARTS, [], NO_ITEMS, value);
    return element("variable", attributes(trivia, specs), children);
  }

  private reference(reference: SequenceReference): XmlElementNode {
    const specs = (["package", "program", "application"] as const).map((name) => stringSpec(name, reference[name], false, undefined));
    return element("reference", attributes(reference.trivia, specs), unknownChildren(reference.trivia));
  }

  condition(condition: Condition): XmlElementNode {
    return element("condition", attributes(condition.trivia, []), this.operandChildren(condition.trivia, condition.operands));
  }

  private operandChildren(trivia: XmlTrivia | undefined, operands: readonly ConditionNode[]): XmlNode[] {
    return this.children(trivia, NO_PARTS, [], { token: "operand", list: operands });
  }

  private conditionNode(node: ConditionNode): XmlElementNode {
    switch (node.kind) {
      case "expression":
        return this.expression(node);
      case "operator":
        return element("operator", attributes(node.trivia, [stringSpec("type", node.operator, false)]), this.operandChildren(node.trivia, node.operands));
      case "osConditionGroup":
        return element(
          "osConditionGroup",
          attributes(node.trivia, []),
          this.children(node.trivia, NO_PARTS, [], { token: "group", list: node.groups }),
        );
    }
  }

  private osExpressionGroup(group: OsExpressionGroup): XmlElementNode {
    const children = this.children(group.trivia, NO_PARTS, [], { token: "expression", list: group.expressions });
    return element("osExpressionGroup", attributes(group.trivia, [stringSpec("name", group.name, false)]), children);
  }

  private expression(expression: ConditionExpression): XmlElementNode {
    const children = this.children(expression.trivia, NO_PARTS, [], { token: "property", list: expression.properties });
    return element("expression", attributes(expression.trivia, [stringSpec("type", expression.type, false)]), children);
  }

  private expressionProperty(property: ExpressionProperty): XmlElementNode {
    const children = this.children(property.trivia, NO_PARTS, [], NO_ITEMS, property.value);
    return element("variable", attributes(property.trivia, [stringSpec("name", property.name, false)]), children);
  }

  /** A `defaultVarList`, `globalVarList` or `referenceList`, with its own attributes and unknown children. */
  private list(entries: ListEntries, owner: XmlTrivia | undefined): XmlElementNode {
    const name = entries.name;
    const extra = owner?.extra;
    const unknown = parseUnknown(extra?.[`${name}.unknown`]);
    const count = name === "globalVarList" ? entries.variables.length : name === "defaultVarList" ? entries.step.variables.length : entries.references.length;
    const children: XmlNode[] = [];
    for (let index = 0; index < count; index++) {
      for (const u of unknown) if (u.at === index) children.push(u.node);
      children.push(this.listEntry(entries, index));
    }
    for (const u of unknown) if (u.at >= count) children.push(u.node);
    return element(name, parseAttributes(extra?.[`${name}.attributes`]), children);
  }

  private listEntry(entries: ListEntries, index: number): XmlElementNode {
    switch (entries.name) {
      case "globalVarList": {
        const variable = entries.variables[index] as ActionVariable;
        return this.variable(variable, isSecretVariableName(variable.name));
      }
      case "defaultVarList": {
        const variable = entries.step.variables[index] as ActionVariable;
        return this.variable(variable, this.blankSecrets ? isSecretStepSetting(entries.step, variable) : isSecretSetting(entries.step, variable));
      }
      case "referenceList":
        return this.reference(entries.references[index] as SequenceReference);
    }
  }

  /**
   * Children in source order (trivia tokens). Sequential tokens (`item:`, `operand:`, ...) take the
   * model's entries in order, so inserted or removed entries keep unknown elements at their place;
   * surplus entries follow. Parts the source lacked go to the version's default position
   * (docs/model.md §6).
   */
  private children(trivia: XmlTrivia | undefined, parts: Parts, defaults: readonly string[], entries: Entries, value?: string): XmlNode[] {
    const out: { readonly token: string; readonly node: XmlNode }[] = [];
    const token = entries.token;
    const count = entries.list.length;
    let next = 0;
    const done = new Set<string>();
    let wroteValue = false;
    for (const tok of trivia?.order ?? []) {
      const colon = tok.indexOf(":");
      const kind = colon < 0 ? tok : tok.slice(0, colon);
      if (kind === token) {
        const node = next < count ? this.entry(entries, next) : undefined;
        next++;
        if (node !== undefined) out.push({ token, node });
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
        const node = this.part(parts, tok);
        if (node !== undefined) out.push({ token: tok, node });
      }
    }
    if (value !== undefined && value !== "" && !wroteValue) out.unshift({ token: "value", node: text(value) });
    for (const [rank, tok] of defaults.entries()) {
      if (done.has(tok)) continue;
      const node = this.part(parts, tok);
      if (node === undefined) continue;
      const later = out.findIndex((o) => o.token === token || defaults.indexOf(o.token) > rank);
      out.splice(later < 0 ? out.length : later, 0, { token: tok, node });
    }
    while (next < count) {
      const node = this.entry(entries, next++);
      if (node !== undefined) out.push({ token, node });
    }
    return out.map((o) => o.node);
  }
}

function exportedValue(variable: ActionVariable, secret: boolean, blankSecrets: boolean): string {
  if (blankSecrets) {
    if (secret || variable.value === "") return "";
    return variable.property === "Rules" ? redactDynamicRules(variable.value) : variable.value;
  }
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
function attributes(trivia: XmlTrivia | undefined, specs: readonly AttributeSpec[]): readonly (readonly [string, string])[] {
  if (trivia === undefined || trivia.extra?.[LAYOUT_KEY] === "new") {
    const fresh = specs.flatMap((s) => (s.value === undefined ? [] : [[s.name, s.value] as const]));
    return trivia === undefined ? fresh : [...fresh, ...trivia.attributes];
  }
  // The source list itself when nothing changed (the usual case); a copy from the first change on.
  // XML forbids repeated attribute names, so each spec matches at most one source attribute.
  const source = trivia.attributes;
  let out: (readonly [string, string])[] | undefined;
  for (let i = 0; i < source.length; i++) {
    const attribute = source[i] as readonly [string, string];
    const spec = specNamed(specs, attribute[0]);
    if (spec === undefined || matches(spec, attribute[1])) {
      out?.push(attribute);
      continue;
    }
    out ??= source.slice(0, i);
    if (spec.value !== undefined) out.push([attribute[0], spec.value]);
  }
  for (const spec of specs) {
    if (spec.value !== undefined && !hasAttribute(source, spec.name) && !matches(spec, undefined)) (out ??= source.slice()).push([spec.name, spec.value]);
  }
  return out ?? source;
}

function specNamed(specs: readonly AttributeSpec[], name: string): AttributeSpec | undefined {
  for (const spec of specs) if (spec.name === name) return spec;
  return undefined;
}

function hasAttribute(attributes: readonly (readonly [string, string])[], name: string): boolean {
  for (const attribute of attributes) if (attribute[0] === name) return true;
  return false;
}

/** True when a variable's order tokens are only its value (the usual variable). */
function onlyValue(order: readonly string[]): boolean {
  for (let i = 0; i < order.length; i++) if (order[i] !== "value") return false;
  return true;
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
