/**
 * `planSequence`: what a run would do on a device, without running anything. For each item:
 * will run / will be skipped / depends on run time, and why; the variables it reads and writes;
 * where restarts happen.
 */
import { createSimulatedDevice, type Device, type OsCapability } from "@taskseq/device";
import { childPackageId, createEngine, RUN_TASK_SEQUENCE_TYPE, type RunVariables, type TaskSequenceResolver } from "@taskseq/engine";
import { SECRET_MASK } from "@taskseq/environment";
import { describeCondition, isReadOnlyVariableName, isTaskSeqError, TaskSeqError, variableNameKey, type Item, type Step, type TaskSequence, isSecretVariableName } from "@taskseq/model";
import { planCondition, type PlanKnowledge, type PlannedCheck } from "./plan-conditions.js";
import { variableUsage, type VariableRead, type VariableWrite } from "./variable-usage.js";

/** What will happen to an item. */
export type PlanDecision = "will-run" | "will-skip" | "depends";

/** Why a skipped item is skipped: it (or a group around it) is disabled, or a condition is false. */
export type PlanSkipKind = "disabled" | "condition";

/** Where the device is when an item is reached. */
export type PlanEnvironment = "WinPE" | "FullOS" | "unknown";

/** A restart an item causes. */
export interface PlannedRestart {
  /** `always` (Restart Computer, Setup Windows and ConfigMgr, ...) or `may` (exit code 3010, an unknown request). */
  readonly certainty: "always" | "may";
  /** Where the device restarts into; `unknown` when only the run decides. */
  readonly target: "HD" | "WinPE" | "unknown";
  /** Why. */
  readonly why: string;
}

/** The plan of one item. */
export interface PlanItem {
  /** Index path (`0.2.1`; inside a child task sequence `3/0.1`). */
  readonly path: string;
  /** Nesting depth (0 = top level). */
  readonly depth: number;
  /** Group or step. */
  readonly kind: "group" | "step";
  /** Name. */
  readonly name: string;
  /** Step class (steps only). */
  readonly type?: string;
  /** The decision. */
  readonly decision: PlanDecision;
  /** Why, in one sentence. */
  readonly reason: string;
  /** For skipped items: disabled or condition (the run reports `skipped-disabled` / `skipped-condition`). */
  readonly skip?: PlanSkipKind;
  /** The condition in readable form, when the item has one. */
  readonly condition?: string;
  /** Each condition expression with the value it saw. */
  readonly checks: readonly PlannedCheck[];
  /** Values known only at run time that the decision depends on. */
  readonly runtimeValues: readonly string[];
  /** The environment the item is reached in. */
  readonly environment: PlanEnvironment;
  /** Variables read. */
  readonly reads: readonly VariableRead[];
  /** Variables written. */
  readonly writes: readonly VariableWrite[];
  /** The restart this step causes, if any. */
  readonly restart?: PlannedRestart;
  /** A problem the run would hit (wrong environment, unresolved child, a restart into Windows PE without a boot image). */
  readonly warning?: string;
}

/** A whole plan. */
export interface SequencePlan {
  /** The sequence name. */
  readonly name: string;
  /** The environment the run starts in. */
  readonly environment: PlanEnvironment;
  /** The variables the run starts with (secret values `********`). */
  readonly variables: Readonly<Record<string, string>>;
  /** Every group and step in execution order (children of Run Task Sequence inline). */
  readonly items: readonly PlanItem[];
  /** Counts of steps by decision, and of steps that always restart and are not skipped. */
  readonly summary: { readonly willRun: number; readonly willSkip: number; readonly depends: number; readonly restarts: number };
}

/** Options of {@link planSequence}. */
export interface PlanOptions {
  /** The device conditions are evaluated against. Default: the default simulated device. */
  readonly device?: Device;
  /** Variables the run would start with. */
  readonly variables?: RunVariables;
  /** Package ID (`_SMSTSPackageID`). */
  readonly packageId?: string;
  /** Resolves Run Task Sequence children so their steps are planned inline. */
  readonly resolver?: TaskSequenceResolver;
  /** Ordinal case-sensitive string comparison in conditions. */
  readonly caseSensitive?: boolean;
}

