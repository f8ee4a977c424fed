import { describe, expect, it } from "vitest";
import { addItem, createCondition, createGroup, createSequence, createStep, insertItem, renameItem, setCondition, setEnabled, setSetting, variableCondition } from "@taskseq/model";
import type { Step, TaskSequence } from "@taskseq/model";
import { convertSequence, parseSequenceXml, writeSequenceXml } from "@taskseq/xml";
import { corpusBytes } from "./helpers/corpus.js";

const reboot = (): Step => ({
  kind: "step",
  element: "step",
  type: "SMS_TaskSequence_RebootAction",
  name: "Restart",
  description: "",
  disabled: false,
  continueOnError: true,
  successCodes: [0],
  runIn: "WinPEandFullOS",
  retryCount: 0,
  runFromNet: false,
  timeout: 120,
  action: "smsboot.exe /target:HD",
  variables: [{ name: "SMSRebootTarget", property: "Target", value: "HD" }],
  condition: { operands: [variableCondition("_SMSTSInWinPE", "equals", "true")] },
});

describe("writeSequenceXml: input", () => {
  it("refuses a value that is not a task sequence with InvalidArgument naming the place (never a TypeError)", () => {
    const good = createSequence([reboot()]);
    for (const [value, path] of [[null, "sequence"], [{ ...good, items: [null] }, "0"], [{ ...good, items: [{ ...reboot(), variables: undefined }] }, "0"]] as const) {
      expect(() => writeSequenceXml(value as unknown as TaskSequence), path).toThrow(expect.objectContaining({ code: "InvalidArgument", position: { path } }));
    }
  });
});

describe("writeSequenceXml: new items", () => {
  it("writes 3.10 on one line with default omission and ConfigMgr's attribute and child order", () => {
    const seq = createSequence([createGroup("G", [reboot()], { description: "d" })], { version: "3.10", name: "ignored in 3.10" });
    expect(writeSequenceXml(seq)).toBe(
      '<sequence version="3.10"><group name="G" description="d"><step type="SMS_TaskSequence_RebootAction" name="Restart" description="" continueOnError="true" timeout="120" runIn="WinPEandFullOS" successCodeList="0" retryCount="0" runFromNet="false"><condition><expression type="SMS_TaskSequence_VariableConditionExpression"><variable name="Variable">_SMSTSInWinPE</variable><variable name="Operator">equals</variable><variable name="Value">true</variable></expression></condition><action>smsboot.exe /target:HD</action><defaultVarList><variable name="SMSRebootTarget" property="Target">HD</variable></defaultVarList></step></group></sequence>',
    );
  });

  it("writes 3.00 pretty-printed with a declaration and MDT's attribute and child order", () => {
    const untyped: Step = { ...reboot(), type: "", name: "Tattoo", action: 'cscript.exe "%SCRIPTROOT%\\ZTITatoo.wsf"', variables: [], timeout: undefined, condition: undefined, startIn: "" };
    const seq = createSequence([createGroup("G", [reboot(), untyped])], { version: "3.00", name: "N", description: "D" });
    expect(writeSequenceXml(seq)).toBe(
      [
        '<?xml version="1.0"?>',
        '<sequence version="3.00" name="N" description="D">',
        '  <group name="G" disable="false" continueOnError="false" description="" expand="true">',
        '    <step type="SMS_TaskSequence_RebootAction" name="Restart" disable="false" continueOnError="true" successCodeList="0" description="" runIn="WinPEandFullOS" timeout="120">',
        "      <condition>",
        '        <expression type="SMS_TaskSequence_VariableConditionExpression">',
        '          <variable name="Variable">_SMSTSInWinPE</variable>',
        '          <variable name="Operator">equals</variable>',
        '          <variable name="Value">true</variable>',
        "        </expression>",
        "      </condition>",
        "      <defaultVarList>",
        '        <variable name="SMSRebootTarget" property="Target">HD</variable>',
        "      </defaultVarList>",
        "      <action>smsboot.exe /target:HD</action>",
        "    </step>",
        '    <step name="Tattoo" disable="false" continueOnError="true" successCodeList="0" description="" startIn="">',
        '      <action>cscript.exe "%SCRIPTROOT%\\ZTITatoo.wsf"</action>',
        "    </step>",
        "  </group>",
        "</sequence>",
        "",
      ].join("\n"),
    );
  });

  it("writes a step made by the model's createStep and reads it back equal", () => {
    const step = createStep("SMS_TaskSequence_SetVariableAction", { VariableName: "OSDComputerName", VariableValue: "PC01" });
    const seq = createSequence([step]);
    const back = parseSequenceXml(writeSequenceXml(seq)).sequence;
    const { trivia: _t, ...read } = back.items[0] as Step;
    expect({ ...read, variables: read.variables.map(({ trivia: _v, ...v }) => v) }).toEqual(step);
  });

  it("escapes text and attribute values (spec §6) and reads them back", () => {
    const step: Step = { ...reboot(), name: 'a & b < "c" >\n\td', action: "x & y < z > ]]> \r end", variables: [], condition: undefined };
    const xml = writeSequenceXml(createSequence([step]));
    expect(xml).toContain('name="a &amp; b &lt; &quot;c&quot; >&#10;&#9;d"');
    expect(xml).toContain("<action>x &amp; y &lt; z &gt; ]]&gt; &#13; end</action>");
    expect(xml).not.toContain("CDATA");
    const back = parseSequenceXml(xml).sequence.items[0] as Step;
    expect([back.name, back.action]).toEqual([step.name, step.action]);
  });
});

