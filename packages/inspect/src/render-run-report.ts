/**
 * `renderRunReport`: one self-contained HTML page of a run: the sequence as a tree with each
 * step's outcome, a duration bar and exit code; clicking a step expands its condition trace,
 * changed variables (redacted) and log lines. Inline CSS and JS only, every text escaped.
 */
import type { Item } from "@taskseq/model";
import { escapeHtml as h } from "./html-escape.js";
import type { RecordedLogLine, RecordedStep, RunRecord } from "./run-record.js";

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1b1b1b}
header h1{font-size:1.4em;margin:0 0 .3em}.badge{display:inline-block;padding:.1em .6em;border-radius:1em;color:#fff;font-weight:600}
.success{background:#2e7d32}.failed,.failed-continued{background:#c62828}.restart-pending,.in-progress,.running{background:#ef6c00}
.skipped-condition,.skipped-disabled,.not-run{background:#78909c}
ul.tree,ul.tree ul{list-style:none;margin:0;padding-left:1.2em}ul.tree{padding-left:0}
.row{display:grid;grid-template-columns:4.5em minmax(12em,1fr) 9em 4.5em 12em;gap:.6em;align-items:center;width:100%;
background:none;border:0;border-bottom:1px solid #eef;padding:.25em .3em;text-align:left;font:inherit;cursor:pointer}
.row:hover{background:#f3f6fa}.group>.row{font-weight:600;cursor:default}.path{font-family:monospace;color:#667}
.outcome{font-size:.85em;text-align:center;border-radius:.8em;color:#fff;padding:0 .4em}
.barbox{background:#eceff1;height:.7em;border-radius:.35em;overflow:hidden}.bar{display:block;height:100%;background:#42a5f5}
.details{margin:.3em 0 .6em 5em;padding:.4em .8em;border-left:3px solid #90caf9;background:#fafcff}
.details h4{margin:.4em 0 .2em;font-size:.95em}.details pre{margin:0;white-space:pre-wrap;word-break:break-word;font-size:.9em}
.log2{color:#b26a00}.log3{color:#c62828}table{border-collapse:collapse}td,th{border:1px solid #dde;padding:.1em .5em;font-family:monospace;text-align:left}`;

const SCRIPT = `document.addEventListener("click",function(e){var b=e.target.closest("button.row");if(!b)return;
var d=document.getElementById(b.getAttribute("aria-controls"));if(!d)return;var open=d.hidden;d.hidden=!open;
b.setAttribute("aria-expanded",open?"true":"false");});`;

function text(value: unknown): string {
  return h(typeof value === "string" ? value : value === undefined || value === null ? "" : String(value));
}

function ms(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "";
  return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(value < 10_000 ? 2 : 1)} s`;
}

function logLines(log: readonly RecordedLogLine[]): string {
  return `<pre>${log.map((l) => `<span class="log${text(l.type)}">${text(l.component)}: ${text(l.message)}</span>`).join("\n")}</pre>`;
}

function details(step: RecordedStep, id: string): string {
  const parts = [`<div class="details" id="${id}" hidden>`, `<div>Type: <code>${text(step.type === "" ? "(none)" : step.type)}</code> · exit code ${text(step.exitCode)}${step.durationMs === undefined ? "" : ` · ${ms(step.durationMs)}`}</div>`];
  if (step.reason !== undefined) parts.push(`<div>Reason: ${text(step.reason)}</div>`);
  const trace = Array.isArray(step.conditionTrace) ? step.conditionTrace : [];
  parts.push(`<h4>Condition trace</h4>${trace.length === 0 ? "<div><em>no condition evaluated (or not recorded)</em></div>" : `<pre>${trace.map(text).join("\n")}</pre>`}`);
  const vars = Array.isArray(step.variables) ? step.variables : [];
  parts.push(`<h4>Variables changed</h4>${vars.length === 0 ? "<div><em>none</em></div>" : `<table><tr><th>Variable</th><th>New value</th></tr>${vars.map((v) => `<tr><td>${text(v.name)}</td><td>${v.value === undefined ? "<em>(deleted)</em>" : text(v.value)}</td></tr>`).join("")}</table>`}`);
  const log = Array.isArray(step.log) ? step.log : [];
  parts.push(`<h4>Log</h4>${log.length === 0 ? "<div><em>no log lines recorded</em></div>" : logLines(log)}`);
  parts.push("</div>");
  return parts.join("");
}

interface Ctx {
  readonly byPath: ReadonlyMap<string, RecordedStep>;
  readonly longest: number;
  ids: number;
}

function stepRow(path: string, name: string, step: RecordedStep | undefined, c: Ctx, group: boolean): string {
  const outcome = step?.outcome ?? (group ? "" : "not-run");
  const width = step?.durationMs === undefined || c.longest <= 0 ? 0 : Math.max(1, Math.round((step.durationMs / c.longest) * 100));
  const cells = `<span class="path">${text(path)}</span><span class="name">${text(name)}</span><span class="outcome ${text(outcome)}">${text(outcome)}</span><span class="code">${step === undefined ? "" : text(step.exitCode)}</span><span class="barbox" title="${text(ms(step?.durationMs))}"><span class="bar" style="width:${width}%"></span></span>`;
  if (group && step === undefined) return `<div class="row">${cells}</div>`;
  const id = `d${c.ids++}`;
  const shown: RecordedStep = step ?? { path, name, type: "", outcome: "not-run", exitCode: 0, conditionTrace: [], variables: [], log: [] };
  return `<button type="button" class="row" aria-expanded="false" aria-controls="${id}" data-path="${text(path)}">${cells}</button>${details(shown, id)}`;
}

function tree(items: readonly Item[], prefix: string, c: Ctx): string {
  return items
    .map((item, i) => {
      const path = prefix === "" ? String(i) : `${prefix}.${i}`;
      const step = c.byPath.get(path);
      if (item.kind === "group") {
        return `<li class="group" data-path="${text(path)}">${stepRow(path, item.name, step, c, true)}<ul>${tree(item.children, path, c)}</ul></li>`;
      }
      const inner = [...c.byPath.values()].filter((s) => s.path.startsWith(`${path}/`));
      const child = inner.length === 0 ? "" : `<ul>${inner.map((s) => `<li class="step" data-path="${text(s.path)}">${stepRow(s.path, s.name, s, c, false)}</li>`).join("")}</ul>`;
      return `<li class="step" data-path="${text(path)}">${stepRow(path, item.name, step, c, false)}${child}</li>`;
    })
    .join("");
}

/**
 * Renders a run as one self-contained HTML page (no external resources): a header with status,
 * exit code, duration and restarts, then the sequence as a tree; each step row shows its
 * outcome, exit code and a duration bar, and expands on click to its condition trace, the
 * variables it changed and its log lines.
 *
 * @example
 * ```ts
 * const recorder = createRunRecorder({ sequence });
 * const result = await createEngine({ onEvent: recorder.onEvent, logLevel: 0 }).run(sequence);
 * writeFileSync("report.html", renderRunReport(recorder.finish(result)));
 * ```
 */
export function renderRunReport(run: RunRecord): string {
  const steps = Array.isArray(run.steps) ? run.steps : [];
  const byPath = new Map(steps.map((s) => [String(s.path), s]));
  const longest = Math.max(0, ...steps.map((s) => (typeof s.durationMs === "number" && Number.isFinite(s.durationMs) ? s.durationMs : 0)));
  const c: Ctx = { byPath, longest, ids: 0 };
  const items = Array.isArray(run.sequence?.items) ? run.sequence.items : [];
  const facts = [
    `<span class="badge ${text(run.status)}" id="status">${text(run.status)}</span>`,
    run.exitCode === undefined ? "" : `exit code ${text(run.exitCode)}`,
    run.durationMs === undefined ? "" : `duration ${text(ms(run.durationMs))}`,
    `${text(run.restarts)} restart(s)`,
    `${steps.filter((s) => s.outcome === "success" || String(s.outcome).startsWith("failed")).length} step(s) ran`,
    run.runId === undefined ? "" : `run ${text(run.runId)}`,
  ].filter((f) => f !== "");
  const error = run.error === undefined ? "" : `<p class="error">${text(run.error.code)}: ${text(run.error.message)}</p>`;
  const runLog = Array.isArray(run.log) && run.log.length > 0 ? `<details id="run-log"><summary>Run log (${run.log.length} line(s))</summary>${logLines(run.log)}</details>` : "";
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Run report: ${text(run.name)}</title><style>${STYLE}</style></head>
<body><header><h1>Run report: ${text(run.name)}</h1><p>${facts.join(" · ")}</p>${error}${runLog}</header>
<main><ul class="tree" id="tree">${tree(items, "", c)}</ul></main>
<script>${SCRIPT}</script>
</body></html>
`;
}
