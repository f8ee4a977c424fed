/**
 * Typed settings: a discriminated union of steps on their class name, decoding of `defaultVarList`
 * values and construction of new steps from the catalogue.
 */
import { TaskSeqError } from "./errors.js";
import { deepFreeze } from "./deep-freeze.js";
import type { SettingInfo, SettingListInfo } from "./setting-info.js";
import { getStepTypeInfo } from "./step-catalog.js";
import type { KnownStepType, STEP_CATALOG, StepTypeInfo } from "./step-catalog.js";
import type { ActionVariable, Condition, Item, RunIn, SequenceVersion, Step } from "./types.js";

/** The decoded TypeScript value of one catalogued setting. */
export type SettingValue<S> = S extends { readonly kind: "boolean" }
  ? boolean
  : S extends { readonly kind: "integer" }
    ? number
    : S extends { readonly kind: "enum"; readonly values: readonly (infer V)[] }
      ? V
      : string;

type FieldsOf<F extends readonly SettingInfo[]> = { readonly [S in F[number] as S["property"]]?: SettingValue<S> };
type ListsOf<L> = L extends readonly SettingListInfo[] ? { readonly [E in L[number] as E["name"]]?: readonly FieldsOf<E["fields"]>[] } : object;
type Entry<T extends KnownStepType> = Extract<(typeof STEP_CATALOG)[number], { readonly type: T }>;

/** Decoded settings of each known step type, keyed by class name. */
export type StepSettingsByType = { readonly [T in KnownStepType]: FieldsOf<Entry<T>["settings"]> & ListsOf<Entry<T>["lists"]> };

/** A step whose `type` is the known class `T`. */
export type TypedStep<T extends KnownStepType> = Step & { readonly type: T };

/** Any known step, narrowing on `type`. */
export type KnownStep = { readonly [T in KnownStepType]: TypedStep<T> }[KnownStepType];

/** One decoded setting value. */
export type SettingScalar = string | number | boolean;

/** Decoded settings of a step whose type is only known at run time. */
export type AnyStepSettings = Readonly<Record<string, SettingScalar | readonly Readonly<Record<string, SettingScalar>>[]>>;

/** Options of {@link getSettings}. */
export interface GetSettingsOptions {
  /** Applied to every raw value before decoding (the engine passes `%VAR%` expansion). */
  readonly resolve?: (raw: string) => string;
}

/** Options of {@link createStep}. */
export interface CreateStepOptions {
  /** Step name; defaults to the console name. */
  readonly name?: string;
  /** Description, default `""`. */
  readonly description?: string;
  /** Document version the variables follow: `3.10` (default) writes `hidden` flags, `3.00` MDT names. */
  readonly version?: SequenceVersion;
  /** Default from the catalogue. */
  readonly runIn?: RunIn;
  /** Default from the catalogue. */
  readonly successCodes?: readonly number[];
  /** Default from the catalogue; a whole number from 0 to 4,294,967,295 (`InvalidArgument` otherwise). */
  readonly retryCount?: number;
  /** Timeout in seconds: a whole number from 0 to 4,294,967,295 (`InvalidArgument` otherwise). */
  readonly timeout?: number;
  /** `<action>` text (the command line of an untyped MDT step). */
  readonly action?: string;
  /** Working directory of an untyped MDT step. */
  readonly startIn?: string;
  /** Disabled flag. */
  readonly disabled?: boolean;
  /** Continue on error. */
  readonly continueOnError?: boolean;
  /** Condition. */
  readonly condition?: Condition;
}

/** Largest value of the SDK's UInt32 step properties (`Timeout`, `RetryCount`). */
export const UINT32_MAX = 4_294_967_295;

/** True for a whole number the SDK's UInt32 step properties can hold. */
export function isUInt32(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= UINT32_MAX;
}

/** A decoding result: the value, or why the text is not valid for the setting. */
export type DecodedSetting = { readonly ok: true; readonly value: string | number | boolean | undefined } | { readonly ok: false; readonly reason: string };

const INTEGER = /^[+-]?\d+$/;

/**
 * Decodes one raw value for a setting: booleans and enums case-insensitively (enum aliases such as
 * `%` → `Percent`), integers by the `[+-]digits` grammar; empty text of a non-text kind is absent.
 *
 * @example
 * ```ts
 * decodeSetting({ property: "X", variable: "X", kind: "boolean" }, "True"); // { ok: true, value: true }
 * ```
 */
