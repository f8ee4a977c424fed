/**
 * Sandbox images: a runtime and context set up once in a module (the guest API's host functions
 * and compiled prelude, and a language runtime such as the PowerShell-style library), after which
 * the module's memory is saved; after every run it is put back byte for byte, so each run starts
 * from exactly the saved state and nothing a script did survives it.
 *
 * QuickJS keeps all of its state in the module's WebAssembly memory, and a run ends with no C call
 * in progress, so copying the memory back restores the runtime, the context, the allocator and the
 * C library alike. Only the C stack is left out (it holds nothing between calls). Making a context
 * and compiling the guest API and a language runtime costs far more than the copy.
 */
import RELEASE_SYNC from "@jitl/quickjs-wasmfile-release-sync";
import type { QuickJSContext, QuickJSRuntime, QuickJSSyncVariant, QuickJSWASMModule } from "quickjs-emscripten-core";
import { GUEST_HARDENING, RUNTIME_FILE_NAME } from "./guest-api.js";
import { createGuestNatives } from "./guest-natives.js";
import type { GuestNatives } from "./guest-natives.js";

/**
 * Where a build keeps what a run can change besides its C stack: its static data below
 * `staticEnd`, its heap from `heapBase` (the stack lies between them).
 */
interface MemoryLayout {
  readonly staticEnd: number;
  readonly heapBase: number;
}

/**
 * The pinned release-sync build: static data and BSS end below 90,208 bytes, a 5 MiB stack above
 * them, the heap from 5,333,088 (the stack pointer's initial value). Checked against the installed
 * binary by test/sandbox-image.test.ts.
 */
export const RELEASE_SYNC_LAYOUT: MemoryLayout = { staticEnd: 128 * 1024, heapBase: 5_333_088 };

/** Bytes below the heap that a run's C stack can reach (the stack limit is at most 256 KiB); the layout check needs them. */
const STACK_IN_USE = 512 * 1024;

/** Images per module; a further prelude is evaluated per run in the plain image. */
const MAX_IMAGES = 4;

/** One saved runtime and context. */
export interface SandboxImage {
  readonly runtime: QuickJSRuntime;
  readonly context: QuickJSContext;
  /** The guest API, installed per run. */
  readonly natives: GuestNatives;
  /** The language runtime evaluated in the context (`""`: none). */
  readonly prelude: string;
  /** The current run's interrupt check (`undefined` between runs). */
  interrupt: (() => boolean) | undefined;
}

/** The images of one module and its saved memory. */
export interface SandboxImages {
  /**
   * The image holding `prelude`, made on first use (the prelude runs under the run's interrupt
   * check and memory limit); the plain image (prelude `""`) when the prelude fails there or the
   * module holds {@link MAX_IMAGES} already: the run then evaluates the prelude itself.
   */
  image(prelude: string, interrupt: () => boolean, memoryBytes: number): SandboxImage;
  /** Puts the module's memory back as it was saved. Call after every run, never during one. */
  restore(): void;
}

/**
 * Creates the image store of a module.
 *
 * @param module - a module no one else uses
 * @param variant - its build: the pinned release-sync build restores only its static data and heap, any other build all of its memory up to the heap's end
 */
export function createSandboxImages(module: QuickJSWASMModule, variant: QuickJSSyncVariant): SandboxImages {
  const memory = module.getWasmMemory();
  const images = new Map<string, SandboxImage>();
  let layout: MemoryLayout | undefined = variant === RELEASE_SYNC ? RELEASE_SYNC_LAYOUT : undefined;
  let saved: { at: number; bytes: Uint8Array }[] = [];
  let savedTop = 0;

  const save = (): void => {
    const bytes = new Uint8Array(memory.buffer);
    const top = usedTop(bytes);
    if (layout !== undefined && !fits(bytes, layout, top)) layout = undefined;
    saved = layout === undefined ? [{ at: 0, bytes: bytes.slice(0, top) }] : [{ at: 0, bytes: bytes.slice(0, layout.staticEnd) }, { at: layout.heapBase, bytes: bytes.slice(layout.heapBase, top) }];
    savedTop = top;
  };
  const restore = (): void => {
    const bytes = new Uint8Array(memory.buffer);
    for (const part of saved) bytes.set(part.bytes, part.at);
  };

  const make = (prelude: string, interrupt: () => boolean, memoryBytes: number): SandboxImage | undefined => {
    // Runs leave garbage above the saved heap; cleared, the end of the new heap can be found again.
    if (saved.length > 0) new Uint8Array(memory.buffer).fill(0, savedTop);
    const runtime = module.newRuntime();
    const context = runtime.newContext();
    const image: SandboxImage = { runtime, context, natives: createGuestNatives(context), prelude, interrupt: undefined };
    runtime.setInterruptHandler(() => image.interrupt?.() ?? false);
    // Handles quickjs-emscripten makes on first use and keeps: made now, so they are part of the saved memory.
    void context.global;
    context.getWellKnownSymbol("iterator").dispose();
    context.newBigInt(0n).dispose();
    context.newArray().consume((array) => context.getIterator(array).dispose());
    // Before any other guest code: no built-in may loop over an unbounded array-like length (guest-api.ts).
    context.unwrapResult(context.evalCode(GUEST_HARDENING, RUNTIME_FILE_NAME)).dispose();
    if (prelude !== "") {
      image.interrupt = interrupt;
      runtime.setMemoryLimit(memoryBytes);
      const result = context.evalCode(prelude, RUNTIME_FILE_NAME);
      const ok = result.error === undefined && !runtime.hasPendingJob();
      result.dispose();
      image.interrupt = undefined;
      runtime.setMemoryLimit(-1);
      if (!ok) {
        restore(); // drops this runtime and everything it made
        return undefined;
      }
    }
    save();
    return image;
  };

  const plain = (interrupt: () => boolean, memoryBytes: number): SandboxImage => {
    let image = images.get("");
    if (image === undefined) {
      image = make("", interrupt, memoryBytes);
      if (image === undefined) throw new Error("The plain sandbox image could not be made.");
      images.set("", image);
    }
    return image;
  };

  return {
    image(prelude, interrupt, memoryBytes) {
      const base = plain(interrupt, memoryBytes);
      if (prelude === "") return base;
      let image = images.get(prelude);
      if (image === undefined && images.size < MAX_IMAGES) {
        image = make(prelude, interrupt, memoryBytes);
        if (image !== undefined) images.set(prelude, image);
      }
      return image ?? base;
    },
    restore,
  };
}

/** The end of the used memory: past the last non-zero byte (the allocator's top chunk header is never zero). */
function usedTop(bytes: Uint8Array): number {
  const words = new Uint32Array(bytes.buffer, 0, bytes.byteLength >>> 2);
  let i = words.length;
  while (i > 0 && words[i - 1] === 0) i--;
  return i * 4;
}

/** Whether memory looks as `layout` says: the heap in use, and nothing but zeros in the stack below what runs reach. */
function fits(bytes: Uint8Array, layout: MemoryLayout, top: number): boolean {
  if (top <= layout.heapBase || layout.heapBase - STACK_IN_USE <= layout.staticEnd) return false;
  const quiet = new Uint32Array(bytes.buffer, layout.staticEnd, (layout.heapBase - STACK_IN_USE - layout.staticEnd) >>> 2);
  return quiet.every((word) => word === 0);
}
