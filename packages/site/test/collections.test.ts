import { describe, expect, it } from "vitest";
import { createEngine } from "@taskseq/engine";
import { createSequence } from "@taskseq/model";
import { createBuiltinHandlers } from "@taskseq/steps";
import { createSimulatedDevice } from "@taskseq/device";
import { ALL_SYSTEMS, ALL_UNKNOWN_COMPUTERS, ALL_USERS, createDeviceDirectory, MAX_DEVICE_VARIABLES, MAX_TIME_ZONE_BIAS, MIN_TIME_ZONE_BIAS } from "@taskseq/site";
import { expectCode, loadProfile } from "./helpers.js";

describe("devices and collections", () => {
  it("the documentation's example: a per-computer variable beats the per-collection one (MyVariable = 2)", async () => {
    const dir = createDeviceDirectory();
    dir.addDevice({ id: "XYZ", name: "XYZ" });
    dir.addCollection({ id: "ABC", name: "ABC", type: "device" });
    dir.addMembers("ABC", ["XYZ"]);
    dir.setCollectionVariable("ABC", "MyVariable", "1");
    dir.setDeviceVariable("XYZ", "MyVariable", "2");
    const engine = createEngine({ handlers: createBuiltinHandlers(), device: createSimulatedDevice(loadProfile()) });
    const result = await engine.run(createSequence([], { name: "Empty" }), { variables: dir.variablesFor("XYZ") });
    expect(result.variables["MyVariable"]).toBe("2");
  });

  it("the collection with the highest variable priority wins among collections", async () => {
    const dir = createDeviceDirectory();
    dir.addDevice({ id: "PC1", name: "PC1" });
    dir.addCollection({ id: "LOW", name: "Low", type: "device", variablePriority: 1 });
    dir.addCollection({ id: "HIGH", name: "High", type: "device" });
    dir.setVariablePriority("HIGH", 9);
    dir.addMembers("LOW", ["PC1"]);
    dir.addMembers("HIGH", ["PC1"]);
    dir.setCollectionVariable("LOW", "OSDTimeZone", "Pacific Standard Time");
    dir.setCollectionVariable("HIGH", "OSDTimeZone", "UTC");
    const engine = createEngine({ handlers: createBuiltinHandlers(), device: createSimulatedDevice(loadProfile()) });
    const result = await engine.run(createSequence([]), { variables: dir.variablesFor("PC1") });
    expect(result.variables["OSDTimeZone"]).toBe("UTC");
    expectCode(() => dir.setVariablePriority("HIGH", 10), "InvalidArgument");
  });

  it("hidden values stay masked in run results", async () => {
    const dir = createDeviceDirectory();
    dir.addDevice({ id: "PC1", name: "PC1" });
    dir.setDeviceVariable("PC1", "JoinSecret", "s3cr3t-value", { secret: true });
    const engine = createEngine({ handlers: createBuiltinHandlers(), device: createSimulatedDevice(loadProfile()) });
    const result = await engine.run(createSequence([]), { variables: dir.variablesFor("PC1") });
    expect(JSON.stringify(result)).not.toContain("s3cr3t-value");
  });

  it("limits a device to 1,000 variables and refuses read-only or invalid names", () => {
    const dir = createDeviceDirectory();
    dir.addDevice({ id: "PC1", name: "PC1" });
    for (let i = 0; i < MAX_DEVICE_VARIABLES; i++) dir.setDeviceVariable("PC1", `V${i}`, "x");
    dir.setDeviceVariable("PC1", "V0", "replaced");
    expectCode(() => dir.setDeviceVariable("PC1", "OneTooMany", "x"), "InvalidOperation");
    expect(dir.variablesFor("PC1").device).toHaveLength(MAX_DEVICE_VARIABLES);
    expectCode(() => dir.setDeviceVariable("PC1", "_SMSTSMachineName", "x"), "ReadOnlyVariable");
    expectCode(() => dir.setDeviceVariable("PC1", "bad name", "x"), "InvalidVariableName");
  });

  it("refuses a value over 4,000 characters when it is set, not when every member's run starts", () => {
    const dir = createDeviceDirectory();
    dir.addDevice({ id: "PC1", name: "PC1" });
    dir.addCollection({ id: "PS100001", name: "Pilot", type: "device" });
    dir.setDeviceVariable("PC1", "Max", "x".repeat(4000));
    expectCode(() => dir.setDeviceVariable("PC1", "Big", "x".repeat(4001)), "ValueTooLong");
    expectCode(() => dir.setCollectionVariable("PS100001", "Big", "x".repeat(4001)), "ValueTooLong");
    expectCode(() => dir.setCollectionVariable("PS100001", "NotText", 5 as never), "InvalidArgument");
    expect(dir.variablesFor("PC1").device.map((v) => v.name)).toEqual(["Max"]);
  });

  it("puts unknown computers in All Unknown Computers, known ones in All Systems", () => {
    const dir = createDeviceDirectory();
    dir.addDevice({ id: "NEW", name: "MININT-1", unknown: true });
    dir.addDevice({ id: "OLD", name: "PC1" });
    expect(dir.members(ALL_UNKNOWN_COMPUTERS)).toEqual(["NEW"]);
    expect(dir.members(ALL_SYSTEMS)).toEqual(["OLD"]);
    dir.setCollectionVariable(ALL_UNKNOWN_COMPUTERS, "OSDComputerName", "");
    expect(dir.variablesFor("NEW").collections[0]?.id).toBe(ALL_UNKNOWN_COMPUTERS);
    dir.addDevice({ id: "NEW", name: "PC2" });
    expect(dir.members(ALL_UNKNOWN_COMPUTERS)).toEqual([]);
    expectCode(() => dir.addMembers(ALL_SYSTEMS, ["NEW"]), "InvalidOperation");
  });

  it("keeps user collections apart: no devices, variables or windows", () => {
    const dir = createDeviceDirectory();
    dir.addDevice({ id: "PC1", name: "PC1" });
    expect(dir.collection(ALL_USERS).type).toBe("user");
    dir.addCollection({ id: "USERS1", name: "Sales users", type: "user" });
    expectCode(() => dir.addMembers("USERS1", ["PC1"]), "InvalidOperation");
    expectCode(() => dir.setCollectionVariable("USERS1", "A", "1"), "InvalidOperation");
    expectCode(() => dir.addMaintenanceWindow("USERS1", { name: "w", schedule: { at: "2026-01-01T01:00" }, durationMinutes: 60 }), "InvalidOperation");
    expectCode(() => dir.addMaintenanceWindow(ALL_SYSTEMS, { name: "w", schedule: { at: "2026-01-01T01:00" }, durationMinutes: 60 }), "InvalidOperation");
    expectCode(() => dir.addCollection({ id: "users1", name: "dup", type: "device" }), "InvalidOperation");
    expectCode(() => dir.collection("NOPE"), "NotFound");
  });

  it("refuses a device without a string ID and name, or with a time zone bias that is not whole minutes of a real zone", () => {
    const dir = createDeviceDirectory();
    expectCode(() => dir.addDevice({ id: 5, name: "PC1" } as never), "InvalidArgument");
    for (const timeZoneBias of [Number.NaN, Number.POSITIVE_INFINITY, 30.5, "300", -841, 721]) {
      expectCode(() => dir.addDevice({ id: "PC1", name: "PC1", timeZoneBias } as never), "InvalidArgument");
    }
    expect(dir.devices()).toEqual([]);
    expect(dir.addDevice({ id: "KIRITIMATI", name: "KIRITIMATI", timeZoneBias: MIN_TIME_ZONE_BIAS }).timeZoneBias).toBe(-840);
    expect(dir.addDevice({ id: "BAKER", name: "BAKER", timeZoneBias: MAX_TIME_ZONE_BIAS }).timeZoneBias).toBe(720);
  });
});
