/**
 * The immutable task sequence object model (DESIGN.md §1, spec/xml-format.md, spec/steps.md,
 * spec/conditions.md). Every value is deeply frozen; edit through the operations in `edit.ts`.
 *
 * Lossless import: each node may carry {@link XmlTrivia} describing how it was written in its
 * source document (attribute spelling and order, unknown attributes and elements, child order).
 * Writers use trivia for nodes whose modelled value still equals the source's, and the
 * version's default rules for everything else.
 */

/** `<sequence version>`: `3.00` (MDT/PSD) or `3.10` (ConfigMgr); anything else is kept as written. */
export type SequenceVersion = "3.00" | "3.10" | (string & {});

/** Where a step may run (`runIn`). */
export type RunIn = "WinPE" | "FullOS" | "WinPEandFullOS";

/** A generic XML element kept verbatim (unknown elements, `<osConditionGroup>` internals, ...). */
export interface XmlElementNode {
  /** Discriminator. */
  readonly kind: "element";
  /** Element name as written. */
  readonly name: string;
  /** Attributes in source order. */
  readonly attributes: readonly (readonly [string, string])[];
  /** Child nodes in source order. */
  readonly children: readonly XmlNode[];
}

/** Text inside a verbatim element. */
export interface XmlTextNode {
  /** Discriminator. */
  readonly kind: "text";
  /** The character data (entities already decoded). */
  readonly text: string;
  /** True when the source used a CDATA section. */
  readonly cdata?: boolean;
}

/** A node of verbatim XML. */
export type XmlNode = XmlElementNode | XmlTextNode;

/**
 * How a node was written in its source document. Owned by `@taskseq/xml`; other code treats it
 * as opaque and never needs to create it.
 */
export interface XmlTrivia {
  /** Every attribute exactly as written, in source order (raw decoded values). */
  readonly attributes: readonly (readonly [string, string])[];
  /**
   * The element's children in source order, as tokens: a known child is named by its role
   * (`"condition"`, `"action"`, `"defaultVarList"`, `"item:<n>"`, `"globalVarList"`, ...);
   * an unknown child is kept in {@link XmlTrivia.unknown} and named `"unknown:<n>"`.
   */
  readonly order: readonly string[];
  /** Unknown child elements, referenced from {@link XmlTrivia.order}. */
  readonly unknown: readonly XmlElementNode[];
  /** Writer hints: for example the raw text of a value whose decoded form is modelled. */
  readonly extra?: Readonly<Record<string, string>>;
}

/** One `<variable name property [hidden]>value</variable>` entry of a `defaultVarList` or `globalVarList`. */
export interface ActionVariable {
  /** The task sequence variable name (`OSDDiskIndex`); the action variable. */
  readonly name: string;
  /** The step class property it holds (`DiskIndex`). Settings are identified by property. */
  readonly property: string;
  /** The value, exactly as written (may be empty). */
  readonly value: string;
  /** `hidden="true"` in 3.10 files: an internal or secret setting. */
  readonly hidden?: boolean;
  /** Lossless record of the source element. */
  readonly trivia?: XmlTrivia;
}

/** `<variable name="Property">value</variable>` inside an `<expression>`. */
export interface ExpressionProperty {
  /** Property name (`Variable`, `Operator`, `Value`, `Query`, ...). */
  readonly name: string;
  /** Value exactly as written. */
  readonly value: string;
  /** Lossless record of the source element. */
  readonly trivia?: XmlTrivia;
}

/** A condition expression (`<expression type="...">`). */
export interface ConditionExpression {
  /** Discriminator. */
  readonly kind: "expression";
  /** Class name, e.g. `SMS_TaskSequence_VariableConditionExpression`. Unknown types are kept. */
  readonly type: string;
  /** Properties in source order. Look them up by name, case-sensitively as written by ConfigMgr. */
  readonly properties: readonly ExpressionProperty[];
  /** Lossless record of the source element. */
  readonly trivia?: XmlTrivia;
}

/** An if statement (`<operator type="and|or|not">`): all / any / none of its operands. */
export interface ConditionOperator {
  /** Discriminator. */
  readonly kind: "operator";
  /** `and`, `or` or `not`, in the case it was written (matched case-insensitively). */
  readonly operator: string;
  /** Operands in document order. */
  readonly operands: readonly ConditionNode[];
  /** Lossless record of the source element. */
  readonly trivia?: XmlTrivia;
}

/**
 * A ConfigMgr OS condition group (`<osConditionGroup type="or">` of `<osExpressionGroup>`s).
 * Evaluation uses only the WMI expressions inside; everything else is preserved verbatim.
 */
export interface OsConditionGroup {
  /** Discriminator. */
  readonly kind: "osConditionGroup";
  /** The platforms: each matches when all of its expressions are true. */
  readonly groups: readonly OsExpressionGroup[];
  /** Lossless record of the source element. */
  readonly trivia?: XmlTrivia;
}

