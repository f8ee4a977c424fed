/**
 * Behaviours of Windows PowerShell 5.1 that custom-step scripts rely on, each found where the
 * PowerShell-style language used to differ: the script runs in the sandbox and its output is
 * compared with what powershell.exe prints.
 */
import { afterAll, describe, expect, it } from "vitest";
import { isTaskSeqError } from "@taskseq/model";
import { compilePowerShell } from "@taskseq/script";
import { createPsKit } from "./powershell-kit.js";
import { testEnvironment } from "./script-test-kit.js";

const kit = createPsKit();
afterAll(() => kit[Symbol.dispose]());

describe("a statement may follow a block statement on the same line", () => {
  it.each([
    ["if", 'if ($false) { } "hi"', ["hi"]],
    ["a one-line function with an early return", "function Get-Factorial($n) { if ($n -le 1) { return 1 } $n * (Get-Factorial ($n - 1)) }\nGet-Factorial 5", ["120"]],
    ["switch inside foreach", 'foreach ($i in 1..3) { switch ($i) { 2 { continue } } "i$i" }', ["i1", "i2", "i3"]],
    ["try/catch", 'try { throw "x" } catch { "caught" } "after"', ["caught", "after"]],
    ["function", 'function f { "f" } f', ["f"]],
    ["for, while and do", '$j = 0; for ($i = 0; $i -lt 1; $i++) { "for" } while ($j -lt 1) { $j++ } do { "do" } while ($false) "end"', ["for", "do", "end"]],
  ] as const)("%s", async (_name, source, expected) => {
    expect(await kit.lines(source)).toEqual(expected);
  });

  it("a pipeline still needs a separator", async () => {
    const r = await kit.run('"a" "b"');
    expect(r.error?.code).toBe("ScriptError");
  });
});

describe("hashtables", () => {
  it("a key named Count, Keys or Values wins over the property, as in PowerShell", async () => {
    const source = '$stats = @{ Count = 5; Keys = "k" }; $stats.Count; $stats.Keys; $stats.Values.Count; $stats.Count++; $stats["Count"]; @{ a = 1 }.Count';
    expect(await kit.lines(source)).toEqual(["5", "k", "2", "6", "1"]);
  });
});

describe("the -f operator", () => {
  it("formats a $null operand as an empty string", async () => {
    expect(await kit.lines('$cs = [pscustomobject]@{ Name = "PC1" }; "Model: [{0}]" -f $cs.Model; "{0}|{1}" -f $null, 2')).toEqual(["Model: []", "|2"]);
  });
});

describe("ArrayList and List[T]", () => {
  it("List[T].Add writes nothing and Remove writes whether it found the item; ArrayList.Add writes the index", async () => {
    const source = `
function Get-Names {
  $names = New-Object System.Collections.Generic.List[System.String]
  foreach ($n in "a", "b") { $names.Add($n) }
  $names
}
Get-Names
$l = New-Object System.Collections.Generic.List[string]
$l.Add("x"); $l.Remove("x"); $l.Remove("y"); $l.GetType().Name
$a = New-Object System.Collections.ArrayList
$a.Add("x"); $a.Remove("x"); $a.GetType().Name`;
    expect(await kit.lines(source)).toEqual(["a", "b", "True", "False", "List`1", "0", "ArrayList"]);
  });

  it("a collection passed to a parameter of its type is the same collection", async () => {
    const source = `
function Add-Log { param([System.Collections.ArrayList]$Log, [string]$Message) [void]$Log.Add($Message) }
function Add-Name { param([System.Collections.Generic.List[string]]$Names) $Names.Add("n") }
$log = New-Object System.Collections.ArrayList
Add-Log -Log $log -Message "started"
Add-Log $log "done"
$names = [System.Collections.Generic.List[string]]@()
Add-Name $names
"$($log.Count) $($names.Count)"
$copy = [System.Collections.ArrayList]@(1, 2)
$copy -is [System.Collections.ArrayList]; @(1, 2) -is [System.Collections.ArrayList]`;
    expect(await kit.lines(source)).toEqual(["2 1", "True", "False"]);
  });
});

describe("New-Object", () => {
  it.each([
    ["System.Exception", '$e = New-Object System.Exception "failed"'],
    ["TimeSpan", "$t = New-Object TimeSpan 0, 5, 0"],
    ["String", '$s = New-Object String "x"'],
  ])("of a type it cannot create (%s) fails before running with ScriptUnsupported", async (_name, source) => {
    const r = await kit.run(`"before"\ntry { ${source} } catch { "caught" }`);
    expect(r.error?.code).toBe("ScriptUnsupported");
  });

  it("creates an OrderedDictionary and a List of a System. element type", async () => {
    const source = '$h = New-Object System.Collections.Specialized.OrderedDictionary; $h["b"] = 1; $h["a"] = 2; $h.Keys -join ","\n$p = New-Object System.Management.Automation.PSCustomObject; $p.GetType().Name';
    expect(await kit.lines(source)).toEqual(["b,a", "PSCustomObject"]);
  });
});

describe("numbers as text", () => {
  it("a double is written with 15 significant digits, as .NET Framework writes it", async () => {
    const source = '$t = New-Object -ComObject Microsoft.SMS.TSEnvironment; $t.Value("DiskGB") = 510770413568 / 1GB; $t.Value("DiskGB"); 0.1 + 0.2; "$(1 / 3)"; 0.0001234; 1.5e-7; 999999999999999.9; 1e300 * 10; 2.5';
    expect(await kit.lines(source, { env: testEnvironment() })).toEqual(["475.692016601563", "0.3", "0.333333333333333", "0.0001234", "1.5E-07", "1E+15", "1E+301", "2.5"]);
  });
});

describe("dates", () => {
  it("AddMonths and AddYears keep the day or take the last day of a shorter month", async () => {
    const source = `$d = [datetime]"2024-01-31 10:15"
$d.AddMonths(1).ToString("yyyy-MM-dd HH:mm"); $d.AddMonths(-2).ToString("yyyy-MM-dd"); $d.AddMonths(13).ToString("yyyy-MM-dd")
([datetime]"2024-02-29").AddYears(1).ToString("yyyy-MM-dd"); ([datetime]"2024-02-29").AddYears(4).ToString("yyyy-MM-dd"); ([datetime]"2024-05-15").AddMonths(-17).ToString("yyyy-MM-dd")`;
    expect(await kit.lines(source)).toEqual(["2024-02-29 10:15", "2023-11-30", "2025-02-28", "2025-02-28", "2028-02-29", "2022-12-15"]);
  });
});

describe("long operator chains", () => {
  it.each([
    ["additions", `$x = ${Array.from({ length: 5000 }, () => "1").join(" + ")}`],
    ["-and", `$ok = $true${" -and $true".repeat(5000)}`],
    ["member accesses", `$x = $a${".b".repeat(20000)}`],
    ["indexes", `$x = $a${"[0]".repeat(20000)}`],
  ])("of %s are refused as too deep with a ScriptError, not a host stack overflow", (_name, source) => {
    let error: unknown;
    try {
      compilePowerShell(source);
    } catch (e) {
      error = e;
    }
    expect(isTaskSeqError(error, "ScriptError")).toBe(true);
    expect((error as Error).message).toMatch(/nested more than 200 levels deep \(line 1, column \d+\)/);
  });

  it("ordinary chains still compile and run", async () => {
    expect(await kit.lines(`$x = ${Array.from({ length: 150 }, () => "1").join(" + ")}; $x; $o = @{ a = @{ b = @(@{ c = 'deep' }) } }; $o.a.b[0].c`)).toEqual(["150", "deep"]);
  });
});
