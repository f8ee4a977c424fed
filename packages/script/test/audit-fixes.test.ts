/**
 * Fixes from the script audit: `$env:` from the device's `os` view, signed HRESULTs, warnings of
 * `Create()`/`Clear()`, `ULONG` checks of `TsProgressUI`, `ScriptUnsupported` for valid but
 * unimplemented PowerShell, and `$args` for a script without `param()`.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createPsKit } from "./powershell-kit.js";
import { testEnvironment } from "./script-test-kit.js";

const kit = createPsKit();
afterAll(() => kit[Symbol.dispose]());

const HEADER = "$tsenv = New-Object -ComObject Microsoft.SMS.TSEnvironment\n";

describe("$env: reads the device's process environment (com-api.md §1.3)", () => {
  it("reads $env:windir from the os view, case-insensitively; unset names are $null", async () => {
    const device = { os: { environmentVariables: () => ({ WINDIR: "C:\\Windows", SystemRoot: "C:\\Windows" }) } };
    const lines = await kit.lines('"w=$env:windir s=$env:systemroot n=$($null -eq $env:NOPE)"', { device });
    expect(lines).toEqual(["w=C:\\Windows s=C:\\Windows n=True"]);
  });

  it("a script's own assignment to $env: wins over the device's value", async () => {
    const device = { os: { environmentVariables: () => ({ TEMP: "C:\\Temp" }) } };
    expect(await kit.lines('$env:TEMP = "D:\\x"; $env:TEMP', { device })).toEqual(["D:\\x"]);
  });
});

describe("HRESULTs are signed Int32s as in PowerShell 5.1", () => {
  it("a refused put gives HResult -2147024891, equal to the literal 0x80070005", async () => {
    const lines = await kit.lines(`${HEADER}
try { $tsenv.Value("_SMSTSLogPath") = "x" } catch { "$($_.Exception.HResult) $($_.Exception.HResult -eq 0x80070005) $(0x80070005) $('0x{0:X8}' -f $_.Exception.HResult)" }`, { env: testEnvironment() });
    expect(lines).toEqual(["-2147024891 True -2147024891 0x80070005"]);
  });

  it("hex literals: 32-bit values are Int32, the L suffix and wider values are Int64", async () => {
    expect(await kit.lines("0xFFFFFFFF; 0x7FFFFFFF; 0x80070005L; 0x100000000")).toEqual(["-1", "2147483647", "2147942405", "4294967296"]);
  });
});

describe("Create() and Clear() from PowerShell (com-api.md §1.2)", () => {
  it.each(["Create", "Clear"])("%s() is refused with E_ACCESSDENIED and logged as a warning", async (method) => {
    const r = await kit.ok(`${HEADER}try { $tsenv.${method}() } catch { "hr=$($_.Exception.HResult)" }`, { env: testEnvironment() });
    expect(r.records.filter((x) => x.stream === "output").map((x) => x.text)).toEqual(["hr=-2147024891"]);
    expect(r.logLines).toEqual([{ level: "warning", text: `TSEnvironment.${method}() is not available to scripts.` }]);
  });
});

describe("TsProgressUI ULONGs (com-api.md §2.2)", () => {
  it("ShowMessage accepts any ULONG uType, such as 64 (MB_ICONINFORMATION); ShowMessageEx answers by the low 4 bits", async () => {
    const r = await kit.ok(`$ui = New-Object -ComObject Microsoft.SMS.TsProgressUI
$ui.ShowMessage("Done", "Info", 64)
$a = 0; $ui.ShowMessageEx("Go?", "Q", 68, [ref]$a); "a=$a"`, { env: testEnvironment() });
    expect(r.records.filter((x) => x.stream === "output").map((x) => x.text)).toEqual(["a=6"]);
    expect(r.events.map((e) => (e.type === "message" ? e.buttons : e.type))).toEqual([64, 68]);
  });

  it.each([["$true"], ['"7"'], ["1.5"], ["-1"]])("refuses %s as a ULONG with E_INVALIDARG", async (value) => {
    const lines = await kit.lines(`$ui = New-Object -ComObject Microsoft.SMS.TsProgressUI
try { $ui.ShowSwapMediaDialog("TS", ${value}); "ok" } catch { '0x{0:X8}' -f $_.Exception.HResult }`, { env: testEnvironment() });
    expect(lines).toEqual(["0x80070057"]);
  });
});

describe("valid PowerShell outside the subset fails with ScriptUnsupported (steps.md §5.5)", () => {
  it.each([
    ["the unary comma", "$a = ,1"],
    ["the unary comma inside an expression", "$a = @(1) + ,(2,3)"],
    ["assignment to several variables", "$a, $b = 1, 2"],
    ["& with a literal path to a program", '& "C:\\Windows\\System32\\reg.exe" query HKLM'],
    ["& with a single-quoted program name", "& 'reg.exe' query HKLM"],
    ["a static method the runtime lacks", '[Convert]::ToSByte("3")'],
  ])("%s", async (_label, source) => {
    const r = await kit.run(`try { ${source} } catch { "caught" }; exit 0`);
    expect(r.error?.code).toBe("ScriptUnsupported");
  });

  it("& with a literal name of a function or cmdlet still runs", async () => {
    expect(await kit.lines("function f { 'f' }; & 'f'; & \"Write-Output\" x")).toEqual(["f", "x"]);
  });

  it("[Convert]::ToUInt32 converts to an unsigned 32-bit integer", async () => {
    expect(await kit.lines('[Convert]::ToUInt32("3"); [Convert]::ToUInt32("ff", 16); [Convert]::ToUInt32(4294967295); try { [Convert]::ToUInt32(-1) } catch { "overflow" }')).toEqual([
      "3",
      "255",
      "4294967295",
      "overflow",
    ]);
  });
});

describe("$args of a script or function without parameters", () => {
  const show = `"n=$($args.Count) [$($args -join '|')]"`;

  it("a script without param() receives its command-line arguments, named ones included, in $args", async () => {
    expect(await kit.lines(show, { arguments: "-Mode Full x" })).toEqual(["n=3 [-Mode|Full|x]"]);
  });

  it("a script without param() receives the run's parameters in $args", async () => {
    expect(await kit.lines(show, { parameters: { Mode: "Full" } })).toEqual(["n=2 [-Mode|Full]"]);
  });

  it("a function without parameters receives named arguments in $args", async () => {
    expect(await kit.lines(`function f { ${show} }; f -Mode Full 2`)).toEqual(["n=3 [-Mode|Full|2]"]);
  });

  it("a script with param() still binds and refuses unknown names", async () => {
    expect(await kit.lines('param($Mode) "m=$Mode n=$($args.Count)"', { arguments: "-Mode Full x" })).toEqual(["m=Full n=1"]);
    const r = await kit.run('param($Mode) "m=$Mode"', { arguments: "-Other 1" });
    expect(r.value?.records.find((x) => x.stream === "error")?.text).toMatch(/A parameter cannot be found/);
    // The script's own parameters fail before its first line: no "(line 0)".
    const missing = await kit.run("param([Parameter(Mandatory)][string]$A)\n$A", { arguments: "" });
    expect(missing.value?.records.find((x) => x.stream === "error")?.text).toBe("Cannot process command because of one or more missing mandatory parameters: A.");
  });
});
