import type { Device } from "@taskseq/device";
import { describe, expect, it } from "vitest";
import { createEngine, createMemoryLogSink, createStepHandlerRegistry, type EngineEvent, type StepHandlerContext } from "@taskseq/engine";
import { TaskSeqError } from "@taskseq/model";
import { expr, group, scripted, sequence, step, TEST_TYPE, varCondition } from "./fixtures.js";
import { createFakeDevice } from "./fake-device.js";

describe("last-action variables (execution.md §6 example)", () => {
  it("are set by steps that ran and kept across disabled and condition-false steps", async () => {
    const seen: Record<string, string> = {};
    const { handlers } = scripted({ A: 0, B: 5, E: 3010 });
    handlers.register("Probe", (ctx) => {
      seen[ctx.step.name] = ["_SMSTSLastActionName", "_SMSTSLastActionRetCode", "_SMSTSLastActionSucceeded"].map((n) => ctx.env.get(n) ?? "").join("|");
      return Promise.resolve({ exitCode: 0, succeeded: true });
    });
    const probe = (name: string) => step(name, { type: "Probe" });
    const result = await createEngine({ handlers }).run(
      sequence([
        step("A"),
        probe("after A"),
        step("B", { continueOnError: true }),
        step("C", { disabled: true }),
        step("D", { condition: varCondition("Nope", "exists") }),
        group("G", [step("E")]),
      ]),
      { stopAtRestart: true },
    );
    expect(seen["after A"]).toBe("A|0|true");
    expect(result.variables["_SMSTSLastActionName"]).toBe("E");
    expect(result.variables["_SMSTSLastActionRetCode"]).toBe("3010");
    expect(result.variables["_SMSTSLastActionSucceeded"]).toBe("true");
    expect(result.steps.map((s) => s.outcome)).toEqual(["success", "success", "failed-continued", "skipped-disabled", "skipped-condition", "success"]);
    expect(result.status).toBe("restart-pending");
  });

  it("values before C and D still describe B", async () => {
    const seen: string[] = [];
    const handlers = createStepHandlerRegistry({
      [TEST_TYPE]: (ctx) => Promise.resolve({ exitCode: ctx.step.name === "B" ? 5 : 0 }),
      Probe: (ctx) => {
        seen.push(`${ctx.env.get("_SMSTSLastActionName")}:${ctx.env.get("_SMSTSLastActionRetCode")}:${ctx.env.get("_SMSTSLastActionSucceeded")}`);
        return Promise.resolve({ exitCode: 0 });
      },
    });
    await createEngine({ handlers }).run(
      sequence([step("A"), step("B", { continueOnError: true }), step("C", { disabled: true }), step("D", { condition: varCondition("X", "exists") }), step("P", { type: "Probe" })]),
    );
    expect(seen).toEqual(["B:5:false"]);
  });

  it("write return codes as signed 32-bit decimals", async () => {
    const { handlers } = scripted({ A: 0x80070002 });
    const r = await createEngine({ handlers }).run(sequence([step("A", { continueOnError: true })]));
    expect(r.variables["_SMSTSLastActionRetCode"]).toBe("-2147024894");
    expect(r.steps[0]?.exitCode).toBe(-2147024894);
  });
});

describe("success codes (execution.md §4)", () => {
  it("uses the step's list, 32-bit equality, and 3010 only when listed", async () => {
    const { handlers } = scripted({ A: 3247440400, B: 3010, C: 1 });
    const r = await createEngine({ handlers }).run(
      sequence([step("A", { successCodes: [-1047526896] }), step("B", { successCodes: [0], continueOnError: true }), step("C", { successCodes: [0, 1, 2] })]),
    );
    expect(r.steps.map((s) => s.outcome)).toEqual(["success", "failed-continued", "success"]);
    expect(r.restarts).toBe(0);
  });
});

