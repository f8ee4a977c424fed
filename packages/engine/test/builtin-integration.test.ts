/** The README / docs example with the real built-in handlers and the simulated device. */
import { describe, expect, it } from "vitest";
import { createSimulatedDevice } from "@taskseq/device";
import { createEngine, createMemoryLogSink, toRunResultJson, type EngineEvent } from "@taskseq/engine";
import { createBuiltinHandlers } from "@taskseq/steps";
import { parseSequenceXml } from "@taskseq/xml";

const xml = `<?xml version="1.0"?>
<sequence version="3.10"><group name="Main" description="">
  <step type="SMS_TaskSequence_SetVariableAction" name="Set name" runIn="WinPEandFullOS" successCodeList="0"><action>tsenv.exe</action><defaultVarList>
    <variable name="VariableName" property="VariableName" hidden="true">Greeting</variable><variable name="VariableValue" property="VariableValue" hidden="true">Hello %OSDComputerName%</variable></defaultVarList></step>
  <step type="SMS_TaskSequence_SetVariableAction" name="Set secret" runIn="WinPEandFullOS" successCodeList="0"><action>tsenv.exe</action><defaultVarList>
    <variable name="DoNotShowVariableValue" property="DoNotShowVariableValue" hidden="true">true</variable>
    <variable name="VariableName" property="VariableName" hidden="true">MySecret</variable><variable name="VariableValue" property="VariableValue" hidden="true">Tr0ub4dor-and-3</variable></defaultVarList></step>
  <step type="SMS_TaskSequence_SetVariableAction" name="Echo secret" runIn="WinPEandFullOS" successCodeList="0"><action>tsenv.exe</action><defaultVarList>
    <variable name="VariableName" property="VariableName" hidden="true">Copy</variable><variable name="VariableValue" property="VariableValue" hidden="true">copy of %MySecret%</variable></defaultVarList></step>
</group></sequence>`;

describe("engine + built-in handlers + simulated device", () => {
  it("runs the documented example; secret values appear in no log line, event or result", async () => {
    const log = createMemoryLogSink();
    const events: EngineEvent[] = [];
    const { sequence } = parseSequenceXml(xml);
    const engine = createEngine({ handlers: createBuiltinHandlers(), device: createSimulatedDevice(), log, onEvent: (e) => events.push(e) });
    const result = await engine.run(sequence, { variables: { runtime: { OSDComputerName: "PC01" } } });
    expect(result.status).toBe("success");
    expect(result.variables["Greeting"]).toBe("Hello PC01");
    expect(result.variables["MySecret"]).toBe("********");
    const everything = [log.text(), JSON.stringify(events), JSON.stringify(toRunResultJson(result))].join("\n");
    expect(everything).not.toContain("Tr0ub4dor-and-3");
    expect(result.variables["_SMSTSInWinPE"]).toBe("true");
  });
});
