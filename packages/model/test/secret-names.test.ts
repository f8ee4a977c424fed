import { describe, expect, it } from "vitest";
import { isSecretVariableKey, isSecretVariableName } from "@taskseq/model";

describe("secret variable names (spec/variables.md §9.1)", () => {
  it("treats every *Password name and the product key, PIN and recovery names as secret, in any case", () => {
    for (const name of ["OSDJoinPassword", "osdlocaladminpassword", " DomainAdminPassword ", "OSDProductKey", "ProductKey", "BDEPin", "OSDBitLockerPIN", "OSDBitLockerRecoveryPassword", "OSDBitLockerStartupKey"]) {
      expect(isSecretVariableName(name), name).toBe(true);
    }
  });

  it("leaves the switches ending in Password alone: their true/false or YES/NO values would mask every such word in the log", () => {
    for (const name of ["OSDRandomAdminPassword", "RandomAdminPassword", "skipadminpassword"]) expect(isSecretVariableName(name), name).toBe(false);
    expect(isSecretVariableName("OSDLocalAdminPassword")).toBe(true);
  });

  it("leaves ordinary names alone, and the key form needs the trimmed upper-cased key", () => {
    for (const name of ["OSDComputerName", "PasswordHint", "SMSTSLogPath", "Product"]) expect(isSecretVariableName(name), name).toBe(false);
    expect(isSecretVariableKey("OSDJOINPASSWORD")).toBe(true);
    expect(isSecretVariableKey("osdjoinpassword")).toBe(false);
  });
});
