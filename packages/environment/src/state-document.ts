import { quoteVariableName, TaskSeqError } from "@taskseq/model";
import type { SecretStore, VariableLayer } from "./types.js";

/** Format tag of a serialized environment. */
export const ENVIRONMENT_STATE_FORMAT = "taskseq-environment";
/** The only version this build reads and writes. */
export const ENVIRONMENT_STATE_VERSION = 1;
/** Format tag of a change document (the variables changed after a journal mark). */
export const ENVIRONMENT_CHANGES_FORMAT = "taskseq-environment-changes";

/** A variable (or layer contribution) in clear, as the environment holds it. */
export interface StateVariable {
  /** Display name. */
  readonly name: string;
  /** Value (real, even when secret). */
  readonly value: string;
  /** True when secret. */
  readonly secret: boolean;
  /** Layer. */
  readonly layer: VariableLayer;
  /** Collection ID for collection contributions. */
  readonly source?: string;
}

/** Everything the environment persists. */
export interface StateContent {
  /** Journal position. */
  readonly seq: number;
  /** Global variables. */
  readonly variables: readonly StateVariable[];
  /** Initial-layer contributions, lowest first (for `explain`). */
  readonly contributions: readonly StateVariable[];
  /** Every value that has been secret during the run (redaction filter). */
  readonly redaction: readonly string[];
}

const LAYERS: ReadonlySet<string> = new Set<VariableLayer>(["step", "builtin-default", "sequence", "collection", "device", "media", "runtime", "engine"]);

/**
 * True when a value names a {@link VariableLayer} (for readers of persisted state).
 *
 * @example
 * ```ts
 * isVariableLayer("runtime"); // true
 * isVariableLayer("kernel"); // false
 * ```
 */
export function isVariableLayer(value: unknown): value is VariableLayer {
  return typeof value === "string" && LAYERS.has(value);
}

const corrupt = (why: string, cause?: unknown): TaskSeqError =>
  new TaskSeqError("StateCorrupt", `The serialized environment is not valid: ${why}.`, { cause });

/** True when `value` holds any of the secret values (a non-secret built from a secret, e.g. `copy of %Pw%`). */
const embedsSecret = (value: string, secrets: readonly string[]): boolean => secrets.some((s) => s !== "" && value.includes(s));

async function sealVariable(v: StateVariable, store: SecretStore, secrets: readonly string[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { name: v.name, layer: v.layer };
  if (v.source !== undefined) out.source = v.source;
  if (v.secret) {
    out.secret = true;
    out.sealed = await store.seal(v.value);
  } else if (embedsSecret(v.value, secrets)) out.sealedValue = await store.seal(v.value);
  else out.value = v.value;
  return out;
}

/**
 * Writes the versioned JSON document of an environment. Secret values are replaced by tokens of
 * the {@link SecretStore}; no secret value is ever written in clear.
 */
export async function writeStateDocument(content: StateContent, store: SecretStore): Promise<string> {
  const variables = await Promise.all(content.variables.map((v) => sealVariable(v, store, content.redaction)));
  const contributions = await Promise.all(content.contributions.map((v) => sealVariable(v, store, content.redaction)));
  const redaction = await Promise.all(content.redaction.map((v) => store.seal(v)));
  return JSON.stringify({ format: ENVIRONMENT_STATE_FORMAT, version: ENVIRONMENT_STATE_VERSION, seq: content.seq, variables, contributions, redaction });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

async function readVariable(raw: unknown, store: SecretStore): Promise<StateVariable> {
  if (!isRecord(raw) || typeof raw.name !== "string" || !isVariableLayer(raw.layer)) {
    throw corrupt("a variable entry lacks a name or a known layer");
  }
  const layer = raw.layer as VariableLayer;
  const source = typeof raw.source === "string" ? raw.source : undefined;
  if (raw.secret === true) {
    if (typeof raw.sealed !== "string") throw corrupt(`secret variable ${quoteVariableName(raw.name)} has no sealed value`);
    return { name: raw.name, value: await store.unseal(raw.sealed), secret: true, layer, source };
  }
  if (typeof raw.sealedValue === "string") return { name: raw.name, value: await store.unseal(raw.sealedValue), secret: false, layer, source };
  if (typeof raw.value !== "string") throw corrupt(`variable ${quoteVariableName(raw.name)} has no value`);
  return { name: raw.name, value: raw.value, secret: false, layer, source };
}

/**
 * Reads a document written by {@link writeStateDocument}. Throws `StateCorrupt` for malformed input
 * or an unknown/newer version, `SecretStoreUnavailable` when a secret cannot be unsealed.
 */
export async function readStateDocument(text: string, store: SecretStore): Promise<StateContent> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw corrupt("not JSON", cause);
  }
  if (!isRecord(doc) || doc.format !== ENVIRONMENT_STATE_FORMAT) throw corrupt("not a taskseq environment document");
  if (doc.version !== ENVIRONMENT_STATE_VERSION) throw corrupt(`unsupported version ${JSON.stringify(doc.version)} (this build reads ${ENVIRONMENT_STATE_VERSION})`);
  const { seq, variables, contributions, redaction } = doc;
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 0) throw corrupt("bad journal position");
  if (!Array.isArray(variables) || !Array.isArray(contributions) || !Array.isArray(redaction)) throw corrupt("missing lists");
  if (!redaction.every((t): t is string => typeof t === "string")) throw corrupt("bad redaction list");
  return {
    seq,
    variables: await Promise.all(variables.map((v: unknown) => readVariable(v, store))),
    contributions: await Promise.all(contributions.map((v: unknown) => readVariable(v, store))),
    redaction: await Promise.all(redaction.map((t) => store.unseal(t))),
  };
}

