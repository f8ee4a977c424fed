/**
 * Deep freezing of model values (every model value is immutable).
 */

/**
 * Freezes `value` and everything reachable from it; returns it.
 *
 * @example
 * ```ts
 * const seq = deepFreeze({ kind: "sequence", ... });
 * ```
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}
