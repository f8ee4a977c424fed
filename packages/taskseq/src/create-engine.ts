/**
 * The batteries-included engine: the `@taskseq/engine` runner with the default simulated device
 * and every built-in step handler, so `createEngine()` runs a task sequence with no set-up.
 */
import { createSimulatedDevice } from "@taskseq/device";
import { createEngine as createBareEngine } from "@taskseq/engine";
import type { Engine, EngineOptions } from "@taskseq/engine";
import { createBuiltinHandlers } from "@taskseq/steps";

/**
 * An engine with sensible defaults: the default simulated device (`defaultDeviceProfile`) and
 * the built-in ConfigMgr and MDT handlers; every option of `@taskseq/engine`'s `createEngine`
 * overrides its default.
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
  });
}
