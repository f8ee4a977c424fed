import { TaskSeqError, walk } from "@taskseq/model";
import type { TaskSequence } from "@taskseq/model";

/** Kinds of content a task sequence references. */
export type ContentObjectKind = "package" | "application" | "os-image" | "boot-image" | "driver-package" | "os-upgrade-package";

/** Processor architecture of content and devices. */
export type Architecture = "x86" | "x64" | "arm64";

/** A content object as registered in the catalog. */
export interface ContentObjectInput {
  /** Package ID, or the application's model name. */
  readonly id: string;
  /** Kind. */
  readonly kind: ContentObjectKind;
  /** Display name. */
  readonly name: string;
  /** Architecture (boot images, OS images, upgrade packages, drivers). */
  readonly architecture?: Architecture;
  /** Language (OS upgrade packages, images), e.g. `en-US`. */
  readonly language?: string;
  /** Applications this one depends on (their IDs). */
  readonly dependencies?: readonly string[];
  /** "Copy the content in this package to a package share on distribution points". */
  readonly packageShare?: boolean;
  /** Content size in MB. */
  readonly sizeMb?: number;
}

/** A content object with its current version. */
export interface ContentObject extends ContentObjectInput {
  /** Source version; a new version is used automatically by every sequence that references the object. */
  readonly version: number;
}

/** A reference from a task sequence to content, with what it resolved to. */
export interface ResolvedReference {
  /** The referenced ID. */
  readonly id: string;
  /** The object (latest version), or `undefined` when the reference is broken. */
  readonly object: ContentObject | undefined;
  /** Why it is referenced: the step path name, the sequence's reference list, or a dependency. */
  readonly via: string;
}

/** The content library and its distribution to distribution points. */
export interface ContentCatalog {
  /** Registers an object (version 1); `InvalidOperation` when the ID exists. */
  add(object: ContentObjectInput): ContentObject;
  /** Registers a new version of an object (same ID): sequences use it automatically. */
  update(id: string, changes?: Partial<Omit<ContentObjectInput, "id" | "kind">>): ContentObject;
  /** Removes an object: references to it become broken. */
  remove(id: string): void;
  /** The object, or `undefined`. */
  find(id: string): ContentObject | undefined;
  /** Every object. */
  list(): readonly ContentObject[];
  /** Adds a distribution point. */
  addDistributionPoint(name: string): void;
  /** Creates a distribution point group of existing points. */
  addDistributionPointGroup(name: string, members: readonly string[]): void;
  /** Distributes objects (and their application dependencies) to points and groups. */
  distribute(ids: readonly string[], targets: { readonly points?: readonly string[]; readonly groups?: readonly string[] }): void;
  /** The points holding an object. */
  distributionPointsOf(id: string): readonly string[];
  /** Every content reference of a sequence (steps, reference list, boot image, dependencies), resolved. */
  resolve(sequence: TaskSequence, extra?: readonly string[]): readonly ResolvedReference[];
  /** Throws `ReferenceBroken` naming every reference that resolves to nothing. */
  requireReferences(sequence: TaskSequence, extra?: readonly string[]): readonly ContentObject[];
}

/** Step settings (by property) that hold one content ID, or a list of them. */
const SINGLE_CONTENT = /^(?!Ts)\w*PackageI[Dd]$/;
const LIST_CONTENT = /^(DownloadPackages|PackageInfoList)$/;

/** Content IDs referenced by a sequence's steps and reference list, with the step names. */
export function referencedContent(sequence: TaskSequence): readonly { readonly id: string; readonly via: string }[] {
  const found: { id: string; via: string }[] = [];
  for (const r of sequence.references) {
    const id = r.package ?? r.application;
    if (id !== undefined && id !== "") found.push({ id, via: "reference list" });
  }
  walk(sequence, (item) => {
    if (item.kind !== "step") return;
    for (const v of item.variables) {
      const isList = LIST_CONTENT.test(v.property);
      if (!isList && !SINGLE_CONTENT.test(v.property)) continue;
      for (const token of v.value.split(/[\n,]+/)) {
        const id = token.split(":")[0]?.trim() ?? "";
        if (id !== "" && !id.includes("%")) found.push({ id, via: `step "${item.name}"` });
      }
    }
  });
  return found;
}

