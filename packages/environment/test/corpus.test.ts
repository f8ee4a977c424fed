import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createEnvironment, type StepDefault } from "@taskseq/environment";

const corpus = fileURLToPath(new URL("../../../../shared/corpus/", import.meta.url));
const files = readdirSync(corpus).filter((f) => f.endsWith(".xml"));
const decode = (s: string): string =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");

/** Every `<defaultVarList>` of a file, as step defaults (a light scan: the XML package owns parsing). */
function stepDefaultLists(xml: string): StepDefault[][] {
  return [...xml.matchAll(/<defaultVarList>([\s\S]*?)<\/defaultVarList>/g)].map((m) =>
    [...(m[1] ?? "").matchAll(/<variable name="([^"]*)" property="[^"]*"[^>]*>([^<]*)<\/variable>/g)].map((v) => ({ name: v[1] ?? "", value: decode(v[2] ?? "") })),
  );
}

describe("real task sequences (shared corpus)", () => {
  it("finds the corpus", () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it("pushes step settings longer than 4,000 characters (embedded scripts) as local defaults", () => {
    const xml = readFileSync(corpus + "012_cm-garytown-KB5025885-MediaCreator.xml", "utf8");
    const long = stepDefaultLists(xml).flat().find((d) => d.value.length > 4000);
    expect(long?.name).toBe("OSDRunPowerShellScriptSourceScript");
    const { env, engine } = createEnvironment();
    engine.pushStepDefaults("Run PowerShell Script", long === undefined ? [] : [long]);
    expect(env.get("OSDRunPowerShellScriptSourceScript")?.length).toBe(long?.value.length);
    engine.popStepDefaults();
  });

  it.each(files)("%s: every step's defaults push, expand and pop cleanly", (file) => {
    const lists = stepDefaultLists(readFileSync(corpus + file, "utf8"));
    const { env, engine } = createEnvironment({ processEnvironment: (n) => (n.toUpperCase() === "SYSTEMROOT" ? "C:\\Windows" : undefined) });
    engine.set("_SMSTSMachineName", "MININT-01");
    const before = env.size;
    for (const defaults of lists) {
      engine.pushStepDefaults("step", defaults);
      for (const d of defaults) {
        if (d.value === "") continue;
        expect(env.get(d.name)).toBe(d.value);
        expect(env.expand(d.value)).not.toMatch(/%(_SMSTSMachineName|systemroot)%/i);
      }
      engine.popStepDefaults();
    }
    expect(env.size).toBe(before);
  });

  it("expands a real setting: OSDComputerName defaults to %_SMSTSMachineName%", () => {
    const all = files.flatMap((f) => stepDefaultLists(readFileSync(corpus + f, "utf8")).flat());
    const setting = all.find((d) => d.name === "OSDComputerName" && d.value === "%_SMSTSMachineName%");
    expect(setting).toBeDefined();
    const { env, engine } = createEnvironment();
    engine.set("_SMSTSMachineName", "MININT-01");
    engine.pushStepDefaults("Apply Windows Settings", setting === undefined ? [] : [setting]);
    expect(env.expand(env.get("OSDComputerName") ?? "")).toBe("MININT-01");
  });
});
