import type { StepOutcome } from "@taskseq/engine";
import type { FleetResult } from "./fleet.js";

/** The device × step matrix of a fleet run. */
export interface FleetMatrix {
  /** Columns: every step path seen, in first-seen order, with its name. */
  readonly steps: readonly { readonly path: string; readonly name: string }[];
  /** One row per device: its status and the outcome of each column (`undefined` = not in its run). */
  readonly rows: readonly { readonly deviceId: string; readonly status: string; readonly outcomes: readonly (StepOutcome | undefined)[] }[];
}

/**
 * The device × step matrix: which step did what on which device.
 *
 * @example
 * ```ts
 * const m = fleetMatrix(result);
 * m.rows[0].outcomes[3]; // "success"
 * ```
 */
export function fleetMatrix(result: FleetResult): FleetMatrix {
  const columns = new Map<string, { path: string; name: string }>();
  for (const d of result.devices) for (const s of d.steps) if (!columns.has(s.path)) columns.set(s.path, { path: s.path, name: s.name });
  const paths = [...columns.keys()];
  const rows = result.devices.map((d) => {
    const byPath = new Map(d.steps.map((s) => [s.path, s.outcome]));
    return { deviceId: d.deviceId, status: d.status, outcomes: paths.map((p) => byPath.get(p)) };
  });
  return { steps: [...columns.values()], rows };
}

const SYMBOL: Readonly<Record<StepOutcome, string>> = {
  success: "✓",
  failed: "✗",
  "failed-continued": "!",
  "skipped-condition": "–",
  "skipped-disabled": "·",
  "not-run": " ",
};

/**
 * A self-contained HTML page of a fleet run: the summary and the device × step matrix, one
 * coloured cell per outcome (text is escaped; step reasons appear as cell titles).
 */
export function renderFleetHtml(result: FleetResult): string {
  const m = fleetMatrix(result);
  const reasons = new Map(result.devices.map((d) => [d.deviceId, new Map(d.steps.map((s) => [s.path, s.reason ?? ""]))]));
  const head = m.steps.map((s) => `<th title="${esc(s.path)}"><span>${esc(s.name)}</span></th>`).join("");
  const body = m.rows
    .map((r) => {
      const cells = r.outcomes
        .map((o, i) => {
          const reason = reasons.get(r.deviceId)?.get(m.steps[i]?.path ?? "") ?? "";
          return o === undefined ? "<td></td>" : `<td class="${o}" title="${esc(`${o}${reason === "" ? "" : `: ${reason}`}`)}">${SYMBOL[o]}</td>`;
        })
        .join("");
      return `<tr><th>${esc(r.deviceId)}</th><td class="status ${esc(r.status)}">${esc(r.status)}</td>${cells}</tr>`;
    })
    .join("\n");
  const summary = Object.entries(result.summary)
    .map(([k, v]) => `<li>${esc(k)}: ${v}</li>`)
    .join("");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Fleet run: ${esc(result.taskSequence)}</title>
<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 4px;text-align:center}
thead th{vertical-align:bottom}thead th span{writing-mode:vertical-rl}.success{background:#c8f7c5}.failed{background:#f7c5c5}
.failed-continued{background:#f7e9c5}.skipped-condition,.skipped-disabled{background:#eee}.not-started,.restart-pending{background:#e0e8ff}</style></head>
<body><h1>${esc(result.taskSequence)} — deployment ${esc(result.deployment)}</h1><ul>${summary}</ul>
<table><thead><tr><th>Device</th><th>Status</th>${head}</tr></thead><tbody>
${body}
</tbody></table></body></html>
`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
