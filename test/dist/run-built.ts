/**
 * Runs a TypeScript file with tsx against the built packages: the root tsconfig maps `taskseq`
 * and `@taskseq/*` to the sources, so tsx is pointed at a tsconfig without those paths and the
 * imports resolve through node_modules to each package's `dist/`, as they do for users.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const tsconfig = fileURLToPath(new URL("./tsconfig.dist.json", import.meta.url));

/** Runs `file` (`.ts`/`.mts`) with `node --import tsx` from `cwd` and returns its standard output. */
export function runBuiltTs(file: string, cwd = root): string {
  return execFileSync(process.execPath, ["--import", "tsx", file], { cwd, encoding: "utf8", env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig } });
}