describe("built-in variables and precedence", () => {
  it("sets the start built-ins, the instruction pointer, the current action and the table size", async () => {
    const seen: string[] = [];
    const handlers = createStepHandlerRegistry({
      [TEST_TYPE]: (ctx) => {
        seen.push(`${ctx.env.get("_SMSTSCurrentActionName")}@${ctx.env.get("_SMSTSNextInstructionPointer")}/${ctx.env.get("_SMSTSInstructionTableSize")}`);
        return Promise.resolve({ exitCode: 0 });
      },
    });
    const r = await createEngine({ handlers, device: createFakeDevice({ environment: "WinPE" }) }).run(sequence([step("One"), group("G", [step("Two")])]), {
      packageId: "ABC00001",
      deploymentId: "ABC20001",
      launchMode: "PXE",
      mediaType: "PXE",
    });
    expect(seen).toEqual(["One@0/4", "Two@2/4"]);
    expect(r.variables).toMatchObject({
      _SMSTSPackageID: "ABC00001",
      _SMSTSAdvertID: "ABC20001",
      _SMSTSLaunchMode: "PXE",
      _SMSTSMediaType: "PXE",
      _SMSTSInWinPE: "true",
      _SMSTSMachineName: "PC01",
      _SMSTSInstructionTableSize: "4",
    });
  });

  it("sets _SMSTSMDataPath from SMSTSLocalDataDrive or the first lettered NTFS volume, and _OSDDetectedWin* in Windows PE (builtin-variables.md §1)", async () => {
    const volume = (driveLetter: string | undefined, fileSystem: "NTFS" | "FAT32", osInstalled: boolean) =>
      ({ ...(driveLetter === undefined ? {} : { driveLetter }), diskIndex: 0, partitionNumber: 1, fileSystem, label: "", sizeBytes: 1e9, freeBytes: 1e9, bitLocker: "off", osInstalled }) as const;
    const device = (environment: "WinPE" | "FullOS") => ({
      ...createFakeDevice({ environment }),
      disks: { listVolumes: () => Promise.resolve([volume(undefined, "NTFS", false), volume("S:", "FAT32", false), volume("D:", "NTFS", true)]) } as unknown as NonNullable<Device["disks"]>,
    });
    const pe = await createEngine({ device: device("WinPE") }).run(sequence([]));
    expect(pe.variables).toMatchObject({ _SMSTSMDataPath: "D:\\_SMSTaskSequence", _OSDDetectedWinDrive: "D:", _OSDDetectedWinDir: "D:\\Windows" });
    const local = await createEngine({ device: device("FullOS") }).run(sequence([]), { variables: { device: [{ name: "SMSTSLocalDataDrive", value: "e" }] } });
    expect(local.variables["_SMSTSMDataPath"]).toBe("E:\\_SMSTaskSequence");
    expect(local.variables["_OSDDetectedWinDrive"]).toBeUndefined();
    const bare = await createEngine({ device: createFakeDevice({ environment: "WinPE" }) }).run(sequence([]));
    expect(bare.variables["_SMSTSMDataPath"]).toBe("X:\\_SMSTaskSequence");
  });

  it("sets _SMSTSLogPath to the log folder of the phase, re-evaluated after a restart, unless the host gives logPath (logging.md §7)", async () => {
    const ntfs = { driveLetter: "C:", diskIndex: 0, partitionNumber: 1, fileSystem: "NTFS", label: "", sizeBytes: 1e9, freeBytes: 1e9, bitLocker: "off", osInstalled: false } as const;
    const withDisks = (init: Parameters<typeof createFakeDevice>[0], volumes: readonly (typeof ntfs)[]) => ({
      ...createFakeDevice(init),
      disks: { listVolumes: () => Promise.resolve(volumes) } as unknown as NonNullable<Device["disks"]>,
    });
    const logPath = async (device: Device, logPathOption?: string) => (await createEngine({ device }).run(sequence([]), logPathOption === undefined ? {} : { logPath: logPathOption })).variables["_SMSTSLogPath"];
    expect(await logPath(withDisks({ environment: "WinPE" }, []))).toBe("X:\\Windows\\Temp\\SMSTSLog");
    expect(await logPath(withDisks({ environment: "WinPE" }, [ntfs]))).toBe("C:\\_SMSTaskSequence\\Logs\\SMSTSLog");
    expect(await logPath(withDisks({ environment: "FullOS" }, [ntfs]))).toBe("C:\\_SMSTaskSequence\\Logs\\SMSTSLog");
    expect(await logPath(withDisks({ environment: "WinPE" }, []), "/host/logs")).toBe("/host/logs");
    expect(await logPath({})).toBeUndefined();

    // Windows PE on an unformatted disk; a step formats C: and restarts: after the restart the folder is on C:.
    const seen: string[] = [];
    const volumes: (typeof ntfs)[] = [];
    const device = withDisks({ environment: "WinPE" }, volumes);
    const handlers = createStepHandlerRegistry({
      [TEST_TYPE]: (ctx) => {
        seen.push(ctx.env.get("_SMSTSLogPath") ?? "");
        if (ctx.step.name !== "Format and restart") return Promise.resolve({ exitCode: 0 });
        volumes.push(ntfs);
        return Promise.resolve({ exitCode: 0, restart: { target: "WinPE" as const, then: "next" as const } });
      },
    });
    await createEngine({ handlers, device }).run(sequence([step("Format and restart"), step("After")], { package: { packageId: "P1", bootImageId: "BOOT0001", properties: {} } }));
    expect(seen).toEqual(["X:\\Windows\\Temp\\SMSTSLog", "C:\\_SMSTaskSequence\\Logs\\SMSTSLog"]);
  });

  it("after Format and Partition Disk the data path and log folder move to the first NTFS volume that is not a system partition (steps.md §9)", async () => {
    const volume = (driveLetter: string, partitionType: "Recovery" | "Primary") =>
      ({ driveLetter, diskIndex: 0, partitionNumber: 1, fileSystem: "NTFS", label: "", sizeBytes: 1e9, freeBytes: 1e9, bitLocker: "off", osInstalled: false, partitionType }) as const;
    const volumes: ReturnType<typeof volume>[] = [];
    const device = { ...createFakeDevice({ environment: "WinPE" }), disks: { listVolumes: () => Promise.resolve(volumes) } as unknown as NonNullable<Device["disks"]> };
    const seen: string[] = [];
    const handlers = createStepHandlerRegistry({
      SMS_TaskSequence_PartitionDiskAction: () => {
        volumes.push(volume("C:", "Recovery"), volume("D:", "Primary"));
        return Promise.resolve({ exitCode: 0 });
      },
      [TEST_TYPE]: (ctx) => (seen.push(`${ctx.env.get("_SMSTSMDataPath")} ${ctx.env.get("_SMSTSLogPath")}`), Promise.resolve({ exitCode: 0 })),
    });
    await createEngine({ handlers, device }).run(sequence([step("Before"), step("Format", { type: "SMS_TaskSequence_PartitionDiskAction" }), step("After")]));
    expect(seen).toEqual(["X:\\_SMSTaskSequence X:\\Windows\\Temp\\SMSTSLog", "D:\\_SMSTaskSequence D:\\_SMSTaskSequence\\Logs\\SMSTSLog"]);
  });

  it("logs each move of the phase's log folder with the old and new location, and none when the host gives logPath (logging.md §6, §7)", async () => {
    const ntfs = { driveLetter: "C:", diskIndex: 0, partitionNumber: 1, fileSystem: "NTFS", label: "", sizeBytes: 1e9, freeBytes: 1e9, bitLocker: "off", osInstalled: false, partitionType: "Primary" } as const;
    const moves = async (options: { logPath?: string; stopAtRestart?: boolean }) => {
      const volumes: (typeof ntfs)[] = [];
      const fake = createFakeDevice({ environment: "WinPE" });
      // The new OS has the ConfigMgr client: its log folder is under CCM\Logs.
      const os = { ...fake.os, facts: async () => ({ ...(await fake.os?.facts()), ...(fake.state.environment === "FullOS" ? { clientVersion: "5.00.9128.1000" } : {}) }) } as NonNullable<Device["os"]>;
      const device: Device = { ...fake, os, disks: { listVolumes: () => Promise.resolve(volumes) } as unknown as NonNullable<Device["disks"]> };
      const handlers = createStepHandlerRegistry({
        SMS_TaskSequence_PartitionDiskAction: () => (volumes.push(ntfs), Promise.resolve({ exitCode: 0 })),
        [TEST_TYPE]: () => Promise.resolve({ exitCode: 0, restart: { target: "HD" as const, then: "next" as const } }),
      });
      const log = createMemoryLogSink();
      const engine = createEngine({ handlers, device, log });
      const seq = sequence([step("Format", { type: "SMS_TaskSequence_PartitionDiskAction" }), step("Restart")], { package: { packageId: "P1", bootImageId: "BOOT0001", properties: {} } });
      const first = await engine.run(seq, { ...(options.logPath === undefined ? {} : { logPath: options.logPath }), stopAtRestart: options.stopAtRestart === true });
      if (first.status === "restart-pending") {
        fake.state.environment = "FullOS";
        await engine.resume();
      }
      return log.entries().filter((e) => e.messageId === "log-moved").map((e) => e.message);
    };
    const expected = [
      "The log moved from X:\\Windows\\Temp\\SMSTSLog to C:\\_SMSTaskSequence\\Logs\\SMSTSLog",
      "The log moved from C:\\_SMSTaskSequence\\Logs\\SMSTSLog to C:\\Windows\\CCM\\Logs\\SMSTSLog",
    ];
    expect(await moves({})).toEqual(expected);
    expect(await moves({ stopAtRestart: true })).toEqual(expected);
    expect(await moves({ logPath: "/host/logs" })).toEqual([]);
  });

  it("a global overrides a catalogue setting the step's defaultVarList leaves out, unless the setting is fixed (variables.md §8)", async () => {
    const seen: Record<string, string>[] = [];
    const record = (ctx: StepHandlerContext) => (seen.push({ ...ctx.settings }), Promise.resolve({ exitCode: 0 }));
    const handlers = createStepHandlerRegistry({ SMS_TaskSequence_RunCommandLineAction: record, SMS_TaskSequence_SetVariableAction: record });
    await createEngine({ handlers }).run(
      sequence([
        step("Cmd", { type: "SMS_TaskSequence_RunCommandLineAction", variables: [{ name: "CommandLine", property: "CommandLine", value: "cmd /c dir" }] }),
        step("Set", { type: "SMS_TaskSequence_SetVariableAction", variables: [{ name: "VariableName", property: "VariableName", value: "X" }, { name: "VariableValue", property: "VariableValue", value: "1" }] }),
      ]),
      { variables: { runtime: { WorkingDirectory: "C:\\Work", SMSTSRunCommandLineOutputVariableName: "Out", DoNotShowVariableValue: "true", CommandLine: "format c:" } } },
    );
    expect(seen[0]).toEqual({ CommandLine: "cmd /c dir", WorkingDirectory: "C:\\Work", OutputVariableName: "Out" });
    expect(seen[1]).toEqual({ VariableName: "X", VariableValue: "1" });
  });

  it("maxEnvironmentSize limits the environment: a step's write beyond it fails the step with EnvironmentFull", async () => {
    const handlers = createStepHandlerRegistry({ [TEST_TYPE]: (ctx) => (ctx.env.set("Big", "x".repeat(3_000)), Promise.resolve({ exitCode: 0 })) });
    const small = await createEngine({ handlers, maxEnvironmentSize: 4_096 }).run(sequence([step("Fill", { continueOnError: true })]));
    expect(small.steps[0]).toMatchObject({ outcome: "failed-continued" });
    expect(small.steps[0]?.reason).toMatch(/environment size limit of 4096 bytes/);
    const roomy = await createEngine({ handlers }).run(sequence([step("Fill")]));
    expect(roomy.status).toBe("success");
  });

  it("action variables that cannot be applied fail their step before the handler runs, not the run: an invalid name (87), a full environment (EnvironmentFull)", async () => {
    const { handlers, ran } = scripted();
    const r = await createEngine({ handlers, maxEnvironmentSize: 20_000 }).run(
      sequence([
        step("Bad name", { continueOnError: true, variables: [{ name: "My Var", property: "P", value: "x" }] }),
        step("Too big", { continueOnError: true, variables: [{ name: "Big", property: "P", value: "x".repeat(10_000) }] }),
        step("After", { variables: [{ name: "Small", property: "P", value: "x" }] }),
      ]),
    );
    expect(ran).toEqual(["After"]);
    expect(r.status).toBe("success");
    expect(r.steps.map((s) => [s.outcome, s.exitCode])).toEqual([["failed-continued", 87], ["failed-continued", -2147467259], ["success", 0]]);
    expect(r.steps[1]?.reason).toBe("Applying the local defaults of the step (Too big) would exceed the environment size limit of 20000 bytes.");
    expect(r.variables["_SMSTSLastActionName"]).toBe("After");
  });

  it("sets the site built-ins from RunOptions.site, and none without it (builtin-variables.md §1)", async () => {
    const r = await createEngine().run(sequence([]), {
      site: { siteCode: "ABC", managementPoint: "https://mp01.corp.example", managementPointPort: 443, useSsl: true, useCrl: false, orgName: "Contoso IT", clientGuid: "GUID:1234", downloadOnDemand: false, runFromDistributionPoint: true },
    });
    expect(r.variables).toMatchObject({
      _SMSTSSiteCode: "ABC",
      _SMSTSMP: "https://mp01.corp.example",
      _SMSTSMPPort: "443",
      _SMSTSUseSSL: "true",
      _SMSTSUseCRL: "false",
      _SMSTSOrgName: "Contoso IT",
      _SMSTSClientGUID: "GUID:1234",
      _SMSTSDownloadOnDemand: "false",
      _SMSTSRunFromDP: "true",
    });
    const media = await createEngine().run(sequence([]), { launchMode: "UFD" });
    expect(Object.keys(media.variables).filter((n) => /^_SMSTS(SiteCode|MP|ClientGUID)$/.test(n))).toEqual([]);
  });

  it("layers: sequence defaults < collection < device < runtime; media replaces collection and device", async () => {
    const seq = sequence([], { globalVariables: [{ name: "A", property: "A", value: "seq" }, { name: "B", property: "B", value: "seq" }] });
    const r = await createEngine().run(seq, {
      variables: {
        collections: [{ id: "C1", priority: 1, variables: [{ name: "B", value: "col" }, { name: "C", value: "col" }] }],
        device: [{ name: "C", value: "dev" }, { name: "D", value: "dev" }],
        runtime: { D: "run" },
      },
    });
    expect([r.variables["A"], r.variables["B"], r.variables["C"], r.variables["D"]]).toEqual(["seq", "col", "dev", "run"]);
    const m = await createEngine().run(seq, { variables: { collections: [{ id: "C1", priority: 1, variables: [{ name: "B", value: "col" }] }], media: [{ name: "M", value: "media" }] } });
    expect([m.variables["B"], m.variables["M"]]).toEqual(["seq", "media"]);
  });

  it("action variables: local defaults while the step runs, a global overrides, fixed settings cannot be overridden", async () => {
    const seen: Record<string, string>[] = [];
    const after: (string | undefined)[] = [];
    const handlers = createStepHandlerRegistry({
      SMS_TaskSequence_RunCommandLineAction: (ctx) => {
        seen.push({ ...ctx.settings });
        return Promise.resolve({ exitCode: 0 });
      },
      [TEST_TYPE]: (ctx) => {
        after.push(ctx.env.get("WorkingDirectory"));
        return Promise.resolve({ exitCode: 0 });
      },
    });
    const cmd = step("Cmd", {
      type: "SMS_TaskSequence_RunCommandLineAction",
      variables: [
        { name: "CommandLine", property: "CommandLine", value: "cmd /c echo %Greeting%" },
        { name: "WorkingDirectory", property: "WorkingDirectory", value: "D:\\" },
      ],
    });
    await createEngine({ handlers }).run(sequence([cmd, step("Probe"), cmd]), { variables: { runtime: { Greeting: "hi" } } });
    expect(seen[0]).toEqual({ CommandLine: "cmd /c echo hi", WorkingDirectory: "D:\\" });
    expect(after).toEqual([undefined]);
    await createEngine({ handlers }).run(sequence([cmd]), { variables: { runtime: { WorkingDirectory: "C:\\", CommandLine: "evil.exe", Greeting: "x" } } });
    expect(seen[2]).toEqual({ CommandLine: "cmd /c echo x", WorkingDirectory: "C:\\" });
  });

  it("a secret setting's local default is secret by the catalogue, whatever its variable is named: redacted wherever the handler writes it", async () => {
    const log = createMemoryLogSink();
    const handlers = createStepHandlerRegistry({
      SMS_TaskSequence_RunCommandLineAction: (ctx) => {
        ctx.log.info(`running as ${ctx.settings["UserName"] ?? ""} with ${ctx.settings["UserPassword"] ?? ""}`);
        return Promise.resolve({ exitCode: 0 });
      },
    });
    const cmd = (name: string) =>
      step(name, {
        type: "SMS_TaskSequence_RunCommandLineAction",
        variables: [
          { name: "SMSTSRunCommandLineUserName", property: "UserName", value: "CONTOSO\\svc" },
          { name: "RunAsKey", property: "UserPassword", value: "Pa55-local-default" },
        ],
      });
    const r = await createEngine({ handlers, log }).run(sequence([cmd("First"), cmd("Second")]));
    expect(r.status).toBe("success");
    const lines = log.entries().filter((e) => e.message.startsWith("running as"));
    expect(lines.map((e) => e.message)).toEqual(["running as CONTOSO\\svc with ********", "running as CONTOSO\\svc with ********"]);
    expect(log.text()).not.toContain("Pa55-local-default");
  });

  it("a step's condition sees the global environment, not its own defaults", async () => {
    const { handlers, ran } = scripted();
    await createEngine({ handlers }).run(
      sequence([step("S", { condition: varCondition("MyDefault", "exists"), variables: [{ name: "MyDefault", property: "P", value: "1" }] })]),
    );
    expect(ran).toEqual([]);
  });
});

