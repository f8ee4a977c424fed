import { isTaskSeqError, TaskSeqError } from "@taskseq/model";
import { describe, expect, it } from "vitest";
import { createEnvironment, SECRET_MASK } from "@taskseq/environment";

const noDefaults = { builtinDefaults: [] } as const;

function thrown(fn: () => unknown): TaskSeqError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TaskSeqError) return e;
    throw e;
  }
  throw new Error("expected a TaskSeqError");
}

describe("COM face", () => {
  it("returns an empty string for unknown and invalid names", () => {
    const { env } = createEnvironment();
    expect(env.Value("Nope")).toBe("");
    expect(env.Value("My Var")).toBe("");
    expect(env.Value("")).toBe("");
  });

  it("writes, updates and deletes with Value(name, value)", () => {
    const { env } = createEnvironment();
    env.Value("MyVar", "Y");
    expect(env.Value(" myvar ")).toBe("Y");
    env.Value("MYVAR", "Z");
    expect(env.Value("MyVar")).toBe("Z");
    env.Value("MyVar", "");
    expect(env.has("MyVar")).toBe(false);
    expect(env.GetVariables()).not.toContain("MyVar");
  });

  it("lists names in ordinal case-insensitive order with display casing, secrets and locals included", () => {
    const { env, engine } = createEnvironment();
    engine.applyLayers(noDefaults);
    env.set("beta", "1");
    env.set("Alpha", "2");
    env.set("OSDJoinPassword", "pw-value");
    engine.set("_SMSTSInWinPE", "true");
    engine.pushStepDefaults("Run", [{ name: "WorkingDirectory", value: "C:\\" }]);
    // ordinal on the upper-cased name (OrdinalIgnoreCase): "_" (0x5F) sorts after "Z"
    expect(env.GetVariables()).toEqual(["Alpha", "beta", "OSDJoinPassword", "WorkingDirectory", "_SMSTSInWinPE"]);
  });

  it("reads made before a step's defaults are pushed see them while the step runs (a fixed default over the global, a default where no global exists) and not after", () => {
    const { env, engine } = createEnvironment();
    engine.applyLayers(noDefaults);
    env.set("Target", "global");
    expect(env.get("target")).toBe("global");
    expect(env.get("Only")).toBeUndefined();
    engine.pushStepDefaults("Step", [
      { name: "Target", value: "fixed", fixed: true },
      { name: "Only", value: "local" },
    ]);
    expect(env.get("target")).toBe("fixed");
    expect(env.get("Only")).toBe("local");
    engine.popStepDefaults();
    expect(env.get("target")).toBe("global");
    expect(env.get("Only")).toBeUndefined();
  });

  it("refuses read-only, invalid and over-long writes with HRESULTs", () => {
    const { env } = createEnvironment();
    const ro = thrown(() => env.Value("_SMSTSLogPath", "x"));
    expect(ro.code).toBe("ReadOnlyVariable");
    expect(ro.details?.hresult).toBe(0x80070005);
    const bad = thrown(() => env.Value("My.Var", "x"));
    expect(bad.code).toBe("InvalidVariableName");
    expect(bad.details?.hresult).toBe(0x80070057);
    const long = thrown(() => env.Value("Big", "x".repeat(4001)));
    expect(long.code).toBe("ValueTooLong");
    expect(long.details?.hresult).toBe(0x80070057);
    expect(env.has("Big")).toBe(false);
  });

  it("refuses a non-string value from a script with a typed error", () => {
    const { env } = createEnvironment();
    const value: unknown = 42;
    expect(isTaskSeqError(thrown(() => env.set("X", value as string)), "InvalidArgument")).toBe(true);
  });

  it("refuses a name that is not a string with a typed error, for reads too", () => {
    const { env } = createEnvironment();
    for (const name of [undefined, null, 42, {}]) {
      const bad = name as unknown as string;
      for (const call of [() => env.get(bad), () => env.has(bad), () => env.Value(bad), () => env.isSecret(bad), () => env.explain(bad), () => env.delete(bad)]) {
        expect(thrown(call).code).toBe("InvalidVariableName");
      }
    }
  });
});

