/** Names whose values are secret whatever the writer says (spec/variables.md §9.1, upper-cased keys). */
const SECRET_NAMES: ReadonlySet<string> = new Set([
  "OSDPRODUCTKEY",
  "OSDUPGRADEOSPRODUCTKEY",
  "PRODUCTKEY",
  "BDEPIN",
  "TPMOWNERPASSWORD",
  "ADMINPASSWORD",
  "DOMAINADMINPASSWORD",
  "SAFEMODEADMINPASSWORD",
  "ADDSPASSWORD",
  "OSDCAPTUREACCOUNTPASSWORD",
  "OSDBITLOCKERPIN",
  "OSDBITLOCKERRECOVERYPASSWORD",
  "OSDBITLOCKERSTARTUPKEY",
]);

/**
 * Names ending in `PASSWORD` that hold a switch or a choice, not a password (upper-cased keys):
 * Apply Windows Settings' `OSDRandomAdminPassword` (its setting `RandomAdminPassword`, `true` or
 * `false`), MDT's wizard switch `SkipAdminPassword` (`YES` or `NO`) and Enable BitLocker's
 * `OSDBitLockerCreateRecoveryPassword` (its setting `CreateRecoveryPassword`: where the recovery
 * key goes, `AD` or `ConfigMgr`). Their values are not secret: as secrets they would mask every
 * `true`, `false`, `YES`, `NO` or `AD` in the log, also inside words (`ADK`).
 */
const SWITCH_NAMES: ReadonlySet<string> = new Set(["OSDRANDOMADMINPASSWORD", "RANDOMADMINPASSWORD", "SKIPADMINPASSWORD", "OSDBITLOCKERCREATERECOVERYPASSWORD", "CREATERECOVERYPASSWORD"]);

/**
 * True when a variable is secret by its name alone (spec/variables.md §9.1): any name ending in
 * `Password` (but the switches `OSDRandomAdminPassword`, `RandomAdminPassword`, `SkipAdminPassword`,
 * `OSDBitLockerCreateRecoveryPassword` and `CreateRecoveryPassword`), the product key and PIN names, and the step settings the SDK classes mark secret.
 *
 * @param name - a variable name (any casing, surrounding spaces allowed)
 * @example
 * ```ts
 * isSecretVariableName("OSDJoinPassword"); // true
 * isSecretVariableName("OSDComputerName"); // false
 * isSecretVariableName("OSDRandomAdminPassword"); // false: a true/false switch
 * ```
 */
export function isSecretVariableName(name: string): boolean {
  return isSecretVariableKey(name.trim().toUpperCase());
}

/** {@link isSecretVariableName} for an already trimmed and upper-cased key (a hot path of the environment). */
export function isSecretVariableKey(key: string): boolean {
  return (key.endsWith("PASSWORD") && !SWITCH_NAMES.has(key)) || SECRET_NAMES.has(key);
}
