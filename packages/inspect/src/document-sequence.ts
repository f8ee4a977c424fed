/**
 * `documentSequence`: a readable document of a task sequence in Markdown or self-contained HTML.
 */
import { SECRET_MASK } from "@taskseq/environment";
import { describeCondition, getStepTypeInfo, TaskSeqError, type Item, type TaskSequence, isSecretVariableName } from "@taskseq/model";
import { escapeHtml, escapeMarkdown } from "./html-escape.js";
import { maskSecretsIn, shownSettingValue } from "./secret-values.js";

/** Options of {@link documentSequence}. */
export interface DocumentOptions {
  /** `md` (Markdown) or `html` (one self-contained page). */
  readonly format: "md" | "html";
  /** Title; default the sequence's name. */
  readonly title?: string;
}

interface Fact {
  readonly label: string;
  readonly value: string;
}

interface Setting {
  readonly property: string;
  readonly variable: string;
  readonly value: string;
}

interface Entry {
  readonly path: string;
  readonly depth: number;
  readonly kind: "group" | "step";
  readonly name: string;
  readonly facts: readonly Fact[];
  readonly settings: readonly Setting[];
}

function typeName(type: string): string {
  if (type === "") return "Run Command Line (MDT command)";
  const info = getStepTypeInfo(type);
  return info === undefined ? `${type} (unknown type)` : `${info.consoleName} (${type})`;
}

function facts(item: Item): Fact[] {
  const out: Fact[] = [];
  if (item.kind === "step") out.push({ label: "Type", value: typeName(item.type) });
  if (item.description !== "") out.push({ label: "Description", value: item.description });
  out.push({ label: "Enabled", value: item.disabled ? "no (disabled: skipped without evaluating its condition)" : "yes" });
  out.push({ label: "Continue on error", value: item.continueOnError ? "yes" : "no" });
  out.push({ label: "Condition", value: item.condition === undefined ? "none (always runs)" : describeCondition(item.condition) });
  if (item.kind === "step") {
    out.push({ label: "Runs in", value: item.runIn === "WinPEandFullOS" ? "Windows PE and the full OS" : item.runIn === "WinPE" ? "Windows PE only" : "the full OS only" });
    out.push({ label: "Success codes", value: item.successCodes.join(" ") });
    if (item.timeout !== undefined) out.push({ label: "Timeout", value: `${item.timeout} s` });
    if (item.retryCount > 0) out.push({ label: "Retries after an unexpected restart", value: String(item.retryCount) });
    if (item.runFromNet) out.push({ label: "Access content directly", value: "yes" });
    if (item.action !== undefined && item.action.trim() !== "") out.push({ label: "Command", value: maskSecretsIn(item.action, item) });
    if (item.startIn !== undefined && item.startIn !== "") out.push({ label: "Start in", value: item.startIn });
  }
  return out;
}

function entries(items: readonly Item[], prefix: string, depth: number, out: Entry[]): Entry[] {
  items.forEach((item, i) => {
    const path = prefix === "" ? String(i) : `${prefix}.${i}`;
    const settings = item.kind === "step" ? item.variables.map((v) => ({ property: v.property, variable: v.name, value: shownSettingValue(item, v) })) : [];
    out.push({ path, depth, kind: item.kind, name: item.name, facts: facts(item), settings });
    if (item.kind === "group") entries(item.children, path, depth + 1, out);
  });
  return out;
}

function globals(seq: TaskSequence): Setting[] {
  return seq.globalVariables.map((g) => ({ property: "", variable: g.name, value: isSecretVariableName(g.name) && g.value !== "" ? SECRET_MASK : g.value }));
}

