/**
 * `lintSequence`: authoring mistakes beyond validity. Validity itself (read-only writes, child
 * cycles, environments, settings) comes from the model's `validateSequence`.
 */
import { builtinVariables, MAX_VARIABLE_VALUE_LENGTH } from "@taskseq/environment";
import { isSecretVariableName } from "@taskseq/model";
import {
  formatItemPath,
  getStepTypeInfo,
  listStepTypes,
  validateSequence,
  variableNameKey,
  type Condition,
  type ConditionExpression,
  type ConditionNode,
  type Item,
  type ItemPath,
  type Step,
  type TaskSequence,
  type TaskSequenceResolver,
  type ValidationCode,
} from "@taskseq/model";
import { parseDynamicRules } from "@taskseq/xml";
import { staticConditionValue } from "./condition-facts.js";
import { suggestName } from "./edit-distance.js";
import { unsetLiteTouchPhase } from "./lite-touch-phase.js";
import { isScriptStep } from "./plan-sequence.js";
import { conditionReads, referencedVariables, variableUsage } from "./variable-usage.js";

/** Codes the linter adds to the model's validation codes. */
export type LintOnlyCode =
  | "ReadBeforeWrite"
  | "NeverRuns"
  | "ConditionAlwaysTrue"
  | "ConditionAlwaysFalse"
  | "SecretInCommandLine"
  | "ValueTooLong"
  | "RestartTarget"
  | "MissingRestartCode"
  | "LastActionAfterSkippableStep"
  | "LiteTouchStart";

/** Every code a lint issue can carry. */
export type LintCode = ValidationCode | LintOnlyCode;

/** Severity of a lint issue. */
export type LintSeverity = "error" | "warning" | "info";

/** One lint finding. */
export interface LintIssue {
  /** Stable code. */
  readonly code: LintCode;
  /** Item path (`0.2.1`), `globalVariables`, `references.<i>`, or `""` for the sequence. */
  readonly path: string;
  /** A sentence for people (never a secret value). */
  readonly message: string;
  /** Severity. */
  readonly severity: LintSeverity;
  /** A fix to try, such as a did-you-mean variable name. */
  readonly suggestion?: string;
}

/** Options of {@link lintSequence}. */
export interface LintOptions {
  /** Resolves Run Task Sequence children (cycles, depth, missing, disabled children). */
  readonly resolver?: TaskSequenceResolver;
  /** Variables the deployment provides (collection, device, media): never "read before write". */
  readonly knownVariables?: readonly string[];
}

/** Windows process environment variables that `%VAR%` may name (expanded after task sequence variables). */
const PROCESS_VARIABLES = [
  "windir", "SystemRoot", "SystemDrive", "ProgramFiles", "ProgramFiles(x86)", "ProgramData", "ProgramW6432", "CommonProgramFiles",
  "TEMP", "TMP", "ComputerName", "UserName", "UserProfile", "AllUsersProfile", "AppData", "LocalAppData", "Public", "Path", "PathExt",
  "ComSpec", "OS", "PROCESSOR_ARCHITECTURE", "NUMBER_OF_PROCESSORS", "UserDomain", "HomeDrive", "HomePath", "WinDir",
];

/** Variables MDT's LiteTouch bootstrap sets before an MDT (3.00) task sequence starts. */
const MDT_BOOTSTRAP_VARIABLES = ["ScriptRoot", "DeployRoot", "ToolRoot", "ResourceRoot", "DeploymentMethod"];

