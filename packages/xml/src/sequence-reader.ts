import { TaskSeqError, hidesValue, isKnownStepType, isSecretSetting, variableNameKey } from "@taskseq/model";
import type {
  ActionVariable,
  Condition,
  ConditionExpression,
  ConditionNode,
  ConditionOperator,
  ExpressionProperty,
  Group,
  Item,
  OsConditionGroup,
  OsExpressionGroup,
  SequenceReference,
  Step,
  TaskSequence,
  XmlElementNode,
  XmlTrivia,
} from "@taskseq/model";
import { decodeBoolean, decodeInteger, decodeOptionalBoolean, decodeRunIn, decodeSuccessCodes, sameNumbers } from "./attribute-codecs.js";
import type { DiagnosticSeverity, ImportDiagnostic, ImportDiagnosticCode } from "./import-diagnostic.js";
import { isKnownComparison, isKnownExpressionType, isKnownOperator } from "./known-types.js";
import { isElement, isWhitespace, parseXmlDocument, textOf, textValue, toVerbatim } from "./xml-tree.js";
import type { SourceDocument, SourceElement, SourceNode, SourceText } from "./xml-tree.js";
import type { XmlLimits } from "./xml-limits.js";

/** Options of {@link parseSequenceXml}. */
export interface ParseSequenceOptions {
  /** Input size, depth and length limits (defaults: {@link DEFAULT_XML_LIMITS}). */
  readonly limits?: XmlLimits;
}

/** What {@link parseSequenceXml} returns. */
export interface ParsedSequence {
  /** The task sequence, with lossless trivia on every node. */
  readonly sequence: TaskSequence;
  /** Everything the importer tolerated, in document order. */
  readonly diagnostics: readonly ImportDiagnostic[];
}

/** Trivia key of a source value kept so the writer can tell a clear-text source value from one set later. */
export const SOURCE_VALUE_KEY = "sourceValue";

const KNOWN_VERSIONS = new Set(["3.00", "3.10"]);
const SEQUENCE_ATTRIBUTES = new Set(["version", "name", "description"]);
const GROUP_ATTRIBUTES = new Set(["name", "description", "disable", "continueOnError", "expand"]);
const STEP_ATTRIBUTES = new Set(["type", "name", "description", "disable", "continueOnError", "successCodeList", "runIn", "timeout", "retryCount", "runFromNet", "startIn"]);
const VARIABLE_ATTRIBUTES = new Set(["name", "property", "hidden"]);
const REFERENCE_ATTRIBUTES = new Set(["package", "program", "application"]);
const COMPARISON_PROPERTIES = new Set(["Operator", "VersionOperator", "DateTimeOperator"]);
const TYPE_ONLY: ReadonlySet<string> = new Set(["type"]);
const NAME_ONLY: ReadonlySet<string> = new Set(["name"]);
const NONE: ReadonlySet<string> = new Set();

/**
 * Reads a ConfigMgr (3.10) or MDT (3.00) `<sequence>` document, losslessly.
 *
 * Accepts a string or bytes (UTF-8 with or without BOM, UTF-16 with BOM, or the declared encoding).
 * Tolerates every quirk of spec/xml-format.md §5 and reports it in `diagnostics`. Throws a
 * {@link TaskSeqError} only when the input cannot be a task sequence: `XmlMalformed` (with line and
 * column), `NotASequence`, `XmlForbiddenDeclaration`, `XmlTooDeep`, `XmlTooLarge`, `XmlInvalidEncoding`.
 *
 * @example
 * ```ts
 * const { sequence, diagnostics } = parseSequenceXml(readFileSync("ts.xml"));
 * console.log(sequence.items.length, diagnostics.filter((d) => d.severity === "error"));
 * ```
 */
export function parseSequenceXml(input: string | Uint8Array, options: ParseSequenceOptions = {}): ParsedSequence {
  const document = parseXmlDocument(input, options.limits);
  return readSequenceDocument(document);
}

/** Reads an already parsed document. */
function readSequenceDocument(document: SourceDocument): ParsedSequence {
  const reader = new SequenceReader();
  const sequence = reader.sequence(document);
  return { sequence, diagnostics: reader.diagnostics };
}

