import type { DeviceProfile } from "@taskseq/device";
import type { RunOptions } from "@taskseq/engine";
import type { LayerVariable } from "@taskseq/environment";
import { checkVariableName, TaskSeqError } from "@taskseq/model";
import type { Architecture, ContentObject } from "./content-catalog.js";
import type { Site } from "./site.js";

/** Task sequence media types. */
export type MediaType = "stand-alone" | "bootable" | "prestaged" | "capture";

/** Options of {@link createMedia}. */
export interface MediaOptions {
  /** Media type. */
  readonly type: MediaType;
  /** Boot image package ID. Default: the task sequence's boot image. */
  readonly bootImageId?: string;
  /** The task sequence (stand-alone media; prestaged media may name one to list its content). */
  readonly taskSequence?: string;
  /** Content to put on prestaged media (an OS image at least). */
  readonly content?: readonly string[];
  /** Media password (asked when the media boots). */
  readonly password?: string;
  /** Media variables: they replace collection and device variables. */
  readonly variables?: readonly LayerVariable[];
}

/** Created media. */
export interface Media {
  /** Type. */
  readonly type: MediaType;
  /** The boot image. */
  readonly bootImage: ContentObject;
  /** The task sequence on the media (stand-alone). */
  readonly taskSequence: string | undefined;
  /** Content on the media. */
  readonly content: readonly ContentObject[];
  /** True when the media asks for a password. */
  readonly passwordProtected: boolean;
  /** Media variables. */
  readonly variables: readonly LayerVariable[];
  /**
   * Starts the media on a device: checks the password (`AccessDenied`) and the boot image
   * architecture (`WrongEnvironment`), and returns what the engine needs: the run options (launch
   * mode `HD` for prestaged media, else `UFD`; media type; media variables) and the device
   * profile as the media sees it (stand-alone media: only the content on the media, no
   * distribution point).
   */
  boot(profile: DeviceProfile, password?: string): MediaBoot;
}

/** What {@link Media.boot} returns. */
export interface MediaBoot {
  /** Engine run options. */
  readonly runOptions: RunOptions;
  /** The device profile as the run sees it. */
  readonly profile: DeviceProfile;
}

/** A device profile's architecture (from Windows PE, else the installed OS; ARM processors are arm64). */
export function profileArchitecture(profile: DeviceProfile): Architecture {
  if (/\b(ARM|Snapdragon|SQ\d)\b/i.test(profile.hardware.processorName ?? "")) return "arm64";
  const bits = profile.os.winpe?.architecture ?? profile.os.installed?.architecture ?? "64";
  return bits === "32" ? "x86" : "x64";
}

/**
 * Whether a boot image of `image` architecture starts on a device: the same architecture always;
 * an x86 boot image also on an x64 BIOS device; never across arm64; never an x64 image on x86.
 */
export function bootImageStarts(image: Architecture, device: Architecture, firmware: "UEFI" | "BIOS"): boolean {
  if (image === device) return true;
  return image === "x86" && device === "x64" && firmware === "BIOS";
}

/**
 * Creates task sequence media. Stand-alone media carry the sequence and all its content and run
 * without a network; bootable media carry only the boot image and get the sequence from the
 * site; prestaged media carry the boot image and the chosen content; capture media start the
 * capture wizard.
 *
 * @example
 * ```ts
 * const media = createMedia(site, { type: "stand-alone", taskSequence: "PS100001", password: "p@ss", variables: [{ name: "OSDComputerName", value: "KIOSK01" }] });
 * const { runOptions, profile } = media.boot(deviceProfile, "p@ss");
 * ```
 */