export function decodeSetting(info: SettingInfo, raw: string): DecodedSetting {
  if (info.kind === "string" || info.kind === "secret") return { ok: true, value: raw };
  const text = raw.trim();
  if (text === "") return { ok: true, value: undefined };
  const lower = text.toLowerCase();
  if (info.kind === "boolean") {
    if (lower === "true" || lower === "false") return { ok: true, value: lower === "true" };
    return { ok: false, reason: "expected true or false" };
  }
  if (info.kind === "integer") return INTEGER.test(text) ? { ok: true, value: Number(text) } : { ok: false, reason: "expected an integer" };
  const alias = Object.entries(info.aliases ?? {}).find(([k]) => k.toLowerCase() === lower)?.[1];
  const match = (info.values ?? []).find((v) => v.toLowerCase() === (alias ?? text).toLowerCase());
  return match === undefined ? { ok: false, reason: `expected one of ${(info.values ?? []).join(", ")}` } : { ok: true, value: match };
}

/** Text form of a typed value. */
function encodeSetting(info: SettingInfo, value: unknown, where: string): string {
  const text = typeof value === "boolean" || typeof value === "number" ? String(value) : value;
  if (typeof text !== "string") throw new TaskSeqError("InvalidArgument", `Setting ${where} must be a ${info.kind}.`, { position: { path: where } });
  const decoded = decodeSetting(info, text);
  if (!decoded.ok) throw new TaskSeqError("InvalidArgument", `Setting ${where}: ${decoded.reason}.`, { position: { path: where } });
  return decoded.value === undefined ? text : String(decoded.value);
}

/** The last entry with the property; else (MDT files) the last one whose property or name is one of `names`. */
function lookup(variables: readonly ActionVariable[], property: string, names: readonly string[] = []): ActionVariable | undefined {
  const key = property.toLowerCase();
  const byProperty = variables.findLast((v) => v.property.toLowerCase() === key);
  if (byProperty !== undefined || names.length === 0) return byProperty;
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  return variables.findLast((v) => wanted.has(v.property.toLowerCase()) || wanted.has(v.name.toLowerCase()));
}

function decodeField(step: Step, info: SettingInfo, property: string, options: GetSettingsOptions, names?: readonly string[]): SettingScalar | undefined {
  const entry = lookup(step.variables, property, names);
  const raw = entry === undefined ? info.default : (options.resolve?.(entry.value) ?? entry.value);
  if (raw === undefined) return undefined;
  const decoded = decodeSetting(info, raw);
  if (decoded.ok) return decoded.value;
  throw new TaskSeqError("InvalidSetting", `Step "${step.name}": setting ${property} is invalid (${decoded.reason}).`, {
    details: { type: step.type, property },
  });
}

function decodeList(step: Step, list: SettingListInfo, options: GetSettingsOptions): Record<string, SettingScalar>[] {
  const out: Record<string, SettingScalar>[] = [];
  for (let i = list.base; ; i++) {
    const prefix = `${list.propertyPrefix}${i}`;
    if (!list.fields.some((f) => lookup(step.variables, prefix + f.property) !== undefined)) return out;
    const record: Record<string, SettingScalar> = {};
    for (const f of list.fields) {
      const value = decodeField(step, f, prefix + f.property, options);
      if (value !== undefined) record[f.property] = value;
    }
    out.push(record);
  }
}

/**
 * The decoded settings of a known step: each catalogued property from its `defaultVarList`
 * entry (the last one when duplicated; MDT entries named by action variable are found too), else
 * the catalogue default; numbered families as arrays.
 * Throws `InvalidArgument` for an unknown type and `InvalidSetting` for a value that does not
 * decode (the message names the property, never the value).
 *
 * @example
 * ```ts
 * if (isStepOfType(step, "SMS_TaskSequence_RebootAction")) getSettings(step).Target; // "HD" | "WinPE" | undefined
 * getSettings(anyStep).MessageTimeout; // string | number | boolean | ... (untyped record)
 * ```
 */
export function getSettings<T extends KnownStepType>(step: TypedStep<T>, options?: GetSettingsOptions): StepSettingsByType[T];
export function getSettings(step: Step, options?: GetSettingsOptions): AnyStepSettings;
export function getSettings(step: Step, options: GetSettingsOptions = {}): AnyStepSettings {
  const info = requireInfo(step.type);
  const result: Record<string, SettingScalar | readonly Readonly<Record<string, SettingScalar>>[]> = {};
  for (const s of info.settings) {
    const value = decodeField(step, s, s.property, options, [s.variable, ...(s.mdtNames ?? [])]);
    if (value !== undefined) result[s.property] = value;
  }
  for (const list of info.lists ?? []) result[list.name] = decodeList(step, list, options);
  return result;
}

function requireInfo(type: string): StepTypeInfo {
  const info = getStepTypeInfo(type);
  if (info === undefined) throw new TaskSeqError("InvalidArgument", `Unknown step type "${type}".`, { details: { type } });
  return info;
}

