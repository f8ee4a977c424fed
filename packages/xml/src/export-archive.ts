import { TaskSeqError } from "@taskseq/model";
import type { PackageInfo, TaskSequence } from "@taskseq/model";
import type { ArchiveLimits } from "./archive-limits.js";
import { createPackageObject, parsePackageObject, sameReferences, sameSequence, writePackageObject } from "./package-object.js";
import type { PackageObject } from "./package-object.js";
import { createReferencesInfo, parseReferencesInfo, updateReferencesInfo } from "./references-info.js";
import type { ReferenceInfo } from "./references-info.js";
import { escapeAttribute } from "./xml-serializer.js";
import { isElement, parseXmlDocument } from "./xml-tree.js";
import type { SourceElement } from "./xml-tree.js";
import type { XmlLimits } from "./xml-limits.js";
import { readZipEntries, writeZipEntries } from "./zip-entries.js";

/** One task sequence package of an export archive. */
export interface ArchivePackage {
  /** `PackageID` (from the manifest entry object). */
  readonly packageId: string;
  /** Zip path of its `object.xml`. */
  readonly objectPath: string;
  /** The `object.xml` as read. */
  readonly object: PackageObject;
  /**
   * The task sequence to write. Starts as {@link PackageObject.sequence}; replace it (immutably) with
   * an edited one before {@link writeExportArchive}.
   */
  readonly sequence: TaskSequence;
  /** Entries of `ReferencesInfo.xml` (packages), when present. */
  readonly references: readonly ReferenceInfo[];
  /** Entries of `AppReferencesInfo.xml` (applications), when present. */
  readonly appReferences: readonly ReferenceInfo[];
}

/** The manifest of an export (`Manifest.xml`). */
export interface ArchiveManifest {
  /** `AUTHORING_SCOPE` property, when present. */
  readonly authoringScope?: string;
  /** The `EntryObjects/Object` entries: `Path` and `Type`. */
  readonly entryObjects: readonly { readonly path: string; readonly type: string }[];
}

/** A ConfigMgr export archive read losslessly (spec/xml-format.md §11). */
export interface ExportArchive {
  /** Every task sequence package, in manifest order. */
  readonly packages: readonly ArchivePackage[];
  /** The manifest. */
  readonly manifest: ArchiveManifest;
  /** Every part of the zip as read, by entry name, in zip order. */
  readonly parts: ReadonlyMap<string, Uint8Array>;
}

/** Options of {@link readExportArchive}. */
export interface ReadExportArchiveOptions {
  /** Zip limits (size, entries, ratio). */
  readonly archiveLimits?: ArchiveLimits;
  /** Limits for each XML part. */
  readonly xmlLimits?: XmlLimits;
}

/** One sequence of a new export ({@link createExportArchive}). */
export interface NewArchivePackage {
  /** The sequence (written as 3.10). */
  readonly sequence: TaskSequence;
  /** Package identity and properties; `packageId` is required. */
  readonly info: PackageInfo & { readonly packageId: string };
}

const MANIFEST = "Manifest.xml";
const RELS = "_rels/.rels";
const PACKAGE_CLASS = "SMS_TaskSequencePackage";
const UTF8 = new TextEncoder();
const BOM = "\uFEFF";

/**
 * Reads a ConfigMgr export zip: the manifest, each entry object's `object.xml` (found through
 * `_rels/.rels` or the folder convention), its sequence and references info. Every task sequence
 * of a multi-sequence export is returned.
 *
 * @example
 * ```ts
 * const archive = readExportArchive(readFileSync("export.zip"));
 * for (const p of archive.packages) console.log(p.packageId, p.sequence.items.length);
 * ```
 */
