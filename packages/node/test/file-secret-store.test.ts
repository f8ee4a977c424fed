import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFileSecretStore } from "@taskseq/node";
import { tempDir } from "../../../test/helpers/temp-dir.js";

describe("createFileSecretStore", () => {
  it("seals with a key kept in the state folder, so another process can unseal", async () => {
    const dir = tempDir("taskseq-key-");
    const token = await createFileSecretStore(dir, {}).seal("P@ssw0rd!");
    expect(token).not.toContain("P@ssw0rd!");
    expect(await createFileSecretStore(dir, {}).unseal(token)).toBe("P@ssw0rd!");
    expect(readFileSync(join(dir, "state.key")).length).toBe(32);
    expect(statSync(join(dir, "state.key")).mode & 0o077).toBe(0);
  });

  it("prefers TASKSEQ_STATE_KEY and rejects a malformed one", async () => {
    const dir = tempDir("taskseq-key-");
    const key = Buffer.alloc(32, 7).toString("base64");
    const token = await createFileSecretStore(dir, { TASKSEQ_STATE_KEY: key }).seal("x");
    expect(await createFileSecretStore(tempDir("taskseq-key-other-"), { TASKSEQ_STATE_KEY: key }).unseal(token)).toBe("x");
    await expect(createFileSecretStore(dir, {}).unseal(token)).rejects.toMatchObject({ code: "SecretStoreUnavailable" });
    expect(() => createFileSecretStore(dir, { TASKSEQ_STATE_KEY: "c2hvcnQ=" })).toThrow(/32 bytes/);
  });
});
