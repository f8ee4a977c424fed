import { describe, expect, it } from "vitest";
import type { ImportDiagnosticCode } from "@taskseq/xml";
import { parseSequenceXml } from "@taskseq/xml";
import { corpusBytes } from "./helpers/corpus.js";

const codes = (xml: string | Uint8Array): ImportDiagnosticCode[] => parseSequenceXml(xml).diagnostics.map((d) => d.code);
const step = (attrs: string, body = ""): string => `<sequence version="3.10"><step ${attrs}>${body}</step></sequence>`;

describe("parseSequenceXml: model", () => {
  it("reads a 3.00 MDT template with groups, untyped steps, globals and conditions", () => {
    const { sequence } = parseSequenceXml(corpusBytes("019_mdt-template-Client.xml"));
    expect(sequence.version).toBe("3.00");
    expect(sequence.name).toBe("Standard Client Task Sequence");
    expect(sequence.globalVariables[0]).toMatchObject({ name: "OSGUID", property: "OSGUID" });
    const validation = sequence.items[1];
    expect(validation).toMatchObject({ kind: "group", name: "Validation", description: "Test", expand: false });
    const untyped = validation?.kind === "group" ? validation.children.find((c) => c.kind === "step" && c.type === "") : undefined;
    expect(untyped).toMatchObject({ kind: "step", type: "", runIn: "WinPEandFullOS", startIn: "" });
  });

  it("applies the defaults of absent attributes (3.10 omission, absent runIn)", () => {
    const { sequence } = parseSequenceXml(step('type="SMS_TaskSequence_RebootAction" name="r"'));
    expect(sequence.items[0]).toMatchObject({ disabled: false, continueOnError: false, successCodes: [0, 3010], runIn: "WinPEandFullOS", retryCount: 0, runFromNet: false, description: "" });
  });

  it("reads every step attribute and keeps values exactly, including surrounding white space", () => {
    const { sequence } = parseSequenceXml(
      step(
        'type="SMS_TaskSequence_RunCommandLineAction" name="n" description="d" disable="True" continueOnError="TRUE" timeout="900" runIn="winpe" successCodeList="0 1  2" retryCount="2" runFromNet="true"',
        '<action> cmd.exe /c "a &amp; b" </action><defaultVarList><variable name="CommandLine" property="CommandLine" hidden="true">  x  </variable><variable name="E" property="E"/></defaultVarList>',
      ),
    );
    expect(sequence.items[0]).toMatchObject({
      disabled: true,
      continueOnError: true,
      timeout: 900,
      runIn: "WinPE",
      successCodes: [0, 1, 2],
      retryCount: 2,
      runFromNet: true,
      action: ' cmd.exe /c "a & b" ',
      variables: [
        { name: "CommandLine", property: "CommandLine", value: "  x  ", hidden: true },
        { name: "E", property: "E", value: "" },
      ],
    });
  });

  it("reads child elements in any order (condition first, action after the variables)", () => {
    const { sequence } = parseSequenceXml(
      step(
        'type="SMS_TaskSequence_RunCommandLineAction" name="s"',
        '<condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Operator">Equals</variable><variable name="Value">TRUE</variable><variable name="Variable">X</variable></expression></condition><defaultVarList><variable name="a" property="a">1</variable></defaultVarList><action>go</action>',
      ),
    );
    const item = sequence.items[0];
    expect(item?.kind === "step" && item.action).toBe("go");
    expect(item?.condition?.operands[0]).toMatchObject({ kind: "expression", properties: [{ name: "Operator", value: "Equals" }, { name: "Value" }, { name: "Variable", value: "X" }] });
    expect(item?.trivia?.order).toEqual(["condition", "defaultVarList", "action"]);
  });

  it("reads nested operators, not in any case, and OS condition groups", () => {
    const { sequence, diagnostics } = parseSequenceXml(
      step(
        'name="s"',
        '<condition><operator type="NOT"><operator type="or"><expression type="SMS_TaskSequence_WMIConditionExpression"><variable name="Namespace">root\\cimv2</variable><variable name="Query">SELECT * FROM Win32_BIOS</variable></expression></operator></operator><osConditionGroup type="or"><osExpressionGroup name="All x64 Windows 10 and higher Clients"><expression type="SMS_TaskSequence_WMIConditionExpression"><variable name="Query">q</variable></expression></osExpressionGroup></osConditionGroup></condition>',
      ),
    );
    const operands = sequence.items[0]?.condition?.operands;
    expect(operands?.[0]).toMatchObject({ kind: "operator", operator: "NOT", operands: [{ kind: "operator", operator: "or" }] });
    expect(operands?.[1]).toMatchObject({ kind: "osConditionGroup", groups: [{ name: "All x64 Windows 10 and higher Clients", expressions: [{ type: "SMS_TaskSequence_WMIConditionExpression" }] }] });
    expect(operands?.[1]?.trivia?.attributes).toEqual([["type", "or"]]);
    expect(diagnostics).toEqual([]);
  });

  it("reads <subtasksequence> as a step", () => {
    const { sequence } = parseSequenceXml(
      '<sequence version="3.10"><subtasksequence type="SMS_TaskSequence_SubTasksequence" name="Run Task Sequence" description="" successCodeList="0" retryCount="0" runFromNet="false"><action>SubTasksequence.exe</action></subtasksequence></sequence>',
    );
    expect(sequence.items[0]).toMatchObject({ kind: "step", element: "subtasksequence", type: "SMS_TaskSequence_SubTasksequence", successCodes: [0] });
  });

  it("accepts an empty <action /> in a group and empty groups", () => {
    const { sequence } = parseSequenceXml('<sequence version="3.00"><group name="g" expand="true"><action /></group><group name="e"/></sequence>');
    expect(sequence.items).toMatchObject([{ kind: "group", expand: true, children: [] }, { kind: "group", children: [] }]);
    expect(sequence.items[0]?.trivia?.order).toEqual(["action"]);
  });

  it("keeps every field of the XML declaration, and nothing when there is none", () => {
    const declared = parseSequenceXml('<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n<sequence version="3.10"/>').sequence;
    expect(declared.trivia?.extra).toEqual({ "declaration.version": "1.0", "declaration.encoding": "utf-8", "declaration.standalone": "yes" });
    expect(parseSequenceXml('<?xml version="1.0"?><sequence version="3.10"/>').sequence.trivia?.extra).toEqual({ "declaration.version": "1.0" });
    expect(parseSequenceXml('<sequence version="3.10"/>').sequence.trivia?.extra).toBeUndefined();
  });

  it("reads references of a 3.10 sequence", () => {
    const { sequence } = parseSequenceXml(corpusBytes("004_cm-export-sequence-RSC002A6.xml"));
    expect(sequence.references.slice(0, 3)).toMatchObject([{ package: "RSC001A4" }, { package: "RSC00237", program: "*" }, { application: expect.stringMatching(/^ScopeId_/) }]);
  });
});