describe("environment check, unsupported steps and handler failures", () => {
  it("runIn against _SMSTSInWinPE fails with WrongEnvironment (50) and still sets last-action", async () => {
    const { handlers, ran } = scripted();
    const r = await createEngine({ handlers, device: createFakeDevice({ environment: "FullOS" }) }).run(sequence([step("PE only", { runIn: "WinPE", continueOnError: true })]));
    expect(ran).toEqual([]);
    expect(r.steps[0]).toMatchObject({ outcome: "failed-continued", exitCode: 50 });
    expect(r.variables["_SMSTSLastActionName"]).toBe("PE only");
  });

  it("a step type without a handler fails with UnsupportedStep (50)", async () => {
    const r = await createEngine().run(sequence([step("X", { type: "Nobody_Action" })]));
    expect(r.status).toBe("failed");
    expect(r.steps[0]).toMatchObject({ outcome: "failed", exitCode: 50 });
    expect(r.steps[0]?.reason).toMatch(/No handler/);
  });

  it("a handler that throws becomes a typed step failure, never a crash", async () => {
    const handlers = createStepHandlerRegistry({ [TEST_TYPE]: () => Promise.reject(new Error("boom")) });
    const r = await createEngine({ handlers }).run(sequence([step("Throws")]));
    expect(r.steps[0]).toMatchObject({ outcome: "failed", exitCode: -2147467259 });
    expect(r.steps[0]?.reason).toMatch(/boom/);
  });

  it("a handler whose exit code is not a finite number (NaN parsed from a tool's output) fails its step, never the run", async () => {
    const handlers = createStepHandlerRegistry({ [TEST_TYPE]: (ctx) => Promise.resolve({ exitCode: ctx.step.name === "Parse" ? Number.parseInt("n/a", 10) : 0 }) });
    const r = await createEngine({ handlers }).run(sequence([step("Parse", { continueOnError: true }), step("Next")]));
    expect(r.status).toBe("success");
    expect(r.steps.map((s) => [s.outcome, s.exitCode])).toEqual([["failed-continued", -2147467259], ["success", 0]]);
    expect(r.steps[0]?.reason).toMatch(/exit code NaN/);
  });

  it("a handler that throws instead of rejecting fails the same way, and its step's local defaults end with it", async () => {
    const seen: (string | undefined)[] = [];
    const handlers = createStepHandlerRegistry({
      [TEST_TYPE]: (ctx) => {
        if (ctx.step.name === "Throws") throw new Error("sync boom");
        seen.push(ctx.env.get("Local"));
        return Promise.resolve({ exitCode: 0 });
      },
    });
    const local = [{ name: "Local", property: "Local", value: "only here" }];
    const r = await createEngine({ handlers }).run(sequence([step("Throws", { continueOnError: true, variables: local }), step("After")]));
    expect(r.steps[0]).toMatchObject({ outcome: "failed-continued", exitCode: -2147467259 });
    expect(r.steps[0]?.reason).toMatch(/sync boom/);
    expect(seen).toEqual([undefined]);
    expect(r.status).toBe("success");
  });

  it("a thrown TaskSeqError takes its code's return code from the one steps.md §1.3 table (ScriptUnsupported 50, an unlisted code E_FAIL)", async () => {
    const handlers = createStepHandlerRegistry({
      [TEST_TYPE]: (ctx) => Promise.reject(new TaskSeqError(ctx.step.name === "Script" ? "ScriptUnsupported" : "DeviceOperationFailed", "no")),
    });
    const r = await createEngine({ handlers }).run(sequence([step("Script", { continueOnError: true }), step("Device", { continueOnError: true })]));
    expect(r.steps.map((s) => s.exitCode)).toEqual([50, -2147467259]);
  });

  it("Apply Network Settings runs whatever its own condition says, but not inside a skipped group (steps.md §21.4)", async () => {
    const ran: string[] = [];
    const log = createMemoryLogSink();
    const handlers = createStepHandlerRegistry({ SMS_TaskSequence_ApplyNetworkSettingsAction: (ctx) => (ran.push(ctx.step.name), Promise.resolve({ exitCode: 0 })) });
    const net = (name: string, extra: Parameters<typeof step>[1] = {}) => step(name, { type: "SMS_TaskSequence_ApplyNetworkSettingsAction", ...extra });
    const never = varCondition("Nope", "exists");
    await createEngine({ handlers, log }).run(sequence([net("First"), net("Last", { condition: never }), group("Skipped", [net("Inside")], { condition: never }), net("Off", { disabled: true })]));
    expect(ran).toEqual(["First", "Last"]);
    expect(log.entries().some((e) => e.messageId === "condition-ignored" && e.message.includes("(Last)"))).toBe(true);
  });

  it("a condition evaluation error skips the item and logs a warning", async () => {
    const log = createMemoryLogSink();
    const { handlers, ran } = scripted();
    const r = await createEngine({ handlers, log }).run(sequence([step("S", { condition: { operands: [expr("BogusExpression", {})] } })]));
    expect(ran).toEqual([]);
    expect(r.steps[0]?.outcome).toBe("skipped-condition");
    expect(log.entries().some((e) => e.type === 2 && e.messageId === "condition-error" && e.message.includes("(S)") && e.message.includes("BogusExpression()"))).toBe(true);
  });
});

