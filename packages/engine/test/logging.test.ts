import { describe, expect, it } from "vitest";
import { createEngine, createJsonLinesLogSink, createMapResolver, createMemoryLogSink, createStepHandlerRegistry, formatBias, formatCmtraceLine, isPlainLogText, stepComponent, type EngineEvent } from "@taskseq/engine";
import type { Device } from "@taskseq/device";
import { TaskSeqError, type Step } from "@taskseq/model";
import { createFakeDevice } from "./fake-device.js";
import { expr, group, scripted, sequence, step, TEST_TYPE, varCondition } from "./fixtures.js";

/** The writer grammar of logging.md §2. */
const RECORD =
  /^<!\[LOG\[([\s\S]*)\]LOG\]!><time="(\d{2}):(\d{2}):(\d{2})\.(\d{3})([+-]\d{1,4})" date="(\d{2})-(\d{2})-(\d{4})" component="([^"\r\n]*)" context="([^"\r\n]*)" type="([123])" thread="(\d+)" file="([^"\r\n]*)">\r\n$/;

const at = new Date(Date.UTC(2026, 2, 23, 14, 30, 0, 123));

describe("CMTrace line formatter (logging.md §2–§3)", () => {
  it("lines of the same millisecond share their time attributes only for the same bias; the next millisecond gets its own", () => {
    const timeOf = (time: Date, bias?: number): string => /time="[^"]*" date="[^"]*"/.exec(formatCmtraceLine({ message: "m", time, component: "C", type: 1, thread: 1, file: "", ...(bias === undefined ? {} : { bias }) }))?.[0] ?? "";
    expect(timeOf(at, 0)).toBe('time="14:30:00.123+000" date="03-23-2026"');
    expect(timeOf(at, -60)).toBe('time="15:30:00.123-60" date="03-23-2026"');
    expect(timeOf(at, 0)).toBe('time="14:30:00.123+000" date="03-23-2026"');
    expect(timeOf(new Date(at.getTime() + 1), 0)).toBe('time="14:30:00.124+000" date="03-23-2026"');
    expect(timeOf(new Date(Date.UTC(2026, 2, 23, 23, 59, 59, 999)), 0)).toBe('time="23:59:59.999+000" date="03-23-2026"');
    const hostBias = at.getTimezoneOffset();
    expect(timeOf(at)).toBe(timeOf(at, hostBias));
  });

  it("writes the documented record for UTC", () => {
    const line = formatCmtraceLine({ message: "Start executing an instruction. Instruction name: Partition Disk 0. Instruction pointer: 3", time: at, component: "TSManager", type: 1, thread: 1234, file: "engine.ts", bias: 0 });
    expect(line).toBe(
      '<![LOG[Start executing an instruction. Instruction name: Partition Disk 0. Instruction pointer: 3]LOG]!><time="14:30:00.123+000" date="03-23-2026" component="TSManager" context="" type="1" thread="1234" file="engine.ts">\r\n',
    );
    expect(line).toMatch(RECORD);
  });

  it("writes the bias as the negated UTC offset with local time and date", () => {
    const cases: [number, string, string][] = [
      [-60, "15:30:00.123-60", "03-23-2026"],
      [300, "09:30:00.123+300", "03-23-2026"],
      [240, "10:30:00.123+240", "03-23-2026"],
      [-330, "20:00:00.123-330", "03-23-2026"],
      [-600, "00:30:00.123-600", "03-24-2026"],
    ];
    for (const [bias, time, date] of cases) {
      const m = RECORD.exec(formatCmtraceLine({ message: "x", time: at, component: "C", type: 2, thread: 1, file: "", bias }));
      expect(`${m?.[2]}:${m?.[3]}:${m?.[4]}.${m?.[5]}${m?.[6]}`).toBe(time);
      expect(`${m?.[7]}-${m?.[8]}-${m?.[9]}`).toBe(date);
    }
    expect([formatBias(0), formatBias(-120), formatBias(300)]).toEqual(["+000", "-120", "+300"]);
  });

  it("escapes the terminator, drops NUL, writes CR LF line breaks and cleans attributes", () => {
    const line = formatCmtraceLine({ message: "a]LOG]!>b\0c\nd", time: at, component: 'Com"p\nX', type: 3, thread: 7, file: "f", bias: 0 });
    expect(line.startsWith("<![LOG[a]LOG]!&gt;bc\r\nd]LOG]!>")).toBe(true);
    expect(line).toContain(`component="Com'p X"`);
    expect(line).toMatch(RECORD);
  });

  it("a record marked plain is written without a scan; isPlainLogText says which text may be marked so", () => {
    const record = { message: "a]LOG]!>b", time: at, component: "C", type: 1 as const, thread: 1, file: "", bias: 0 };
    expect(formatCmtraceLine(record)).toContain("<![LOG[a]LOG]!&gt;b]LOG]!>");
    expect(formatCmtraceLine({ ...record, message: "plain text", plain: true })).toContain("<![LOG[plain text]LOG]!>");
    expect(["Install Office", "a]LOG]!>b", "nul\0", "cr\r", "lf\n", "]LOG]!", "LOG]!>"].map(isPlainLogText)).toEqual([true, false, false, false, false, true, true]);
  });

  it("the engine marks its lines plain only when the step name or value in them is plain", async () => {
    const log = createMemoryLogSink();
    const handlers = createStepHandlerRegistry({
      [TEST_TYPE]: (ctx) => {
        ctx.env.set("Out", ctx.step.name === "Odd" ? "x]LOG]!>y" : "fine");
        return Promise.resolve({ exitCode: 0 });
      },
    });
    await createEngine({ handlers, log }).run(sequence([step("Plain"), step("Bad\r\nName]LOG]!>"), step("Odd")]));
    const marked = log.entries().filter((e) => e.plain === true);
    for (const e of marked) expect(isPlainLogText(e.message), e.message).toBe(true);
    const text = log.text();
    expect(text).toContain("Instruction name: Bad\r\nName]LOG]!&gt;. Instruction pointer: 1]LOG]!>");
    expect(text).toContain("Set a global environment variable Out=x]LOG]!&gt;y]LOG]!>");
    expect(marked.length).toBeGreaterThan(10);
  });

  it("each line carries its own component, context, type, thread and file, whatever the line before had", () => {
    const tail = (r: { component: string; context?: string; type: 1 | 2 | 3; thread: number; file: string }): string =>
      formatCmtraceLine({ message: "m", time: at, bias: 0, ...r }).split('date="03-23-2026"')[1] ?? "";
    const records = [
      { component: "TSManager", type: 1, thread: 1, file: "engine.ts" },
      { component: "TSManager", type: 1, thread: 1, file: "engine.ts" },
      { component: "InstallSoftware", type: 1, thread: 1, file: "engine.ts" },
      { component: "InstallSoftware", type: 2, thread: 1, file: "engine.ts" },
      { component: "InstallSoftware", type: 2, thread: 9, file: "engine.ts" },
      { component: "InstallSoftware", type: 2, thread: 9, file: "" },
      { component: "InstallSoftware", context: "ctx", type: 2, thread: 9, file: "" },
      { component: "TSManager", type: 1, thread: 1, file: "engine.ts" },
    ] as const;
    expect(records.map(tail)).toEqual(
      records.map((r) => ` component="${r.component}" context="${"context" in r ? r.context : ""}" type="${r.type}" thread="${r.thread}" file="${r.file}">\r\n`),
    );
  });

  it("uses the host's bias by default", () => {
    const line = formatCmtraceLine({ message: "x", time: at, component: "C", type: 1, thread: 1, file: "" });
    expect(line).toContain(formatBias(at.getTimezoneOffset()));
  });
});

