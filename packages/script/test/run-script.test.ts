/**
 * `runScript`, the shared default runner, with both languages in the same sandbox and limits.
 */
import { describe, expect, it } from "vitest";
import { runScript } from "@taskseq/script";
import { testEnvironment } from "./script-test-kit.js";

describe("runScript", () => {
  it("runs JavaScript", async () => {
    const { env } = testEnvironment();
    const r = await runScript({ language: "javascript", environment: env, source: `TSEnvironment.Value("OSDComputerName", "PC-" + __host.parameters.Serial); __host.exit(3010);`, parameters: { Serial: "42" } });
    expect(r.value?.exitCode).toBe(3010);
    expect(env.get("OSDComputerName")).toBe("PC-42");
  });

  it("runs PowerShell-style scripts through the package's compiler, with the same bridges", async () => {
    const { env } = testEnvironment();
    const r = await runScript({
      language: "powershell",
      environment: env,
      source: `$tsenv = New-Object -ComObject Microsoft.SMS.TSEnvironment\n$tsenv.Value("MyVar") = "Y"\nWrite-Output ("log=" + $tsenv.Value("_SMSTSLogPath"))`,
    });
    expect(r.error).toBeUndefined();
    expect(env.get("MyVar")).toBe("Y");
    expect(r.value?.output).toBe("log=C:\\Windows\\CCM\\Logs\\SMSTSLog");
  });

  it("applies the same limits to PowerShell-style scripts", async () => {
    const r = await runScript({ language: "powershell", source: "while ($true) { }", limits: { timeMs: 200 } });
    expect(r.error?.code).toBe("ScriptTimeout");
  });

  it("returns the compiler's typed error for unsupported PowerShell", async () => {
    const r = await runScript({ language: "powershell", source: "Add-Type -TypeDefinition 'x'" });
    expect(r.error?.code).toBe("ScriptUnsupported");
  });
});

describe("compilePowerShellForRunner", () => {
  it("binds the argument text to the script's param() block", async () => {
    const bound = await runScript({ language: "powershell", source: "param($Mode)\nWrite-Output \"mode=$Mode\"", arguments: "-Mode Full" });
    expect(bound.value?.output).toBe("mode=Full");
    const unbound = await runScript({ language: "powershell", source: "param($Mode)\nWrite-Output \"mode=$Mode\"" });
    expect(unbound.value?.output).toBe("mode=");
  });

  it("refuses arguments that are not a string", async () => {
    const r = await runScript({ language: "powershell", source: "exit 0", arguments: 3 as unknown as string });
    expect(r.error?.code).toBe("InvalidArgument");
  });
});
