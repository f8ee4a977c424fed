/**
 * MDT Validate (`BDD_Validate`, spec/steps.md §22.3).
 */
import { capability, runningEnvironment } from "../internal/device.js";
import { defineHandler } from "../internal/outcome.js";
import { integer, oneOf } from "../internal/settings.js";

const MB = 1024 * 1024;

/**
 * Evaluates every check and logs each: `ImageSize` (MB, `0` = skip) against the largest disk,
 * `ImageProcessorSpeed` (MHz) and `ImageMemory` (MB) against the hardware, `VerifyOS`
 * (`CLIENT`/`SERVER`) against the OS product type in the full OS only. Exit code `0` when all
 * pass, else `1`.
 *
 * @example
 * ```ts
 * registry.register("BDD_Validate", validateHandler);
 * ```
 */
export const validateHandler = defineHandler(async (ctx) => {
  const facts = await capability(ctx, "hardware").facts();
  const failures: string[] = [];
  const check = (name: string, ok: boolean, detail: string): void => {
    if (ok) ctx.log.info(`Validate: ${name} OK (${detail}).`);
    else {
      ctx.log.error(`Validate: ${name} failed (${detail}).`);
      failures.push(name);
    }
  };
  const imageSize = integer(ctx.settings, "ImageSize", 0);
  if (imageSize > 0) {
    const largest = Math.max(0, ...(await capability(ctx, "disks").listDisks()).map((d) => Math.floor(d.sizeBytes / MB)));
    check("disk size", largest >= imageSize, `${largest} MB available, ${imageSize} MB needed`);
  }
  const speed = integer(ctx.settings, "ImageProcessorSpeed", 0);
  if (speed > 0) check("processor speed", facts.maxClockSpeedMHz >= speed, `${facts.maxClockSpeedMHz} MHz, ${speed} MHz needed`);
  const memory = integer(ctx.settings, "ImageMemory", 0);
  if (memory > 0) check("memory", facts.memoryMB >= memory, `${facts.memoryMB} MB, ${memory} MB needed`);
  const verify = ctx.settings["VerifyOS"]?.trim() ? oneOf(ctx.settings, "VerifyOS", ["CLIENT", "SERVER"], "CLIENT") : "";
  if (verify !== "" && (await runningEnvironment(ctx)) === "FullOS") {
    const type = (await capability(ctx, "os").facts()).productType;
    check("OS type", type === verify, `${type}, ${verify} expected`);
  }
  return { exitCode: failures.length === 0 ? 0 : 1 };
});
