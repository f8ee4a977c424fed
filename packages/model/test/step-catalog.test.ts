import { describe, expect, it } from "vitest";
import { createGroup, createStep, decodeSetting, findSetting, getSettings, getStepTypeInfo, isKnownStep, isKnownStepType, isStepOfType, listStepTypes } from "../src/index.js";
import type { Step } from "../src/index.js";
import { cmReboot, corpusText } from "./fixtures.js";

describe("step catalogue", () => {
  it("knows every step type used in the corpus", () => {
    const text = ["004_cm-export-sequence-RSC002A6.xml", "019_mdt-template-Client.xml", "010_cm-garytown-OSDCloudTS.xml"].map(corpusText).join("");
    const types = new Set([...text.matchAll(/<(?:step|subtasksequence) type="([^"]+)"/g)].map((m) => m[1] ?? ""));
    expect(types.size).toBeGreaterThan(20);
    for (const t of types) expect(isKnownStepType(t), t).toBe(true);
  });

  it("maps the 3.10 property → variable pairs of the corpus export", () => {
    const text = corpusText("004_cm-export-sequence-RSC002A6.xml");
    for (const m of text.matchAll(/<step type="(SMS_TaskSequence_[A-Za-z]+)"[^>]*>(.*?)<\/step>/g)) {
      const info = getStepTypeInfo(m[1] ?? "");
      for (const v of (m[2] ?? "").matchAll(/<variable name="([^"]+)" property="([^"]+)"/g)) {
        const setting = info === undefined ? undefined : findSetting(info, v[2] ?? "");
        if (setting !== undefined) expect(setting.variable, `${m[1]}.${v[2]}`).toBe(v[1]);
      }
    }
  });

  it("holds consistent data for every type: unique properties and variables, decodable defaults", () => {
    for (const info of listStepTypes()) {
      const settings = [...info.settings, ...(info.lists ?? []).flatMap((l) => l.fields)];
      expect(new Set(info.settings.map((s) => s.property.toLowerCase())).size, info.type).toBe(info.settings.length);
      expect(new Set(info.settings.map((s) => s.variable.toLowerCase())).size, info.type).toBe(info.settings.length);
      for (const s of settings) {
        if (s.default !== undefined) expect(decodeSetting(s, s.default).ok, `${info.type}.${s.property}`).toBe(true);
        if (s.kind === "enum") expect(s.values?.length, `${info.type}.${s.property}`).toBeGreaterThan(0);
      }
    }
  });

  it("creates and decodes a step of every type", () => {
    const sample = (kind: string, values?: readonly string[]): string | number | boolean => (kind === "boolean" ? true : kind === "integer" ? 1 : kind === "enum" ? (values?.[0] ?? "") : "x");
    for (const info of listStepTypes()) {
      const given: Record<string, string | number | boolean> = {};
      for (const s of info.settings) if (s.required === true) given[s.property] = sample(s.kind, s.values);
      const step = createStep(info.type as never, given as never);
      expect(step).toMatchObject({ type: info.type, element: info.element, runIn: info.runIn, retryCount: info.retryCount, successCodes: info.successCodes });
      const decoded = getSettings(step as Step);
      for (const [k, v] of Object.entries(given)) expect(decoded[k], `${info.type}.${k}`).toBe(v);
    }
  });

  it("looks types up case-insensitively and lists them with facts", () => {
    expect(getStepTypeInfo("sms_tasksequence_rebootaction")?.consoleName).toBe("Restart Computer");
    expect(getStepTypeInfo("SMS_TaskSequence_SubTasksequence")?.element).toBe("subtasksequence");
    expect(getStepTypeInfo("SMS_TaskSequence_InstallApplicationAction")?.retryCount).toBe(2);
    expect(getStepTypeInfo("SMS_TaskSequence_PartitionDiskAction")?.runIn).toBe("WinPE");
    expect(getStepTypeInfo("")?.origin).toBe("mdt");
    expect(getStepTypeInfo("Contoso_Custom")).toBeUndefined();
    expect(listStepTypes().length).toBeGreaterThan(50);
  });

  it("decodes values case-insensitively with aliases", () => {
    const units = findSetting(getStepTypeInfo("SMS_TaskSequence_PartitionDiskAction")!, "DiskIndex")!;
    expect(decodeSetting(units, "007")).toEqual({ ok: true, value: 7 });
    expect(decodeSetting(units, "x").ok).toBe(false);
    const flag = { property: "F", variable: "F", kind: "boolean" } as const;
    expect(decodeSetting(flag, "True")).toEqual({ ok: true, value: true });
    expect(decodeSetting(flag, "yes").ok).toBe(false);
    expect(decodeSetting(flag, "")).toEqual({ ok: true, value: undefined });
  });
});

describe("typed settings", () => {
  it("decodes a corpus Restart Computer step", () => {
    if (!isKnownStep(cmReboot) || cmReboot.type !== "SMS_TaskSequence_RebootAction") throw new Error("expected a reboot");
    expect(getSettings(cmReboot)).toEqual({ Target: "WinPE", Message: expect.stringContaining("restart") as unknown, MessageTimeout: 0 });
  });

  it("reads MDT partitions with % units and applies resolve", () => {
    const step: Step = { ...createStep("SMS_TaskSequence_PartitionDiskAction", {}, { version: "3.00" }), variables: [
      { name: "OSDDiskIndex", property: "DiskIndex", value: "%Idx%" },
      { name: "OSDPartitions0Type", property: "Partitions0Type", value: "PRIMARY" },
      { name: "OSDPartitions0Size", property: "Partitions0Size", value: "100" },
      { name: "OSDPartitions0SizeUnits", property: "Partitions0SizeUnits", value: "%" },
      { name: "OSDPartitions0Bootable", property: "Partitions0Bootable", value: "True" },
    ] };
    if (!isStepOfType(step, "SMS_TaskSequence_PartitionDiskAction")) throw new Error("expected a disk step");
    const s = getSettings(step, { resolve: (raw) => raw.replace("%Idx%", "1") });
    expect(s.DiskIndex).toBe(1);
    expect(s.PartitionList).toEqual([{ Type: "Primary", Size: 100, SizeUnits: "Percent", Bootable: true, AssignVolumeLetter: true }]);
    expect(() => getSettings(step)).toThrow(expect.objectContaining({ code: "InvalidSetting" }) as unknown as Error);
    const untyped: Step = step;
    expect(() => getSettings({ ...untyped, type: "Contoso_X" })).toThrow(expect.objectContaining({ code: "InvalidArgument" }) as unknown as Error);
  });

  it("reads MDT entries whose property is the action variable", () => {
    const mdtRun: Step = {
      ...createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "x" }, { version: "3.00" }),
      variables: [
        { name: "RunAsUser", property: "RunAsUser", value: "true" },
        { name: "SMSTSRunCommandLineUserName", property: "SMSTSRunCommandLineUserName", value: "dom\\svc" },
        { name: "LoadProfile", property: "LoadProfile", value: "false" },
      ],
    };
    expect(getSettings(mdtRun)).toMatchObject({ RunAsUser: true, UserName: "dom\\svc", LoadProfile: false });
    expect(findSetting(getStepTypeInfo("SMS_TaskSequence_RunCommandLineAction")!, "SMSTSRunCommandLineUserPassword")?.kind).toBe("secret");
    expect(findSetting(getStepTypeInfo("SMS_TaskSequence_RebootAction")!, "Message")?.variable).toBe("SMSRebootMessage");
    expect(findSetting(getStepTypeInfo("SMS_TaskSequence_RebootAction")!, "Nope")).toBeUndefined();
  });

  it("narrows steps by exact class name", () => {
    expect(isStepOfType(cmReboot, "SMS_TaskSequence_RebootAction")).toBe(true);
    expect(isStepOfType({ ...cmReboot, type: "sms_tasksequence_rebootaction" }, "SMS_TaskSequence_RebootAction")).toBe(false);
    expect(isStepOfType(createGroup("G"), "SMS_TaskSequence_RebootAction")).toBe(false);
    expect(isKnownStep({ ...cmReboot, type: "Contoso_X" })).toBe(false);
    expect(getSettings(cmReboot as Step).MessageTimeout).toBe(0);
  });

  it("creates frozen steps following the catalogue for 3.10 and 3.00", () => {
    const cm = createStep("SMS_TaskSequence_RebootAction", { Target: "hd" as "HD", Message: "bye" });
    expect(Object.isFrozen(cm) && Object.isFrozen(cm.variables[0])).toBe(true);
    expect(cm.variables).toEqual([
      { name: "SMSRebootMessage", property: "Message", value: "bye" },
      { name: "SMSRebootTimeout", property: "MessageTimeout", value: "60" },
      { name: "SMSRebootTarget", property: "Target", value: "HD", hidden: true },
    ]);
    const mdt = createStep("SMS_TaskSequence_RebootAction", { Target: "WinPE" }, { version: "3.00" });
    expect(mdt.variables.map((v) => v.name)).toEqual(["Target", "MessageTimeout"]);
    const run = createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "x" }, { successCodes: [0] });
    expect(run.variables.find((v) => v.property === "SuccessCodes")?.value).toBe("0");
    const disk = createStep("SMS_TaskSequence_PartitionDiskAction", { PartitionList: [{ Type: "Primary", Bootable: true, QuickFormat: true, SizeUnits: "Percent", Size: 100 }] });
    expect(disk.variables.find((v) => v.property === "Partitions0SizeUnits")?.name).toBe("OSDPartitions0SizeUnits");
  });

  it("rejects unknown types, unknown or missing settings and wrong kinds", () => {
    expect(() => createStep("SMS_TaskSequence_SetVariableAction", { VariableValue: "x" })).toThrow(/required/);
    expect(() => createStep("SMS_TaskSequence_RebootAction", { Nope: 1 } as never)).toThrow(/no setting/);
    expect(() => createStep("SMS_TaskSequence_RebootAction", { MessageTimeout: "soon" } as never)).toThrow(/integer/);
    expect(() => createStep("Contoso_X" as never, {} as never)).toThrow(/Unknown step type/);
  });
});
