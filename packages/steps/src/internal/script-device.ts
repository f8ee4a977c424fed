/**
 * The synchronous device views of the script sandbox (`@taskseq/script` `ScriptDevice`). The
 * sandbox runs guest code synchronously while device capabilities are async, so the WMI classes a
 * script names are read before it runs and its queries are answered from those rows with the
 * device's own WQL evaluator (a class the script does not name literally is not available:
 * `WqlUnsupported`). Files and the registry are read through the adapters' optional synchronous
 * views (`syncView`), live, in the native view of a 64-bit OS: the script host is a 64-bit
 * process, as the 64-bit PowerShell that Run PowerShell Script starts there. File writes are
 * recorded by the run and applied after it (script-host.ts), in the same view.
 */
import type { StepHandlerContext } from "@taskseq/engine";
import { compileWql, type FileAccessOptions, type FilesCapability, type FilesSyncView, type WmiRow } from "@taskseq/device";
import { TaskSeqError, isTaskSeqError } from "@taskseq/model";
import type { ScriptDevice, ScriptFileAdapter } from "@taskseq/script";
import { optionalCapability } from "./device.js";

/**
 * How scripts reach files: native paths (no `System32` → `SysWOW64` redirection on a 64-bit full
 * OS), as the 64-bit script host sees them. The registry views are native by default.
 */
export const SCRIPT_FILE_ACCESS: FileAccessOptions = { disableWow64Redirection: true };

const CLASS_NAME = /\b((?:Win32|CIM|MSFT|SMS|MS|Lenovo|HP|DCIM|BIOS)_[A-Za-z0-9_]+)\b/g;
const NAMESPACE = /(?:-Namespace|-ns)\s+["']?(root[\\/][A-Za-z0-9_\\/]+)/gi;
const MAX_CLASSES = 64;

/**
 * The device views a script gets: the process environment, the rows of every WMI class the script
 * names (in `root\cimv2` and the namespaces it names), the files and registry through the
 * adapters' synchronous views when they have them, and file writes when the device has a `files`
 * adapter (recorded by the run and applied by script-host.ts). The task sequence's log folder
 * (`_SMSTSLogPath`) is created first when the device lacks it ({@link ensureLogFolder}).
 */
export async function prefetchScriptDevice(ctx: StepHandlerContext, source: string): Promise<ScriptDevice> {
  // `$env:NAME` reads the device's process environment (com-api.md §1.3), read once here.
  const environment = await optionalCapability(ctx, "os")?.environmentVariables();
  const files = optionalCapability(ctx, "files");
  if (files !== undefined) await ensureLogFolder(ctx, files);
  const fileView = files?.syncView?.();
  const registryView = optionalCapability(ctx, "registry")?.syncView?.();
  const views: ScriptDevice = {
    ...(environment === undefined ? {} : { os: { environmentVariables: () => environment } }),
    ...(files === undefined ? {} : { writableFiles: true }),
    ...(fileView === undefined ? {} : { files: scriptFiles(fileView) }),
    // Without a view argument the registry views read the native view.
    ...(registryView === undefined ? {} : { registry: registryView }),
  };
  const wmi = optionalCapability(ctx, "wmi");
  if (wmi === undefined) return views;
  const classes = [...new Set([...source.matchAll(CLASS_NAME)].map((m) => m[1] ?? ""))].slice(0, MAX_CLASSES);
  const namespaces = [...new Set(["root\\cimv2", ...[...source.matchAll(NAMESPACE)].map((m) => (m[1] ?? "").replace(/\//g, "\\").toLowerCase())])];
  const rows = new Map<string, readonly WmiRow[]>();
  for (const ns of namespaces) {
    for (const cls of classes) {
      try {
        rows.set(`${ns.toLowerCase()}:${cls.toLowerCase()}`, await wmi.query(ns, `SELECT * FROM ${cls}`));
      } catch (e) {
        if (!isTaskSeqError(e)) throw e;
      }
    }
  }
  return {
    ...views,
    wmi: {
      query(namespace, wql) {
        const compiled = compileWql(wql);
        const found = rows.get(`${namespace.replace(/\//g, "\\").toLowerCase()}:${compiled.query.className.toLowerCase()}`);
        if (found === undefined) throw new TaskSeqError("WqlUnsupported", `WMI class ${compiled.query.className} is not available to this script.`);
        return compiled.run(found);
      },
    },
  };
}

/**
 * Creates the `_SMSTSLogPath` folder when the device lacks it. On a real device it exists while a
 * task sequence runs (the engine writes smsts.log there), and scripts write their own logs into it
 * (com-api.md §3 pattern 2), which fails in a folder that does not exist. A folder the adapter
 * refuses is logged as a warning; the script then meets the missing folder itself.
 */
async function ensureLogFolder(ctx: StepHandlerContext, files: FilesCapability): Promise<void> {
  const logPath = ctx.env.get("_SMSTSLogPath");
  if (logPath === undefined || logPath === "" || (await files.exists(logPath, SCRIPT_FILE_ACCESS))) return;
  try {
    await files.createFolder(logPath, SCRIPT_FILE_ACCESS);
  } catch (e) {
    if (!isTaskSeqError(e)) throw e;
    ctx.log.warning(`The log folder ${logPath} could not be created for the script: ${e.message}`);
  }
}

/** A device's file view as scripts see it ({@link SCRIPT_FILE_ACCESS}). */
function scriptFiles(view: FilesSyncView): ScriptFileAdapter {
  return {
    exists: (path) => view.exists(path, SCRIPT_FILE_ACCESS),
    stat: (path) => view.stat(path, SCRIPT_FILE_ACCESS),
    list: (path) => view.list(path, SCRIPT_FILE_ACCESS),
    readText: (path) => view.readText(path, SCRIPT_FILE_ACCESS),
  };
}
