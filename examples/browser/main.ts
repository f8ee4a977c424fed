// Runs a task sequence in the browser with the portable packages only: XML import, the engine,
// the simulated device, the built-in handlers and the QuickJS script sandbox.
import { createEngine, parseSequenceXml } from "taskseq";

const xml = `<?xml version="1.0"?>
<sequence version="3.10">
  <step type="SMS_TaskSequence_SetVariableAction" name="Set the site">
    <defaultVarList>
      <variable name="VariableName" property="VariableName">Site</variable>
      <variable name="VariableValue" property="VariableValue">Contoso</variable>
    </defaultVarList>
  </step>
  <step type="SMS_TaskSequence_RunCommandLineAction" name="Echo the site">
    <defaultVarList>
      <variable name="CommandLine" property="CommandLine">cmd /c echo %Site%</variable>
    </defaultVarList>
  </step>
  <step type="Taskseq_RunScriptAction" name="Script in the sandbox">
    <defaultVarList>
      <variable name="Language" property="Language">JavaScript</variable>
      <variable name="Script" property="Script">TSEnvironment.Value("Greeting", "Hello " + TSEnvironment.Value("Site") + " from " + __host.wmiQuery("root\\\\cimv2", "SELECT Model FROM Win32_ComputerSystem")[0].Model);</variable>
    </defaultVarList>
  </step>
</sequence>`;

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`#${id} is missing from the page`);
  return found;
}

async function main(): Promise<void> {
  const { sequence } = parseSequenceXml(xml);
  const result = await createEngine().run(sequence);
  const rows = element("steps");
  for (const step of result.steps) {
    const row = document.createElement("tr");
    for (const cell of [step.name, step.outcome, String(step.exitCode)]) row.appendChild(document.createElement("td")).textContent = cell;
    rows.appendChild(row);
  }
  element("variables").textContent = `Site=${result.variables.Site}\nGreeting=${result.variables.Greeting}`;
  element("status").textContent = result.status;
}

main().catch((error: unknown) => {
  element("status").textContent = `error: ${error instanceof Error ? error.message : String(error)}`;
});
