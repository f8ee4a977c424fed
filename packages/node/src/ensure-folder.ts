/**
 * Creating the folders the file stores and the log sink write to.
 */
import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { TaskSeqError } from "@taskseq/model";

/**
 * Creates `dir` and its missing parents (as `mkdir -p`), or throws `InvalidArgument` naming `what`
 * and the path when it cannot (a file in the way, no permission, a file system that refuses
 * folders). The parents are created one by one: Node's own recursive `mkdirSync` never returns for
 * a path the file system refuses with `ENOENT` although its parent exists (anything under `/proc`).
 *
 * @param dir - the folder
 * @param what - what the folder is for, in the message (`the log folder`)
 */
export function ensureFolder(dir: string, what: string): void {
  try {
    makeTree(resolve(dir));
  } catch (e) {
    throw new TaskSeqError("InvalidArgument", `Cannot create ${what} ${dir}: ${e instanceof Error ? e.message : String(e)}`, { cause: e, position: { path: dir } });
  }
}

function makeTree(dir: string): void {
  try {
    mkdirSync(dir);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && statSync(dir).isDirectory()) return;
    if (code !== "ENOENT" || dirname(dir) === dir) throw e;
  }
  makeTree(dirname(dir));
  mkdirSync(dir); // a second ENOENT means the file system refuses the folder: thrown
}
