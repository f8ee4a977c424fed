import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createNodeIo, runCli } from "@taskseq/cli";
import { isTaskSeqError } from "@taskseq/model";
import { parseSequenceXml, parsePackageObject } from "@taskseq/xml";

const root = fileURLToPath(new URL("../", import.meta.url));
const corpus = fileURLToPath(new URL("../../shared/corpus/", import.meta.url));
const devices = fileURLToPath(new URL("../examples/devices/", import.meta.url));

/** Every corpus file that holds a task sequence (a `<sequence>` document or an export's object.xml). */
function sequenceFiles(): string[] {
  return readdirSync(corpus)
    .filter((f) => f.endsWith(".xml"))
    .sort()
    .filter((f) => {
      const bytes = readFileSync(`${corpus}${f}`);
      for (const parse of [parseSequenceXml, parsePackageObject]) {
        try {
          parse(bytes);
          return true;
        } catch (e) {
          if (!isTaskSeqError(e)) throw e;
        }
      }
      return false;
    });
}

const files = sequenceFiles();
const profiles = readdirSync(devices).filter((f) => f.endsWith(".json")).sort();

describe("taskseq plan on every corpus sequence with every example device profile", () => {
  it("finds the corpus and the profiles", () => {
    expect(files.length).toBeGreaterThan(30);
    expect(profiles.length).toBeGreaterThanOrEqual(6);
  });

  for (const file of files) {
    it(file, async () => {
      for (const profile of profiles) {
        let out = "";
        let err = "";
        const io = createNodeIo({ cwd: root, stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
        const code = await runCli(["plan", `${corpus}${file}`, "--device", `${devices}${profile}`, "--json"], io);
        expect({ profile, code, err }).toEqual({ profile, code: 0, err: "" });
        const json = JSON.parse(out) as { status: string; steps: { outcome: string }[]; plan: { items: { path: string; decision: string; reason: string }[] } };
        expect(json.status).toBe("success");
        expect(json.plan.items.length, profile).toBeGreaterThan(0);
        for (const step of json.steps) expect(["not-run", "skipped-condition", "skipped-disabled"]).toContain(step.outcome);
        for (const item of json.plan.items) {
          expect(["will-run", "will-skip", "depends"]).toContain(item.decision);
          expect(item.reason, `${profile} ${item.path}`).not.toBe("");
        }
      }
    });
  }
});
