/**
 * The PowerShell-style runtime library in units: the dependency table is complete (checked on
 * the JavaScript syntax tree of every unit), every unit loads with only what it declares, and a
 * compiled script gets exactly the units it reaches and still runs.
 */
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { POWERSHELL_PRELUDE, compilePowerShell, powerShellPrelude } from "@taskseq/script";
import { CORE_RUNTIME_UNITS, METHOD_UNITS, OPERATOR_UNITS, RUNTIME_UNIT_NEEDS, RUNTIME_UNIT_SOURCES, runtimeUnitsFor } from "../src/powershell/runtime-units.js";
import { MINIFIED_RUNTIME_UNIT_SOURCES } from "../src/powershell/runtime-units.min.js";
import { createPsKit } from "./powershell-kit.js";

const UNITS = Object.keys(RUNTIME_UNIT_NEEDS);

/** The runtime object and the operator table: their properties are shared names across units. */
const SHARED_OBJECTS = /^(P|B)$/;

interface UnitNames {
  /** Top-level functions and variables, and `P.x` / `B.x` assigned at top level. */
  readonly declared: ReadonlySet<string>;
  /** Names declared anywhere inside (parameters, locals). */
  readonly local: ReadonlySet<string>;
  /** Identifiers read, and `P.x` / `B.x` read. */
  readonly referenced: ReadonlySet<string>;
}

function sharedName(node: ts.Expression, name: string): string | undefined {
  return ts.isIdentifier(node) && SHARED_OBJECTS.test(node.text) ? `${node.text}.${name}` : undefined;
}

function namesOf(source: string): UnitNames {
  const file = ts.createSourceFile("unit.js", source, ts.ScriptTarget.ES2020, true, ts.ScriptKind.JS);
  const declared = new Set<string>();
  const local = new Set<string>();
  const referenced = new Set<string>();
  for (const statement of file.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name !== undefined) declared.add(statement.name.text);
    if (ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) declared.add(d.name.text);
    if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression) && statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = statement.expression.left;
      const name = ts.isPropertyAccessExpression(left)
        ? sharedName(left.expression, left.name.text)
        : ts.isElementAccessExpression(left) && ts.isStringLiteral(left.argumentExpression)
          ? sharedName(left.expression, left.argumentExpression.text)
          : undefined;
      if (name !== undefined) declared.add(name);
    }
  }
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const parent = node.parent;
      const isDeclaration =
        (ts.isFunctionDeclaration(parent) || ts.isFunctionExpression(parent) || ts.isVariableDeclaration(parent) || ts.isParameter(parent)) && parent.name === node;
      const isPropertyName = (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node);
      if (isDeclaration) local.add(node.text);
      else if (!isPropertyName) referenced.add(node.text);
      if (ts.isPropertyAccessExpression(parent) && parent.name === node) {
        const shared = sharedName(parent.expression, node.text);
        if (shared !== undefined) referenced.add(shared);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { declared, local, referenced };
}

const NAMES = Object.fromEntries(UNITS.map((unit) => [unit, namesOf(RUNTIME_UNIT_SOURCES[unit] ?? "")]));

