/**
 * Install Package (OSDDoNotLogCommand, success codes), command secrets given to the adapter,
 * Run PowerShell Script output on timeout, Install Application (PXE, missing application) and
 * Pre-provision BitLocker (TPM the device refuses).
 */
import { describe, expect, it } from "vitest";
import { isSuccessCode, type StepHandler } from "@taskseq/engine";
import type { DeviceProfile } from "@taskseq/device";
import { encodePowerShellScript } from "@taskseq/xml";
import { createRunPowerShellScriptHandler, installApplicationHandler, installPackageHandler, preProvisionBitLockerHandler, runCommandLineHandler } from "../src/index.js";
import { device, run } from "./helpers.js";

const SECRET_PROGRAM = "Secret Program Name";

/** The laptop with extra programs in package CM100020. */
const laptop = (programs: { name: string; exitCode: number }[] = []) =>
  device("dell-latitude-5440", (p) => ({
    ...p,
    content: { ...p.content, packages: (p.content?.packages ?? []).map((k) => (k.id === "CM100020" ? { ...k, programs: [...(k.programs ?? []), ...programs] } : k)) },
  }));

/** The handler as the engine calls it under another launch mode. */
const launchedBy = (handler: StepHandler, launchMode: "PXE" | "UFD"): StepHandler => (ctx) => handler({ ...ctx, run: { ...ctx.run, launchMode, fromMedia: true } });

describe("Install Package with OSDDoNotLogCommand=TRUE", () => {
  it("keeps the program name out of the error an adapter throws (log and report), with the same code", async () => {
    const r = await run(installPackageHandler, { device: laptop(), settings: { PackageID: "CM100020", ProgramName: SECRET_PROGRAM }, vars: { OSDDoNotLogCommand: "TRUE" } });
    expect(r.result).toMatchObject({ exitCode: -2147024894, succeeded: false, error: { code: "ContentNotFound" } });
    expect(r.result.error?.message).toContain("CM100020");
    expect(JSON.stringify({ message: r.result.error?.message, details: r.result.error?.details, logs: r.logs }).toLowerCase()).not.toContain(SECRET_PROGRAM.toLowerCase());
    const shown = await run(installPackageHandler, { device: laptop(), settings: { PackageID: "CM100020", ProgramName: SECRET_PROGRAM } });
    expect(shown.result.error?.message).toContain(SECRET_PROGRAM);
  });

  it("names only the list variable of a malformed entry", async () => {
    const r = await run(installPackageHandler, { device: laptop(), settings: { BaseVariableName: "PKG" }, vars: { OSDDoNotLogCommand: "TRUE", PKG001: `cm100020:${SECRET_PROGRAM}` } });
    expect(r.result).toMatchObject({ exitCode: 87, succeeded: false, error: { code: "InvalidSetting" } });
    expect(r.result.error?.message).toContain("PKG001");
    expect(JSON.stringify({ message: r.result.error?.message, logs: r.logs })).not.toContain(SECRET_PROGRAM);
  });
});

describe("Install Package success codes", () => {
  it("accepts an exit code in the step's success codes and leaves the decision to the engine's rule", async () => {
    const d = () => laptop([{ name: "Exit1", exitCode: 1 }]);
    const accepted = await run(installPackageHandler, { device: d(), step: { successCodes: [0, 1, 3010] }, settings: { PackageID: "CM100020", ProgramName: "Exit1" } });
    expect(accepted.result.exitCode).toBe(1);
    expect(accepted.result.succeeded ?? isSuccessCode(accepted.result.exitCode, [0, 1, 3010])).toBe(true);
    const refused = await run(installPackageHandler, { device: d(), settings: { PackageID: "CM100020", ProgramName: "Exit1" } });
    expect(refused.result).toMatchObject({ exitCode: 1, succeeded: false });
  });

  it("in list mode, continues past accepted codes and fails on a code outside the list", async () => {
    const d = () => laptop([{ name: "Exit1", exitCode: 1 }, { name: "Reboot", exitCode: 3010 }]);
    const vars = { PKG001: "CM100020:Exit1", PKG002: "CM100020:Reboot" };
    const ok = await run(installPackageHandler, { device: d(), step: { successCodes: [0, 1, 3010] }, settings: { BaseVariableName: "PKG" }, vars });
    expect(ok.result).toEqual({ exitCode: 3010 });
    const noRestartCode = await run(installPackageHandler, { device: d(), step: { successCodes: [0, 1] }, settings: { BaseVariableName: "PKG" }, vars });
    expect(noRestartCode.result).toMatchObject({ exitCode: 3010, succeeded: false });
  });
});

