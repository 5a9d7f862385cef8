/**
 * Max pooling compares f32 values as int32 "ordered keys" so that the running max can be updated
 * with bit masks instead of a branch: V8 compiles `v > m ? v : m` on floats to a jump, and with
 * real data that jump is mispredicted once or twice per window, which costs more than the whole
 * comparison (see docs/cpu-backend.md). The kernels write the mask inline,
 * `-(((key > best) as unknown as number) | 0)` (all ones where key > best): behind a shared helper
 * function V8 compiled it to slower code (measured 1.4 ms against 2.0 ms on one shape).
 *
 * key(v) orders like v, maps -0 and +0 to the same key (they tie, as `>` says) and puts every NaN
 * above +Infinity, so a window's max key tells whether it holds a NaN. The kernels then rescan
 * such windows with the reference's float comparison (last NaN wins, payload kept), and take the
 * output value from the winning input element, so a tie between -0 and +0 keeps the first one.
 */

/** Keys above this one are NaNs (+Infinity's key is 0x7f800000). */
export const NAN_KEY = 0x7f800000;

export function orderedKey(bits: number): number {
  const magnitude = bits & 0x7fffffff;
  // -1 for a NaN of either sign: a NaN keeps its magnitude as a positive key.
  const nan = (NAN_KEY - magnitude) >> 31;
  const sign = (bits >> 31) & ~nan;
  return (magnitude ^ sign) - sign;
}

/** Bits of the f32 whose key this is; NaN keys excluded. Key 0 gives +0 (callers rescan for -0). */
export function keyBits(key: number): number {
  const sign = key >> 31;
  return ((key ^ sign) - sign) | (sign & 0x80000000);
}
