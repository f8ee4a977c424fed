import { describe, expect, it } from "vitest";
import { firstElementText } from "@taskseq/xml";

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
