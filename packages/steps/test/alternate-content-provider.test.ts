/**
 * The alternate content provider (`SMSTSDownloadProgram`, `SMSTSDownloadAbortCode`;
 * builtin-variables.md §3, steps.md §12): every content download runs it first.
 */
import { describe, expect, it } from "vitest";
import type { SimulatedDevice } from "@taskseq/device";
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