describe("events", () => {
  it("stream run, step, skip, progress, variable and log events", async () => {
    const events: EngineEvent[] = [];
    const { handlers } = scripted();
    handlers.register("Setter", (ctx: StepHandlerContext) => {
      ctx.env.set("Color", "blue");
      ctx.env.set("OSDJoinPassword", "hunter2secret");
      return Promise.resolve({ exitCode: 0 });
    });
    await createEngine({ handlers, onEvent: (e) => events.push(e) }).run(sequence([step("A"), step("B", { disabled: true }), step("Set", { type: "Setter" })]));
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("log");
    expect(types).toContain("run-started");
    expect(types.at(-1)).toBe("run-finished");
    expect(events.filter((e) => e.type === "step-started").map((e) => (e.type === "step-started" ? e.name : ""))).toEqual(["A", "Set"]);
    expect(events.find((e) => e.type === "step-skipped")).toMatchObject({ name: "B", outcome: "skipped-disabled" });
    expect(events.filter((e) => e.type === "progress").map((e) => (e.type === "progress" ? `${e.text}|${e.percent}` : ""))).toEqual(["1 of 3|33", "2 of 3|66", "3 of 3|100"]); // the percentage is of the count shown ("2 of 10 (20% complete)")
    expect(events.find((e) => e.type === "variable-changed" && e.name === "Color")).toMatchObject({ value: "blue", secret: false });
    expect(events.find((e) => e.type === "variable-changed" && e.name === "OSDJoinPassword")).toMatchObject({ value: "********", secret: true });
    expect(JSON.stringify(events)).not.toContain("hunter2secret");
  });

  it("writes the progress text TSProgressInfoLevel asks for, its percentage of the count shown (2 of 10 is 20%)", async () => {
    const texts = async (level: string): Promise<string[]> => {
      const out: string[] = [];
      await createEngine({ handlers: scripted().handlers, onEvent: (e) => void (e.type === "progress" && out.push(e.text)) }).run(sequence([step("A"), step("B")]), { variables: { runtime: { TSProgressInfoLevel: level } } });
      return out;
    };
    expect(await texts("2")).toEqual(["1 of 2 (50% complete)", "2 of 2 (100% complete)"]);
    expect(await texts("3")).toEqual(["(50% complete)", "(100% complete)"]);
    expect(await texts("1")).toEqual(["1 of 2", "2 of 2"]);
  });

  it("a throwing listener does not break the run", async () => {
    const { handlers, ran } = scripted();
    const r = await createEngine({ handlers, onEvent: () => { throw new Error("listener"); } }).run(sequence([step("A")]));
    expect(ran).toEqual(["A"]);
    expect(r.status).toBe("success");
  });
});

