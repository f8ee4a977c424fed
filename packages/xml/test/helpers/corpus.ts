import { readFileSync, readdirSync } from "node:fs";

/** The shared corpus folder (read-only), resolved from this file. */
export const CORPUS_DIR = new URL("../../../../../shared/corpus/", import.meta.url);

/** Every corpus `.xml` file name, sorted. */
export function corpusFiles(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith(".xml"))
    .sort();
}

/** The bytes of one corpus file. */
export function corpusBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, CORPUS_DIR)));
}

/** The text of one corpus file (UTF-8, BOM removed). */
export function corpusText(name: string): string {
  return new TextDecoder().decode(corpusBytes(name));
}

/** Corpus files whose root element is `<sequence>`. */
export function sequenceFiles(): string[] {
  return corpusFiles().filter((f) => /^(\uFEFF)?(<\?xml[^>]*>\s*)?<sequence[\s>]/.test(corpusText(f)));
}
