import { describe, expect, it } from "vitest";
import { registryValueFromProfile } from "@taskseq/device";

describe("registryValueFromProfile", () => {
  it("converts each profile form to the value the registry capability returns", () => {
    expect(registryValueFromProfile({ type: "REG_DWORD", data: 4294967295 })).toEqual({ type: "REG_DWORD", data: 4294967295 });
    expect(registryValueFromProfile({ type: "REG_DWORD", data: -1 })).toEqual({ type: "REG_DWORD", data: 4294967295 });
    expect(registryValueFromProfile({ type: "REG_QWORD", data: "18446744073709551615" })).toEqual({ type: "REG_QWORD", data: 18446744073709551615n });
    expect(registryValueFromProfile({ type: "REG_MULTI_SZ", data: ["a", "b"] })).toEqual({ type: "REG_MULTI_SZ", data: ["a", "b"] });
    expect(registryValueFromProfile({ type: "REG_MULTI_SZ", data: "one" })).toEqual({ type: "REG_MULTI_SZ", data: ["one"] });
    expect(registryValueFromProfile({ type: "REG_BINARY", data: "01 ff-A0" })).toEqual({ type: "REG_BINARY", data: Uint8Array.from([1, 255, 160]) });
    expect(registryValueFromProfile({ type: "REG_SZ", data: "text" })).toEqual({ type: "REG_SZ", data: "text" });
  });
});
