import type { ActionVariable, Group, Item, Step, TaskSequence, XmlTrivia } from "@taskseq/model";

/** Trivia key that tells the writer to lay out a node's attributes by the version's rules for new items. */
export const LAYOUT_KEY = "layout";

/** What {@link convertSequence} changed or could not carry over. */
export interface ConversionChange {
  /** Index path of the item (`"0.2.1"`), or `""` for the sequence. */
  readonly path: string;
  /** What happened. */
  readonly kind: "attribute-dropped" | "moved-to-package" | "moved-from-package" | "mdt-only-step" | "not-available" | "list-dropped";
  /** A sentence for people. */
  readonly message: string;
}

/** What {@link convertSequence} returns. */
export interface ConvertedSequence {
  /** The sequence in the target version. */
  readonly sequence: TaskSequence;
  /** Every change, in document order. */
  readonly changes: readonly ConversionChange[];
}

const KNOWN_VARIABLE_ATTRIBUTES: ReadonlySet<string> = new Set(["name", "property", "hidden"]);
const KNOWN_ITEM_ATTRIBUTES: ReadonlySet<string> = new Set(["version", "type", "name", "description", "disable", "continueOnError", "expand", "successCodeList", "runIn", "timeout", "retryCount", "runFromNet", "startIn"]);

/**
 * Converts a sequence between MDT (3.00) and ConfigMgr (3.10) form (spec/xml-format.md §9): applies
 * the target's attribute rules, drops attributes the target does not have (`expand`, `startIn`,
 * `hidden`, `retryCount`, `runFromNet`, `timeout`), moves the sequence `name`/`description` to or from the package
 * metadata, and reports every change. MDT-only step types are kept and reported.
 *
 * @example
 * ```ts
 * const { sequence, changes } = convertSequence(mdt, "3.10");
 * for (const c of changes) console.log(c.path, c.message);
 * ```
 */
export function convertSequence(sequence: TaskSequence, target: "3.00" | "3.10"): ConvertedSequence {
  const changes: ConversionChange[] = [];
  if (sequence.version === target) return { sequence, changes };
  const toCm = target === "3.10";
  const items = sequence.items.map((item, i) => convertItem(item, String(i), toCm, changes));
  const { name, description, ...rest } = sequence;
  let converted: TaskSequence = { ...rest, version: target, items, trivia: relayout(sequence.trivia) };
  if (toCm) {
    if (name !== undefined || description !== undefined) {
      changes.push({ path: "", kind: "moved-to-package", message: "The sequence name and description moved to the package metadata." });
      const pkg = sequence.package ?? { properties: {} };
      converted = { ...converted, package: { ...pkg, ...(pkg.name === undefined && name !== undefined ? { name } : {}), ...(pkg.description === undefined && description !== undefined ? { description } : {}) } };
    }
    converted = { ...converted, globalVariables: sequence.globalVariables.map(relayoutVariable) };
  } else {
    const pkgName = name ?? sequence.package?.name;
    const pkgDescription = description ?? sequence.package?.description;
    if (name === undefined && pkgName !== undefined) changes.push({ path: "", kind: "moved-from-package", message: "The package name became the sequence name." });
    converted = { ...converted, name: pkgName ?? "", description: pkgDescription ?? "", globalVariables: sequence.globalVariables.map(relayoutVariable) };
    if (sequence.references.length > 0) {
      changes.push({ path: "", kind: "list-dropped", message: "3.00 has no referenceList: the references were dropped." });
      converted = { ...converted, references: [], trivia: dropToken(converted.trivia, "referenceList") };
    }
  }
  return { sequence: converted, changes };
}

function convertItem(item: Item, path: string, toCm: boolean, changes: ConversionChange[]): Item {
  return item.kind === "group" ? convertGroup(item, path, toCm, changes) : convertStep(item, path, toCm, changes);
}

function convertGroup(group: Group, path: string, toCm: boolean, changes: ConversionChange[]): Group {
  const children = group.children.map((child, i) => convertItem(child, `${path}.${i}`, toCm, changes));
  const { expand, ...rest } = group;
  if (toCm && expand !== undefined) {
    changes.push({ path, kind: "attribute-dropped", message: `Group "${group.name}": "expand" is not part of 3.10.` });
    return { ...rest, children, trivia: relayout(group.trivia) };
  }
  return { ...group, children, trivia: relayout(group.trivia) };
}

function convertStep(step: Step, path: string, toCm: boolean, changes: ConversionChange[]): Step {
  const label = `Step "${step.name}"`;
  let converted: Step = { ...step, variables: step.variables.map(relayoutVariable), trivia: relayout(step.trivia) };
  if (toCm) {
    if (step.type === "" || step.type.startsWith("BDD_")) {
      changes.push({ path, kind: "mdt-only-step", message: `${label}: ${step.type === "" ? "untyped MDT command step" : step.type} runs in ConfigMgr only with the MDT integration.` });
    }
    if (step.startIn !== undefined) {
      const { startIn: _dropped, ...rest } = converted;
      converted = rest;
      changes.push({ path, kind: "attribute-dropped", message: `${label}: "startIn" is not part of 3.10.` });
    }
    return converted;
  }
  if (step.element === "subtasksequence") changes.push({ path, kind: "not-available", message: `${label}: Run Task Sequence is not available in 3.00; kept as written.` });
  if (step.retryCount !== 0) changes.push({ path, kind: "attribute-dropped", message: `${label}: "retryCount" is not written in 3.00.` });
  if (step.runFromNet) changes.push({ path, kind: "attribute-dropped", message: `${label}: "runFromNet" is not written in 3.00.` });
  if (step.variables.some((v) => v.hidden === true)) changes.push({ path, kind: "attribute-dropped", message: `${label}: "hidden" flags are not written in 3.00.` });
  return converted;
}

/**
 * Keeps unknown attributes and child order, and marks the node for the target's attribute layout.
 * The XML declaration is dropped: the writer adds one for 3.00 and none for 3.10.
 */
function relayout(trivia: XmlTrivia | undefined, known: ReadonlySet<string> = KNOWN_ITEM_ATTRIBUTES): XmlTrivia | undefined {
  if (trivia === undefined) return undefined;
  const extra = Object.fromEntries(Object.entries(trivia.extra ?? {}).filter(([key]) => !key.startsWith("declaration.")));
  return { ...trivia, attributes: trivia.attributes.filter(([name]) => !known.has(name)), extra: { ...extra, [LAYOUT_KEY]: "new" } };
}

function relayoutVariable(variable: ActionVariable): ActionVariable {
  return variable.trivia === undefined ? variable : { ...variable, trivia: relayout(variable.trivia, KNOWN_VARIABLE_ATTRIBUTES) };
}

function dropToken(trivia: XmlTrivia | undefined, token: string): XmlTrivia | undefined {
  return trivia === undefined ? undefined : { ...trivia, order: trivia.order.filter((t) => t !== token) };
}
