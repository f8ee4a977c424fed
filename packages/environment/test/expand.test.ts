import { describe, expect, it } from "vitest";
import { createEnvironment, expandReferences, SECRET_MASK } from "@taskseq/environment";

describe("%VAR% expansion (spec §11)", () => {
  const setup = () => {
    const { env, engine } = createEnvironment();
    env.set("Drive", "C:");
    engine.set("_SMSTSMachineName", "PC01");
    return { env, engine };
  };

  it("expands case-insensitively, including read-only variables", () => {
    const { env } = setup();
    expect(env.expand("cmd.exe /c %_SMSTSMACHINENAME% > %drive%\\File.txt")).toBe("cmd.exe /c PC01 > C:\\File.txt");
  });

  it("leaves undefined names, invalid names, lone and doubled percent signs literal", () => {
    const { env } = setup();
    expect(env.expand("%Nope% %not a var% 50% %% %Drive%")).toBe("%Nope% %not a var% 50% %% C:");
    expect(env.expand("100%Drive%")).toBe("100C:");
    expect(env.expand("%Drive%%Drive%")).toBe("C:C:");
    expect(env.expand("%Nope%Drive%")).toBe("%Nope%Drive%");
    expect(env.expand("no references")).toBe("no references");
    expect(env.expand(`%${"a".repeat(257)}%`)).toBe(`%${"a".repeat(257)}%`);
  });

  it("does a single pass: substituted text is not scanned again", () => {
    const { env } = setup();
    env.set("Outer", "%Drive%");
    expect(env.expand("[%Outer%]")).toBe("[%Drive%]");
  });

  it("sees local step defaults", () => {
    const { env, engine } = setup();
    engine.pushStepDefaults("Run", [{ name: "WorkingDirectory", value: "D:\\Work" }]);
    expect(env.expand("cd %WorkingDirectory%")).toBe("cd D:\\Work");
    engine.popStepDefaults();
    expect(env.expand("cd %WorkingDirectory%")).toBe("cd %WorkingDirectory%");
  });

  it("falls back to the process environment, and a task sequence variable wins", () => {
    const processEnvironment = (name: string): string | undefined => ({ WINDIR: "C:\\Windows", DRIVE: "Z:" })[name.toUpperCase()];
    const { env } = createEnvironment({ processEnvironment });
    env.set("Drive", "C:");
    expect(env.expand("%windir%\\system32 %Drive% %Other%")).toBe("C:\\Windows\\system32 C: %Other%");
    expect(env.expand("%windir%", { processEnvironment: () => "X:\\Win" })).toBe("X:\\Win");
  });

  it("records secret spans and masks them in the display form", () => {
    const { env } = setup();
    env.set("OSDJoinPassword", "Pa55");
    const out = env.expandDetailed("net use /user:x %OSDJoinPassword% on %Drive%");
    expect(out.text).toBe("net use /user:x Pa55 on C:");
    expect(out.secretSpans).toEqual([[16, 20]]);
    expect(out.display).toBe(`net use /user:x ${SECRET_MASK} on C:`);
  });

  it("masks known secret values that reached the text by other routes in the display form", () => {
    const { env } = setup();
    env.set("Key", "topsecret", { secret: true });
    expect(env.expandDetailed("literal topsecret %Drive%").display).toBe(`literal ${SECRET_MASK} C:`);
  });

  it("works as a standalone function over any resolver", () => {
    const out = expandReferences("%a%/%b%", (name) => (name === "a" ? { value: "1", secret: true } : undefined));
    expect(out).toEqual({ text: "1/%b%", secretSpans: [[0, 1]] });
  });
});
