/**
 * Which MDT script a command line runs (spec/steps.md §22.1, §22.3): MDT steps run
 * `cscript.exe "%SCRIPTROOT%\Name.wsf" …`, ConfigMgr-integrated ones the same behind
 * `smsswd.exe /run:[PackageID]` and with `%DeployRoot%\Scripts\`.
 */

/** Command-line words: a quoted run (quotes removed) or a run of non-blanks. */
function words(commandLine: string): string[] {
  return [...commandLine.matchAll(/"([^"]*)"?|(\S+)/g)].map((m) => m[1] ?? m[2] ?? "");
}

/** The last segment of a Windows or URL-style path. */
function fileName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("\\"), path.lastIndexOf("/")) + 1);
}

/**
 * The name (without `.wsf`, as written) of the MDT script a command line runs through `cscript` or
 * `wscript` (any folder, `.exe` optional, host options such as `//nologo` skipped), also behind
 * ConfigMgr's `smsswd.exe /run:` or `/run:<PackageID>`; `undefined` for any other command line.
 *
 * @param commandLine - the command line, expanded or not (only the script's file name counts)
 * @returns e.g. `"ZTINextPhase"` for `cscript.exe "%SCRIPTROOT%\ZTINextPhase.wsf"`
 * @example
 * ```ts
 * mdtScriptOf('smsswd.exe /run: cscript.exe "%DeployRoot%\\Scripts\\ZTINextPhase.wsf"'); // "ZTINextPhase"
 * mdtScriptOf("cmd /c exit 0"); // undefined
 * ```
 */
export function mdtScriptOf(commandLine: string): string | undefined {
  const w = words(commandLine);
  let i = 0;
  if (/^smsswd(\.exe)?$/i.test(fileName(w[0] ?? "")) && /^\/run:/i.test(w[1] ?? "")) i = 2;
  if (!/^[cw]script(\.exe)?$/i.test(fileName(w[i++] ?? ""))) return undefined;
  while ((w[i] ?? "").startsWith("//")) i++;
  const script = fileName(w[i] ?? "");
  return /^[^\\/:*?"<>|]+\.wsf$/i.test(script) ? script.slice(0, -".wsf".length) : undefined;
}
