import { describe, expect, it } from "vitest";
import { variableCondition } from "@taskseq/model";
import type { Step } from "@taskseq/model";
import { decodePowerShellScript, encodePowerShellScript, parseDynamicRules, parseSequenceXml, writeDynamicRules } from "@taskseq/xml";
import { corpusBytes, sequenceFiles } from "./helpers/corpus.js";

const RULES = '<Rules><Rule><condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Operator">like</variable><variable name="Value">10MQ%</variable><variable name="Variable">_SMSTSModel</variable></expression></condition><Variables><Variable Name="W10X64DRIVERPACKAGE" IsSecret="false">PS200975</Variable></Variables></Rule><Rule><Variables><Variable Name="SMSTSPostAction" IsSecret="false">cmd.exe /c gpupdate /sync /boot &amp; cmd.exe /c shutdown /r /t 60</Variable><Variable Name="Pw" IsSecret="True"></Variable></Variables></Rule></Rules>';

describe("Set Dynamic Variables rules (spec §7)", () => {
  it("parses rules with and without conditions and keeps the original text", () => {
    const parsed = parseDynamicRules(RULES);
    expect(parsed.source).toBe(RULES);
    expect(parsed.rules).toHaveLength(2);
    expect(parsed.rules[0]?.condition?.operands[0]).toMatchObject({ type: "SMS_TaskSequence_VariableConditionExpression", properties: [{ name: "Operator", value: "like" }, {}, {}] });
    expect(parsed.rules[1]).toMatchObject({
      variables: [
        { name: "SMSTSPostAction", value: "cmd.exe /c gpupdate /sync /boot & cmd.exe /c shutdown /r /t 60", secret: false },
        { name: "Pw", value: "", secret: true },
      ],
    });
    expect(parsed.rules[1]?.condition).toBeUndefined();
  });

  it("writes rules that parse back to the same rules, with secrets redacted on request", () => {
    const rules = [{ condition: { operands: [variableCondition("_SMSTSMake", "like", "Dell%")] }, variables: [{ name: "A", value: "x & y", secret: false }, { name: "K", value: "s3cret", secret: true }] }];
    const text = writeDynamicRules(rules);
    expect(text).toContain("x &amp; y");
    expect(parseDynamicRules(text).rules).toMatchObject([{ variables: rules[0]?.variables }]);
    expect(writeDynamicRules(rules, { redactSecrets: true })).not.toContain("s3cret");
  });

  it("reads the doubly escaped rules of every real Set Dynamic Variables step", () => {
    let count = 0;
    for (const file of sequenceFiles()) {
      const walk = (items: readonly unknown[]): void => {
        for (const item of items as readonly (Step | { kind: "group"; children: readonly unknown[] })[]) {
          if (item.kind === "group") walk(item.children);
          else if (item.type === "SMS_TaskSequence_SetDynamicVariablesAction") {
            const rules = item.variables.find((v) => v.property === "Rules");
            if (rules === undefined) continue;
            const parsed = parseDynamicRules(rules.value);
            expect(parsed.rules.length).toBeGreaterThan(0);
            count++;
          }
        }
      };
      walk(parseSequenceXml(corpusBytes(file)).sequence.items);
    }
    expect(count).toBeGreaterThanOrEqual(10);
  });

  it("refuses malformed rules with XmlMalformed and another root likewise", () => {
    expect(() => parseDynamicRules("<Rules><Rule>")).toThrow(expect.objectContaining({ code: "XmlMalformed" }));
    expect(() => parseDynamicRules("<Other/>")).toThrow(expect.objectContaining({ code: "XmlMalformed" }));
  });
});

describe("PowerShell source scripts (spec §8)", () => {
  it("decodes the observed UTF-16LE BOM form and encodes it back identically", () => {
    expect(decodePowerShellScript("//5zAA==")).toBe("s");
    expect(encodePowerShellScript("s")).toBe("//5zAA==");
  });

  it("decodes UTF-8 with BOM and BOM-less forms by byte count", () => {
    const b64 = (bytes: number[]): string => btoa(String.fromCharCode(...bytes));
    expect(decodePowerShellScript(b64([0xef, 0xbb, 0xbf, 0x68, 0xc3, 0xa9]))).toBe("hé");
    expect(decodePowerShellScript(b64([0x68, 0x00, 0x69, 0x00]))).toBe("hi");
    expect(decodePowerShellScript(b64([0x61, 0x62, 0x63]))).toBe("abc");
  });

  it("round-trips non-ASCII scripts and decodes the real inline script of 012", () => {
    const script = "Write-Host 'Grüße €' # ✓\r\n";
    expect(decodePowerShellScript(encodePowerShellScript(script))).toBe(script);
    const text = new TextDecoder().decode(corpusBytes("012_cm-garytown-KB5025885-MediaCreator.xml"));
    const base64 = /property="SourceScript">([^<]+)</.exec(text)?.[1] ?? "";
    expect(decodePowerShellScript(base64)).toContain("Name:");
  });

  it("refuses invalid Base64 with InvalidArgument", () => {
    expect(() => decodePowerShellScript("not base64!")).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
  });
});