export function readExportArchive(bytes: Uint8Array, options: ReadExportArchiveOptions = {}): ExportArchive {
  const parts = readZipEntries(bytes, options.archiveLimits);
  const xml = (name: string): SourceElement => parseXmlDocument(requirePart(parts, name), options.xmlLimits).root;
  const manifest = readManifest(xml(findName(parts, MANIFEST) ?? MANIFEST));
  const targets = relationshipTargets(parts, options.xmlLimits);
  const packages = manifest.entryObjects
    .filter((o) => o.type === PACKAGE_CLASS)
    .map((entry): ArchivePackage => {
      const packageId = /PackageID\s*=\s*['"]([^'"]*)['"]/.exec(entry.path)?.[1] ?? "";
      const convention = `${PACKAGE_CLASS}/${packageId}/object.xml`;
      const objectPath = findName(parts, targets.find((t) => t.toLowerCase() === convention.toLowerCase()) ?? convention);
      if (objectPath === undefined) throw new TaskSeqError("ArchiveMissingPart", `The archive has no object.xml for package ${packageId}.`, { position: { path: convention } });
      const object = parsePackageObject(requirePart(parts, objectPath), options.xmlLimits === undefined ? {} : { limits: options.xmlLimits });
      const folder = objectPath.slice(0, objectPath.length - "object.xml".length);
      const info = (name: string): ReferenceInfo[] => {
        const path = findName(parts, folder + name);
        return path === undefined ? [] : parseReferencesInfo(requirePart(parts, path), options.xmlLimits);
      };
      return { packageId, objectPath, object, sequence: object.sequence, references: info("ReferencesInfo.xml"), appReferences: info("AppReferencesInfo.xml") };
    });
  if (packages.length === 0) throw new TaskSeqError("ArchiveMissingPart", "The manifest lists no SMS_TaskSequencePackage entry object.", { position: { path: MANIFEST } });
  return { packages, manifest, parts };
}

/**
 * Writes an export archive back. A package whose sequence is unchanged keeps every part byte for
 * byte; a changed one rewrites only its `object.xml` (`Sequence`, and `References` when they
 * changed) and its references info parts. Secrets follow {@link writeSequenceXml}.
 *
 * @example
 * ```ts
 * const edited = { ...archive, packages: archive.packages.map((p) => ({ ...p, sequence: renameItem(p.sequence, [0], "Setup") })) };
 * writeFileSync("export.zip", writeExportArchive(edited));
 * ```
 */
export function writeExportArchive(archive: ExportArchive): Uint8Array {
  const parts = new Map(archive.parts);
  for (const pkg of archive.packages) {
    if (sameSequence(pkg.object.sequence, pkg.sequence)) continue;
    parts.set(pkg.objectPath, UTF8.encode(writePackageObject(pkg.object, pkg.sequence)));
    if (sameReferences(pkg.object.sequence.references, pkg.sequence.references)) continue;
    const folder = pkg.objectPath.slice(0, pkg.objectPath.length - "object.xml".length);
    const refs = pkg.sequence.references;
    parts.set(folder + "ReferencesInfo.xml", UTF8.encode(updateReferencesInfo(pkg.references, refs, pkg.packageId, "package")));
    parts.set(folder + "AppReferencesInfo.xml", UTF8.encode(updateReferencesInfo(pkg.appReferences, refs, pkg.packageId, "application")));
  }
  return writeZipEntries(parts);
}

/**
 * Creates a new, complete export archive (OPC parts, manifest, relationships, one `object.xml`
 * and references info per sequence) that {@link readExportArchive} and the ConfigMgr console read.
 *
 * @example
 * ```ts
 * const zip = createExportArchive([{ sequence, info: { packageId: "ABC00001", name: "Deploy", properties: {} } }]);
 * ```
 */
