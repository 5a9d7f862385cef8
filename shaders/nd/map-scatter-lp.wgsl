// Scatter backward of N-d LP pooling: one invocation per dy element, adding dy·y^(1−p) times each
// real tap's factor sign(x)·|x|^(p−1) atomically into that tap (dx cleared first), with grad-lp's
// rules for zeros and NaN (lp_contribution). A window whose share is 0 (y = 0, or dy = 0) adds nothing. Requires: nd-layout.wgsl, a window file; grad-lp.wgsl;
// io-scatter-lp-*.wgsl.

@compute @workgroup_size(WG)
fn scatter(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let e = nd_coords(i, out_size());
  let share = window_gradient(i, e, 0);
  if (share == 0.0) {
    return;
  }
  let taps = window_taps(e);
  let d = dilations();
  let size = in_size();
  for (var kd = taps.real_lo.x; kd < taps.real_hi.x; kd++) {
    for (var kh = taps.real_lo.y; kh < taps.real_hi.y; kh++) {
      for (var kw = taps.real_lo.z; kw < taps.real_hi.z; kw++) {
        let off = nd_offset(e.n, e.c, taps.start + vec3i(kd, kh, kw) * d, size);
        add_dx(off, lp_contribution(share, load_x(off)));
      }
    }
  }
}