describe("writeSequenceXml: items read from a document", () => {
  it("keeps the source attributes, their order and spelling when an item is renamed", () => {
    const source = '<?xml version="1.0"?><sequence version="3.00" name="n" description=""><step name="Old" successCodeList="0 3010" description="" startIn="" disable="False" continueOnError="false" foo="bar"><action>x</action></step></sequence>';
    const renamed = renameItem(parseSequenceXml(source).sequence, [0], "New");
    expect(writeSequenceXml(renamed, { pretty: false })).toBe(
      '<?xml version="1.0"?><sequence version="3.00" name="n" description=""><step name="New" successCodeList="0 3010" description="" startIn="" disable="False" continueOnError="false" foo="bar"><action>x</action></step></sequence>',
    );
  });

  it("adds and removes 3.10 flags by the default-omission rule when an item is edited", () => {
    const source = '<sequence version="3.10"><step type="SMS_TaskSequence_RebootAction" name="r" description="" runIn="WinPEandFullOS" successCodeList="0" retryCount="0" runFromNet="false"/></sequence>';
    const disabled = setEnabled(parseSequenceXml(source).sequence, [0], false);
    const xml = writeSequenceXml(disabled);
    expect(xml).toContain('runFromNet="false" disable="true"');
    expect(writeSequenceXml(setEnabled(parseSequenceXml(xml).sequence, [0], true))).not.toContain("disable");
  });

  it("keeps unknown elements and the item order when items are inserted or removed", () => {
    const source = '<sequence version="3.10"><step name="a"/><custom x="1"/><step name="b"/></sequence>';
    const read = parseSequenceXml(source).sequence;
    const inserted = insertItem(read, [2], createGroup("new"));
    expect(writeSequenceXml(inserted)).toBe('<sequence version="3.10"><step name="a"/><custom x="1"/><step name="b"/><group name="new" description=""/></sequence>');
    // Without renumbered tokens (a hand-made edit), surplus tokens are skipped and the unknown element stays.
    const removed: TaskSequence = { ...read, items: read.items.slice(1) };
    expect(writeSequenceXml(removed)).toBe('<sequence version="3.10"><step name="b"/><custom x="1"/></sequence>');
  });

  it("writes a part the source lacked in the version's default position (docs/model.md §6)", () => {
    const source = '<sequence version="3.10"><step type="SMS_TaskSequence_RebootAction" name="r"><x/><action>a</action><defaultVarList/></step><group name="g"><step name="s"/></group></sequence>';
    const condition = createCondition(variableCondition("A", "equals", "1"));
    const read = parseSequenceXml(source).sequence;
    const xml = writeSequenceXml(setCondition(setCondition(read, [0], condition), [1], condition));
    expect(xml).toMatch(/<step [^>]*><x\/><condition>.*<\/condition><action>a<\/action><defaultVarList\/><\/step>/);
    expect(xml).toMatch(/<group name="g"><condition>.*<\/condition><step name="s"\/><\/group>/);
  });

  it("writes a declaration only when the source had one", () => {
    const mdt = parseSequenceXml(corpusBytes("025_mdt-INSTALL-APPS-custom.xml")).sequence;
    expect(writeSequenceXml(mdt).startsWith('<?xml version="1.0"')).toBe(true);
    const cm = parseSequenceXml(corpusBytes("051_cm-2pint-FormatPartitionModule.xml")).sequence;
    expect(writeSequenceXml(cm).startsWith("<sequence")).toBe(true);
    expect(writeSequenceXml(cm)).not.toContain("\n");
    const bare = parseSequenceXml('<sequence version="3.00" name="x"/>').sequence;
    expect(writeSequenceXml(bare)).toBe('<sequence version="3.00" name="x" />\n');
  });

  it("writes UTF-8 as the declared encoding when the source declared one", () => {
    const latin = Uint8Array.from('<?xml version="1.0" encoding="ISO-8859-1"?><sequence version="3.00" name="caf\u00e9"/>', (c) => c.charCodeAt(0));
    expect(writeSequenceXml(parseSequenceXml(latin).sequence)).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>/);
  });
});

