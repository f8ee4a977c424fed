/**
 * The PowerShell-style compiler in the host: syntax errors and unsupported constructs fail before
 * anything runs, with a typed error naming the construct, line and column; the runtime library
 * implements exactly the commands the compiler accepts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isTaskSeqError } from "@taskseq/model";
import type { TaskSeqError } from "@taskseq/model";
import { IMPLEMENTED_CMDLETS, POWERSHELL_PRELUDE, SUPPORTED_COMMANDS, compilePowerShell, compilePowerShellForRunner, powerShellBodyStart } from "@taskseq/script";

function compileError(source: string): TaskSeqError {
  try {
    compilePowerShell(source);
  } catch (error) {
    if (isTaskSeqError(error)) return error;
    throw error;
  }
  throw new Error("compiled without an error");
}

describe("syntax errors are ScriptError with line and column", () => {
  it.each([
    ["unterminated string", '$a = 1\n$b = "open', 2, 6, /Unterminated string/],
    ["unterminated here-string", '$h = @"\nline\n', 1, 6, /Unterminated here-string/],
    ["missing closing parenthesis", "if ($a -eq 1 { 'x' }", 1, 14, /Missing '\)'/],
    ["missing closing brace", "function f {\n  'x'\n", 3, 1, /Missing '\}'|end of script/],
    ["missing while after do", "do { 1 }\n'x'", 2, 1, /Missing 'while' or 'until'/],
    ["try without catch", "try { 1 }\n'x'", 1, 1, /catch or finally/],
    ["expression after a pipe", "1 | 2", 1, 5, /only allowed as the first element/],
    ["&& operator", "Get-Date && 'x'", 1, 10, /'&&' operator is not supported/],
    ["bad assignment target", "'a' = 1", 1, 5, /assignment target/],
    ["unknown loop label", "foreach ($i in 1) { break outer }", 1, 21, /label 'outer'/],
    ["output redirected twice", "Get-Date > C:\\a.txt > $null", 1, 21, /output stream is already redirected/],
  ])("%s", (_name, source, line, column, message) => {
    const e = compileError(source);
    expect(e.code).toBe("ScriptError");
    expect(e.message).toMatch(message);
    expect(e.position).toMatchObject({ line, column });
    expect(e.message).toContain(`(line ${line}, column ${column})`);
  });
});

describe("constructs outside the subset are ScriptUnsupported before running", () => {
  it.each([
    ["Add-Type", "'x'\nAdd-Type -TypeDefinition 'public class A {}'", 2, 1, /'Add-Type' \(it compiles \.NET code\)/],
    ["Start-Process", "Start-Process notepad.exe -Wait", 1, 1, /'Start-Process'/],
    ["Invoke-WebRequest", "$r = Invoke-WebRequest https://example.com", 1, 6, /reaches the network/],
    ["Invoke-Expression alias", "iex 'Get-Date'", 1, 1, /evaluates text as code/],
    ["an unknown command", "  Get-Foo -Bar 1", 1, 3, /The command 'Get-Foo'/],
    ["a class", "class Foo { }", 1, 1, /The 'class' keyword/],
    ["WinForms", "[System.Windows.Forms.MessageBox]::Show('hi')", 1, 1, /\[System\.Windows\.Forms\.MessageBox\]/],
    ["[Environment]", "$v = [Environment]::GetEnvironmentVariable('_SMSTSLogPath')", 1, 6, /\[Environment\]/],
    ["an unknown COM class", "$s = New-Object -ComObject WScript.Shell", 1, 28, /COM class 'WScript\.Shell'/],
    ["an unknown .NET type", "$c = New-Object System.Net.WebClient", 1, 17, /\.NET type 'System\.Net\.WebClient'/],
    ["redirection of errors to a file", "Get-Date 2> C:\\err.txt", 1, 10, /Redirecting errors or every stream to a file/],
    ["a pipe after a redirection to a file", "Get-Date > C:\\out.txt | Out-Null", 1, 23, /A pipe after a redirection to a file/],
    ["the $using: drive", "$using:x", 1, 1, /variable drive 'using:'/],
    ["a parameter type", "function f([System.IO.FileInfo]$f) { }", 1, 32, /\[System\.IO\.FileInfo\]/],
    ["an unknown attribute", "function f { param([ValidateScript({ $true })]$x) }", 1, 20, /ValidateScript/],
    ["switch -File", "switch -File 'C:\\a.txt' { default { } }", 1, 8, /'-File'/],
  ])("%s", (_name, source, line, column, message) => {
    const e = compileError(source);
    expect(e.code).toBe("ScriptUnsupported");
    expect(e.message).toMatch(message);
    expect(e.position).toMatchObject({ line, column });
  });

  it("a function the script defines may use any name", () => {
    expect(() => compilePowerShell("function Start-Process { 'mine' }\nStart-Process")).not.toThrow();
  });

  it("the runner's adapter returns the typed error instead of throwing", () => {
    const r = compilePowerShellForRunner("Add-Type 'x'", undefined);
    expect(r.error?.code).toBe("ScriptUnsupported");
    expect(compilePowerShellForRunner("'ok'", undefined).value?.js).toContain("__ps.main(");
  });
});

describe("compiled output", () => {
  it("compiles every construct of the subset to one program of plain JavaScript", () => {
    const { js } = compilePowerShell(`
[CmdletBinding()] param([string]$Name = "x", [switch]$Force)
$h = [ordered]@{ a = 1 }; $o = [PSCustomObject]$h; $l = @(1, 2) + 3
function f { param([Parameter(ValueFromPipeline)]$v) process { $v } }
:outer foreach ($i in 1..3) { for ($j = 0; $j -lt 2; $j++) { if ($j) { continue outer } } }
switch -Regex ("a") { "a" { break } default { } }
try { throw "x" } catch [System.Exception] { $_ } finally { }
do { $k++ } until ($k -ge 2); while ($false) { }
$s = "n=$($l.Count) $env:windir"; $t = @"
here $Name
"@
$l | Where-Object { $_ -gt 1 } | ForEach-Object { $_ } | Sort-Object | Select-Object -First 1 | Out-Null
`);
    expect(() => new Function(js)).not.toThrow();
  });

  it("the runtime library includes only the cmdlets a script names", () => {
    const small = compilePowerShell("Get-Date").prelude;
    expect(small).toContain('cmdlet("get-date"');
    expect(small).not.toContain('cmdlet("get-childitem"');
    expect(small.length).toBeLessThan(POWERSHELL_PRELUDE.length);
  });

  it("a command named at run time gets every cmdlet", () => {
    expect(compilePowerShell("$c = 'Get-Date'; & $c").prelude).toBe(POWERSHELL_PRELUDE);
  });

  it("script arguments bind to the param block", () => {
    const written: string[] = [];
    const host = { write: (_stream: string, text: string) => written.push(text), now: () => 0 };
    const { js, prelude } = compilePowerShell('param($Mode, [int]$Retries = 1, [switch]$Force) "$Mode $($Retries + 1) $Force"', { parameters: '-Mode "Full" -Retries 3 -Force' });
    const global = globalThis as { __host?: unknown };
    global.__host = host;
    try {
      new Function(`${prelude}\n${js}`)();
    } finally {
      delete global.__host;
    }
    expect(written).toEqual(["Full 4 True"]);
    expect(() => compilePowerShell("param($Mode)", { parameters: "-Mode (" })).toThrow(expect.objectContaining({ code: "ScriptError" }));
  });
});

describe("powerShellBodyStart", () => {
  it("is just after the script's param() block and its attributes, or 0 without one", () => {
    const header = "# build\n[CmdletBinding()]\nparam(\n  [Parameter(Mandatory)][string]$Name = ')',\n  [switch]$Force\n)";
    expect(powerShellBodyStart(`${header}\nWrite-Output $Name`)).toBe(header.length);
    expect(powerShellBodyStart(header)).toBe(header.length);
    expect(powerShellBodyStart("Write-Output 'param()'\nfunction f { param($a) }")).toBe(0);
    expect(() => powerShellBodyStart("param($a")).toThrow(expect.objectContaining({ code: "ScriptError" }));
  });
});

describe("runtime library", () => {
  it("implements every supported command and nothing else", () => {
    expect([...IMPLEMENTED_CMDLETS].sort()).toEqual(Object.keys(SUPPORTED_COMMANDS).sort());
  });
});

describe("hostile source never crashes the compiler", () => {
  const SAMPLE = `param([string]$Name = "x")
$tsenv = New-Object -ComObject Microsoft.SMS.TSEnvironment
function Get-It { param($a) process { $_ } }
$h = @{ a = 1; "b" = @(1, 2) }; $s = "v=$($h.a) $env:windir \`n"
switch -Regex ($Name) { '^x' { break } default { } }
foreach ($i in 1..3) { if ($i -gt 1 -and $i -ne 2) { continue } }
try { Get-CimInstance Win32_BIOS | Where-Object { $_.SerialNumber -like '*1*' } } catch [System.Exception] { throw } finally { }
$tsenv.Value("X") = [string]::Join(",", @('a', 'b')) -replace 'a', 'b'
exit 3010
`;
  const alphabet = fc.constantFrom(..."$@(){}[]\"'`|;,.-+*/%!&<>#=:?\n \tabcxyzAZ019_".split(""));

  it("every prefix and random edit either compiles or fails with ScriptError / ScriptUnsupported", () => {
    fc.assert(
      fc.property(fc.nat(SAMPLE.length), fc.nat(SAMPLE.length), fc.string({ unit: alphabet, maxLength: 6 }), (cut, at, insert) => {
        const source = SAMPLE.slice(0, cut);
        const edited = SAMPLE.slice(0, at) + insert + SAMPLE.slice(at);
        for (const text of [source, edited]) {
          try {
            compilePowerShell(text);
          } catch (error) {
            expect(isTaskSeqError(error) && (error.code === "ScriptError" || error.code === "ScriptUnsupported")).toBe(true);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it("random text from the language's characters either compiles or fails with a typed error", () => {
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 80 }), (text) => {
        try {
          compilePowerShell(text);
        } catch (error) {
          expect(isTaskSeqError(error) && (error.code === "ScriptError" || error.code === "ScriptUnsupported")).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("a source over the size limit is refused before parsing", () => {
    expect(() => compilePowerShell("'x'\n".repeat(100), { maxSourceChars: 200 })).toThrow(expect.objectContaining({ code: "ScriptError" }));
    expect(() => compilePowerShell("'x'\n".repeat(100), { maxSourceChars: 400 })).not.toThrow();
  });

  it("deep nesting is refused with a typed error, not a host stack overflow", () => {
    const e = compileError(`${"(".repeat(5000)}1${")".repeat(5000)}`);
    expect(e.code).toBe("ScriptError");
    expect(compileError(`${"@(".repeat(3000)}1${")".repeat(3000)}`).code).toBe("ScriptError");
  });
});
