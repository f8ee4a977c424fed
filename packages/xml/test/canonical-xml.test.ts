import { describe, expect, it } from "vitest";
import { canonicalXml } from "./helpers/canonical-xml.js";

describe("canonicalXml (test helper)", () => {
  it("ignores attribute order, inter-element white space, entity spelling, CDATA and empty-element syntax", () => {
    const a = '<?xml version="1.0"?>\n<a y="2" x="1">\n  <b>t &amp; u</b>\n  <c></c>\n</a>';
    const b = '<a x="1" y="2"><b><![CDATA[t & u]]></b><c/></a>';
    expect(canonicalXml(a)).toBe(canonicalXml(b));
  });

  it("keeps differences in values, text white space, element order and names", () => {
    const base = canonicalXml('<a x="1"><b> t </b><c/></a>');
    expect(canonicalXml('<a x="2"><b> t </b><c/></a>')).not.toBe(base);
    expect(canonicalXml('<a x="1"><b>t</b><c/></a>')).not.toBe(base);
    expect(canonicalXml('<a x="1"><c/><b> t </b></a>')).not.toBe(base);
    expect(canonicalXml('<a x="1"><b> t </b><d/></a>')).not.toBe(base);
  });
});
