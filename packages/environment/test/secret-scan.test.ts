import { describe, expect, it } from "vitest";
import { createAesGcmSecretStore, createEnvironment } from "@taskseq/environment";

const SECRETS = ["Sw0rdfish-Alpha", "TPM-0wner-Beta", "Col1ection-Gamma", "St3p-Default-Delta", "Scr1pt-Epsilon", "Exp4nded-Zeta"];

describe("no secret value escapes (logging.md §9 test)", () => {
  it("scans every log line, error, event, record, view and persisted state for each secret: zero hits", async () => {
    const seen: string[] = [];
    const log = (line: string): void => void seen.push(line);
    const capture = (fn: () => unknown): void => {
      try {
        fn();
      } catch (e) {
        seen.push(String(e), JSON.stringify(e), e instanceof Error ? e.message : "", JSON.stringify((e as { details?: unknown }).details));
      }
    };
    const { env, engine } = createEnvironment({
      secretStore: createAesGcmSecretStore(new Uint8Array(32).fill(9)),
      warnSize: 64,
      onSizeWarning: (size) => log(`warning: environment is ${size} bytes`),
    });
    engine.applyLayers({
      collections: [{ id: "C1", priority: 2, variables: [{ name: "CollectionKey", value: SECRETS[2] ?? "", secret: true }] }],
    });
    const start = env.mark();
    engine.setCurrentStep("Set Task Sequence Variable");
    env.set("AppSecret", SECRETS[0] ?? "", { secret: true }); // "do not display this value"
    env.set("TPMOwnerPassword", SECRETS[1] ?? ""); // secret by name
    engine.pushStepDefaults("Run Command Line", [{ name: "SMSTSRunCommandLineUserPassword", value: SECRETS[3] ?? "", secret: true }]);
    env.Value("ScriptOutPassword", SECRETS[4] ?? ""); // a script writes a secret-by-name...
    env.Value("ScriptOutPassword", SECRETS[4] ?? ""); // ...twice
    env.set("ScriptOutPassword", ""); // ...and deletes it: it stays in the filter
    env.set("Composite", "first-value", { secret: true });
    env.set("Composite", SECRETS[5] ?? ""); // stays secret

    // errors that mention names and (refused) values
    capture(() => env.set("AppSecret", `${SECRETS[0] ?? ""}${"x".repeat(4000)}`));
    capture(() => env.set("_AppSecret", SECRETS[0] ?? ""));
    capture(() => env.Value("Bad Name", SECRETS[1] ?? ""));
    capture(() => env.set(`${SECRETS[1] ?? ""}.`, "x"));
    capture(() => createEnvironment({ maxSize: 10 }).env.set("A", SECRETS[0] ?? ""));
    await engine.restore("{").catch((e: unknown) => seen.push(String(e)));

    // what hosts log and display
    log(`Set a global environment variable AppSecret=${env.isSecret("AppSecret") ? "********" : ""}`);
    log(env.redact(`command output: ${SECRETS.join(" | ")}`));
    log(env.expandDetailed("net use /user:a %AppSecret% %TPMOwnerPassword% %SMSTSRunCommandLineUserPassword% %CollectionKey%").display);
    seen.push(JSON.stringify(env.changesSince(start)), JSON.stringify(env.entries()), JSON.stringify(env.snapshot()));
    seen.push(JSON.stringify(env.GetVariables()));
    for (const n of env.GetVariables()) seen.push(JSON.stringify(env.explain(n)));
    seen.push(await engine.serialize(), await engine.serializeChanges(start));
    engine.popStepDefaults();
    seen.push(await engine.serialize());

    // the values are really there for the run itself
    expect(env.Value("AppSecret")).toBe(SECRETS[0]);
    expect(env.get("CollectionKey")).toBe(SECRETS[2]);
    expect(seen.length).toBeGreaterThan(20);
    for (const secret of SECRETS) {
      expect(seen.filter((s) => s.includes(secret))).toEqual([]);
    }
  });
});
