import { describe, expect, it } from "vitest";
import { createFleetDevices, createSite, runFleet, fleetMatrix, renderFleetHtml, createClientHistory } from "@taskseq/site";
import { commandSequence, loadProfile } from "./helpers.js";

describe("fleet runs", () => {
  it("runs a deployment on every device of the collection", async () => {
    const site = createSite();
    const entry = site.library.add(commandSequence(5));
    site.directory.addCollection({ id: "PS1000C1", name: "Lab", type: "device" });
    const fleet = createFleetDevices([loadProfile(), loadProfile("dell-latitude-5440.json")], 6, { namePrefix: "LAB" });
    fleet.forEach((f) => site.directory.addDevice(f.device));
    site.directory.addMembers("PS1000C1", fleet.map((f) => f.device.id));
    const d = site.deploy({ taskSequence: entry.packageId, collection: "PS1000C1", purpose: "available" });
    const result = await runFleet(site, d.id, { devices: fleet, from: Date.UTC(2026, 2, 1), until: Date.UTC(2026, 2, 2) });
    expect(result.summary.success).toBe(6);
    const m = fleetMatrix(result);
    expect(m.steps).toHaveLength(5);
    expect(m.rows[0]?.outcomes.every((o) => o === "success")).toBe(true);
    expect(renderFleetHtml(result)).toContain("LAB0001");
    expect(createClientHistory().of("LAB0001")).toEqual([]);
  });
});
