import { isTaskSeqError } from "@taskseq/model";
import { describe, expect, it } from "vitest";
import { createAesGcmSecretStore, createEnvironment, createMemorySecretStore, ENVIRONMENT_STATE_VERSION } from "@taskseq/environment";

const key = new Uint8Array(32).map((_, i) => i * 7 + 1);

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

describe("serialize / restore", () => {
  it("round-trips globals, display names, layers, secrets and the journal position, never the local defaults", async () => {
    const { env, engine } = createEnvironment({ secretStore: createAesGcmSecretStore(key) });
    engine.applyLayers({ builtinDefaults: [], collections: [{ id: "C1", priority: 3, variables: [{ name: "Site", value: "East" }] }], device: [{ name: "SITE", value: "West" }] });
    engine.set("_SMSTSLogPath", "X:\\Windows\\Temp\\SMSTSLog");
    env.set("OSDJoinPassword", "J0in-Secret!");
    env.set("Old", "gone-secret", { secret: true });
    env.delete("Old");
    engine.pushStepDefaults("s", [{ name: "WorkingDirectory", value: "C:\\" }]);
    const text = await engine.serialize();
    expect(text).not.toContain("J0in-Secret!");
    expect(text).not.toContain("gone-secret");
    expect(text).not.toContain("WorkingDirectory");

    const restored = createEnvironment({ secretStore: createAesGcmSecretStore(key) });
    await restored.engine.restore(text);
    const r = restored.env;
    expect(r.GetVariables()).toEqual(["OSDJoinPassword", "Site", "_SMSTSLogPath"]);
    expect(r.get("OSDJoinPassword")).toBe("J0in-Secret!");
    expect(r.isSecret("OSDJoinPassword")).toBe(true);
    expect(r.explain("site")).toMatchObject({ value: "West", layer: "device", overridden: [{ layer: "collection", source: "C1", value: "East" }] });
    expect(r.mark()).toBe(env.mark());
    expect(r.redact("x gone-secret")).toBe("x ********");
    expect(r.size).toBe(env.size - ("WorkingDirectory".length + 3) * 2);
  });

  it("reads after a restore into the same environment see the restored variables, not those read before it", async () => {
    const { env, engine } = createEnvironment();
    env.set("Kept", "1");
    const saved = await engine.serialize();
    env.delete("Kept");
    env.set("Later", "2");
    expect([env.get("kept"), env.get("LATER")]).toEqual([undefined, "2"]);
    await engine.restore(saved);
    expect([env.get("kept"), env.get("LATER")]).toEqual(["1", undefined]);
  });

  it("seals a non-secret value that embeds a secret, in snapshots and in change documents", async () => {
    const { env, engine } = createEnvironment({ secretStore: createAesGcmSecretStore(key) });
    env.set("OSDJoinPassword", "J0in-Secret!");
    const mark = env.mark();
    env.set("Note", `copy of ${env.get("OSDJoinPassword")}`);
    const snapshot = await engine.serialize();
    const changes = await engine.serializeChanges(mark);
    for (const text of [snapshot, changes]) expect(text).not.toContain("J0in-Secret!");

    const restored = createEnvironment({ secretStore: createAesGcmSecretStore(key) });
    await restored.engine.restore(snapshot);
    expect(restored.env.get("Note")).toBe("copy of J0in-Secret!");
    expect(restored.env.isSecret("Note")).toBe(false);
  });

  it("writes the documented envelope", async () => {
    const { engine } = createEnvironment();
    const doc: unknown = JSON.parse(await engine.serialize());
    expect(doc).toMatchObject({ format: "taskseq-environment", version: ENVIRONMENT_STATE_VERSION });
  });

  it("refuses a newer version, bad JSON and malformed entries with StateCorrupt and leaves the state unchanged", async () => {
    const { env, engine } = createEnvironment();
    env.set("Keep", "me");
    const good = JSON.parse(await engine.serialize()) as Record<string, unknown>;
    const bad = [
      "{not json",
      JSON.stringify({ ...good, version: 2 }),
      JSON.stringify({ ...good, format: "other" }),
      JSON.stringify({ ...good, seq: -1 }),
      JSON.stringify({ ...good, variables: [{ name: "A" }] }),
      JSON.stringify({ ...good, variables: [{ name: "A", layer: "nowhere", value: "1" }] }),
      JSON.stringify({ ...good, variables: [{ name: "A", layer: "runtime", secret: true }] }),
      JSON.stringify({ ...good, redaction: [1] }),
      JSON.stringify({ ...good, contributions: null }),
    ];
    for (const text of bad) expect(isTaskSeqError(await rejection(engine.restore(text)), "StateCorrupt")).toBe(true);
    expect(isTaskSeqError(await rejection(engine.restore(JSON.stringify({ ...good, variables: [{ name: "Bad Name", layer: "runtime", value: "1" }] }))), "InvalidVariableName")).toBe(true);
    expect(env.get("Keep")).toBe("me");
  });

  it("fails with SecretStoreUnavailable when the key is wrong or the memory store is gone", async () => {
    const { env, engine } = createEnvironment({ secretStore: createAesGcmSecretStore(key) });
    env.set("AdminPassword", "pw-123");
    const text = await engine.serialize();
    const wrong = createEnvironment({ secretStore: createAesGcmSecretStore(new Uint8Array(32)) });
    expect(isTaskSeqError(await rejection(wrong.engine.restore(text)), "SecretStoreUnavailable")).toBe(true);
    const mem = createEnvironment();
    mem.env.set("AdminPassword", "pw-123");
    const memText = await mem.engine.serialize();
    expect(isTaskSeqError(await rejection(createEnvironment().engine.restore(memText)), "SecretStoreUnavailable")).toBe(true);
    const same = createEnvironment();
    await mem.engine.restore(memText);
    expect(mem.env.get("AdminPassword")).toBe("pw-123");
    expect(same.env.has("AdminPassword")).toBe(false);
  });
});

