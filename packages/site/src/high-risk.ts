import { TaskSeqError, walk } from "@taskseq/model";
import type { TaskSequence } from "@taskseq/model";
import { ALL_UNKNOWN_COMPUTERS } from "./collections.js";
import type { Collection, SiteDevice } from "./collections.js";

/** Deployment verification settings of the site (Site properties > Deployment Verification). */
export interface HighRiskSettings {
  /** Collections with more members are hidden by default; `0` ignores it. Default 100. */
  readonly defaultSize: number;
  /** Collections with more members are always hidden; `0` (default) ignores it. Must exceed `defaultSize`. */
  readonly maximumSize: number;
  /** Collections that hold a site system server: `block` or `warn` (default). */
  readonly siteSystems: "block" | "warn";
}

/** The documented defaults: default size 100, no maximum, warn on site systems. */
export const DEFAULT_HIGH_RISK_SETTINGS: HighRiskSettings = { defaultSize: 100, maximumSize: 0, siteSystems: "warn" };

/** What the verification found for one deployment. */
export interface HighRiskCheck {
  /** True for a required deployment of a sequence that deploys an OS. */
  readonly highRisk: boolean;
  /** Warnings the administrator must agree to (`acknowledgeHighRisk`). */
  readonly warnings: readonly string[];
}

const OS_STEPS = new Set(["SMS_TaskSequence_ApplyOperatingSystemAction", "SMS_TaskSequence_UpgradeOperatingSystemAction", "BDD_InstallOS"]);

/** True when a sequence deploys an operating system (a boot image, or an apply/upgrade OS step). */
export function deploysOperatingSystem(sequence: TaskSequence, bootImageId: string | undefined): boolean {
  let found = bootImageId !== undefined && bootImageId !== "";
  walk(sequence, (item) => {
    if (item.kind === "step" && OS_STEPS.has(item.type)) found = true;
  });
  return found;
}

/** Checks settings: sizes are whole numbers ≥ 0 and a maximum exceeds the default. */
export function validateHighRiskSettings(s: HighRiskSettings): HighRiskSettings {
  const whole = (n: number): boolean => Number.isInteger(n) && n >= 0;
  if (!whole(s.defaultSize) || !whole(s.maximumSize)) throw new TaskSeqError("InvalidArgument", "Collection size limits are whole numbers of at least 0.");
  if (s.maximumSize !== 0 && s.maximumSize <= s.defaultSize) throw new TaskSeqError("InvalidArgument", `The maximum size (${s.maximumSize}) must be greater than the default size (${s.defaultSize}).`);
  return s;
}

/** Input of {@link verifyHighRisk}. */
export interface HighRiskInput {
  /** The target collection. */
  readonly collection: Collection;
  /** Its current members. */
  readonly members: readonly SiteDevice[];
  /** Whether the deployment is high-risk. */
  readonly highRisk: boolean;
  /** "Hide collections with a member count greater than the site's minimum size configuration" (default on). */
  readonly hideLargeCollections?: boolean;
  /** The administrator agreed to the warnings. */
  readonly acknowledged?: boolean;
}

/**
 * Deployment verification for high-risk deployments, on the collection's current membership:
 * only custom collections and All Unknown Computers; collections larger than the maximum size,
 * or than the default size while large collections are hidden, can't be chosen; site systems
 * block or warn; a size above the default, a server or a warned site system needs agreement.
 * Blocks with `HighRiskBlocked`.
 *
 * @example
 * ```ts
 * verifyHighRisk({ defaultSize: 100, maximumSize: 1000, siteSystems: "block" }, { collection, members, highRisk: true, hideLargeCollections: false, acknowledged: true });
 * ```
 */
export function verifyHighRisk(settings: HighRiskSettings, input: HighRiskInput): HighRiskCheck {
  if (!input.highRisk) return { highRisk: false, warnings: [] };
  const { collection, members } = input;
  const block = (why: string): never => {
    throw new TaskSeqError("HighRiskBlocked", `High-risk deployment to ${collection.name} (${collection.id}) blocked: ${why}`, { details: { collection: collection.id, members: members.length } });
  };
  if (collection.builtIn && collection.id.toUpperCase() !== ALL_UNKNOWN_COMPUTERS) block("high-risk deployments are limited to custom collections and All Unknown Computers.");
  const count = members.length;
  if (settings.maximumSize > 0 && count > settings.maximumSize) block(`it has ${count} members, more than the maximum size ${settings.maximumSize}.`);
  if ((input.hideLargeCollections ?? true) && settings.defaultSize > 0 && count > settings.defaultSize) {
    block(`it has ${count} members, more than the default size ${settings.defaultSize}; clear "hide collections with a member count greater than the site's minimum size" to choose it.`);
  }
  const siteSystems = members.filter((m) => m.siteSystem === true);
  if (siteSystems.length > 0 && settings.siteSystems === "block") block(`it holds site system servers (${siteSystems.map((m) => m.name).join(", ")}).`);
  const warnings: string[] = [];
  if (siteSystems.length > 0) warnings.push(`The collection holds site system servers: ${siteSystems.map((m) => m.name).join(", ")}.`);
  if (settings.defaultSize > 0 && count > settings.defaultSize) warnings.push(`The collection has ${count} members, more than the default size ${settings.defaultSize}.`);
  const servers = members.filter((m) => m.server === true);
  if (servers.length > 0) warnings.push(`The collection holds servers: ${servers.map((m) => m.name).join(", ")}.`);
  if (warnings.length > 0 && input.acknowledged !== true) block(`agree to the high-risk warnings first (acknowledgeHighRisk). ${warnings.join(" ")}`);
  return { highRisk: true, warnings };
}