/** One `<osExpressionGroup>` (a platform) of an {@link OsConditionGroup}. */
export interface OsExpressionGroup {
  /** Display name, e.g. "All x64 Windows 10 and higher Clients". */
  readonly name: string;
  /** The WMI expressions that must all return rows. */
  readonly expressions: readonly ConditionExpression[];
  /** Lossless record of the source element. */
  readonly trivia?: XmlTrivia;
}

/** A node of a condition tree. */
export type ConditionNode = ConditionExpression | ConditionOperator | OsConditionGroup;

/** `<condition>`: its operands are combined with AND. An empty condition is true. */
export interface Condition {
  /** Operands, combined with AND. */
  readonly operands: readonly ConditionNode[];
  /** Lossless record of the source element. */
  readonly trivia?: XmlTrivia;
}

/** Options shared by steps and groups (spec/steps.md §1.1). */
export interface ItemBase {
  /** Name, 1–100 characters (the validator warns above 50). */
  readonly name: string;
  /** Description, 0–256 characters (the validator warns above 255). */
  readonly description: string;
  /** `disable="true"`: skipped without evaluating the condition. */
  readonly disabled: boolean;
  /** `continueOnError="true"`. */
  readonly continueOnError: boolean;
  /** The item's condition; absent means "always run". */
  readonly condition?: Condition;
  /** Lossless record of the source element. */
  readonly trivia?: XmlTrivia;
}

/** A group (`<group>`, `SMS_TaskSequence_Group`). */
export interface Group extends ItemBase {
  /** Discriminator. */
  readonly kind: "group";
  /** Children in execution order. */
  readonly children: readonly Item[];
  /** MDT's console `expand` flag (UI only; 3.00). */
  readonly expand?: boolean;
}

/**
 * A step (`<step>` or `<subtasksequence>`). Settings live in {@link Step.variables}, identified
 * by `property`; typed accessors for every known step type are in `step-types.ts`.
 */
export interface Step extends ItemBase {
  /** Discriminator. */
  readonly kind: "step";
  /** The XML element: `subtasksequence` for Run Task Sequence as ConfigMgr writes it. */
  readonly element: "step" | "subtasksequence";
  /**
   * Step class (`SMS_TaskSequence_RunCommandLineAction`, `BDD_Gather`, ...). The empty string is an
   * untyped MDT command step (spec/steps.md §22.1). Unknown types are kept with all their data.
   */
  readonly type: string;
  /** Success codes (`successCodeList`), default `[0, 3010]`. */
  readonly successCodes: readonly number[];
  /** Supported environment (`runIn`), default `WinPEandFullOS`. */
  readonly runIn: RunIn;
  /** Timeout in seconds; absent = none. */
  readonly timeout?: number;
  /** Retries after an unexpected restart, default 0. */
  readonly retryCount: number;
  /** Access content directly from the distribution point. */
  readonly runFromNet: boolean;
  /** MDT working directory of untyped steps (`startIn`). */
  readonly startIn?: string;
  /** `<action>` text exactly as written (the command of untyped MDT steps). */
  readonly action?: string;
  /** The `defaultVarList` entries in order: the step's settings. */
  readonly variables: readonly ActionVariable[];
}

/** A step or a group. */
export type Item = Step | Group;

/** `<reference package|application [program]>` of a 3.10 `referenceList`. */
export interface SequenceReference {
  /** Package ID, when a package is referenced. */
  readonly package?: string;
  /** Program name (`*`). */
  readonly program?: string;
  /** Application model name (`ScopeId_.../Application_...`). */
  readonly application?: string;
  /** Lossless record of the source element. */
  readonly trivia?: XmlTrivia;
}

/** Package-level metadata carried by a ConfigMgr export (`object.xml` properties). */
export interface PackageInfo {
  /** `PackageID`. */
  readonly packageId?: string;
  /** `Name`. */
  readonly name?: string;
  /** `Description`. */
  readonly description?: string;
  /** `BootImageID`. */
  readonly bootImageId?: string;
  /** Every other property as text, by name. */
  readonly properties: Readonly<Record<string, string>>;
}

/** A task sequence (`<sequence>`). */
export interface TaskSequence {
  /** Discriminator. */
  readonly kind: "sequence";
  /** Document version. */
  readonly version: SequenceVersion;
  /** Name (3.00 documents carry it on `<sequence>`; 3.10 on the package). */
  readonly name?: string;
  /** Description. */
  readonly description?: string;
  /** `globalVarList` entries (sequence-level defaults), duplicates preserved. */
  readonly globalVariables: readonly ActionVariable[];
  /** `referenceList` entries (3.10). */
  readonly references: readonly SequenceReference[];
  /** Top-level items in execution order. */
  readonly items: readonly Item[];
  /** Package metadata when imported from an export. */
  readonly package?: PackageInfo;
  /** Lossless record of the source element. */
  readonly trivia?: XmlTrivia;
}

/**
 * A zero-based index path from the root: `[0, 2, 1]` is the second child of the third child of
 * the first top-level item. Written `"0.2.1"` in text (DESIGN.md §2).
 */
export type ItemPath = readonly number[];
