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

describe("exit, return, break and continue with finally", () => {
  it.each([
    ["exit in try", 'try { exit 2 } finally { "fin" }\n"not reached"', ["fin"], 2],
    ["exit in a function called in try", 'function Stop-Script { exit 3 }\ntry { Stop-Script } catch { "caught" } finally { "fin" }\n"not reached"', ["fin"], 3],
    ["nested finally blocks, which may catch errors of their own", 'try { try { exit 4 } finally { "inner" } } finally { "outer"; try { throw "x" } catch { "caught in finally" } }', ["inner", "outer", "caught in finally"], 4],
    ["exit in finally replaces the code", "try { exit 5 } finally { exit 6 }", [], 6],
    ["exit in ForEach-Object keeps what was written before", '1..3 | ForEach-Object { try { if ($_ -eq 2) { exit 7 }; "v$_" } finally { "f$_" } }', ["v1", "f1", "f2"], 7],
    ["return, continue and break", 'function Get-One { try { return 1 } finally { "fin" } }\nGet-One\nforeach ($i in 1..3) { try { if ($i -eq 1) { continue }; if ($i -eq 3) { break }; "i$i" } finally { "f$i" } }', ["1", "fin", "f1", "i2", "f2", "f3"], 0],
  ] as const)("the finally block runs after %s", async (_name, source, output, exitCode) => {
    const r = await kit.ok(source);
    expect([r.records.filter((x) => x.stream === "output").map((x) => x.text), r.exitCode]).toEqual([output, exitCode]);
  });

  it.each([
    ["return", 'try { "x" } finally { return }'],
    ["break out of the loop around", 'foreach ($i in 1) { try { } finally { break } }'],
    ["continue outside any loop", "try { } finally { continue }"],
  ])("%s out of a finally block is PowerShell's parse error, so a finally block cannot cancel exit", (_name, source) => {
    expect(() => compilePowerShell(source)).toThrow(/Flow of control cannot leave a Finally block \(line 1, column \d+\)/);
  });

  it("loops and switches inside a finally block still break", async () => {
    expect(await kit.lines('try { } finally { foreach ($i in 1..3) { if ($i -eq 2) { break }; "ok$i" }; switch (1) { 1 { "sw"; break } } }')).toEqual(["ok1", "sw"]);
  });
});

describe("$Error", () => {
  it("receives caught errors and non-terminating ones, newest first, except with -ErrorAction Ignore; Clear empties it", async () => {
    const source = `try { throw "first" } catch { }
"$($Error.Count) $($Error[0])"
try { try { throw "again" } catch { throw } } catch { }
"$($Error.Count) $($Error[0])"
Write-Error "written" -ErrorAction SilentlyContinue
Get-Item C:\\missing -ErrorAction Ignore
Get-Item C:\\missing 2>$null
try { Get-Item C:\\missing -ErrorAction Stop } catch { }
"$($Error.Count) $($Error[2])"
$Error.Clear(); $Error.Count
for ($i = 0; $i -lt 300; $i++) { try { throw "e$i" } catch { } }
"$($Error.Count) $($Error[0])"`;
    expect(await kit.lines(source)).toEqual(["1 first", "2 again", "5 written", "0", "256 e299"]);
  });
});

