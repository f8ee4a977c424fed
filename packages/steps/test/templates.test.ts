import { describe, expect, it } from "vitest";
import { createEngine } from "@taskseq/engine";
import { createBuildAndCaptureTemplate, createBuiltinHandlers, createCustomTemplate, createInstallOsTemplate, createUserStateTemplate } from "../src/index.js";
import { device } from "./helpers.js";

const outcomes = (steps: readonly { readonly name: string; readonly outcome: string }[]) => steps.map((s) => `${s.name}: ${s.outcome}`);

describe("templates", () => {
  it("install OS runs on a bare-metal UEFI laptop in Windows PE", async () => {
    const seq = createInstallOsTemplate({ imagePackageId: "CM100012", clientPackageId: "CM100020", applications: ["7-Zip 23.01 (x64)"] });
    const d = device("hp-elitebook-840-g10");
    const result = await createEngine({ device: d, handlers: createBuiltinHandlers() }).run(seq);
    expect(outcomes(result.steps)).toEqual(
      expect.arrayContaining(["Partition Disk 0 - UEFI: success", "Partition Disk 0 - BIOS: skipped-condition", "Apply Operating System: success", "Setup Windows and ConfigMgr: success"]),
    );
    expect(result.status, JSON.stringify(result.failure)).toBe("success");
    expect((await d.os.facts()).environment).toBe("FullOS");
  });

  it("install OS with a missing image fails at Apply Operating System with ContentNotFound", async () => {
    const seq = createInstallOsTemplate({ imagePackageId: "NOPE0001", clientPackageId: "CM100020" });
    const result = await createEngine({ device: device("hp-elitebook-840-g10"), handlers: createBuiltinHandlers() }).run(seq);
    expect(result.status).toBe("failed");
    expect(result.failure).toMatchObject({ name: "Apply Operating System", exitCode: -2147024894 });
  });

  it("build and capture ends with the capture group; user state captures and releases", async () => {
    const bc = createBuildAndCaptureTemplate({ imagePackageId: "CM100012", clientPackageId: "CM100020", captureDestination: "\\\\srv\\captures\\ref.wim" });
    expect(bc.items.at(-1)).toMatchObject({ kind: "group", name: "Capture the Reference Machine" });
    const capture = createUserStateTemplate({ usmtPackageId: "CM100021", mode: "capture" });
    const result = await createEngine({ device: device("dell-latitude-5440"), handlers: createBuiltinHandlers() }).run(capture);
    expect(result.status, JSON.stringify(result.failure)).toBe("success");
    expect(outcomes(result.steps)).toContain("Release State Store: success");
    expect(createCustomTemplate("X")).toMatchObject({ name: "X", items: [] });
  });
});
