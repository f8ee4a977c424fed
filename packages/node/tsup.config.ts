import { defineConfig } from "tsup";

export default defineConfig({
  // The worker entry of createWorkerScriptRunner is its own file next to index.js (shims give the CJS build import.meta.url).
  entry: ["src/index.ts", "src/worker-script-runner-entry.ts"],
  shims: true,
  format: ["esm", "cjs"],
  dts: { compilerOptions: { composite: false } },
  tsconfig: "../../tsconfig.build.json",
  clean: true,
  sourcemap: true,
  target: "es2022",
});
