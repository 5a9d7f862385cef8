// The regular window of the windowed ops (kernel, stride, dilation, padding): output o's taps by
// integer range arithmetic only. Every window file provides window_taps(e) for output element e; a
// regular window is the same for every (n, c). The geometry comes from the layout: nd-layout.wgsl
// (NdParams), or plane/plane-layout.wgsl (a plane as a volume of depth 1, kernel and stride through
// window-constants.wgsl, so the specialised plane pipelines fold them): one window for every rank.
// Provides: window_taps, window_owns. Requires: a layout (in_size, kernel_size, strides, dilations,
// pad_begin, pad_end); window-record.wgsl; DILATED, real_taps (window-taps.wgsl).

fn window_taps(e: NdCoord) -> WindowTaps {
  let start = e.p * strides() - pad_begin();
  let k = kernel_size();
  let d = dilations();
  let size = in_size();
  let padded = size + pad_begin() + pad_end();
  let real_d = real_taps(start.x, k.x, d.x, size.x);
  let real_h = real_taps(start.y, k.y, d.y, size.y);
  let real_w = real_taps(start.z, k.z, d.z, size.z);
  let declared_start = start + pad_begin();
  let decl_d = real_taps(declared_start.x, k.x, d.x, padded.x);
  let decl_h = real_taps(declared_start.y, k.y, d.y, padded.y);
  let decl_w = real_taps(declared_start.z, k.z, d.z, padded.z);
  return WindowTaps(start, vec3i(real_d.x, real_h.x, real_w.x), vec3i(real_d.y, real_h.y, real_w.y), vec3i(decl_d.x, decl_h.x, decl_w.x), vec3i(decl_d.y, decl_h.y, decl_w.y));
}

// Without dilation (DILATED false) every offset inside the window's span is a tap, and the modulo
// test (integer division, slow on software adapters) is compiled out.
// Whether in-volume position p is a tap of output e's window: p − start = t·d per axis with t in
// [0, k), one unsigned comparison per axis (a position before the window wraps to a large
// offset), then the dilation grid. Padding is never a tap of a real position.
fn window_owns(e: NdCoord, p: vec3i) -> bool {
  let offset = p - (e.p * strides() - pad_begin());
  let d = dilations();
  var own = all(bitcast<vec3u>(offset) <= vec3u(d * (kernel_size() - vec3i(1))));
  if (DILATED) {
    own = own & all(offset % d == vec3i(0));
  }
  return own;
}
