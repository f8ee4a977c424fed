import { TaskSeqError } from "@taskseq/model";
import type { ContentCatalog, ContentObject } from "./content-catalog.js";
import { createContentCatalog } from "./content-catalog.js";
import type { DeviceDirectory } from "./collections.js";
import { createDeviceDirectory } from "./collections.js";
import type { DeploymentSettings } from "./deployment-settings.js";
import { validateDeploymentSettings } from "./deployment-settings.js";
import { devicesNeverStarting } from "./deployment-windows.js";
import type { DeploymentTemplate } from "./deployment-templates.js";
import { toTemplate } from "./deployment-templates.js";
import type { HighRiskSettings } from "./high-risk.js";
import { DEFAULT_HIGH_RISK_SETTINGS, deploysOperatingSystem, validateHighRiskSettings, verifyHighRisk } from "./high-risk.js";
import type { LibraryEntry, TaskSequenceLibrary } from "./library.js";
import { childPackageIds, createTaskSequenceLibrary } from "./library.js";

/** A deployment the site created. */
export interface Deployment {
  /** Deployment (advertisement) ID. */
  readonly id: string;
  /** The settings, as given. */
  readonly settings: DeploymentSettings;
  /** High-risk (required OS deployment). */
  readonly highRisk: boolean;
  /** Non-blocking warnings, including the high-risk ones the administrator agreed to. */
  readonly warnings: readonly string[];
}

/** A status message of the site's audit trail. */
export interface AuditMessage {
  /** Message kind. */
  readonly kind: "high-risk-deployment" | "deployment-created" | "deployment-deleted";
  /** Deployment ID. */
  readonly deployment: string;
  /** Text. */
  readonly text: string;
}

/** Options of {@link createSite}. */
export interface SiteOptions {
  /** Site code (default `PS1`). */
  readonly siteCode?: string;
  /** Deployment verification settings (default {@link DEFAULT_HIGH_RISK_SETTINGS}). */
  readonly highRisk?: HighRiskSettings;
}

/** A simulated ConfigMgr site: library, content, devices and collections, deployments. */
export interface Site {
  /** Site code. */
  readonly siteCode: string;
  /** Task sequences. */
  readonly library: TaskSequenceLibrary;
  /** Content and distribution. */
  readonly content: ContentCatalog;
  /** Devices and collections. */
  readonly directory: DeviceDirectory;
  /** Deployment verification settings. */
  readonly highRisk: HighRiskSettings;
  /**
   * Checks every rule and creates a deployment (`DeploymentInvalid`, `ReferenceBroken`, `ChildDisabled`, `HighRiskBlocked`);
   * a `debug` deployment needs a collection of at most 10 members now. Warnings include collection
   * variables whose value the collection ID decides (same priority, variables.md §7) and, for a
   * required deployment that keeps to maintenance windows, the members on which it never starts
   * because no window that applies to them (from all their collections) fits the maximum run time.
   */
  deploy(settings: DeploymentSettings): Deployment;
  /** The deployment, or `NotFound`. */
  deployment(id: string): Deployment;
  /** Every deployment, optionally of one task sequence. */
  deployments(taskSequence?: string): readonly Deployment[];
  /** Deletes a deployment. */
  deleteDeployment(id: string): void;
  /** Deletes a task sequence (`InvalidOperation` while it is deployed). */
  deleteTaskSequence(packageId: string): void;
  /** The content a sequence needs now (newest versions, dependencies, children, run-first program); throws like {@link Site.deploy}. */
  contentFor(packageId: string): readonly ContentObject[];
  /** Saves a deployment template (without the settings templates don't keep). */
  saveTemplate(name: string, settings: DeploymentSettings): DeploymentTemplate;
  /** A saved template, or `NotFound`. */
  template(name: string): DeploymentTemplate;
  /** The audit trail. */
  audit(): readonly AuditMessage[];
}

/**
 * Creates an in-memory site.
 *
 * @example
 * ```ts
 * const site = createSite();
 * const ts = site.library.create({ kind: "custom", name: "Inventory" });
 * site.directory.addCollection({ id: "PS100100", name: "Pilot", type: "device" });
 * const d = site.deploy({ taskSequence: ts.packageId, collection: "PS100100", purpose: "available" });
 * ```
 */
