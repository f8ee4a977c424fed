import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulatedDevice } from "@taskseq/device";
import { createEngine } from "@taskseq/engine";
import { createRunRecorder, renderRunReport } from "@taskseq/inspect";
import { createCondition, createGroup, createSequence, createStep, variableCondition } from "@taskseq/model";
import { createBuiltinHandlers } from "@taskseq/steps";
import { tempDir } from "./helpers/temp-dir.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const sequence = createSequence(
  [
    createGroup("Prepare", [
      createStep("SMS_TaskSequence_SetVariableAction", { VariableName: "Role", VariableValue: "Kiosk <1>" }, { name: "Set role" }),
      createStep("SMS_TaskSequence_SetVariableAction", { VariableName: "OSDJoinPassword", VariableValue: "Sup3r-S3cret" }, { name: "Set secret" }),
    ]),
    createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "cmd /c never" }, { name: "Only in the OS", condition: createCondition(variableCondition("_SMSTSInWinPE", "equals", "false")) }),
  ],
  { name: "Chromium report" },
);

let browser: Browser;

beforeAll(async () => {
  expect(existsSync(CHROMIUM), `${CHROMIUM} is required (CI installs Debian chromium)`).toBe(true);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});

afterAll(async () => {
  await browser?.close();
});

describe("the run report in headless Chromium", () => {
  it("renders the tree, expands a step on click and writes a screenshot", async () => {
    const recorder = createRunRecorder({ sequence });
    const engine = createEngine({ device: createSimulatedDevice(), handlers: createBuiltinHandlers(), logLevel: 0, onEvent: recorder.onEvent });
    const html = renderRunReport(recorder.finish(await engine.run(sequence)));
    const dir = tempDir("taskseq-report-");
    const file = join(dir, "report.html");
    writeFileSync(file, html);

    const page = await browser.newPage();
    const requests: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith("file:")) requests.push(r.url());
    });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);

    await expect(page.locator("#status").textContent()).resolves.toBe("success");
    await expect(page.locator("li.step").count()).resolves.toBe(3);
    await expect(page.locator('li.group[data-path="0"] > .row .name').textContent()).resolves.toBe("Prepare");
    await expect(page.locator('li.step[data-path="1"] .outcome').first().textContent()).resolves.toBe("skipped-condition");

    const row = page.locator('button.row[data-path="0.0"]');
    const details = page.locator(`#${await row.getAttribute("aria-controls")}`);
    await expect(details.isVisible()).resolves.toBe(false);
    await row.click();
    await expect(details.isVisible()).resolves.toBe(true);
    await expect(row.getAttribute("aria-expanded")).resolves.toBe("true");
    await expect(details.textContent()).resolves.toContain("Kiosk <1>");
    await row.click();
    await expect(details.isVisible()).resolves.toBe(false);

    const skipped = page.locator('button.row[data-path="1"]');
    await skipped.click();
    await expect(page.locator(`#${await skipped.getAttribute("aria-controls")}`).textContent()).resolves.toContain("_SMSTSInWinPE");

    await expect(page.content()).resolves.not.toContain("Sup3r-S3cret");
    const shot = join(dir, "report.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(1000);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