describe("idiomatic face", () => {
  it("accepts exactly 4,000 characters and leading-digit names", () => {
    const { env } = createEnvironment();
    env.set("Big", "x".repeat(4000));
    env.set("2PintTurboLicense", "yes");
    expect(env.get("big")?.length).toBe(4000);
    expect(env.get("2pintturbolicense")).toBe("yes");
  });

  it("keeps the casing of the creating write until the variable is deleted", () => {
    const { env } = createEnvironment();
    env.set("OsdVar", "1");
    env.set("OSDVAR", "2");
    expect(env.entries().find((v) => v.value === "2")?.name).toBe("OsdVar");
    expect(env.delete("osdvar")).toBe(true);
    expect(env.delete("osdvar")).toBe(false);
    env.set("OSDVAR", "3");
    expect(env.GetVariables()).toContain("OSDVAR");
  });

  it("refuses writes of _ names except through the engine handle", () => {
    const { env, engine } = createEnvironment();
    expect(thrown(() => env.set("_SMSTSMachineName", "PC")).code).toBe("ReadOnlyVariable");
    expect(thrown(() => env.delete("_SMSTSMachineName")).code).toBe("ReadOnlyVariable");
    engine.set("_SMSTSMachineName", "PC");
    expect(env.get("_smstsmachinename")).toBe("PC");
    expect(env.entries().find((v) => v.name === "_SMSTSMachineName")).toMatchObject({ readOnly: true, layer: "engine" });
  });

  it("does not warn again about the size after restoring an environment already above the threshold (spec §3: the first time only)", async () => {
    const warnings: number[] = [];
    const first = createEnvironment({ warnSize: 20, onSizeWarning: (s) => warnings.push(s) });
    first.engine.applyLayers(noDefaults);
    first.env.set("Big", "x".repeat(20));
    expect(warnings).toHaveLength(1);
    const saved = await first.engine.serialize();
    const second = createEnvironment({ warnSize: 20, onSizeWarning: (s) => warnings.push(s) });
    await second.engine.restore(saved);
    second.env.set("More", "y".repeat(10));
    expect(warnings).toHaveLength(1);
    const small = createEnvironment({ warnSize: 200, onSizeWarning: (s) => warnings.push(s) });
    await small.engine.restore(saved);
    small.env.set("Grow", "z".repeat(100));
    expect(warnings).toHaveLength(2);
  });

  it("does not count values over 4,000 characters (the engine's document, an embedded script) toward the size warning, only toward the limit", async () => {
    const warnings: number[] = [];
    const { env, engine } = createEnvironment({ warnSize: 100, onSizeWarning: (s) => warnings.push(s) });
    engine.applyLayers(noDefaults);
    engine.set("_SMSTSTaskSequence", "d".repeat(5000));
    engine.pushStepDefaults("Run PowerShell Script", [{ name: "OSDRunPowerShellScriptSourceScript", value: "s".repeat(4500) }]);
    engine.popStepDefaults();
    expect(env.size).toBe((18 + 5000) * 2);
    expect(warnings).toEqual([]);
    engine.set("_SMSTSTaskSequence", "e".repeat(4001));
    env.set("Small", "x".repeat(45)); // (5 + 45) x 2 = 100: not above
    expect(warnings).toEqual([]);
    env.set("More", "y"); // 110 counted bytes
    expect(warnings).toEqual([110]);
    const restored = createEnvironment({ warnSize: 200, onSizeWarning: (s) => warnings.push(s) });
    await restored.engine.restore(await engine.serialize());
    restored.env.set("Grow", "z".repeat(40)); // 110 + 88 = 198: the document still not counted
    expect(warnings).toEqual([110]);
  });

  it("counts size as (name + value) x 2 and refuses a write over the limit, unchanged", () => {
    const warnings: number[] = [];
    const { env, engine } = createEnvironment({ maxSize: 40, warnSize: 20, onSizeWarning: (s) => warnings.push(s) });
    engine.applyLayers(noDefaults);
    env.set("AB", "cdef"); // 12 bytes
    expect(env.size).toBe(12);
    env.set("X", "12345"); // 12 bytes -> 24: warns once
    expect(warnings).toEqual([24]);
    const full = thrown(() => env.set("Y", "123456789"));
    expect(full.code).toBe("EnvironmentFull");
    expect(full.details?.hresult).toBe(0x8007000e);
    expect(env.has("Y")).toBe(false);
    expect(thrown(() => env.set("AB", "cdef" + "z".repeat(10))).code).toBe("EnvironmentFull");
    expect(env.get("AB")).toBe("cdef");
    expect(env.size).toBe(24);
    env.delete("X");
    env.set("Y", "123456789");
    expect(env.size).toBe(32);
    expect(warnings).toHaveLength(1);
  });

  it("counts local step defaults in the size and frees them on pop", () => {
    const { env, engine } = createEnvironment({ maxSize: 30 });
    engine.applyLayers(noDefaults);
    engine.pushStepDefaults("s", [{ name: "Abc", value: "defg" }]);
    expect(env.size).toBe(14);
    expect(thrown(() => env.set("Q", "x".repeat(8))).code).toBe("EnvironmentFull");
    engine.popStepDefaults();
    expect(env.size).toBe(0);
    env.set("Q", "x".repeat(8));
  });

  it("exposes count and a frozen snapshot with secrets masked", () => {
    const { env, engine } = createEnvironment();
    engine.applyLayers(noDefaults);
    env.set("A", "1");
    env.set("Token", "hidden-value", { secret: true });
    const snap = env.snapshot();
    expect(env.count).toBe(2);
    expect(Object.isFrozen(snap)).toBe(true);
    expect(snap.map((v) => v.value)).toEqual(["1", SECRET_MASK]);
    env.set("A", "2");
    expect(snap[0]?.value).toBe("1");
  });
});

