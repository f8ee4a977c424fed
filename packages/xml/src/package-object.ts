import { TaskSeqError } from "@taskseq/model";
import type { PackageInfo, SequenceReference, TaskSequence } from "@taskseq/model";
import type { ImportDiagnostic } from "./import-diagnostic.js";
import { parseSequenceXml } from "./sequence-reader.js";
import { writeSequenceXml } from "./sequence-writer.js";
import { escapeAttribute, escapeText } from "./xml-serializer.js";
import { isElement, parseXmlDocument, textOf } from "./xml-tree.js";
import type { SourceElement } from "./xml-tree.js";
import type { XmlLimits } from "./xml-limits.js";

/** How the `Sequence` property's value is written inside `object.xml`. */
export type SequenceValueForm = "cdata" | "text";

/**
 * A ConfigMgr `object.xml` (CIM-XML `INSTANCE` of `SMS_TaskSequencePackage`), read losslessly.
 */
export interface PackageObject {
  /** The task sequence read from the `Sequence` property, with {@link PackageObject.info} attached as `package`. */
  readonly sequence: TaskSequence;
  /** Package metadata (`PackageID`, `Name`, `Description`, `BootImageID`, every other scalar property as text). */
  readonly info: PackageInfo;
  /** What the sequence importer tolerated. */
  readonly diagnostics: readonly ImportDiagnostic[];
  /** How `Sequence` was written: a CDATA section or entity-escaped text. */
  readonly sequenceForm: SequenceValueForm;
  /** The document text as read; unchanged sequences are written back from it. */
  readonly source: string;
}

/** Options of {@link parsePackageObject}. */
export interface ParsePackageObjectOptions {
  /** Limits for the `object.xml` document and the sequence inside it. */
  readonly limits?: XmlLimits;
}

const PACKAGE_CLASS = "SMS_TaskSequencePackage";
const IDENTITY = new Set(["PackageID", "Name", "Description", "BootImageID", "Sequence"]);

/**
 * Reads an `object.xml`: the package properties and the task sequence in its `Sequence` property
 * (CDATA or escaped text). Throws `NotASequence` when the root is not an `SMS_TaskSequencePackage`
 * instance or has no `Sequence`, plus every error of {@link parseSequenceXml}.
 *
 * @example
 * ```ts
 * const object = parsePackageObject(readFileSync("object.xml"));
 * console.log(object.info.packageId, object.sequence.items.length);
 * ```
 */
export function parsePackageObject(input: string | Uint8Array, options: ParsePackageObjectOptions = {}): PackageObject {
  const document = parseXmlDocument(input, options.limits);
  const root = document.root;
  const className = new Map(root.attributes).get("CLASSNAME");
  if (root.name !== "INSTANCE" || className !== PACKAGE_CLASS) {
    throw new TaskSeqError("NotASequence", `Expected an INSTANCE of ${PACKAGE_CLASS}, found <${root.name}>.`, { position: { line: root.line, column: root.column } });
  }
  const properties: Record<string, string> = {};
  let sequenceValue: SourceElement | undefined;
  for (const property of childElements(root, "PROPERTY")) {
    const name = new Map(property.attributes).get("NAME") ?? "";
    const value = childElements(property, "VALUE")[0];
    if (name === "Sequence") sequenceValue = value;
    else if (value !== undefined) properties[name] = textOf(value);
  }
  if (sequenceValue === undefined) throw new TaskSeqError("NotASequence", "The package has no Sequence property value.", { position: { line: root.line, column: root.column } });
  const sequenceForm: SequenceValueForm = sequenceValue.children.some((c) => typeof c !== "string" && c.kind === "cdata") ? "cdata" : "text";
  const parsed = parseSequenceXml(textOf(sequenceValue), options.limits === undefined ? {} : { limits: options.limits });
  const info = packageInfo(properties);
  return { sequence: { ...parsed.sequence, package: info }, info, diagnostics: parsed.diagnostics, sequenceForm, source: document.text };
}

/**
 * Writes an `object.xml` for `sequence`. An unchanged sequence returns {@link PackageObject.source}
 * as read; a changed one rewrites only the `Sequence` value (in its original form), and
 * `References`/`ReferencesCount` when the references changed (spec/xml-format.md §11).
 *
 * @example
 * ```ts
 * const text = writePackageObject(object, renameItem(object.sequence, [0], "Setup"));
 * ```
 */
export function writePackageObject(object: PackageObject, sequence: TaskSequence): string {
  if (sameSequence(object.sequence, sequence)) return object.source;
  const root = parseXmlDocument(object.source).root;
  const edits: Splice[] = [];
  const value = propertyValue(root, "Sequence");
  if (value !== undefined) {
    const [, before = "", , after = ""] = /^(\s*)([\s\S]*?)(\s*)$/.exec(textOf(value)) ?? [];
    edits.push({ start: value.contentStart, end: value.contentEnd, text: encodeSequence(before + writeSequenceXml(sequence) + after, object.sequenceForm) });
  }
  if (!sameReferences(object.sequence.references, sequence.references)) {
    const list = childElements(root, "PROPERTY.OBJECTARRAY").find((p) => new Map(p.attributes).get("NAME") === "References");
    if (list !== undefined) edits.push({ start: list.contentStart, end: list.contentEnd, text: referencesContent(sequence.references, "\n  ") });
    const count = propertyValue(root, "ReferencesCount");
    if (count !== undefined) edits.push({ start: count.contentStart, end: count.contentEnd, text: String(sequence.references.length) });
  }
  return splice(object.source, edits);
}

