/**
 * XML import/export speed on a 10,000-step sequence built by repeating the steps of real ConfigMgr
 * exports (corpus 004, 010, 014). Baselines measured in the same run:
 * - import: parsing the same text with raw saxes (no-op handlers, no tree, no model);
 * - export: the same raw saxes parse, and a raw serialisation of the same element tree (a plain
 *   recursive writer over a tree built beforehand, no model, no trivia rules).
 * Goal: both ratios ≤ 2.
 */
import { readFileSync } from "node:fs";
import { SaxesParser } from "saxes";
import type { Item, Step, TaskSequence } from "@taskseq/model";
import { parseSequenceXml, writeSequenceXml } from "@taskseq/xml";

const STEPS = 10_000;
const corpus = new URL("../../shared/corpus/", import.meta.url);

function stepsOf(items: readonly Item[]): Step[] {
  return items.flatMap((item) => (item.kind === "group" ? stepsOf(item.children) : [item]));
}

const pool = ["004_cm-export-sequence-RSC002A6.xml", "010_cm-garytown-OSDCloudTS.xml", "014_cm-garytown-ModelSupportTS.xml"].flatMap((f) =>
  stepsOf(parseSequenceXml(readFileSync(new URL(f, corpus))).sequence.items),
);
const items: Item[] = [];
for (let i = 0; items.length < STEPS; i++) {
  const step = pool[i % pool.length] as Step;
  items.push(step);
}
// Groups of 50 steps, as real sequences nest steps in groups.
const groups: Item[] = [];
for (let i = 0; i < items.length; i += 50) {
  groups.push({ kind: "group", name: `Group ${i / 50}`, description: "", disabled: false, continueOnError: false, children: items.slice(i, i + 50) });
}
const big: TaskSequence = { kind: "sequence", version: "3.10", globalVariables: [], references: [], items: groups };
const text = writeSequenceXml(big);

interface RawElement {
  name: string;
  attributes: Record<string, string>;
  children: (RawElement | string)[];
}

function rawSaxes(xml: string): void {
  const parser = new SaxesParser();
  parser.on("opentag", () => undefined);
  parser.on("text", () => undefined);
  parser.write(xml).close();
}

function rawTree(xml: string): RawElement {
  const parser = new SaxesParser();
  const stack: RawElement[] = [{ name: "#root", attributes: {}, children: [] }];
  parser.on("opentag", (tag) => {
    const element: RawElement = { name: tag.name, attributes: tag.attributes as Record<string, string>, children: [] };
    stack[stack.length - 1]?.children.push(element);
    if (!tag.isSelfClosing) stack.push(element);
  });
  parser.on("closetag", (tag) => {
    if (!tag.isSelfClosing) stack.pop();
  });
  parser.on("text", (t) => stack[stack.length - 1]?.children.push(t));
  parser.write(xml).close();
  return stack[0]?.children[0] as RawElement;
}

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
function rawSerialize(element: RawElement, out: string[]): void {
  out.push("<", element.name);
  for (const [k, v] of Object.entries(element.attributes)) out.push(" ", k, '="', esc(v), '"');
  out.push(">");
  for (const child of element.children) {
    if (typeof child === "string") out.push(esc(child));
    else rawSerialize(child, out);
  }
  out.push("</", element.name, ">");
}

function time(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

const middle = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const parsed = parseSequenceXml(text).sequence;
const tree = rawTree(text);
const runs = {
  saxes: () => rawSaxes(text),
  import: () => void parseSequenceXml(text),
  export: () => void writeSequenceXml(parsed),
  serialize: () => {
    const out: string[] = [];
    rawSerialize(tree, out);
    out.join("");
  },
};
for (const run of Object.values(runs)) run();
// Interleaved rounds: each ratio compares runs measured seconds apart, so load from other
// processes on a shared machine affects both sides; the median ratio is reported.
const rounds = 7;
const ms = { saxes: [] as number[], import: [] as number[], export: [] as number[], serialize: [] as number[] };
const ratios = { import: [] as number[], exportSaxes: [] as number[], exportSerialize: [] as number[] };
for (let i = 0; i < rounds; i++) {
  const saxes = time(runs.saxes);
  const imported = time(runs.import);
  const exported = time(runs.export);
  const serialized = time(runs.serialize);
  ms.saxes.push(saxes);
  ms.import.push(imported);
  ms.export.push(exported);
  ms.serialize.push(serialized);
  ratios.import.push(imported / saxes);
  ratios.exportSaxes.push(exported / saxes);
  ratios.exportSerialize.push(exported / serialized);
}

const fmt = (n: number): string => n.toFixed(1);
console.log(`document: ${STEPS} steps, ${(text.length / 1024 / 1024).toFixed(2)} MiB; median of ${rounds} interleaved rounds`);
console.log(`raw saxes parse (baseline): ${fmt(middle(ms.saxes))} ms`);
console.log(`import parseSequenceXml:    ${fmt(middle(ms.import))} ms  ratio ${middle(ratios.import).toFixed(2)} x raw saxes (goal <= 2)`);
console.log(`raw tree serialisation:     ${fmt(middle(ms.serialize))} ms`);
console.log(
  `export writeSequenceXml:    ${fmt(middle(ms.export))} ms  ratio ${middle(ratios.exportSaxes).toFixed(2)} x raw saxes parse (goal <= 2), ${middle(ratios.exportSerialize).toFixed(2)} x raw serialisation`,
);
