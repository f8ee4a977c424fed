/**
 * Win32 `MessageBox` answers (com-api.md §2): the headless rule a `ui` adapter falls back to.
 */
import type { MessageBoxResult } from "./types.js";

const FIRST_BUTTON: readonly MessageBoxResult[] = [1, 1, 3, 6, 6, 4, 2];

/**
 * The first button of a message box type, what a headless run answers (com-api.md §2.2): the low
 * 4 bits of `uType` choose the buttons, `0`→1 (OK), `1`→1 (OK), `2`→3 (Abort), `3`→6 (Yes),
 * `4`→6 (Yes), `5`→4 (Retry), `6`→2 (Cancel); an unknown type answers 1 (OK).
 *
 * @example
 * ```ts
 * firstMessageButton(4); // 6 (IDYES)
 * firstMessageButton(4 | 64); // 6: icon flags do not change the buttons
 * ```
 */
export function firstMessageButton(buttons: number): MessageBoxResult {
  return FIRST_BUTTON[buttons & 0xf] ?? 1;
}

/** Every {@link MessageBoxResult}, ascending. */
export const MESSAGE_BOX_RESULTS: readonly MessageBoxResult[] = [1, 2, 3, 4, 5, 6, 7, 10, 11];
