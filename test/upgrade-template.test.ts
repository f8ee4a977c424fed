import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createSimulatedDevice, type DeviceProfile } from "@taskseq/device";
import { createEngine } from "@taskseq/engine";
import { createBuiltinHandlers, createUpgradeOsTemplate } from "@taskseq/steps";

/** The Dell Latitude laptop profile (full OS, on AC, Windows 11 23H2, upgrade package CM100030). */
function laptop(upgrade: { readonly scanExitCode?: number; readonly upgradeExitCode?: number; readonly rollback?: boolean } = {}): DeviceProfile {
  const profile: DeviceProfile = JSON.parse(readFileSync(new URL("../examples/devices/dell-latitude-5440.json", import.meta.url), "utf8"));
  return { ...profile, content: { ...profile.content, upgradePackages: (profile.content?.upgradePackages ?? []).map((u) => ({ ...u, ...upgrade })) } };
}

const outcomes = (steps: readonly { readonly name: string; readonly outcome: string }[]) => Object.fromEntries(steps.map((s) => [s.name, s.outcome]));

describe("in-place upgrade template, end to end with the engine", () => {
  const sequence = createUpgradeOsTemplate({ upgradePackageId: "CM100030" });

  it("the compatibility scan passes and the upgrade completes", async () => {
    const device = createSimulatedDevice(laptop());
    const before = (await device.os.facts()).version.build;
    const result = await createEngine({ device, handlers: createBuiltinHandlers() }).run(sequence);
    expect(result.status).toBe("success");
    const o = outcomes(result.steps);
    expect(o["Upgrade assessment"]).toBe("success");
    expect(o["Fail if the assessment found issues"]).toBe("skipped-condition");
    expect(o["Upgrade Operating System"]).toBe("success");
    expect(o["Record the rollback"]).toBe("skipped-condition");
    expect(o["Fail with the Setup return code"]).toBe("skipped-condition");
    expect(result.variables["_SMSTSOSUpgradeActionReturnCode"]).toBe("0");
    expect(result.restarts).toBeGreaterThanOrEqual(1);
    expect((await device.os.facts()).version.build).toBe(26100);
    expect(before).not.toBe(26100);
  });

  it("Setup fails and rolls back: the Rollback group runs and the run fails with Setup's code", async () => {
    const device = createSimulatedDevice(laptop({ upgradeExitCode: 0xc1900101, rollback: true }));
    const result = await createEngine({ device, handlers: createBuiltinHandlers() }).run(sequence);
    const o = outcomes(result.steps);
    expect(o["Upgrade assessment"]).toBe("success");
    expect(o["Upgrade Operating System"]).toBe("failed-continued");
    expect(result.variables["_SMSTSSetupRollback"]).toBe("true");
    expect(o["Record the rollback"]).toBe("success");
    expect(result.variables["UpgradeRolledBack"]).toBe("true");
    expect(result.status).toBe("failed");
    expect(result.failure?.exitCode).toBe(0xc1900101 | 0);
    expect(result.failure?.name).toBe("Fail with the Setup return code");
    expect((await device.os.facts()).version.build).not.toBe(26100);
  });

  it("a blocking compatibility scan ends the run with Setup's code before the upgrade", async () => {
    const device = createSimulatedDevice(laptop({ scanExitCode: 0xc1900208 }));
    const result = await createEngine({ device, handlers: createBuiltinHandlers() }).run(sequence);
    const o = outcomes(result.steps);
    expect(o["Upgrade assessment"]).toBe("failed-continued");
    expect(o["Fail if the assessment found issues"]).toBe("failed");
    expect(o["Upgrade Operating System"]).toBe("not-run");
    expect(result.status).toBe("failed");
    expect(result.failure).toMatchObject({ name: "Fail if the assessment found issues", exitCode: 0xc1900208 | 0 });
  });
});
