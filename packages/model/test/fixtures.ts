/** Hand-built models of real corpus content (004_cm-export-sequence-RSC002A6.xml, MDT templates). */
import { readFileSync } from "node:fs";
import { createCondition, createGroup, createSequence, createStep, variableCondition } from "../src/index.js";
import type { Step, TaskSequence } from "../src/index.js";

/** The corpus file text, to check the hand-built models against real data. */
export function corpusText(name: string): string {
  return readFileSync(new URL(`../../../../shared/corpus/${name}`, import.meta.url), "utf8");
}

/** Restart Computer exactly as 004 exports it (hidden Target, MessageTimeout 0). */
export const cmReboot: Step = {
  kind: "step",
  element: "step",
  type: "SMS_TaskSequence_RebootAction",
  name: "Restart Computer",
  description: "",
  disabled: false,
  continueOnError: false,
  successCodes: [0],
  runIn: "WinPEandFullOS",
  retryCount: 0,
  runFromNet: false,
  action: "smsboot.exe /target:WinPE",
  variables: [
    { name: "SMSRebootMessage", property: "Message", value: "A new Microsoft Windows operating system is being installed. The computer must restart to continue." },
    { name: "SMSRebootTimeout", property: "MessageTimeout", value: "0" },
    { name: "SMSRebootTarget", property: "Target", value: "WinPE", hidden: true },
  ],
  trivia: { attributes: [["type", "SMS_TaskSequence_RebootAction"], ["name", "Restart Computer"], ["description", ""], ["runIn", "WinPEandFullOS"]], order: ["action", "defaultVarList"], unknown: [] },
};

/** A corpus-like sequence: General group with steps, a child TS step, MDT gather. */
export function sampleSequence(): TaskSequence {
  return createSequence(
    [
      createGroup("General", [
        createStep("SMS_TaskSequence_SetVariableAction", { VariableName: "s", VariableValue: "s" }, { name: "Set Task Sequence Variable" }),
        cmReboot,
        createStep("SMS_TaskSequence_SubTasksequence", { TsPackageID: "RSC00237", TsName: "RSC00237, Install Default Applications" }),
      ], { condition: createCondition(variableCondition("_SMSTSInWinPE", "equals", "false")) }),
      createGroup("MDT", [createStep("BDD_Gather", { GatherLocalOnly: false, RulesFile: "adfadsf", PackageID: "RSC0017C" }, { name: "Gather" })]),
      createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "cmd /c exit 0", PackageID: "RSC001A4" }, { name: "Run Command Line" }),
    ],
    { version: "3.10" },
  );
}