function variableFor(info: SettingInfo, property: string, name: string, value: string, version: SequenceVersion): ActionVariable {
  const mdt = version === "3.00";
  const variable = mdt ? (info.mdtNames?.[0] ?? name) : name;
  return info.hidden === true && !mdt ? { name: variable, property, value, hidden: true } : { name: variable, property, value };
}

/**
 * Builds a new, deeply frozen step of a known type. Variables follow the catalogue: every given
 * setting plus every setting with a default, as action variables named for the version (3.10
 * names and `hidden` flags, or MDT names for 3.00), in ConfigMgr's order (sorted by property).
 * A `SuccessCodes` setting mirrors the success code list. Missing required settings, unknown
 * settings and values of the wrong kind → `InvalidArgument`.
 *
 * @example
 * ```ts
 * const step = createStep("SMS_TaskSequence_SetVariableAction", { VariableName: "OSDComputerName", VariableValue: "PC01" });
 * ```
 */
export function createStep<T extends KnownStepType>(type: T, settings: StepSettingsByType[T], options: CreateStepOptions = {}): TypedStep<T> {
  const info = requireInfo(type);
  for (const [name, n] of [["timeout", options.timeout], ["retryCount", options.retryCount]] as const) {
    if (n !== undefined && !isUInt32(n)) throw new TaskSeqError("InvalidArgument", `The step's ${name} must be a whole number from 0 to ${UINT32_MAX}, got ${n}.`, { position: { path: name } });
  }
  const version = options.version ?? "3.10";
  const successCodes = options.successCodes ?? info.successCodes;
  const given = settings as Readonly<Record<string, unknown>>;
  const listNames = new Set((info.lists ?? []).map((l) => l.name));
  for (const key of Object.keys(given)) {
    if (!listNames.has(key) && info.settings.every((s) => s.property !== key)) {
      throw new TaskSeqError("InvalidArgument", `Step type ${type || "(untyped)"} has no setting ${key}.`, { position: { path: key } });
    }
  }
  const variables: ActionVariable[] = [];
  for (const s of info.settings) {
    const value = given[s.property] ?? (s.property === "SuccessCodes" ? successCodes.join(" ") : s.default);
    if (value === undefined) {
      if (s.required === true) throw new TaskSeqError("InvalidArgument", `Setting ${s.property} is required by ${type}.`, { position: { path: s.property } });
      continue;
    }
    variables.push(variableFor(s, s.property, s.variable, encodeSetting(s, value, s.property), version));
  }
  for (const list of info.lists ?? []) {
    const entries = (given[list.name] ?? []) as readonly Readonly<Record<string, unknown>>[];
    entries.forEach((entry, index) => {
      const i = index + list.base;
      for (const f of list.fields) {
        const property = `${list.propertyPrefix}${i}${f.property}`;
        const value = entry[f.property];
        if (value === undefined) {
          if (f.required === true) throw new TaskSeqError("InvalidArgument", `Setting ${property} is required.`, { position: { path: property } });
          continue;
        }
        variables.push(variableFor(f, property, `${list.variablePrefix}${i}${f.variable}`, encodeSetting(f, value, property), version));
      }
    });
  }
  if (version !== "3.00") variables.sort((a, b) => (a.property.toLowerCase() < b.property.toLowerCase() ? -1 : a.property.toLowerCase() > b.property.toLowerCase() ? 1 : 0));
  const step: Step = {
    kind: "step",
    element: info.element,
    type,
    name: options.name ?? info.consoleName,
    description: options.description ?? "",
    disabled: options.disabled ?? false,
    continueOnError: options.continueOnError ?? false,
    successCodes,
    runIn: options.runIn ?? info.runIn,
    retryCount: options.retryCount ?? info.retryCount,
    runFromNet: false,
    variables,
    ...(options.condition === undefined ? {} : { condition: options.condition }),
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    ...(options.action === undefined ? {} : { action: options.action }),
    ...(options.startIn === undefined ? {} : { startIn: options.startIn }),
  };
  return deepFreeze(step) as TypedStep<T>;
}

/**
 * Narrows a step to {@link KnownStep} when its type is catalogued (exact class spelling).
 *
 * @example
 * ```ts
 * if (isKnownStep(step) && step.type === "SMS_TaskSequence_RunCommandLineAction") getSettings(step).CommandLine;
 * ```
 */
export function isKnownStep(step: Step): step is KnownStep {
  return getStepTypeInfo(step.type)?.type === step.type;
}

/**
 * Narrows a step to {@link TypedStep} when its class name is exactly `type`.
 *
 * @example
 * ```ts
 * if (isStepOfType(step, "SMS_TaskSequence_SetVariableAction")) getSettings(step).VariableName;
 * ```
 */
export function isStepOfType<T extends KnownStepType>(step: Item, type: T): step is TypedStep<T> {
  return step.kind === "step" && step.type === type;
}
