/**
 * A {@link SecretStore} whose tokens survive the process (variables.md §12 "protect secret
 * values at rest"): AES-GCM with a 256-bit key taken from the `TASKSEQ_STATE_KEY` environment
 * variable (base64) or, when unset, from `state.key` in the state folder (created with mode
 * 0600 on first use).
 *
 * What it protects: state files copied or read without the key (log collections, backups,
 * support bundles). What it does not: anyone who can read the key file or the process
 * environment; keep the key elsewhere (`TASKSEQ_STATE_KEY`) when that matters.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createAesGcmSecretStore, type SecretStore } from "@taskseq/environment";
import { TaskSeqError } from "@taskseq/model";
import { ensureFolder } from "./ensure-folder.js";

function loadKey(dir: string, envKey: string | undefined): Uint8Array<ArrayBuffer> {
  if (envKey !== undefined && envKey !== "") {
    const key = new Uint8Array(Buffer.from(envKey, "base64"));
    if (key.length !== 32) throw new TaskSeqError("SecretStoreUnavailable", "TASKSEQ_STATE_KEY must be 32 bytes, base64-encoded.");
    return key;
  }
  const path = join(dir, "state.key");
  try {
    const key = new Uint8Array(readFileSync(path));
    if (key.length !== 32) throw new TaskSeqError("SecretStoreUnavailable", `${path} is not a 32-byte key.`);
    return key;
  } catch (e) {
    // ENOTDIR: a file where the folder should be, which ensureFolder reports.
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "ENOTDIR") throw e;
  }
  ensureFolder(dir, "the state folder");
  const key = new Uint8Array(randomBytes(32));
  writeFileSync(path, key, { mode: 0o600, flag: "wx" });
  return key;
}

/**
 * Creates the secret store for runs whose state lives in `dir`.
 *
 * @example
 * ```ts
 * const engine = createEngine({ state: createFileStateStore(dir), secretStore: createFileSecretStore(dir) });
 * ```
 */
export function createFileSecretStore(dir: string, env: Readonly<Record<string, string | undefined>> = process.env): SecretStore {
  return createAesGcmSecretStore(loadKey(dir, env["TASKSEQ_STATE_KEY"]));
}
