import { defineConfig, type Options } from "tsup";

/**
 * The build of every workspace package: ESM + CJS + type declarations from `src/index.ts`
 * (plus any extra entries), for ES2022 runtimes (Node 20 and browsers).
 */
export function packageBuild(extra: Pick<Options, "shims"> & { readonly entries?: readonly string[] } = {}): ReturnType<typeof defineConfig> {
  return defineConfig({
    entry: ["src/index.ts", ...(extra.entries ?? [])],
    ...(extra.shims === undefined ? {} : { shims: extra.shims }),
    format: ["esm", "cjs"],
    dts: { compilerOptions: { composite: false } },
    tsconfig: "../../tsconfig.build.json",
    clean: true,
    sourcemap: true,
    target: "es2022",
  });
}
