import { describe, expect, it } from "vitest";
import type { StepHandler } from "@taskseq/engine";
import { compilePowerShellForRunner, createScriptRunner, type ScriptRunRequest } from "@taskseq/script";
import { createBuiltinHandlers, RUN_SCRIPT_STEP_TYPE } from "@taskseq/steps";
import { encodePowerShellScript } from "@taskseq/xml";
import { device, run } from "./helpers.js";

const laptop = () => device("dell-latitude-5440");

function handler(registry: ReturnType<typeof createBuiltinHandlers>, type: string): StepHandler {
  const h = registry.get(type);
  if (h === undefined) throw new Error(`no handler for ${type}`);
  return h;
}

describe("the scriptRunner option of createBuiltinHandlers", () => {
  it("runs every step's script in one runner (one QuickJS module), with each step's Parameters as the run's arguments", async () => {
    using runner = createScriptRunner({ compilePowerShell: compilePowerShellForRunner });
    const seen: (string | undefined)[] = [];
    const registry = createBuiltinHandlers({
      scriptRunner: {
        run: (request: ScriptRunRequest) => {
          seen.push(request.arguments);
          return runner.run(request);
        },
      },
    });
    const ps = handler(registry, "SMS_TaskSequence_RunPowerShellScriptAction");
    const source = encodePowerShellScript("param($Name)\n$ts = New-Object -ComObject Microsoft.SMS.TSEnvironment\n$ts.Value('Greeting') = \"Hello $Name\"");
    const first = await run(ps, { device: laptop(), settings: { SourceScript: source, Parameters: "-Name 'One'", ExecutionPolicy: "Bypass" } });
    const second = await run(ps, { device: laptop(), settings: { SourceScript: source, Parameters: "-Name 'Two'", ExecutionPolicy: "Bypass" } });
    const third = await run(handler(registry, RUN_SCRIPT_STEP_TYPE), { device: laptop(), settings: { Language: "JavaScript", Script: 'TSEnvironment.Value("Js", "yes")' } });
    expect([first.get("Greeting"), second.get("Greeting"), third.get("Js")]).toEqual(["Hello One", "Hello Two", "yes"]);
    expect(seen).toEqual(["-Name 'One'", "-Name 'Two'", undefined]);
    expect(runner.modulesCreated).toBe(1);
  });
});
