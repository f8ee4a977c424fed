/**
 * Breakpoints and debugger targets (execution.md §11.2): an instruction is named by its index path
 * (`0.1`, `3/0.1` inside a child) or by its item name (case-insensitive).
 */
import { TaskSeqError, checkVariableName } from "@taskseq/model";
import type { Instruction } from "../instruction-table.js";
import type { PersistedBreakpoint } from "./debug-hook.js";
import { isUnreachable } from "./reachability.js";

/** What to break on. */
export type BreakpointSpec =
  /** Before an instruction (a step, a group entry or a Run Task Sequence step), named by path or item name. */
  | { readonly kind: "instruction"; readonly target: string }
  /** After a variable changed: `name`, or any variable whose name does not start with `_`. */
  | { readonly kind: "variable"; readonly name?: string }
  /** After any step failed (including failures ignored by continue-on-error). */
  | { readonly kind: "step-failed" };

/** A breakpoint of a debug session. */
export interface Breakpoint {
  /** ID (stable across restarts). */
  readonly id: number;
  /** What it breaks on. */
  readonly spec: BreakpointSpec;
  /** Index paths of the instructions it stops before (`instruction` breakpoints; empty until the table is known). */
  readonly paths: readonly string[];
  /** False when no instruction it names can ever run (disabled, or inside a disabled group: execution.md §11.4). */
  readonly reachable: boolean;
}

/**
 * Refuses a spec the session could never match (specs from JavaScript or JSON): an unknown kind,
 * an instruction target that is not a non-empty string, a variable name that breaks the naming
 * rules (`_` names are allowed: the engine's variables change too). `InvalidArgument`.
 */
export function checkBreakpointSpec(spec: BreakpointSpec): void {
  const bad = (what: string): never => {
    throw new TaskSeqError("InvalidArgument", `Invalid breakpoint: ${what}.`);
  };
  if (typeof spec !== "object" || spec === null) bad("not a breakpoint object");
  switch (spec.kind) {
    case "instruction":
      if (typeof spec.target !== "string" || spec.target.trim() === "") bad("an instruction breakpoint needs a target (an index path or an item name)");
      return;
    case "variable": {
      if (spec.name === undefined) return;
      const check = typeof spec.name === "string" ? checkVariableName(spec.name, { allowReadOnly: true }) : undefined;
      if (check?.ok !== true) bad(`"${String(spec.name)}" is not a variable name`);
      return;
    }
    case "step-failed":
      return;
    default:
      bad(`unknown kind ${JSON.stringify((spec as { kind?: unknown }).kind)} (instruction, variable or step-failed)`);
  }
}

/** Instructions a target names: by exact path first, else by item name. Leave instructions are never named. */
export function resolveTarget(table: readonly Instruction[], target: string): Instruction[] {
  const named = table.filter((i) => i.kind !== "leave-group" && i.kind !== "leave-child");
  const byPath = named.filter((i) => i.path === target);
  if (byPath.length > 0) return byPath;
  const key = target.toUpperCase();
  return named.filter((i) => i.item.name.toUpperCase() === key);
}

/** Resolves a target that must name exactly one step (Set Current, run to). */
export function resolveStep(table: readonly Instruction[], target: string): Instruction {
  const found = resolveTarget(table, target).filter((i) => i.kind === "step" || i.kind === "enter-child");
  const [first, ...more] = found;
  if (first === undefined) throw new TaskSeqError("NotFound", `No step is named or has the path "${target}".`);
  if (more.length > 0) throw new TaskSeqError("InvalidArgument", `"${target}" names several steps (${found.map((i) => i.path).join(", ")}); use a path.`);
  return first;
}

/** The spec of a persisted breakpoint. */
export function specOf(b: PersistedBreakpoint): BreakpointSpec {
  if (b.kind === "instruction") return { kind: "instruction", target: b.target ?? "" };
  if (b.kind === "variable") return b.target === undefined ? { kind: "variable" } : { kind: "variable", name: b.target };
  return { kind: "step-failed" };
}

/** The persisted form of a breakpoint. */
export function persistedOf(id: number, spec: BreakpointSpec): PersistedBreakpoint {
  if (spec.kind === "instruction") return { id, kind: "instruction", target: spec.target };
  if (spec.kind === "variable") return spec.name === undefined ? { id, kind: "variable" } : { id, kind: "variable", target: spec.name };
  return { id, kind: "step-failed" };
}

/** Describes a breakpoint against the table (`undefined`: not known yet). */
export function describeBreakpoint(id: number, spec: BreakpointSpec, table: readonly Instruction[] | undefined): Breakpoint {
  if (spec.kind !== "instruction") return { id, spec, paths: [], reachable: true };
  const found = table === undefined ? [] : resolveTarget(table, spec.target);
  return { id, spec, paths: found.map((i) => i.path), reachable: table === undefined || found.some((i) => !isUnreachable(table, i.index)) };
}
