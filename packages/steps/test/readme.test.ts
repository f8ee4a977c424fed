import { describe, expect, it } from "vitest";
import { createEngine } from "@taskseq/engine";
import { createSimulatedDevice } from "@taskseq/device";
import { createBuiltinHandlers, createCustomTemplate, createUpgradeOsTemplate, liteTouchStart, processCustomSettings } from "../src/index.js";
import { device } from "./helpers.js";

describe("README examples", () => {
  it("runs the upgrade template with the built-in handlers", async () => {
    const sequence = createUpgradeOsTemplate({ upgradePackageId: "CM100030" });
    const engine = createEngine({ device: device("dell-latitude-5440"), handlers: createBuiltinHandlers() });
    const result = await engine.run(sequence);
    expect([result.status, result.variables["_SMSTSOSUpgradeActionReturnCode"]]).toEqual(["success", "0"]);
  });

  it("explains where MDT rule values come from", () => {
    const iniText = "[Settings]\nPriority=Model, Default\n[Latitude 5440]\nSite=LAB\n[Default]\nSite=HQ\n";
    const { values, trace } = processCustomSettings(iniText, { properties: { Model: "Latitude 5440" } });
    expect(values["Site"]).toBe("LAB");
    expect(trace.map((t) => `${t.property}=${t.value} ${t.outcome} from [${t.section}] via ${t.via}`)).toEqual([
      "Site=LAB set from [Latitude 5440] via Model",
      "Site=HQ ignored from [Default] via Default",
    ]);
  });

  it("starts a Lite Touch deployment", async () => {
    const device = createSimulatedDevice();
    const start = await liteTouchStart(device, { runtime: { OSDComputerName: "PC01" } });
    expect(start.set).toEqual({ PHASE: "PREINSTALL", DeploymentType: "NEWCOMPUTER", DeploymentMethod: "UNC" });
    const result = await createEngine({ device, handlers: createBuiltinHandlers() }).run(createCustomTemplate(), { variables: start.variables });
    expect([result.status, result.variables["PHASE"], result.variables["OSDComputerName"]]).toEqual(["success", "PREINSTALL", "PC01"]);
  });
});
