import { isTaskSeqError, TaskSeqError } from "@taskseq/model";
import { describe, expect, it } from "vitest";
import { createEnvironment, formatMediaVarList, parseMediaVarList } from "@taskseq/environment";

function thrown(fn: () => unknown): TaskSeqError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TaskSeqError) return e;
    throw e;
  }
  throw new Error("expected a TaskSeqError");
}

describe("MDT VARIABLES.DAT (MediaVarList)", () => {
  it("writes upper-cased names in CDATA, omits secrets and local defaults by default", () => {
    const { env, engine } = createEnvironment();
    engine.applyLayers({ builtinDefaults: [] });
    env.set("DeployRoot", "\\\\srv\\share");
    env.set("Tricky", "a]]>b");
    env.set("DomainAdminPassword", "Pw-Secret1");
    engine.pushStepDefaults("s", [{ name: "WorkingDirectory", value: "C:\\" }]);
    const xml = formatMediaVarList(env);
    expect(xml).toBe(
      '<?xml version="1.0" encoding="utf-8"?><MediaVarList Version="4.00.5345.0000">' +
        '<var name="DEPLOYROOT"><![CDATA[\\\\srv\\share]]></var><var name="TRICKY"><![CDATA[a]]]]><![CDATA[>b]]></var></MediaVarList>',
    );
    expect(parseMediaVarList(xml)).toEqual([
      { name: "DEPLOYROOT", value: "\\\\srv\\share" },
      { name: "TRICKY", value: "a]]>b" },
    ]);
  });

  it("writes secrets only on request, Base64-encoding MDT's obfuscated names, and reads them back as secret", () => {
    const { env } = createEnvironment();
    env.set("DomainAdminPassword", "Pw-Secret1");
    env.set("ApiKey", "k-123", { secret: true });
    const xml = formatMediaVarList(env, { includeSecrets: true });
    expect(xml).not.toContain("Pw-Secret1");
    expect(xml).toContain(`<var name="DOMAINADMINPASSWORD"><![CDATA[${btoa("Pw-Secret1")}]]></var>`);
    const vars = parseMediaVarList(xml);
    expect(vars.find((v) => v.name === "DOMAINADMINPASSWORD")).toEqual({ name: "DOMAINADMINPASSWORD", value: "Pw-Secret1", secret: true });
    const { env: media, engine } = createEnvironment();
    engine.applyLayers({ media: vars });
    expect(media.isSecret("DomainAdminPassword")).toBe(true);
    expect(media.get("apikey")).toBe("k-123");
  });

  it("writes the real value of a variable that holds secret text without being secret (entries() masks it for display)", () => {
    const { env, engine } = createEnvironment();
    engine.applyLayers({ builtinDefaults: [] });
    env.set("OSDJoinPassword", "Pa55word!");
    env.set("Copy", env.expand("user=admin;pw=%OSDJoinPassword%"));
    expect(env.entries().find((v) => v.name === "Copy")?.value).toBe("user=admin;pw=********");
    const vars = parseMediaVarList(formatMediaVarList(env, { includeSecrets: true }));
    expect(vars.find((v) => v.name === "COPY")).toEqual({ name: "COPY", value: "user=admin;pw=Pa55word!" });
  });

  it("reads plain text values and empty vars", () => {
    expect(parseMediaVarList('<MediaVarList Version="4.00.5345.0000"><var name="SKIPWIZARD">YES</var><var name="EMPTY"/></MediaVarList>')).toEqual([
      { name: "SKIPWIZARD", value: "YES" },
      { name: "EMPTY", value: "" },
    ]);
  });

  it("refuses malformed documents, other shapes, DOCTYPEs and bad Base64 with typed errors", () => {
    expect(thrown(() => parseMediaVarList("<MediaVarList><var name='A'>")).code).toBe("XmlMalformed");
    expect(thrown(() => parseMediaVarList("<Other/>")).code).toBe("XmlMalformed");
    expect(thrown(() => parseMediaVarList("<MediaVarList><x/></MediaVarList>")).code).toBe("XmlMalformed");
    expect(thrown(() => parseMediaVarList("<MediaVarList><var>1</var></MediaVarList>")).code).toBe("XmlMalformed");
    expect(thrown(() => parseMediaVarList("")).code).toBe("XmlMalformed");
    expect(thrown(() => parseMediaVarList('<!DOCTYPE x [<!ENTITY a "b">]><MediaVarList/>')).code).toBe("XmlForbiddenDeclaration");
    expect(isTaskSeqError(thrown(() => parseMediaVarList('<MediaVarList><var name="BDEPIN">@@not base64@@</var></MediaVarList>')), "XmlMalformed")).toBe(true);
  });
});
