/**
 * The wizard's custom task sequence.
 */
import { createSequence, type TaskSequence } from "@taskseq/model";

/**
 * The wizard's "Create a new custom task sequence": an empty sequence to fill in.
 *
 * @param name - task sequence name
 * @example
 * ```ts
 * const seq = createCustomTemplate("My sequence");
 * ```
 */
export function createCustomTemplate(name = "Custom Task Sequence"): TaskSequence {
  return createSequence([], { name });
}