/** Variables the engine writes after every step that runs. */
const LAST_ACTION = ["_SMSTSLastActionName", "_SMSTSLastActionRetCode", "_SMSTSLastActionSucceeded"];
const ENGINE_RUNTIME = [...LAST_ACTION, "_SMSTSCurrentActionName", "_SMSTSNextInstructionPointer"];
const PROCESS_TYPES: ReadonlySet<string> = new Set([
  "",
  "SMS_TaskSequence_RunCommandLineAction",
  "SMS_TaskSequence_RunPowerShellScriptAction",
  "SMS_TaskSequence_InstallSoftwareAction",
  "SMS_TaskSequence_InstallApplicationAction",
  "BDD_RunPowerShellAction",
  "BDD_InstallApplication",
]);

interface Known {
  value: string | undefined;
  secret: boolean;
  /** Order of the write, compared with the last script step. */
  seq: number;
}

const SCRIPT_COMMAND = /cscript|wscript|powershell|pwsh|\.wsf\b|\.vbs\b|\.ps1\b|\.js\b/i;

/** True when a step runs a script that can set any variable through TSEnvironment. */
export function isScriptStep(step: Step): boolean {
  if (step.type === "SMS_TaskSequence_RunPowerShellScriptAction" || step.type.startsWith("BDD_")) return true;
  if (step.type !== "" && step.type !== "SMS_TaskSequence_RunCommandLineAction") return false;
  return SCRIPT_COMMAND.test(`${step.action ?? ""} ${setting(step, "CommandLine") ?? ""}`);
}

/** Mutable knowledge along the execution order. */
class Knowledge implements PlanKnowledge {
  readonly values = new Map<string, Known>();
  readonly pending = new Map<string, string>();
  env: PlanEnvironment = "unknown";
  private order = 0;
  private script: { name: string; seq: number } | undefined;

  get = (name: string): string | undefined => this.values.get(variableNameKey(name))?.value;
  runtime = (name: string): string | undefined => {
    const key = variableNameKey(name);
    const why = this.pending.get(key);
    if (why !== undefined || this.script === undefined || isReadOnlyVariableName(name)) return why;
    const known = this.values.get(key);
    return known === undefined || known.seq < this.script.seq ? `may be set by the script step "${this.script.name}"` : undefined;
  };

  scriptRan(name: string): void {
    this.script = { name, seq: ++this.order };
  }
  secret = (name: string): boolean => this.values.get(variableNameKey(name))?.secret === true || isSecretVariableName(name);

  setKnown(name: string, value: string | undefined, secret = false): void {
    const key = variableNameKey(name);
    this.pending.delete(key);
    this.values.set(key, { value: value === "" ? undefined : value, secret, seq: ++this.order });
    if (key === variableNameKey("_SMSTSInWinPE")) this.env = value === undefined ? "unknown" : value.toLowerCase() === "true" ? "WinPE" : "FullOS";
  }

  setRuntime(name: string, why: string): void {
    const key = variableNameKey(name);
    this.values.delete(key);
    this.pending.set(key, why);
    if (key === variableNameKey("_SMSTSInWinPE")) this.env = "unknown";
  }
}

function setting(step: Step, property: string): string | undefined {
  const key = property.toLowerCase();
  return step.variables.findLast((v) => v.property.toLowerCase() === key)?.value;
}

