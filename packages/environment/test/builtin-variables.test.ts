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

  it("feeds the built-in default layer with every documented default, read-only ones included", () => {
    expect(builtinDefaults.map((d) => d.name)).toEqual(builtinVariables.filter((v) => v.defaultValue !== undefined).map((v) => v.name));
    const { env, engine } = createEnvironment();
    engine.applyLayers({});
    expect(env.get("SMSTSErrorDialogTimeout")).toBe("900");
    expect(env.explain("SMSTSErrorDialogTimeout").layer).toBe("builtin-default");
    expect(env.GetVariables()).toHaveLength(builtinDefaults.length);
  });

  it("_TSAppInstallStatus is Undefined before Install Application runs (builtin-variables.md §2), read-only, and the engine replaces it", () => {
    expect(builtinDefaults).toContainEqual({ name: "_TSAppInstallStatus", value: "Undefined" });
    const { env, engine } = createEnvironment();
    engine.applyLayers({});
    expect(env.get("_tsappinstallstatus")).toBe("Undefined");
    expect(env.explain("_TSAppInstallStatus")).toMatchObject({ exists: true, value: "Undefined", layer: "builtin-default", readOnly: true });
    expect(() => env.set("_TSAppInstallStatus", "Success")).toThrow(expect.objectContaining({ code: "ReadOnlyVariable" }));
    engine.set("_TSAppInstallStatus", "Success");
    expect(env.get("_TSAppInstallStatus")).toBe("Success");
    // Applying the layers again (a restart rebuilds them) keeps the engine's value.
    engine.applyLayers({});
    expect(env.get("_TSAppInstallStatus")).toBe("Success");
    // Other layers still may not name read-only variables.
    expect(() => engine.applyLayers({ sequence: [{ name: "_TSAppInstallStatus", value: "Error" }] })).toThrow(expect.objectContaining({ code: "ReadOnlyVariable" }));
  });
});
