// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * Layer rank of every workspace package: a package may import only packages of a lower rank
 * (DESIGN.md §1). Portable packages may not import Node built-ins.
 */
const layers = {
  model: 0,
  environment: 1,
  device: 1,
  xml: 1,
  engine: 2,
  script: 2,
  steps: 3,
  inspect: 3,
  node: 4,
  site: 4,
  cmdlets: 4.5,
  taskseq: 5,
  cli: 6,
};
const portable = ["model", "environment", "device", "xml", "engine", "script", "steps", "inspect", "site", "cmdlets", "taskseq"];
const nodeBuiltins = ["node:*", "fs", "fs/*", "path", "os", "child_process", "crypto", "worker_threads", "url", "util", "stream", "buffer", "events", "process", "zlib", "http", "https", "net"];

/** @param {string} name */
function forbiddenFor(name) {
  const rank = layers[/** @type {keyof typeof layers} */ (name)];
  return Object.entries(layers)
    .filter(([other, r]) => other !== name && r >= rank)
    .map(([other]) => (other === "taskseq" ? "taskseq" : `@taskseq/${other}`));
}

export default tseslint.config(
  { ignores: ["**/*.tmp.ts", "packages/*/dist/**", "examples/**/dist/**", "**/node_modules/**", "docs/api/**", "examples/**/build/**", ".tmp/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-syntax": ["error", { selector: "ExportDefaultDeclaration", message: "No default exports." }],
    },
  },
  ...Object.keys(layers).map((name) => ({
    files: [`packages/${name}/src/**/*.ts`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: forbiddenFor(name).map((p) => ({ name: p, message: `${name} may not import ${p} (layering, DESIGN.md §1).` })),
          patterns: portable.includes(name)
            ? [{ group: nodeBuiltins, message: `${name} is portable: no Node built-ins (DESIGN.md §1).` }]
            : [],
        },
      ],
    },
  })),
  {
    files: ["scripts/**/*.mjs", "**/*.cjs", "examples/**/*.mjs", "examples/**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly", require: "readonly", module: "writable", __dirname: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.config.ts", "**/tsup.config.ts", "eslint.config.js"],
    rules: { "no-restricted-syntax": "off" },
  },
);