describe("layers and precedence (spec §7)", () => {
  it("orders built-in < sequence < collections by priority < device < run time", () => {
    const { env, engine } = createEnvironment();
    engine.applyLayers({
      builtinDefaults: [{ name: "V", value: "builtin" }, { name: "SMSTSDownloadRetryCount", value: "2" }],
      sequence: [{ name: "V", value: "sequence" }, { name: "SeqOnly", value: "s" }],
      collections: [
        { id: "HIGH", priority: 9, variables: [{ name: "V", value: "high" }, { name: "C", value: "high" }] },
        { id: "LOW", priority: 1, variables: [{ name: "V", value: "low" }, { name: "C", value: "low" }] },
      ],
      device: [{ name: "v", value: "device" }],
    });
    expect(env.get("V")).toBe("device");
    expect(env.get("C")).toBe("high");
    expect(env.get("SeqOnly")).toBe("s");
    expect(env.get("SMSTSDownloadRetryCount")).toBe("2");
    const explained = env.explain("v");
    expect(explained).toMatchObject({ name: "V", value: "device", layer: "device", exists: true });
    expect(explained.overridden).toEqual([
      { layer: "collection", source: "HIGH", value: "high" },
      { layer: "collection", source: "LOW", value: "low" },
      { layer: "sequence", value: "sequence" },
      { layer: "builtin-default", value: "builtin" },
    ]);
    env.set("V", "run");
    expect(env.explain("V").layer).toBe("runtime");
    expect(env.explain("V").overridden[0]).toEqual({ layer: "device", value: "device" });
  });

  it("breaks a priority tie with the collection ID sorting last", () => {
    const { env, engine } = createEnvironment();
    engine.applyLayers({
      collections: [
        { id: "xyz00002", priority: 5, variables: [{ name: "T", value: "second" }] },
        { id: "XYZ00001", priority: 5, variables: [{ name: "T", value: "first" }] },
      ],
    });
    expect(env.get("T")).toBe("second");
  });

  it("uses media variables instead of collection and device variables", () => {
    const { env, engine } = createEnvironment();
    engine.applyLayers({
      collections: [{ id: "C", priority: 1, variables: [{ name: "Col", value: "c" }] }],
      device: [{ name: "Dev", value: "d" }],
      media: [{ name: "Med", value: "m" }],
    });
    expect([env.has("Col"), env.has("Dev"), env.get("Med")]).toEqual([false, false, "m"]);
    expect(env.explain("Med").layer).toBe("media");
  });

  it("keeps run-time values when layers are applied again and drops stale layer values", () => {
    const { env, engine } = createEnvironment();
    engine.applyLayers({ device: [{ name: "D", value: "1" }, { name: "R", value: "layer" }] });
    env.set("R", "runtime");
    engine.applyLayers({ device: [{ name: "E", value: "2" }, { name: "R", value: "layer2" }] });
    expect([env.has("D"), env.get("E"), env.get("R")]).toEqual([false, "2", "runtime"]);
  });

  it("refuses read-only and invalid names in layers without changing anything", () => {
    const { env, engine } = createEnvironment();
    expect(thrown(() => engine.applyLayers({ device: [{ name: "Ok", value: "1" }, { name: "_Bad", value: "2" }] })).code).toBe("ReadOnlyVariable");
    expect(thrown(() => engine.applyLayers({ media: [{ name: "Bad Name", value: "2" }] })).code).toBe("InvalidVariableName");
    expect(env.has("Ok")).toBe(false);
  });

  it("masks collection variables marked secret and keeps a once-secret name secret", () => {
    const { env, engine } = createEnvironment();
    engine.applyLayers({
      collections: [
        { id: "A", priority: 1, variables: [{ name: "Key", value: "masked-one", secret: true }] },
        { id: "B", priority: 2, variables: [{ name: "Key", value: "plain-two" }] },
      ],
    });
    expect(env.isSecret("Key")).toBe(true);
    expect(env.explain("Key").overridden).toEqual([{ layer: "collection", source: "A", value: SECRET_MASK }]);
  });
});

