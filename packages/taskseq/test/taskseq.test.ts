import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as taskseq from "taskseq";
import { createStepHandlerRegistry } from "@taskseq/engine";
import { addCMTaskSequenceStep, createEngine, createSequence, createSimulatedDevice, createStep, newCMTaskSequence, newCMTSStep, parseSequenceXml } from "taskseq";

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
});