export function createMedia(site: Site, options: MediaOptions): Media {
  const entry = options.taskSequence === undefined ? undefined : site.library.get(options.taskSequence);
  if (options.type === "stand-alone" && entry === undefined) throw new TaskSeqError("InvalidArgument", "Stand-alone media need a task sequence.");
  if ((options.type === "bootable" || options.type === "capture") && entry !== undefined) throw new TaskSeqError("InvalidArgument", `${options.type} media don't carry a task sequence; clients get it from the site.`);
  const bootImageId = options.bootImageId ?? entry?.properties.bootImageId;
  if (bootImageId === undefined) throw new TaskSeqError("InvalidArgument", "Media need a boot image.");
  const bootImage = site.content.find(bootImageId);
  if (bootImage?.kind !== "boot-image") throw new TaskSeqError("ReferenceBroken", `Boot image ${bootImageId} is not in the catalog.`, { details: { references: [bootImageId] } });
  if (options.password !== undefined && options.password.length === 0) throw new TaskSeqError("InvalidArgument", "A media password can't be empty.");
  const variables = [...(options.variables ?? [])];
  variables.forEach((v) => {
    const check = checkVariableName(v.name);
    if (!check.ok) throw new TaskSeqError(check.code, check.code === "ReadOnlyVariable" ? `Media variable ${v.name} is read-only.` : `${check.message} It can't be a media variable.`);
  });
  let content: ContentObject[] = [bootImage];
  if (options.type === "stand-alone" && entry !== undefined) content = unique([bootImage, ...site.contentFor(entry.packageId)]);
  if (options.type === "prestaged") {
    const chosen = (options.content ?? []).map((id) => {
      const o = site.content.find(id);
      if (o === undefined) throw new TaskSeqError("ReferenceBroken", `Content ${id} is not in the catalog.`, { details: { references: [id] } });
      return o;
    });
    if (!chosen.some((o) => o.kind === "os-image")) throw new TaskSeqError("InvalidArgument", "Prestaged media need an OS image.");
    content = unique([bootImage, ...chosen]);
  }
  const password = options.password;
  const onMedia = new Set(content.map((o) => o.id.toUpperCase()));

  return {
    type: options.type,
    bootImage,
    taskSequence: entry?.packageId,
    content,
    passwordProtected: password !== undefined,
    variables,
    boot: (profile, given) => {
      if (password !== undefined && given !== password) throw new TaskSeqError("AccessDenied", "The media password is not correct.");
      const device = profileArchitecture(profile);
      const image = bootImage.architecture ?? "x64";
      if (!bootImageStarts(image, device, profile.firmware.type === "BIOS" ? "BIOS" : "UEFI")) {
        throw new TaskSeqError("WrongEnvironment", `The ${image} boot image of the media can't start on this ${device} ${profile.firmware.type} device.`);
      }
      const standAlone = options.type === "stand-alone";
      const runOptions: RunOptions = {
        launchMode: options.type === "prestaged" ? "HD" : "UFD",
        mediaType: standAlone ? "FullMedia" : options.type === "prestaged" ? "OEMMedia" : "BootMedia",
        variables: { media: variables },
        ...(entry === undefined ? {} : { packageId: entry.packageId }),
      };
      return { runOptions, profile: standAlone ? restrictContent(profile, onMedia) : profile };
    },
  };
}

/** The profile with only the content whose IDs are on the media (stand-alone media have no distribution point). */
function restrictContent(profile: DeviceProfile, ids: ReadonlySet<string>): DeviceProfile {
  const c = profile.content;
  if (c === undefined) return profile;
  const keep = <T extends { readonly id?: string }>(list: readonly T[] | undefined): T[] => (list ?? []).filter((x) => x.id !== undefined && ids.has(x.id.toUpperCase()));
  return { ...profile, content: { packages: keep(c.packages), applications: keep(c.applications), images: keep(c.images), driverPackages: keep(c.driverPackages), upgradePackages: keep(c.upgradePackages) } };
}

function unique(objects: readonly ContentObject[]): ContentObject[] {
  return [...new Map(objects.map((o) => [o.id.toUpperCase(), o])).values()];
}