describe("step defaults (spec §8)", () => {
  it("adds a local default only when no global holds the name, and removes it after the step", () => {
    const { env, engine } = createEnvironment();
    engine.pushStepDefaults("Run Command Line", [{ name: "WorkingDirectory", value: "D:\\" }, { name: "Empty", value: "" }]);
    expect(env.get("WorkingDirectory")).toBe("D:\\");
    expect(env.explain("WorkingDirectory")).toMatchObject({ layer: "step", local: true });
    expect(env.has("Empty")).toBe(false);
    engine.popStepDefaults();
    expect(env.has("WorkingDirectory")).toBe(false);

    env.set("WorkingDirectory", "C:\\");
    engine.pushStepDefaults("Run Command Line", [{ name: "WorkingDirectory", value: "D:\\" }]);
    expect(env.get("WorkingDirectory")).toBe("C:\\");
    engine.popStepDefaults();
    env.delete("WorkingDirectory");
    engine.pushStepDefaults("Run Command Line", [{ name: "WorkingDirectory", value: "D:\\" }]);
    expect(env.get("WorkingDirectory")).toBe("D:\\");
    engine.popStepDefaults();
  });

  it("nested frames of the same names restore each other, and once all are popped nothing of them stays visible", () => {
    const { env, engine } = createEnvironment();
    env.set("CommandLine", "global.exe");
    for (let round = 0; round < 3; round++) {
      engine.pushStepDefaults("outer", [{ name: "WorkingDirectory", value: "C:\\" }, { name: "CommandLine", value: "outer.exe", fixed: true }]);
      engine.pushStepDefaults("inner", [{ name: "WorkingDirectory", value: "D:\\" }, { name: "Extra", value: "inner only" }]);
      expect([env.get("WorkingDirectory"), env.get("CommandLine"), env.get("Extra")]).toEqual(["D:\\", "outer.exe", "inner only"]);
      engine.popStepDefaults();
      expect([env.get("WorkingDirectory"), env.get("CommandLine")]).toEqual(["C:\\", "outer.exe"]);
      expect(env.GetVariables()).toEqual(["CommandLine", "WorkingDirectory"]);
      engine.popStepDefaults();
      expect([env.get("WorkingDirectory"), env.get("CommandLine")]).toEqual([undefined, "global.exe"]);
      expect(env.GetVariables()).toEqual(["CommandLine"]);
      expect(env.entries().map((v) => [v.name, v.local])).toEqual([["CommandLine", false]]);
    }
  });

  it("lets a global set during the step override the default at once and survive the step", () => {
    const { env, engine } = createEnvironment();
    engine.pushStepDefaults("s", [{ name: "OSDDiskIndex", value: "0" }]);
    expect(env.get("OSDDiskIndex")).toBe("0");
    env.set("OSDDiskIndex", "1");
    expect(env.get("OSDDiskIndex")).toBe("1");
    expect(env.explain("OSDDiskIndex").overridden).toEqual([{ layer: "step", value: "0" }]);
    engine.popStepDefaults();
    expect(env.get("OSDDiskIndex")).toBe("1");
  });

  it("keeps fixed settings over a global while the step runs", () => {
    const { env, engine } = createEnvironment();
    env.set("CommandLine", "evil.exe");
    engine.pushStepDefaults("s", [{ name: "CommandLine", value: "good.exe", fixed: true }]);
    expect(env.get("CommandLine")).toBe("good.exe");
    expect(env.explain("CommandLine").overridden).toEqual([{ layer: "runtime", value: "evil.exe" }]);
    engine.popStepDefaults();
    expect(env.get("CommandLine")).toBe("evil.exe");
  });

  it("lets the engine push underscore action variables but not scripts", () => {
    const { env, engine } = createEnvironment();
    engine.pushStepDefaults("s", [{ name: "_SMSTSRunCommandLineAsUser", value: "true" }]);
    expect(env.get("_SMSTSRunCommandLineAsUser")).toBe("true");
    expect(thrown(() => env.set("_SMSTSRunCommandLineAsUser", "false")).code).toBe("ReadOnlyVariable");
    engine.popStepDefaults();
  });

  it("hides hidden entries from entries() but not from GetVariables()", () => {
    const { env, engine } = createEnvironment();
    engine.applyLayers(noDefaults);
    engine.pushStepDefaults("s", [{ name: "PackageID", value: "ABC00001", hidden: true }, { name: "UserPassword", value: "runas-pw", secret: true }]);
    expect(env.entries().map((v) => v.name)).toEqual(["UserPassword"]);
    expect(env.entries()[0]).toMatchObject({ value: SECRET_MASK, local: true });
    expect(env.GetVariables()).toEqual(["PackageID", "UserPassword"]);
    engine.popStepDefaults();
  });

  it("lets the last entry win when a step lists a name twice, and restores the size on pop", () => {
    const { env, engine } = createEnvironment();
    engine.applyLayers(noDefaults);
    engine.pushStepDefaults("s", [{ name: "Dup", value: "first" }, { name: "DUP", value: "second!" }]);
    expect(env.get("dup")).toBe("second!");
    expect(env.size).toBe((3 + 7) * 2);
    engine.popStepDefaults();
    expect([env.has("Dup"), env.size]).toEqual([false, 0]);
  });

  it("restores an outer frame's default when an inner frame pops", () => {
    const { env, engine } = createEnvironment();
    engine.applyLayers(noDefaults);
    engine.pushStepDefaults("outer", [{ name: "X", value: "outer" }]);
    engine.pushStepDefaults("inner", [{ name: "X", value: "inner" }]);
    expect(env.get("X")).toBe("inner");
    engine.popStepDefaults();
    expect([env.get("X"), env.size]).toEqual(["outer", 12]);
    engine.popStepDefaults();
    expect(env.size).toBe(0);
  });

  it("refuses an invalid default name and a pop without a push", () => {
    const { engine } = createEnvironment();
    expect(thrown(() => engine.pushStepDefaults("s", [{ name: "Bad Name", value: "x" }])).code).toBe("InvalidVariableName");
    expect(thrown(() => engine.popStepDefaults()).code).toBe("InvalidOperation");
  });

  it("adds no default of a frame that fails (a bad name after good ones, or the size limit)", () => {
    const { env, engine } = createEnvironment({ maxSize: 64 });
    expect(thrown(() => engine.pushStepDefaults("s", [{ name: "Good", value: "x" }, { name: "Bad Name", value: "x" }])).code).toBe("InvalidVariableName");
    expect(thrown(() => engine.pushStepDefaults("s", [{ name: "Good", value: "x" }, { name: "Big", value: "y".repeat(40) }])).code).toBe("EnvironmentFull");
    expect(env.has("Good")).toBe(false);
    expect(env.size).toBe(0);
    expect(thrown(() => engine.popStepDefaults()).code).toBe("InvalidOperation");
  });
});

