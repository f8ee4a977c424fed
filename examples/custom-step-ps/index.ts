// A custom step in the PowerShell-style language: the built-in Run Script step type
// (`Taskseq_RunScriptAction`) with Language = PowerShell, read from a ConfigMgr-style XML file.
import { createEngine, parseSequenceXml } from "taskseq";

const xml = `<?xml version="1.0"?>
<sequence version="3.10">
  <step type="SMS_TaskSequence_SetVariableAction" name="Set the minimum">
    <defaultVarList>
      <variable name="VariableName" property="VariableName">MinimumMemoryGB</variable>
      <variable name="VariableValue" property="VariableValue">8</variable>
    </defaultVarList>
  </step>
  <step type="Taskseq_RunScriptAction" name="Check the hardware (PowerShell)">
    <defaultVarList>
      <variable name="Language" property="Language">PowerShell</variable>
      <variable name="Parameters" property="Parameters">-Role Kiosk</variable>
      <variable name="Script" property="Script"><![CDATA[
param([string]$Role = "Standard")
$tsenv = New-Object -ComObject Microsoft.SMS.TSEnvironment
$cs = Get-CimInstance -ClassName Win32_ComputerSystem
$memoryGB = [math]::Round($cs.TotalPhysicalMemory / 1GB)
$tsenv.Value("MemoryGB") = "$memoryGB"
$tsenv.Value("MemoryOK") = "$($memoryGB -ge [int]$tsenv.Value('MinimumMemoryGB'))"
$tsenv.Value("DeviceRole") = $Role.ToUpper()
Write-Output "role $Role on $($cs.Model)"
exit 0
]]></variable>
    </defaultVarList>
  </step>
</sequence>`;

const { sequence, diagnostics } = parseSequenceXml(xml);
if (diagnostics.some((d) => d.severity === "error")) throw new Error("the XML did not import");
const result = await createEngine().run(sequence);
console.log(`status: ${result.status}`);
for (const name of ["MemoryGB", "MemoryOK", "DeviceRole"]) console.log(`${name}: ${result.variables[name]}`);
process.exitCode = result.exitCode;
