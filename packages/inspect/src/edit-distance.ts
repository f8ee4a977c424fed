/**
 * Levenshtein distance and did-you-mean suggestions over variable names.
 */

/** The edit distance between two strings (case-insensitive), stopping early above `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  if (Math.abs(x.length - y.length) > limit) return limit + 1;
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      const v = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current.push(v);
      best = Math.min(best, v);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[y.length] ?? 0;
}

/**
 * The closest known name within a small distance (at most 2, and less than a third of the
 * name's length), or `undefined`. Ties go to the first known name.
 *
 * @example
 * ```ts
 * suggestName("OSDComputerNmae", ["OSDComputerName", "OSDTimeZone"]); // "OSDComputerName"
 * ```
 */
export function suggestName(name: string, known: Iterable<string>): string | undefined {
  const limit = Math.min(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    if (candidate.toUpperCase() === name.toUpperCase()) return undefined;
    const d = editDistance(name, candidate, limit);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
