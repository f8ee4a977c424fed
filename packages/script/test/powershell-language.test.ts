/**
 * The PowerShell-style language, construct by construct: each script runs in the QuickJS sandbox
 * and its output stream is compared line by line.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createPsKit } from "./powershell-kit.js";

const kit = createPsKit();
afterAll(() => kit[Symbol.dispose]());

/** [name, script, expected output lines] */
type Case = readonly [string, string, readonly string[]];

const cases: Record<string, readonly Case[]> = {
  "variables and strings": [
    ["expandable string", '$n = "World"; "Hello $n!"', ["Hello World!"]],
    ["verbatim string", "$n = 1; 'a $n ''b'''", ["a $n 'b'"]],
    ["subexpression", '$a = 2; "sum: $($a + 3)"', ["sum: 5"]],
    ["backtick escapes", '"a`tb`$c"', ["a\tb$c"]],
    ["braced variable", '${my var} = 3; "${my var}x"', ["3x"]],
    ["property not expanded without $()", '$o = [PSCustomObject]@{ A = 1 }; "$o.A"', ["@{A=1}.A"]],
    ["subexpressions and @() unroll one level", "$(@(7)); @($null).Count; @(@()).Count; $(1, 2).Count; @(1, @(2, 3)).Count; \"[$(@())]\"", ["7", "0", "0", "2", "2", "[]"]],
    ["a subexpression's error names its own line", "try {\n$x = $(\n1 / 0)\n} catch { $_.InvocationInfo.ScriptLineNumber }", ["3"]],
    ["here-string", '$x = 4\n$h = @"\nvalue: $x\n"quoted"\n"@\n$h', ['value: 4\n"quoted"']],
    ["verbatim here-string", "$h = @'\n$x stays\n'@\n$h", ["$x stays"]],
    ["case-insensitive variables", "$Name = 'a'; $NAME", ["a"]],
    ["$null output is nothing", "$null; 'after'; @(& { $null }).Count; @(1, $null, 2).Count", ["after", "0", "3"]],
    ["scoped variable", "$script:x = 5; function f { $script:x = 6 }; f; $x", ["6"]],
  ],
  numbers: [
    ["arithmetic", "1 + 2 * 3; 10 / 4; 7 % 3; -5 + 2", ["7", "2.5", "1", "-3"]],
    ["size suffixes and hex", "1KB; 2MB; 0x10; 1.5GB", ["1024", "2097152", "16", "1610612736"]],
    ["string on the left concatenates", '"1" + 2; 1 + "2"', ["12", "3"]],
    ["string repetition", '"ab" * 3', ["ababab"]],
    ["int cast rounds to even", "[int]2.5; [int]3.5; [int]'42'", ["2", "4", "42"]],
    ["increment and compound assignment", "$i = 1; $i++; $i += 5; $i -= 2; $i *= 3; $i", ["15"]],
    ["postfix value", "$i = 1; $j = $i++; \"$i $j\"", ["2 1"]],
    ["range", "1..4 -join ','; 3..1 -join ','", ["1,2,3,4", "3,2,1"]],
    ["math", "[math]::Round(2.567, 2); [math]::Floor(2.9); [math]::Max(3, 9); [math]::Round(2.5)", ["2.57", "2", "9", "2"]],
    ["division of GB", "[math]::Round(500107862016 / 1GB, 1)", ["465.8"]],
  ],
  operators: [
    ["case-insensitive equality", "'ABC' -eq 'abc'; 'ABC' -ceq 'abc'", ["True", "False"]],
    ["comparisons convert to the left type", "'10' -gt 9; 10 -gt '9'", ["False", "True"]],
    ["array left operand filters", "@(1,2,3,4) -gt 2", ["3", "4"]],
    ["like and notlike", "'HP EliteBook 840' -like '*elitebook*'; 'Dell' -notlike 'D*'", ["True", "False"]],
    ["match sets $matches", "if ('Model: X1 Carbon' -match 'Model: (?<m>.+)') { $matches.m; $matches[0] }", ["X1 Carbon", "Model: X1 Carbon"]],
    ["replace with groups", "'2026-11-21' -replace '(\\d+)-(\\d+)-(\\d+)', '$3.$2.$1'", ["21.11.2026"]],
    ["split and join", "('a,b,,c' -split ',').Count; 'a b  c' -split '\\s+' -join '|'", ["4", "a|b|c"]],
    ["contains and in", "@('a','b') -contains 'B'; 'x' -in @('y','z'); 3 -notin 1,2", ["True", "False", "True"]],
    ["format operator", "'{0}-{1:D3} {2:N1} {3,5}|' -f 'PC', 7, 1234.56, 'r'", ["PC-007 1,234.6     r|"]],
    ["logical operators", "(1 -eq 1) -and (2 -gt 3); -not $false; !$true -or $true", ["False", "True", "True"]],
    ["null comparisons", "$null -eq $x; $x -eq $null; '' -eq $null", ["True", "True", "False"]],
    ["is and as", "5 -is [int]; 'a' -is [string]; '5' -as [int]; $null -eq ('x' -as [int])", ["True", "True", "5", "True"]],
    ["version compare", "[version]'10.0.19045' -gt [version]'10.0.9600'; ([version]'1.2.3').Minor", ["True", "2"]],
    ["bitwise", "5 -band 3; 5 -bor 2; 1 -shl 4", ["1", "7", "16"]],
  ],
  collections: [
    ["array literal and index", "$a = 1,2,3; $a[0]; $a[-1]; $a.Count", ["1", "3", "3"]],
    ["array subexpression", "@().Count; @(5).Count; @(1,2) + 3 -join ','", ["0", "1", "1,2,3"]],
    ["array append", "$a = @(); $a += 'x'; $a += 'y'; $a -join '+'", ["x+y"]],
    ["hashtable", "$h = @{ Name = 'PC1'; Size = 3 }; $h.Name; $h['size']; $h.Count; $h.ContainsKey('NAME')", ["PC1", "3", "2", "True"]],
    ["hashtable set and add", "$h = @{}; $h.A = 1; $h['B'] = 2; $h.Add('C', 3); ($h.Keys | Sort-Object) -join ','", ["A,B,C"]],
    ["ordered keys", "$h = [ordered]@{ z = 1; a = 2 }; $h.Keys -join ','", ["z,a"]],
    ["PSCustomObject", "$o = [PSCustomObject]@{ Make = 'HP'; Model = 'X' }; $o.Make; $o.model; \"$($o.Model)!\"", ["HP", "X", "X!"]],
    ["member enumeration", "$l = @([PSCustomObject]@{ N = 1 }, [PSCustomObject]@{ N = 2 }); $l.N -join ','", ["1,2"]],
    ["arraylist style Add", "$l = New-Object System.Collections.ArrayList; [void]$l.Add('a'); $null = $l.Add('b'); $l.Count", ["2"]],
  ],
  "string methods": [
    ["substring trim case", "'  Hello  '.Trim(); 'Hello'.Substring(1, 3); 'Hello'.ToUpper(); 'Hello'.ToLower()", ["Hello", "ell", "HELLO", "hello"]],
    ["search", "'Hello'.StartsWith('He'); 'Hello'.EndsWith('LO'); 'Hello'.Contains('ell'); 'Hello'.IndexOf('l')", ["True", "False", "True", "2"]],
    ["replace split pad", "'a-b'.Replace('-', '+'); 'a,b;c'.Split(',;').Count; '7'.PadLeft(3, '0'); 'abc'.Length", ["a+b", "3", "007", "3"]],
    ["static string", "[string]::IsNullOrEmpty(''); [string]::IsNullOrWhiteSpace(' '); [string]::Join('-', @('a','b'))", ["True", "True", "a-b"]],
    ["ToString with format", "(3.14159).ToString('0.00'); (255).ToString('X')", ["3.14", "FF"]],
  ],
  "control flow": [
    ["if elseif else", "$x = 5\nif ($x -lt 3) { 'small' } elseif ($x -lt 10) { 'medium' } else { 'large' }", ["medium"]],
    ["foreach", "foreach ($i in 1..3) { \"i=$i\" }", ["i=1", "i=2", "i=3"]],
    ["for with break and continue", "for ($i = 0; $i -lt 10; $i++) { if ($i -eq 1) { continue }; if ($i -eq 4) { break }; $i }", ["0", "2", "3"]],
    ["while", "$n = 0; while ($n -lt 3) { $n++ }; $n", ["3"]],
    ["do until", "$n = 0; do { $n += 2 } until ($n -ge 5); $n", ["6"]],
    ["do while", "$n = 10; do { $n++ } while ($n -lt 5); $n", ["11"]],
    ["labeled break", ":outer foreach ($a in 1..3) { foreach ($b in 1..3) { if ($b -eq 2) { continue outer }; if ($a -eq 3) { break outer }; \"$a$b\" } }", ["11", "21"]],
    ["switch exact with default", "switch ('Dell Inc.') { 'HP' { 'hp' } 'dell inc.' { 'dell' } default { 'other' } }", ["dell"]],
    ["switch wildcard", "switch -Wildcard ('HP EliteBook 840 G8') { '*EliteBook*' { 'elite' } '*840*' { '840' } }", ["elite", "840"]],
    ["switch regex with break", "switch -Regex ('Latitude 7420') { '^Lat' { 'lat'; break } '7420' { 'never' } }", ["lat"]],
    ["switch over an array", "switch (1, 5, 9) { { $_ -gt 4 } { \"big $_\" } default { \"small $_\" } }", ["small 1", "big 5", "big 9"]],
    ["switch regex matches", "switch -Regex ('SN: ABC123') { 'SN: (\\w+)' { $matches[1] } }", ["ABC123"]],
    ["assignment from if and switch", "$v = if ($true) { 'yes' } else { 'no' }; $w = switch (2) { 1 { 'one' } 2 { 'two' } }; \"$v $w\"", ["yes two"]],
  ],
  "errors": [
    ["try catch message", "try { throw 'boom' } catch { \"caught: $($_.Exception.Message)\" }", ["caught: boom"]],
    ["finally runs", "try { 'body' } finally { 'cleanup' }", ["body", "cleanup"]],
    ["catch typed", "try { 1 / 0 } catch [System.DivideByZeroException] { 'div' } catch { 'other' }", ["div"]],
    ["rethrow", "try { try { throw 'inner' } catch { throw } } catch { \"outer saw $_\" }", ["outer saw inner"]],
    ["ErrorAction Stop", "try { Get-Item 'C:\\missing.txt' -ErrorAction Stop } catch { 'not found' }", ["not found"]],
    ["SilentlyContinue", "$r = Get-Item 'C:\\missing.txt' -ErrorAction SilentlyContinue; $null -eq $r", ["True"]],
    ["ErrorActionPreference Stop", "$ErrorActionPreference = 'Stop'; try { Write-Error 'bad' } catch { 'stopped' }", ["stopped"]],
    ["method on null", "try { $null.Trim() } catch { 'null call' }", ["null call"]],
  ],
  functions: [
    ["output is the return value", "function Get-Two { 1; 2 }; $r = Get-Two; $r.Count", ["2"]],
    ["return", "function f($x) { if ($x) { return 'early' }; 'late' }; f 1; f 0", ["early", "late"]],
    ["param block with defaults and types", "function f { param([string]$Name = 'def', [int]$Count = 2) \"$Name x$Count\" }; f; f -Name a -Count '3'; f b 4", ["def x2", "a x3", "b x4"]],
    ["switch parameter", "function f { param([switch]$Force) if ($Force) { 'forced' } else { 'gentle' } }; f; f -Force; f -Force:$false", ["gentle", "forced", "gentle"]],
    ["CmdletBinding and Parameter attributes", "function f { [CmdletBinding()] param([Parameter(Mandatory = $true)][string]$Name) \"hi $Name\" }; f -Name x; try { f } catch { 'missing' }", ["hi x", "missing"]],
    ["ValidateSet", "function f { param([ValidateSet('A','B')][string]$V) $V }; f a; try { f c } catch { 'invalid' }", ["a", "invalid"]],
    ["parameter name prefixes", "function f { param($ComputerName) $ComputerName }; f -Comp PC7", ["PC7"]],
    ["pipeline input with process block", "function Add-One { param([Parameter(ValueFromPipeline)]$N) process { $N + 1 } }; 1..3 | Add-One", ["2", "3", "4"]],
    ["$args", "function f { $args.Count; $args[1] }; f a b c", ["3", "b"]],
    ["recursion", "function fact($n) { if ($n -le 1) { 1 } else { $n * (fact ($n - 1)) } }; fact 10", ["3628800"]],
    ["dynamic scope reads the caller", "function inner { $v }; function outer { $v = 'from outer'; inner }; outer", ["from outer"]],
    ["local assignment does not leak", "$v = 1; function f { $v = 2 }; f; $v", ["1"]],
    ["script block invocation", "$sb = { param($a) $a * 2 }; & $sb 21; $sb.Invoke(2)", ["42", "4"]],
    ["splatting", "function f { param($A, $B) \"$A/$B\" }; $p = @{ A = 1; B = 2 }; f @p", ["1/2"]],
    ["$null = discards", "function f { $null = 'x'; [void]'y'; 'z' | Out-Null; 'kept' }; f", ["kept"]],
  ],
  pipelines: [
    ["Where-Object script block", "1..6 | Where-Object { $_ % 2 -eq 0 }", ["2", "4", "6"]],
    ["Where-Object simplified", "$l = @([PSCustomObject]@{ N = 'a'; V = 1 }, [PSCustomObject]@{ N = 'b'; V = 2 }); ($l | Where-Object V -gt 1).N; ($l | ? N -eq 'A').V", ["b", "1"]],
    ["ForEach-Object and alias", "1..3 | ForEach-Object { $_ * 10 }; 1..2 | % { \"#$_\" }", ["10", "20", "30", "#1", "#2"]],
    ["ForEach-Object member name", "@('a','bb') | ForEach-Object Length", ["1", "2"]],
    ["Select-Object", "$l = 5..1; $l | Select-Object -First 2; $l | Select-Object -Last 1; 1,1,2 | Select-Object -Unique", ["5", "4", "1", "1", "2"]],
    ["Select-Object properties", "$o = [PSCustomObject]@{ A = 1; B = 2; C = 3 } | Select-Object A, C; $o.A; $null -eq $o.B; $o.C", ["1", "True", "3"]],
    ["Select-Object calculated and expand", "$o = [PSCustomObject]@{ Size = 2048 }; ($o | Select-Object @{ Name = 'KB'; Expression = { $_.Size / 1KB } }).KB; $o | Select-Object -ExpandProperty Size", ["2", "2048"]],
    ["Sort-Object", "3,1,2 | Sort-Object; 'b','A','c' | Sort-Object -Descending", ["1", "2", "3", "c", "b", "A"]],
    ["Sort-Object by property", "$l = @([PSCustomObject]@{ N = 'x'; S = 5 }, [PSCustomObject]@{ N = 'y'; S = 9 }); ($l | Sort-Object S -Descending | Select-Object -First 1).N", ["y"]],
    ["Measure-Object", "$m = 1..4 | Measure-Object -Sum -Average -Maximum; $m.Count; $m.Sum; $m.Average; $m.Maximum", ["4", "10", "2.5", "4"]],
    ["Group-Object", "$g = 'a','b','a' | Group-Object; $g.Count; ($g | Where-Object Name -eq 'a').Count", ["2", "2"]],
    ["Out-String", "$s = @(1,2) | Out-String; $s.Length", ["4"]],
    ["ConvertTo-Json and back", "$j = @{ Name = 'PC'; Tags = @('a','b') } | ConvertTo-Json -Compress; $j; ($j | ConvertFrom-Json).Tags[1]", ['{"Name":"PC","Tags":["a","b"]}', "b"]],
    ["Write-Output", "Write-Output 'one'; echo 'two'", ["one", "two"]],
    ["objects print as lists, hashtables as tables", "[PSCustomObject]@{ Name = 'PC1'; Size = 3 }; [ordered]@{ a = 1; bb = 'x' }", ["Name : PC1\nSize : 3", "Name Value\n---- -----\na    1\nbb   x"]],
    ["pipeline of a function and Sort-Object", "function src { 3; 1; 2 }; (src | Sort-Object) -join ''", ["123"]],
    ["2>> $null silences errors only", "Write-Error 'bad' 2>> $null; 'kept' 2>> $null", ["kept"]],
    ["a variable followed by a path is one argument", "$a = 'C:\\x'; Write-Output $a\\b.log; Join-Path $a\\sub c", ["C:\\x\\b.log", "C:\\x\\sub\\c"]],
  ],
  "dates and paths": [
    ["Get-Date format (simulated clock)", "Get-Date -Format 'yyyy-MM-dd HH:mm'", ["2026-11-21 09:30"]],
    ["Start-Sleep advances the clock", "$a = Get-Date; Start-Sleep -Seconds 90; ((Get-Date) - $a).TotalSeconds", ["90"]],
    ["Start-Sleep before the first clock read counts once", "Start-Sleep -Seconds 5; Start-Sleep -Milliseconds 500; Get-Date -Format 'HH:mm:ss.fff'", ["09:30:05.500"]],
    ["date format tokens, quotes and escapes", "(Get-Date).AddHours(5).ToString(\"dddd d MMM yy h:m:s tt 'at' \\K zzz\")", ["Saturday 21 Nov 26 2:30:0 PM at K +00:00"]],
    ["composite format braces and alignment", "'{{{0,6}}}|{1,-3}|{0:N1}}}' -f 2.25, 'x'", ["{  2.25}|x  |2.3}"]],
    ["date arithmetic", "(Get-Date).AddDays(10).ToString('yyyyMMdd'); (Get-Date).DayOfWeek", ["20261201", "Saturday"]],
    ["Join-Path and Split-Path", "Join-Path 'C:\\Windows\\' 'Temp'; Split-Path 'C:\\a\\b\\c.log' -Leaf; Split-Path 'C:\\a\\b\\c.log' -Parent", ["C:\\Windows\\Temp", "c.log", "C:\\a\\b"]],
    ["$env variables are script-local when the host has none", "$env:MYVAR = 'x'; $env:MYVAR; $null -eq $env:NOPE", ["x", "True"]],
  ],
};

describe.each(Object.entries(cases))("%s", (_group, list) => {
  it.each(list)("%s", async (_name, source, expected) => {
    expect(await kit.lines(source)).toEqual(expected);
  });
});