/** The restart a step causes (execution.md §7.1). */
export function restartOf(step: Step, writes: readonly VariableWrite[] = variableUsage(step).writes): PlannedRestart | undefined {
  const requested = writes.find((w) => variableNameKey(w.name) === variableNameKey("SMSTSRebootRequested"));
  if (requested !== undefined) {
    const v = (requested.value ?? "").trim().toLowerCase();
    const target = v === "hd" ? "HD" : v === "winpe" ? "WinPE" : "unknown";
    return { certainty: requested.value === undefined ? "may" : "always", target, why: "the step sets SMSTSRebootRequested" };
  }
  switch (step.type) {
    case "SMS_TaskSequence_RebootAction": {
      const t = (setting(step, "Target") ?? "").trim().toLowerCase();
      const target = t === "hd" ? "HD" : t === "winpe" ? "WinPE" : "unknown";
      return { certainty: "always", target, why: target === "unknown" ? "Restart Computer (HD if an OS is installed, else WinPE)" : `Restart Computer into ${target}` };
    }
    case "SMS_TaskSequence_SetupWindowsAndSMSAction":
      return { certainty: "always", target: "HD", why: "Setup Windows and ConfigMgr restarts into the new OS" };
    case "SMS_TaskSequence_PrepareOSAction":
      return { certainty: "always", target: "WinPE", why: "Prepare Windows for Capture restarts into the boot image" };
    case "SMS_TaskSequence_UpgradeOperatingSystemAction":
      return { certainty: "may", target: "HD", why: "a full upgrade restarts into the upgraded OS" };
    case "SMS_TaskSequence_JoinDomainWorkgroupAction":
      return { certainty: "may", target: "HD", why: "Join Domain or Workgroup restarts unless OSDJoinSkipReboot is set" };
    default:
      return PROCESS_TYPES.has(step.type) && step.successCodes.includes(3010)
        ? { certainty: "may", target: "unknown", why: "exit code 3010 restarts into the environment the step ran in" }
        : undefined;
  }
}

async function initialKnowledge(seq: TaskSequence, device: Device, options: PlanOptions): Promise<{ k: Knowledge; variables: Readonly<Record<string, string>> }> {
  // A dry run of an empty copy builds exactly the engine's start-of-run environment; the power
  // plan is left alone so the plan has no effect on the device.
  const quiet: Device = device.os === undefined ? device : { ...device, os: withoutPowerPlan(device.os) };
  const empty: TaskSequence = { ...seq, items: [] };
  const result = await createEngine({ device: quiet }).run(empty, {
    dryRun: true,
    ...(options.variables === undefined ? {} : { variables: options.variables }),
    ...(options.packageId === undefined ? {} : { packageId: options.packageId }),
  });
  if (result.error !== undefined) throw result.error;
  const k = new Knowledge();
  for (const [name, value] of Object.entries(result.variables)) k.setKnown(name, value, value === SECRET_MASK);
  for (const name of ENGINE_RUNTIME) if (k.get(name) !== undefined) k.setKnown(name, undefined);
  const skip = new Set(ENGINE_RUNTIME.map((n) => n.toUpperCase()));
  return { k, variables: Object.fromEntries(Object.entries(result.variables).filter(([n]) => !skip.has(n.toUpperCase()))) };
}

function withoutPowerPlan(os: OsCapability): OsCapability {
  return {
    facts: () => os.facts(),
    environmentVariables: () => os.environmentVariables(),
    installedProducts: () => os.installedProducts(),
    getPowerPlan: () => os.getPowerPlan(),
    setPowerPlan: () => Promise.resolve(),
  };
}

interface Context {
  readonly device: Device;
  readonly options: PlanOptions;
  readonly k: Knowledge;
  readonly out: PlanItem[];
  readonly processEnvironment: Readonly<Record<string, string>>;
  readonly ancestors: readonly string[];
}

function merge(parent: PlanDecision, own: PlanDecision): PlanDecision {
  if (parent === "will-skip" || own === "will-skip") return "will-skip";
  return parent === "depends" || own === "depends" ? "depends" : "will-run";
}

interface Parent {
  readonly decision: PlanDecision;
  readonly reason: string;
  readonly skip?: PlanSkipKind;
}

interface Decision {
  readonly decision: PlanDecision;
  readonly reason: string;
  readonly skip?: PlanSkipKind;
  readonly checks: readonly PlannedCheck[];
  readonly runtimeValues: readonly string[];
}

/**
 * Why a condition is false: its false checks; a condition that is false through a "none" operator
 * (its checks are true) or an empty "any" has none, so the condition is given whole.
 */
function falseChecks(item: Item, checks: readonly PlannedCheck[]): string {
  const failed = checks.filter((ch) => ch.result === "false").map((ch) => ch.text);
  if (failed.length > 0 || item.condition === undefined) return failed.join("; ");
  return describeCondition(item.condition);
}

