// Node CommonJS: import an MDT sequence from XML and run it on the default simulated device.
const { createEngine, parseSequenceXml } = require("taskseq");

const xml = `<?xml version="1.0"?>
<sequence version="3.00" name="CJS example">
  <step type="SMS_TaskSequence_SetVariableAction" name="Set stage" successCodeList="0 3010">
    <defaultVarList>
      <variable name="VariableName" property="VariableName">Stage</variable>
      <variable name="VariableValue" property="VariableValue">cjs</variable>
    </defaultVarList>
    <action>cscript.exe "%SCRIPTROOT%\\ZTISetVariable.wsf"</action>
  </step>
</sequence>`;

async function main() {
  const { sequence } = parseSequenceXml(xml);
  const result = await createEngine().run(sequence);
  console.log(`${result.status} ${result.variables.Stage}`);
  process.exitCode = result.exitCode;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