const INSTALL_COMMAND = /msiexec|setup(\.exe)?\b|install|\.msi\b|\.msu\b|wusa/i;
const COMMAND_SETTINGS: ReadonlySet<string> = new Set(["commandline", "parameters"]);
const RESTART_CODE_TYPES: ReadonlySet<string> = new Set(["SMS_TaskSequence_InstallSoftwareAction", "BDD_InstallApplication"]);
const OS_INSTALL_TYPES: ReadonlySet<string> = new Set([
  "SMS_TaskSequence_ApplyOperatingSystemAction",
  "SMS_TaskSequence_ApplyDataImageAction",
  "SMS_TaskSequence_SetupWindowsAndSMSAction",
  "SMS_TaskSequence_UpgradeOperatingSystemAction",
  "BDD_InstallOS",
]);
const LAST_ACTION = /^_SMSTSLastAction(Succeeded|RetCode|Name)$/i;

function setting(step: Step, property: string): string | undefined {
  const key = property.toLowerCase();
  return step.variables.findLast((v) => v.property.toLowerCase() === key)?.value;
}

interface Visit {
  readonly item: Item;
  readonly path: ItemPath;
  /** The enclosing groups, outermost first. */
  readonly groups: readonly Item[];
}

function flatten(items: readonly Item[], prefix: ItemPath, groups: readonly Item[], out: Visit[]): Visit[] {
  items.forEach((item, i) => {
    const path = [...prefix, i];
    out.push({ item, path, groups });
    if (item.kind === "group") flatten(item.children, path, [...groups, item], out);
  });
  return out;
}

/** Names a reader may rely on without a step writing them. */
function knownNames(seq: TaskSequence, options: LintOptions): Map<string, string> {
  const known = new Map<string, string>();
  const add = (name: string): void => void known.set(variableNameKey(name), name);
  builtinVariables.forEach((v) => add(v.name));
  PROCESS_VARIABLES.forEach(add);
  if (seq.version === "3.00") MDT_BOOTSTRAP_VARIABLES.forEach(add);
  seq.globalVariables.forEach((v) => add(v.name));
  (options.knownVariables ?? []).forEach(add);
  for (const info of listStepTypes()) for (const s of info.settings) add(s.variable);
  return known;
}

interface State {
  readonly out: LintIssue[];
  readonly known: Map<string, string>;
  readonly secrets: Set<string>;
  /** Literal values of unconditional writes (upper-cased names), dropped on any other write. */
  readonly fixed: Map<string, string>;
  scriptBefore: boolean;
}

function checkReads(v: Visit, s: State): void {
  const where = formatItemPath(v.path);
  const reported = new Set<string>();
  for (const read of variableUsage(v.item).reads) {
    if (read.kind === "action-variable") continue;
    const key = variableNameKey(read.name);
    if (s.known.has(key) || reported.has(key)) continue;
    reported.add(key);
    const suggestion = suggestName(read.name, s.known.values());
    if (s.scriptBefore && suggestion === undefined) continue; // a script step may have set it
    const base = `${read.name} is read (${read.kind === "condition" ? "condition" : read.source}) before any step writes it`;
    s.out.push({
      code: "ReadBeforeWrite",
      path: where,
      message: suggestion === undefined ? `${base}; it must come from collection, device or media variables.` : `${base}. Did you mean ${suggestion}?`,
      severity: s.scriptBefore ? "info" : "warning",
      ...(suggestion === undefined ? {} : { suggestion }),
    });
  }
}

function recordWrites(step: Step, unconditional: boolean, s: State): void {
  for (const w of variableUsage(step).writes) {
    const key = variableNameKey(w.name);
    s.known.set(key, w.name);
    if (w.secret) s.secrets.add(key);
    if (unconditional && !w.conditional && w.value !== undefined) s.fixed.set(key, w.value);
    else s.fixed.delete(key);
  }
  if (isScriptStep(step)) {
    s.scriptBefore = true;
    s.fixed.clear();
  }
}

