/**
 * Parameter binding of functions fed by a pipeline, as PowerShell's binder and script command
 * processors do it: the command line is bound first, then each input object; `$PSBoundParameters`,
 * `$_` and `$input` in the begin, process and end blocks.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createPsKit } from "./powershell-kit.js";

const kit = createPsKit();
afterAll(() => kit[Symbol.dispose]());

const SHOW_IT = `function Show-It { param([Parameter(ValueFromPipeline)]$InputObject, $Other) process { "bound: " + ($PSBoundParameters.Keys -join ",") + " io=" + $InputObject } }\n`;

describe("pipeline parameter binding", () => {
  it("adds pipeline-bound parameters to $PSBoundParameters after the command-line ones", async () => {
    expect(await kit.lines(`${SHOW_IT}1,2 | Show-It -Other x`)).toEqual(["bound: Other,InputObject io=1", "bound: Other,InputObject io=2"]);
    expect(await kit.lines(`${SHOW_IT}'a' | Show-It`)).toEqual(["bound: InputObject io=a"]);
  });

  it("keeps a ValueFromPipeline parameter bound by name when there is no pipeline input", async () => {
    expect(await kit.lines(`${SHOW_IT}Show-It -InputObject 5; Show-It 6`)).toEqual(["bound: InputObject io=5", "bound: InputObject io=6"]);
    expect(await kit.lines(`${SHOW_IT}Show-It -Other y`)).toEqual(["bound: Other io="]);
  });

  it("runs no process block for an empty pipeline and defers mandatory pipeline parameters to the input objects", async () => {
    const f = "function f { param([Parameter(Mandatory, ValueFromPipeline)]$N) process { $N * 2 } end { 'end' } }\n";
    expect(await kit.lines(`${f}@() | f; 3, 4 | f`)).toEqual(["end", "6", "8", "end"]);
    expect(await kit.lines(`${f}try { f } catch { $_.Exception.Message }`)).toEqual(["Cannot process command because of one or more missing mandatory parameters: N."]);
  });

  it("refuses an input object when the pipeline parameter was bound by name (non-terminating)", async () => {
    const r = await kit.ok(`${SHOW_IT}1 | Show-It -InputObject 5; 'next'`);
    expect(r.records.filter((x) => x.stream === "output").map((x) => x.text)).toEqual(["next"]);
    expect(r.records.filter((x) => x.stream === "error").map((x) => x.text)).toEqual([expect.stringContaining("The input object cannot be bound to any parameters")]);
  });

  it("binds ValueFromPipelineByPropertyName from the property of the same name or alias", async () => {
    const f = "function Get-Who { param([Parameter(ValueFromPipelineByPropertyName)][Alias('CN')]$ComputerName, [Parameter(ValueFromPipelineByPropertyName)]$Site = 'none') process { \"$ComputerName@$Site \" + ($PSBoundParameters.Keys -join ',') } }\n";
    expect(await kit.lines(`${f}[PSCustomObject]@{ ComputerName = 'PC1'; Site = 'NYC' }, @{ CN = 'PC2' } | Get-Who`)).toEqual(["PC1@NYC ComputerName,Site", "PC2@none ComputerName"]);
    expect(await kit.lines(`${f}Get-Who -CN PC3`)).toEqual(["PC3@none ComputerName"]);
  });

  it("binds [Alias()] names of parameters", async () => {
    expect(await kit.lines("function f { param([Alias('TaskSequence', 'TS')]$InputObject) $PSBoundParameters.Keys; $InputObject }; f -TaskSequence a; f -TS b")).toEqual(["InputObject", "a", "InputObject", "b"]);
  });

  it("sets $input as PowerShell does in each block", async () => {
    const blocks = "function f { begin { 'begin:' + @($input).Count } process { 'process:' + (@($input) -join ',') + ' _=' + $_ } end { 'end:' + @($input).Count } }\n";
    expect(await kit.lines(`${blocks}1, 2 | f`)).toEqual(["begin:0", "process:1 _=1", "process:2 _=2", "end:0"]);
    expect(await kit.lines(`${blocks}f`)).toEqual(["begin:0", "process: _=", "end:0"]);
    const noProcess = "function g { begin { 'begin:' + @($input).Count } end { 'end:' + (@($input) -join ',') } }\n";
    expect(await kit.lines(`${noProcess}1, 2, 3 | g`)).toEqual(["begin:0", "end:1,2,3"]);
    expect(await kit.lines("function h { 'all:' + (@($input) -join ',') }; 1, 2 | h; h")).toEqual(["all:1,2", "all:"]);
  });

  it("binds a pipeline parameter of a function without a process block to each object in turn (the last one remains)", async () => {
    expect(await kit.lines("function f { param([Parameter(ValueFromPipeline)]$X) \"$X \" + ($PSBoundParameters.Keys -join ',') + ' ' + @($input).Count }; 1, 2, 3 | f")).toEqual(["3 X 3"]);
  });

  it("keeps filters and plain process blocks working", async () => {
    expect(await kit.lines("filter Double { $_ * 2 }; 1, 2 | Double; function p { process { \"[$_]\" } }; 'a' | p")).toEqual(["2", "4", "[a]"]);
  });
});

describe("Write-Error in a function", () => {
  it("reports the line that called the function, as PowerShell's $MyInvocation does", async () => {
    const script = "function Fail {\n  Write-Error 'bad input' -ErrorAction Stop\n}\ntry {\n  Fail\n} catch { $_.InvocationInfo.ScriptLineNumber }\nFail";
    const r = await kit.run(script);
    expect(r.value?.records.map((x) => [x.stream, x.text])).toEqual([["output", "5"], ["error", "bad input (line 7)"]]);
    expect(r.value?.exitCode).toBe(1);
  });
});
