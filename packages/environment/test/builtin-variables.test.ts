import { checkVariableName } from "@taskseq/model";
import { describe, expect, it } from "vitest";
import { builtinDefaults, builtinVariables, createEnvironment, findBuiltinVariable } from "@taskseq/environment";

describe("built-in variable catalogue", () => {
  it("holds valid, unique names whose read-only flag matches the underscore rule", () => {
    const keys = new Set(builtinVariables.map((v) => v.name.toUpperCase()));
    expect(keys.size).toBe(builtinVariables.length);
    for (const v of builtinVariables) {
      expect(checkVariableName(v.name, { allowReadOnly: true })).toMatchObject({ ok: true, readOnly: v.readOnly });
    }
  });

  it("carries the documented facts", () => {
    expect(findBuiltinVariable("smstsdownloadretrycount")).toMatchObject({ readOnly: false, defaultValue: "2" });
    expect(findBuiltinVariable("_SMSTSInWinPE")).toMatchObject({ readOnly: true });
    expect(findBuiltinVariable("_TSAppInstallStatus")?.defaultValue).toBe("Undefined");
    expect(findBuiltinVariable("SMSTSRunPowerShellUserPassword")?.secret).toBe(true);
    expect(findBuiltinVariable("OSDPreserveDriveLetter")?.deprecated).toBe(true);
    expect(findBuiltinVariable("_TS_CRUEFI")?.setBy).toBe("Check Readiness");
    expect(findBuiltinVariable("NotBuiltIn")).toBeUndefined();
  });

  it("feeds the built-in default layer with settable variables only", () => {
    expect(builtinDefaults.every((d) => !d.name.startsWith("_"))).toBe(true);
    const { env, engine } = createEnvironment();
    engine.applyLayers({});
    expect(env.get("SMSTSErrorDialogTimeout")).toBe("900");
    expect(env.explain("SMSTSErrorDialogTimeout").layer).toBe("builtin-default");
    expect(env.GetVariables()).toHaveLength(builtinDefaults.length);
  });
});