describe("journal", () => {
  it("records every change with layer, step and masked secrets; changesSince returns only later changes", () => {
    const { env, engine } = createEnvironment();
    engine.applyLayers(noDefaults);
    const start = env.mark();
    env.set("A", "1");
    engine.setCurrentStep("Set Password");
    env.set("AdminPassword", "clear-pw");
    const middle = env.mark();
    env.set("a", "2");
    env.delete("A");
    engine.setCurrentStep(undefined);
    expect(env.changesSince(start)).toEqual([
      { seq: start + 1, name: "A", oldValue: undefined, newValue: "1", layer: "runtime", secret: false },
      { seq: start + 2, name: "AdminPassword", oldValue: undefined, newValue: SECRET_MASK, layer: "runtime", step: "Set Password", secret: true },
      { seq: start + 3, name: "A", oldValue: "1", newValue: "2", layer: "runtime", step: "Set Password", secret: false },
      { seq: start + 4, name: "A", oldValue: "2", newValue: undefined, layer: "runtime", step: "Set Password", secret: false },
    ]);
    expect(env.changesSince(middle).map((r) => r.seq)).toEqual([middle + 1, middle + 2]);
    engine.compactJournal(middle);
    expect(env.changesSince(start).map((r) => r.seq)).toEqual([middle + 1, middle + 2]);
    expect(env.changesSince(env.mark())).toEqual([]);
  });

  it("stays bounded when a script writes in a loop: records of one variable merge, the latest value wins", () => {
    const { env, engine } = createEnvironment();
    engine.applyLayers(noDefaults);
    env.set("Other", "x");
    const start = env.mark();
    env.set("Loop", "first");
    for (let i = 0; i < 150_000; i++) env.Value("Loop", String(i));
    env.set("After", "y");
    const changes = env.changesSince(start);
    expect(changes.length).toBeLessThan(70_000);
    const loop = changes.filter((c) => c.name === "Loop");
    expect(loop.at(-1)).toMatchObject({ newValue: "149999" });
    expect(changes.at(-1)).toMatchObject({ name: "After", seq: env.mark() });
    expect(changes.map((c) => c.seq)).toEqual([...changes.map((c) => c.seq)].sort((a, b) => a - b));
    expect(changes.some((c) => c.name === "Other")).toBe(false);
  });

  it("does not journal a delete of an absent variable", () => {
    const { env } = createEnvironment();
    const m = env.mark();
    env.delete("Absent");
    expect(env.changesSince(m)).toEqual([]);
  });
});