describe("what the engine logs (logging.md §6)", () => {
  async function runLogged(logLevel: 0 | 1 | 2 | 3 = 1) {
    const log = createMemoryLogSink();
    const handlers = createStepHandlerRegistry({
      [TEST_TYPE]: (ctx) => {
        ctx.log.info(`password is ${ctx.env.get("OSDJoinPassword") ?? ""}`);
        ctx.env.set("MyVar", "v1");
        return Promise.resolve({ exitCode: ctx.step.name === "Bad" ? 4 : 0 });
      },
    });
    const r = await createEngine({ handlers, log, logLevel, logBias: 0 }).run(
      sequence([group("G", [step("Good"), step("Bad", { continueOnError: true }), step("Off", { disabled: true }), step("Cond", { condition: varCondition("X", "exists") })])]),
      { variables: { runtime: { OSDJoinPassword: "Sup3rSecretValue" } } },
    );
    return { log, r };
  }

  it("lines the engine writes together share one clock reading; a handler's lines, and every line while someone listens, read the clock each", async () => {
    const runWithClock = async (onEvent?: () => void) => {
      let t = Date.UTC(2026, 0, 1);
      const log = createMemoryLogSink();
      const handlers = createStepHandlerRegistry({
        [TEST_TYPE]: (ctx) => {
          ctx.log.info("first handler line");
          ctx.log.info("second handler line");
          return Promise.resolve({ exitCode: 0 });
        },
      });
      // Every reading moves the clock on by 1 ms, so lines with one reading have equal times.
      await createEngine({ handlers, log, now: () => (t += 1), ...(onEvent === undefined ? {} : { onEvent }) }).run(sequence([step("A", { variables: [{ name: "Setting", property: "Setting", value: "1" }] })]));
      const timeOf = (messageId: string, nth = 0): number => log.entries().filter((e) => e.messageId === messageId)[nth]?.time.getTime() ?? Number.NaN;
      return { timeOf, log };
    };
    const quiet = await runWithClock();
    // Before the handler: the current action and the instruction start together.
    expect(quiet.timeOf("instruction-start")).toBe(quiet.timeOf("variable-set", 0));
    // After the handler: the last-action built-ins and the result together, later than the handler's lines.
    const results = quiet.log
      .entries()
      .filter((e) => e.messageId === "step-result" || e.message.startsWith("Set a global environment variable _SMSTSLastAction"))
      .map((e) => e.time.getTime());
    expect(results).toHaveLength(4);
    expect(new Set(results).size).toBe(1);
    expect(quiet.timeOf("step", 1)).toBeGreaterThan(quiet.timeOf("step", 0));
    expect(results[0]).toBeGreaterThan(quiet.timeOf("step", 1));
    expect(quiet.timeOf("local-default")).toBeGreaterThan(quiet.timeOf("instruction-start"));
    const listened = await runWithClock(() => undefined);
    expect(listened.timeOf("instruction-start")).toBeGreaterThan(listened.timeOf("variable-set", 0));
    expect(listened.timeOf("step-result")).toBeGreaterThan(listened.timeOf("variable-set", 1));
  });

  it("every line matches the grammar and secrets never appear", async () => {
    const { log } = await runLogged(0);
    const text = log.text();
    const lines = text.split(/(?<=>\r\n)/).filter((l) => l !== "");
    expect(lines.length).toBeGreaterThan(10);
    for (const l of lines) expect(l).toMatch(RECORD);
    expect(text).not.toContain("Sup3rSecretValue");
    expect(text).toContain("password is ********");
  });

  it("a step name holding secret text is masked in the built-in lines and the step's own lines", async () => {
    const log = createMemoryLogSink();
    const handlers = createStepHandlerRegistry({ [TEST_TYPE]: () => Promise.resolve({ exitCode: 0 }) });
    await createEngine({ handlers, log, logBias: 0 }).run(sequence([step("Join with Sup3rSecretValue")]), { variables: { runtime: { OSDJoinPassword: "Sup3rSecretValue" } } });
    const text = log.text();
    expect(text).not.toContain("Sup3rSecretValue");
    expect(text).toContain("Set a global environment variable _SMSTSCurrentActionName=Join with ********");
    expect(text).toContain("Set a global environment variable _SMSTSLastActionName=Join with ********");
    expect(text).toContain("Successfully completed the action (Join with ********)");
  });

  it("secret text in the sequence, step, group and child names never reaches the log, the events or the result", async () => {
    const log = createMemoryLogSink();
    const events: EngineEvent[] = [];
    const handlers = createStepHandlerRegistry({
      [TEST_TYPE]: (ctx) => Promise.resolve({ exitCode: ctx.step.name.startsWith("Fail") ? 5 : 0 }),
      Reboot: (ctx) => {
        ctx.env.set("SMSTSRebootRequested", "WinPE");
        return Promise.resolve({ exitCode: 0 });
      },
    });
    const child: Step = step("Child Sup3rSecretValue", { element: "subtasksequence", type: "SMS_TaskSequence_SubTasksequence", variables: [{ name: "OSDSubTasksequencePackageID", property: "TsPackageID", value: "CHILD001" }] });
    const resolver = createMapResolver([{ packageId: "CHILD001", name: "Package Sup3rSecretValue", sequence: sequence([step("In child")]) }]);
    const engine = createEngine({ handlers, log, resolver, onEvent: (e) => events.push(e) });
    const seq = sequence([step("Off Sup3rSecretValue", { disabled: true }), child, group("Group Sup3rSecretValue", [step("Fail Sup3rSecretValue")])], { name: "TS for Sup3rSecretValue" });
    const failed = await engine.run(seq, { variables: { device: [{ name: "OSDJoinPassword", value: "Sup3rSecretValue" }] } });
    expect(failed.status).toBe("failed");
    const reboot = await engine.run(sequence([step("Reboot Sup3rSecretValue", { type: "Reboot" })]), { variables: { runtime: { OSDJoinPassword: "Sup3rSecretValue" } } });
    expect(reboot.error?.code).toBe("RestartNotPossible");
    const everything = JSON.stringify({ log: log.text(), events, failed, reboot, message: reboot.error?.message });
    expect(everything).not.toContain("Sup3rSecretValue");
    expect(failed.failure).toMatchObject({ name: "Fail ********", groups: ["Group ********"] });
    expect(events.find((e) => e.type === "run-started")).toMatchObject({ name: "TS for ********" });
    expect(reboot.error?.message).toContain("Reboot ********");
  });

  it("a step's reason in the result is masked with a secret set after the step ran (variables.md §9.2: run reports)", async () => {
    const handlers = createStepHandlerRegistry({
      [TEST_TYPE]: (ctx) => {
        if (ctx.step.name === "Connect") return Promise.resolve({ exitCode: 5, error: new TaskSeqError("InvalidSetting", "Cannot connect as admin with Sup3rSecretValue") });
        ctx.env.set("OSDJoinPassword", "Sup3rSecretValue");
        return Promise.resolve({ exitCode: 0 });
      },
    });
    const r = await createEngine({ handlers }).run(sequence([step("Connect", { continueOnError: true }), step("Set password")]));
    expect(JSON.stringify(r)).not.toContain("Sup3rSecretValue");
    expect(r.steps[0]?.reason).toBe("Cannot connect as admin with ********");
    expect(r.ignoredFailures[0]?.reason).toBe("Cannot connect as admin with ********");
  });

  it("writes a verbose 'Expand a string' line for each expanded setting and condition path, secrets masked (logging.md §6)", async () => {
    const run = async (logLevel: 0 | 1) => {
      const log = createMemoryLogSink();
      const handlers = createStepHandlerRegistry({ [TEST_TYPE]: () => Promise.resolve({ exitCode: 0 }) });
      const withPath = { operands: [{ kind: "operator" as const, operator: "not", operands: [expr("FileConditionExpression", { Path: "%Folder%\\file.txt" })] }] };
      await createEngine({ handlers, log, logLevel, device: createFakeDevice() }).run(
        sequence([step("S", { variables: [{ name: "", property: "Line", value: "run %OSDJoinPassword% or Sup3rSecretValue in %Folder%" }, { name: "", property: "Plain", value: "no reference" }], condition: withPath })]),
        { variables: { runtime: { OSDJoinPassword: "Sup3rSecretValue", Folder: "C:\\Data" } } },
      );
      return log.entries().filter((e) => e.messageId === "expand").map((e) => e.message);
    };
    expect(await run(0)).toEqual(["Expand a string: %Folder%\\file.txt", "Expand a string: run %OSDJoinPassword% or ******** in %Folder%"]);
    expect(await run(1)).toEqual([]);
  });

  it("never logs the expansion of a secret setting, a script, unlogged parameters or a hidden command line; leaves Set Dynamic Variables rules unexpanded", async () => {
    const log = createMemoryLogSink();
    const seen: Record<string, string>[] = [];
    const record = (ctx: { settings: Readonly<Record<string, string>> }) => (seen.push({ ...ctx.settings }), Promise.resolve({ exitCode: 0 }));
    const types = ["SMS_TaskSequence_SetVariableAction", "SMS_TaskSequence_SetDynamicVariablesAction", "SMS_TaskSequence_RunPowerShellScriptAction", "SMS_TaskSequence_RunCommandLineAction"];
    const handlers = createStepHandlerRegistry(Object.fromEntries(types.map((t) => [t, record])));
    const v = (property: string, value: string) => ({ name: "", property, value });
    await createEngine({ handlers, log, logLevel: 0 }).run(
      sequence([
        step("Hidden", { type: types[0], variables: [v("VariableName", "Pin"), v("VariableValue", "pin-4711-%Folder%"), v("DoNotShowVariableValue", "true")] }),
        step("Rules", { type: types[1], variables: [v("Rules", "<Rules><Rule><Variables><Variable Name='A'>%Folder%</Variable></Variables></Rule></Rules>")] }),
        step("PS", { type: types[2], variables: [v("SourceScript", "Write-Output '%Folder%'"), v("Parameters", "-Path %Folder%")] }),
        step("Cmd", { type: types[3], variables: [v("CommandLine", "cmd /c dir %Folder%")] }),
      ]),
      { variables: { runtime: { Folder: "C:\\Data", OSDDoNotLogCommand: "TRUE" } } },
    );
    expect(log.entries().filter((e) => e.messageId === "expand").map((e) => e.message)).toEqual([]);
    expect(seen[0]?.["VariableValue"]).toBe("pin-4711-C:\\Data");
    expect(seen[1]?.["Rules"]).toContain("%Folder%");
    expect(seen[3]?.["CommandLine"]).toBe("cmd /c dir C:\\Data");
  });

  it("gives the sink the rollover limits: smsts.ini's [Logging] values in Windows PE, replaced by the engine options; none when neither is set (logging.md §8)", async () => {
    const configured: unknown[] = [];
    const sink = { write: () => undefined, configure: (limits: unknown) => void configured.push(limits) };
    const ini = "[Logging]\r\nLOGMAXSIZE=500000\r\nLogMaxHistory = 3\r\nDEBUGLOGGING=1\r\n[Other]\r\nLOGMAXSIZE=7\r\n";
    const files = (text: string | undefined) => ({ exists: (p: string) => Promise.resolve(text !== undefined && p === "X:\\Windows\\smsts.ini"), readText: () => Promise.resolve(text ?? "") });
    const device = (text: string | undefined) => ({ ...createFakeDevice({ environment: "WinPE" }), files: files(text) as unknown as NonNullable<Device["files"]> });
    await createEngine({ log: sink, device: device(ini) }).run(sequence([]));
    await createEngine({ log: sink, device: device(ini), logMaxSize: 2_000_000 }).run(sequence([]));
    await createEngine({ log: sink, device: device(undefined), logMaxHistory: 0 }).run(sequence([]));
    await createEngine({ log: sink, device: device(undefined) }).run(sequence([]));
    expect(configured).toEqual([{ maxSize: 500_000, maxHistory: 3 }, { maxSize: 2_000_000, maxHistory: 3 }, { maxHistory: 0 }]);
  });

  it("writes the required messages with their components and types", async () => {
    const { log } = await runLogged();
    const e = log.entries();
    const has = (id: string, type: number, pattern: RegExp) => e.some((x) => x.messageId === id && x.type === type && pattern.test(x.message));
    expect(has("run-start", 1, /Test TS \(TS000001\) starting\. .*Launch mode: SMS\. Engine version/)).toBe(true);
    expect(e.find((x) => x.messageId === "run-start")?.component).toBe("TSMBootstrap");
    expect(has("instruction-start", 1, /^Start executing an instruction\. Instruction name: Good\. Instruction pointer: 1$/)).toBe(true);
    expect(has("step-result", 1, /^Successfully completed the action \(Good\) with the exit win32 code 0$/)).toBe(true);
    expect(has("step-result", 3, /^Failed to run the action: Bad\. Return code 4/)).toBe(true);
    expect(has("ignored-failure", 2, /ignored the failure of the action \(Bad\)/)).toBe(true);
    expect(has("item-disabled", 1, /\(Off\) is disabled/)).toBe(true);
    expect(has("condition-false", 1, /^The action \(Cond\) has been skipped because the condition is evaluated to be false$/)).toBe(true);
    expect(has("variable-set", 1, /^Set a global environment variable MyVar=v1$/)).toBe(true);
    expect(has("variable-set", 1, /^Set a global environment variable _SMSTSLastActionName=Good$/)).toBe(true);
    expect(has("group-result", 1, /\(G\) has been successfully completed/)).toBe(true);
    expect(has("run-end", 1, /finished: success/)).toBe(true);
    const stepLine = e.find((x) => x.messageId === "step");
    expect(stepLine?.component).toBe("Test_Action");
    expect(stepLine?.instruction).toBe(1);
  });

  it("logs one line per action variable added as a local default, and none for a name a global overrides", async () => {
    const log = createMemoryLogSink();
    const { handlers } = scripted();
    const withDefaults = step("Run", { variables: [
      { name: "First", property: "First", value: "1" },
      { name: "Overridden", property: "Overridden", value: "2" },
      { name: "", property: "Untyped", value: "3" },
      { name: "Second", property: "Second", value: "4" },
    ] });
    await createEngine({ handlers, log }).run(sequence([withDefaults]), { variables: { runtime: { Overridden: "global" } } });
    expect(log.entries().filter((x) => x.messageId === "local-default").map((x) => x.message)).toEqual(["Set a local default variable First", "Set a local default variable Second"]);
  });

  it("log levels filter lines; verbose lines (condition trace) appear only at level 0", async () => {
    const quiet = (await runLogged(3)).log.entries();
    expect(quiet.every((x) => x.type === 3)).toBe(true);
    expect(quiet.length).toBeGreaterThan(0);
    expect((await runLogged(1)).log.entries().some((x) => x.messageId === "condition-trace")).toBe(false);
    expect((await runLogged(0)).log.entries().some((x) => x.messageId === "condition-trace")).toBe(true);
  });

  it("the JSON-lines sink writes one object per line", async () => {
    const out: string[] = [];
    const { handlers } = scripted();
    await createEngine({ handlers, log: createJsonLinesLogSink((l) => out.push(l)) }).run(sequence([step("A")]));
    const first = JSON.parse(out[0] ?? "") as Record<string, unknown>;
    expect(first).toMatchObject({ type: 1, component: "TSMBootstrap", messageId: "run-start" });
    expect(out.every((l) => l.endsWith("\n") && !l.slice(0, -1).includes("\n"))).toBe(true);
  });

  it("names step components per logging.md §5", () => {
    expect(stepComponent("SMS_TaskSequence_RunCommandLineAction")).toBe("InstallSoftware");
    expect(stepComponent("SMS_TaskSequence_PartitionDiskAction")).toBe("PartitionDisk");
    expect(stepComponent("SMS_TaskSequence_RunPowerShellScriptAction")).toBe("RunPowerShellScript");
    expect(stepComponent("BDD_Gather")).toBe("ZTIGather");
    // MDT logs under the script a step runs (the corpus's actions name them).
    expect(stepComponent("BDD_InstallOS")).toBe("LTIApply");
    expect(stepComponent("BDD_InstallApplication")).toBe("ZTIApplications");
    expect(stepComponent("BDD_InjectDrivers")).toBe("ZTIDrivers");
    expect(stepComponent("BDD_RunPowerShellAction")).toBe("ZTIPowerShell");
    expect(stepComponent("BDD_InstallRoles")).toBe("ZTIOSRole");
    expect(stepComponent("BDD_Unknown")).toBe("ZTIUnknown");
  });

  it("names the engine module in the file attribute of every line the engine writes, none for a handler's lines (logging.md §2)", async () => {
    const log = createMemoryLogSink();
    const handlers = createStepHandlerRegistry({ [TEST_TYPE]: (ctx) => (ctx.log.info("from the handler"), Promise.resolve({ exitCode: 0 })) });
    await createEngine({ handlers, log }).run(sequence([step("A")]));
    const files = new Map(log.entries().map((e) => [`${e.component}:${e.messageId}`, e.file]));
    expect(files.get("TSMBootstrap:run-start")).toBe("engine.ts");
    expect(files.get("TSManager:instruction-start")).toBe("engine.ts");
    expect(files.get(`${TEST_TYPE}:step`)).toBe("");
  });
});
