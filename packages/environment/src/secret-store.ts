import { TaskSeqError } from "@taskseq/model";
import type { SecretStore } from "./types.js";

const unavailable = (why: string, cause?: unknown): TaskSeqError =>
  new TaskSeqError("SecretStoreUnavailable", `The secret store cannot unseal this value: ${why}.`, { cause });

/**
 * The default {@link SecretStore}: values stay in this object's memory and the token is a random
 * handle. Serialized state therefore never holds a secret, and it can be restored only in the same
 * process (after a real restart, restore fails with `SecretStoreUnavailable` for secret values).
 *
 * @example
 * ```ts
 * const store = createMemorySecretStore();
 * const token = await store.seal("p@ss"); // "mem:..."
 * await store.unseal(token);               // "p@ss"
 * ```
 */
export function createMemorySecretStore(): SecretStore {
  const values = new Map<string, string>();
  return {
    seal(value) {
      const token = `mem:${globalThis.crypto.randomUUID()}`;
      values.set(token, value);
      return Promise.resolve(token);
    },
    unseal(token) {
      const value = values.get(token);
      return value === undefined ? Promise.reject(unavailable("unknown token")) : Promise.resolve(value);
    },
  };
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * A {@link SecretStore} that encrypts each value with AES-GCM (WebCrypto `globalThis.crypto.subtle`,
 * Node 20 and browsers) under a key the host provides. Token: `aesgcm:` + Base64(12-byte IV ‖
 * ciphertext ‖ tag). It protects state at rest from anyone without the key; it does not protect
 * against code that holds the key or reads the running process.
 *
 * @param key - a 128- or 256-bit raw key, or an AES-GCM `CryptoKey` allowed to encrypt and decrypt
 * @example
 * ```ts
 * const store = createAesGcmSecretStore(crypto.getRandomValues(new Uint8Array(32)));
 * const token = await store.seal("p@ss");
 * await store.unseal(token); // "p@ss"
 * ```
 */
export function createAesGcmSecretStore(key: CryptoKey | Uint8Array<ArrayBuffer>): SecretStore {
  const subtle = globalThis.crypto.subtle;
  if (key instanceof Uint8Array && key.length !== 16 && key.length !== 32) {
    throw new TaskSeqError("InvalidArgument", "An AES-GCM key must be 16 or 32 bytes long.");
  }
  const cryptoKey = key instanceof Uint8Array ? subtle.importKey("raw", key, "AES-GCM", false, ["encrypt", "decrypt"]) : Promise.resolve(key);
  return {
    async seal(value) {
      const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
      const sealed = new Uint8Array(await subtle.encrypt({ name: "AES-GCM", iv }, await cryptoKey, new TextEncoder().encode(value)));
      const token = new Uint8Array(12 + sealed.length);
      token.set(iv);
      token.set(sealed, 12);
      return `aesgcm:${toBase64(token)}`;
    },
    async unseal(token) {
      if (!token.startsWith("aesgcm:")) throw unavailable("not an AES-GCM token");
      let bytes: Uint8Array<ArrayBuffer>;
      try {
        bytes = fromBase64(token.slice(7));
      } catch (cause) {
        throw unavailable("malformed token", cause);
      }
      if (bytes.length < 28) throw unavailable("token too short");
      try {
        const plain = await subtle.decrypt({ name: "AES-GCM", iv: bytes.slice(0, 12) }, await cryptoKey, bytes.slice(12));
        return new TextDecoder().decode(plain);
      } catch (cause) {
        throw unavailable("wrong key or tampered token", cause);
      }
    },
  };
}
