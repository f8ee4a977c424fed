import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as taskseq from "taskseq";
import { createStepHandlerRegistry } from "@taskseq/engine";
import { addCMTaskSequenceStep, createEngine, createMemoryLogSink, createSequence, createSimulatedDevice, createStep, newCMTaskSequence, newCMTSStep, parseSequenceXml, sequenceDocumentXml } from "taskseq";

const corpus = new URL("../../../../shared/corpus/", import.meta.url);

describe("taskseq", () => {
  it("createEngine() runs a sequence on the default simulated device with the built-in handlers", async () => {
    const seq = createSequence([
      createStep("SMS_TaskSequence_SetVariableAction", { VariableName: "Greeting", VariableValue: "hello" }),
      createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "cmd /c echo %Greeting%" }),
    ]);
    const result = await createEngine().run(seq);
    expect(result.status).toBe("success");
    expect(result.steps.map((s) => s.outcome)).toEqual(["success", "success"]);
    expect(result.variables.Greeting).toBe("hello");
  });

  it("runs a corpus sequence and a cmdlet-built one", async () => {
    const { sequence } = parseSequenceXml(readFileSync(new URL("049_mdt-drfiles-CONVERTOS.xml", corpus)));
    expect((await createEngine().run(sequence)).status).toBe("success");
    const ts = addCMTaskSequenceStep({ InputObject: newCMTaskSequence({ CustomTaskSequence: true, Name: "C" }), Step: newCMTSStep("New-CMTSStepRunCommandLine", { Name: "Fail", CommandLine: "cmd /c exit 5" }) });
    const failed = await createEngine().run(ts);
    expect([failed.status, failed.steps[0]?.exitCode]).toEqual(["failed", 5]);
  });

  it("options override the defaults", async () => {
    const device = createSimulatedDevice();
    const seq = createSequence([createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "cmd /c exit 0" })]);
    expect((await createEngine({ device, handlers: taskseq.createBuiltinHandlers() }).run(seq)).status).toBe("success");
    const bare = await createEngine({ handlers: createStepHandlerRegistry() }).run(seq);
    expect(bare.status).toBe("failed");
  });

  it("sets _SMSTSTaskSequence to the running sequence as 3.10 XML, with no secret in it nor in smsts.log", async () => {
    const xml =
      `<sequence version="3.10"><globalVarList><variable name="AdminPassword" property="AdminPassword">GlobalPw-4711</variable><variable name="Site" property="Site">Lab</variable></globalVarList>` +
      `<group name="Main" description="">` +
      `<step type="SMS_TaskSequence_SetVariableAction" name="Set hidden" runIn="WinPEandFullOS" successCodeList="0" retryCount="0" runFromNet="false"><action>tsenv.exe</action><defaultVarList>` +
      `<variable name="DoNotShowVariableValue" property="DoNotShowVariableValue" hidden="true">true</variable><variable name="VariableName" property="VariableName" hidden="true">Token</variable>` +
      `<variable name="VariableValue" property="VariableValue" hidden="true">HiddenPw-4711</variable></defaultVarList></step>` +
      `<step type="SMS_TaskSequence_JoinDomainWorkgroupAction" name="Join" disable="true" runIn="FullOS" successCodeList="0" retryCount="0" runFromNet="false"><action>osdjoin.exe</action><defaultVarList>` +
      `<variable name="OSDJoinPassword" property="DomainPassword" hidden="true">JoinPw-4711</variable><variable name="OSDJoinAccount" property="DomainAccount">CONTOSO\\join</variable></defaultVarList></step>` +
      `</group></sequence>`;
    const { sequence } = parseSequenceXml(xml);
    const log = createMemoryLogSink();
    const result = await createEngine({ log }).run(sequence);
    expect(result.status).toBe("success");
    const document = result.variables["_SMSTSTaskSequence"] ?? "";
    expect(document).toBe(sequenceDocumentXml(sequence));
    expect(document).toMatch(/^<sequence version="3.10"/);
    expect(document).toContain("CONTOSO\\join");
    expect(parseSequenceXml(document).sequence.items[0]).toMatchObject({ kind: "group", name: "Main" });
    for (const secret of ["GlobalPw-4711", "HiddenPw-4711", "JoinPw-4711"]) {
      expect(document).not.toContain(secret);
      expect(log.text()).not.toContain(secret);
    }
    expect(result.variables["_SMSTSTimezone"]).toBe("0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,Coordinated Universal Time,Coordinated Universal Time");
  });
});