function checkSecrets(step: Step, where: string, s: State): void {
  const info = getStepTypeInfo(step.type);
  const secretSettings = new Set((info?.settings ?? []).filter((x) => x.kind === "secret").map((x) => variableNameKey(x.variable)));
  const texts = [...step.variables.filter((v) => COMMAND_SETTINGS.has(v.property.toLowerCase())).map((v) => v.value), step.type === "" ? (step.action ?? "") : ""];
  for (const name of texts.flatMap(referencedVariables)) {
    const key = variableNameKey(name);
    if (isSecretVariableName(name) || s.secrets.has(key) || secretSettings.has(key)) {
      s.out.push({ code: "SecretInCommandLine", path: where, message: `The command line expands secret variable ${name}: the value reaches the process command line and its logs.`, severity: "warning", suggestion: "Pass the secret through the environment or a protected file instead." });
    }
  }
}

/** Values that become task sequence variables at run time: Set Task Sequence Variable values and rule values. */
function checkLengths(step: Step, where: string, out: LintIssue[]): void {
  const value = step.type === "SMS_TaskSequence_SetVariableAction" ? (setting(step, "VariableValue") ?? "") : "";
  if (value.length > MAX_VARIABLE_VALUE_LENGTH) {
    out.push({ code: "ValueTooLong", path: where, message: `The value has ${value.length} characters; a variable value holds at most ${MAX_VARIABLE_VALUE_LENGTH}.`, severity: "error" });
  }
  if (step.type !== "SMS_TaskSequence_SetDynamicVariablesAction") return;
  try {
    for (const rule of parseDynamicRules(setting(step, "Rules") ?? "<Rules/>").rules) {
      for (const v of rule.variables) {
        if (v.value.length > MAX_VARIABLE_VALUE_LENGTH) out.push({ code: "ValueTooLong", path: where, message: `Rule variable ${v.name} has ${v.value.length} characters (at most ${MAX_VARIABLE_VALUE_LENGTH}).`, severity: "error" });
      }
    }
  } catch {
    // malformed rules: reported by validation
  }
}

function checkRestartCodes(step: Step, where: string, out: LintIssue[]): void {
  const command = `${step.action ?? ""} ${setting(step, "CommandLine") ?? ""}`;
  const installer = RESTART_CODE_TYPES.has(step.type) || ((step.type === "" || step.type === "SMS_TaskSequence_RunCommandLineAction") && INSTALL_COMMAND.test(command));
  if (installer && !step.successCodes.includes(3010)) {
    out.push({ code: "MissingRestartCode", path: where, message: `The install step's success codes (${step.successCodes.join(" ")}) miss 3010: an install that needs a restart fails the step instead of restarting.`, severity: "warning", suggestion: `successCodeList="${[...step.successCodes, 3010].join(" ")}"` });
  }
}

function inWinPeOnly(v: Visit): boolean {
  const step = v.item as Step;
  if (step.runIn === "WinPE") return true;
  return [...v.groups, v.item].some((i) =>
    conditionReads(i.condition).some((r) => r.kind === "condition" && variableNameKey(r.name) === variableNameKey("_SMSTSInWinPE")) &&
    (i.condition?.operands ?? []).some((o) => o.kind === "expression" && o.properties.some((p) => p.name === "Value" && p.value.trim().toLowerCase() === "true")),
  );
}

function checkRestartTarget(seq: TaskSequence, v: Visit, osInstalled: boolean, out: LintIssue[]): void {
  const step = v.item as Step;
  if (step.type !== "SMS_TaskSequence_RebootAction") return;
  const target = (setting(step, "Target") ?? "").trim().toLowerCase();
  const where = formatItemPath(v.path);
  if (target === "winpe" && seq.package !== undefined && (seq.package.bootImageId ?? "") === "") {
    out.push({ code: "RestartTarget", path: where, message: "The step restarts into Windows PE but the task sequence has no boot image: the run fails.", severity: "error", suggestion: "Assign a boot image or restart into HD." });
  }
  if (target === "hd" && !osInstalled && inWinPeOnly(v)) {
    out.push({ code: "RestartTarget", path: where, message: "The step restarts into the installed OS from Windows PE before any step installs an OS.", severity: "warning", suggestion: "Restart into WinPE, or move the step after Apply Operating System Image." });
  }
}

