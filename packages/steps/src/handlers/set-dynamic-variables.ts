/**
 * Set Dynamic Variables (`SMS_TaskSequence_SetDynamicVariablesAction`, spec/steps.md §7,
 * execution.md §12, conditions.md §5).
 */
import type { StepHandlerContext } from "@taskseq/engine";
import { evaluateCondition, likeMatch } from "@taskseq/engine";
import type { ConditionExpression } from "@taskseq/model";
import { TaskSeqError, isTaskSeqError, quoteVariableName, type TaskSeqErrorCode } from "@taskseq/model";
import { parseDynamicRules } from "@taskseq/xml";
import { capability } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { required } from "../internal/settings.js";

/** The hardware facts rules match against. */
export interface DynamicFacts {
  /** Make. */
  readonly make: string;
  /** Model. */
  readonly model: string;
  /** Serial number. */
  readonly serialNumber: string;
  /** Asset tag. */
  readonly assetTag: string;
  /** SMBIOS UUID. */
  readonly uuid: string;
  /** MAC addresses, adapter order. */
  readonly macAddresses: readonly string[];
  /** IP addresses. */
  readonly ipAddresses: readonly string[];
  /** Default gateways. */
  readonly defaultGateways: readonly string[];
}

/**
 * The Location rule's expression class. Its real name was not observed in exports (spec/steps.md
 * §7 "Open"); the SDK reads this name and keeps any other unknown class verbatim.
 */
export const LOCATION_EXPRESSION_TYPE = "SMS_TaskSequence_LocationConditionExpression";
const COMPUTER = "SMS_TaskSequence_ComputerConditionExpression";
const MAKE_MODEL = "SMS_TaskSequence_MakeModelConditionExpression";

const values = (expr: ConditionExpression, name: string): string[] =>
  expr.properties.filter((p) => p.name.toLowerCase() === name.toLowerCase()).map((p) => p.value.trim()).filter((v) => v !== "");

/**
 * Entry refusals that skip only that entry (variables.md §5.1): a read-only name fails the step
 * with `AccessDenied` (5), an invalid name with `InvalidSetting` (87).
 */
const REFUSED_NAME_CODES: Partial<Record<TaskSeqErrorCode, TaskSeqErrorCode>> = {
  ReadOnlyVariable: "AccessDenied",
  InvalidVariableName: "InvalidSetting",
};

const macKey = (mac: string): string => mac.replace(/[-:.]/g, "").toUpperCase();
const uuidKey = (uuid: string): string => uuid.trim().replace(/^\{|\}$/g, "").toUpperCase();

/** Normalises an IPv4 (dotted decimal) or IPv6 address to one comparable form. */
export function normalizeIp(address: string): string {
  const a = address.trim();
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(a)) return a.split(".").map((p) => String(Number(p))).join(".");
  if (!a.includes(":")) return a.toLowerCase();
  const [head = "", tail = ""] = a.toLowerCase().split("::");
  const left = head === "" ? [] : head.split(":");
  const right = a.includes("::") ? (tail === "" ? [] : tail.split(":")) : [];
  const fill = a.includes("::") ? Array(Math.max(0, 8 - left.length - right.length)).fill("0") : [];
  return [...left, ...fill, ...right].map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? String(parseInt(g, 16).toString(16)) : g)).join(":");
}

/**
 * True when a Computer, Make and Model or Location expression matches the facts (conditions.md §5);
 * `undefined` for any other expression type.
 *
 * @throws TaskSeqError `ConditionError` for an expression with no values to match
 */
export function matchFactExpression(expr: ConditionExpression, facts: DynamicFacts): boolean | undefined {
  switch (expr.type) {
    case COMPUTER: {
      const tags = values(expr, "AssetTag");
      const macs = values(expr, "MACAddress");
      const serials = values(expr, "SerialNumber");
      const uuids = values(expr, "UUID");
      if (tags.length + macs.length + serials.length + uuids.length === 0) throw new TaskSeqError("ConditionError", "A Computer rule needs an asset tag, MAC address, serial number or UUID.");
      return (
        tags.some((t) => t.toUpperCase() === facts.assetTag.toUpperCase()) ||
        serials.some((s) => s.toUpperCase() === facts.serialNumber.toUpperCase()) ||
        macs.some((m) => facts.macAddresses.some((d) => macKey(d) === macKey(m))) ||
        uuids.some((u) => uuidKey(u) === uuidKey(facts.uuid))
      );
    }
    case MAKE_MODEL: {
      const make = values(expr, "Make")[0] ?? "";
      const model = values(expr, "Model")[0] ?? "";
      if (make === "" && model === "") throw new TaskSeqError("ConditionError", "A Make and Model rule needs a make or a model.");
      return (make === "" || likeMatch(facts.make, make)) && (model === "" || likeMatch(facts.model, model));
    }
    case LOCATION_EXPRESSION_TYPE: {
      const gateways = values(expr, "DefaultGateway");
      if (gateways.length === 0) throw new TaskSeqError("ConditionError", "A Location rule needs a default gateway.");
      const device = new Set(facts.defaultGateways.map(normalizeIp));
      return gateways.some((g) => device.has(normalizeIp(g)));
    }
    default:
      return undefined;
  }
}

