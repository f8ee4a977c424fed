import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createEngine, createStepHandlerRegistry } from "@taskseq/engine";
import type { Step } from "@taskseq/model";
import { createFileStateStore } from "@taskseq/node";
import { tempDir } from "../../../test/helpers/temp-dir.js";

const tmp = (): string => tempDir("taskseq-state-");

function step(name: string, type = "T"): Step {
  return { kind: "step", element: "step", type, name, description: "", disabled: false, continueOnError: false, successCodes: [0, 3010], runIn: "WinPEandFullOS", retryCount: 0, runFromNet: false, variables: [] };
}

describe("createFileStateStore", () => {
  it("round-trips a snapshot and its journal; replace starts a new generation and deletes old journals", async () => {
    const dir = tmp();
    const store = createFileStateStore(dir);
    expect(await store.load()).toBeUndefined();
    await store.replace('{"a":1}');
    await store.append('{"p":1}', false);
    await store.append('{"p":2}', true);
    expect(await createFileStateStore(dir).load()).toEqual({ snapshot: '{"a":1}', records: ['{"p":1}', '{"p":2}'] });
    await store.replace('{"a":2}');
    expect(readdirSync(dir).filter((n) => n.startsWith("journal-"))).toEqual([]);
    await store.append('{"p":3}', false);
    expect(readdirSync(dir).filter((n) => n.startsWith("journal-"))).toEqual(["journal-2.log"]);
    expect(await createFileStateStore(dir).load()).toEqual({ snapshot: '{"a":2}', records: ['{"p":3}'] });
    await store.clear();
    expect(readdirSync(dir)).toEqual([]);
    expect(await store.load()).toBeUndefined();
  });

  it("ignores a torn final journal line, and a journal of another generation", async () => {
    const dir = tmp();
    const store = createFileStateStore(dir);
    await store.replace("{}");
    await store.append('{"p":1}', false);
    appendFileSync(join(dir, "journal-1.log"), '{"p":2,"va');
    writeFileSync(join(dir, "journal-7.log"), '{"p":9}\n');
    expect((await createFileStateStore(dir).load())?.records).toEqual(['{"p":1}']);
  });

  it("rejects a foreign state file with StateCorrupt and multi-line records with InvalidArgument", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "state.json"), "hello\nworld");
    await expect(createFileStateStore(dir).load()).rejects.toMatchObject({ code: "StateCorrupt" });
    const okDir = tmp();
    const ok = createFileStateStore(okDir);
    await ok.replace("{}");
    for (const record of ["a\nb", "a\rb", "a\r\nb", "a\n", "a\r", "\na", "\r"]) {
      expect(() => ok.append(record, false)).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
    }
    ok.append("{}", false);
    expect((await ok.load())?.records).toEqual(["{}"]);
  });

  it("an append is on disk when it returns (no promise: the engine starts the next handler without an event-loop turn)", async () => {
    const dir = tmp();
    const store = createFileStateStore(dir);
    await store.replace("{}");
    expect(store.append('{"p":1}', false)).toBeUndefined();
    expect(readFileSync(join(dir, "journal-1.log"), "utf8")).toBe('{"p":1}\n');
  });

  it("a crash before the rename leaves the old snapshot and journal in force", async () => {
    const dir = tmp();
    const store = createFileStateStore(dir);
    await store.replace('{"old":true}');
    await store.append('{"p":1}', false);
    writeFileSync(join(dir, "state.json.tmp"), "taskseq-state 2\n{\"new\":tr");
    expect(await createFileStateStore(dir).load()).toEqual({ snapshot: '{"old":true}', records: ['{"p":1}'] });
  });

  it("a complete but invalid journal line makes resume fail with StateCorrupt", async () => {
    const dir = tmp();
    const handlers = createStepHandlerRegistry({ T: () => Promise.resolve({ exitCode: 3010 }) });
    const seq = { kind: "sequence", version: "3.10", globalVariables: [], references: [], items: [step("A"), step("B")] } as const;
    await createEngine({ handlers, state: createFileStateStore(dir) }).run(seq, { stopAtRestart: true });
    const journal = readdirSync(dir).find((n) => n.startsWith("journal-")) ?? "";
    appendFileSync(join(dir, journal), "{broken}\n");
    await expect(createEngine({ handlers, state: createFileStateStore(dir) }).resume()).rejects.toMatchObject({ code: "StateCorrupt" });
  });

  it("persists a restart-pending run across engine instances; the state is deleted at the end", async () => {
    const dir = tmp();
    const calls: string[] = [];
    const handlers = createStepHandlerRegistry({
      T: (ctx) => {
        calls.push(ctx.step.name);
        ctx.env.set(`Done${ctx.step.name}`, "1");
        ctx.env.set("OSDJoinPassword", "VerySecretPw1");
        ctx.env.set("Derived", `net use /p:${ctx.env.get("OSDJoinPassword") ?? ""}`);
        return Promise.resolve({ exitCode: ctx.step.name === "A" ? 3010 : 0 });
      },
    });
    const seq = { kind: "sequence", version: "3.10", globalVariables: [], references: [], items: [step("A"), step("B")] } as const;
    const secretStore = { seal: (v: string) => Promise.resolve(`sealed:${Buffer.from(v).reverse().toString("hex")}`), unseal: (t: string) => Promise.resolve(Buffer.from(t.slice(7), "hex").reverse().toString()) };
    const first = await createEngine({ handlers, state: createFileStateStore(dir), secretStore }).run(seq, { stopAtRestart: true });
    expect(first.status).toBe("restart-pending");
    const onDisk = readdirSync(dir).map((n) => readFileSync(join(dir, n), "utf8")).join("");
    expect(onDisk).not.toContain("VerySecretPw1");
    const second = await createEngine({ handlers, state: createFileStateStore(dir), secretStore }).resume();
    expect(second.status).toBe("success");
    expect(calls).toEqual(["A", "B"]);
    expect(second.variables).toMatchObject({ DoneA: "1", DoneB: "1", OSDJoinPassword: "********", Derived: "net use /p:********" });
    expect(existsSync(join(dir, "state.json"))).toBe(false);
  });

  describe("durability (fsync)", () => {
    const names = (dir: string, synced: readonly string[]): string[] => synced.map((p) => (p === dir ? "<folder>" : p.slice(dir.length + 1)));

    it("a run's first snapshot is not fsync'd until the first durable append, which syncs the snapshot, the journal and the folder", async () => {
      const dir = tmp();
      const synced: string[] = [];
      const store = createFileStateStore(dir, { onSync: (p) => synced.push(p) });
      expect(await store.load()).toBeUndefined();
      await store.replace('{"a":1}');
      await store.append('{"p":1}', false);
      expect(synced).toEqual([]);
      await store.append('{"p":2}', true);
      expect(names(dir, synced)).toEqual(["state.json", "journal-1.log", "<folder>"]);
      synced.length = 0;
      await store.append('{"p":3}', true);
      expect(names(dir, synced)).toEqual(["journal-1.log"]);
    });

    it("a snapshot that replaces durable state is fsync'd before the rename and the folder after it", async () => {
      const dir = tmp();
      const synced: string[] = [];
      const store = createFileStateStore(dir, { onSync: (p) => synced.push(p) });
      await store.replace('{"a":1}');
      await store.replace('{"a":2}'); // the first one was never durable: nothing to protect
      expect(synced).toEqual([]);
      await store.append('{"p":1}', true);
      synced.length = 0;
      await store.replace('{"a":3}');
      expect(names(dir, synced)).toEqual(["state.json.tmp", "<folder>"]);
    });

    it("state left by another process is treated as durable: resuming replaces it durably", async () => {
      const dir = tmp();
      await createFileStateStore(dir).replace('{"a":1}');
      const synced: string[] = [];
      const store = createFileStateStore(dir, { onSync: (p) => synced.push(p) });
      expect((await store.load())?.snapshot).toBe('{"a":1}');
      await store.replace('{"a":2}');
      expect(names(dir, synced)).toEqual(["state.json.tmp", "<folder>"]);
    });

    it("an engine run fsyncs nothing before its first restart point and everything it needs at it", async () => {
      const dir = tmp();
      const synced: string[] = [];
      const handlers = createStepHandlerRegistry({ T: (ctx) => Promise.resolve({ exitCode: ctx.step.name === "B" ? 3010 : 0 }) });
      const seq = { kind: "sequence", version: "3.10", globalVariables: [], references: [], items: [step("A"), step("B"), step("C")] } as const;
      const r = await createEngine({ handlers, state: createFileStateStore(dir, { onSync: (p) => synced.push(p) }) }).run(seq, { stopAtRestart: true });
      expect(r.status).toBe("restart-pending");
      expect(names(dir, synced)).toEqual(["state.json", "journal-1.log", "<folder>"]);
    });
  });
});