export function createSite(options: SiteOptions = {}): Site {
  const library = createTaskSequenceLibrary(options.siteCode === undefined ? {} : { siteCode: options.siteCode });
  const siteCode = options.siteCode ?? "PS1";
  const content = createContentCatalog();
  const directory = createDeviceDirectory();
  const highRisk = validateHighRiskSettings(options.highRisk ?? DEFAULT_HIGH_RISK_SETTINGS);
  const deployments = new Map<string, Deployment>();
  const templates = new Map<string, DeploymentTemplate>();
  const audit: AuditMessage[] = [];
  let counter = 0x20000;

  /** The sequence and its children, depth first; missing children are broken references, disabled ones fail. */
  const tree = (root: LibraryEntry): LibraryEntry[] => {
    const out: LibraryEntry[] = [];
    const visit = (entry: LibraryEntry, path: readonly string[]): void => {
      if (path.includes(entry.packageId)) throw new TaskSeqError("ChildCycle", `Task sequence ${entry.packageId} runs itself through ${path.join(" > ")}.`);
      out.push(entry);
      for (const id of childPackageIds(entry.sequence)) {
        const child = library.find(id);
        if (child === undefined) throw new TaskSeqError("ReferenceBroken", `${entry.name} runs child task sequence ${id}, which is not in the library.`, { details: { references: [id] } });
        if (!child.enabled) throw new TaskSeqError("ChildDisabled", `Child task sequence ${child.name} (${child.packageId}) is disabled; the deployment fails.`);
        if (child.properties.bootImageId !== undefined) throw new TaskSeqError("DeploymentInvalid", `Child task sequence ${child.name} (${child.packageId}) has a boot image; only the top-level task sequence may have one.`);
        visit(child, [...path, entry.packageId]);
      }
    };
    visit(root, []);
    return out;
  };
  const contentFor = (packageId: string): ContentObject[] => {
    const root = library.get(packageId);
    const found = new Map<string, ContentObject>();
    for (const entry of tree(root)) {
      const extra = [entry.properties.bootImageId, entry.properties.runFirst?.packageId].filter((x): x is string => x !== undefined && x !== "");
      for (const o of content.requireReferences(entry.sequence, extra)) found.set(o.id.toUpperCase(), o);
    }
    return [...found.values()];
  };
  const get = (id: string): Deployment => {
    const d = deployments.get(id.toUpperCase());
    if (d === undefined) throw new TaskSeqError("NotFound", `Deployment ${id} does not exist.`);
    return d;
  };

  return {
    siteCode,
    library,
    content,
    directory,
    highRisk,
    deploy: (settings) => {
      const entry = library.get(settings.taskSequence);
      const collection = directory.collection(settings.collection);
      if (collection.type === "user") throw new TaskSeqError("DeploymentInvalid", `${collection.name} is a user collection; task sequences deploy to device collections only.`);
      const objects = contentFor(entry.packageId);
      const hasBootImage = entry.properties.bootImageId !== undefined && entry.properties.bootImageId !== "";
      const memberIds = directory.members(collection.id);
      const warnings = validateDeploymentSettings(settings, { hasBootImage, content: objects, collection: { id: collection.id, name: collection.name, members: memberIds.length } });
      const members = memberIds.map((id) => directory.device(id));
      const check = verifyHighRisk(highRisk, {
        collection,
        members,
        highRisk: settings.purpose === "required" && deploysOperatingSystem(entry.sequence, entry.properties.bootImageId),
        ...(settings.hideLargeCollections === undefined ? {} : { hideLargeCollections: settings.hideLargeCollections }),
        ...(settings.acknowledgeHighRisk === undefined ? {} : { acknowledged: settings.acknowledgeHighRisk }),
      });
      const maxRun = entry.properties.maxRunTimeMinutes;
      const neverStarting = devicesNeverStarting(directory, settings, memberIds, maxRun);
      if (neverStarting.length > 0) {
        const named = neverStarting.slice(0, 5).join(", ") + (neverStarting.length > 5 ? ", ..." : "");
        warnings.push(
          `On ${neverStarting.length} member device(s) of ${collection.name} (${named}) every maintenance window that applies to task sequences, from all their collections, is shorter than the maximum allowed run time (${maxRun} minutes); the task sequence never starts there.`,
        );
      }
      const undistributed = objects.filter((o) => content.distributionPointsOf(o.id).length === 0).map((o) => o.id);
      if (undistributed.length > 0) warnings.push(`Content not yet on any distribution point: ${undistributed.join(", ")}; clients can't run the steps that need it.`);
      for (const c of directory.variableConflicts(memberIds)) {
        warnings.push(
          `Collections ${c.collections.join(", ")} have the same variable priority (${c.priority}) and all define ${c.name} for ${c.devices.length} member device(s) of ${collection.name}; ${c.winner}, the collection ID that sorts last, wins.`,
        );
      }
      if (!entry.enabled) warnings.push(`${entry.name} is disabled: clients receive the deployment but don't run it.`);
      const id = `${siteCode}${(counter++).toString(16).toUpperCase().padStart(5, "0")}`;
      const deployment: Deployment = { id, settings, highRisk: check.highRisk, warnings: [...check.warnings, ...warnings] };
      deployments.set(id, deployment);
      if (check.highRisk) audit.push({ kind: "high-risk-deployment", deployment: id, text: `High-risk deployment of ${entry.name} to ${collection.name} (${members.length} members) created.` });
      audit.push({ kind: "deployment-created", deployment: id, text: `${entry.name} deployed to ${collection.name} as ${settings.purpose}.` });
      return deployment;
    },
    deployment: get,
    deployments: (ts) => [...deployments.values()].filter((d) => ts === undefined || d.settings.taskSequence.toUpperCase() === ts.toUpperCase()),
    deleteDeployment: (id) => {
      const d = get(id);
      deployments.delete(d.id);
      audit.push({ kind: "deployment-deleted", deployment: d.id, text: `Deployment ${d.id} deleted.` });
    },
    deleteTaskSequence: (packageId) => {
      const deployed = [...deployments.values()].find((d) => d.settings.taskSequence.toUpperCase() === packageId.toUpperCase());
      if (deployed !== undefined) throw new TaskSeqError("InvalidOperation", `Task sequence ${packageId} has deployment ${deployed.id}; delete its deployments first.`);
      library.delete(packageId);
    },
    contentFor,
    saveTemplate: (name, settings) => {
      if (name.trim() === "") throw new TaskSeqError("InvalidArgument", "A deployment template needs a name.");
      const template = toTemplate(settings);
      templates.set(name, template);
      return template;
    },
    template: (name) => {
      const t = templates.get(name);
      if (t === undefined) throw new TaskSeqError("NotFound", `Deployment template ${name} does not exist.`);
      return t;
    },
    audit: () => [...audit],
  };
}