async function gatherFacts(ctx: StepHandlerContext): Promise<DynamicFacts> {
  const hardware = capability(ctx, "hardware");
  const [facts, adapters] = await Promise.all([hardware.facts(), hardware.networkAdapters()]);
  const result: DynamicFacts = {
    make: facts.manufacturer,
    model: facts.model,
    serialNumber: facts.serialNumber,
    assetTag: facts.assetTag,
    uuid: facts.uuid,
    macAddresses: adapters.map((a) => a.macAddress),
    ipAddresses: adapters.flatMap((a) => a.ipAddresses),
    defaultGateways: adapters.flatMap((a) => a.defaultGateways),
  };
  const written: readonly (readonly [string, string])[] = [
    ["_SMSTSMake", result.make],
    ["_SMSTSModel", result.model],
    ["_SMSTSSerialNumber", result.serialNumber],
    ["_SMSTSAssetTag", result.assetTag],
    ["_SMSTSUUID", result.uuid],
    ["_SMSTSMacAddresses", result.macAddresses.join(",")],
    ["_SMSTSIPAddresses", result.ipAddresses.join(",")],
    ["_SMSTSDefaultGateways", result.defaultGateways.join(",")],
  ];
  for (const [name, value] of written) ctx.setReadOnly(name, value);
  return result;
}

/**
 * Gathers `_SMSTSMake`, `_SMSTSModel`, `_SMSTSSerialNumber`, `_SMSTSAssetTag`, `_SMSTSUUID`,
 * `_SMSTSMacAddresses`, `_SMSTSIPAddresses` and `_SMSTSDefaultGateways`, then evaluates the rules
 * in document order: each matching rule writes its variables (`%VAR%`-expanded, `IsSecret`
 * marks secret, empty deletes); a later match overwrites an earlier one; a rule sees the
 * variables earlier rules wrote; conditions are evaluated by the engine's `evaluateCondition`
 * (short-circuit: skipped operands are not evaluated); an evaluation error of an evaluated operand
 * makes that rule not match (warning).
 * Malformed rules fail with `InvalidSetting` (87). An entry with a read-only or invalid name is
 * skipped with a warning line (variables.md §5.1); every other entry of every matching rule is
 * still applied, then the step fails with the code of the first refused entry in document order
 * (`AccessDenied` 5 for a read-only name, `InvalidSetting` 87 for an invalid one).
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_SetDynamicVariablesAction", setDynamicVariablesHandler);
 * ```
 */
export const setDynamicVariablesHandler = defineHandler(async (ctx) => {
  let rules;
  try {
    rules = parseDynamicRules(required(ctx.settings, "Rules")).rules;
  } catch (e) {
    if (isTaskSeqError(e) && e.code !== "InvalidSetting") throw new TaskSeqError("InvalidSetting", `The rules are malformed: ${e.message}`, { cause: e });
    throw e;
  }
  const facts = await gatherFacts(ctx);
  const refused: { code: TaskSeqErrorCode; message: string; cause: unknown }[] = [];
  for (const [i, rule] of rules.entries()) {
    let matches = true;
    if (rule.condition !== undefined) {
      const outcome = await evaluateCondition(rule.condition, {
        getVariable: (n) => ctx.env.get(n),
        expand: async (t) => ctx.env.expand(t),
        device: ctx.device,
        caseSensitive: ctx.run.conditionCaseSensitive,
        customExpression: (expr) => matchFactExpression(expr, facts),
      });
      matches = outcome.value;
      if (outcome.error !== undefined) {
        if (ctx.signal.aborted) throw outcome.error;
        ctx.log.warning(`Rule ${i + 1}: ${outcome.error.message} The rule does not apply.`);
      }
    }
    if (!matches) {
      ctx.log.info(`Rule ${i + 1} does not match.`);
      continue;
    }
    for (const v of rule.variables) {
      const value = ctx.env.expand(v.value);
      try {
        ctx.env.set(v.name, value, v.secret ? { secret: true } : {});
      } catch (e) {
        if (!isTaskSeqError(e)) throw e;
        const code = REFUSED_NAME_CODES[e.code];
        if (code === undefined) throw e;
        // The environment's name error names the variable, never the value (a secret stays out of the log).
        ctx.log.warning(`Rule ${i + 1}: skipped ${quoteVariableName(v.name)}: ${e.message}`);
        refused.push({ code, message: `Rule ${i + 1}: ${e.message}`, cause: e });
        continue;
      }
      ctx.log.info(value === "" ? `Rule ${i + 1}: deleted ${v.name}.` : `Rule ${i + 1}: set ${v.name}${v.secret ? " (secret)" : ""}.`);
    }
  }
  const first = refused[0];
  if (first !== undefined) {
    const more = refused.length > 1 ? ` (${refused.length} entries were refused; the first is reported.)` : "";
    throw new TaskSeqError(first.code, `${first.message}${more}`, { cause: first.cause });
  }
  return { exitCode: 0 };
});
