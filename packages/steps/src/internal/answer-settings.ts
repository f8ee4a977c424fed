/**
 * The settings of the answer file that Setup Windows and ConfigMgr gives Windows Setup
 * (spec/steps.md §21.5, §21.11): read from the fragments and the user's `Unattend.xml`
 * ({@link readAnswerFile}), `%VAR%` references substituted and sealed secrets unsealed, as `setup`
 * capability options.
 */
import type { StepHandlerContext } from "@taskseq/engine";
import type { ServerLicensing, SetupWindowsOptions } from "@taskseq/device";
import { TaskSeqError, isTaskSeqError } from "@taskseq/model";
import { answerSetting, isValidComputerName, parseServerLicensing, substituteAnswerValue, unsealAnswerValue, type AnswerFile } from "./answer-file.js";

/** The answer-file part of the `setup` options (everything but the client). */
export type AnswerSetupOptions = Omit<SetupWindowsOptions, "clientPackageId" | "clientProperties">;

/** Answer-file keys passed to Windows Setup as text, by the option they fill. */
const TEXT_SETTINGS = [
  ["TimeZone", "timeZone"],
  ["RegisteredOwner", "registeredOwner"],
  ["RegisteredOrganization", "registeredOrganization"],
  ["InputLocale", "inputLocale"],
  ["SystemLocale", "systemLocale"],
  ["UILanguage", "uiLanguage"],
  ["UILanguageFallback", "uiLanguageFallback"],
  ["UserLocale", "userLocale"],
] as const satisfies readonly (readonly [string, keyof AnswerSetupOptions])[];

/** A `%VAR%` reference. */
const REFERENCE = /%[A-Za-z0-9_-]+%/g;

/**
 * The answer file's settings for Windows Setup. A setting that is absent, empty or refers to an
 * unset variable is left out (Windows keeps the image's value; the unset reference is logged as a
 * warning). Secrets (product key, Administrator password) never
 * reach the log: only whether they are set.
 */
export async function answerSetupOptions(ctx: StepHandlerContext, file: AnswerFile): Promise<AnswerSetupOptions> {
  const options: { -readonly [K in keyof AnswerSetupOptions]: AnswerSetupOptions[K] } = {};
  const computerName = await answerComputerName(ctx, file);
  if (computerName !== undefined) options.computerName = computerName;
  for (const [key, option] of TEXT_SETTINGS) {
    const value = await answerValue(ctx, file, key);
    if (value === undefined) continue;
    options[option] = value;
    ctx.log.info(`${key}: ${value}.`);
  }
  const productKey = await answerValue(ctx, file, "ProductKey", "product key");
  if (productKey !== undefined) {
    options.productKey = productKey;
    ctx.log.info("ProductKey: set.");
  }
  return { ...options, ...(await administrator(ctx, file)), ...(await serverLicensing(ctx, file)) };
}

/**
 * The substituted value of a setting, or the secret of a sealed one (taken as it is, never
 * substituted); `undefined` when absent, empty, unresolved or sealed in a store that lost it (with
 * a warning that shows the text as written, or only `secret`, the name of a secret setting).
 */
async function answerValue(ctx: StepHandlerContext, file: AnswerFile, key: string, secret?: string): Promise<string | undefined> {
  const raw = answerSetting(file, key)?.trim();
  if (raw === undefined || raw === "") return undefined;
  try {
    const unsealed = await unsealAnswerValue(ctx, raw);
    if (unsealed !== undefined) return unsealed === "" ? undefined : unsealed;
  } catch (e) {
    if (!isTaskSeqError(e, "SecretStoreUnavailable")) throw e;
    ctx.log.warning(`The answer file's ${secret ?? key} was sealed in a secret store that no longer has it; Windows Setup keeps the image's setting.`);
    return undefined;
  }
  if ([...raw.matchAll(REFERENCE)].some(([ref]) => ctx.env.expand(ref) === ref)) {
    ctx.log.warning(`The answer file's ${secret ?? `${key} ${raw}`} holds an unresolved variable reference; Windows Setup keeps the image's setting.`);
    return undefined;
  }
  const value = substituteAnswerValue(ctx, key, raw).trim();
  return value === "" ? undefined : value;
}

/**
 * The computer name; `undefined` (the applied image's name is kept) when absent, `*` or
 * unresolved. An invalid name fails like Windows Setup would, before Setup runs; the message never
 * holds the value.
 */
async function answerComputerName(ctx: StepHandlerContext, file: AnswerFile): Promise<string | undefined> {
  const name = await answerValue(ctx, file, "ComputerName");
  if (name === undefined || name === "*") return undefined;
  if (!isValidComputerName(name)) throw new TaskSeqError("InvalidSetting", "The answer file's computer name must be at most 15 characters without spaces or special characters.");
  ctx.log.info(`Computer name: ${name}.`);
  return name;
}

/**
 * The server licensing (`AutoMode`, and `AutoUsers` in `PerServer` mode), checked like Apply
 * Windows Settings checks it before Setup runs: an unknown mode or a limit outside 5–9999 is
 * `InvalidSetting` (`AutoUsers` is numeric-only: a `%VAR%` in it is not substituted).
 */
async function serverLicensing(ctx: StepHandlerContext, file: AnswerFile): Promise<ServerLicensing> {
  const licensing = parseServerLicensing((await answerValue(ctx, file, "AutoMode")) ?? "", (await answerValue(ctx, file, "AutoUsers")) ?? "", ["AutoMode", "AutoUsers"]);
  const { serverLicenseMode: mode, serverLicenseConnectionLimit: limit } = licensing;
  if (mode !== undefined) ctx.log.info(`Server licensing: ${mode}${limit === undefined ? "" : `, ${limit} connections`}.`);
  return licensing;
}

/**
 * The local Administrator Apply Windows Settings recorded (`AdministratorAccount`): disabled with a
 * random password, or enabled with `AdministratorPassword`. **Decision:** with nothing recorded, an
 * `AdministratorPassword` in the user's `Unattend.xml` enables the account with it, as Windows
 * Setup does. An enabled account whose password is not available is left as the image has it,
 * with a warning: Setup never enables it without one.
 */
async function administrator(ctx: StepHandlerContext, file: AnswerFile): Promise<Pick<AnswerSetupOptions, "administratorEnabled" | "administratorPassword">> {
  const account = answerSetting(file, "AdministratorAccount")?.trim().toLowerCase() ?? (answerSetting(file, "AdministratorPassword") === undefined ? undefined : "enabled");
  if (account === "randomdisabled") {
    ctx.log.info("Local Administrator: random password, disabled.");
    return { administratorEnabled: false };
  }
  if (account !== "enabled") return {};
  const password = await answerValue(ctx, file, "AdministratorPassword", "local Administrator password");
  if (password === undefined) {
    ctx.log.warning("The local Administrator password (OSDLocalAdminPassword) is not available; Windows Setup leaves the Administrator account as the image has it.");
    return {};
  }
  ctx.log.info("Local Administrator: enabled with the configured password.");
  return { administratorEnabled: true, administratorPassword: password };
}