describe("writeSequenceXml: secrets (variables.md §9.3)", () => {
  const joinStep = (password: string): string =>
    `<sequence version="3.10"><step type="SMS_TaskSequence_JoinDomainWorkgroupAction" name="Join" runIn="FullOS" successCodeList="0" retryCount="0" runFromNet="false"><defaultVarList><variable name="OSDJoinPassword" property="DomainPassword" hidden="true">${password}</variable><variable name="OSDJoinAccount" property="DomainAccount">CONTOSO\\join</variable></defaultVarList></step></sequence>`;

  it("writes back a value the source document carried in clear", () => {
    expect(writeSequenceXml(parseSequenceXml(joinStep("P@ss")).sequence)).toContain(">P@ss</variable>");
  });

  it("writes a secret set through the SDK empty", () => {
    const seq = setSetting(parseSequenceXml(joinStep("")).sequence, [0], "DomainPassword", "N3wSecret!");
    const xml = writeSequenceXml(seq);
    expect(xml).not.toContain("N3wSecret!");
    expect(xml).toContain('property="DomainPassword" hidden="true"/>');
    expect(xml).toContain("CONTOSO\\join");
  });

  it("writes a new Set Task Sequence Variable step marked 'do not display' with an empty value", () => {
    const step = createStep("SMS_TaskSequence_SetVariableAction", { VariableName: "Key", VariableValue: "s3cr3t", DoNotShowVariableValue: true });
    expect(writeSequenceXml(createSequence([step]))).not.toContain("s3cr3t");
  });

  it("writes global variables that are secret by name empty when the SDK set them", () => {
    const seq: TaskSequence = { ...createSequence([], { version: "3.00" }), globalVariables: [{ name: "AdminPassword", property: "AdminPassword", value: "pw" }, { name: "OSGUID", property: "OSGUID", value: "{1}" }] };
    const xml = writeSequenceXml(seq);
    expect(xml).not.toContain(">pw<");
    expect(xml).toContain(">{1}<");
  });

  it("empties IsSecret rule values of edited Set Dynamic Variables rules, keeps unchanged rules as read", () => {
    const rules = (value: string): string =>
      `&lt;Rules&gt;&lt;Rule&gt;&lt;Variables&gt;&lt;Variable Name="Pw" IsSecret="true"&gt;${value}&lt;/Variable&gt;&lt;Variable Name="Plain" IsSecret="false"&gt;p&lt;/Variable&gt;&lt;/Variables&gt;&lt;/Rule&gt;&lt;/Rules&gt;`;
    const source = `<sequence version="3.10"><step type="SMS_TaskSequence_SetDynamicVariablesAction" name="d" runIn="WinPEandFullOS" successCodeList="0" retryCount="0" runFromNet="false"><defaultVarList><variable name="OSDSetDynamicVariablesRules" property="Rules">${rules("kept")}</variable></defaultVarList></step></sequence>`;
    const read = parseSequenceXml(source).sequence;
    expect(writeSequenceXml(read)).toContain("kept");
    const edited = setSetting(read, [0], "Rules", '<Rules><Rule><Variables><Variable Name="Pw" IsSecret="true">leak</Variable><Variable Name="Plain" IsSecret="false">p</Variable></Variables></Rule></Rules>');
    const xml = writeSequenceXml(edited);
    expect(xml).not.toContain("leak");
    expect(xml).toContain("Plain");
  });

  it("secretValues: empty writes every secret value empty, also those the source document carried in clear", () => {
    const rules = `&lt;Rules&gt;&lt;Rule&gt;&lt;Variables&gt;&lt;Variable Name="Pw" IsSecret="true"&gt;RuleSecret1&lt;/Variable&gt;&lt;Variable Name="Plain" IsSecret="false"&gt;p&lt;/Variable&gt;&lt;/Variables&gt;&lt;/Rule&gt;&lt;/Rules&gt;`;
    const source =
      `<sequence version="3.10"><globalVarList><variable name="AdminPassword" property="AdminPassword">GlobalSecret1</variable><variable name="OSGUID" property="OSGUID">{1}</variable></globalVarList>` +
      `<step type="SMS_TaskSequence_JoinDomainWorkgroupAction" name="Join" runIn="FullOS" successCodeList="0" retryCount="0" runFromNet="false"><defaultVarList><variable name="OSDJoinPassword" property="DomainPassword" hidden="true">JoinSecret1</variable><variable name="OSDJoinAccount" property="DomainAccount">CONTOSO\\join</variable></defaultVarList></step>` +
      `<step type="SMS_TaskSequence_SetVariableAction" name="Set" runIn="WinPEandFullOS" successCodeList="0" retryCount="0" runFromNet="false"><defaultVarList><variable name="VariableName" property="VariableName">OSDLocalAdminPassword</variable><variable name="VariableValue" property="VariableValue">SetSecret1</variable></defaultVarList></step>` +
      `<step type="SMS_TaskSequence_SetDynamicVariablesAction" name="d" runIn="WinPEandFullOS" successCodeList="0" retryCount="0" runFromNet="false"><defaultVarList><variable name="OSDSetDynamicVariablesRules" property="Rules">${rules}</variable></defaultVarList></step></sequence>`;
    const read = parseSequenceXml(source).sequence;
    const kept = writeSequenceXml(read);
    for (const secret of ["JoinSecret1", "SetSecret1", "RuleSecret1"]) expect(kept).toContain(secret); // read in clear, written back
    const xml = writeSequenceXml(read, { version: "3.10", secretValues: "empty" });
    for (const secret of ["GlobalSecret1", "JoinSecret1", "SetSecret1", "RuleSecret1"]) expect(xml).not.toContain(secret);
    expect(xml).toContain(">{1}<");
    expect(xml).toContain("CONTOSO\\join");
    expect(xml).toContain("OSDLocalAdminPassword");
    expect(xml).toContain("Plain");
    expect(parseSequenceXml(xml).sequence.items).toHaveLength(3);
  });
});