export function createExportArchive(packages: readonly NewArchivePackage[], options: { readonly authoringScope?: string } = {}): Uint8Array {
  if (packages.length === 0) throw new TaskSeqError("InvalidArgument", "An export needs at least one task sequence.");
  const ids = packages.map((p) => p.info.packageId);
  if (new Set(ids).size !== ids.length || ids.some((id) => !/^[A-Za-z0-9]{1,8}$/.test(id))) {
    throw new TaskSeqError("InvalidArgument", "Package IDs must be unique, 1-8 letters or digits.");
  }
  const coreId = hashHex(ids.join("|")).padEnd(32, "0").slice(0, 32);
  const parts = new Map<string, Uint8Array>();
  const text = (name: string, value: string): void => void parts.set(name, UTF8.encode(value));
  text(
    "[Content_Types].xml",
    '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="text/xml" /><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" /><Default Extension="psmdcp" ContentType="application/vnd.openxmlformats-package.core-properties+xml" /></Types>',
  );
  const relationships = ids
    .map((id) => `<Relationship Type="${PACKAGE_CLASS}" Target="/${PACKAGE_CLASS}/${id}/object.xml" TargetMode="External" Id="${PACKAGE_CLASS}-${hashHex(id).toUpperCase()}" />`)
    .join("");
  text(
    RELS,
    `${BOM}<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${relationships}<Relationship Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="/package/services/metadata/core-properties/${coreId}.psmdcp" Id="R${coreId.slice(0, 16)}" /></Relationships>`,
  );
  const scope = options.authoringScope === undefined ? "" : `\r\n  <Properties>\r\n    <Property Name="AUTHORING_SCOPE" Value="${escapeAttribute(options.authoringScope)}" />\r\n  </Properties>`;
  const objects = ids.map((id) => `\r\n    <Object Path="${PACKAGE_CLASS}.PackageID='${id}'" Type="${PACKAGE_CLASS}" />`).join("");
  text(
    MANIFEST,
    `${BOM}<LibraryDocument xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">${scope}\r\n  <Contents />\r\n  <EntryObjects>${objects}\r\n  </EntryObjects>\r\n</LibraryDocument>`,
  );
  text(
    `package/services/metadata/core-properties/${coreId}.psmdcp`,
    '<?xml version="1.0" encoding="utf-8"?><coreProperties xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"><dc:creator>taskseq</dc:creator></coreProperties>',
  );
  text(`${PACKAGE_CLASS}/USERSTATE_MIGRATION_PACKAGE.xml`, "<string>00000000</string>");
  for (const pkg of packages) {
    const folder = `${PACKAGE_CLASS}/${pkg.info.packageId}/`;
    text(`${folder}object.xml`, createPackageObject(pkg.sequence, pkg.info));
    text(`${folder}ReferencesInfo.xml`, createReferencesInfo(pkg.sequence.references, pkg.info.packageId, "package"));
    text(`${folder}AppReferencesInfo.xml`, createReferencesInfo(pkg.sequence.references, pkg.info.packageId, "application"));
  }
  return writeZipEntries(parts);
}

function readManifest(root: SourceElement): ArchiveManifest {
  if (root.name !== "LibraryDocument") throw new TaskSeqError("ArchiveInvalid", `Manifest.xml has a <${root.name}> root, not <LibraryDocument>.`, { position: { path: MANIFEST } });
  let authoringScope: string | undefined;
  const entryObjects: { path: string; type: string }[] = [];
  for (const section of elements(root)) {
    for (const entry of elements(section)) {
      const attrs = new Map(entry.attributes);
      if (section.name === "Properties" && attrs.get("Name") === "AUTHORING_SCOPE") authoringScope = attrs.get("Value");
      if (section.name === "EntryObjects" && entry.name === "Object") entryObjects.push({ path: attrs.get("Path") ?? "", type: attrs.get("Type") ?? "" });
    }
  }
  return authoringScope === undefined ? { entryObjects } : { authoringScope, entryObjects };
}

/** `Target`s of `SMS_TaskSequencePackage` relationships, without the leading `/`. */
function relationshipTargets(parts: ReadonlyMap<string, Uint8Array>, limits: XmlLimits | undefined): string[] {
  const path = findName(parts, RELS);
  if (path === undefined) return [];
  return elements(parseXmlDocument(requirePart(parts, path), limits).root)
    .map((r) => new Map(r.attributes))
    .filter((a) => a.get("Type") === PACKAGE_CLASS)
    .map((a) => (a.get("Target") ?? "").replace(/^\//, ""));
}

function elements(parent: SourceElement): SourceElement[] {
  return parent.children.filter(isElement);
}

/** The entry name as stored, matched case-insensitively (ZIP tools differ in case). */
function findName(parts: ReadonlyMap<string, Uint8Array>, name: string): string | undefined {
  if (parts.has(name)) return name;
  const key = name.toLowerCase();
  for (const candidate of parts.keys()) if (candidate.toLowerCase() === key) return candidate;
  return undefined;
}

function requirePart(parts: ReadonlyMap<string, Uint8Array>, name: string): Uint8Array {
  const data = parts.get(name);
  if (data === undefined) throw new TaskSeqError("ArchiveMissingPart", `The archive has no ${name}.`, { position: { path: name } });
  return data;
}

/** FNV-1a, as 16 hex digits (two rounds): stable ids without a crypto dependency. */
function hashHex(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    a = Math.imul(a ^ text.charCodeAt(i), 0x01000193) >>> 0;
    b = Math.imul(b ^ text.charCodeAt(text.length - 1 - i), 0x01000193) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}