describe("dry run", () => {
  it("evaluates conditions, calls no handler and persists nothing", async () => {
    const { handlers, ran } = scripted();
    const writes: string[] = [];
    const state = { load: () => Promise.resolve(undefined), replace: (s: string) => { writes.push(s); return Promise.resolve(); }, append: (s: string) => { writes.push(s); return Promise.resolve(); }, clear: () => Promise.resolve() };
    const r = await createEngine({ handlers, state }).run(sequence([step("A"), step("B", { condition: varCondition("X", "equals", "1") })]), { dryRun: true });
    expect(ran).toEqual([]);
    expect(writes).toEqual([]);
    expect(r.steps.map((s) => s.outcome)).toEqual(["success", "skipped-condition"]);
  });
});

describe("end of run (execution.md §13)", () => {
  it("shows the error dialog on failure (not with TSDebugOnError) and starts SMSTSPostAction", async () => {
    const device = createFakeDevice();
    const { handlers } = scripted({ Bad: 5 });
    await createEngine({ handlers, device }).run(sequence([step("Bad")]), { variables: { runtime: { SMSTSErrorDialogTimeout: "60", SMSTSPostAction: "shutdown.exe /r /t 30" } } });
    expect(device.state.dialogs).toHaveLength(1);
    expect(device.state.dialogs[0]).toMatch(/^Task Sequence Error\|60\|Task Sequence: .* has failed with the error code \(0x00000005\)\. The failing action is \(Bad\)\./);
    expect(device.state.commands).toEqual(["shutdown.exe /r /t 30"]);
    const quiet = createFakeDevice();
    await createEngine({ handlers, device: quiet }).run(sequence([step("Bad")]), { variables: { runtime: { TSDebugOnError: "TRUE" } } });
    await createEngine({ handlers, device: quiet }).run(sequence([step("Good")]));
    expect(quiet.state.dialogs).toEqual([]);
    expect(quiet.state.commands).toEqual([]);
  });
});

describe("progress UI", () => {
  it("shows each step with uStep = pointer and uMaxStep = table size, unless TSDisableProgressUI", async () => {
    const device = createFakeDevice();
    const { handlers } = scripted();
    handlers.register("Hide", (ctx) => {
      ctx.env.set("TSDisableProgressUI", "true");
      return Promise.resolve({ exitCode: 0 });
    });
    await createEngine({ handlers, device }).run(sequence([group("G", [step("A"), step("H", { type: "Hide" }), step("B")])]));
    expect(device.state.progress).toEqual(["A:1/5", "H:2/5"]);
  });
});