async function decide(item: Item, parent: Parent, c: Context): Promise<Decision> {
  if (parent.decision === "will-skip") return { decision: "will-skip", reason: parent.reason, skip: parent.skip ?? "condition", checks: [], runtimeValues: [] };
  if (item.disabled) return { decision: "will-skip", reason: `the ${item.kind} is disabled`, skip: "disabled", checks: [], runtimeValues: [] };
  const planned = await planCondition(item.condition, c.device, c.k, {
    processEnvironment: c.processEnvironment,
    ...(c.options.caseSensitive === undefined ? {} : { caseSensitive: c.options.caseSensitive }),
  });
  const runtimeValues = planned.checks.flatMap((ch) => ch.runtimeValues ?? []);
  const own: PlanDecision = planned.result === "true" ? "will-run" : planned.result === "unknown" ? "depends" : "will-skip";
  const decision = merge(parent.decision, own);
  let reason: string;
  if (planned.result === "error") reason = `the condition cannot be evaluated (${planned.error ?? "evaluation error"}), so the ${item.kind} is skipped`;
  else if (planned.result === "false") reason = `the condition is false: ${falseChecks(item, planned.checks)}`;
  else if (planned.result === "unknown") reason = `the condition depends on values known only at run time: ${runtimeValues.join(", ")}`;
  else if (parent.decision === "depends") reason = parent.reason;
  else reason = item.condition === undefined || item.condition.operands.length === 0 ? "no condition" : "the condition is true";
  return { decision, reason, ...(decision === "will-skip" ? { skip: "condition" as const } : {}), checks: planned.checks, runtimeValues: parent.decision === "depends" && own === "will-run" ? [] : runtimeValues };
}

function applyWrites(step: Step, decision: PlanDecision, writes: readonly VariableWrite[], restart: PlannedRestart | undefined, k: Knowledge): void {
  if (decision === "will-skip") return;
  const by = `set by "${step.name}"`;
  for (const w of writes) {
    if (decision === "will-run" && !w.conditional && w.value !== undefined) k.setKnown(w.name, w.value, w.secret || isSecretVariableName(w.name));
    else k.setRuntime(w.name, by);
  }
  for (const name of LAST_ACTION) k.setRuntime(name, `set after each step that runs (last: "${step.name}")`);
  if (isScriptStep(step)) k.scriptRan(step.name);
  if (restart === undefined) return;
  if (decision === "will-run" && restart.certainty === "always" && restart.target !== "unknown") k.setKnown("_SMSTSInWinPE", restart.target === "WinPE" ? "true" : "false");
  else if (restart.target !== "unknown" && restart.target !== (k.env === "WinPE" ? "WinPE" : k.env === "FullOS" ? "HD" : "")) k.setRuntime("_SMSTSInWinPE", `a restart by "${step.name}"`);
  else if (restart.target === "unknown" && restart.certainty === "always") k.setRuntime("_SMSTSInWinPE", `a restart by "${step.name}"`);
}

function environmentWarning(step: Step, env: PlanEnvironment): string | undefined {
  if (step.runIn === "WinPE" && env === "FullOS") return "the step runs only in Windows PE but the device is in the full OS here: it fails with WrongEnvironment";
  if (step.runIn === "FullOS" && env === "WinPE") return "the step runs only in the full OS but the device is in Windows PE here: it fails with WrongEnvironment";
  return undefined;
}

/** The engine refuses a restart into Windows PE when the sequence has no boot image (`_SMSTSBootImageID` unset). */
function bootImageWarning(restart: PlannedRestart | undefined, k: Knowledge): string | undefined {
  if (restart?.target !== "WinPE" || (k.get("_SMSTSBootImageID") ?? "") !== "") return undefined;
  return "the task sequence has no boot image: the restart into Windows PE fails the run (RestartNotPossible)";
}

async function planItems(items: readonly Item[], prefix: string, depth: number, parent: Parent, c: Context): Promise<void> {
  for (const [index, item] of items.entries()) {
    const path = `${prefix}${prefix === "" || prefix.endsWith("/") ? "" : "."}${index}`;
    await planItem(item, path, depth, parent, c);
  }
}