/** Reads a `<condition>` element (shared with the Set Dynamic Variables rules reader). */
export function readConditionElement(element: SourceElement): { readonly condition: Condition; readonly diagnostics: readonly ImportDiagnostic[] } {
  const reader = new SequenceReader();
  return { condition: reader.condition(element, ""), diagnostics: reader.diagnostics };
}

/** Shared by every trivia without unknown children (frozen: trivia is read-only data). */
const NO_UNKNOWN: readonly XmlElementNode[] = Object.freeze([]);
/** Shared by every trivia with no known child. */
const NO_ORDER: readonly string[] = Object.freeze([]);
/** Shared by every `<variable>` holding only its value. */
const VALUE_ORDER: readonly string[] = Object.freeze(["value"]);

/** Child-order and unknown-element bookkeeping for one element; `unknown` and `extra` are created on first use. */
class TriviaBuilder {
  readonly order: string[] = [];
  private unknown: XmlElementNode[] | undefined;
  private extra: Record<string, string> | undefined;

  constructor(private readonly element: SourceElement) {}

  add(token: string): void {
    this.order.push(token);
  }

  addUnknown(child: SourceElement): void {
    const unknown = (this.unknown ??= []);
    this.order.push(`unknown:${unknown.length}`);
    unknown.push(toVerbatim(child));
  }

  addText(text: string): void {
    const key = `text:${this.order.length}`;
    this.order.push(key);
    this.setExtra(key, text);
  }

  setExtra(key: string, value: string): void {
    (this.extra ??= {})[key] = value;
  }

  build(): XmlTrivia {
    const attributes = this.element.attributes;
    const unknown = this.unknown ?? NO_UNKNOWN;
    return this.extra === undefined ? { attributes, order: this.order, unknown } : { attributes, order: this.order, unknown, extra: this.extra };
  }
}

class SequenceReader {
  readonly diagnostics: ImportDiagnostic[] = [];

  private report(code: ImportDiagnosticCode, severity: DiagnosticSeverity, message: string, at: SourceElement, path?: string): void {
    const position = path === undefined ? { line: at.line, column: at.column } : { line: at.line, column: at.column, path };
    this.diagnostics.push({ code, severity, message, position });
  }

  private checkAttributes(element: SourceElement, known: ReadonlySet<string>, path?: string): void {
    const attributes = element.attributes;
    for (let i = 0; i < attributes.length; i++) {
      const name = (attributes[i] as readonly [string, string])[0];
      if (known.has(name)) continue;
      if (name === "successCodes" && element.name !== "sequence") {
        this.report("SuccessCodesTypo", "warning", `Attribute "successCodes" on <${element.name}> is a typo of "successCodeList": preserved, ignored for execution.`, element, path);
      } else {
        this.report("UnknownAttribute", "info", `Unknown attribute "${name}" on <${element.name}> preserved.`, element, path);
      }
    }
  }

  private unknownChild(trivia: TriviaBuilder, child: SourceElement, parent: string, path?: string): void {
    this.report("UnknownElement", "info", `Unknown element <${child.name}> inside <${parent}> preserved.`, child, path);
    trivia.addUnknown(child);
  }

  private strayText(trivia: TriviaBuilder, text: string, parent: SourceElement, path?: string): void {
    if (isWhitespace(text)) return;
    this.report("UnexpectedText", "info", `Text inside <${parent.name}> preserved.`, parent, path);
    trivia.addText(text);
  }

