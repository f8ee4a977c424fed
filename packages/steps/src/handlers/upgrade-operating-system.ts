/**
 * Upgrade Operating System (`SMS_TaskSequence_UpgradeOperatingSystemAction`, spec/steps.md §15).
 */
import type { StepHandlerContext } from "@taskseq/engine";
import { toSigned32 } from "@taskseq/engine";
import { TaskSeqError } from "@taskseq/model";
import { capability, downloadContent, requireEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { flag, integer, text } from "../internal/settings.js";

/** `0xC1900210` MOSETUP_E_COMPAT_SCANONLY: a compatibility scan found no issue. */
export const COMPAT_SCAN_SUCCESS = 3247440400;

/** Resolves the Setup source: the upgrade package's folder, the install path, or the feature update. */
async function setupSource(ctx: StepHandlerContext): Promise<string> {
  const packageId = text(ctx.settings, "InstallPackageID");
  const path = text(ctx.settings, "InstallPath");
  const feature = text(ctx.settings, "FeatureUpdateAssignmentId");
  const given = [packageId, path, feature].filter((s) => s !== "").length;
  if (given !== 1) throw new TaskSeqError("InvalidSetting", "Upgrade Operating System needs exactly one source: InstallPackageID, InstallPath or FeatureUpdateAssignmentId.");
  if (packageId !== "") return (await downloadContent(ctx, { id: packageId })).path;
  if (feature !== "") return (await downloadContent(ctx, { id: feature })).path;
  if (path.includes("%")) throw new TaskSeqError("InvalidSetting", `InstallPath "${path}" still holds an undefined variable reference.`);
  return path;
}

/**
 * Runs Windows Setup through the `setup` capability and writes its exit code, unsigned, to
 * `_SMSTSOSUpgradeActionReturnCode` in both modes.
 *
 * - `ScanOnly`: succeeds (0) exactly when Setup returns `0xC1900210` (3247440400); any other code
 *   fails the step with that code (signed).
 * - Full upgrade: success asks the engine for the Setup-driven restart into the upgraded OS,
 *   continuing with the next step. A rollback sets `_SMSTSSetupRollback=true` and fails the step
 *   with Setup's code so a Rollback group conditioned on it can run.
 *
 * Full OS only.
 *
 * @example
 * ```ts
 * registry.register("SMS_TaskSequence_UpgradeOperatingSystemAction", upgradeOperatingSystemHandler);
 * ```
 */
export const upgradeOperatingSystemHandler = defineHandler(async (ctx) => {
  await requireEnvironment(ctx, "FullOS", "Upgrade Operating System");
  const scanOnly = flag(ctx.settings, "ScanOnly", false);
  const setup = capability(ctx, "setup");
  const source = await setupSource(ctx);
  const productKey = ctx.settings["OsProductKey"] ?? "";
  const additional = ctx.env.get("OSDSetupAdditionalUpgradeOptions") ?? "";
  ctx.log.info(`Starting Windows Setup ${scanOnly ? "compatibility scan" : "upgrade"} from ${source}.`);
  const result = await setup.upgrade({
    source,
    editionIndex: integer(ctx.settings, "InstallEditionIndex", 1, 1000),
    scanOnly,
    ignoreMessages: flag(ctx.settings, "IgnoreMessages", false),
    ...(additional === "" ? {} : { additionalOptions: additional }),
    ...(productKey === "" ? {} : { productKey }),
  });
  const unsigned = result.exitCode >>> 0;
  ctx.setReadOnly("_SMSTSOSUpgradeActionReturnCode", String(unsigned));
  ctx.log.info(`Windows Setup returned ${unsigned} (0x${unsigned.toString(16).toUpperCase().padStart(8, "0")}).`);
  if (scanOnly) {
    if (unsigned === COMPAT_SCAN_SUCCESS) return { exitCode: 0 };
    return { exitCode: toSigned32(unsigned), succeeded: false, error: new TaskSeqError("DeviceOperationFailed", `The compatibility scan reported 0x${unsigned.toString(16).toUpperCase()}.`, { details: { setupExitCode: unsigned } }) };
  }
  if (result.rolledBack) {
    ctx.setReadOnly("_SMSTSSetupRollback", "true");
    ctx.log.error("Windows Setup rolled back to the previous operating system.");
    return { exitCode: toSigned32(unsigned === 0 ? 1 : unsigned), succeeded: false, error: new TaskSeqError("DeviceOperationFailed", "Windows Setup rolled back.", { details: { setupExitCode: unsigned } }) };
  }
  if (unsigned !== 0 && unsigned !== 3010) return { exitCode: toSigned32(unsigned), succeeded: false, error: new TaskSeqError("DeviceOperationFailed", `Windows Setup failed with 0x${unsigned.toString(16).toUpperCase()}.`, { details: { setupExitCode: unsigned } }) };
  return { exitCode: 0, restart: { target: "HD", then: "next" } };
});
