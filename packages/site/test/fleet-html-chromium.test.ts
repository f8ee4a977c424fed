import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createSequence } from "@taskseq/model";
import { createFleetDevices, createSite, renderFleetHtml, runFleet } from "@taskseq/site";
import { commandStep, loadProfile } from "./helpers.js";
import { tempDir } from "../../../test/helpers/temp-dir.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

describe("the fleet HTML page in headless Chromium", () => {
  it("shows one row per device and one coloured cell per step; names are text, never markup", async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is required (CI installs Debian chromium)`).toBe(true);
    const site = createSite();
    const entry = site.library.add(createSequence([commandStep("<img src=x onerror=alert(1)>", "cmd /c ok"), commandStep("Tools", "cmd /c tools.exe")], { name: "Fleet <b>page</b>" }));
    site.directory.addCollection({ id: "PS1000C1", name: "Lab", type: "device" });
    const devices = createFleetDevices([loadProfile("dell-latitude-5440.json")], 3);
    const failing = devices.map((d, i) => (i === 2 ? { ...d, profile: { ...d.profile, commands: [{ match: "tools\\.exe", exitCode: 4 }] } } : d));
    devices.forEach((d) => site.directory.addDevice(d.device));
    site.directory.addMembers("PS1000C1", devices.map((d) => d.device.id));
    const deployment = site.deploy({ taskSequence: entry.packageId, collection: "PS1000C1", purpose: "available" });
    const result = await runFleet(site, deployment.id, { devices: failing, from: Date.UTC(2026, 2, 1), until: Date.UTC(2026, 2, 2) });
    const file = join(tempDir("taskseq-fleet-html-"), "fleet.html");
    writeFileSync(file, renderFleetHtml(result));

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage();
      const dialogs: string[] = [];
      page.on("dialog", (d) => void (dialogs.push(d.message()), d.dismiss()));
      await page.goto(pathToFileURL(file).href);
      await expect(page.locator("tbody tr").count()).resolves.toBe(3);
      await expect(page.locator("tbody td.success:not(.status)").count()).resolves.toBe(5);
      await expect(page.locator("tbody td.failed:not(.status)").count()).resolves.toBe(1);
      await expect(page.locator("thead th span").first().textContent()).resolves.toBe("<img src=x onerror=alert(1)>");
      await expect(page.locator("h1").textContent()).resolves.toContain("Fleet <b>page</b>");
      await expect(page.locator("img").count()).resolves.toBe(0);
      expect(dialogs).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
