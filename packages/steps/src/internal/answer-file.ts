/**
 * The answer file Setup Windows and ConfigMgr runs Windows Setup with (spec/steps.md §10
 * behaviour 4, §21.4, §21.5, §21.11). It lives in `<_SMSTSMDataPath>\AnswerFile`:
 *
 * - `Unattend.xml`: the user's answer file (`OSDConfigFileName`), copied there by Apply Operating
 *   System Image; absent = the default answer file;
 * - `<section>.ini`: fragments the settings steps record (Apply Windows Settings writes
 *   `WindowsSettings.ini`); their entries override `Unattend.xml`.
 *
 * `%VAR%` references are kept as written and substituted only by Setup Windows and ConfigMgr
 * (variables.md §11 rule 9), except in numeric-only fields. Secret values are written sealed
 * ({@link sealAnswerValue}: a token of the run's secret store), so no secret is stored in the files.
 */
import type { StepHandlerContext } from "@taskseq/engine";
import type { ServerLicenseMode, ServerLicensing } from "@taskseq/device";
import { TaskSeqError } from "@taskseq/model";
import { optionalCapability } from "./device.js";
import { dataPath, joinPath } from "./paths.js";
import { parseInteger, parseOneOf } from "./settings.js";
import { unattendSetting } from "./unattend-settings.js";

/** One answer-file entry: a literal value or a reference to a (secret) variable. */
export type AnswerEntry = readonly [key: string, value: string];

/** The name of the user's answer file in {@link answerFileFolder}. */
export const UNATTEND_FILE = "Unattend.xml";

/**
 * **Decision:** the numeric-only fields whose `%VAR%` references Setup Windows and ConfigMgr does not
 * substitute (unattend elements of an integer type), lower case.
 */
const NUMERIC_ONLY_FIELDS: ReadonlySet<string> = new Set(["autousers", "logoncount", "order", "diskid", "partitionid"]);

/** The folder holding the answer-file fragments. */
export function answerFileFolder(ctx: StepHandlerContext): string {
  return joinPath(dataPath(ctx), "AnswerFile");
}

/** Writes `[section]` with the entries to `<folder>\<section>.ini` when the device has `files`; returns the path. */
export async function writeAnswerSection(ctx: StepHandlerContext, section: string, entries: readonly AnswerEntry[]): Promise<string | undefined> {
  const files = optionalCapability(ctx, "files");
  if (files === undefined) return undefined;
  const path = joinPath(answerFileFolder(ctx), `${section}.ini`);
  // A line break inside a value would start a new entry.
  await files.write(path, [`[${section}]`, ...entries.map(([k, v]) => `${k}=${v.replace(/[\r\n]+/g, " ")}`), ""].join("\r\n"));
  return path;
}

/** The answer file as Setup Windows and ConfigMgr reads it, references not yet substituted. */
export interface AnswerFile {
  /** Fragment entries by lower-case key; a later fragment (by file name) wins. */
  readonly entries: ReadonlyMap<string, string>;
  /** The user's `Unattend.xml`, when Apply Operating System Image copied one. */
  readonly unattend?: string;
  /** The fragment file names read, in order. */
  readonly fragments: readonly string[];
}

/** Reads the fragments and the user's answer file (an empty answer file when the device has no `files` or nothing was recorded). */
export async function readAnswerFile(ctx: StepHandlerContext): Promise<AnswerFile> {
  const files = optionalCapability(ctx, "files");
  const folder = answerFileFolder(ctx);
  if (files === undefined || !(await files.exists(folder))) return { entries: new Map(), fragments: [] };
  const names = [...(await files.list(folder))].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  const entries = new Map<string, string>();
  const fragments: string[] = [];
  let unattend: string | undefined;
  for (const name of names) {
    const path = joinPath(folder, name);
    if (name.toLowerCase() === UNATTEND_FILE.toLowerCase()) unattend = await files.readText(path);
    else if (/\.ini$/i.test(name)) {
      fragments.push(name);
      for (const line of (await files.readText(path)).split(/\r?\n/)) {
        const eq = line.indexOf("=");
        if (eq > 0 && !line.startsWith("[") && !line.startsWith(";")) entries.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1));
      }
    }
  }
  return { entries, fragments, ...(unattend === undefined ? {} : { unattend }) };
}

/**
 * A setting of the answer file as written (fragments first, then the value Windows Setup applies
 * from `Unattend.xml`: {@link unattendSetting}); `undefined` when absent. A secret setting's value
 * is secret: never log it.
 */
export function answerSetting(file: AnswerFile, key: string): string | undefined {
  return file.entries.get(key.toLowerCase()) ?? (file.unattend === undefined ? undefined : unattendSetting(file.unattend, key));
}

/** What marks a sealed value in a fragment: the rest of the value is a secret store token. */
const SEALED = "sealed:";

/** A secret as a fragment holds it: sealed in the run's secret store, never the value. */
export async function sealAnswerValue(ctx: StepHandlerContext, value: string): Promise<string> {
  return SEALED + (await ctx.secrets.seal(value));
}

/**
 * The secret of a sealed fragment value; `undefined` for a value that is not sealed. The secret
 * store's `SecretStoreUnavailable` (it lost the token: an in-memory store after the process
 * ended) is passed on. The result is secret: never log it.
 */
export async function unsealAnswerValue(ctx: StepHandlerContext, value: string): Promise<string | undefined> {
  return value.startsWith(SEALED) ? ctx.secrets.unseal(value.slice(SEALED.length)) : undefined;
}

/** The value with its `%VAR%` references substituted, unless `key` is a numeric-only field. The result may hold secret text: never log it. */
export function substituteAnswerValue(ctx: StepHandlerContext, key: string, value: string): string {
  return NUMERIC_ONLY_FIELDS.has(key.toLowerCase()) ? value : ctx.env.expand(value);
}

/** True for a valid NetBIOS computer name: at most 15 characters, no spaces or special characters. */
export function isValidComputerName(name: string): boolean {
  return name !== "" && name.length <= 15 && !/[\\/:*?"<>|,~!@#$^&'(){}_ .\s]/.test(name);
}

/** The server licensing modes (`OSDServerLicenseMode`, Windows Setup's `AutoMode`). */
const SERVER_LICENSE_MODES: readonly ServerLicenseMode[] = ["PerSeat", "PerServer"];

/**
 * The server licensing given as texts (`""` when absent; `names` name the mode and the limit in
 * errors), checked as Windows Setup's `[LicenseFilePrintData]` takes it: `AutoMode` `PerSeat` or
 * `PerServer` (any case), `AutoUsers` (the connection limit) 5–9999 and required in `PerServer`
 * mode only. A limit is checked even without a mode (the console writes `5` by default) but kept
 * only in `PerServer` mode. Anything else is `InvalidSetting`; `{}` when no mode is set.
 */
export function parseServerLicensing(mode: string, limit: string, names: readonly [mode: string, limit: string]): ServerLicensing {
  const connections = limit.trim() === "" ? undefined : parseInteger(limit, names[1], 0, 9999, 5);
  if (mode.trim() === "") return {};
  const serverLicenseMode = parseOneOf(mode, names[0], SERVER_LICENSE_MODES, "PerSeat");
  if (serverLicenseMode === "PerSeat") return { serverLicenseMode };
  if (connections === undefined) throw new TaskSeqError("InvalidSetting", `${names[1]} (5–9999) is required when ${names[0]} is PerServer.`, { details: { setting: names[1] } });
  return { serverLicenseMode, serverLicenseConnectionLimit: connections };
}
