// Tap ranges of regular windows, shared by the plane and N-d kernels.
// Provides: DILATED, real_taps. Requires: nothing.

// False: no axis of the window is dilated, as a compile-time fact (every average plane kernel, and
// every undilated max window), so the dilation-1 branches fold and no integer division or modulo
// is left in a tap loop or tap test (slow on software adapters).
override DILATED: bool = true;

// Taps t in [0, k) of one axis whose position start + t*d lies in [0, size): integer range
// arithmetic, so a window scan touches only real elements and tests no bounds per tap.
fn real_taps(start: i32, k: i32, d: i32, size: i32) -> vec2i {
  if (d == 1) {
    return vec2i(max(-start, 0), min(k, size - start));
  }
  let first = select(0, (d - 1 - start) / d, start < 0);
  return vec2i(first, min(k, (size - start + d - 1) / d));
}