describe("parseSequenceXml: encodings", () => {
  const xml = '<?xml version="1.0"?><sequence version="3.00" name="Ünïcode €"></sequence>';

  it("reads UTF-8 with and without BOM", () => {
    const bytes = new TextEncoder().encode(xml);
    expect(parseSequenceXml(bytes).sequence.name).toBe("Ünïcode €");
    expect(parseSequenceXml(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes])).sequence.name).toBe("Ünïcode €");
  });

  it("reads UTF-16 LE and BE with BOM", () => {
    const le = new Uint8Array(2 + xml.length * 2);
    const be = new Uint8Array(2 + xml.length * 2);
    le.set([0xff, 0xfe]);
    be.set([0xfe, 0xff]);
    for (let i = 0; i < xml.length; i++) {
      const c = xml.charCodeAt(i);
      le.set([c & 0xff, c >> 8], 2 + i * 2);
      be.set([c >> 8, c & 0xff], 2 + i * 2);
    }
    expect(parseSequenceXml(le).sequence.name).toBe("Ünïcode €");
    expect(parseSequenceXml(be).sequence.name).toBe("Ünïcode €");
  });

  it("honours the declared encoding", () => {
    const latin = '<?xml version="1.0" encoding="ISO-8859-1"?><sequence version="3.00" name="caf\u00e9"/>';
    const bytes = Uint8Array.from(latin, (c) => c.charCodeAt(0));
    expect(parseSequenceXml(bytes).sequence.name).toBe("café");
  });

  it("reads a BOM-less document that wrongly declares UTF-16 as UTF-8", () => {
    const bytes = new TextEncoder().encode('<?xml version="1.0" encoding="utf-16"?><sequence version="3.00" name="Ü"/>');
    expect(parseSequenceXml(bytes).sequence.name).toBe("Ü");
  });

  it("refuses an unknown declared encoding with XmlInvalidEncoding", () => {
    const bytes = new TextEncoder().encode('<?xml version="1.0" encoding="x-unknown-42"?><sequence/>');
    expect(() => parseSequenceXml(bytes)).toThrow(expect.objectContaining({ code: "XmlInvalidEncoding" }));
  });
});

