import { TaskSeqError } from "@taskseq/model";
import type { Condition, XmlElementNode, XmlNode } from "@taskseq/model";
import type { ImportDiagnostic } from "./import-diagnostic.js";
import { readConditionElement } from "./sequence-reader.js";
import { conditionToElement } from "./sequence-writer.js";
import { serializeElement } from "./xml-serializer.js";
import { isElement, parseXmlDocument, textOf } from "./xml-tree.js";
import type { SourceElement } from "./xml-tree.js";
import type { XmlLimits } from "./xml-limits.js";

/** One `<Variable Name IsSecret>value</Variable>` of a Set Dynamic Variables rule. */
export interface DynamicRuleVariable {
  /** Target variable name. */
  readonly name: string;
  /** The value (may be empty: the variable is deleted). */
  readonly value: string;
  /** `IsSecret="true"`: the variable becomes secret and the value is exported empty. */
  readonly secret: boolean;
}

/** One `<Rule>`: an optional condition and the variables it sets. */
export interface DynamicRule {
  /** The rule's condition; absent = always applies. */
  readonly condition?: Condition;
  /** Variables set when the rule matches, in order. */
  readonly variables: readonly DynamicRuleVariable[];
}

/** A parsed `Rules` document with the text it came from (spec/xml-format.md §7). */
export interface DynamicRules {
  /** Rules in document order. */
  readonly rules: readonly DynamicRule[];
  /** The original text, written back while the step is unchanged. */
  readonly source: string;
  /** What the reader tolerated (unknown expression types, ...). */
  readonly diagnostics: readonly ImportDiagnostic[];
}

/**
 * Parses the value of a Set Dynamic Variables step's `Rules` setting (`OSDSetDynamicVariablesRules`),
 * an XML document of its own. Malformed rules throw `XmlMalformed`.
 *
 * @example
 * ```ts
 * const { rules } = parseDynamicRules('<Rules><Rule><Variables><Variable Name="A" IsSecret="false">1</Variable></Variables></Rule></Rules>');
 * rules[0]?.variables[0]?.name; // "A"
 * ```
 */
export function parseDynamicRules(text: string, limits?: XmlLimits): DynamicRules {
  const { root } = parseXmlDocument(text, limits);
  if (root.name !== "Rules") throw new TaskSeqError("XmlMalformed", `Set Dynamic Variables rules must have a <Rules> root, not <${root.name}>.`);
  const diagnostics: ImportDiagnostic[] = [];
  const rules: DynamicRule[] = [];
  for (const rule of elements(root, "Rule")) {
    let condition: Condition | undefined;
    const variables: DynamicRuleVariable[] = [];
    for (const child of rule.children) {
      if (!isElement(child)) continue;
      if (child.name === "condition") {
        const read = readConditionElement(child);
        condition = read.condition;
        diagnostics.push(...read.diagnostics);
      } else if (child.name === "Variables") {
        for (const variable of elements(child, "Variable")) {
          const attrs = new Map(variable.attributes);
          variables.push({ name: attrs.get("Name") ?? "", value: textOf(variable), secret: (attrs.get("IsSecret") ?? "").trim().toLowerCase() === "true" });
        }
      }
    }
    rules.push(condition === undefined ? { variables } : { condition, variables });
  }
  return { rules, source: text, diagnostics };
}

/**
 * Writes rules as the one-line `Rules` document ConfigMgr stores. Pass `redactSecrets` to write the
 * values of `IsSecret="true"` entries empty, as an export must.
 *
 * @example
 * ```ts
 * writeDynamicRules([{ variables: [{ name: "A", value: "1", secret: false }] }]);
 * // '<Rules><Rule><Variables><Variable Name="A" IsSecret="false">1</Variable></Variables></Rule></Rules>'
 * ```
 */
export function writeDynamicRules(rules: readonly DynamicRule[], options: { readonly redactSecrets?: boolean } = {}): string {
  const ruleNodes = rules.map((rule): XmlElementNode => {
    const variables = rule.variables.map(
      (v): XmlElementNode =>
        node("Variable", [["Name", v.name], ["IsSecret", v.secret ? "true" : "false"]], [{ kind: "text", text: v.secret && options.redactSecrets === true ? "" : v.value }]),
    );
    const children: XmlNode[] = rule.condition === undefined ? [] : [conditionToElement(rule.condition)];
    children.push(node("Variables", [], variables));
    return node("Rule", [], children);
  });
  return serializeElement(node("Rules", [], ruleNodes), false);
}

/**
 * The export form of a `Rules` value: unchanged when it holds no secret value, otherwise rewritten
 * with every `IsSecret="true"` value empty. A value that cannot be parsed is returned unchanged.
 */
export function redactDynamicRules(text: string): string {
  let parsed: DynamicRules;
  try {
    parsed = parseDynamicRules(text);
  } catch {
    return text;
  }
  const leaks = parsed.rules.some((r) => r.variables.some((v) => v.secret && v.value !== ""));
  return leaks ? writeDynamicRules(parsed.rules, { redactSecrets: true }) : text;
}

function elements(parent: SourceElement, name: string): SourceElement[] {
  return parent.children.filter((c): c is SourceElement => isElement(c) && c.name === name);
}

function node(name: string, attributes: (readonly [string, string])[], children: XmlNode[]): XmlElementNode {
  return { kind: "element", name, attributes, children };
}
