/**
 * Options that change how the built-in handlers run scripts and read MDT rules.
 */
import type { ScriptRunner } from "@taskseq/script";

/** Where Run PowerShell Script runs its script (spec/steps.md §5 behaviour 5). */
export type ScriptHostMode = "sandbox" | "commands" | "auto";

/** Options of `createBuiltinHandlers`. */
export interface BuiltinHandlerOptions {
  /**
   * `sandbox` (default): the QuickJS sandbox; constructs outside the PowerShell-style subset fail
   * with `ScriptUnsupported`. `commands`: real PowerShell through the device's command runner.
   * `auto`: the sandbox when the script compiles, otherwise the command runner.
   */
  readonly scriptHost?: ScriptHostMode;
  /**
   * Runs the sandbox scripts of every step (default: `@taskseq/script`'s shared runner, one
   * WebAssembly module for all steps). On Node pass `createWorkerScriptRunner()` of `@taskseq/node`,
   * whose deadline also stops scripts busy inside built-ins.
   */
  readonly scriptRunner?: Pick<ScriptRunner, "run">;
  /** Verifies the signature block of an `AllSigned` script; without it a warning is logged and the script runs. */
  readonly signatureVerifier?: (script: string) => boolean | Promise<boolean>;
  /** `CustomSettings.ini` text `BDD_Gather` uses when the step names no rules file and `%DeployRoot%` has none. */
  readonly customSettings?: string;
}