/**
 * Creates a new `object.xml` for a sequence: an `SMS_TaskSequencePackage` instance with the
 * package identity, every property of `info.properties` as a string, the references and the
 * `Sequence` in a CDATA section.
 *
 * @example
 * ```ts
 * const text = createPackageObject(sequence, { packageId: "ABC00001", name: "Deploy", properties: {} });
 * ```
 */
export function createPackageObject(sequence: TaskSequence, info: PackageInfo): string {
  const lines = [`<INSTANCE CLASSNAME="${PACKAGE_CLASS}">`];
  const scalar = (name: string, type: string, value: string): void => {
    lines.push(`  <PROPERTY NAME="${escapeAttribute(name)}" CLASSORIGIN="${PACKAGE_CLASS}" TYPE="${type}">`, `    <VALUE>${escapeText(value)}</VALUE>`, "  </PROPERTY>");
  };
  const identity: [string, string | undefined][] = [
    ["BootImageID", info.bootImageId],
    ["Description", info.description],
    ["Name", info.name],
    ["PackageID", info.packageId],
  ];
  for (const [name, value] of identity) if (value !== undefined) scalar(name, "string", value);
  for (const [name, value] of Object.entries(info.properties)) if (!IDENTITY.has(name) && name !== "References" && name !== "ReferencesCount") scalar(name, "string", value);
  lines.push(`  <PROPERTY.OBJECTARRAY NAME="References" CLASSORIGIN="${PACKAGE_CLASS}" REFERENCECLASS="SMS_TaskSequence_Reference">${referencesContent(sequence.references, "\n  ")}</PROPERTY.OBJECTARRAY>`);
  scalar("ReferencesCount", "uint32", String(sequence.references.length));
  lines.push(`  <PROPERTY NAME="Sequence" CLASSORIGIN="${PACKAGE_CLASS}" TYPE="string">`, `    <VALUE>${encodeSequence(writeSequenceXml(sequence, { version: "3.10" }), "cdata")}</VALUE>`, "  </PROPERTY>");
  lines.push("</INSTANCE>");
  return lines.join("\r\n");
}

/** True when writing `b` gives the same document as writing `a` (identity is checked first). */
export function sameSequence(a: TaskSequence, b: TaskSequence): boolean {
  return a === b || writeSequenceXml(a) === writeSequenceXml(b);
}

/** True when two reference lists name the same content in the same order. */
export function sameReferences(a: readonly SequenceReference[], b: readonly SequenceReference[]): boolean {
  return a.length === b.length && a.every((r, i) => r.package === b[i]?.package && r.program === b[i]?.program && r.application === b[i]?.application);
}

/** A CDATA section (split around `]]>`) or escaped text. */
function encodeSequence(xml: string, form: SequenceValueForm): string {
  return form === "cdata" ? `<![CDATA[${xml.replaceAll("]]>", "]]]]><![CDATA[>")}]]>` : escapeText(xml);
}

function referencesContent(references: readonly SequenceReference[], indent: string): string {
  const value = (name: string, type: string, text: string): string =>
    `${indent}        <PROPERTY NAME="${name}" CLASSORIGIN="SMS_TaskSequence_Reference" TYPE="${type}">${indent}          <VALUE>${escapeText(text)}</VALUE>${indent}        </PROPERTY>`;
  const objects = references.map(
    (r) =>
      `${indent}    <VALUE.OBJECT>${indent}      <INSTANCE CLASSNAME="SMS_TaskSequence_Reference">` +
      value("Package", "string", r.application ?? r.package ?? "") +
      value("Program", "string", r.program ?? "") +
      value("Type", "uint32", r.application === undefined ? "0" : "1") +
      `${indent}      </INSTANCE>${indent}    </VALUE.OBJECT>`,
  );
  return `${indent}  <VALUE.OBJECTARRAY>${objects.join("")}${indent}  </VALUE.OBJECTARRAY>${indent}`;
}

function packageInfo(properties: Readonly<Record<string, string>>): PackageInfo {
  const rest = Object.fromEntries(Object.entries(properties).filter(([k]) => !IDENTITY.has(k)));
  const pick = (name: string): string | undefined => properties[name];
  const packageId = pick("PackageID");
  const name = pick("Name");
  const description = pick("Description");
  const bootImageId = pick("BootImageID");
  return {
    ...(packageId === undefined ? {} : { packageId }),
    ...(name === undefined ? {} : { name }),
    ...(description === undefined ? {} : { description }),
    ...(bootImageId === undefined ? {} : { bootImageId }),
    properties: rest,
  };
}

function propertyValue(root: SourceElement, name: string): SourceElement | undefined {
  const property = childElements(root, "PROPERTY").find((p) => new Map(p.attributes).get("NAME") === name);
  return property === undefined ? undefined : childElements(property, "VALUE")[0];
}

function childElements(parent: SourceElement, name: string): SourceElement[] {
  return parent.children.filter((c): c is SourceElement => isElement(c) && c.name === name);
}

interface Splice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

function splice(source: string, edits: readonly Splice[]): string {
  let out = "";
  let at = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    out += source.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + source.slice(at);
}