async function planItem(item: Item, path: string, depth: number, parent: Parent, c: Context): Promise<void> {
  if (item.kind === "step") c.k.setKnown("_SMSTSCurrentActionName", item.name);
  const environment = c.k.env;
  const d = await decide(item, parent, c);
  const usage = variableUsage(item);
  const base = {
    path,
    depth,
    kind: item.kind,
    name: item.name,
    decision: d.decision,
    reason: d.reason,
    ...(d.skip === undefined ? {} : { skip: d.skip }),
    ...(item.condition === undefined || item.condition.operands.length === 0 ? {} : { condition: describeCondition(item.condition) }),
    checks: d.checks,
    runtimeValues: d.runtimeValues,
    environment,
    reads: usage.reads,
    writes: usage.writes,
  };
  if (item.kind === "group") {
    c.out.push(base);
    await planItems(item.children, path, depth + 1, d.decision === "will-skip" ? { decision: "will-skip", reason: `the group "${item.name}" is skipped`, skip: d.skip ?? "condition" } : { decision: d.decision, reason: d.reason }, c);
    return;
  }
  const restart = restartOf(item, usage.writes);
  const warning = d.decision === "will-skip" ? undefined : (environmentWarning(item, environment) ?? bootImageWarning(restart, c.k));
  const index = c.out.length;
  c.out.push({ ...base, type: item.type, ...(restart === undefined ? {} : { restart }), ...(warning === undefined ? {} : { warning }) });
  if (item.type === RUN_TASK_SEQUENCE_TYPE && d.decision !== "will-skip") {
    const problem = await planChild(item, path, depth, d, c);
    if (problem !== undefined) c.out[index] = { ...(c.out[index] as PlanItem), warning: problem };
  }
  applyWrites(item, d.decision, usage.writes, restart, c.k);
}

async function planChild(step: Step, path: string, depth: number, d: { decision: PlanDecision; reason: string }, c: Context): Promise<string | undefined> {
  const id = childPackageId(step).toUpperCase();
  if (c.options.resolver === undefined) return `child task sequence ${id || "(none)"} is not planned (no resolver)`;
  if (c.ancestors.includes(id)) return `child task sequence ${id} includes itself: the deployment fails (ChildCycle)`;
  const child = await c.options.resolver.resolve(id);
  if (child === undefined) return `child task sequence ${id} was not found: the deployment fails (ChildNotFound)`;
  await planItems(child.sequence.items, `${path}/`, depth + 1, d, { ...c, ancestors: [...c.ancestors, id] });
  return child.disabled === true ? `child task sequence ${id} is disabled: the deployment fails (ChildDisabled)` : undefined;
}

/**
 * Plans a run without running it: conditions are evaluated against the device with the engine's
 * evaluator (no step handler is called, nothing is written), and a decision that needs a value
 * only a previous step or the run itself produces is reported as `depends`, naming the value.
 * Earlier steps are assumed to succeed.
 *
 * @example
 * ```ts
 * const plan = await planSequence(seq, { device: createSimulatedDevice(profileJson), variables: { runtime: { OSDComputerName: "PC01" } } });
 * for (const item of plan.items) console.log(item.path, item.decision, item.reason);
 * ```
 */
export async function planSequence(seq: TaskSequence, options: PlanOptions = {}): Promise<SequencePlan> {
  const device = options.device ?? createSimulatedDevice();
  let k: Knowledge;
  let variables: Readonly<Record<string, string>>;
  let processEnvironment: Readonly<Record<string, string>>;
  try {
    ({ k, variables } = await initialKnowledge(seq, device, options));
    processEnvironment = (await device.os?.environmentVariables()) ?? {};
  } catch (cause) {
    if (isTaskSeqError(cause)) throw cause;
    throw new TaskSeqError("InvalidArgument", "The device could not provide the start-of-run environment.", { cause });
  }
  const start = k.env;
  const out: PlanItem[] = [];
  const root = (options.packageId ?? seq.package?.packageId ?? "").toUpperCase();
  await planItems(seq.items, "", 0, { decision: "will-run", reason: "" }, { device, options, k, out, processEnvironment, ancestors: root === "" ? [] : [root] });
  const steps = out.filter((i) => i.kind === "step");
  return {
    name: seq.package?.name ?? seq.name ?? "",
    environment: start,
    variables,
    items: out,
    summary: {
      willRun: steps.filter((s) => s.decision === "will-run").length,
      willSkip: steps.filter((s) => s.decision === "will-skip").length,
      depends: steps.filter((s) => s.decision === "depends").length,
      restarts: steps.filter((s) => s.restart?.certainty === "always" && s.decision !== "will-skip").length,
    },
  };
}

