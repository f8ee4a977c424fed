/**
 * Success codes and return-code arithmetic (execution.md §4, builtin-variables.md).
 */

/** The default success code list, `0 3010`. */
export const DEFAULT_SUCCESS_CODES: readonly number[] = [0, 3010];

/** 3010 (ERROR_SUCCESS_REBOOT_REQUIRED): success plus restart. */
const RESTART_CODE = 3010;
/** The HRESULT form of 3010, `0x80070BC2`, as a signed 32-bit value: treated like 3010 (execution.md §4). */
const RESTART_HRESULT = toSigned32(0x80070bc2);

/**
 * The signed 32-bit value of a return code, as `_SMSTSLastActionRetCode` writes it.
 *
 * @example
 * ```ts
 * toSigned32(0x80070002); // -2147024894
 * ```
 */
export function toSigned32(code: number): number {
  // ToInt32 (`| 0`) is the same wrap for every finite number; BigInt keeps the RangeError of a non-finite one.
  return Number.isFinite(code) ? code | 0 : Number(BigInt.asIntN(32, BigInt(Math.trunc(code))));
}

/**
 * True when `code` is in `list`, comparing 32-bit patterns (`-1047526896` equals `3247440400`).
 * An empty list means `0 3010`. `0x80070BC2`, the HRESULT form of 3010, counts as 3010, and as
 * itself when the list names it.
 *
 * @example
 * ```ts
 * isSuccessCode(0x80070bc2, [0, 3010]); // true
 * isSuccessCode(0x80070bc2, [0]); // false
 * isSuccessCode(0x80070bc2, [0, -2147021886]); // true
 * ```
 */
export function isSuccessCode(code: number, list: readonly number[]): boolean {
  const codes = list.length === 0 ? DEFAULT_SUCCESS_CODES : list;
  const signed = toSigned32(code);
  const c = signed === RESTART_HRESULT ? RESTART_CODE : signed;
  for (const x of codes) {
    const entry = toSigned32(x);
    if (entry === c || entry === signed) return true;
  }
  return false;
}

/** True when `code` means "success, restart required" (3010 or `0x80070BC2`) and the list accepts it. */
export function isRestartCode(code: number, list: readonly number[]): boolean {
  const c = toSigned32(code);
  return (c === RESTART_CODE || c === RESTART_HRESULT) && isSuccessCode(RESTART_CODE, list);
}