describe("convertSequence", () => {
  it("converts an MDT template to 3.10 and reports every change", () => {
    const mdt = parseSequenceXml(corpusBytes("020_mdt-template-StateRestore.xml")).sequence;
    const { sequence, changes } = convertSequence(mdt, "3.10");
    expect(sequence.version).toBe("3.10");
    expect(sequence.name).toBeUndefined();
    expect(sequence.package?.name).toBe(mdt.name);
    const kinds = new Set(changes.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(["attribute-dropped", "mdt-only-step", "moved-to-package"]);
    const xml = writeSequenceXml(sequence);
    expect(xml).not.toMatch(/expand=|startIn=|disable="false"|continueOnError="false"|<\?xml/);
    expect(xml).toContain('retryCount="0" runFromNet="false"');
    expect(parseSequenceXml(xml).sequence.items.length).toBe(mdt.items.length);
  });

  it("converts a ConfigMgr sequence to 3.00 and reports dropped 3.10-only data", () => {
    const cm = parseSequenceXml(corpusBytes("004_cm-export-sequence-RSC002A6.xml")).sequence;
    const { sequence, changes } = convertSequence({ ...cm, package: { name: "Pkg", properties: {} } }, "3.00");
    expect(sequence.name).toBe("Pkg");
    expect(changes.map((c) => c.kind)).toEqual(expect.arrayContaining(["moved-from-package", "list-dropped", "attribute-dropped"]));
    const xml = writeSequenceXml(sequence);
    expect(xml.startsWith('<?xml version="1.0"?>\n<sequence version="3.00" name="Pkg" description="">')).toBe(true);
    expect(xml).not.toMatch(/hidden=|retryCount=|runFromNet=|<referenceList/);
  });

  it("returns the same sequence with no changes for the same version, and writeSequenceXml converts on request", () => {
    const cm = parseSequenceXml(corpusBytes("051_cm-2pint-FormatPartitionModule.xml")).sequence;
    expect(convertSequence(cm, "3.10")).toEqual({ sequence: cm, changes: [] });
    expect(writeSequenceXml(cm, { version: "3.00" })).toContain('<sequence version="3.00"');
  });

  it("keeps new items added after conversion in the target layout", () => {
    const mdt = parseSequenceXml(corpusBytes("025_mdt-INSTALL-APPS-custom.xml")).sequence;
    const cm = addItem(convertSequence(mdt, "3.10").sequence, createGroup("Added"));
    expect(writeSequenceXml(cm)).toContain('<group name="Added" description=""/>');
  });
});
