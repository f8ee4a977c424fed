// A custom step in JavaScript: the built-in Run Script step type (`Taskseq_RunScriptAction`)
// runs the script in the QuickJS sandbox with TSEnvironment, TsProgressUI and __host.
import type { Step } from "@taskseq/model";
import { RUN_SCRIPT_STEP_TYPE } from "@taskseq/steps";
import { createEngine, createSequence, createStep } from "taskseq";

const script = `
const tsenv = TSEnvironment;
const cs = __host.wmiQuery("root\\\\cimv2", "SELECT Manufacturer, Model FROM Win32_ComputerSystem")[0];
const name = (__host.parameters.Prefix + "-" + cs.Model.replace(/[^A-Za-z0-9]/g, "")).slice(0, 15).toUpperCase();
tsenv.Value("OSDComputerName", name);
tsenv.Value("DeviceMake", cs.Manufacturer);
tsenv.Value("Greeting", "Hello from " + tsenv.Value("Site"));
console.log("named " + name);
__host.exit(0);
`;

/** A Run Script step: settings by property, as ConfigMgr stores them in `defaultVarList`. */
const scriptStep: Step = {
  kind: "step",
  element: "step",
  type: RUN_SCRIPT_STEP_TYPE,
  name: "Name the computer (JavaScript)",
  description: "",
  disabled: false,
  continueOnError: false,
  successCodes: [0, 3010],
  runIn: "WinPEandFullOS",
  retryCount: 0,
  runFromNet: false,
  variables: [
    { name: "Language", property: "Language", value: "JavaScript" },
    { name: "Script", property: "Script", value: script },
    { name: "Parameters", property: "Parameters", value: JSON.stringify({ Prefix: "LAB" }) },
    { name: "OutputVariableName", property: "OutputVariableName", value: "ScriptOutput" },
  ],
};

const sequence = createSequence([
  createStep("SMS_TaskSequence_SetVariableAction", { VariableName: "Site", VariableValue: "Contoso" }),
  scriptStep,
]);
const result = await createEngine().run(sequence);
console.log(`status: ${result.status}`);
for (const name of ["OSDComputerName", "DeviceMake", "Greeting", "ScriptOutput"]) console.log(`${name}: ${result.variables[name]?.trim()}`);
process.exitCode = result.exitCode;
