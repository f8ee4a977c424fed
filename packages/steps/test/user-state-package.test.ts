/**
 * Capture / Restore User State resolve their USMT package through the content adapter
 * (spec/steps.md §18, §19); a missing package is `ContentNotFound` (§1.3, -2147024894).
 */
import { describe, expect, it } from "vitest";
import type { Device, SimulatedDevice } from "@taskseq/device";
import { captureUserStateHandler, requestStateStoreHandler, restoreUserStateHandler } from "../src/index.js";
import { device, run } from "./helpers.js";

const CONTENT_NOT_FOUND = -2147024894;
const laptop = (): SimulatedDevice => device("dell-latitude-5440");

/** Requests a capture state store on `d` and returns its path. */
async function storeOn(d: SimulatedDevice): Promise<string> {
  const path = (await run(requestStateStoreHandler, { device: d, settings: { RequestType: "capture" } })).get("OSDStateStorePath") ?? "";
  expect(path).not.toBe("");
  return path;
}

const usmtEvents = (d: SimulatedDevice): number => d.history.filter((e) => e.kind === "usmt").length;

describe("Capture User State: USMT package", () => {
  it("fails with ContentNotFound for a missing UsmtPackageID and does not run USMT", async () => {
    const d = laptop();
    const path = await storeOn(d);
    const r = await run(captureUserStateHandler, { device: d, settings: { UsmtPackageID: "CM999999" }, vars: { OSDStateStorePath: path } });
    expect(r.result.exitCode).toBe(CONTENT_NOT_FOUND);
    expect(r.result.succeeded).toBe(false);
    expect(r.result.error?.code).toBe("ContentNotFound");
    expect(usmtEvents(d)).toBe(0);
  });

  it("makes an existing USMT package available through the content adapter before capturing", async () => {
    const d = laptop();
    const path = await storeOn(d);
    const r = await run(captureUserStateHandler, { device: d, settings: { UsmtPackageID: "CM100021" }, vars: { OSDStateStorePath: path } });
    expect(r.result.exitCode).toBe(0);
    const download = d.history.findIndex((e) => e.kind === "download" && e.detail.startsWith("CM100021 to "));
    const usmt = d.history.findIndex((e) => e.kind === "usmt");
    expect(download).toBeGreaterThanOrEqual(0);
    expect(usmt).toBeGreaterThan(download);
    expect(r.get("_SMSTSLastContentDownloadLocation")).toMatch(/CM100021$/);
  });

  it("retries a transient download of the USMT package", async () => {
    const d = laptop();
    const path = await storeOn(d);
    d.faults.failDownload("CM100021", 1);
    const r = await run(captureUserStateHandler, { device: d, settings: { UsmtPackageID: "CM100021" }, vars: { OSDStateStorePath: path, SMSTSDownloadRetryDelay: "1" } });
    expect(r.result.exitCode).toBe(0);
    expect(d.history.some((e) => e.kind === "download" && e.detail === "CM100021 failed")).toBe(true);
  });

  it("fails with AdapterMissing on a device without the content capability", async () => {
    const d = laptop();
    const path = await storeOn(d);
    const { content: _content, ...rest } = d;
    const noContent: Device = rest;
    const r = await run(captureUserStateHandler, { device: noContent, settings: { UsmtPackageID: "CM100021" }, vars: { OSDStateStorePath: path } });
    expect(r.result.error?.code).toBe("AdapterMissing");
    expect(usmtEvents(d)).toBe(0);
  });
});

describe("Restore User State: USMT package", () => {
  it("fails with ContentNotFound for a missing UsmtRestorePackageID and does not run USMT", async () => {
    const d = laptop();
    const path = await storeOn(d);
    expect((await run(captureUserStateHandler, { device: d, settings: { UsmtPackageID: "CM100021" }, vars: { OSDStateStorePath: path } })).result.exitCode).toBe(0);
    const before = usmtEvents(d);
    const r = await run(restoreUserStateHandler, { device: d, settings: { UsmtRestorePackageID: "CM999999" }, vars: { OSDStateStorePath: path } });
    expect(r.result.exitCode).toBe(CONTENT_NOT_FOUND);
    expect(r.result.succeeded).toBe(false);
    expect(r.result.error?.code).toBe("ContentNotFound");
    expect(usmtEvents(d)).toBe(before);
  });

  it("makes an existing USMT package available through the content adapter before restoring", async () => {
    const d = laptop();
    const path = await storeOn(d);
    expect((await run(captureUserStateHandler, { device: d, settings: { UsmtPackageID: "CM100021" }, vars: { OSDStateStorePath: path } })).result.exitCode).toBe(0);
    const start = d.history.length;
    const r = await run(restoreUserStateHandler, { device: d, settings: { UsmtRestorePackageID: "CM100021" }, vars: { OSDStateStorePath: path } });
    expect(r.result.exitCode).toBe(0);
    const events = d.history.slice(start);
    const download = events.findIndex((e) => e.kind === "download" && e.detail.startsWith("CM100021 to "));
    expect(download).toBeGreaterThanOrEqual(0);
    expect(events.findIndex((e) => e.kind === "usmt")).toBeGreaterThan(download);
  });
});
