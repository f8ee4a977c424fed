import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const pkg = (name: string): string => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

/** Unit and integration tests run against the TypeScript sources through these aliases. */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^taskseq$/, replacement: pkg("taskseq") },
      { find: /^@taskseq\/([a-z-]+)$/, replacement: fileURLToPath(new URL("./packages/$1/src/index.ts", import.meta.url)) },
    ],
  },
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["test/dist/**", "**/node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
