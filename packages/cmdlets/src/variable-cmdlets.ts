/**
 * `New-CMDeviceVariable` and `New-CMDeviceCollectionVariable`: per-device and per-collection task
 * sequence variables (a site's "Variables" tab). Names follow the task sequence variable rules;
 * masked values (`-IsMask`) are secrets and never shown.
 */
import { TaskSeqError, checkVariableName } from "@taskseq/model";
import { defineCmdlet } from "./cmdlet-definition.js";
import type { CmdletCall } from "./cmdlet-definition.js";
import { valueParameter } from "./parameter-binding.js";
import { readBoolean, readText, requireText } from "./parameter-values.js";

/** A device or collection variable. */
export interface SiteVariable {
  /** Discriminator. */
  readonly kind: "deviceVariable" | "collectionVariable";
  /** The device or collection, by name or ID, as given. */
  readonly target: { readonly name?: string; readonly id?: string };
  /** Variable name. */
  readonly name: string;
  /** Value (a secret when {@link SiteVariable.isMask}). */
  readonly value: string;
  /** Masked: the value is a secret. */
  readonly isMask: boolean;
}

function target(c: CmdletCall, nameParam: string, idParam: string): SiteVariable["target"] {
  const input = c.values.InputObject;
  if (input !== undefined) {
    const o = typeof input === "object" && input !== null ? (input as { name?: unknown; id?: unknown }) : {};
    if (typeof o.name !== "string" && typeof o.id !== "string") {
      throw new TaskSeqError("InvalidArgument", `${c.cmdlet}: -InputObject must have a name or an id.`, { details: { cmdlet: c.cmdlet, parameter: "InputObject" } });
    }
    return { ...(typeof o.name === "string" ? { name: o.name } : {}), ...(typeof o.id === "string" ? { id: o.id } : {}) };
  }
  const name = readText(c, nameParam);
  return name !== undefined ? { name } : { id: requireText(c, idParam) };
}

function variable(c: CmdletCall, kind: SiteVariable["kind"], valueParam: string, nameParam: string, idParam: string): SiteVariable {
  const name = requireText(c, "VariableName");
  const check = checkVariableName(name);
  if (!check.ok) throw new TaskSeqError("InvalidArgument", `${c.cmdlet}: -VariableName is not a valid task sequence variable name.`, { details: { cmdlet: c.cmdlet, parameter: "VariableName" } });
  return { kind, target: target(c, nameParam, idParam), name, value: requireText(c, valueParam), isMask: readBoolean(c, "IsMask") ?? false };
}

/** `New-CMDeviceVariable`: a variable of one device. */
export const NEW_DEVICE_VARIABLE = defineCmdlet(
  "New-CMDeviceVariable",
  ["ByName", "ById", "ByValue"],
  [
    valueParameter("DeviceName", { sets: ["ByName"], mandatory: true }),
    valueParameter("DeviceId", { sets: ["ById"], mandatory: true, aliases: ["ResourceId"] }),
    valueParameter("InputObject", { sets: ["ByValue"], mandatory: true, aliases: ["Device"] }),
    valueParameter("VariableName", { mandatory: true, aliases: ["Name"] }),
    valueParameter("VariableValue", { mandatory: true, aliases: ["Value"] }),
    valueParameter("IsMask", { aliases: ["Mask"] }),
  ],
  (c): SiteVariable => variable(c, "deviceVariable", "VariableValue", "DeviceName", "DeviceId"),
);

/** `New-CMDeviceCollectionVariable`: a variable of every device of a collection. */
export const NEW_DEVICE_COLLECTION_VARIABLE = defineCmdlet(
  "New-CMDeviceCollectionVariable",
  ["ByName", "ById", "ByValue"],
  [
    valueParameter("CollectionName", { sets: ["ByName"], mandatory: true }),
    valueParameter("CollectionId", { sets: ["ById"], mandatory: true }),
    valueParameter("InputObject", { sets: ["ByValue"], mandatory: true, aliases: ["Collection"] }),
    valueParameter("VariableName", { mandatory: true, aliases: ["Name"] }),
    valueParameter("Value", { mandatory: true, aliases: ["VariableValue"] }),
    valueParameter("IsMask", { aliases: ["Mask"] }),
  ],
  (c): SiteVariable => variable(c, "collectionVariable", "Value", "CollectionName", "CollectionId"),
);
