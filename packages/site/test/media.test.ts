import { describe, expect, it } from "vitest";
import { createSimulatedDevice } from "@taskseq/device";
import type { DeviceProfile } from "@taskseq/device";
import { createEngine } from "@taskseq/engine";
import type { RunOptions } from "@taskseq/engine";
import { createSequence, createStep } from "@taskseq/model";
import { createBuiltinHandlers } from "@taskseq/steps";
import { bootImageStarts, createMedia, createSite } from "@taskseq/site";
import { expectCode, loadProfile, setVariableStep } from "./helpers.js";

function mediaSite() {
  const site = createSite();
  site.content.add({ id: "PS100B64", kind: "boot-image", name: "Boot x64", architecture: "x64" });
  site.content.add({ id: "PS100B86", kind: "boot-image", name: "Boot x86", architecture: "x86" });
  site.content.add({ id: "CM100020", kind: "package", name: "Client" });
  site.content.add({ id: "CM100021", kind: "package", name: "USMT" });
  site.content.add({ id: "CM100012", kind: "os-image", name: "Windows 11", architecture: "x64" });
  const install = (id: string, name: string) => createStep("SMS_TaskSequence_InstallSoftwareAction", { PackageID: id, ProgramName: "Install" }, { name });
  const entry = site.library.add(createSequence([install("CM100020", "Install client"), install("%LATE_PACKAGE%", "Install late package"), setVariableStep("Echo", "Seen", "%Site%")], { name: "Kiosk" }));
  site.library.setProperties(entry.packageId, { bootImageId: "PS100B64" });
  site.directory.addDevice({ id: "PC1", name: "PC1" });
  site.directory.setDeviceVariable("PC1", "Site", "device");
  return { site, ts: entry.packageId };
}

const run = async (profile: DeviceProfile, options: RunOptions) => createEngine({ handlers: createBuiltinHandlers(), device: createSimulatedDevice(profile) }).run(createSite().library.add(createSequence([])).sequence, options);