/** Plain text of a plan, one line per item (what `taskseq plan` prints). */
export function formatPlan(plan: SequencePlan): string {
  const lines = [`Plan for ${plan.name === "" ? "(unnamed)" : plan.name}: starts in ${plan.environment}`];
  for (const i of plan.items) {
    const mark = i.decision === "will-run" ? "RUN " : i.decision === "will-skip" ? "SKIP" : "??? ";
    lines.push(`${mark} ${i.path.padEnd(8)} ${"  ".repeat(i.depth)}${i.kind === "group" ? "[group] " : ""}${i.name} — ${i.reason}`);
    for (const ch of i.checks) lines.push(`${" ".repeat(14)}${"  ".repeat(i.depth)}· ${ch.text} → ${ch.result}`);
    const reads = [...new Set(i.reads.filter((r) => r.kind !== "action-variable").map((r) => r.name))];
    if (reads.length > 0) lines.push(`${" ".repeat(14)}${"  ".repeat(i.depth)}reads ${reads.join(", ")}`);
    const writes = [...new Set(i.writes.map((w) => w.name))];
    if (writes.length > 0) lines.push(`${" ".repeat(14)}${"  ".repeat(i.depth)}writes ${writes.join(", ")}`);
    if (i.restart !== undefined && i.decision !== "will-skip" && (i.restart.certainty === "always" || i.restart.target !== "unknown")) lines.push(`${" ".repeat(14)}${"  ".repeat(i.depth)}restart (${i.restart.certainty}) → ${i.restart.target}: ${i.restart.why}`);
    if (i.warning !== undefined) lines.push(`${" ".repeat(14)}${"  ".repeat(i.depth)}warning: ${i.warning}`);
  }
  const s = plan.summary;
  lines.push(`${s.willRun} step(s) will run, ${s.willSkip} will be skipped, ${s.depends} depend on run time; ${s.restarts} restart point(s)`);
  return `${lines.join("\n")}\n`;
}

/** One step of {@link PlanJson}: the DESIGN.md §2 step shape plus the plan's decision. */
export interface PlanJsonStep {
  /** Index path. */
  readonly path: string;
  /** Step name. */
  readonly name: string;
  /** Step class. */
  readonly type: string;
  /** `skipped-disabled` or `skipped-condition` for steps the plan skips, else `not-run` (a plan runs nothing). */
  readonly outcome: "not-run" | "skipped-condition" | "skipped-disabled";
  /** Always `0` (nothing ran). */
  readonly exitCode: 0;
  /** Why. */
  readonly reason: string;
  /** The plan's decision. */
  readonly decision: PlanDecision;
}

/**
 * What `taskseq plan --json` prints: the DESIGN.md §2 CLI JSON keys (`status`, `exitCode`, one
 * entry per step in `steps`, the start-of-run `variables`), then `version` (of this shape, `1`)
 * and the full `plan`.
 */
export interface PlanJson {
  /** `success`: the plan was made. */
  readonly status: "success";
  /** `0`. */
  readonly exitCode: 0;
  /** Every step, in execution order. */
  readonly steps: readonly PlanJsonStep[];
  /** The variables the run starts with (secrets `********`). */
  readonly variables: Readonly<Record<string, string>>;
  /** Version of this JSON shape. */
  readonly version: 1;
  /** The whole plan (groups, checks, reads, writes, restarts). */
  readonly plan: SequencePlan;
}

/**
 * The JSON object `taskseq plan --json` prints, shaped like the other CLI JSON (DESIGN.md §2).
 *
 * @example
 * ```ts
 * console.log(JSON.stringify(toPlanJson(await planSequence(seq))));
 * ```
 */
export function toPlanJson(plan: SequencePlan): PlanJson {
  const steps = plan.items.flatMap((i): PlanJsonStep[] =>
    i.kind !== "step"
      ? []
      : [{
          path: i.path,
          name: i.name,
          type: i.type ?? "",
          outcome: i.decision !== "will-skip" ? "not-run" : i.skip === "disabled" ? "skipped-disabled" : "skipped-condition",
          exitCode: 0,
          reason: i.reason,
          decision: i.decision,
        }],
  );
  return { status: "success", exitCode: 0, steps, variables: plan.variables, version: 1, plan };
}
