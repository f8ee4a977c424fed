import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { documentSequence } from "@taskseq/inspect";
import { createGroup, createSequence, isTaskSeqError } from "@taskseq/model";
import { parseSequenceXml } from "@taskseq/xml";
import { command, corpusDir, setVar, when } from "./helpers.js";

const seq = createSequence(
  [
    createGroup("Setup <&> \"group\"", [command("Run *it*", "cmd /c echo <b>|x", { condition: when("_SMSTSInWinPE", "equals", "true"), disabled: true })], { continueOnError: true }),
    setVar("Secret", "OSDJoinPassword", "Hunter2!"),
  ],
  { name: "Demo | TS", description: "A <demo>" },
);

describe("documentSequence", () => {
  it("writes Markdown with every group, step, setting, condition and flag", () => {
    const md = documentSequence(seq, { format: "md" });
    expect(md).toContain("# Demo \\| TS");
    expect(md).toContain("### 0 Group: Setup \\<\\&\\> \"group\"");
    expect(md).toContain("#### 0.0 Step: Run \\*it\\*");
    expect(md).toContain("- **Continue on error:** yes");
    expect(md).toContain("- **Enabled:** no \\(disabled: skipped without evaluating its condition\\)");
    expect(md).toContain('- **Condition:** if all: \\_SMSTSInWinPE equals "true"');
    expect(md).toContain("| CommandLine | CommandLine | cmd /c echo \\<b\\>\\|x |");
    expect(md).toContain("| VariableValue | VariableValue | \\*\\*\\*\\*\\*\\*\\*\\* |");
    expect(md).not.toContain("Hunter2!");
  });

  it("keeps a literal entity in a name as text in Markdown", () => {
    const md = documentSequence(createSequence([command("R&amp;D &copy; tools", "cmd")]), { format: "md" });
    expect(md).toContain("### 0 Step: R\\&amp;D \\&copy; tools");
  });

  it("writes one self-contained, escaped HTML page", () => {
    const html = documentSequence(seq, { format: "html" });
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/<(script|link|img)\b|https?:\/\//);
    expect(html).toContain("Setup &lt;&amp;&gt; &quot;group&quot;");
    expect(html).toContain("cmd /c echo &lt;b&gt;|x");
    expect(html).not.toContain("<b>");
    expect(html).not.toContain("Hunter2!");
    expect(html).toContain('class="item step disabled" id="item-0.0"');
    expect(html.match(/<section/g)?.length).toBe(html.match(/<\/section>/g)?.length);
  });

  it("documents the command line MDT keeps in <action> of a Run Command Line step, secret values masked", () => {
    const mdt = parseSequenceXml(readFileSync(`${corpusDir}049_mdt-drfiles-CONVERTOS.xml`)).sequence;
    expect(documentSequence(mdt, { format: "md" })).toContain("- **Command:** cmd.exe /c mbr2gpt.exe /convert /allowFullOS");
    const hidden = `<sequence version="3.10"><step type="SMS_TaskSequence_SetVariableAction" name="Pw" successCodeList="0"><defaultVarList><variable name="VariableName" property="VariableName">Pin</variable><variable name="VariableValue" property="VariableValue">Hunter2!</variable><variable name="DoNotShowVariableValue" property="DoNotShowVariableValue">true</variable></defaultVarList><action>tsenv.exe "Pin=Hunter2!" /hiddenflag:True</action></step></sequence>`;
    const html = documentSequence(parseSequenceXml(hidden).sequence, { format: "html" });
    expect(html).toContain("<dt>Command</dt><dd>tsenv.exe &quot;Pin=********&quot; /hiddenflag:True</dd>");
    expect(html).not.toContain("Hunter2!");
  });

  it("documents a real sequence and refuses an unknown format with a typed error", () => {
    const real = parseSequenceXml(readFileSync(`${corpusDir}019_mdt-template-Client.xml`)).sequence;
    const md = documentSequence(real, { format: "md" });
    expect(md).toContain("Gather local only");
    expect(md).toContain('PHASE equals "VALIDATION"');
    try {
      documentSequence(real, { format: "pdf" as "md" });
      expect.unreachable();
    } catch (e) {
      expect(isTaskSeqError(e, "InvalidArgument")).toBe(true);
    }
  });
});
