// Forward mapping of the N-d kernels: one invocation per output element, which scans its window
// (first axis outermost, scan order = index order) and hands every tap to the reduction.
// Only the real taps are visited unless the reduction visits the declared padding (max with zero
// padding), so a window costs its real elements however large the padding.
// Requires: nd-window.wgsl; a reduction (reduce-*.wgsl); io-forward-*.wgsl; domain_index.

fn reduce_window(o: vec3i, n: i32, c: i32) -> Acc {
  let taps = window_taps(o);
  let pad = visits_padding();
  let lo = select(taps.real_lo, taps.declared_lo, pad);
  let hi = select(taps.real_hi, taps.declared_hi, pad);
  let d = dilations();
  let size = in_size();
  var acc = acc_init();
  for (var kd = lo.x; kd < hi.x; kd++) {
    let pd = taps.start.x + kd * d.x;
    for (var kh = lo.y; kh < hi.y; kh++) {
      let ph = taps.start.y + kh * d.y;
      for (var kw = lo.z; kw < hi.z; kw++) {
        let p = vec3i(pd, ph, taps.start.z + kw * d.z);
        let t = vec3i(kd, kh, kw);
        if (all(t >= taps.real_lo) && all(t < taps.real_hi)) {
          acc_add(&acc, load_x(nd_offset(n, c, p, size)), volume_position(p, size));
        } else {
          acc_pad(&acc);
        }
      }
    }
  }
  return acc;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = params.base + linear_invocation(wid, nwg, lid);
  if (i >= params.end) {
    return;
  }
  let e = nd_coords(i, out_size());
  store_y(i, acc_value(reduce_window(e.p, e.n, e.c), window_taps(e.p)));
}
