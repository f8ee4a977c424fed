/**
 * Check Readiness (`SMS_TaskSequence_PrestartCheckAction`, spec/steps.md §11).
 */
import { compareVersions, type StepHandlerContext } from "@taskseq/engine";
import { TaskSeqError } from "@taskseq/model";
import { capability } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { flag, integer, oneOf, required, type Settings } from "../internal/settings.js";
import { parseSettingVersion } from "../internal/version.js";

/** One readiness check: its switch property, result variable and test. */
interface ReadinessCheck {
  readonly name: string;
  readonly switch: string;
  readonly variable: string;
  readonly test: (ctx: StepHandlerContext, settings: Settings) => Promise<boolean>;
}

const MB = 1024 * 1024;

async function freeDiskMb(ctx: StepHandlerContext): Promise<number[]> {
  const disks = capability(ctx, "disks");
  const [list, volumes] = await Promise.all([disks.listDisks(), disks.listVolumes()]);
  return list.map((d) => (d.unallocatedBytes + volumes.filter((v) => v.diskIndex === d.index).reduce((s, v) => s + v.freeBytes, 0)) / MB);
}

const osVersion = async (ctx: StepHandlerContext): Promise<number[]> => {
  const v = (await capability(ctx, "os").facts()).version;
  return [v.major, v.minor, v.build];
};

/**
 * Every check in documentation order. The two TPM checks (2111+) have no observed property
 * names; the SDK reads `CheckTPMEnabled` and `CheckTPMActivated` (decision, docs/step-compatibility.md).
 */
const CHECKS: readonly ReadinessCheck[] = [
  { name: "Minimum memory", switch: "CheckMemory", variable: "_TS_CRMEMORY", test: async (c, s) => (await capability(c, "hardware").facts()).memoryMB >= integer(s, "Memory", 512) },
  { name: "Minimum processor speed", switch: "CheckProcessorSpeed", variable: "_TS_CRSPEED", test: async (c, s) => (await capability(c, "hardware").facts()).maxClockSpeedMHz >= integer(s, "ProcessorSpeed", 800) },
  { name: "Minimum free disk space", switch: "CheckFreeDiskSpace", variable: "_TS_CRDISK", test: async (c, s) => (await freeDiskMb(c)).some((mb) => mb >= integer(s, "FreeDiskSpace", 25000)) },
  { name: "OS type", switch: "CheckOSType", variable: "_TS_CROSTYPE", test: async (c, s) => (await capability(c, "os").facts()).productType === oneOf(s, "OSType", ["CLIENT", "SERVER"], "CLIENT") },
  { name: "Architecture", switch: "CheckOSArchitecture", variable: "_TS_CRARCH", test: async (c, s) => (await capability(c, "os").facts()).architecture === oneOf(s, "OSArchitecture", ["32", "64"], "64") },
  { name: "Minimum OS version", switch: "CheckMinOSVersion", variable: "_TS_CRMINOSVER", test: async (c, s) => compareVersions(await osVersion(c), parseSettingVersion(required(s, "MinOSVersion"), "MinOSVersion")) >= 0 },
  { name: "Maximum OS version", switch: "CheckMaxOSVersion", variable: "_TS_CRMAXOSVER", test: async (c, s) => compareVersions(await osVersion(c), parseSettingVersion(required(s, "MaxOSVersion"), "MaxOSVersion")) <= 0 },
  {
    name: "Minimum client version",
    switch: "CheckCMClientMinVersion",
    variable: "_TS_CRCLIENTMINVER",
    test: async (c, s) => {
      const min = parseSettingVersion(required(s, "CMClientMinVersion"), "CMClientMinVersion");
      const client = (await capability(c, "os").facts()).clientVersion;
      return client !== undefined && compareVersions(parseSettingVersion(client, "client version"), min) >= 0;
    },
  },
  { name: "OS language", switch: "CheckOSLanguageID", variable: "_TS_CROSLANGUAGE", test: async (c, s) => (await capability(c, "os").facts()).language === integer(s, "OSLanguageID", -1) },
  { name: "AC power", switch: "CheckPowerState", variable: "_TS_CRACPOWER", test: async (c) => (await capability(c, "hardware").power()).source === "AC" },
  { name: "Network connected", switch: "CheckNetworkConnected", variable: "_TS_CRNETWORK", test: async (c) => (await capability(c, "hardware").networkAdapters()).some((a) => a.connected) },
  { name: "Network wired", switch: "CheckNetworkWired", variable: "_TS_CRWIRED", test: async (c) => (await capability(c, "hardware").networkAdapters()).some((a) => a.connected && !a.wireless) },
  { name: "UEFI", switch: "CheckDeviceUEFI", variable: "_TS_CRUEFI", test: async (c) => (await capability(c, "hardware").facts()).firmware === "UEFI" },
  {
    name: "TPM 2.0 enabled",
    switch: "CheckTPMEnabled",
    variable: "_TS_CRTPMENABLED",
    test: async (c) => {
      const tpm = (await capability(c, "hardware").facts()).tpm;
      return tpm.present && tpm.enabled && compareVersions(parseSettingVersion(tpm.version || "0", "TPM version"), [2]) >= 0;
    },
  },
  {
    name: "TPM 2.0 activated",
    switch: "CheckTPMActivated",
    variable: "_TS_CRTPMACTIVATED",
    test: async (c) => {
      const tpm = (await capability(c, "hardware").facts()).tpm;
      const tpm2 = tpm.present && tpm.enabled && compareVersions(parseSettingVersion(tpm.version || "0", "TPM version"), [2]) >= 0;
      return !tpm2 || tpm.activated;
    },
  },
];

/**
 * Evaluates every enabled check (even after a failure), logs each result and writes its
 * `_TS_CR*` variable (`1` passed, `0` failed); fails with `ReadinessCheckFailed` (4316) listing
 * the failed checks in `error.details.failedChecks`.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_PrestartCheckAction", checkReadinessHandler);
 * ```
 */
export const checkReadinessHandler = defineHandler(async (ctx) => {
  const failedChecks: string[] = [];
  for (const check of CHECKS) {
    if (!flag(ctx.settings, check.switch, false)) continue;
    const passed = await check.test(ctx, ctx.settings);
    ctx.setReadOnly(check.variable, passed ? "1" : "0");
    if (passed) ctx.log.info(`Check Readiness: ${check.name} passed.`);
    else {
      ctx.log.warning(`Check Readiness: ${check.name} failed.`);
      failedChecks.push(check.name);
    }
  }
  if (failedChecks.length === 0) return { exitCode: 0 };
  const error = new TaskSeqError("ReadinessCheckFailed", `Readiness checks failed: ${failedChecks.join(", ")}.`, { details: { failedChecks } });
  return { exitCode: 4316, succeeded: false, error };
});
