/**
 * The module pool: one capped `WebAssembly.Memory` per module (the hard ceiling that
 * `setMemoryLimit` alone does not give), reuse, and replacement.
 */
import RELEASE_SYNC from "@jitl/quickjs-wasmfile-release-sync";
import { describe, expect, it } from "vitest";
import { createQuickJSModulePool } from "@taskseq/script";

const MiB = 1024 * 1024;

describe("createQuickJSModulePool", () => {
  it("caps a module's memory even when the runtime has no heap limit", async () => {
    using pool = createQuickJSModulePool({ variant: RELEASE_SYNC, memoryCeilingBytes: 24 * MiB });
    const module = await pool.acquire();
    const runtime = module.newRuntime();
    const context = runtime.newContext();
    const result = context.evalCode("const a = []; for (;;) a.push(new Uint8Array(1 << 20));");
    let message = "completed";
    if (result.error) {
      message = context.getProp(result.error, "message").consume((h) => context.getString(h));
      result.error.dispose();
    } else {
      result.value.dispose();
    }
    expect(message).toBe("out of memory");
    expect(module.getWasmMemory().buffer.byteLength).toBeLessThanOrEqual(24 * MiB);
    pool.discard(module);
  });

  it("hands out the same module until it is discarded", async () => {
    using pool = createQuickJSModulePool({ variant: RELEASE_SYNC, memoryCeilingBytes: 32 * MiB });
    const first = await pool.acquire();
    expect(await pool.acquire()).toBe(first);
    pool.discard(first);
    const second = await pool.acquire();
    expect(second).not.toBe(first);
    expect(pool.created).toBe(2);
  });
});
