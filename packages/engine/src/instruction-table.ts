/**
 * Flattening a task sequence (and its resolved children) into the instruction table
 * (execution.md §2 and §10).
 */
import { TaskSeqError, checkItemShape, checkSequenceShape, type Group, type Item, type Step, type TaskSequence } from "@taskseq/model";
import type { ResolvedTaskSequence, TaskSequenceResolver } from "./child-resolver.js";

/** The Run Task Sequence step class. */
export const RUN_TASK_SEQUENCE_TYPE = "SMS_TaskSequence_SubTasksequence";

/** Maximum nesting depth of child task sequences (execution.md §10). */
export const MAX_CHILD_DEPTH = 16;

interface InstructionBase {
  /** Zero-based index in the table. */
  readonly index: number;
  /**
   * Index path of the item. Inside a child task sequence the path continues after a `/`:
   * `3/0.1` is item `0.1` of the child started by the Run Task Sequence step at `3`.
   */
  readonly path: string;
  /** Index of the enclosing enter-group or enter-child instruction, `-1` at the root. */
  readonly scope: number;
}

/** A group's entry. */
export interface EnterGroupInstruction extends InstructionBase {
  /** Discriminator. */
  readonly kind: "enter-group";
  /** The group. */
  readonly item: Group;
  /** Index of the matching leave-group instruction. */
  readonly end: number;
}

/** A group's exit: reached when every child was processed without an unhandled failure. */
export interface LeaveGroupInstruction extends InstructionBase {
  /** Discriminator. */
  readonly kind: "leave-group";
  /** The group. */
  readonly item: Group;
  /** Index of the matching enter-group instruction. */
  readonly start: number;
}

/** A step. */
export interface StepInstruction extends InstructionBase {
  /** Discriminator. */
  readonly kind: "step";
  /** The step. */
  readonly item: Step;
}

/** A Run Task Sequence step: the child's instructions follow, then a leave-child. */
export interface EnterChildInstruction extends InstructionBase {
  /** Discriminator. */
  readonly kind: "enter-child";
  /** The Run Task Sequence step. */
  readonly item: Step;
  /** Index of the matching leave-child instruction. */
  readonly end: number;
  /** The resolved child; `undefined` when the step is disabled (its child is never resolved). */
  readonly child: ResolvedTaskSequence | undefined;
}

/** The end of a child task sequence. */
export interface LeaveChildInstruction extends InstructionBase {
  /** Discriminator. */
  readonly kind: "leave-child";
  /** The Run Task Sequence step. */
  readonly item: Step;
  /** Index of the matching enter-child instruction. */
  readonly start: number;
  /** The child that ended. */
  readonly child: ResolvedTaskSequence | undefined;
}

/** One entry of the instruction table. */
export type Instruction =
  | EnterGroupInstruction
  | LeaveGroupInstruction
  | StepInstruction
  | EnterChildInstruction
  | LeaveChildInstruction;

/** The child package ID of a Run Task Sequence step (setting `TsPackageID`). */
export function childPackageId(step: Step): string {
  return step.variables.find((v) => v.property === "TsPackageID")?.value.trim() ?? "";
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The path of item `i` under `prefix` in the instruction table: `2`, `0.2` inside a group, `1/0`
 * for the first item of the child task sequence that step `1` runs (`prefix` ends with `/`).
 */
export function itemPath(prefix: string, i: number): string {
  return prefix === "" || prefix.endsWith("/") ? `${prefix}${i}` : `${prefix}.${i}`;
}

const RUN_IN: ReadonlySet<unknown> = new Set(["WinPE", "FullOS", "WinPEandFullOS"]);

/** What running a step needs beyond its shape: a known `runIn` and whole-number success codes (`InvalidArgument`). */
function checkRunnableStep(step: Step, path: string): void {
  const fail = (what: string): never => {
    throw new TaskSeqError("InvalidArgument", `The task sequence is malformed at ${path}: ${what}.`, { position: { path } });
  };
  if (!RUN_IN.has(step.runIn)) fail(`runIn ${JSON.stringify(step.runIn)} is not WinPE, FullOS or WinPEandFullOS`);
  if (!step.successCodes.every((c) => Number.isInteger(c))) fail("successCodes is not a list of whole numbers");
}

/**
 * Resolves every child task sequence and flattens the tree into the instruction table. Cycles,
 * a depth above 16, missing and disabled children fail before the run starts.
 *
 * @example
 * ```ts
 * const table = await buildInstructionTable(sequence, createMapResolver());
 * table.length; // _SMSTSInstructionTableSize
 * ```
 */
export async function buildInstructionTable(
  sequence: TaskSequence,
  resolver: TaskSequenceResolver,
  rootPackageId = "",
): Promise<readonly Instruction[]> {
  const out: Mutable<Instruction>[] = [];
  const ancestors = rootPackageId === "" ? [] : [rootPackageId.toUpperCase()];

  async function walk(items: readonly Item[], prefix: string, scope: number, depth: number): Promise<void> {
    for (let i = 0; i < items.length; i++) {
      const item: unknown = items[i];
      const path = itemPath(prefix, i);
      checkItemShape(item, path);
      if (item.kind === "step") checkRunnableStep(item, path);
      if (item.kind === "group") {
        const enter: Mutable<EnterGroupInstruction> = { kind: "enter-group", index: out.length, path, scope, item, end: -1 };
        out.push(enter);
        await walk(item.children, path, enter.index, depth);
        enter.end = out.length;
        out.push({ kind: "leave-group", index: out.length, path, scope, item, start: enter.index });
      } else if (item.type === RUN_TASK_SEQUENCE_TYPE || item.element === "subtasksequence") {
        const child = item.disabled ? undefined : await resolveChild(item, path, depth + 1);
        const enter: Mutable<EnterChildInstruction> = { kind: "enter-child", index: out.length, path, scope, item, end: -1, child };
        out.push(enter);
        if (child !== undefined) {
          ancestors.push(child.packageId.toUpperCase());
          await walk(child.sequence.items, `${path}/`, enter.index, depth + 1);
          ancestors.pop();
        }
        enter.end = out.length;
        out.push({ kind: "leave-child", index: out.length, path, scope, item, start: enter.index, child });
      } else {
        out.push({ kind: "step", index: out.length, path, scope, item });
      }
    }
  }

  async function resolveChild(step: Step, path: string, depth: number): Promise<ResolvedTaskSequence> {
    const id = childPackageId(step);
    const position = { path };
    if (depth > MAX_CHILD_DEPTH) {
      throw new TaskSeqError("ChildDepthExceeded", `Child task sequence ${id} at ${path} is nested deeper than ${MAX_CHILD_DEPTH} levels.`, { position });
    }
    if (ancestors.includes(id.toUpperCase())) {
      throw new TaskSeqError("ChildCycle", `Child task sequence ${id} at ${path} includes itself: ${[...ancestors, id].join(" > ")}.`, { position, details: { packageId: id } });
    }
    const child = id === "" ? undefined : await resolver.resolve(id);
    if (child === undefined) {
      throw new TaskSeqError("ChildNotFound", `Child task sequence "${id}" of step "${step.name}" (${path}) cannot be resolved.`, { position, details: { packageId: id } });
    }
    if (child.disabled === true) {
      throw new TaskSeqError("ChildDisabled", `Child task sequence ${id} of step "${step.name}" (${path}) is disabled.`, { position, details: { packageId: id } });
    }
    checkSequenceShape(child.sequence, `child task sequence ${id}`);
    return child;
  }

  checkSequenceShape(sequence, "sequence");
  await walk(sequence.items, "", -1, 0);
  return out;
}
