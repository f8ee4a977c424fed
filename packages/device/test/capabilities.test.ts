import { describe, expect, it } from "vitest";
import { isTaskSeqError } from "@taskseq/model";
import { hasCapability, listCapabilities, requireCapability, type Device } from "@taskseq/device";

const clockOnly: Device = { clock: { now: () => 0, sleep: async () => undefined } };

describe("requireCapability", () => {
  it("returns a present capability", () => {
    expect(requireCapability(clockOnly, "clock").now()).toBe(0);
  });

  it("throws AdapterMissing naming the capability", () => {
    try {
      requireCapability(clockOnly, "disks");
      expect.unreachable();
    } catch (e) {
      expect(isTaskSeqError(e, "AdapterMissing")).toBe(true);
      expect((e as Error).message).toContain("disks");
    }
  });

  it("lists present capabilities", () => {
    expect(listCapabilities(clockOnly)).toEqual(["clock"]);
    expect(hasCapability(clockOnly, "clock")).toBe(true);
    expect(hasCapability(clockOnly, "wmi")).toBe(false);
  });
});
