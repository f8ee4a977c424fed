/**
 * Capture / Restore User State pass their USMT options to the `usmt` capability
 * (spec/steps.md §18, §19): verbose logging, encrypted files, file access, offline capture in
 * Windows PE, local accounts and their (secret) password.
 */
import { describe, expect, it } from "vitest";
import type { SimulatedDevice, UsmtRequest } from "@taskseq/device";
import { captureUserStateHandler, requestStateStoreHandler, restoreUserStateHandler } from "../src/index.js";
import { device, run } from "./helpers.js";

const CAPTURE = { UsmtPackageID: "CM100021" };
const RESTORE = { UsmtRestorePackageID: "CM100021" };

/** The laptop's USMT events (ScanState / LoadState with their switches), in order. */
const usmt = (d: SimulatedDevice): string[] => d.history.filter((e) => e.kind === "usmt").map((e) => e.detail);

/** A full-OS laptop with a requested state store. */
async function withStore(d: SimulatedDevice = device("dell-latitude-5440")): Promise<{ d: SimulatedDevice; path: string }> {
  const path = (await run(requestStateStoreHandler, { device: d, settings: { RequestType: "capture" } })).get("OSDStateStorePath") ?? "";
  return { d, path };
}

describe("Capture User State: USMT options", () => {
  it("captures with the catalogue defaults: continue on locked files, nothing else", async () => {
    const { d, path } = await withStore();
    expect((await run(captureUserStateHandler, { device: d, settings: CAPTURE, vars: { OSDStateStorePath: path } })).result.exitCode).toBe(0);
    expect(usmt(d)).toEqual([`scanstate to ${path} /c`]);
  });

  it("passes EnableVerboseLogging, SkipEncryptedFiles and a volume-shadow-copy FileAccess", async () => {
    const { d, path } = await withStore();
    const settings = { ...CAPTURE, ContinueOnLockedFiles: "false", EnableVerboseLogging: "true", SkipEncryptedFiles: "true", FileAccess: "VSS" };
    expect((await run(captureUserStateHandler, { device: d, settings, vars: { OSDStateStorePath: path } })).result.exitCode).toBe(0);
    expect(usmt(d)).toEqual([`scanstate to ${path} /v:13 /efs:skip /vsc`]);
  });

  it("captures offline in Windows PE with OfflineUserState; without it Windows PE is WrongEnvironment", async () => {
    const { d, path } = await withStore();
    await d.reboot.restart("WinPE");
    const refused = await run(captureUserStateHandler, { device: d, settings: CAPTURE, vars: { OSDStateStorePath: path } });
    expect(refused.result.error?.code).toBe("WrongEnvironment");
    expect(refused.result.exitCode).toBe(50);
    expect(usmt(d)).toEqual([]);
    const offline = await run(captureUserStateHandler, { device: d, settings: { ...CAPTURE, OfflineUserState: "true" }, vars: { OSDStateStorePath: path } });
    expect(offline.result.exitCode).toBe(0);
    expect(usmt(d)).toEqual([`scanstate to ${path} /c /offlinewindir`]);
  });

  it("in the full OS OfflineUserState does not apply: an online capture, with a warning", async () => {
    const { d, path } = await withStore();
    const r = await run(captureUserStateHandler, { device: d, settings: { ...CAPTURE, OfflineUserState: "true" }, vars: { OSDStateStorePath: path } });
    expect(r.result.exitCode).toBe(0);
    expect(usmt(d)).toEqual([`scanstate to ${path} /c`]);
    expect(r.logs.some((l) => l.startsWith("W ") && l.includes("OfflineUserState"))).toBe(true);
  });
});

describe("Restore User State: USMT options", () => {
  /** A laptop whose store holds captured state, recording the restore requests. */
  async function captured(): Promise<{ d: SimulatedDevice; path: string; received: UsmtRequest[] }> {
    const { d, path } = await withStore();
    await run(captureUserStateHandler, { device: d, settings: CAPTURE, vars: { OSDStateStorePath: path } });
    const received: UsmtRequest[] = [];
    const restore = (request: UsmtRequest) => {
      received.push(request);
      return d.usmt.restore(request);
    };
    return { d: { ...d, usmt: { ...d.usmt, restore } }, path, received };
  }

  it("restores local accounts only when asked, passing the password without logging or recording it", async () => {
    const plain = await captured();
    expect((await run(restoreUserStateHandler, { device: plain.d, settings: RESTORE, vars: { OSDStateStorePath: plain.path } })).result.exitCode).toBe(0);
    expect(usmt(plain.d).at(-1)).toBe(`loadstate from ${plain.path} /c`);
    expect(plain.received[0]).toMatchObject({ localAccounts: false });
    expect(plain.received[0]?.localAccountPassword).toBeUndefined();

    const accounts = await captured();
    const settings = { ...RESTORE, LocalAccounts: "true", LocalAccountPassword: "S3cret!Pw", EnableVerboseLogging: "true" };
    const r = await run(restoreUserStateHandler, { device: accounts.d, settings, vars: { OSDStateStorePath: accounts.path } });
    expect(r.result.exitCode).toBe(0);
    expect(usmt(accounts.d).at(-1)).toBe(`loadstate from ${accounts.path} /c /v:13 /lac /lae`);
    expect(accounts.received[0]).toMatchObject({ localAccounts: true, localAccountPassword: "S3cret!Pw", verboseLogging: true });
    expect(JSON.stringify([r.logs, accounts.d.history, accounts.d.snapshot()])).not.toContain("S3cret");
  });
});
