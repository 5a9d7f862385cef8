// The WindowTaps record: one output's window as tap ranges along three axes (d, h, w), filled by
// every window file (nd/window-*.wgsl; the plane kernels use window-regular.wgsl over plane/plane-layout.wgsl), so
// that the mappings and reductions work on any window shape: regular, adaptive or fractional, of
// any rank. A plane window has the single tap 0 along d.
// Provides: NdCoord, WindowTaps, tap_count, volume_position. Requires: nothing.

// An element or output by image n, channel c and spatial position p = (d, h, w); a plane's has d = 0.
struct NdCoord {
  n: i32,
  c: i32,
  p: vec3i,
}

// `start` the position of tap 0, `real` the taps [x, y) on input elements, `declared` those inside
// the input or its declared padding (a ceil-mode overhang past the end padding is in neither).
// Position of tap t: start + t·dilation.
struct WindowTaps {
  start: vec3i,
  real_lo: vec3i,
  real_hi: vec3i,
  declared_lo: vec3i,
  declared_hi: vec3i,
}

// Taps in [lo, hi) per axis, multiplied, as f32: each factor fits i32, their product need not (a
// 65,536 x 65,536 window is 2^32 taps). 0 when any axis is empty.
fn tap_count(lo: vec3i, hi: vec3i) -> f32 {
  let n = max(hi - lo, vec3i(0));
  return f32(n.x) * f32(n.y) * f32(n.z);
}

// Flat position of p inside its (n, c) volume of spatial size `size`: the index convention of max
// pooling, for every rank (a plane is a volume of depth 1: h·W + w).
fn volume_position(p: vec3i, size: vec3i) -> i32 {
  return (p.x * size.y + p.y) * size.z + p.z;
}
