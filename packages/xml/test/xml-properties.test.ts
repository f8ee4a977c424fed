import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createGroup, createSequence, isTaskSeqError } from "@taskseq/model";
import type { Step } from "@taskseq/model";
import { parseSequenceXml, writeSequenceXml } from "@taskseq/xml";
import { corpusBytes } from "./helpers/corpus.js";

const seed = corpusBytes("049_mdt-drfiles-CONVERTOS.xml");

/** XML 1.0 allows tab, LF, CR and U+0020 upwards except surrogates and U+FFFE/U+FFFF. */
const xmlChar = fc.oneof(
  fc.constantFrom("\t", "\n", "\r", "&", "<", ">", '"', "'", "]]>", " ", "%", "é", "€", "😀"),
  fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 3 }),
);
const xmlText = fc.array(xmlChar, { maxLength: 12 }).map((parts) => parts.join(""));

describe("property: hostile or random input never crashes the reader", () => {
  it("mutated real documents either parse or fail with a TaskSeqError", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: seed.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), fc.nat({ max: seed.length }), (flips, cut) => {
        const bytes = seed.slice(0, Math.max(cut, 1));
        for (const [at, value] of flips) if (at < bytes.length) bytes[at] = value;
        try {
          parseSequenceXml(bytes);
        } catch (error) {
          expect(isTaskSeqError(error)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("property: written values read back exactly", () => {
  it("names, descriptions, actions and variable values survive write and read in both versions", () => {
    fc.assert(
      fc.property(xmlText, xmlText, xmlText, xmlText, (name, description, action, value) => {
        const step: Step = {
          kind: "step",
          element: "step",
          type: "SMS_TaskSequence_RunCommandLineAction",
          name,
          description,
          disabled: false,
          continueOnError: false,
          successCodes: [0, 3010],
          runIn: "WinPEandFullOS",
          retryCount: 0,
          runFromNet: false,
          action,
          variables: [{ name: "CommandLine", property: "CommandLine", value }],
        };
        for (const version of ["3.00", "3.10"] as const) {
          const read = parseSequenceXml(writeSequenceXml(createSequence([createGroup(name, [step])], { version }))).sequence;
          const group = read.items[0];
          const back = group?.kind === "group" ? (group.children[0] as Step) : undefined;
          expect([group?.name, back?.name, back?.description, back?.action, back?.variables[0]?.value]).toEqual([name, name, description, action, value]);
        }
      }),
      { numRuns: 200 },
    );
  });
});