describe("task sequence media", () => {
  it("stand-alone media carry everything; content missing from the media fails the step that needs it", async () => {
    const { site, ts } = mediaSite();
    const media = createMedia(site, { type: "stand-alone", taskSequence: ts, variables: [{ name: "Site", value: "media" }, { name: "LATE_PACKAGE", value: "CM100021" }] });
    expect(media.content.map((c) => c.id).sort()).toEqual(["CM100020", "PS100B64"]);
    const { runOptions, profile } = media.boot(loadProfile("dell-latitude-5440.json"));
    expect(profile.content?.packages?.map((p) => p.id)).toEqual(["CM100020"]);
    const result = await createEngine({ handlers: createBuiltinHandlers(), device: createSimulatedDevice(profile) }).run(site.library.get(ts).sequence, runOptions);
    expect(result.steps.map((s) => s.outcome)).toEqual(["success", "failed", "not-run"]);
    expect(result.steps[1]?.reason ?? "").toMatch(/CM100021|not found|content/i);
  });

  it("Download Package Content is not supported on stand-alone media", async () => {
    const site = createSite();
    site.content.add({ id: "PS100B64", kind: "boot-image", name: "Boot x64", architecture: "x64" });
    site.content.add({ id: "CM100021", kind: "package", name: "USMT" });
    const entry = site.library.add(createSequence([createStep("SMS_TaskSequence_DownloadPackageContentAction", { DownloadPackages: "CM100021" }, { name: "Download" })]));
    site.library.setProperties(entry.packageId, { bootImageId: "PS100B64" });
    const { runOptions, profile } = createMedia(site, { type: "stand-alone", taskSequence: entry.packageId }).boot(loadProfile("dell-latitude-5440.json"));
    const result = await createEngine({ handlers: createBuiltinHandlers(), device: createSimulatedDevice(profile) }).run(entry.sequence, runOptions);
    expect(result.status).toBe("failed");
    expect(result.steps[0]?.reason ?? "").toContain("not supported on stand-alone media");
  });

  it("media variables replace collection and device variables", async () => {
    const { site } = mediaSite();
    const media = createMedia(site, { type: "bootable", bootImageId: "PS100B64", variables: [{ name: "Site", value: "media" }] });
    const { runOptions } = media.boot(loadProfile());
    const result = await run(loadProfile(), { ...runOptions, variables: { ...site.directory.variablesFor("PC1"), ...runOptions.variables } });
    expect(result.variables["Site"]).toBe("media");
    const withoutMedia = await run(loadProfile(), { variables: site.directory.variablesFor("PC1") });
    expect(withoutMedia.variables["Site"]).toBe("device");
  });

  it("a media password is required and never shown", () => {
    const { site, ts } = mediaSite();
    const media = createMedia(site, { type: "stand-alone", taskSequence: ts, password: "Open-Sesame" });
    expect(media.passwordProtected).toBe(true);
    const msg = expectCode(() => media.boot(loadProfile(), "wrong"), "AccessDenied");
    expect(msg).not.toContain("Open-Sesame");
    expect(JSON.stringify(media)).not.toContain("Open-Sesame");
    expect(media.boot(loadProfile(), "Open-Sesame").runOptions.mediaType).toBe("FullMedia");
  });

  it("an architecture mismatch stops the boot; x86 boot images start on 64-bit BIOS devices", () => {
    const { site } = mediaSite();
    const x86 = createMedia(site, { type: "bootable", bootImageId: "PS100B86" });
    expect(expectCode(() => x86.boot(loadProfile("hyperv-gen2-vm.json")), "WrongEnvironment")).toContain("x86");
    expect(x86.boot(loadProfile("dell-optiplex-7010-bios.json")).runOptions.mediaType).toBe("BootMedia");
    expect([bootImageStarts("x64", "x86", "BIOS"), bootImageStarts("x64", "arm64", "UEFI"), bootImageStarts("arm64", "arm64", "UEFI")]).toEqual([false, false, true]);
  });

  it("prestaged media need an OS image; capture and bootable media carry no sequence; every media needs a boot image", () => {
    const { site, ts } = mediaSite();
    expectCode(() => createMedia(site, { type: "prestaged", bootImageId: "PS100B64", content: ["CM100020"] }), "InvalidArgument");
    const pre = createMedia(site, { type: "prestaged", bootImageId: "PS100B64", content: ["CM100012", "CM100020"] });
    expect(pre.boot(loadProfile()).runOptions.mediaType).toBe("OEMMedia");
    expectCode(() => createMedia(site, { type: "capture", bootImageId: "PS100B64", taskSequence: ts }), "InvalidArgument");
    expectCode(() => createMedia(site, { type: "bootable", bootImageId: "NOPE" }), "ReferenceBroken");
    expectCode(() => createMedia(site, { type: "stand-alone" }), "InvalidArgument");
    expectCode(() => createMedia(site, { type: "bootable", bootImageId: "PS100B64", variables: [{ name: "_SMSTSMediaType", value: "x" }] }), "ReadOnlyVariable");
  });

  it("prestaged media start in launch mode HD; the other media in UFD (builtin-variables.md §1)", async () => {
    const { site, ts } = mediaSite();
    const pre = createMedia(site, { type: "prestaged", bootImageId: "PS100B64", content: ["CM100012"] }).boot(loadProfile());
    expect(pre.runOptions.launchMode).toBe("HD");
    expect((await run(loadProfile(), pre.runOptions)).variables["_SMSTSLaunchMode"]).toBe("HD");
    expect(createMedia(site, { type: "stand-alone", taskSequence: ts }).boot(loadProfile()).runOptions.launchMode).toBe("UFD");
    expect(createMedia(site, { type: "bootable", bootImageId: "PS100B64" }).boot(loadProfile()).runOptions.launchMode).toBe("UFD");
  });

  it("media variable names are checked when the media are created", () => {
    const { site, ts } = mediaSite();
    for (const name of ["Bad Name", "", "Bad%Name"]) {
      expectCode(() => createMedia(site, { type: "stand-alone", taskSequence: ts, variables: [{ name, value: "x" }] }), "InvalidVariableName");
    }
    expect(createMedia(site, { type: "stand-alone", taskSequence: ts, variables: [{ name: "OSDComputerName", value: "KIOSK01" }] }).variables).toHaveLength(1);
  });
});
