/**
 * Factories for new sequences and groups (steps: `createStep` in step-settings.ts).
 */
import { deepFreeze } from "./deep-freeze.js";
import type { Condition, Group, Item, SequenceVersion, TaskSequence } from "./types.js";

/** Options of {@link createSequence}. */
export interface CreateSequenceOptions {
  /** Default `3.10`. */
  readonly version?: SequenceVersion;
  /** Sequence name (written on `<sequence>` in 3.00). */
  readonly name?: string;
  /** Sequence description. */
  readonly description?: string;
}

/**
 * A new, frozen task sequence.
 *
 * @example
 * ```ts
 * const seq = createSequence([createGroup("Install", [])], { version: "3.10" });
 * ```
 */
export function createSequence(items: readonly Item[] = [], options: CreateSequenceOptions = {}): TaskSequence {
  return deepFreeze({
    kind: "sequence",
    version: options.version ?? "3.10",
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.description === undefined ? {} : { description: options.description }),
    globalVariables: [],
    references: [],
    items: [...items],
  });
}

/** Options of {@link createGroup}. */
export interface CreateGroupOptions {
  /** Description, default `""`. */
  readonly description?: string;
  /** Disabled flag. */
  readonly disabled?: boolean;
  /** Continue on error. */
  readonly continueOnError?: boolean;
  /** Condition. */
  readonly condition?: Condition;
}

/**
 * A new, frozen group.
 *
 * @example
 * ```ts
 * createGroup("Capture", [createStep("SMS_TaskSequence_PrepareOSAction", {})]);
 * ```
 */
export function createGroup(name: string, children: readonly Item[] = [], options: CreateGroupOptions = {}): Group {
  return deepFreeze({
    kind: "group",
    name,
    description: options.description ?? "",
    disabled: options.disabled ?? false,
    continueOnError: options.continueOnError ?? false,
    children: [...children],
    ...(options.condition === undefined ? {} : { condition: options.condition }),
  });
}
