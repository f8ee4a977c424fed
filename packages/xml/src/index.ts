// Reading sequences
export { parseSequenceXml, SOURCE_VALUE_KEY } from "./sequence-reader.js";
export type { ParseSequenceOptions, ParsedSequence } from "./sequence-reader.js";
export type { ImportDiagnostic, ImportDiagnosticCode, DiagnosticSeverity } from "./import-diagnostic.js";

// Writing and converting sequences
export { writeSequenceXml } from "./sequence-writer.js";
export type { WriteSequenceOptions } from "./sequence-writer.js";
export { convertSequence } from "./convert-sequence.js";
export type { ConvertedSequence, ConversionChange } from "./convert-sequence.js";

// Limits
export { DEFAULT_XML_LIMITS } from "./xml-limits.js";
export type { XmlLimits } from "./xml-limits.js";

// Step payload helpers
export { findElements, firstElementText } from "./element-text.js";
export type { ElementAncestor, ElementMatch } from "./element-text.js";
export { parseDynamicRules, writeDynamicRules } from "./dynamic-rules.js";
export type { DynamicRules, DynamicRule, DynamicRuleVariable } from "./dynamic-rules.js";
export { decodePowerShellScript, encodePowerShellScript } from "./powershell-script.js";

// object.xml and export archives
export { parsePackageObject, writePackageObject, createPackageObject } from "./package-object.js";
export type { PackageObject, ParsePackageObjectOptions, SequenceValueForm } from "./package-object.js";
export { readExportArchive, writeExportArchive, createExportArchive } from "./export-archive.js";
export { createArchiveResolver } from "./archive-resolver.js";
export type { ExportArchive, ArchivePackage, ArchiveManifest, ReadExportArchiveOptions, NewArchivePackage } from "./export-archive.js";
export { parseReferencesInfo } from "./references-info.js";
export type { ReferenceInfo } from "./references-info.js";
export { DEFAULT_ARCHIVE_LIMITS } from "./archive-limits.js";
export type { ArchiveLimits } from "./archive-limits.js";
