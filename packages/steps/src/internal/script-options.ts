/**
 * Options that change how the built-in handlers run scripts and read MDT rules.
 */

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
  /** Verifies the signature block of an `AllSigned` script; without it a warning is logged and the script runs. */
  readonly signatureVerifier?: (script: string) => boolean | Promise<boolean>;
  /** `CustomSettings.ini` text `BDD_Gather` uses when the step names no rules file and `%DeployRoot%` has none. */
  readonly customSettings?: string;
}
