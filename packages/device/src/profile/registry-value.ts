/**
 * A registry value as a device profile writes it, as the registry capability returns it.
 */
import type { RegistryValue } from "../types.js";
import type { ProfileRegistryValue } from "./profile-types.js";

/**
 * Converts a profile's registry value (`REG_DWORD` as a number, `REG_QWORD` as a decimal string,
 * `REG_BINARY` as hex text, …) to the {@link RegistryValue} the registry capability returns.
 *
 * @param v - the value from a profile's `registry` section
 * @example
 * ```ts
 * registryValueFromProfile({ type: "REG_DWORD", data: 1 }); // { type: "REG_DWORD", data: 1 }
 * ```
 */
export function registryValueFromProfile(v: ProfileRegistryValue): RegistryValue {
  switch (v.type) {
    case "REG_DWORD":
      return { type: v.type, data: Number(v.data) >>> 0 };
    case "REG_QWORD":
      return { type: v.type, data: BigInt(String(v.data)) };
    case "REG_MULTI_SZ":
      return { type: v.type, data: Array.isArray(v.data) ? v.data.map(String) : [String(v.data)] };
    case "REG_BINARY":
    case "REG_NONE": {
      const hex = String(v.data).replace(/[^0-9A-Fa-f]/g, "");
      return { type: v.type, data: Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16)) };
    }
    default:
      return { type: v.type, data: String(v.data) };
  }
}
