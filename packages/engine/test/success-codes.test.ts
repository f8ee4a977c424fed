import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRestartCode, isSuccessCode, toSigned32 } from "../src/index.js";

/** The 32-bit wrap as arbitrary-precision arithmetic defines it. */
const reference = (code: number): number => Number(BigInt.asIntN(32, BigInt(Math.trunc(code))));

describe("return-code arithmetic", () => {
  it("wraps every finite number to its signed 32-bit pattern", () => {
    expect(toSigned32(0x80070002)).toBe(-2147024894);
    expect(toSigned32(3247440400)).toBe(-1047526896);
    expect(toSigned32(-1.9)).toBe(-1);
    expect(toSigned32(2 ** 40 + 5)).toBe(5);
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => Object.is(toSigned32(x) + 0, reference(x) + 0)));
    fc.assert(fc.property(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), (x) => toSigned32(x) === reference(x)));
  });

  it("refuses a non-finite code as before (RangeError)", () => {
    expect(() => toSigned32(Number.NaN)).toThrow(RangeError);
    expect(() => toSigned32(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it("compares success and restart codes by their 32-bit patterns", () => {
    expect(isSuccessCode(3247440400, [-1047526896])).toBe(true);
    expect(isSuccessCode(5, [0])).toBe(false);
    expect(isSuccessCode(3010, [])).toBe(true);
    expect(isRestartCode(0x80070bc2, [0, 3010])).toBe(true);
    expect(isRestartCode(3010, [0])).toBe(false);
  });

  it("counts 0x80070BC2, the HRESULT form of 3010, as 3010 (execution.md §4)", () => {
    expect(isSuccessCode(0x80070bc2, [0, 3010])).toBe(true);
    expect(isSuccessCode(toSigned32(0x80070bc2), [])).toBe(true);
    expect(isSuccessCode(0x80070bc2, [0])).toBe(false);
    expect(isSuccessCode(0x80070bc3, [0, 3010])).toBe(false);
  });

  it("a list naming 0x80070BC2 itself accepts it, without a restart unless 3010 is listed (execution.md §4: equal 32-bit patterns match)", () => {
    expect(isSuccessCode(0x80070bc2, [0, -2147021886])).toBe(true);
    expect(isSuccessCode(-2147021886, [0, 0x80070bc2])).toBe(true);
    expect(isRestartCode(0x80070bc2, [0, -2147021886])).toBe(false);
    expect(isSuccessCode(3010, [0, -2147021886])).toBe(false);
  });
});
