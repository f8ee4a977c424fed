# Builds a small custom task sequence with the ConfigMgr cmdlets and exports it.
# Run: taskseq shell examples/shell/build-sequence.ps1   (writes build-sequence.xml in your working directory)
#  or: taskseq shell examples/shell/build-sequence.ps1 -Name "My build" -ExportFilePath my-build.xml
[CmdletBinding()]
param(
  [string]$Name = "Shell example",
  [string]$ExportFilePath = "build-sequence.xml"
)
$ts = New-CMTaskSequence -CustomTaskSequence -Name $Name -Description "Built by taskseq shell"

$inFullOs = New-CMTSStepConditionVariable -ConditionVariableName "_SMSTSInWinPE" -OperatorType Equals -ConditionVariableValue "false"
$setName = New-CMTSStepSetVariable -Name "Set computer name" -TaskSequenceVariable "OSDComputerName" -TaskSequenceVariableValue "PC-001"
$run = New-CMTSStepRunCommandLine -Name "Say hello" -CommandLine "cmd /c echo hello" -Condition $inFullOs -SuccessCode 0, 3010
$group = New-CMTaskSequenceGroup -Name "Configure" -Step $setName, $run

$ts | Add-CMTaskSequenceStep -Step $group   # the task sequence comes from the pipeline, as -InputObject
Add-CMTaskSequenceStep -InputObject $ts -Step (New-CMTSStepReboot -Name "Restart" -Target HD) -InsertStepStartIndex 0

$steps = $ts | Get-CMTaskSequenceStep -StepName "S*"
Write-Output ("steps matching S*: " + (($steps | ForEach-Object { $_.Name }) -join ", "))

Set-CMTaskSequenceGroup -InputObject $ts -StepName "Configure" -Description "Name the computer"
Export-CMTaskSequence -InputObject $ts -ExportFilePath $ExportFilePath
Write-Output "exported $ExportFilePath"
