/**
 * The batteries-included engine: the `@taskseq/engine` runner with the default simulated device
 * and every built-in step handler, so `createEngine()` runs a task sequence with no set-up.
 */
import { createSimulatedDevice } from "@taskseq/device";
import { createEngine as createBareEngine } from "@taskseq/engine";
import type { Engine, EngineOptions } from "@taskseq/engine";
import type { TaskSequence } from "@taskseq/model";
import { createBuiltinHandlers } from "@taskseq/steps";
import { writeSequenceXml } from "@taskseq/xml";

/**
 * The `_SMSTSTaskSequence` document of a running sequence (builtin-variables.md §1.1): version 3.10
 * XML with every secret value written empty, the engine's `sequenceDocument` default here and in
 * the CLI.
 *
 * @param sequence - the running sequence, child task sequences merged in (the engine passes it)
 * @example
 * ```ts
 * import { createEngine as createBareEngine } from "@taskseq/engine";
 * const engine = createBareEngine({ sequenceDocument: sequenceDocumentXml });
 * ```
 */
export function sequenceDocumentXml(sequence: TaskSequence): string {
  return writeSequenceXml(sequence, { version: "3.10", secretValues: "empty" });
}

/**
 * An engine with sensible defaults: the default simulated device (`defaultDeviceProfile`), the
 * built-in ConfigMgr and MDT handlers and the `_SMSTSTaskSequence` document
 * ({@link sequenceDocumentXml}); every option of `@taskseq/engine`'s `createEngine` overrides its
 * default.
 *
 * @param options - engine options (device, handlers, state, log, resolver, events, ...)
 * @example
 * ```ts
 * import { createEngine, createSequence, createStep } from "taskseq";
 *
 * const seq = createSequence([createStep("SMS_TaskSequence_SetVariableAction", { VariableName: "Greeting", VariableValue: "hello" })]);
 * const result = await createEngine().run(seq);
 * console.log(result.status); // "success"
 * ```
 */
export function createEngine(options: EngineOptions = {}): Engine {
  return createBareEngine({
    ...options,
    device: options.device ?? createSimulatedDevice(),
    handlers: options.handlers ?? createBuiltinHandlers(),
    sequenceDocument: options.sequenceDocument ?? sequenceDocumentXml,
  });
}
