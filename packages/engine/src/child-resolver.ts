/**
 * Resolution of child task sequences (Run Task Sequence, execution.md §10).
 */
import type { TaskSequence } from "@taskseq/model";

/** A task sequence package as the resolver finds it. */
export interface ResolvedTaskSequence {
  /** The package ID (`RSC00237`). */
  readonly packageId: string;
  /** Display name. */
  readonly name: string;
  /** The sequence. */
  readonly sequence: TaskSequence;
  /** A disabled package fails the deployment (`ChildDisabled`). */
  readonly disabled?: boolean;
}

/** Finds task sequence packages by ID. */
export interface TaskSequenceResolver {
  /** The package, or `undefined` when it does not exist. */
  resolve(packageId: string): Promise<ResolvedTaskSequence | undefined>;
}

/**
 * A resolver over a fixed set of packages.
 *
 * @example
 * ```ts
 * const resolver = createMapResolver([{ packageId: "RSC00237", name: "Apps", sequence }]);
 * ```
 */
export function createMapResolver(packages: readonly ResolvedTaskSequence[] = []): TaskSequenceResolver {
  const byId = new Map(packages.map((p) => [p.packageId.toUpperCase(), p]));
  return {
    resolve: (packageId) => Promise.resolve(byId.get(packageId.toUpperCase())),
  };
}
