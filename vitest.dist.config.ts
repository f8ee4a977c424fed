import { defineConfig } from "vitest/config";

/** Tests that exercise the built packages (dist/), the examples and the packed tarballs. */
export default defineConfig({
  test: {
    include: ["test/dist/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
  },
});
