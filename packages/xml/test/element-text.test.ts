import { describe, expect, it } from "vitest";
import { findElements, firstElementText } from "@taskseq/xml";

describe("firstElementText", () => {
  const unattend = `<?xml version="1.0"?>
<unattend xmlns="urn:schemas-microsoft-com:unattend" xmlns:wcm="http://schemas.microsoft.com/WMIConfig/2002/State">
  <settings pass="specialize"><component name="Shell-Setup"><ComputerName> PC &amp; 01 </ComputerName></component></settings>
  <settings pass="oobeSystem"><component><wcm:ComputerName>later</wcm:ComputerName></component></settings>
</unattend>`;

  it("reads the first element of a local name in document order, any prefix and letter case, entities decoded and trimmed", () => {
    expect(firstElementText(unattend, "computername")).toBe("PC & 01");
    expect(firstElementText("<a><b:X>one</b:X><x>two</x></a>", "x")).toBe("one");
    expect(firstElementText(unattend, "TimeZone")).toBeUndefined();
  });

  it("refuses malformed XML and DOCTYPEs with typed errors", () => {
    expect(() => firstElementText("<a><b></a>", "b")).toThrow(expect.objectContaining({ code: "XmlMalformed" }));
    expect(() => firstElementText('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', "a")).toThrow(expect.objectContaining({ code: "XmlForbiddenDeclaration" }));
  });
});

describe("findElements", () => {
  const unattend = `<unattend xmlns="urn:schemas-microsoft-com:unattend" xmlns:wcm="http://schemas.microsoft.com/WMIConfig/2002/State">
  <settings pass="windowsPE"><component name="Microsoft-Windows-Setup">
    <UserData><ProductKey><Key>PE-KEY</Key><WillShowUI>OnError</WillShowUI></ProductKey></UserData>
  </component></settings>
  <settings pass="specialize"><component wcm:name="Microsoft-Windows-Shell-Setup"><ProductKey> SPEC-KEY </ProductKey></component></settings>
</unattend>`;

  it("finds every element at the end of a path of local names, in document order, with its own text, child texts and ancestors", () => {
    const keys = findElements(unattend, ["productkey"]);
    expect(keys.map((m) => [m.text, m.children.get("key"), m.ancestors.map((a) => a.name).join("/"), m.ancestors[1]?.attributes.get("pass")])).toEqual([
      ["", "PE-KEY", "unattend/settings/component/UserData", "windowsPE"],
      ["SPEC-KEY", undefined, "unattend/settings/component", "specialize"],
    ]);
    expect(keys[1]?.ancestors[2]?.attributes.get("name")).toBe("Microsoft-Windows-Shell-Setup");
    expect(findElements(unattend, ["UserData", "ProductKey"])).toHaveLength(1);
    expect(findElements(unattend, ["component", "UserData", "Key"])).toEqual([]);
    expect(findElements(unattend, [])).toEqual([]);
  });

  it("refuses malformed XML with a typed error", () => {
    expect(() => findElements("<a><b></a>", ["b"])).toThrow(expect.objectContaining({ code: "XmlMalformed" }));
  });
});