describe("secrets (spec §9)", () => {
  it("treats names ending in Password and the listed names as secret", () => {
    const { env } = createEnvironment();
    env.set("MyServicePASSWORD", "a1");
    env.set("OSDProductKey", "KEY-1");
    env.set("Plain", "p");
    expect([env.isSecret("MyServicePassword"), env.isSecret("osdproductkey"), env.isSecret("Plain")]).toEqual([true, true, false]);
  });

  it("does not treat the switches ending in Password as secret: the log keeps every true, false, YES and NO", () => {
    const { env, engine } = createEnvironment();
    engine.pushStepDefaults("Apply Windows Settings", [{ name: "OSDRandomAdminPassword", value: "false" }]);
    env.set("SkipAdminPassword", "YES");
    expect([env.isSecret("OSDRandomAdminPassword"), env.isSecret("SkipAdminPassword")]).toEqual([false, false]);
    expect(env.redact("_SMSTSLastActionSucceeded=false SkipCapture=YES")).toBe("_SMSTSLastActionSucceeded=false SkipCapture=YES");
  });

  it("does not treat Enable BitLocker's recovery key destination as secret: AD stays readable in the log, also inside words", () => {
    const { env, engine } = createEnvironment();
    engine.pushStepDefaults("Enable BitLocker", [{ name: "OSDBitLockerCreateRecoveryPassword", value: "AD" }]);
    env.set("CreateRecoveryPassword", "AD");
    env.set("OSDBitLockerRecoveryPassword", "111111-222222");
    expect([env.isSecret("OSDBitLockerCreateRecoveryPassword"), env.isSecret("CreateRecoveryPassword"), env.isSecret("OSDBitLockerRecoveryPassword")]).toEqual([false, false, true]);
    expect(env.redact("Loading ADK; the recovery key goes to AD")).toBe("Loading ADK; the recovery key goes to AD");
  });

  it("keeps the flag on overwrite and clears it on delete", () => {
    const { env } = createEnvironment();
    env.set("Tok", "one", { secret: true });
    env.set("Tok", "two");
    expect(env.isSecret("Tok")).toBe(true);
    env.delete("Tok");
    env.set("Tok", "three");
    expect(env.isSecret("Tok")).toBe(false);
  });

  it("redacts every value that was ever secret, longest first, even after deletion", () => {
    const { env } = createEnvironment();
    env.set("A", "abc", { secret: true });
    env.set("B", "abcdef", { secret: true });
    env.delete("A");
    expect(env.redact("x abcdef y abc z")).toBe(`x ${SECRET_MASK} y ${SECRET_MASK} z`);
    expect(env.redact("nothing")).toBe("nothing");
  });

  it("masks secret text inside a variable that is not secret in entries, snapshot and explain; get and the journal keep the real value (§9.2)", () => {
    const { env, engine } = createEnvironment();
    engine.applyLayers({
      ...noDefaults,
      collections: [{ id: "C1", priority: 1, variables: [{ name: "Conn", value: "db;pw=Pa55word!" }] }],
      device: [{ name: "OSDJoinPassword", value: "Pa55word!" }],
    });
    const start = env.mark();
    env.set("Copy", env.expand("user=admin;pw=%OSDJoinPassword%"));
    env.set("Conn", "db;pw=Pa55word!;retry");
    engine.pushStepDefaults("s", [{ name: "CommandLine", value: "net use /p:Pa55word!" }]);
    expect(env.isSecret("Copy")).toBe(false);
    expect(env.get("Copy")).toBe("user=admin;pw=Pa55word!");
    const copy = { name: "Copy", value: `user=admin;pw=${SECRET_MASK}`, secret: false, readOnly: false, layer: "runtime", local: false };
    expect(env.entries().find((v) => v.name === "Copy")).toEqual(copy);
    expect(env.snapshot().find((v) => v.name === "Copy")).toEqual(copy);
    expect(env.entries().find((v) => v.name === "CommandLine")?.value).toBe(`net use /p:${SECRET_MASK}`);
    expect(env.explain("Copy").value).toBe(`user=admin;pw=${SECRET_MASK}`);
    expect(env.explain("Conn")).toMatchObject({ value: `db;pw=${SECRET_MASK};retry`, overridden: [{ layer: "collection", source: "C1", value: `db;pw=${SECRET_MASK}` }] });
    expect(env.explain("CommandLine").value).toBe(`net use /p:${SECRET_MASK}`);
    expect(JSON.stringify([env.entries(), env.snapshot(), env.explain("Copy"), env.explain("Conn"), env.explain("CommandLine")])).not.toContain("Pa55word!");
    // The journal is what the engine persists (sealing such values): it keeps the value as written.
    expect(env.changesSince(start).find((c) => c.name === "Copy")?.newValue).toBe("user=admin;pw=Pa55word!");
  });

  it("returns real values to scripts through Value()", () => {
    const { env } = createEnvironment();
    env.set("OSDJoinPassword", "real");
    expect(env.Value("OSDJoinPassword")).toBe("real");
  });
});