/**
 * Creates a content catalog: packages, applications with dependencies, OS images, boot images,
 * driver packages and OS upgrade packages, their versions and their distribution.
 *
 * @example
 * ```ts
 * const catalog = createContentCatalog();
 * catalog.add({ id: "PS100010", kind: "os-image", name: "Windows 11 23H2", architecture: "x64" });
 * catalog.addDistributionPoint("DP01");
 * catalog.distribute(["PS100010"], { points: ["DP01"] });
 * catalog.requireReferences(sequence); // ReferenceBroken when something is missing
 * ```
 */
export function createContentCatalog(): ContentCatalog {
  const objects = new Map<string, ContentObject>();
  const points = new Set<string>();
  const groups = new Map<string, readonly string[]>();
  const placement = new Map<string, Set<string>>();
  const key = (id: string): string => id.toUpperCase();
  const get = (id: string): ContentObject => {
    const o = objects.get(key(id));
    if (o === undefined) throw new TaskSeqError("NotFound", `Content ${id} is not in the catalog.`);
    return o;
  };
  const closure = (ids: readonly string[]): string[] => {
    const seen = new Set<string>();
    const visit = (id: string): void => {
      if (seen.has(key(id))) return;
      seen.add(key(id));
      for (const d of objects.get(key(id))?.dependencies ?? []) visit(d);
    };
    ids.forEach(visit);
    return [...seen];
  };
  const resolve: ContentCatalog["resolve"] = (sequence, extra = []) => {
    const refs = [...referencedContent(sequence), ...(sequence.package?.bootImageId ? [{ id: sequence.package.bootImageId, via: "boot image" }] : []), ...extra.map((id) => ({ id, via: "task sequence properties" }))];
    const out = new Map<string, ResolvedReference>();
    const add = (id: string, via: string): void => {
      if (out.has(key(id))) return;
      const object = objects.get(key(id));
      out.set(key(id), { id, object, via });
      for (const d of object?.dependencies ?? []) add(d, `dependency of ${object?.name ?? id}`);
    };
    for (const r of refs) add(r.id, r.via);
    return [...out.values()];
  };
  return {
    add: (input) => {
      if (input.id.trim() === "" || input.name.trim() === "") throw new TaskSeqError("InvalidArgument", "Content needs an ID and a name.");
      if (objects.has(key(input.id))) throw new TaskSeqError("InvalidOperation", `Content ${input.id} is already in the catalog.`);
      const object = { ...input, version: 1 };
      objects.set(key(input.id), object);
      return object;
    },
    update: (id, changes = {}) => {
      const current = get(id);
      const next = { ...current, ...changes, version: current.version + 1 };
      objects.set(key(id), next);
      return next;
    },
    remove: (id) => {
      get(id);
      objects.delete(key(id));
      placement.delete(key(id));
    },
    find: (id) => objects.get(key(id)),
    list: () => [...objects.values()],
    addDistributionPoint: (name) => void points.add(name),
    addDistributionPointGroup: (name, members) => {
      const unknown = members.find((m) => !points.has(m));
      if (unknown !== undefined) throw new TaskSeqError("NotFound", `Distribution point ${unknown} does not exist.`);
      groups.set(name, [...members]);
    },
    distribute: (ids, targets) => {
      const to = new Set(targets.points ?? []);
      for (const g of targets.groups ?? []) {
        const members = groups.get(g);
        if (members === undefined) throw new TaskSeqError("NotFound", `Distribution point group ${g} does not exist.`);
        members.forEach((m) => to.add(m));
      }
      const unknown = [...to].find((p) => !points.has(p));
      if (unknown !== undefined) throw new TaskSeqError("NotFound", `Distribution point ${unknown} does not exist.`);
      ids.forEach(get);
      for (const id of closure(ids)) {
        const set = placement.get(id) ?? new Set<string>();
        to.forEach((p) => set.add(p));
        placement.set(id, set);
      }
    },
    distributionPointsOf: (id) => [...(placement.get(key(id)) ?? [])].sort(),
    resolve,
    requireReferences: (sequence, extra) => {
      const resolved = resolve(sequence, extra);
      const broken = resolved.filter((r) => r.object === undefined);
      if (broken.length > 0) {
        const names = broken.map((b) => `${b.id} (${b.via})`).join(", ");
        throw new TaskSeqError("ReferenceBroken", `${sequence.package?.name ?? sequence.name ?? "The task sequence"} references content that does not exist: ${names}.`, { details: { references: broken.map((b) => b.id) } });
      }
      return resolved.flatMap((r) => (r.object === undefined ? [] : [r.object]));
    },
  };
}
