// The adaptive window (adaptive max and average pooling, docs/adaptive-pooling.md): along an axis of
// input size I and output size O, output o covers the input positions [floor(o·I/O),
// ceil((o+1)·I/O)), by integer arithmetic only. Every tap is real: real = declared = [0, end − start),
// tap t at start + t (the plan sets dilation 1, so the mappings' start + t·d holds). The host
// guarantees (in + 1)·(out + 1) ≤ 2^31 − 1 per axis, so the i32 products below cannot overflow.
// Provides: window_taps, window_owns. Requires: nd-layout.wgsl, window-record.wgsl.

fn window_taps(e: NdCoord) -> WindowTaps {
  let size = in_size();
  let osize = out_size();
  let start = (e.p * size) / osize;
  let end = ((e.p + vec3i(1)) * size + osize - vec3i(1)) / osize;
  let n = end - start;
  return WindowTaps(start, vec3i(0), n, vec3i(0), n);
}

// Whether in-volume position p lies in output e's window [floor(o·I/O), ceil((o+1)·I/O)) on every axis.
fn window_owns(e: NdCoord, p: vec3i) -> bool {
  let size = in_size();
  let osize = out_size();
  let start = (e.p * size) / osize;
  let end = ((e.p + vec3i(1)) * size + osize - vec3i(1)) / osize;
  return all(p >= start) & all(p < end);
}
