/** `_SMSTSTimezone` and `_SMSTSTaskSequence`: start built-ins from the device's time zone and the running sequence (builtin-variables.md §1, §1.1). */
import { describe, expect, it } from "vitest";
import { createEngine, createMapResolver, createMemoryLogSink, createMemoryStateStore, type StepHandler } from "@taskseq/engine";
import type { Group, Step, TaskSequence } from "@taskseq/model";
import { createFakeDevice } from "./fake-device.js";
import { group, scripted, sequence, step } from "./fixtures.js";

const EASTERN = "300,0,-60,0,11,0,1,2,0,0,0,0,3,0,2,2,0,0,0,Eastern Standard Time,Eastern Daylight Time";
const JUNE_2025 = (): number => Date.UTC(2025, 5, 1);

/** A step that copies what it reads from the environment into `Seen<name>` (what a script reads). */
const reader =
  (...names: string[]): StepHandler =>
  (ctx) => {
    for (const n of names) ctx.env.set(`Seen${n.replace(/^_/, "")}`, ctx.env.get(n) ?? "(unset)");
    return Promise.resolve({ exitCode: 0 });
  };

const restartWith =
  (apply: () => void): StepHandler =>
  () => {
    apply();
    return Promise.resolve({ exitCode: 3010 });
  };

function runTs(name: string, packageId: string): Step {
  return step(name, { element: "subtasksequence", type: "SMS_TaskSequence_SubTasksequence", variables: [{ name: "OSDSubTasksequencePackageID", property: "TsPackageID", value: packageId }] });
}

describe("_SMSTSTimezone (builtin-variables.md §1)", () => {
  it("is the TIME_ZONE_INFORMATION of the device's Windows time zone, readable by steps", async () => {
    const { handlers } = scripted({}, { Reader: reader("_SMSTSTimezone") });
    const device = createFakeDevice({ timeZone: "Eastern Standard Time" });
    const r = await createEngine({ handlers, device, now: JUNE_2025 }).run(sequence([step("Read", { type: "Reader" })]));
    expect(r.variables["_SMSTSTimezone"]).toBe(EASTERN);
    expect(r.variables["SeenSMSTSTimezone"]).toBe(EASTERN);
  });

  it("holds the southern hemisphere's rules and a zone without daylight time", async () => {
    const sydney = await createEngine({ device: createFakeDevice({ timeZone: "AUS Eastern Standard Time" }), now: JUNE_2025 }).run(sequence([]));
    expect(sydney.variables["_SMSTSTimezone"]).toBe("-600,0,-60,0,4,0,1,3,0,0,0,0,10,0,1,2,0,0,0,AUS Eastern Standard Time,AUS Eastern Daylight Time");
    const utc = await createEngine({ device: createFakeDevice(), now: JUNE_2025 }).run(sequence([]));
    expect(utc.variables["_SMSTSTimezone"]).toBe("0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,Coordinated Universal Time,Coordinated Universal Time");
  });

  it("an unknown time zone leaves it unset with a warning; the run goes on", async () => {
    const log = createMemoryLogSink();
    const r = await createEngine({ handlers: scripted().handlers, device: createFakeDevice({ timeZone: "Mars Standard Time" }), log, now: JUNE_2025 }).run(sequence([step("A")]));
    expect(r.status).toBe("success");
    expect(r.variables["_SMSTSTimezone"]).toBeUndefined();
    expect(log.entries().find((e) => e.messageId === "time-zone")).toMatchObject({ type: 2 });
    expect(log.text()).toContain('The time zone "Mars Standard Time" is not a known Windows time zone');
  });

  it("a clock outside SYSTEMTIME's years leaves it unset; the run goes on", async () => {
    const r = await createEngine({ handlers: scripted().handlers, device: createFakeDevice({ timeZone: "Eastern Standard Time" }), now: () => Number.NaN }).run(sequence([step("A")]));
    expect(r.status).toBe("success");
    expect(r.variables["_SMSTSTimezone"]).toBeUndefined();
  });

  it("is set at the start only: a restart on a device whose time zone changed keeps the start value", async () => {
    const device = createFakeDevice({ timeZone: "Eastern Standard Time" });
    const { handlers } = scripted({}, { Restart: restartWith(() => (device.state.timeZone = "Tokyo Standard Time")), Reader: reader("_SMSTSTimezone") });
    const engine = createEngine({ handlers, device, state: createMemoryStateStore(), now: JUNE_2025 });
    const seq = sequence([step("Restart", { type: "Restart" }), step("Read", { type: "Reader" })]);
    expect((await engine.run(seq, { stopAtRestart: true })).status).toBe("restart-pending");
    const resumed = await engine.resume();
    expect(resumed.status).toBe("success");
    expect(resumed.variables["SeenSMSTSTimezone"]).toBe(EASTERN);
  });
});