function lastStepBefore(visits: readonly Visit[], index: number, current: Visit): Visit | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const v = visits[i];
    if (v === undefined) break;
    if (v.item.kind === "step" && !current.groups.includes(v.item)) return v;
  }
  return undefined;
}

/** Two condition expressions of the same type with the same properties (names and values as written). */
function sameExpression(a: ConditionExpression, b: ConditionExpression): boolean {
  const text = (e: ConditionExpression): string => JSON.stringify([e.type, [...e.properties].map((p) => [p.name, p.value]).sort()]);
  return text(a) === text(b);
}

/**
 * Whether `condition` holds whenever every guard does: each of its top-level expressions is one
 * of the guards (`X equals 2` on the step before, `X equals 2` again on the group that reads its
 * result). A skip because of such a condition means the guarded item is skipped too.
 */
function impliedBy(condition: Condition | undefined, guards: readonly ConditionNode[]): boolean {
  return (condition?.operands ?? []).every((o) => o.kind === "expression" && guards.some((g) => g.kind === "expression" && sameExpression(g, o)));
}

function checkLastAction(visits: readonly Visit[], index: number, out: LintIssue[], reported: Set<Item>): void {
  const v = visits[index];
  if (v === undefined || !conditionReads(v.item.condition).some((r) => LAST_ACTION.test(r.name))) return;
  const previous = lastStepBefore(visits, index, v);
  // Nested checks after the same step repeat the first finding.
  if (previous === undefined || reported.has(previous.item)) return;
  reported.add(previous.item);
  // The item's own condition and its groups' guard it: a skip those guards imply cannot be the case when it runs.
  const guards = [...v.groups, v.item].flatMap((i) => i.condition?.operands ?? []);
  const skippable = [...previous.groups.filter((g) => !v.groups.includes(g)), previous.item].find((i) => i.disabled || ((i.condition?.operands.length ?? 0) > 0 && !impliedBy(i.condition, guards)));
  if (skippable === undefined) return;
  out.push({
    code: "LastActionAfterSkippableStep",
    path: formatItemPath(v.path),
    message: `The condition reads the last-action variables, but the step before it ("${previous.item.name}") may be skipped (${skippable === previous.item ? "it" : `its group "${skippable.name}"`} is ${skippable.disabled ? "disabled" : "conditional"}); the values would then describe an earlier step.`,
    severity: "warning",
    suggestion: "Check a variable the step itself sets, or make the preceding step unconditional.",
  });
}

async function checkConditions(visits: readonly Visit[], s: State, seq: TaskSequence): Promise<void> {
  const never = new Set<Item>();
  const lastActionReported = new Set<Item>();
  const liteTouchPhase = unsetLiteTouchPhase(seq);
  let osInstalled = false;
  for (const [index, v] of visits.entries()) {
    const where = formatItemPath(v.path);
    const blockedBy = v.groups.find((g) => never.has(g) || g.disabled);
    const unconditional = v.groups.every((g) => (g.condition?.operands.length ?? 0) === 0) && (v.item.condition?.operands.length ?? 0) === 0;
    if (blockedBy !== undefined) {
      never.add(v.item);
      if (!v.item.disabled && v.item.kind === "step") {
        s.out.push({ code: "NeverRuns", path: where, message: `The step can never run: its group "${blockedBy.name}" is ${blockedBy.disabled ? "disabled" : "never entered"}.`, severity: "info" });
      }
      continue;
    }
    if (v.item.condition !== undefined && !v.item.disabled) {
      const value = await staticConditionValue(v.item.condition, s.fixed);
      if (value === false) {
        never.add(v.item);
        s.out.push({ code: "ConditionAlwaysFalse", path: where, message: `The condition is always false, so the ${v.item.kind} can never run.`, severity: "warning" });
      } else if (value === true) {
        s.out.push({ code: "ConditionAlwaysTrue", path: where, message: "The condition is always true; it can be removed.", severity: "info" });
      }
    }
    if (where === liteTouchPhase) {
      s.out.push({
        code: "LiteTouchStart",
        path: where,
        message: "The condition tests PHASE, which MDT's LiteTouch.wsf sets before the first step and no step sets: run without that start, every phase group is skipped.",
        severity: "info",
        suggestion: "Run with the Lite Touch start (taskseq run --lite-touch, liteTouchStart of @taskseq/steps) or give PHASE.",
      });
    }
    checkReads(v, s);
    checkLastAction(visits, index, s.out, lastActionReported);
    if (v.item.kind !== "step") continue;
    if (!v.item.disabled) {
      checkSecrets(v.item, where, s);
      checkRestartTarget(seq, v, osInstalled, s.out);
      checkRestartCodes(v.item, where, s.out);
      recordWrites(v.item, unconditional, s);
      if (OS_INSTALL_TYPES.has(v.item.type)) osInstalled = true;
    }
    checkLengths(v.item, where, s.out);
  }
}

