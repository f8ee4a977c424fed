import { describe, expect, it } from "vitest";
import { isSecretSetting, isSecretStepSetting } from "@taskseq/model";

const UPGRADE = { type: "SMS_TaskSequence_UpgradeOperatingSystemAction", variables: [] };

describe("isSecretSetting: cached decisions stay right", () => {
  it("answers the same for a setting asked again, in any case of the step type", () => {
    // "OsProductKey" is secret only because the catalogue says so for this step type.
    const key = { name: "AnyName", property: "OsProductKey", value: "1234" };
    for (let i = 0; i < 3; i++) {
      expect(isSecretSetting(UPGRADE, key)).toBe(true);
      expect(isSecretSetting({ ...UPGRADE, type: "sms_tasksequence_upgradeoperatingsystemaction" }, key)).toBe(true);
      expect(isSecretSetting(UPGRADE, { name: "AnyName", property: "osproductkey", value: "" })).toBe(true);
      expect(isSecretSetting({ type: "SMS_TaskSequence_ConvertDiskAction", variables: [] }, key)).toBe(false);
      expect(isSecretSetting(UPGRADE, { name: "AnyName", property: "Edition", value: "" })).toBe(false);
      expect(isSecretSetting(UPGRADE, { name: "OSDJoinPassword", property: "Other", value: "" })).toBe(true);
    }
  });

  it("still decides by catalogue and name once its caches are full", () => {
    for (let i = 0; i < 10_000; i++) expect(isSecretSetting(UPGRADE, { name: `Name${i}`, property: `Property${i}`, value: "" })).toBe(false);
    expect(isSecretSetting(UPGRADE, { name: "NewName", property: "OsProductKey", value: "" })).toBe(true);
    expect(isSecretSetting({ type: "Custom", variables: [] }, { name: "FreshPassword", property: "Fresh", value: "" })).toBe(true);
    expect(isSecretSetting({ type: "Custom", variables: [] }, { name: "Fresh", property: "FreshPassword", value: "" })).toBe(true);
    expect(isSecretSetting({ type: "Custom", variables: [] }, { name: "Fresh", property: "Fresh", value: "" })).toBe(false);
  });
});

describe("isSecretStepSetting", () => {
  const SET = "SMS_TaskSequence_SetVariableAction";
  const value = { name: "VariableValue", property: "VariableValue", value: "x" };
  const target = (name: string) => ({ name: "VariableName", property: "VariableName", value: name });

  it("adds the value of a Set Task Sequence Variable step whose target is secret by name", () => {
    expect(isSecretStepSetting({ type: SET, variables: [target("OSDJoinPassword"), value] }, value)).toBe(true);
    expect(isSecretSetting({ type: SET, variables: [target("OSDJoinPassword"), value] }, value)).toBe(false);
    expect(isSecretStepSetting({ type: SET, variables: [target("OSDComputerName"), value] }, value)).toBe(false);
    expect(isSecretStepSetting({ type: "SMS_TaskSequence_RunCommandLineAction", variables: [target("OSDJoinPassword"), value] }, value)).toBe(false);
  });

  it("includes every setting isSecretSetting reports", () => {
    const hidden = { name: "DoNotShowVariableValue", property: "DoNotShowVariableValue", value: "true" };
    expect(isSecretStepSetting({ type: SET, variables: [target("Plain"), value, hidden] }, value)).toBe(true);
    expect(isSecretStepSetting(UPGRADE, { name: "AnyName", property: "OsProductKey", value: "1" })).toBe(true);
  });
});
