import { SaxesParser } from "saxes";
import { TaskSeqError } from "@taskseq/model";
import type { LayerVariable, TaskSequenceEnvironment } from "./types.js";

/** The `Version` attribute MDT writes (spec/variables.md §12.1). */
export const MEDIA_VAR_LIST_VERSION = "4.00.5345.0000";

/** Names MDT Base64-encodes at rest (obfuscation, not encryption; spec §12.1). */
const MDT_ENCODED: ReadonlySet<string> = new Set([
  "USERID",
  "USERPASSWORD",
  "USERDOMAIN",
  "DOMAINADMIN",
  "DOMAINADMINPASSWORD",
  "DOMAINADMINDOMAIN",
  "ADMINPASSWORD",
  "BDEPIN",
  "TPMOWNERPASSWORD",
  "PRODUCTKEY",
  "OSDJOINACCOUNT",
  "OSDJOINPASSWORD",
  "SAFEMODEADMINPASSWORD",
]);

/** Largest document {@link parseMediaVarList} reads (the environment's own default limit). */
const MAX_DOCUMENT_LENGTH = 32 * 1024 * 1024;

const utf8ToBase64 = (value: string): string => {
  let binary = "";
  for (const b of new TextEncoder().encode(value)) binary += String.fromCharCode(b);
  return btoa(binary);
};

const base64ToUtf8 = (value: string): string => {
  const binary = atob(value);
  return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
};

/** Options of {@link formatMediaVarList}. */
export interface FormatMediaVarListOptions {
  /** Write secret values too (MDT-obfuscated names Base64-encoded, like MDT). Default `false`: secrets are omitted. */
  readonly includeSecrets?: boolean;
}

const cdata = (value: string): string => `<![CDATA[${value.split("]]>").join("]]]]><![CDATA[>")}]]>`;

/**
 * Writes the global variables of an environment as MDT's `VARIABLES.DAT` (`<MediaVarList>`, names
 * upper-cased, values in CDATA). Local step defaults are never written; secret values are omitted
 * unless `includeSecrets` is set (spec/variables.md §12.1).
 *
 * @example
 * ```ts
 * const { env } = createEnvironment();
 * env.set("DeployRoot", "\\\\server\\share");
 * formatMediaVarList(env); // '<?xml ...?><MediaVarList Version="4.00.5345.0000"><var name="DEPLOYROOT"><![CDATA[\\server\share]]></var></MediaVarList>'
 * ```
 */
export function formatMediaVarList(env: TaskSequenceEnvironment, options: FormatMediaVarListOptions = {}): string {
  let out = `<?xml version="1.0" encoding="utf-8"?><MediaVarList Version="${MEDIA_VAR_LIST_VERSION}">`;
  for (const v of env.entries()) {
    if (v.local || (v.secret && options.includeSecrets !== true)) continue;
    const name = v.name.toUpperCase();
    // The real value: `entries()` is a display form (secret text inside other values masked).
    const value = env.get(v.name) ?? "";
    out += `<var name="${name}">${cdata(MDT_ENCODED.has(name) ? utf8ToBase64(value) : value)}</var>`;
  }
  return `${out}</MediaVarList>`;
}

/**
 * Reads MDT's `VARIABLES.DAT` (`<MediaVarList>`) into layer variables, for example to use as media
 * variables (`engine.applyLayers({ media })`). Values of the names MDT Base64-encodes are decoded
 * and every secret-looking name is marked secret. DOCTYPE declarations are refused.
 *
 * Throws `XmlMalformed` for malformed XML or an unexpected shape, `XmlForbiddenDeclaration` for a
 * DOCTYPE, `XmlTooLarge` above 32 MB. Names are not validated here: applying the layer does that.
 *
 * @example
 * ```ts
 * parseMediaVarList('<MediaVarList Version="4.00.5345.0000"><var name="SKIPWIZARD"><![CDATA[YES]]></var></MediaVarList>');
 * // [{ name: "SKIPWIZARD", value: "YES" }]
 * ```
 */
export function parseMediaVarList(xml: string): LayerVariable[] {
  if (xml.length > MAX_DOCUMENT_LENGTH) throw new TaskSeqError("XmlTooLarge", `A MediaVarList of ${xml.length} characters exceeds the limit of ${MAX_DOCUMENT_LENGTH}.`);
  const parser = new SaxesParser();
  const out: LayerVariable[] = [];
  const fail = (message: string): never => {
    throw new TaskSeqError("XmlMalformed", `MediaVarList: ${message}`, { position: { line: parser.line, column: parser.column + 1 } });
  };
  let depth = 0;
  let sawRoot = false;
  let current: { name: string; value: string } | undefined;
  parser.on("doctype", () => {
    throw new TaskSeqError("XmlForbiddenDeclaration", "MediaVarList: DOCTYPE declarations are not accepted.");
  });
  parser.on("opentag", (tag) => {
    depth++;
    if (depth === 1) {
      if (tag.name !== "MediaVarList") fail(`the root element is <${tag.name}>, not <MediaVarList>`);
      sawRoot = true;
    } else if (depth === 2 && tag.name === "var") {
      const name = tag.attributes.name;
      if (typeof name !== "string") return fail("a <var> has no name attribute");
      current = { name, value: "" };
    } else fail(`unexpected element <${tag.name}>`);
  });
  const text = (t: string): void => {
    if (current !== undefined) current.value += t;
  };
  parser.on("text", text);
  parser.on("cdata", text);
  parser.on("closetag", () => {
    if (depth === 2 && current !== undefined) {
      const upper = current.name.trim().toUpperCase();
      let value = current.value;
      if (MDT_ENCODED.has(upper) && value !== "") {
        try {
          value = base64ToUtf8(value);
        } catch {
          fail(`the value of ${upper} is not Base64`);
        }
      }
      out.push(MDT_ENCODED.has(upper) || upper.endsWith("PASSWORD") ? { name: current.name, value, secret: true } : { name: current.name, value });
      current = undefined;
    }
    depth--;
  });
  try {
    parser.write(xml).close();
  } catch (cause) {
    if (cause instanceof TaskSeqError) throw cause;
    throw new TaskSeqError("XmlMalformed", "MediaVarList: the document is not well-formed XML.", { cause, position: { line: parser.line, column: parser.column + 1 } });
  }
  if (!sawRoot) fail("no <MediaVarList> element");
  return out;
}