function selfReference(seq: TaskSequence, visits: readonly Visit[], out: LintIssue[]): void {
  const own = (seq.package?.packageId ?? "").trim().toUpperCase();
  if (own === "") return;
  for (const v of visits) {
    if (v.item.kind === "step" && (setting(v.item, "TsPackageID") ?? "").trim().toUpperCase() === own) {
      out.push({ code: "ChildCycle", path: formatItemPath(v.path), message: `The step runs its own task sequence ${own}.`, severity: "error" });
    }
  }
}

/**
 * Lints a sequence: every model validation issue plus variables read before any write (with a
 * did-you-mean suggestion), steps that can never run, conditions always true or false, secrets in
 * command lines, values over 4,000 characters, restart steps targeting the wrong environment,
 * install steps without 3010, last-action checks after a skippable step and an MDT Lite Touch
 * sequence whose `PHASE` only the Lite Touch start sets (`LiteTouchStart`). Never throws for a
 * sequence; issues come in document order after the validation issues.
 *
 * @example
 * ```ts
 * const issues = await lintSequence(seq);
 * for (const i of issues) console.log(i.severity, i.code, i.path, i.message, i.suggestion ?? "");
 * ```
 */
export async function lintSequence(seq: TaskSequence, options: LintOptions = {}): Promise<LintIssue[]> {
  const validation = options.resolver === undefined ? validateSequence(seq) : await validateSequence(seq, { resolver: options.resolver });
  const out: LintIssue[] = [...validation];
  const visits = flatten(seq.items, [], [], []);
  const state: State = { out, known: knownNames(seq, options), secrets: new Set(), fixed: new Map(), scriptBefore: false };
  for (const g of seq.globalVariables) {
    if (g.value.length > MAX_VARIABLE_VALUE_LENGTH) out.push({ code: "ValueTooLong", path: "globalVariables", message: `Global variable ${g.name} has ${g.value.length} characters (at most ${MAX_VARIABLE_VALUE_LENGTH}).`, severity: "error" });
  }
  if (options.resolver === undefined) selfReference(seq, visits, out);
  await checkConditions(visits, state, seq);
  return out;
}

/** Plain text of lint issues, one per line, and a count line (what `taskseq lint` prints). */
export function formatLintIssues(issues: readonly LintIssue[]): string {
  const lines = issues.map((i) => `${i.severity.padEnd(7)} ${i.code}${i.path === "" ? "" : ` [${i.path}]`}: ${i.message}${i.suggestion === undefined ? "" : ` (suggestion: ${i.suggestion})`}`);
  const count = (sev: LintSeverity): number => issues.filter((i) => i.severity === sev).length;
  lines.push(`${count("error")} error(s), ${count("warning")} warning(s), ${count("info")} info`);
  return `${lines.join("\n")}\n`;
}