describe("the dependency table", () => {
  it("has one entry per unit of source, and every unit has source", () => {
    expect(Object.keys(RUNTIME_UNIT_SOURCES).sort()).toEqual([...UNITS].sort());
    for (const unit of UNITS) expect((RUNTIME_UNIT_SOURCES[unit] ?? "").trim(), unit).not.toBe("");
  });

  it("lists the core first, and every dependency before the unit that needs it", () => {
    expect(UNITS.slice(0, CORE_RUNTIME_UNITS.length)).toEqual(CORE_RUNTIME_UNITS);
    UNITS.forEach((unit, index) => {
      for (const need of RUNTIME_UNIT_NEEDS[unit] ?? []) expect(UNITS.indexOf(need), `${unit} needs ${need}`).toBeGreaterThanOrEqual(0);
      for (const need of RUNTIME_UNIT_NEEDS[unit] ?? []) expect(UNITS.indexOf(need), `${unit} needs ${need}`).toBeLessThan(index);
    });
    for (const unit of CORE_RUNTIME_UNITS) expect(RUNTIME_UNIT_NEEDS[unit]).toEqual([]);
  });

  it("gives every top-level name to exactly one unit", () => {
    const owners = new Map<string, string[]>();
    for (const unit of UNITS) for (const name of NAMES[unit]?.declared ?? []) owners.set(name, [...(owners.get(name) ?? []), unit]);
    expect([...owners].filter(([, units]) => units.length > 1)).toEqual([]);
  });

  it.each(UNITS.map((unit) => [unit]))("%s uses only names of the units it declares (and the core)", (unit) => {
    const owner = new Map<string, string>();
    for (const u of UNITS) for (const name of NAMES[u]?.declared ?? []) owner.set(name, u);
    const reachable = new Set(runtimeUnitsFor([unit]));
    const own = NAMES[unit];
    const missing = [...(own?.referenced ?? [])].filter((name) => {
      const from = owner.get(name);
      const shadowed = own?.local.has(name) === true && own.declared.has(name) === false;
      return from !== undefined && !reachable.has(from) && !shadowed;
    });
    expect(missing.map((name) => `${name} (from ${owner.get(name)})`)).toEqual([]);
  });

  it.each(UNITS.map((unit) => [unit]))("%s loads alone with what it declares", (unit) => {
    const library = powerShellPrelude([unit]);
    const runtime = new Function(`${library}\nreturn __ps;`) as () => Record<string, unknown>;
    expect(typeof runtime().main).toBe("function");
  });

  it("names a unit for every operator and every method the compiler can call", () => {
    for (const unit of Object.values(OPERATOR_UNITS)) expect(UNITS).toContain(unit);
    expect(METHOD_UNITS.length).toBeGreaterThan(40);
    for (const unit of METHOD_UNITS) expect(UNITS).toContain(unit);
  });
});

describe("the units a compiled script gets", () => {
  const kit = createPsKit();
  afterAll(() => kit[Symbol.dispose]());

  const units = (source: string): readonly string[] => {
    const { prelude } = compilePowerShell(source);
    return UNITS.filter((unit) => prelude.includes(MINIFIED_RUNTIME_UNIT_SOURCES[unit] ?? "\0"));
  };

  it("a script without cmdlets, operators or methods gets only the core", () => {
    expect(units("$a = 1\n$a")).toEqual(CORE_RUNTIME_UNITS);
    expect(compilePowerShell("$a = 1").prelude.length).toBeLessThan(POWERSHELL_PRELUDE.length / 2);
  });

  it.each([
    ["-split", "('a,b,c' -split ',').Count", ["op-split", "regex"], ["op-replace", "methods", "cmdlet:where-object"], ["3"]],
    ["a string method", "'  x  '.Trim() + '|'", ["methods", "method:trim", "op-arith"], ["method:substring", "method:toupper", "op-split"], ["x|"]],
    ["a static method", "[math]::Round(2.5); [math]::Round(3.456, 2)", ["static", "static-math"], ["static-convert", "static-string", "methods"], ["2", "3.46"]],
    ["Where-Object's simplified form", "@('ab', 'b', 'ac') | Where-Object { $_ } | Where-Object Length -eq 2 | Where-Object { $_ -like 'a*' }", ["cmdlet:where-object", "op-compare", "op-like", "op-match", "op-contains"], ["cmdlet:select-object", "op-replace"], ["ab", "ac"]],
    ["a switch with -Regex", "switch -Regex ('abc') { '^a' { 'starts' } }", ["switch-match", "op-match", "regex"], ["op-like", "methods"], ["starts"]],
    ["$tsenv: and try/catch", "try { $tsenv:X = 'y'; $tsenv:X } catch [System.Exception] { 'no TSEnv' }", ["tsdrive", "com", "errors-catch"], ["methods", "cmdlet:new-object"], ["no TSEnv"]],
  ])("%s gets its units and runs", async (_name, source, included, excluded, output) => {
    const got = units(source);
    for (const unit of included) expect(got).toContain(unit);
    for (const unit of excluded) expect(got).not.toContain(unit);
    expect(await kit.lines(source)).toEqual(output);
  });

  it("a method named at run time gets every method", async () => {
    const source = "$m = 'ToUpper'; 'abc'.$m()";
    expect(units(source)).toEqual(expect.arrayContaining([...METHOD_UNITS]));
    expect(await kit.lines(source)).toEqual(["ABC"]);
  });

  it("a command named at run time gets every unit", async () => {
    expect(compilePowerShell("$c = 'Get-Date'; & $c -Format yyyy").prelude).toBe(POWERSHELL_PRELUDE);
    expect(await kit.lines("$c = 'Get-Date'; & $c -Format yyyy")).toEqual(["2026"]);
  });
});
