/**
 * WQL evaluation cost: a three-clause WHERE over 1,000 Win32_LogicalDisk-like instances, compiled
 * once, against a hand-written filter doing the same case-insensitive tests. Goal: ≤ 3×.
 */
import { compileWql, type WmiRow } from "@taskseq/device";

const rows: WmiRow[] = Array.from({ length: 1000 }, (_, i) => ({
  DeviceID: `${String.fromCharCode(67 + (i % 20))}:`,
  FileSystem: i % 3 === 0 ? "NTFS" : i % 3 === 1 ? "FAT32" : "ReFS",
  FreeSpace: (i * 7_919) % 100_000_000,
  Size: 100_000_000,
  VolumeName: i % 5 === 0 ? "Data Volume" : "OS",
}));

const query = compileWql("SELECT * FROM Win32_LogicalDisk WHERE FileSystem = 'ntfs' AND FreeSpace > 25000000 AND VolumeName LIKE '%data%'");

function handWritten(list: readonly WmiRow[]): WmiRow[] {
  const out: WmiRow[] = [];
  for (const r of list) {
    if (String(r.FileSystem).toUpperCase() === "NTFS" && (r.FreeSpace as number) > 25_000_000 && /data/i.test(String(r.VolumeName))) out.push(r);
  }
  return out;
}

function time(fn: () => unknown, iterations: number): number {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return (performance.now() - start) / iterations;
}

if (query.run(rows).length !== handWritten(rows).length) throw new Error("WQL and the hand-written filter disagree");
const iterations = 2000;
time(() => query.run(rows), 200);
time(() => handWritten(rows), 200);
const samples: number[] = [];
let wql = 0;
let base = 0;
for (let round = 0; round < 7; round++) {
  const w = time(() => query.run(rows), iterations);
  const b = time(() => handWritten(rows), iterations);
  samples.push(w / b);
  wql += w;
  base += b;
}
samples.sort((a, b) => a - b);
console.log(`wql three-clause WHERE over 1000 rows: ${((wql / 7) * 1000).toFixed(1)} µs/query`);
console.log(`hand-written filter (baseline):        ${((base / 7) * 1000).toFixed(1)} µs/query`);
console.log(`ratio (median of 7 rounds): ${(samples[3] as number).toFixed(2)}x (goal <= 3x)`);
