import { TaskSeqError } from "@taskseq/model";
import type { SequenceReference } from "@taskseq/model";
import { escapeText } from "./xml-serializer.js";
import { isElement, parseXmlDocument, textOf } from "./xml-tree.js";
import type { SourceElement } from "./xml-tree.js";
import type { XmlLimits } from "./xml-limits.js";

/**
 * One entry of `ReferencesInfo.xml` (`SMS_TaskSequenceReferencesInfo`) or `AppReferencesInfo.xml`
 * (`SMS_TaskSequenceAppReferencesInfo`): a CIM instance stored as an escaped string.
 */
export interface ReferenceInfo {
  /** `CLASSNAME` of the instance. */
  readonly className: string;
  /** Every property value as text, by name (`ReferencePackageID`, `ReferenceName`, `RefAppModelName`, ...). */
  readonly properties: Readonly<Record<string, string>>;
  /** The instance text as read, written back unchanged. */
  readonly source: string;
}

const HEADER = '\uFEFF<ArrayOfString xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">';

/**
 * Reads a `ReferencesInfo.xml` or `AppReferencesInfo.xml` part: an `<ArrayOfString>` whose strings
 * are CIM instances. Throws `ArchiveInvalid` for another root.
 *
 * @example
 * ```ts
 * parseReferencesInfo(bytes).map((r) => r.properties.ReferencePackageID);
 * ```
 */
export function parseReferencesInfo(input: string | Uint8Array, limits?: XmlLimits): ReferenceInfo[] {
  const root = parseXmlDocument(input, limits).root;
  if (root.name !== "ArrayOfString") throw new TaskSeqError("ArchiveInvalid", `A references info part has a <${root.name}> root, not <ArrayOfString>.`);
  return elements(root)
    .filter((e) => e.name === "string")
    .map((entry) => {
      const source = textOf(entry);
      const instance = parseXmlDocument(source, limits).root;
      const properties: Record<string, string> = {};
      for (const property of elements(instance)) {
        const name = new Map(property.attributes).get("NAME");
        const value = elements(property).find((v) => v.name === "VALUE");
        if (name !== undefined && value !== undefined) properties[name] = textOf(value);
      }
      return { className: new Map(instance.attributes).get("CLASSNAME") ?? "", properties, source };
    });
}

/**
 * The references info part for `references` after an edit: entries still referenced keep their
 * text; new references get a minimal entry (their names and versions are unknown to the SDK).
 */
export function updateReferencesInfo(existing: readonly ReferenceInfo[], references: readonly SequenceReference[], packageId: string, kind: "package" | "application"): string {
  const key = kind === "package" ? "ReferencePackageID" : "RefAppModelName";
  const wanted = uniqueTargets(references, kind);
  const strings = wanted.map((target) => existing.find((e) => e.properties[key] === target)?.source ?? newInstance(packageId, kind, target, references));
  return document(strings);
}

/** A new references info part for `references`. */
export function createReferencesInfo(references: readonly SequenceReference[], packageId: string, kind: "package" | "application"): string {
  return updateReferencesInfo([], references, packageId, kind);
}

function uniqueTargets(references: readonly SequenceReference[], kind: "package" | "application"): string[] {
  const out: string[] = [];
  for (const r of references) {
    const target = kind === "package" ? (r.application === undefined ? r.package : undefined) : r.application;
    if (target !== undefined && !out.includes(target)) out.push(target);
  }
  return out;
}

function newInstance(packageId: string, kind: "package" | "application", target: string, references: readonly SequenceReference[]): string {
  const property = (name: string, type: string, value: string): string => `\r\n  <PROPERTY NAME="${name}" TYPE="${type}">\r\n    <VALUE>${escapeText(value)}</VALUE>\r\n  </PROPERTY>`;
  if (kind === "application") {
    return `<INSTANCE CLASSNAME="SMS_TaskSequenceAppReferencesInfo">${property("PackageID", "string", packageId)}${property("RefAppModelName", "string", target)}\r\n</INSTANCE>`;
  }
  const program = references.find((r) => r.package === target)?.program ?? "*";
  return `<INSTANCE CLASSNAME="SMS_TaskSequenceReferencesInfo">${property("PackageID", "string", packageId)}${property("ProgramName", "string", "*")}${property("ReferencePackageID", "string", target)}${property("ReferenceProgramName", "string", program)}\r\n</INSTANCE>`;
}

function document(strings: readonly string[]): string {
  const body = strings.map((s) => `\r\n  <string>${escapeText(s)}</string>`).join("");
  return `${HEADER}${body}\r\n</ArrayOfString>`;
}

function elements(parent: SourceElement): SourceElement[] {
  return parent.children.filter(isElement);
}
