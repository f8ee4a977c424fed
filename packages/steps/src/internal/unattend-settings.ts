/**
 * A setting of the user's `Unattend.xml` as Windows Setup applies it in the specialize and
 * oobeSystem passes, the ones Setup Windows and ConfigMgr runs (spec/steps.md §21.11), following the
 * unattend reference: Microsoft-Windows-Shell-Setup (`ComputerName`, `ProductKey`,
 * `RegisteredOwner`, `RegisteredOrganization`, `TimeZone`, `UserAccounts/AdministratorPassword`)
 * and Microsoft-Windows-International-Core (`InputLocale`, `SystemLocale`, `UILanguage`,
 * `UILanguageFallback`, `UserLocale`).
 *
 * **Decision (server licensing):** the unattend reference of Windows Vista and later has no
 * setting for the Windows Server licensing mode or its connection limit (its one licensing
 * setting, Microsoft-Windows-TerminalServices-RemoteConnectionManager `LicensingMode`, is the
 * Remote Desktop CAL mode, another setting, and is not read as this one). Windows Setup's own
 * names are the `AutoMode` and `AutoUsers` entries of the `[LicenseFilePrintData]` section of the
 * legacy answer files; like any key without a location below, they are read from the elements of
 * those names (e.g. `<LicenseFilePrintData><AutoMode>PerServer</AutoMode>`), in any component and pass.
 */
import { TaskSeqError } from "@taskseq/model";
import { findElements, type ElementMatch } from "@taskseq/xml";

const SHELL_SETUP = "Microsoft-Windows-Shell-Setup";
const INTERNATIONAL_CORE = "Microsoft-Windows-International-Core";

/** Where a setting lives: its component and its path of elements inside the component. */
interface Location {
  readonly component: string;
  readonly path: readonly string[];
}

/** The settings' locations by lower-case answer-file key; any other key is looked up by its name alone. */
const LOCATIONS: ReadonlyMap<string, Location> = new Map<string, Location>([
  ...["ComputerName", "ProductKey", "RegisteredOwner", "RegisteredOrganization", "TimeZone"].map((k): [string, Location] => [k.toLowerCase(), { component: SHELL_SETUP, path: [k] }]),
  ["administratorpassword", { component: SHELL_SETUP, path: ["UserAccounts", "AdministratorPassword"] }],
  ...["InputLocale", "SystemLocale", "UILanguage", "UILanguageFallback", "UserLocale"].map((k): [string, Location] => [k.toLowerCase(), { component: INTERNATIONAL_CORE, path: [k] }]),
]);

/**
 * **Decision:** which of several elements of a setting wins. oobeSystem runs after specialize, so
 * its value is the one Windows keeps; an element of another pass (windowsPE: Microsoft-Windows-Setup
 * `UserData/ProductKey`, Microsoft-Windows-International-Core-WinPE) or of another component is
 * only a fallback, the first in document order.
 */
function rank(match: ElementMatch, component: string | undefined): number {
  const settings = match.ancestors.findLast((a) => a.name.toLowerCase() === "settings");
  const owner = match.ancestors.findLast((a) => a.name.toLowerCase() === "component");
  if (component === undefined || owner?.attributes.get("name")?.toLowerCase() !== component.toLowerCase()) return 3;
  const pass = settings?.attributes.get("pass")?.toLowerCase();
  return pass === "oobesystem" ? 0 : pass === "specialize" ? 1 : 2;
}

/** The suffix Windows appends to the Administrator password before encoding it (PlainText false). */
const PASSWORD_SUFFIX = "AdministratorPassword";

/**
 * The value of an element: `Key` under `ProductKey`, `Value` under `AdministratorPassword`
 * (decoded when `PlainText` is `false`: Base64 of the UTF-16LE password followed by
 * `AdministratorPassword`), else its own text. A hidden password that does not decode is
 * `InvalidSetting` (Windows Setup fails on it too); the message never holds the value.
 */
function valueOf(match: ElementMatch): string {
  const value = match.children.get("key") ?? match.children.get("value") ?? match.text;
  if (!match.children.has("value") || match.children.get("plaintext")?.toLowerCase() !== "false") return value;
  const invalid = () => new TaskSeqError("InvalidSetting", "The answer file's AdministratorPassword with PlainText false is not a Base64-encoded password.");
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(value), (c) => c.charCodeAt(0));
  } catch {
    throw invalid();
  }
  const text = new TextDecoder("utf-16le").decode(bytes);
  if (bytes.length % 2 !== 0 || !text.endsWith(PASSWORD_SUFFIX)) throw invalid();
  return text.slice(0, -PASSWORD_SUFFIX.length);
}

/**
 * The value Windows Setup applies for `key` from the answer file `xml`; `undefined` when absent.
 * The value of a secret setting (`ProductKey`, `AdministratorPassword`) is secret: never log it.
 */
export function unattendSetting(xml: string, key: string): string | undefined {
  const location = LOCATIONS.get(key.toLowerCase());
  const matches = findElements(xml, location?.path ?? [key]);
  const best = matches.reduce<ElementMatch | undefined>((a, m) => (a === undefined || rank(m, location?.component) < rank(a, location?.component) ? m : a), undefined);
  return best === undefined ? undefined : valueOf(best);
}
