// The window of fractional max pooling (PyTorch FractionalMaxPool2d/3d): a kernel-sized window per
// output element whose start the host computed (pseudo-random intervals in float32 arithmetic,
// src/ops/fractional-pool.ts) and uploaded as an output-shaped int32 table `window_starts` holding
// the flat position of the window's first tap in its (n, c) input volume. Every tap is real (the
// host checked start + k ≤ in on every axis); there is no padding and no dilation.
// Provides: window_taps. Requires: nd-layout.wgsl; window_starts (io-forward-fractional-f32.wgsl).

fn window_taps(e: NdCoord) -> WindowTaps {
  let flat = window_starts[nd_offset(e.n, e.c, e.p, out_size()) - params.outOffset];
  let size = in_size();
  let start = vec3i(flat / (size.y * size.z), (flat / size.z) % size.y, flat % size.z);
  let k = kernel_size();
  return WindowTaps(start, vec3i(0), k, vec3i(0), k);
}