  sequence(document: SourceDocument): TaskSequence {
    const root = document.root;
    if (root.name !== "sequence") {
      throw new TaskSeqError("NotASequence", `The root element is <${root.name}>, not <sequence>.`, { position: { line: root.line, column: root.column } });
    }
    let version = attributeOf(root, "version");
    if (version === undefined) {
      this.report("MissingVersion", "warning", "The <sequence> has no version: read as 3.00.", root);
      version = "3.00";
    } else if (!KNOWN_VERSIONS.has(version)) {
      this.report("UnknownVersion", "warning", `Unknown sequence version "${version}": read best-effort and written back unchanged.`, root);
    }
    this.checkAttributes(root, SEQUENCE_ATTRIBUTES);
    const trivia = new TriviaBuilder(root);
    const globalVariables: ActionVariable[] = [];
    const references: SequenceReference[] = [];
    const items: Item[] = [];
    for (const child of root.children) {
      if (!isElement(child)) {
        this.strayText(trivia, textValue(child), root);
        continue;
      }
      switch (child.name) {
        case "globalVarList":
          trivia.add("globalVarList");
          globalVariables.push(...this.variableList(child, trivia, "globalVarList", undefined));
          break;
        case "referenceList":
          trivia.add("referenceList");
          references.push(...this.referenceList(child, trivia));
          break;
        case "group":
        case "step":
        case "subtasksequence":
          trivia.add(`item:${items.length}`);
          items.push(this.item(child, String(items.length)));
          break;
        default:
          this.unknownChild(trivia, child, "sequence");
      }
    }
    this.checkDuplicateGlobals(globalVariables, root);
    if (document.declaration !== undefined) {
      for (const [key, value] of Object.entries(document.declaration)) trivia.setExtra(`declaration.${key}`, value);
    }
    const name = attributeOf(root, "name");
    const description = attributeOf(root, "description");
    return {
      kind: "sequence",
      version,
      ...(name === undefined ? {} : { name }),
      ...(description === undefined ? {} : { description }),
      globalVariables,
      references,
      items,
      trivia: trivia.build(),
    };
  }

  private checkDuplicateGlobals(variables: readonly ActionVariable[], at: SourceElement): void {
    const seen = new Map<string, string>();
    for (const variable of variables) {
      const key = variableNameKey(variable.name);
      const previous = seen.get(key);
      if (previous !== undefined) {
        const same = previous === variable.value;
        this.report(
          "DuplicateGlobalVariable",
          same ? "info" : "warning",
          same ? `Global variable "${variable.name}" is listed twice with the same value.` : `Global variable "${variable.name}" is listed twice with different values: the last one wins.`,
          at,
        );
      }
      seen.set(key, variable.value);
    }
  }

  /** Reads a `defaultVarList`/`globalVarList`; its own attributes and unknown children go to the owner's trivia. */
  private variableList(list: SourceElement, owner: TriviaBuilder, role: string, step: Pick<Step, "type"> | undefined, path?: string): ActionVariable[] {
    const variables: ActionVariable[] = [];
    const unknown: { at: number; node: XmlElementNode }[] = [];
    for (const child of list.children) {
      if (!isElement(child)) continue;
      if (child.name === "variable") {
        variables.push(this.variable(child, path));
      } else {
        this.report("UnknownElement", "info", `Unknown element <${child.name}> inside <${list.name}> preserved.`, child, path);
        unknown.push({ at: variables.length, node: toVerbatim(child) });
      }
    }
    if (list.attributes.length > 0) {
      this.checkAttributes(list, NONE, path);
      owner.setExtra(`${role}.attributes`, JSON.stringify(list.attributes));
    }
    if (unknown.length > 0) owner.setExtra(`${role}.unknown`, JSON.stringify(unknown));
    if (step === undefined) return variables;
    const owningStep = { type: step.type, variables };
    for (let i = 0; i < variables.length; i++) {
      const v = variables[i] as ActionVariable;
      // Replacing an entry keeps what isSecretSetting reads of the others (properties and values).
      if (isSecretSetting(owningStep, v) || v.property === "Rules") variables[i] = withSourceValue(v);
    }
    return variables;
  }

  private variable(element: SourceElement, path?: string): ActionVariable {
    this.checkAttributes(element, VARIABLE_ATTRIBUTES, path);
    const children = element.children;
    let value = "";
    let trivia: XmlTrivia;
    if (children.every(isText)) {
      // The usual variable holds only its value: no builder, shared order and unknown lists.
      for (const child of children) value += textValue(child as SourceText);
      trivia = { attributes: element.attributes, order: children.length === 0 ? NO_ORDER : VALUE_ORDER, unknown: NO_UNKNOWN };
    } else {
      const builder = new TriviaBuilder(element);
      let hasValue = false;
      for (const child of children) {
        if (!isElement(child)) {
          value += textValue(child);
          if (!hasValue) builder.add("value");
          hasValue = true;
        } else this.unknownChild(builder, child, "variable", path);
      }
      trivia = builder.build();
    }
    const name = attributeOf(element, "name") ?? "";
    const property = attributeOf(element, "property") ?? "";
    const hidden = decodeOptionalBoolean(attributeOf(element, "hidden"));
    return hidden === undefined ? { name, property, value, trivia } : { name, property, value, hidden, trivia };
  }

