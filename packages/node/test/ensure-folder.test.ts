import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createFileLogSink, createFileSecretStore, createFileStateStore } from "@taskseq/node";

const roots: string[] = [];
const root = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "taskseq-folders-"));
  roots.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of roots.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The three creators of a folder: the log sink and the secret store when created, the state store at its first snapshot. */
const creators: Record<string, (dir: string) => Promise<unknown>> = {
  "log sink": async (dir) => createFileLogSink(dir).close(),
  "state store": async (dir) => createFileStateStore(dir).replace("{}"),
  "secret store": async (dir) => createFileSecretStore(dir, {}).seal("s3cret"),
};

describe("the folders of the file stores and the log sink", () => {
  it.each(Object.keys(creators))("the %s creates its folder and the missing parents", async (name) => {
    const dir = join(root(), "a", "b", "c");
    await creators[name]?.(dir);
    expect(statSync(dir).isDirectory()).toBe(true);
  });

  it.each(Object.keys(creators))("the %s refuses a folder it cannot create with InvalidArgument naming the path (a file in the way, a file where a parent should be, /proc)", async (name) => {
    const file = join(root(), "file.zip");
    writeFileSync(file, "not a folder");
    for (const dir of [file, join(file, "x"), "/proc/taskseq-x"]) {
      await expect(creators[name]?.(dir), dir).rejects.toMatchObject({ code: "InvalidArgument", position: { path: dir } });
    }
  });
});
