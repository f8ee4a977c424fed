/**
 * The alternate content provider (`SMSTSDownloadProgram`, `SMSTSDownloadAbortCode`,
 * `SMSTSAllowTokenAuthURLForACP`; builtin-variables.md §3, steps.md §12): every content download
 * runs it first.
 */
import { describe, expect, it } from "vitest";
import type { ContentLocation, SimulatedDevice } from "@taskseq/device";
import { downloadPackageContentHandler, installDeploymentToolsHandler } from "../src/index.js";
import { device, run } from "./helpers.js";

const ACP = { SMSTSDownloadProgram: "X:\\ACP\\Downloader.exe", _SMSTSMDataPath: "C:\\_SMSTaskSequence" };
const FOLDER = "C:\\_SMSTaskSequence\\Packages\\CM100020";

const laptop = (): SimulatedDevice => device("dell-latitude-5440");
const events = (d: SimulatedDevice, kind: string): string[] => d.history.filter((e) => e.kind === kind).map((e) => e.detail);

describe("Download Package Content with an alternate content provider", () => {
  it("runs SMSTSDownloadProgram with the package ID and the destination folder; exit code 0 means downloaded", async () => {
    const d = laptop();
    const r = await run(downloadPackageContentHandler, { device: d, settings: { DownloadPackages: "CM100020", DestinationVariable: "DPC" }, vars: ACP });
    expect(r.result.exitCode).toBe(0);
    expect(events(d, "command")).toEqual([`"X:\\ACP\\Downloader.exe" CM100020 "${FOLDER}"`]);
    expect(events(d, "download")).toEqual([]);
    expect([r.get("DPC01"), r.get("_SMSTSLastContentDownloadLocation")]).toEqual([FOLDER, FOLDER]);
  });

  it("falls back to the distribution point when the provider returns another code", async () => {
    const d = laptop();
    d.faults.failCommand("Downloader\\.exe", 5);
    const r = await run(downloadPackageContentHandler, { device: d, settings: { DownloadPackages: "CM100020", ContinueDownloadOnError: "false" }, vars: { ...ACP, SMSTSDownloadAbortCode: "99" } });
    expect(r.result.exitCode).toBe(0);
    expect(events(d, "command")).toHaveLength(1);
    expect(events(d, "download")).toEqual([expect.stringMatching(/^CM100020 to /)]);
    expect(r.logs.some((l) => l.startsWith("W ") && l.includes("returned 5"))).toBe(true);
  });

  it("the abort code fails the download without trying the distribution point", async () => {
    const d = laptop();
    d.faults.failCommand("Downloader\\.exe", 99);
    const failed = await run(downloadPackageContentHandler, { device: d, settings: { DownloadPackages: "CM100020", ContinueDownloadOnError: "false" }, vars: { ...ACP, SMSTSDownloadAbortCode: "99" } });
    expect(failed.result.succeeded).toBe(false);
    expect(failed.result.error).toMatchObject({ code: "DeviceOperationFailed", details: { id: "CM100020", exitCode: 99 } });
    expect(events(d, "download")).toEqual([]);
    const tolerated = await run(downloadPackageContentHandler, { device: d, settings: { DownloadPackages: "CM100020", DestinationVariable: "DPC" }, vars: { ...ACP, SMSTSDownloadAbortCode: "99" } });
    expect(tolerated.result.exitCode).toBe(0);
    expect(tolerated.get("DPC01")).toBeUndefined();
    expect(events(d, "download")).toEqual([]);
  });

  it("passes the client cache and custom destination folders; a malformed abort code is InvalidSetting", async () => {
    const d = laptop();
    await run(downloadPackageContentHandler, { device: d, settings: { DownloadPackages: "CM100020", DestinationLocationType: "CCMCache" }, vars: ACP });
    await run(downloadPackageContentHandler, { device: d, settings: { DownloadPackages: "CM100020", DestinationLocationType: "Custom", DestinationCustomPath: "D:\\Content\\" }, vars: ACP });
    expect(events(d, "command")).toEqual([`"X:\\ACP\\Downloader.exe" CM100020 "C:\\Windows\\ccmcache\\CM100020"`, `"X:\\ACP\\Downloader.exe" CM100020 "D:\\Content\\CM100020"`]);
    const bad = await run(downloadPackageContentHandler, { device: laptop(), settings: { DownloadPackages: "CM100020", ContinueDownloadOnError: "false" }, vars: { ...ACP, SMSTSDownloadAbortCode: "abort" } });
    expect(bad.result.error?.code).toBe("InvalidSetting");
  });
});

