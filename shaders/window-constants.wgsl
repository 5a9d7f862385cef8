// The window of the forward kernels as pipeline constants (src/kernels/window-constants.ts): the
// common windows (2x2 s2, 3x3 s2, 3x3 s1, dilation 1) get max pipelines of their own where kernel
// size and stride are compile-time numbers, so the compiler folds the tap and index arithmetic
// (dilation 1 also picks real_taps' d == 1 branch); 0, the default, reads them from the uniform
// (the generic path: every other window, and every average pool, docs/forward-selection.md).
// A specialised pipeline has dilation 1. Padding and shapes stay in the uniform either way.

override KH: i32 = 0;
override KW: i32 = 0;
override SH: i32 = 0;
override SW: i32 = 0;
// The dilation reads DILATED (window-taps.wgsl): 1 when no axis is dilated, as a compile-time fact.

fn window_kh() -> i32 {
  if (KH != 0) {
    return KH;
  }
  return params.kH;
}

fn window_kw() -> i32 {
  if (KW != 0) {
    return KW;
  }
  return params.kW;
}

fn window_sh() -> i32 {
  if (SH != 0) {
    return SH;
  }
  return params.sH;
}

fn window_sw() -> i32 {
  if (SW != 0) {
    return SW;
  }
  return params.sW;
}

fn window_dh() -> i32 {
  if (KH != 0 || !DILATED) {
    return 1;
  }
  return params.dH;
}

fn window_dw() -> i32 {
  if (KW != 0 || !DILATED) {
    return 1;
  }
  return params.dW;
}
