// Node ESM: build a task sequence with the cmdlets, run it on the default simulated device.
import { addCMTaskSequenceStep, createEngine, newCMTaskSequence, newCMTSStep } from "taskseq";

let ts = newCMTaskSequence({ CustomTaskSequence: true, Name: "ESM example" });
ts = addCMTaskSequenceStep({
  InputObject: ts,
  Step: [
    newCMTSStep("New-CMTSStepSetVariable", { Name: "Set stage", TaskSequenceVariable: "Stage", TaskSequenceVariableValue: "esm" }),
    newCMTSStep("New-CMTSStepRunCommandLine", { Name: "Echo", CommandLine: "cmd /c echo %Stage%" }),
  ],
});
const result = await createEngine().run(ts);
console.log(`${result.status} ${result.variables.Stage}`);
process.exitCode = result.exitCode;