describe("parseSequenceXml: diagnostics", () => {
  it("reads a missing version as 3.00 with MissingVersion", () => {
    const { sequence, diagnostics } = parseSequenceXml("<sequence/>");
    expect(sequence.version).toBe("3.00");
    expect(diagnostics).toMatchObject([{ code: "MissingVersion", severity: "warning", position: { line: 1, column: 1 } }]);
  });

  it("keeps an unknown version with UnknownVersion", () => {
    const { sequence, diagnostics } = parseSequenceXml('<sequence version="4.00"/>');
    expect(sequence.version).toBe("4.00");
    expect(diagnostics.map((d) => d.code)).toEqual(["UnknownVersion"]);
  });

  it("warns about unknown step types, expression types and operators", () => {
    expect(codes(step('type="Contoso_CustomAction" name="c"'))).toEqual(["UnknownStepType"]);
    expect(codes(step('name="s"', '<condition><expression type="Contoso_Expression"/></condition>'))).toEqual(["UnknownExpressionType"]);
    expect(codes(step('name="s"', '<condition><operator type="xor"/></condition>'))).toEqual(["UnknownOperator"]);
    expect(codes(step('name="s"', '<condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Operator">sortOf</variable></expression></condition>'))).toEqual([
      "UnknownOperator",
    ]);
    expect(codes(step('name="s"', '<condition><expression type="SMS_TaskSequence_RegistryConditionExpression"><variable name="Operator">nonExists</variable></expression></condition>'))).toEqual([]);
  });

  it("reports unknown elements and attributes as info and keeps them with their path", () => {
    const { sequence, diagnostics } = parseSequenceXml('<sequence version="3.10" x="1"><group name="g"><step name="s" foo="bar"><extra a="b"><c/></extra></step></group><note>hi</note></sequence>');
    expect(diagnostics.map((d) => [d.code, d.severity, d.position?.path])).toEqual([
      ["UnknownAttribute", "info", undefined],
      ["UnknownAttribute", "info", "0.0"],
      ["UnknownElement", "info", "0.0"],
      ["UnknownElement", "info", undefined],
    ]);
    expect(sequence.trivia?.unknown[0]).toEqual({ kind: "element", name: "note", attributes: [], children: [{ kind: "text", text: "hi" }] });
  });

  it("keeps an unknown element's text split by comments as one text, CDATA sections apart, and empty elements", () => {
    const { sequence } = parseSequenceXml('<sequence version="3.10"><note k="v">a<!-- c -->b<![CDATA[x]]><![CDATA[y]]>c<empty/></note><variable name="V"> <!-- c --> </variable></sequence>');
    expect(sequence.trivia?.unknown).toEqual([
      {
        kind: "element",
        name: "note",
        attributes: [["k", "v"]],
        children: [
          { kind: "text", text: "ab" },
          { kind: "text", text: "x", cdata: true },
          { kind: "text", text: "y", cdata: true },
          { kind: "text", text: "c" },
          { kind: "element", name: "empty", attributes: [], children: [] },
        ],
      },
      { kind: "element", name: "variable", attributes: [["name", "V"]], children: [{ kind: "text", text: "  " }] },
    ]);
  });

  it("reads a variable value made of text and CDATA pieces", () => {
    const { sequence } = parseSequenceXml('<sequence version="3.10"><globalVarList><variable name="V">a<!-- c --><![CDATA[<b>]]>c</variable><variable name="E"/></globalVarList></sequence>');
    expect(sequence.globalVariables.map((v) => [v.name, v.value])).toEqual([
      ["V", "a<b>c"],
      ["E", ""],
    ]);
  });

  it("warns about the successCodes typo (real MDT server template)", () => {
    const diagnostics = parseSequenceXml(corpusBytes("024_mdt-WS2019-deploy.xml")).diagnostics.filter((d) => d.code === "SuccessCodesTypo");
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics[0]?.position?.line).toBeGreaterThan(1);
  });

  it("reports a SuccessCodes setting that differs from successCodeList", () => {
    expect(codes(step('type="SMS_TaskSequence_RunCommandLineAction" name="s" successCodeList="0"', '<defaultVarList><variable name="SuccessCodes" property="SuccessCodes">0 3010</variable></defaultVarList>'))).toEqual([
      "SuccessCodesMismatch",
    ]);
    expect(codes(step('type="SMS_TaskSequence_RunCommandLineAction" name="s" successCodeList="0 3010"', '<defaultVarList><variable name="SuccessCodes" property="SuccessCodes">0 3010</variable></defaultVarList>'))).toEqual([]);
  });

  it("reports non-integer success codes, runIn values and numbers", () => {
    expect(codes(step('name="s" successCodeList="0 x"'))).toEqual(["InvalidSuccessCodeList"]);
    expect(codes(step('name="s" runIn="Moon"'))).toEqual(["InvalidRunIn"]);
    expect(codes(step('name="s" timeout="soon"'))).toEqual(["InvalidNumber"]);
  });

  it("reports identical duplicate globals as info and differing ones as a warning", () => {
    const same = parseSequenceXml('<sequence version="3.00"><globalVarList><variable name="OSGUID" property="OSGUID">a</variable><variable name="osguid" property="OSGUID">a</variable></globalVarList></sequence>');
    expect(same.diagnostics).toMatchObject([{ code: "DuplicateGlobalVariable", severity: "info" }]);
    expect(same.sequence.globalVariables).toHaveLength(2);
    const differ = parseSequenceXml('<sequence version="3.00"><globalVarList><variable name="A" property="A">1</variable><variable name="A" property="A">2</variable></globalVarList></sequence>');
    expect(differ.diagnostics).toMatchObject([{ code: "DuplicateGlobalVariable", severity: "warning" }]);
  });

  it("warns that a hidden value removed by the exporter must be re-entered", () => {
    const hidden = step(
      'type="SMS_TaskSequence_SetVariableAction" name="Set secret"',
      '<action>tsenv.exe "Secret=" /hiddenflag:True</action><defaultVarList><variable name="DoNotShowVariableValue" property="DoNotShowVariableValue" hidden="true">true</variable><variable name="VariableName" property="VariableName" hidden="true">Secret</variable><variable name="VariableValue" property="VariableValue" hidden="true"></variable></defaultVarList>',
    );
    const diagnostics = parseSequenceXml(hidden).diagnostics;
    expect(diagnostics).toMatchObject([{ code: "SecretMustBeReentered", severity: "warning", position: { path: "0" } }]);
    expect(JSON.stringify(diagnostics)).not.toContain("hiddenflag");
  });

  it("reports nothing for a clean real ConfigMgr export", () => {
    expect(codes(corpusBytes("051_cm-2pint-FormatPartitionModule.xml"))).toEqual([]);
  });
});
