import { describe, expect, it } from "vitest";
import { createEngine } from "@taskseq/engine";
import { createBuiltinHandlers, createUpgradeOsTemplate, processCustomSettings } from "../src/index.js";
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
});