describe("_SMSTSTaskSequence (builtin-variables.md §1.1)", () => {
  const doc = (seq: TaskSequence): string => `<sequence version="3.10">${seq.items.map((i) => i.name).join("|")}</sequence>`;

  it("is unset without the sequenceDocument option", async () => {
    const r = await createEngine({ device: createFakeDevice() }).run(sequence([step("A")]));
    expect(r.variables["_SMSTSTaskSequence"]).toBeUndefined();
  });

  it("holds the host's document of the merged sequence, written once per run start, readable by steps", async () => {
    const seen: TaskSequence[] = [];
    const { handlers } = scripted({}, { Reader: reader("_SMSTSTaskSequence") });
    const resolver = createMapResolver([{ packageId: "CHILD001", name: "Child", sequence: sequence([step("C1"), group("CG", [step("C2")])]) }]);
    const engine = createEngine({
      handlers,
      resolver,
      device: createFakeDevice(),
      sequenceDocument: (s) => {
        seen.push(s);
        return doc(s);
      },
    });
    const seq = sequence([step("P1"), group("G", [runTs("Run child", "CHILD001")]), runTs("Off", "MISSING1"), step("Read", { type: "Reader" })]);
    const disabled: TaskSequence = { ...seq, items: seq.items.map((i) => (i.name === "Off" ? { ...i, disabled: true } : i)) };
    const r = await engine.run(disabled);
    expect(r.status).toBe("success");
    expect(seen).toHaveLength(1);
    expect(r.variables["_SMSTSTaskSequence"]).toBe('<sequence version="3.10">P1|G|Off|Read</sequence>');
    expect(r.variables["SeenSMSTSTaskSequence"]).toBe(r.variables["_SMSTSTaskSequence"]);
    // The Run Task Sequence step became a group of its name holding the child's items; the disabled one stays a step.
    const merged = (seen[0]?.items[1] as Group).children[0] as Group;
    expect(merged).toMatchObject({ kind: "group", name: "Run child" });
    expect(merged.children.map((i) => i.name)).toEqual(["C1", "CG"]);
    expect(seen[0]?.items[2]).toMatchObject({ kind: "step", name: "Off" });
  });

  it("is set at the start only, not again on resume", async () => {
    let calls = 0;
    const { handlers } = scripted({}, { Restart: restartWith(() => undefined) });
    const engine = createEngine({ handlers, device: createFakeDevice(), state: createMemoryStateStore(), sequenceDocument: (s) => `${doc(s)}${++calls}` });
    await engine.run(sequence([step("Restart", { type: "Restart" }), step("B")]), { stopAtRestart: true });
    const resumed = await engine.resume();
    expect(calls).toBe(1);
    expect(resumed.variables["_SMSTSTaskSequence"]).toBe('<sequence version="3.10">Restart|B</sequence>1');
  });

  it("is not bound by the 4,000-character value limit, and survives a restart in the persisted state", async () => {
    const big = `<sequence version="3.10">${"x".repeat(50_000)}</sequence>`;
    const length: StepHandler = (ctx) => {
      ctx.env.set("SeenLength", String(ctx.env.get("_SMSTSTaskSequence")?.length ?? 0)); // a user write of the value itself would be over the limit
      return Promise.resolve({ exitCode: 0 });
    };
    const { handlers } = scripted({}, { Restart: restartWith(() => undefined), Reader: length });
    const engine = createEngine({ handlers, device: createFakeDevice(), state: createMemoryStateStore(), sequenceDocument: () => big });
    await engine.run(sequence([step("Restart", { type: "Restart" }), step("Read", { type: "Reader" })]), { stopAtRestart: true });
    const resumed = await engine.resume();
    expect(resumed.error).toBeUndefined();
    expect(resumed.status).toBe("success");
    expect(resumed.variables["_SMSTSTaskSequence"]).toBe(big);
    expect(resumed.variables["SeenLength"]).toBe(String(big.length));
  });

  it("counts toward the environment size: a document too big for it is a warning and stays unset", async () => {
    const log = createMemoryLogSink();
    const big = "y".repeat(20_000); // 40,000 bytes
    const r = await createEngine({ handlers: scripted().handlers, device: createFakeDevice(), log, maxEnvironmentSize: 30_000, sequenceDocument: () => big }).run(sequence([step("A")]));
    expect(r.status).toBe("success");
    expect(r.variables["_SMSTSTaskSequence"]).toBeUndefined();
    expect(log.entries().find((e) => e.messageId === "sequence-document")).toMatchObject({ type: 2 });
    expect(log.text()).toContain("_SMSTSTaskSequence is not set: the document does not fit in the task sequence environment");
    const fits = await createEngine({ handlers: scripted().handlers, device: createFakeDevice(), maxEnvironmentSize: 60_000, sequenceDocument: () => big }).run(sequence([step("A")]));
    expect(fits.variables["_SMSTSTaskSequence"]).toBe(big);
  });

  it("a throwing or non-string writer is a warning and leaves it unset", async () => {
    const log = createMemoryLogSink();
    const r = await createEngine({
      handlers: scripted().handlers,
      device: createFakeDevice(),
      log,
      sequenceDocument: () => {
        throw new Error("writer broke");
      },
    }).run(sequence([step("A")]));
    expect(r.status).toBe("success");
    expect(r.variables["_SMSTSTaskSequence"]).toBeUndefined();
    expect(log.text()).toContain("_SMSTSTaskSequence is not set: writer broke");
    const odd = await createEngine({ handlers: scripted().handlers, device: createFakeDevice(), sequenceDocument: (() => 42) as unknown as () => string }).run(sequence([step("A")]));
    expect(odd.status).toBe("success");
    expect(odd.variables["_SMSTSTaskSequence"]).toBeUndefined();
  });
});
