/**
 * The synchronous device views of the script sandbox (`@taskseq/script` `ScriptDevice`). The
 * sandbox runs guest code synchronously while device capabilities are async, so the WMI classes a
 * script names are read before it runs and its queries are answered from those rows with the
 * device's own WQL evaluator. A class the script does not name literally is not available
 * (`WqlUnsupported`). File writes are recorded by the run and applied after it (script-host.ts).
 */
import type { StepHandlerContext } from "@taskseq/engine";
import { compileWql, type WmiRow } from "@taskseq/device";
import { TaskSeqError, isTaskSeqError } from "@taskseq/model";
import type { ScriptDevice } from "@taskseq/script";
import { optionalCapability } from "./device.js";

const CLASS_NAME = /\b((?:Win32|CIM|MSFT|SMS|MS|Lenovo|HP|DCIM|BIOS)_[A-Za-z0-9_]+)\b/g;
const NAMESPACE = /(?:-Namespace|-ns)\s+["']?(root[\\/][A-Za-z0-9_\\/]+)/gi;
const MAX_CLASSES = 64;

/**
 * The device views a script gets: the process environment, the rows of every WMI class the script
 * names (in `root\cimv2` and the namespaces it names), and file writes when the device has a
 * `files` adapter (recorded by the run and applied by script-host.ts).
 */
export async function prefetchScriptDevice(ctx: StepHandlerContext, source: string): Promise<ScriptDevice> {
  // `$env:NAME` reads the device's process environment (com-api.md §1.3), read once here.
  const environment = await optionalCapability(ctx, "os")?.environmentVariables();
  const views: ScriptDevice = {
    ...(environment === undefined ? {} : { os: { environmentVariables: () => environment } }),
    ...(optionalCapability(ctx, "files") === undefined ? {} : { writableFiles: true }),
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