describe("arrays and lists (spec §10)", () => {
  it("reads a two-digit list up to the first gap and appends to it", () => {
    const { env } = createEnvironment();
    env.set("AA01", "App One");
    env.set("AA02", "App Two");
    env.set("AA04", "Unreached");
    expect(env.readList("AA", 2)).toEqual(["App One", "App Two"]);
    expect(env.appendToList("AA", "App Three", 2)).toBe("AA03");
    expect(env.readList("aa", 2)).toEqual(["App One", "App Two", "App Three", "Unreached"]);
  });

  it("reads and appends three-digit package lists", () => {
    const { env } = createEnvironment();
    expect(env.readList("PKG", 3)).toEqual([]);
    expect(env.appendToList("PKG", "CEN00054:Install", 3)).toBe("PKG001");
    expect(env.readList("PKG", 3)).toEqual(["CEN00054:Install"]);
  });

  it("refuses to append past 99 two-digit entries", () => {
    const { env } = createEnvironment();
    for (let i = 1; i <= 99; i++) env.set(`L${String(i).padStart(2, "0")}`, `v${i}`);
    expect(env.readList("L", 2)).toHaveLength(99);
    expect(thrown(() => env.appendToList("L", "x", 2)).code).toBe("InvalidOperation");
  });

  it("reads zero-based property arrays, with or without a count", () => {
    const { env } = createEnvironment();
    env.set("OSDPartitions0Type", "Primary");
    env.set("OSDPartitions0FileSystem", "NTFS");
    env.set("OSDPartitions1Type", "Recovery");
    env.set("OSDPartitions3Type", "Unreached");
    expect(env.readArray("OSDPartitions", ["Type", "FileSystem"])).toEqual([{ Type: "Primary", FileSystem: "NTFS" }, { Type: "Recovery" }]);
    expect(env.readArray("OSDPartitions", ["Type"], 4)).toEqual([{ Type: "Primary" }, { Type: "Recovery" }, {}, { Type: "Unreached" }]);
    for (const bad of [-1, 1.5, 1e9, Number.NaN]) expect(thrown(() => env.readArray("OSDPartitions", ["Type"], bad)).code).toBe("InvalidArgument");
  });
});

describe("clear", () => {
  it("deletes every variable through the engine handle", () => {
    const { env, engine } = createEnvironment();
    engine.set("_SMSTSType", "2");
    env.set("A", "1");
    engine.clear();
    expect(env.GetVariables()).toEqual([]);
    expect(env.size).toBe(0);
  });
});

describe("secretsIn", () => {
  it("lists the values that have been secret during the run and occur in a text, longest first", () => {
    const { env } = createEnvironment();
    expect(env.secretsIn("anything")).toEqual([]);
    env.set("Short", "ab12", { secret: true });
    env.set("Long", "ab12cd34", { secret: true });
    env.delete("Short"); // once secret, always masked
    expect(env.secretsIn("x ab12cd34 y ab12")).toEqual(["ab12cd34", "ab12"]);
    expect(env.secretsIn("nothing here")).toEqual([]);
  });
});
