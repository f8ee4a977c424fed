/**
 * The packages as npm publishes them (after `npm run build`): every workspace package is packed,
 * installed from its tarball into a fresh project (no workspace links), imported from ESM and
 * CommonJS and used to run a sequence; and "Are the Types Wrong?" finds no problem in any of them.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const workspaces: readonly string[] = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { workspaces: string[] }).workspaces;
const packageNames = workspaces.map((dir) => (JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as { name: string }).name);

const execFileAsync = promisify(execFile);
/** attw runs at most this many at once (each is one Node process doing type resolution). */
const ATTW_PARALLEL = 3;

const npm = (args: readonly string[], cwd: string): string =>
  execFileSync("npm", [...args], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_update_notifier: "false" } });

/** The packages that may use Node built-ins; every other package is portable (DESIGN.md §1). */
const NODE_ONLY: readonly string[] = ["@taskseq/node", "@taskseq/cli"];

/** The packages (`@scope/name` or `name`) a built file imports, requires or references outside comments, plus `node:` specifiers as written. */
function bareImports(code: string): string[] {
  return [...code.replace(/\/\*[\s\S]*?\*\//g, "").matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)["']([^"'./][^"']*)["']/g)].map((m) => {
    const spec = m[1] ?? "";
    if (spec.startsWith("node:")) return spec;
    const parts = spec.split("/");
    return (spec.startsWith("@") ? parts.slice(0, 2) : parts.slice(0, 1)).join("/");
  });
}

const isBuiltin = (name: string): boolean => name.startsWith("node:") || builtinModules.includes(name);

/** One packed tarball per workspace package, in workspace order. */
interface Packed {
  readonly name: string;
  readonly tarball: string;
  /** Paths inside the tarball, relative to the package root. */
  readonly files: readonly string[];
}

/** Every path a package.json points users at: `main`, `module`, `types`, `bin` and each `exports` target. */
function entryPoints(manifest: Readonly<Record<string, unknown>>): string[] {
  const strings = (value: unknown): string[] => (typeof value === "string" ? [value] : typeof value === "object" && value !== null ? Object.values(value).flatMap(strings) : []);
  return ["main", "module", "types", "bin", "exports"].flatMap((key) => strings(manifest[key]));
}

let work = "";
let project = "";
let packed: readonly Packed[] = [];

/** Installs the tarballs from the npm cache; with an incomplete cache, lets npm fetch what is missing. */
function installTarballs(): void {
  const args = ["install", "--no-audit", "--no-fund", "--no-package-lock", ...packed.map((p) => p.tarball)];
  try {
    npm([...args, "--offline"], project);
  } catch {
    npm([...args, "--prefer-offline"], project);
  }
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "taskseq-packaging-"));
  const tarballs = join(work, "tarballs");
  mkdirSync(tarballs);
  const report = JSON.parse(npm(["pack", "--json", "--pack-destination", tarballs, ...workspaces.flatMap((w) => ["--workspace", w])], root)) as { name: string; filename: string; files: { path: string }[] }[];
  packed = report.map((r) => ({ name: r.name, tarball: join(tarballs, r.filename), files: r.files.map((f) => f.path) }));
  project = join(work, "project");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "taskseq-packaging-check", private: true, version: "1.0.0" }));
  installTarballs();
});

afterAll(() => {
  if (work !== "") rmSync(work, { recursive: true, force: true });
});

/** A sequence built with the model, followed by one imported from XML whose script runs in the packed QuickJS sandbox. */
const runSequence = `
const seq = createSequence([
  createStep("SMS_TaskSequence_SetVariableAction", { VariableName: "Packed", VariableValue: "yes" }),
  createStep("SMS_TaskSequence_RunCommandLineAction", { CommandLine: "cmd /c echo %Packed%" }),
]);
const result = await createEngine().run(seq);
console.log(result.status + " " + result.variables.Packed);
const { sequence } = parseSequenceXml('<sequence version="3.10"><step type="Taskseq_RunScriptAction" name="Script"><defaultVarList>'
  + '<variable name="Script" property="Script">TSEnvironment.Value("FromScript", "sandbox " + typeof WebAssembly)</variable></defaultVarList></step></sequence>');
const scripted = await createEngine().run(sequence);
console.log(scripted.status + " " + scripted.variables.FromScript);
const failed = await runScript({ language: "javascript", source: "throw new Error('x')" });
let thrown;
try { compileWql("SELECT"); } catch (e) { thrown = e; }
console.log([failed.error, thrown].map((e) => e instanceof TaskSeqError && isTaskSeqError(e)).join(" "));
`;
/** What the checks import from \`taskseq\`; the last line checks there is one TaskSeqError class (no package bundles a copy of another). */
const TASKSEQ_IMPORTS = "TaskSeqError, createEngine, createSequence, createStep, isTaskSeqError, parseSequenceXml, runScript";
const expected = ["true", "success yes", "success sandbox undefined", "true true"];