describe("command secrets given to the adapter", () => {
  const line = (secret: string) => `net use Z: \\\\srv\\share /user:CORP\\svc ${secret}`;

  it("passes the environment's secret values in the command line as redact", async () => {
    const d = laptop();
    const r = await run(runCommandLineHandler, { device: d, settings: { CommandLine: line("Tr0ub4dor-and-3") }, vars: { SvcPassword: "Tr0ub4dor-and-3" } });
    expect(r.result.exitCode).toBe(0);
    const recorded = JSON.stringify(d.history);
    expect(recorded).not.toContain("Tr0ub4dor-and-3");
    expect(recorded).toContain("/user:CORP\\\\svc ********");
  });

  it("passes the step's secret settings and values that were secret earlier in the run", async () => {
    const d = laptop();
    const step = { type: "SMS_TaskSequence_RunCommandLineAction", variables: [{ name: "SMSTSRunCommandLineUserPassword", property: "UserPassword", value: "St3p-Secret" }] };
    await run(runCommandLineHandler, { device: d, step, settings: { CommandLine: `${line("St3p-Secret")} & echo done`, UserPassword: "St3p-Secret" } });
    const changed: StepHandler = (ctx) => {
      ctx.env.set("SvcPassword", "new-value");
      return runCommandLineHandler(ctx);
    };
    await run(changed, { device: d, settings: { CommandLine: line("0ld-Secret-Value") }, vars: { SvcPassword: "0ld-Secret-Value" } });
    const recorded = JSON.stringify(d.history);
    expect(recorded).not.toContain("St3p-Secret");
    expect(recorded).not.toContain("0ld-Secret-Value");
    expect(recorded).toContain("& echo done");
  });
});

describe("Run PowerShell Script timeout", () => {
  it("writes the output variable with what the script wrote before it timed out", async () => {
    const source = encodePowerShellScript("Write-Output 'started'\nwhile ($true) { }");
    const r = await run(createRunPowerShellScriptHandler(), { device: laptop(), step: { timeout: 1 }, settings: { SourceScript: source, ExecutionPolicy: "Bypass", OutputVariableName: "PSOut" } });
    expect(r.result).toMatchObject({ exitCode: 1460, succeeded: false, error: { code: "StepTimeout" } });
    expect(r.get("PSOut")).toBe("started");
  });
});

describe("Install Application", () => {
  it("accepts a dynamic list under PXE and refuses it on stand-alone media", async () => {
    const vars = { APP01: "7-Zip 23.01 (x64)" };
    const pxe = await run(launchedBy(installApplicationHandler, "PXE"), { device: laptop(), settings: { BaseVariableName: "APP" }, vars });
    expect(pxe.result.exitCode).toBe(0);
    expect(pxe.get("_TSAppInstallStatus")).toBe("Success");
    const usb = await run(launchedBy(installApplicationHandler, "UFD"), { device: laptop(), settings: { BaseVariableName: "APP" }, vars });
    expect(usb.result).toMatchObject({ exitCode: 50, error: { code: "NotSupportedOnMedia" } });
  });

  it("fails a missing application with ContentNotFound (-2147024894)", async () => {
    const r = await run(installApplicationHandler, { device: laptop(), settings: { ApplicationName: "No Such Application" } });
    expect(r.result).toMatchObject({ exitCode: -2147024894, succeeded: false, error: { code: "ContentNotFound" } });
    expect(r.get("_TSAppInstallStatus")).toBe("Error");
  });
});

describe("Pre-provision BitLocker", () => {
  const tpm = (p: DeviceProfile, activated: boolean): DeviceProfile => ({ ...p, firmware: { ...p.firmware, tpm: { present: true, version: "2.0", enabled: true, activated, ownershipAllowed: true } } });
  const pe = (activated: boolean) => device("hp-elitebook-840-g10", (p) => tpm(p, activated));

  it("skips with status 11912 (skip on by default) when the device refuses an enabled TPM that is not activated", async () => {
    const r = await run(preProvisionBitLockerHandler, { device: pe(false) });
    expect(r.result).toEqual({ exitCode: 0 });
    expect(r.logs.some((l) => l.startsWith("W Status 11912"))).toBe(true);
    const strict = await run(preProvisionBitLockerHandler, { device: pe(false), settings: { SkipWhenTPMInvalid: "false" } });
    expect(strict.result).toMatchObject({ exitCode: 1, succeeded: false, error: { code: "DeviceOperationFailed" } });
  });

  it("still fails on other device errors with skip on", async () => {
    const r = await run(preProvisionBitLockerHandler, { device: pe(true), vars: { OSDTargetSystemDrive: "Q:" } });
    expect(r.result).toMatchObject({ succeeded: false, error: { code: "InvalidSetting" } });
  });
});