describe("serializeChanges / applyChanges", () => {
  it("persists only what changed after a mark, secrets sealed, and replays on top of a snapshot", async () => {
    const store = createAesGcmSecretStore(key);
    const { env, engine } = createEnvironment({ secretStore: store });
    engine.applyLayers({ builtinDefaults: [] });
    env.set("Keep", "same");
    env.set("Gone", "soon");
    env.set("Token", "old-secret", { secret: true });
    const snapshot = await engine.serialize();
    const mark = env.mark();
    env.set("New", "1");
    env.delete("Gone");
    env.delete("Token");
    env.set("Token", "now-plain");
    env.set("BitLockerPassword", "Bl-Secret9");
    env.set("Temp", "x");
    env.delete("Temp");
    const delta = await engine.serializeChanges(mark);
    expect(delta).not.toContain("Bl-Secret9");
    expect(delta).not.toContain("Keep");
    const parsed = JSON.parse(delta) as { variables: { name: string }[]; deleted: string[] };
    expect(parsed.variables.map((v) => v.name).sort()).toEqual(["BitLockerPassword", "New", "Token"]);
    expect(parsed.deleted.sort()).toEqual(["GONE", "TEMP"]);

    const other = createEnvironment({ secretStore: store });
    await other.engine.restore(snapshot);
    await other.engine.applyChanges(delta);
    expect(other.env.GetVariables()).toEqual(env.GetVariables());
    expect(other.env.isSecret("Token")).toBe(false);
    expect(other.env.isSecret("BitLockerPassword")).toBe(true);
    expect(other.env.mark()).toBe(env.mark());
    expect(other.env.redact("a old-secret b Bl-Secret9")).toBe("a ******** b ********");
    expect(isTaskSeqError(await rejection(other.engine.applyChanges(delta)), "StateCorrupt")).toBe(true);
  });

  it("refuses a mark the journal no longer holds", async () => {
    const { env, engine } = createEnvironment();
    env.set("A", "1");
    const mark = env.mark();
    env.set("B", "2");
    engine.compactJournal(env.mark());
    expect(isTaskSeqError(await rejection(engine.serializeChanges(mark - 1)), "InvalidOperation")).toBe(true);
    expect(isTaskSeqError(await rejection(engine.serializeChanges(env.mark() + 1)), "InvalidOperation")).toBe(true);
    expect(JSON.parse(await engine.serializeChanges(env.mark()))).toMatchObject({ variables: [], deleted: [] });
  });

  it("refuses malformed change documents", async () => {
    const { engine } = createEnvironment();
    const good = JSON.parse(await engine.serializeChanges(0)) as Record<string, unknown>;
    for (const bad of ["[", JSON.stringify({ ...good, format: "x" }), JSON.stringify({ ...good, version: 9 }), JSON.stringify({ ...good, seq: -2 }), JSON.stringify({ ...good, deleted: [3] }), JSON.stringify({ ...good, redaction: {} })]) {
      expect(isTaskSeqError(await rejection(engine.applyChanges(bad)), "StateCorrupt")).toBe(true);
    }
  });
});

describe("secret stores", () => {
  it("AES-GCM tokens differ per seal, round-trip, and reject tampering and foreign tokens", async () => {
    const store = createAesGcmSecretStore(key);
    const a = await store.seal("value");
    const b = await store.seal("value");
    expect(a).not.toBe(b);
    expect(await store.unseal(a)).toBe("value");
    const tampered = `${a.slice(0, -4)}AAAA`;
    expect(isTaskSeqError(await rejection(store.unseal(tampered)), "SecretStoreUnavailable")).toBe(true);
    expect(isTaskSeqError(await rejection(store.unseal("mem:x")), "SecretStoreUnavailable")).toBe(true);
    expect(isTaskSeqError(await rejection(store.unseal("aesgcm:%%%")), "SecretStoreUnavailable")).toBe(true);
    expect(isTaskSeqError(await rejection(store.unseal("aesgcm:AAAA")), "SecretStoreUnavailable")).toBe(true);
  });

  it("accepts a CryptoKey and refuses a raw key of the wrong length", async () => {
    const cryptoKey = await globalThis.crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
    const store = createAesGcmSecretStore(cryptoKey);
    expect(await store.unseal(await store.seal("k"))).toBe("k");
    expect(() => createAesGcmSecretStore(new Uint8Array(5))).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
  });

  it("memory store tokens never contain the value", async () => {
    const store = createMemorySecretStore();
    const token = await store.seal("secret-value");
    expect(token).not.toContain("secret-value");
    expect(await store.unseal(token)).toBe("secret-value");
  });
});