/** Runs a script file inside the temporary project and returns its trimmed output lines. */
function runInProject(file: string, source: string): string[] {
  writeFileSync(join(project, file), source);
  return execFileSync(process.execPath, [file], { cwd: project, encoding: "utf8" }).trim().split("\n");
}

describe("packed packages", () => {
  it("packs every workspace package with every file its package.json points at, and no sources or tests", () => {
    expect(packed.map((p) => p.name)).toEqual(packageNames);
    const missing = packed.flatMap((p, i) => {
      const manifest = JSON.parse(readFileSync(join(root, workspaces[i] ?? "", "package.json"), "utf8")) as Record<string, unknown>;
      return entryPoints(manifest).map((entry) => entry.replace(/^\.\//, "")).filter((entry) => !p.files.includes(entry)).map((entry) => `${p.name}: ${entry}`);
    });
    expect(missing).toEqual([]);
    for (const p of packed) expect(p.files.filter((f) => /^(?:src|test)\//.test(f)), p.name).toEqual([]);
    expect(packed.every((p) => ["dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts"].every((f) => p.files.includes(f)))).toBe(true);
  });

  it("imports in the built files only declared dependencies, and Node built-ins only in the Node packages", () => {
    const report = workspaces.map((dir) => {
      const pkg = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as { name: string; dependencies?: Record<string, string> };
      const declared = new Set(Object.keys(pkg.dependencies ?? {}));
      const imported = new Set(readdirSync(join(root, dir, "dist")).filter((f) => /\.(?:c?js|d\.c?ts)$/.test(f)).flatMap((f) => bareImports(readFileSync(join(root, dir, "dist", f), "utf8"))));
      const builtins = [...imported].filter(isBuiltin);
      return {
        name: pkg.name,
        undeclared: [...imported].filter((name) => !isBuiltin(name) && !declared.has(name)),
        builtins: NODE_ONLY.includes(pkg.name) ? [] : builtins,
      };
    });
    expect(report.filter((r) => r.undeclared.length > 0 || r.builtins.length > 0)).toEqual([]);
  });

  it("imports every package from ESM and runs a sequence with taskseq's createEngine", () => {
    const imports = packageNames.map((name, i) => `import * as p${i} from "${name}";`).join("\n");
    const counts = `console.log([${packageNames.map((_, i) => `Object.keys(p${i}).length`).join(", ")}].every((n) => n > 0));`;
    const lines = runInProject("check.mjs", `${imports}\nimport { ${TASKSEQ_IMPORTS} } from "taskseq";\nimport { compileWql } from "@taskseq/device";\n${counts}\n${runSequence}`);
    expect(lines).toEqual(expected);
  });

  it("requires every package from CommonJS and runs a sequence with taskseq's createEngine", () => {
    const requires = `const loaded = ${JSON.stringify(packageNames)}.map((name) => require(name));`;
    const body = `${requires}\nconsole.log(loaded.every((m) => Object.keys(m).length > 0));\nconst { ${TASKSEQ_IMPORTS} } = require("taskseq");\nconst { compileWql } = require("@taskseq/device");\n(async () => {${runSequence}})().catch((e) => { console.error(e); process.exitCode = 1; });`;
    expect(runInProject("check.cjs", body)).toEqual(expected);
  });

  it("links the CLI's bin and it runs as an executable", () => {
    const out = execFileSync(join(project, "node_modules/.bin/taskseq"), ["--version"], { cwd: project, encoding: "utf8" });
    expect(out.trim()).toMatch(/\d+\.\d+\.\d+/);
  });

  it("has types that resolve for node10, node16 (ESM and CJS) and bundlers (attw)", async () => {
    const attw = join(root, "node_modules/@arethetypeswrong/cli/dist/index.js");
    const check = async (p: Packed): Promise<string[]> => {
      try {
        await execFileAsync(process.execPath, [attw, p.tarball, "--no-definitely-typed", "--format", "ascii", "--no-color", "--no-emoji"], { encoding: "utf8" });
        return [];
      } catch (e) {
        return [`${p.name}:\n${e instanceof Error && "stdout" in e ? String(e.stdout) : String(e)}`];
      }
    };
    const problems: string[] = [];
    for (let i = 0; i < packed.length; i += ATTW_PARALLEL) problems.push(...(await Promise.all(packed.slice(i, i + ATTW_PARALLEL).map(check))).flat());
    expect(problems).toEqual([]);
  });
});
