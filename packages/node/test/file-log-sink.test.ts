import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatCmtraceLine, type LogEntry } from "@taskseq/engine";
import { createFileLogSink } from "@taskseq/node";
import { tempDir } from "../../../test/helpers/temp-dir.js";

const tmp = (): string => tempDir("taskseq-log-");
const entry = (message: string): LogEntry => ({ message, time: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), component: "TSManager", type: 1, thread: 1, file: "engine.ts", messageId: "test", bias: 0 });
const history = (dir: string): string[] => readdirSync(dir).filter((n) => n.startsWith("smsts-")).sort();

describe("createFileLogSink", () => {
  it("writes CMTrace lines to smsts.log with a UTF-8 BOM", async () => {
    const dir = tmp();
    const sink = createFileLogSink(dir);
    sink.write(entry("hello"));
    await sink.flush?.();
    const text = readFileSync(join(dir, "smsts.log"), "utf8");
    expect(text.startsWith("\uFEFF<![LOG[hello]LOG]!>")).toBe(true);
    expect(text.endsWith("\r\n")).toBe(true);
    sink.close();
  });

  it("rolls over between records, pins the first segment and keeps maxHistory other files", async () => {
    const dir = tmp();
    let t = Date.UTC(2026, 0, 1);
    const sink = createFileLogSink(dir, { maxSize: 10_000, maxHistory: 1, now: () => (t += 1000) });
    const line = "x".repeat(900);
    for (let i = 0; i < 60; i++) sink.write(entry(`${i} ${line}`));
    await sink.flush?.();
    sink.close();
    const files = history(dir);
    const pin = readFileSync(join(dir, "smsts.pin"), "utf8");
    expect(files).toContain(pin);
    expect(files).toHaveLength(2);
    expect(readFileSync(join(dir, pin), "utf8")).toContain("<![LOG[0 x");
    for (const f of [...files, "smsts.log"]) {
      const text = readFileSync(join(dir, f), "utf8");
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(10_000);
      expect(text.startsWith("\uFEFF<![LOG[")).toBe(true);
      expect(text.endsWith(">\r\n")).toBe(true);
    }
    expect(readFileSync(join(dir, "smsts.log"), "utf8")).toContain("<![LOG[59 x");
  });

  it("configure replaces maxSize and maxHistory for the rest of the run (the engine's options or smsts.ini)", async () => {
    const dir = tmp();
    let t = Date.UTC(2026, 0, 1);
    const sink = createFileLogSink(dir, { now: () => (t += 1000) });
    sink.configure?.({ maxSize: 10_000, maxHistory: 2 });
    const line = "x".repeat(900);
    for (let i = 0; i < 60; i++) sink.write(entry(`${i} ${line}`));
    await sink.flush?.();
    sink.close();
    const files = history(dir);
    expect(files).toHaveLength(3); // the pinned first segment and two more
    for (const f of [...files, "smsts.log"]) expect(Buffer.byteLength(readFileSync(join(dir, f), "utf8"))).toBeLessThanOrEqual(10_000);
    const floor = createFileLogSink(tmp());
    floor.configure?.({ maxSize: 10 });
    for (let i = 0; i < 5; i++) floor.write(entry(`${i} ${line}`));
    floor.close();
    expect(history(floor.dir)).toEqual([]); // 10,000 bytes at least: 5 lines fit
  });

  it("counts bytes, not characters: lines of three-byte characters never take a file past maxSize", () => {
    const dir = tmp();
    let t = Date.UTC(2026, 0, 1);
    const sink = createFileLogSink(dir, { maxSize: 10_000, maxHistory: 10, now: () => (t += 1000) });
    for (let i = 0; i < 60; i++) sink.write(entry(`${i} ${"€".repeat(300)}`));
    sink.close();
    const rolled = history(dir).map((f) => readFileSync(join(dir, f), "utf8"));
    expect(rolled.length).toBeGreaterThan(5);
    for (const text of rolled) expect(Buffer.byteLength(text)).toBeGreaterThan(9_000); // full, with room for less than one more line
    const texts = [...rolled, readFileSync(join(dir, "smsts.log"), "utf8")];
    for (const text of texts) expect(Buffer.byteLength(text)).toBeLessThanOrEqual(10_000);
    expect(texts.join("").split("<![LOG[").length - 1).toBe(60);
  });

  it("near maxSize lines stay buffered (bytes counted exactly): no write per line before the rollover", () => {
    const dir = tmp();
    const sink = createFileLogSink(dir, { maxSize: 10_000, maxHistory: 1, now: () => Date.UTC(2026, 0, 1) });
    const onDisk = (): number => readFileSync(join(dir, "smsts.log")).length;
    const sizes: number[] = [];
    for (let i = 0; i < 40 && history(dir).length === 0; i++) {
      sink.write(entry(`${i} ${"x".repeat(300)}`));
      sizes.push(onDisk());
    }
    // Up to the rollover nothing but the BOM reached the disk; the rolled file then holds every line that fit.
    expect(history(dir)).toHaveLength(1);
    expect(sizes.slice(0, -1).every((n) => n === 3)).toBe(true);
    const rolled = readFileSync(join(dir, history(dir)[0] ?? ""));
    expect(rolled.length).toBeLessThanOrEqual(10_000);
    expect(rolled.length).toBeGreaterThan(10_000 - 450);
    sink.close();
  });

  it("writes once 32 K UTF-16 units are buffered: a flush of text beyond Latin-1 stays under V8's large-object size", () => {
    const dir = tmp();
    const sink = createFileLogSink(dir, { maxSize: 10_000_000 });
    const onDisk = (): number => readFileSync(join(dir, "smsts.log")).length;
    let units = 0;
    for (let i = 0; i < 200 && (i === 0 || onDisk() <= 3); i++) {
      const e = entry(`${i} ${"€".repeat(1_000)}`);
      units += formatCmtraceLine(e).length;
      sink.write(e);
    }
    // Two bytes per unit in V8: 64 K units would be a 128 KB string, allocated in fresh pages each time.
    expect(units).toBeGreaterThanOrEqual(32 * 1024);
    expect(units).toBeLessThan(32 * 1024 + 1_200);
    sink.close();
  });

  it("maxHistory 0 keeps only the pinned segment; a record larger than maxSize is written whole", async () => {
    const dir = tmp();
    const sink = createFileLogSink(dir, { maxSize: 10_000, maxHistory: 0, now: () => Date.UTC(2026, 0, 1) });
    for (let i = 0; i < 30; i++) sink.write(entry(`${i} ${"y".repeat(900)}`));
    sink.write(entry("z".repeat(20_000)));
    await sink.flush?.();
    sink.close();
    expect(history(dir)).toEqual([readFileSync(join(dir, "smsts.pin"), "utf8")]);
    expect(readFileSync(join(dir, "smsts.log"), "utf8")).toContain("z".repeat(20_000));
  });

  it("deletes pruned files in the background: their names stay taken until they are gone", async () => {
    const dir = tmp();
    const sink = createFileLogSink(dir, { maxSize: 10_000, maxHistory: 1, now: () => Date.UTC(2026, 0, 1) });
    // Every rollover has the same time stamp: each new history file needs a suffix no other file has, deleted or not.
    const names: string[] = [];
    for (let i = 0; i < 200; i++) {
      sink.write(entry(`${i} ${"q".repeat(900)}`));
      for (const name of history(dir)) if (!names.includes(name)) names.push(name);
    }
    await sink.flush?.();
    const left = history(dir);
    expect(left).toHaveLength(2); // the pinned first segment and one more
    expect(left).toContain(readFileSync(join(dir, "smsts.pin"), "utf8"));
    expect(names.length).toBeGreaterThan(15);
    const texts = [...left, "smsts.log"].map((f) => readFileSync(join(dir, f), "utf8"));
    expect(texts.join("")).toContain("<![LOG[199 q");
    sink.close();
  });

  it("a resumed run keeps the earlier pin; name collisions get a suffix", () => {
    const dir = tmp();
    writeFileSync(join(dir, "smsts.log"), "\uFEFFfirst run line\r\n");
    writeFileSync(join(dir, "smsts.pin"), "smsts.log");
    writeFileSync(join(dir, "smsts-20260101-000000.log"), "older");
    const sink = createFileLogSink(dir, { maxSize: 10_000, maxHistory: 5, newRun: false, now: () => new Date(2026, 0, 1, 0, 0, 0).getTime() });
    for (let i = 0; i < 15; i++) sink.write(entry("w".repeat(900)));
    sink.close();
    const pin = readFileSync(join(dir, "smsts.pin"), "utf8");
    expect(pin).toBe("smsts-20260101-000000-1.log");
    expect(readFileSync(join(dir, pin), "utf8")).toContain("first run line");
  });
});