/** The variables changed after a journal mark, in clear. */
export interface ChangesContent {
  /** The mark the changes follow. */
  readonly from: number;
  /** The journal position after the changes. */
  readonly seq: number;
  /** Current state of every changed global that exists. */
  readonly variables: readonly StateVariable[];
  /** Display names of changed globals that no longer exist. */
  readonly deleted: readonly string[];
  /** Values that became secret after the mark (redaction filter). */
  readonly redaction: readonly string[];
  /** When writing: every secret value known so far, so that a changed value embedding one is sealed. */
  readonly knownSecrets?: readonly string[];
}

/** Writes a change document; secret values are sealed like in {@link writeStateDocument}. */
export async function writeChangesDocument(content: ChangesContent, store: SecretStore): Promise<string> {
  const variables = await Promise.all(content.variables.map((v) => sealVariable(v, store, content.knownSecrets ?? content.redaction)));
  const redaction = await Promise.all(content.redaction.map((v) => store.seal(v)));
  return JSON.stringify({
    format: ENVIRONMENT_CHANGES_FORMAT,
    version: ENVIRONMENT_STATE_VERSION,
    from: content.from,
    seq: content.seq,
    variables,
    deleted: content.deleted,
    redaction,
  });
}

/** Reads a document written by {@link writeChangesDocument}; same errors as {@link readStateDocument}. */
export async function readChangesDocument(text: string, store: SecretStore): Promise<ChangesContent> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw corrupt("not JSON", cause);
  }
  if (!isRecord(doc) || doc.format !== ENVIRONMENT_CHANGES_FORMAT) throw corrupt("not a taskseq environment change document");
  if (doc.version !== ENVIRONMENT_STATE_VERSION) throw corrupt(`unsupported version ${JSON.stringify(doc.version)} (this build reads ${ENVIRONMENT_STATE_VERSION})`);
  const { from, seq, variables, deleted, redaction } = doc;
  const isPosition = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
  if (!isPosition(from) || !isPosition(seq) || seq < from) throw corrupt("bad journal positions");
  if (!Array.isArray(variables) || !Array.isArray(deleted) || !Array.isArray(redaction)) throw corrupt("missing lists");
  if (!deleted.every((n): n is string => typeof n === "string")) throw corrupt("bad deleted list");
  if (!redaction.every((t): t is string => typeof t === "string")) throw corrupt("bad redaction list");
  return {
    from,
    seq,
    variables: await Promise.all(variables.map((v: unknown) => readVariable(v, store))),
    deleted,
    redaction: await Promise.all(redaction.map((t) => store.unseal(t))),
  };
}