  private referenceList(list: SourceElement, owner: TriviaBuilder): SequenceReference[] {
    const references: SequenceReference[] = [];
    const unknown: { at: number; node: XmlElementNode }[] = [];
    for (const child of list.children) {
      if (!isElement(child)) continue;
      if (child.name !== "reference") {
        this.report("UnknownElement", "info", `Unknown element <${child.name}> inside <referenceList> preserved.`, child);
        unknown.push({ at: references.length, node: toVerbatim(child) });
        continue;
      }
      this.checkAttributes(child, REFERENCE_ATTRIBUTES);
      const pkg = attributeOf(child, "package");
      const program = attributeOf(child, "program");
      const application = attributeOf(child, "application");
      const trivia = new TriviaBuilder(child);
      for (const grand of child.children) if (isElement(grand)) this.unknownChild(trivia, grand, "reference");
      const reference: Writable<SequenceReference> = {};
      if (pkg !== undefined) reference.package = pkg;
      if (program !== undefined) reference.program = program;
      if (application !== undefined) reference.application = application;
      reference.trivia = trivia.build();
      references.push(reference);
    }
    if (list.attributes.length > 0) owner.setExtra("referenceList.attributes", JSON.stringify(list.attributes));
    if (unknown.length > 0) owner.setExtra("referenceList.unknown", JSON.stringify(unknown));
    return references;
  }

  private item(element: SourceElement, path: string): Item {
    return element.name === "group" ? this.group(element, path) : this.step(element, path);
  }

  private group(element: SourceElement, path: string): Group {
    this.checkAttributes(element, GROUP_ATTRIBUTES, path);
    const trivia = new TriviaBuilder(element);
    const children: Item[] = [];
    let condition: Condition | undefined;
    for (const child of element.children) {
      if (!isElement(child)) {
        this.strayText(trivia, textValue(child), element, path);
        continue;
      }
      switch (child.name) {
        case "condition":
          trivia.add("condition");
          condition = this.condition(child, path);
          break;
        case "action":
          trivia.add("action");
          if (child.attributes.length > 0) trivia.setExtra("action.attributes", JSON.stringify(child.attributes));
          if (textOf(child) !== "") trivia.setExtra("action.text", textOf(child));
          break;
        case "group":
        case "step":
        case "subtasksequence":
          trivia.add(`item:${children.length}`);
          children.push(this.item(child, `${path}.${children.length}`));
          break;
        default:
          this.unknownChild(trivia, child, "group", path);
      }
    }
    const expand = decodeOptionalBoolean(attributeOf(element, "expand"));
    // Built by assignment in the model's key order, as in step().
    const group = {
      kind: "group",
      name: attributeOf(element, "name") ?? "",
      description: attributeOf(element, "description") ?? "",
      disabled: decodeBoolean(attributeOf(element, "disable")),
      continueOnError: decodeBoolean(attributeOf(element, "continueOnError")),
    } as Writable<Group>;
    if (condition !== undefined) group.condition = condition;
    group.children = children;
    if (expand !== undefined) group.expand = expand;
    group.trivia = trivia.build();
    return group;
  }