describe("other content downloads use the alternate content provider too", () => {
  it("Install Deployment Tools makes its package available through the provider", async () => {
    const d = laptop();
    const r = await run(installDeploymentToolsHandler, { device: d, settings: { SysprepPackageID: "CM100020" }, vars: ACP });
    expect(r.result.exitCode).toBe(0);
    expect(events(d, "command")).toEqual([`"X:\\ACP\\Downloader.exe" CM100020 "${FOLDER}"`]);
    expect(events(d, "download")).toEqual([]);
  });
});

describe("token-authentication locations (SMSTSAllowTokenAuthURLForACP)", () => {
  const DP: ContentLocation = { url: "http://dp01.contoso.com/SMS_DP_SMSPKG$/CM100020" };
  const CMG: ContentLocation = { url: "https://cmg.contoso.com/CCM_Proxy_ServerAuth/720575/CM100020?sig=Secr3tSas", tokenAuthentication: true };

  /** The laptop, whose content adapter lists `locations` for every package. */
  const offering = (locations: readonly ContentLocation[]): SimulatedDevice => {
    const d = laptop();
    return { ...d, content: { ...d.content, resolve: async (id) => ({ ...(await d.content.resolve(id))!, locations }) } };
  };
  const download = (d: SimulatedDevice, vars: Readonly<Record<string, string>> = {}) =>
    run(downloadPackageContentHandler, { device: d, settings: { DownloadPackages: "CM100020", ContinueDownloadOnError: "false" }, vars: { ...ACP, ...vars } });

  it("content offered only from token-authentication locations is not given to the provider unless the variable is true", async () => {
    for (const allow of [undefined, "false", "FALSE"]) {
      const d = offering([CMG]);
      const r = await download(d, allow === undefined ? {} : { SMSTSAllowTokenAuthURLForACP: allow });
      expect(r.result.exitCode).toBe(0);
      expect(events(d, "command")).toEqual([]);
      expect(events(d, "download")).toEqual([expect.stringMatching(/^CM100020 to /)]);
      expect(r.logs.some((l) => l.startsWith("W ") && l.includes("No location of CM100020 is left for the alternate content provider"))).toBe(true);
    }
    const allowed = offering([CMG]);
    expect((await download(allowed, { SMSTSAllowTokenAuthURLForACP: "true" })).result.exitCode).toBe(0);
    expect(events(allowed, "command")).toEqual([`"X:\\ACP\\Downloader.exe" CM100020 "${FOLDER}"`]);
    expect(events(allowed, "download")).toEqual([]);
  });

  it("the provider still runs when another location is left, and no location's URL is logged", async () => {
    const d = offering([DP, CMG]);
    const r = await download(d);
    expect(events(d, "command")).toHaveLength(1);
    expect(r.logs).toContain("I Skipping 1 token-authentication location(s) of CM100020 for the alternate content provider (SMSTSAllowTokenAuthURLForACP is not true).");
    expect(JSON.stringify([r.logs, d.history])).not.toMatch(/Secr3tSas|cmg\.contoso/);
  });

  it("a value other than true or false is InvalidSetting", async () => {
    const r = await download(laptop(), { SMSTSAllowTokenAuthURLForACP: "sometimes" });
    expect(r.result.error).toMatchObject({ code: "InvalidSetting", details: { setting: "SMSTSAllowTokenAuthURLForACP" } });
  });
});