describe("[Convert] and Parse", () => {
  it.each([
    ['[Convert]::ToInt32("ffffffff", 16)', "-1"],
    ['[Convert]::ToInt32("0x1F", 16)', "31"],
    ['[Convert]::ToInt32("-12", 10)', "-12"],
    ['[Convert]::ToUInt32("ffffffff", 16)', "4294967295"],
    ['[Convert]::ToInt64("ffffffffffffffff", 16)', "-1"],
    ['[Convert]::ToInt32(" 42 ")', "42"],
    ["[Convert]::ToInt32(2.5)", "2"],
    ["[Convert]::ToInt32($null)", "0"],
    ["[Convert]::ToString(-1, 16)", "ffffffff"],
    ["[Convert]::ToString(5000000000, 16)", "12a05f200"],
    ['[Convert]::ToDouble("1,234.5")', "1234.5"],
    ["[Convert]::ToBoolean($null)", "False"],
    ['[int]::Parse(" -42 ")', "-42"],
  ])("%s is %s", async (expression, expected) => {
    expect(await kit.lines(expression)).toEqual([expected]);
  });

  it.each([
    ['[Convert]::ToInt32("zz", 16)', "System.FormatException: Could not find any recognizable digits."],
    ['[Convert]::ToInt32("12abc", 10)', "System.FormatException: Additional non-parsable characters are at the end of the string."],
    ['[Convert]::ToInt32("100000000", 16)', "System.OverflowException: Value was either too large or too small for an Int32."],
    ['[Convert]::ToInt32("-1F", 16)', "System.ArgumentException: String cannot contain a minus sign if the base is not 10."],
    ['[Convert]::ToInt32("12", 3)', "System.ArgumentException: Invalid Base."],
    ['[Convert]::ToInt32("", 16)', "System.ArgumentOutOfRangeException: Index was out of range. Must be non-negative and less than the size of the collection."],
    ['[Convert]::ToUInt32("")', "System.FormatException: Input string was not in a correct format."],
    ['[Convert]::ToUInt32("-1")', "System.OverflowException: Value was either too large or too small for a UInt32."],
    ['[Convert]::ToInt32("1.5")', "System.FormatException: Input string was not in a correct format."],
    ["[Convert]::ToInt32(3000000000)", "System.OverflowException: Value was either too large or too small for an Int32."],
    ['[Convert]::ToDouble("abc")', "System.FormatException: Input string was not in a correct format."],
    ["[Convert]::ToString(10, 3)", "System.ArgumentException: Invalid Base."],
    ['[int]::Parse("0x10")', "System.FormatException: Input string was not in a correct format."],
    ['[double]::Parse("")', "System.FormatException: Input string was not in a correct format."],
  ])("%s is a terminating %s", async (expression, expected) => {
    expect(await kit.lines(`try { ${expression}; "no error" } catch { "$($_.Exception.GetType().FullName): $($_.Exception.Message)" }`)).toEqual([expected]);
  });
});

describe("long clause lists", () => {
  it.each([
    ["elseif", `$x = 4999\nif ($x -eq 0) { "0" }${Array.from({ length: 4999 }, (_, i) => ` elseif ($x -eq ${i + 1}) { "${i + 1}" }`).join("")} else { "none" }`, "4999"],
    ["catch", `try { throw "x" }${' catch [System.IO.IOException] { "io" }'.repeat(5000)} catch { "last" }`, "last"],
  ])("thousands of %s clauses compile and run", async (_name, source, expected) => {
    expect(await kit.lines(source)).toEqual([expected]);
  });
});

describe("Sort-Object -Unique", () => {
  it("drops objects whose sort keys are equal, case-insensitively unless -CaseSensitive", async () => {
    const source = `("b", "a", "B" | Sort-Object -Unique) -join ","
(3, 1, 3, 2 | Sort-Object -Unique -Descending) -join ","
$p = [pscustomobject]@{ N = "a"; V = 1 }, [pscustomobject]@{ N = "A"; V = 2 }, [pscustomobject]@{ N = "A"; V = 1 }
($p | Sort-Object N, V -Unique | ForEach-Object { "$($_.N)$($_.V)" }) -join ","`;
    expect(await kit.lines(source)).toEqual(["a,b", "3,2,1", "a1,A2"]);
  });
});

describe("String.Split", () => {
  it("a number after the separators is the count of parts, as in .NET (key=value lines)", async () => {
    const source = `"key=val=x".Split("=", 2)[1]
"a-b-c".Split("-", 1) -join "|"
"a,,b,c".Split(",", 2, "RemoveEmptyEntries") -join "|"
"a,b,,c,".Split(",", "RemoveEmptyEntries") -join "|"
"a,b,,c,".Split(",") -join "|"`;
    expect(await kit.lines(source)).toEqual(["val=x", "a-b-c", "a|b,c", "a|b|c", "a|b||c|"]);
  });
});