  private step(element: SourceElement, path: string): Step {
    this.checkAttributes(element, STEP_ATTRIBUTES, path);
    const type = attributeOf(element, "type") ?? "";
    if (!isKnownStepType(type)) this.report("UnknownStepType", "warning", `Unknown step type "${type}": preserved; runs through its action command line.`, element, path);
    const trivia = new TriviaBuilder(element);
    let condition: Condition | undefined;
    let action: string | undefined;
    let variables: ActionVariable[] = [];
    for (const child of element.children) {
      if (!isElement(child)) {
        this.strayText(trivia, textValue(child), element, path);
        continue;
      }
      switch (child.name) {
        case "condition":
          trivia.add("condition");
          condition = this.condition(child, path);
          break;
        case "action":
          trivia.add("action");
          if (child.attributes.length > 0) trivia.setExtra("action.attributes", JSON.stringify(child.attributes));
          action = textOf(child);
          break;
        case "defaultVarList":
          trivia.add("defaultVarList");
          variables = this.variableList(child, trivia, "defaultVarList", { type }, path);
          break;
        default:
          this.unknownChild(trivia, child, element.name, path);
      }
    }
    const successCodes = decodeSuccessCodes(attributeOf(element, "successCodeList"));
    if (successCodes.invalid.length > 0) {
      this.report("InvalidSuccessCodeList", "error", `successCodeList has tokens that are not integers: ${successCodes.invalid.slice(0, 5).join(", ")}.`, element, path);
    }
    const runIn = decodeRunIn(attributeOf(element, "runIn"));
    if (runIn.invalid) this.report("InvalidRunIn", "warning", `Unknown runIn value "${attributeOf(element, "runIn") ?? ""}": read as WinPEandFullOS.`, element, path);
    const timeout = this.integerAttribute(element, "timeout", path);
    const retryCount = this.integerAttribute(element, "retryCount", path) ?? 0;
    const startIn = attributeOf(element, "startIn");
    this.checkStepSettings(element, type, variables, successCodes.codes, action, path);
    // Built by assignment in the model's key order (optional keys only when present), without the
    // temporary objects of conditional spreads; every required key is assigned below.
    const step = {
      kind: "step",
      element: element.name === "subtasksequence" ? "subtasksequence" : "step",
      type,
      name: attributeOf(element, "name") ?? "",
      description: attributeOf(element, "description") ?? "",
      disabled: decodeBoolean(attributeOf(element, "disable")),
      continueOnError: decodeBoolean(attributeOf(element, "continueOnError")),
    } as Writable<Step>;
    if (condition !== undefined) step.condition = condition;
    step.successCodes = successCodes.codes;
    step.runIn = runIn.value;
    if (timeout !== undefined) step.timeout = timeout;
    step.retryCount = retryCount;
    step.runFromNet = decodeBoolean(attributeOf(element, "runFromNet"));
    if (startIn !== undefined) step.startIn = startIn;
    if (action !== undefined) step.action = action;
    step.variables = variables;
    step.trivia = trivia.build();
    return step;
  }

  private integerAttribute(element: SourceElement, name: string, path: string): number | undefined {
    const raw = attributeOf(element, name);
    const value = decodeInteger(raw);
    if (raw !== undefined && value === undefined) this.report("InvalidNumber", "warning", `Attribute "${name}" is not an integer: ignored, preserved.`, element, path);
    return value;
  }

  private checkStepSettings(element: SourceElement, type: string, variables: readonly ActionVariable[], codes: readonly number[], action: string | undefined, path: string): void {
    const entry = variables.find((v) => v.property === "SuccessCodes");
    if (entry !== undefined && !sameNumbers(decodeSuccessCodes(entry.value).codes, codes)) {
      this.report("SuccessCodesMismatch", "warning", "The SuccessCodes setting differs from successCodeList: successCodeList is used.", element, path);
    }
    if (type === "SMS_TaskSequence_SetVariableAction" && hidesValue(variables)) {
      const value = variables.find((v) => v.property === "VariableValue");
      if (value === undefined || value.value === "" || /\/hiddenflag:true/i.test(action ?? "")) {
        this.report("SecretMustBeReentered", "warning", "The hidden value of this Set Task Sequence Variable step was removed by the exporter: the secret value must be re-entered.", element, path);
      }
    }
  }

  condition(element: SourceElement, path: string): Condition {
    const trivia = new TriviaBuilder(element);
    const operands = this.operands(element, trivia, path);
    return { operands, trivia: trivia.build() };
  }

  private operands(element: SourceElement, trivia: TriviaBuilder, path: string): ConditionNode[] {
    const operands: ConditionNode[] = [];
    for (const child of element.children) {
      if (!isElement(child)) {
        this.strayText(trivia, textValue(child), element, path);
        continue;
      }
      const node = this.conditionNode(child, path);
      if (node === undefined) this.unknownChild(trivia, child, element.name, path);
      else {
        trivia.add(`operand:${operands.length}`);
        operands.push(node);
      }
    }
    return operands;
  }

