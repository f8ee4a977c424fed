/** Shared test data: the real task sequences of ../shared/corpus and a resolver for their children. */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ResolvedTaskSequence, TaskSequenceResolver } from "@taskseq/engine";
import { isTaskSeqError, type TaskSequence } from "@taskseq/model";
import { parseSequenceXml } from "@taskseq/xml";

/** The corpus folder (read-only, beside the repository). */
export const corpusDir = fileURLToPath(new URL("../../../shared/corpus/", import.meta.url));

/** Every corpus file that is a task sequence (manifests and relationship files are not), by file name. */
export function corpusSequences(): [string, TaskSequence][] {
  const out: [string, TaskSequence][] = [];
  for (const file of readdirSync(corpusDir).filter((f) => f.endsWith(".xml")).sort()) {
    try {
      out.push([file, parseSequenceXml(readFileSync(`${corpusDir}${file}`)).sequence]);
    } catch (e) {
      if (!isTaskSeqError(e)) throw e;
    }
  }
  return out;
}

/** Any child package resolves to an empty sequence. */
export const anyChildResolver: TaskSequenceResolver = {
  resolve: (packageId) => Promise.resolve<ResolvedTaskSequence>({ packageId, name: packageId, sequence: { kind: "sequence", version: "3.10", globalVariables: [], references: [], items: [] } }),
};
