// Scatter backward of N-d average pooling: one invocation per dy element, adding its share
// (dy / divisor, the forward's divisor) atomically into every real tap of its window (dx cleared
// first). Requires: nd-layout.wgsl; reduce-avg.wgsl; taps_share (grad-avg.wgsl); io-scatter-*.wgsl.

@compute @workgroup_size(WG)
fn scatter(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let e = nd_coords(i, out_size());
  let taps = window_taps(e);
  let share = taps_share(i, taps);
  let d = dilations();
  let size = in_size();
  for (var kd = taps.real_lo.x; kd < taps.real_hi.x; kd++) {
    for (var kh = taps.real_lo.y; kh < taps.real_hi.y; kh++) {
      for (var kw = taps.real_lo.z; kw < taps.real_hi.z; kw++) {
        let p = taps.start + vec3i(kd, kh, kw) * d;
        add_dx(nd_offset(e.n, e.c, p, size), share);
      }
    }
  }
}
