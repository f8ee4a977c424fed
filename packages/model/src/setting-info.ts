/**
 * The shape of one step setting in the catalogue (spec/steps.md §3 columns) and the helpers that
 * declare settings with literal types, so typed settings can be derived from the data.
 */

/** How a setting's text value is decoded. */
export type SettingKind = "string" | "boolean" | "integer" | "enum" | "secret";

/** Optional facts about a setting. */
export interface SettingOptions {
  /** Names older MDT files use for the action variable (e.g. `Target` for `SMSRebootTarget`). */
  readonly mdtNames?: readonly string[];
  /** Written `hidden="true"` in ConfigMgr 3.10 exports. */
  readonly hidden?: boolean;
  /** *fixed*: a global of the same name does not override it (variables.md §8). */
  readonly fixed?: boolean;
  /** The step cannot run without it. */
  readonly required?: boolean;
  /** The default value as text, exactly as a writer stores it. */
  readonly default?: string;
  /** Alternative spellings of enum values (`%` → `Percent`), matched case-insensitively. */
  readonly aliases?: Readonly<Record<string, string>>;
}

/** One setting of a step type: the `property` and `name` of a `defaultVarList` entry. */
export interface SettingInfo extends SettingOptions {
  /** The step class property (XML `property`). */
  readonly property: string;
  /** The action variable (XML `name`) ConfigMgr 3.10 writes. */
  readonly variable: string;
  /** Value kind. */
  readonly kind: SettingKind;
  /** Allowed values of an `enum` setting, canonical spelling (matched case-insensitively). */
  readonly values?: readonly string[];
}

/**
 * A numbered family of settings such as `Partitions<i>Type` → `OSDPartitions<i>Type`: decoded as
 * an array of records under {@link SettingListInfo.name}.
 */
export interface SettingListInfo {
  /** Key of the decoded array in typed settings (`PartitionList`). */
  readonly name: string;
  /** Property prefix before the index (`Partitions`). */
  readonly propertyPrefix: string;
  /** Action variable prefix before the index (`OSDPartitions`). */
  readonly variablePrefix: string;
  /** First index (0 for ConfigMgr arrays). */
  readonly base: number;
  /** Per-entry fields; their `property` and `variable` are the suffixes after the index. */
  readonly fields: readonly SettingInfo[];
}

type Setting<P extends string, K extends SettingKind, O extends SettingOptions> = { readonly property: P; readonly variable: string; readonly kind: K } & O;

function make<const P extends string, K extends SettingKind, const O extends SettingOptions>(property: P, variable: string, kind: K, options: O): Setting<P, K, O> {
  return { property, variable, kind, ...options };
}

/** Declares a text setting. */
export function textSetting<const P extends string, const O extends SettingOptions = object>(property: P, variable: string = property, options: O = {} as O): Setting<P, "string", O> {
  return make(property, variable, "string", options);
}

/** Declares a secret text setting (never logged or exported in clear when set through the SDK). */
export function secretSetting<const P extends string, const O extends SettingOptions = object>(property: P, variable: string = property, options: O = {} as O): Setting<P, "secret", O> {
  return make(property, variable, "secret", options);
}

/** Declares a boolean setting (`true`/`false`, any case). */
export function booleanSetting<const P extends string, const O extends SettingOptions = object>(property: P, variable: string = property, options: O = {} as O): Setting<P, "boolean", O> {
  return make(property, variable, "boolean", options);
}

/** Declares an integer setting. */
export function integerSetting<const P extends string, const O extends SettingOptions = object>(property: P, variable: string = property, options: O = {} as O): Setting<P, "integer", O> {
  return make(property, variable, "integer", options);
}

/** Declares an enumerated setting whose values are matched case-insensitively. */
export function enumSetting<const P extends string, const V extends readonly string[], const O extends SettingOptions = object>(
  property: P,
  variable: string,
  values: V,
  options: O = {} as O,
): Setting<P, "enum", O> & { readonly values: V } {
  return { ...make(property, variable, "enum", options), values };
}
