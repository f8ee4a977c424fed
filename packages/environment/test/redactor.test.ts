import { describe, expect, it } from "vitest";
import { createRedactor } from "@taskseq/environment";

describe("createRedactor", () => {
  it("is empty until a value is added; adding a value twice or an empty value reports no change", () => {
    const r = createRedactor();
    expect(r.empty).toBe(true);
    expect(r.redact("nothing to hide")).toBe("nothing to hide");
    expect(r.add("")).toBe(false);
    expect(r.empty).toBe(true);
    expect(r.add("p@ss")).toBe(true);
    expect(r.add("p@ss")).toBe(false);
    expect(r.empty).toBe(false);
  });

  it("masks every occurrence, longest values first, and lists the values longest first", () => {
    const r = createRedactor();
    r.add("ab");
    r.add("abcd");
    expect(r.redact("x abcd ab abcdab")).toBe("x ******** ******** ****************");
    expect(r.values()).toEqual(["abcd", "ab"]);
    r.add("abcdef");
    expect(r.redact("abcdef")).toBe("********");
    expect(r.values()).toEqual(["abcdef", "abcd", "ab"]);
  });
});
