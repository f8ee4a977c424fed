/**
 * Supplies the QuickJS WebAssembly module the sandbox runs in. Each module gets its own capped
 * `WebAssembly.Memory` (the hard memory ceiling: `setMemoryLimit` only bounds QuickJS's own
 * allocator); a module that ran out of memory or failed is thrown away and the next run gets a
 * fresh one.
 */
import { newQuickJSWASMModuleFromVariant, newVariant } from "quickjs-emscripten-core";
import type { CustomizeVariantOptions, QuickJSSyncVariant, QuickJSWASMModule } from "quickjs-emscripten-core";

const PAGE = 65_536;
const ignore = (): void => undefined;

/** Emscripten loader options plus its console hooks (`print`, `printErr`), which the typings leave out. */
type QuietLoaderOptions = NonNullable<CustomizeVariantOptions["emscriptenModule"]> & {
  readonly print: () => void;
  readonly printErr: () => void;
};
/** The smallest memory the QuickJS build accepts (its declared initial size, 16 MiB). */
const INITIAL_PAGES = 256;

/** Options of {@link createQuickJSModulePool}. */
export interface QuickJSModulePoolOptions {
  /** The QuickJS build (for example `@jitl/quickjs-wasmfile-release-sync`). */
  readonly variant: QuickJSSyncVariant;
  /** Hard ceiling of each module's WebAssembly memory, in bytes. */
  readonly memoryCeilingBytes: number;
}

/** Hands out a healthy module and replaces the ones that failed. */
export interface QuickJSModulePool extends Disposable {
  /** A healthy module (created on first use). */
  acquire(): Promise<QuickJSWASMModule>;
  /** Throws the module away; the next {@link acquire} creates a fresh one. */
  discard(module: QuickJSWASMModule): void;
  /** How many modules were created so far (for diagnostics and tests). */
  readonly created: number;
}

/**
 * Creates the module pool of a script runner.
 *
 * @param options - the variant and the memory ceiling
 * @example
 * ```ts
 * import RELEASE_SYNC from "@jitl/quickjs-wasmfile-release-sync";
 * using pool = createQuickJSModulePool({ variant: RELEASE_SYNC, memoryCeilingBytes: 128 * 1024 * 1024 });
 * const module = await pool.acquire();
 * ```
 */
export function createQuickJSModulePool(options: QuickJSModulePoolOptions): QuickJSModulePool {
  const maximum = Math.max(INITIAL_PAGES, Math.ceil(options.memoryCeilingBytes / PAGE));
  let ready: QuickJSWASMModule | undefined;
  let pending: Promise<QuickJSWASMModule> | undefined;
  let created = 0;
  const create = async (): Promise<QuickJSWASMModule> => {
    created++;
    const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum });
    // A module that aborts (a failed dispose) reports through printErr; the pool replaces it instead.
    const quiet: QuietLoaderOptions = { print: ignore, printErr: ignore };
    return newQuickJSWASMModuleFromVariant(newVariant(options.variant, { wasmMemory: memory, emscriptenModule: quiet }));
  };
  return {
    acquire() {
      if (ready !== undefined) return Promise.resolve(ready);
      pending ??= create().then(
        (module) => {
          ready = module;
          pending = undefined;
          return module;
        },
        (error: unknown) => {
          pending = undefined;
          throw error;
        },
      );
      return pending;
    },
    discard(module) {
      if (ready === module) ready = undefined;
    },
    get created() {
      return created;
    },
    [Symbol.dispose]() {
      ready = undefined;
    },
  };
}