function markdown(title: string, seq: TaskSequence, list: readonly Entry[]): string {
  const md = escapeMarkdown;
  const lines = [`# ${md(title)}`, ""];
  if (seq.description !== undefined && seq.description !== "") lines.push(md(seq.description), "");
  lines.push(`Format version ${md(seq.version)}; ${list.filter((e) => e.kind === "group").length} group(s), ${list.filter((e) => e.kind === "step").length} step(s).`, "");
  const vars = globals(seq);
  if (vars.length > 0) {
    lines.push("## Sequence variables", "", "| Variable | Value |", "|---|---|");
    for (const v of vars) lines.push(`| ${md(v.variable)} | ${md(v.value)} |`);
    lines.push("");
  }
  lines.push("## Steps", "");
  for (const e of list) {
    const level = "#".repeat(Math.min(6, 3 + e.depth));
    lines.push(`${level} ${e.path} ${e.kind === "group" ? "Group" : "Step"}: ${md(e.name)}`, "");
    for (const f of e.facts) lines.push(`- **${md(f.label)}:** ${md(f.value)}`);
    lines.push("");
    if (e.settings.length > 0) {
      lines.push("| Setting | Variable | Value |", "|---|---|---|");
      for (const s of e.settings) lines.push(`| ${md(s.property)} | ${md(s.variable)} | ${s.value === "" ? "*(empty)*" : md(s.value)} |`);
      lines.push("");
    }
  }
  return lines.join("\n");
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1b1b1b;max-width:70em}
h1{font-size:1.6em}section.item{border-left:3px solid #c8d3e0;margin:.6em 0 .6em 0;padding:.2em .8em}
section.group{border-left-color:#4a78b0}section.disabled{opacity:.6}h2{font-size:1.2em;margin:.8em 0 .3em}
h3{font-size:1em;margin:.2em 0}.path{color:#667;font-family:monospace;margin-right:.5em}
dl{display:grid;grid-template-columns:max-content auto;gap:.1em 1em;margin:.3em 0}dt{font-weight:600}dd{margin:0}
table{border-collapse:collapse;margin:.3em 0}td,th{border:1px solid #ccd;padding:.15em .5em;text-align:left;vertical-align:top;font-family:monospace;white-space:pre-wrap;word-break:break-all}`;

function html(title: string, seq: TaskSequence, list: readonly Entry[]): string {
  const h = escapeHtml;
  const table = (rows: readonly Setting[], withProperty: boolean): string =>
    `<table><tr>${withProperty ? "<th>Setting</th>" : ""}<th>Variable</th><th>Value</th></tr>${rows
      .map((s) => `<tr>${withProperty ? `<td>${h(s.property)}</td>` : ""}<td>${h(s.variable)}</td><td>${s.value === "" ? "<em>(empty)</em>" : h(s.value)}</td></tr>`)
      .join("")}</table>`;
  const parts: string[] = [];
  let open = 0;
  const closeTo = (depth: number): void => {
    while (open > depth) {
      parts.push("</section>");
      open--;
    }
  };
  for (const e of list) {
    closeTo(e.depth);
    const disabled = e.facts.some((f) => f.label === "Enabled" && f.value !== "yes");
    parts.push(`<section class="item ${e.kind}${disabled ? " disabled" : ""}" id="item-${h(e.path)}"><h3><span class="path">${h(e.path)}</span>${e.kind === "group" ? "Group: " : ""}${h(e.name)}</h3>`);
    parts.push(`<dl>${e.facts.map((f) => `<dt>${h(f.label)}</dt><dd>${h(f.value)}</dd>`).join("")}</dl>`);
    if (e.settings.length > 0) parts.push(table(e.settings, true));
    if (e.kind === "group") open = e.depth + 1;
    else parts.push("</section>");
  }
  closeTo(0);
  const vars = globals(seq);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title><style>${STYLE}</style></head>
<body><h1>${h(title)}</h1>${seq.description === undefined || seq.description === "" ? "" : `<p>${h(seq.description)}</p>`}
<p>Format version ${h(seq.version)}; ${list.filter((e) => e.kind === "group").length} group(s), ${list.filter((e) => e.kind === "step").length} step(s).</p>
${vars.length === 0 ? "" : `<h2>Sequence variables</h2>${table(vars, false)}`}
<h2>Steps</h2>
${parts.join("\n")}
</body></html>
`;
}

/**
 * Documents every group and step: type, description, enabled state, continue-on-error, the
 * condition in readable form, environment, success codes and every setting (the `defaultVarList`
 * variables; secret values as `********`). HTML is one self-contained page with every text
 * escaped.
 *
 * @example
 * ```ts
 * const md = documentSequence(seq, { format: "md" });
 * const page = documentSequence(seq, { format: "html", title: "Windows 11 deployment" });
 * ```
 */
export function documentSequence(seq: TaskSequence, options: DocumentOptions): string {
  if (options.format !== "md" && options.format !== "html") throw new TaskSeqError("InvalidArgument", `Unknown document format "${String(options.format)}" (expected md or html).`);
  const title = options.title ?? seq.package?.name ?? seq.name ?? "Task sequence";
  const list = entries(seq.items, "", 0, []);
  return options.format === "md" ? markdown(title, seq, list) : html(title, seq, list);
}
