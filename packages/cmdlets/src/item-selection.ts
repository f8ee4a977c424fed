/**
 * Finds steps and groups by name with PowerShell wildcards (`*`, `?`, case-insensitive), as the
 * `-StepName` parameters of the ConfigurationManager cmdlets do.
 */
import { TaskSeqError, walk } from "@taskseq/model";
import type { ItemMatch, TaskSequence } from "@taskseq/model";

/** A case-insensitive matcher for a PowerShell wildcard pattern. */
export function wildcardMatcher(pattern: string): (text: string) => boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  const re = new RegExp(`^${source}$`, "is");
  return (text) => re.test(text);
}

/** Every item whose name matches `pattern` (all items when it is `undefined`), with paths. */
export function selectItems(seq: TaskSequence, pattern: string | undefined, filter: (m: ItemMatch) => boolean = () => true): ItemMatch[] {
  const matches = pattern === undefined ? () => true : wildcardMatcher(pattern);
  const out: ItemMatch[] = [];
  walk(seq, (item, path) => {
    const m = { item, path };
    if (matches(item.name) && filter(m)) out.push(m);
  });
  return out;
}

/** The matches, or `NotFound` naming the cmdlet and the pattern. */
export function requireItems(cmdlet: string, seq: TaskSequence, pattern: string, filter?: (m: ItemMatch) => boolean): ItemMatch[] {
  const found = selectItems(seq, pattern, filter);
  if (found.length === 0) throw new TaskSeqError("NotFound", `${cmdlet}: no step or group matches "${pattern}".`, { details: { cmdlet, stepName: pattern } });
  return found;
}