  private conditionNode(element: SourceElement, path: string): ConditionNode | undefined {
    switch (element.name) {
      case "expression":
        return this.expression(element, path);
      case "operator":
        return this.operator(element, path);
      case "osConditionGroup":
        return this.osConditionGroup(element, path);
      default:
        return undefined;
    }
  }

  private expression(element: SourceElement, path: string): ConditionExpression {
    const type = attributeOf(element, "type") ?? "";
    if (!isKnownExpressionType(type)) this.report("UnknownExpressionType", "warning", `Unknown condition expression type "${type}": preserved; evaluating it is an error.`, element, path);
    this.checkAttributes(element, TYPE_ONLY, path);
    const trivia = new TriviaBuilder(element);
    const properties: ExpressionProperty[] = [];
    for (const child of element.children) {
      if (!isElement(child)) {
        this.strayText(trivia, textValue(child), element, path);
      } else if (child.name === "variable") {
        trivia.add(`property:${properties.length}`);
        const property = this.expressionProperty(child, path);
        if (COMPARISON_PROPERTIES.has(property.name) && property.value !== "" && !isKnownComparison(property.value)) {
          this.report("UnknownOperator", "warning", `Unknown comparison operator "${property.value}".`, child, path);
        }
        properties.push(property);
      } else this.unknownChild(trivia, child, "expression", path);
    }
    return { kind: "expression", type, properties, trivia: trivia.build() };
  }

  private expressionProperty(element: SourceElement, path: string): ExpressionProperty {
    this.checkAttributes(element, NAME_ONLY, path);
    const trivia = new TriviaBuilder(element);
    for (const child of element.children) if (isElement(child)) this.unknownChild(trivia, child, "variable", path);
    return { name: attributeOf(element, "name") ?? "", value: textOf(element), trivia: trivia.build() };
  }

  private operator(element: SourceElement, path: string): ConditionOperator {
    const type = attributeOf(element, "type") ?? "";
    if (!isKnownOperator(type)) this.report("UnknownOperator", "warning", `Unknown condition operator "${type}": evaluating it is an error.`, element, path);
    this.checkAttributes(element, TYPE_ONLY, path);
    const trivia = new TriviaBuilder(element);
    const operands = this.operands(element, trivia, path);
    return { kind: "operator", operator: type, operands, trivia: trivia.build() };
  }

  private osConditionGroup(element: SourceElement, path: string): OsConditionGroup {
    const trivia = new TriviaBuilder(element);
    const groups: OsExpressionGroup[] = [];
    for (const child of element.children) {
      if (!isElement(child)) this.strayText(trivia, textValue(child), element, path);
      else if (child.name === "osExpressionGroup") {
        trivia.add(`group:${groups.length}`);
        groups.push(this.osExpressionGroup(child, path));
      } else this.unknownChild(trivia, child, "osConditionGroup", path);
    }
    return { kind: "osConditionGroup", groups, trivia: trivia.build() };
  }

  private osExpressionGroup(element: SourceElement, path: string): OsExpressionGroup {
    const trivia = new TriviaBuilder(element);
    const expressions: ConditionExpression[] = [];
    for (const child of element.children) {
      if (!isElement(child)) this.strayText(trivia, textValue(child), element, path);
      else if (child.name === "expression") {
        trivia.add(`expression:${expressions.length}`);
        expressions.push(this.expression(child, path));
      } else this.unknownChild(trivia, child, "osExpressionGroup", path);
    }
    return { name: attributeOf(element, "name") ?? "", expressions, trivia: trivia.build() };
  }
}

/** The value of an attribute, if present: a plain scan, as elements have a handful of attributes. */
function attributeOf(element: SourceElement, name: string): string | undefined {
  for (const attribute of element.attributes) if (attribute[0] === name) return attribute[1];
  return undefined;
}

/** A model type under construction in the reader. */
type Writable<T> = { -readonly [K in keyof T]: T[K] };

function isText(node: SourceNode): node is SourceText {
  return !isElement(node);
}

function withSourceValue(variable: ActionVariable): ActionVariable {
  const trivia = variable.trivia;
  if (trivia === undefined) return variable;
  return { ...variable, trivia: { ...trivia, extra: { ...trivia.extra, [SOURCE_VALUE_KEY]: variable.value } } };
}
